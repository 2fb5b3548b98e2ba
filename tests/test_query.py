"""Question validation and the wish for recency."""

from __future__ import annotations

import pytest

from rag.errors import InputError
from rag.query import validate_question, wants_latest


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_question_is_refused(bad: str) -> None:
    with pytest.raises(InputError, match="empty"):
        validate_question(bad, 100)


@pytest.mark.parametrize("bad", ["?", "...", " ?! ", "—"])
def test_a_question_without_a_word_is_refused(bad: str) -> None:
    # "?" was searched, and answered with "could not find" over three arbitrary closest sources
    with pytest.raises(InputError, match="no words: type a question"):
        validate_question(bad, 100)


@pytest.mark.parametrize("good", ["Why?", "1984?", "Qui est Miroshnik ?"])
def test_a_question_of_one_word_or_number_is_kept(good: str) -> None:
    assert validate_question(good, 100) == good


def test_overlong_question_is_refused() -> None:
    with pytest.raises(InputError, match="limit is 10"):
        validate_question("x" * 11, 10)


@pytest.mark.parametrize(
    "question",
    [
        "What is the latest on the talks?",
        "What is the newest figure for the death toll?",
        "What was the most recent update on the strike?",
    ],
)
def test_wants_latest(question: str) -> None:
    assert wants_latest(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who founded the city?",
        "Is Bankman-Fried still in prison?",
        "How many people are still missing after the ferry capsized?",
        "Who is the current governor of the central bank?",
        "What is the current interest rate?",
    ],
)
def test_still_and_current_ask_about_the_present_not_for_the_newest_report(question: str) -> None:
    assert not wants_latest(question)
