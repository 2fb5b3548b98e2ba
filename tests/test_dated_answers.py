"""Dated questions answered, not only retrieved: the period a question names picks the articles,
and the quote need not repeat it (real model, the dated fixtures of tests/fixtures/dated)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder
from rag.types import SearchFilter

pytestmark = pytest.mark.slow

ARTICLES = Path(__file__).parent / "fixtures" / "dated" / "articles"


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    helper = Assistant(Settings(data_dir=tmp_path_factory.mktemp("dated")))
    assert helper.ingest([str(ARTICLES)]).ok
    yield helper
    helper.close()


def _cited_file(assistant: Assistant, question: str, as_of: dt.date | None) -> str:
    answer = assistant.ask(question, as_of=as_of)
    assert not answer.abstained, answer.text
    first = assistant.article(answer.citations[0].article_id)
    assert first.text[answer.citations[0].start : answer.citations[0].end] == answer.citations[0].quote
    return Path(first.source).stem


@pytest.mark.parametrize(
    ("question", "as_of", "expected"),
    [
        (
            "What damage did the hurricane cause this week?",
            dt.date(2024, 8, 17),
            # the bridge's pier scoured by Bruno's surge (reported on Aug 16) is this week's damage too
            {"storm-03-bruno-landfall", "storm-04-power", "json:storm-05-bridge-closed"},
        ),
        ("What did the mediator do yesterday?", dt.date(2024, 5, 1), {"transit-05-mediator"}),
        ("What did the mayoral poll in October show?", dt.date(2024, 12, 31), {"election-07-october-poll"}),
        ("What did the council cut last month?", dt.date(2024, 8, 10), {"budget-06-academy"}),
    ],
)
def test_a_question_naming_a_period_is_answered_from_that_periods_article(
    assistant: Assistant, question: str, as_of: dt.date, expected: set[str]
) -> None:
    assert _cited_file(assistant, question, as_of) in expected


@pytest.mark.parametrize(
    ("question", "as_of", "newest"),
    [
        ("What is the latest on the bus drivers' strike?", dt.date(2024, 4, 25), "transit-04-day-three"),
        # a bike-lane plan of 25 June is newer and scored near the best passage, but is not about the budget
        ("What is the latest on the city budget?", dt.date(2024, 7, 1), "budget-05-shortfall"),
    ],
)
def test_the_latest_leads_with_the_newest_article_about_it(
    assistant: Assistant, question: str, as_of: dt.date, newest: str
) -> None:
    # An older report's sentence is rated higher for these words; the newest report still leads.
    assert _cited_file(assistant, question, as_of) == newest


def test_a_period_no_article_is_dated_in_stays_part_of_the_question(assistant: Assistant) -> None:
    # No marathon, and no article from April of the current year: the election primary is no answer.
    assert assistant.ask("Who won the city marathon in April?").abstained


EVENTS = [  # a period in the question may date the event, not the report
    ("museum", "Harlow maritime museum plans a new wing", "2026-03-14",
     "The Harlow Maritime Museum will add a wing for its ship models, its director said. It welcomed "
     "about 210,000 visitors last year, the most since it opened in 1987."),
    ("ferry", "Judge fines Corran Ferries over safety lapses", "2025-06-19",
     "A judge fined Corran Ferries £250,000 on Wednesday. The operator had pleaded guilty to three of "
     "the seven safety charges against it in March, after a deckhand was injured on the island route."),
    ("parking", "Council approves harbour parking charges", "2026-03-10",
     "Harlow council approved new parking charges at the harbour on Tuesday, starting in May."),
    ("library", "Library reopens after roof repairs", "2025-09-02",
     "Harlow's central library reopened on Monday after five months of roof repairs costing £1.2m."),
]  # fmt: skip
ASKED_ON = dt.date(2026, 12, 7)


@pytest.fixture(scope="module")
def events(
    tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[Assistant]:
    folder = tmp_path_factory.mktemp("events")
    records = [{"id": i, "title": t, "published": p, "text": x} for i, t, p, x in EVENTS]
    (folder / "events.jsonl").write_text("\n".join(json.dumps(r) for r in records) + "\n")
    helper = Assistant(Settings(data_dir=folder / "data"), embedder=minilm)
    assert helper.ingest([folder / "events.jsonl"]).ok
    yield helper
    helper.close()


@pytest.mark.parametrize(
    ("question", "article", "figure", "note"),
    [
        (
            "How many visitors did the museum have last year?", "museum", "210,000",
            "Published 14 Mar 2026, after the period asked about (2025).",
        ),
        (
            "How many visitors did the museum have in 2025?", "museum", "210,000",
            "Published 14 Mar 2026, after the period asked about (2025).",
        ),
        (
            "How many charges did Corran Ferries plead guilty to in March?", "ferry", "three",
            "Published 19 Jun 2025, before the period asked about (March 2026).",
        ),
    ],
)  # fmt: skip
def test_an_article_outside_the_named_period_that_answers_is_quoted_and_said_to_be(
    events: Assistant, question: str, article: str, figure: str, note: str
) -> None:
    answer = events.ask(question, as_of=ASKED_ON)
    assert not answer.abstained, answer.text
    assert answer.citations[0].article_id == article
    assert figure in answer.citations[0].quote
    assert answer.text.endswith(note)


def test_dates_the_user_sets_stay_a_hard_filter(events: Assistant) -> None:
    until_2025 = SearchFilter(published_to=dt.date(2025, 12, 31))
    answer = events.ask("How many visitors did the museum have last year?", where=until_2025, as_of=ASKED_ON)
    assert "museum" not in {c.article_id for c in answer.citations}


def test_an_abstention_behind_a_filter_does_not_say_the_archive_lacks_the_words(events: Assistant) -> None:
    until_2025 = SearchFilter(published_to=dt.date(2025, 12, 31))
    answer = events.ask("How many visitors did the museum have?", where=until_2025, as_of=ASKED_ON)
    assert answer.abstained
    assert answer.text.startswith("The articles published by 31 Dec 2025 ")  # the museum's is later
