"""Dated questions answered, not only retrieved: the period a question names picks the articles,
and the quote need not repeat it (real model, the dated fixtures of tests/fixtures/dated)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant, Settings

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
            {"storm-03-bruno-landfall", "storm-04-power"},
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
