"""Dated retrieval on the Riverton fixture archive: real model, Chroma and BM25, questions asked as of a day."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from bench.dates import fixture_name
from rag import Assistant, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder
from rag.timeframe import read_date_window
from rag.types import SearchFilter

ARCHIVE = Path(__file__).parent / "fixtures" / "dated" / "articles"
TODAY = dt.date(2026, 12, 6)  # long after the archive, as a reader today


@pytest.fixture(scope="module")
def archive(
    tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[Assistant]:
    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("dated")), embedder=minilm)
    assert assistant.ingest(sorted(ARCHIVE.iterdir())).ok
    yield assistant
    assistant.close()


def _articles(assistant: Assistant, question: str, as_of: dt.date | None) -> list[str]:
    """Fixture file names of the distinct articles found, best first."""
    names = {a.title: fixture_name(a.source) for a in assistant.articles()}
    window = read_date_window(question, as_of or TODAY, today=TODAY)
    found = assistant.retriever.search(question, 20, SearchFilter(), window=window).passages
    return list(dict.fromkeys(names[p.title] for p in found))


@pytest.mark.parametrize(
    ("as_of", "newest"),
    [
        (None, "storm-09-bridge-reopens"),
        (dt.date(2024, 9, 1), "storm-06-bridge-estimate"),
        (dt.date(2024, 10, 20), "storm-08-bridge-lane"),
    ],
)
def test_latest_leads_with_the_newest_report_as_of_the_day(
    archive: Assistant, as_of: dt.date | None, newest: str
) -> None:
    assert _articles(archive, "What is the latest on the Harbour Bridge?", as_of)[0] == newest


def test_as_of_hides_what_was_published_later(archive: Assistant) -> None:
    found = _articles(archive, "How much will the Harbour Bridge repairs cost?", dt.date(2024, 9, 5))
    assert found[0] == "storm-06-bridge-estimate"
    assert not {"storm-08-bridge-lane", "storm-09-bridge-reopens"} & set(found)


def test_undated_article_is_never_hidden(archive: Assistant) -> None:
    assert _articles(archive, "When did the Harbour Bridge open?", dt.date(2024, 1, 2))[0] == "history-bridge"


def test_this_week_is_read_against_as_of(archive: Assistant) -> None:
    found = _articles(archive, "What happened with the bus strike this week?", dt.date(2024, 5, 9))
    assert found[0] == "transit-06-tentative-deal"
    assert set(found) <= {"transit-06-tentative-deal"}  # other weeks' reports of the strike stay behind


def test_named_month_puts_that_months_article_first(archive: Assistant) -> None:
    found = _articles(archive, "What did the mayoral poll in October show?", dt.date(2024, 12, 31))
    assert found[0] == "election-07-october-poll"
    assert "election-03-july-poll" not in found


def test_timeless_question_asked_today_ranks_as_without_dates(archive: Assistant) -> None:
    question = "How many drivers walked off the job?"
    dated = archive.retriever.search(question, 8, SearchFilter(), window=read_date_window(question, TODAY))
    plain = archive.retriever.search(question, 8, SearchFilter())
    assert [p.chunk_id for p in dated.passages] == [p.chunk_id for p in plain.passages]
    assert dated.passages[0].title.startswith("Bus strike begins")


def test_question_asked_in_a_past_week_finds_that_weeks_news(archive: Assistant) -> None:
    assert _articles(archive, "Who advanced to the runoff?", dt.date(2024, 8, 29))[0] == "election-04-primary"


def test_period_after_as_of_reads_as_a_question_about_plans(archive: Assistant) -> None:
    found = _articles(
        archive, "What will the council decide about the budget in December 2024?", dt.date(2024, 6, 1)
    )
    assert found and found[0].startswith("budget-")  # what was written by June about December's plans
    assert not {"budget-08-fy2026-talks", "budget-09-framework"} & set(found)


def test_period_in_which_nothing_was_published_names_events_not_articles(archive: Assistant) -> None:
    # The archive starts in 2024: "in 1962" cannot mean publication, so the words are searched.
    found = _articles(archive, "What happened to the Harbour Bridge in 1962?", None)
    assert found[0] == "history-bridge"
    found = _articles(archive, "What happened before 2020 to the Harbour Bridge?", None)
    assert found and found[0] in ("history-bridge", "storm-05-bridge-closed", "storm-09-bridge-reopens")


def test_article_dated_after_todays_clock_is_hidden_only_when_a_day_is_asked_for(
    tmp_path: Path, minilm: SentenceTransformerEmbedder
) -> None:
    """A story dated tomorrow (its newsroom is a time zone ahead) stays findable by default."""
    tomorrow = dt.date.today() + dt.timedelta(days=1)
    record = {"id": "ahead", "title": "Tide mill restored", "published": tomorrow.isoformat(),
              "text": "Volunteers restored the Ambleside tide mill and ground its first flour on Sunday."}  # fmt: skip
    source = tmp_path / "ahead.jsonl"
    source.write_text(json.dumps(record) + "\n")
    assistant = Assistant(Settings(data_dir=tmp_path / "data"), embedder=minilm)
    try:
        assert assistant.ingest([source]).ok
        question = "Who restored the tide mill?"
        assert [p.article_id for p in assistant.retrieve(question)] == ["ahead"]
        assert assistant.ask(question).citations
        assert assistant.retrieve(question, as_of=dt.date.today()) == []
    finally:
        assistant.close()


def test_the_periods_article_is_found_when_better_matches_from_other_months_fill_the_candidates(
    tmp_path: Path, minilm: SentenceTransformerEmbedder
) -> None:
    # Two candidates per search: both searches' best two are other months' bridge reports, so the
    # October one is found only by searching October again.
    assistant = Assistant(Settings(data_dir=tmp_path, candidates=2, top_k=2), embedder=minilm)
    try:
        assert assistant.ingest(sorted(ARCHIVE.iterdir())).ok
        names = {a.title: fixture_name(a.source) for a in assistant.articles()}
        question = "What happened to the Harbour Bridge in October?"
        plain = assistant.retriever.candidates(question, 2, SearchFilter())
        assert "storm-08-bridge-lane" not in {names[p.title] for p in plain.dense + plain.lexical}
        found = assistant.retrieve(question, 2, as_of=dt.date(2024, 12, 31))
        assert names[found[0].title] == "storm-08-bridge-lane"
    finally:
        assistant.close()
