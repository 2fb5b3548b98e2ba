"""A date range that lets nothing through is a clear error, not an answer saying the articles lack the words."""

from __future__ import annotations

import datetime as dt

import pytest

from rag import Article, Assistant, SearchFilter
from rag.errors import InputError

STORY = Article(
    id="harbour", title="Harbour reopens", published=dt.date(2024, 3, 4),
    text="The harbour of Westport reopened on Monday after a storm closed it for a week.",
)  # fmt: skip
QUESTION = "When did the harbour reopen?"
REVERSED = SearchFilter(published_from=dt.date(2025, 1, 1), published_to=dt.date(2024, 1, 1))


@pytest.fixture
def harbour(hash_assistant: Assistant) -> Assistant:
    assert hash_assistant.ingest([STORY]).ok
    return hash_assistant


def test_a_reversed_published_range_says_which_way_round(harbour: Assistant) -> None:
    """It answered "The articles do not mention "harbour" ...", which they do."""
    calls = [
        lambda: harbour.ask(QUESTION, where=REVERSED),
        lambda: list(harbour.stream(QUESTION, where=REVERSED)),
        lambda: harbour.retrieve(QUESTION, where=REVERSED),
    ]
    for call in calls:
        with pytest.raises(InputError, match=r"the start, 2025-01-01, is after the end, 2024-01-01"):
            call()


def test_filters_that_fit_still_answer(harbour: Assistant) -> None:
    same_day = SearchFilter(("harbour",), dt.date(2024, 3, 4), dt.date(2024, 3, 4))
    assert harbour.ask(QUESTION, where=same_day).citations[0].article_id == "harbour"


def test_filters_that_let_nothing_through_say_so_not_that_words_are_missing(harbour: Assistant) -> None:
    """It said "The articles do not mention "harbour" ... The closest sources are listed below" with
    none listed: the harbour story exists, the range only excluded it."""
    before = SearchFilter(published_from=dt.date(2020, 1, 1), published_to=dt.date(2020, 12, 31))
    answer = harbour.ask(QUESTION, where=before)
    assert answer.abstained and not answer.citations and not answer.passages
    assert "No article matched this search" in answer.text
    assert "listed below" not in answer.text and "do not mention" not in answer.text
    streamed = [e.answer for e in harbour.stream(QUESTION, where=before) if e.answer is not None]
    assert streamed and streamed[-1].text == answer.text
