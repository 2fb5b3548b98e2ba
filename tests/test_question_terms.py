"""The question's words as the selector reads them: "the latest on X" asks for news of X, not for a word."""

from __future__ import annotations

import pytest

from rag.extractive import terms_of


@pytest.mark.parametrize(
    "question",
    [
        "What is the latest on the city budget?",
        "What's the latest news about the city budget?",
        "Any word on the very newest update regarding the city budget?",
    ],
)
def test_asking_for_the_latest_on_a_subject_asks_for_no_word_latest(question: str) -> None:
    stems = terms_of(question).stems
    assert "citi" in stems and "budget" in stems
    assert not {"latest", "newest", "news", "updat"} & set(stems)


def test_latest_describing_a_thing_stays_a_question_word() -> None:
    assert "latest" in terms_of("What is the latest model of the phone?").stems
    assert "latest" in terms_of("When is the latest Britain had an imperialist policy?").stems
