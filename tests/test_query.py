"""Question validation and follow-up handling."""

from __future__ import annotations

import pytest

from rag.errors import InputError
from rag.query import is_follow_up, search_query, validate_question, wants_latest


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_question_is_refused(bad: str) -> None:
    with pytest.raises(InputError, match="empty"):
        validate_question(bad, 100)


def test_overlong_question_is_refused() -> None:
    with pytest.raises(InputError, match="limit is 10"):
        validate_question("x" * 11, 10)


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("and what about Russia?", True),
        ("What did he say next?", True),
        ("Why?", True),
        ("Who is the Russian ambassador-at-large who spoke to reporters in Moscow on Tuesday?", False),
        ("Where is Astana?", False),
    ],
)
def test_is_follow_up(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


def test_follow_up_carries_previous_question() -> None:
    history = [("What did Miroshnik say about Kyiv?", "He said ... [1]")]
    assert (
        search_query("and what about Nato?", history)
        == "and what about Nato? What did Miroshnik say about Kyiv?"
    )
    assert search_query("Where is Astana?", history) == "Where is Astana?"
    assert search_query("and what about Nato?", []) == "and what about Nato?"


def test_wants_latest() -> None:
    assert wants_latest("What is the latest on the talks?")
    assert not wants_latest("Who founded the city?")
