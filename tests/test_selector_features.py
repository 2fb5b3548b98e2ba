"""The selector's antonym feature: a swapped "first" for "last" is another claim, "the first time since" is not."""

from __future__ import annotations

import numpy as np

from rag.extractive import terms_of
from rag.features import FEATURES, Sentence, featurize

ANTONYM = FEATURES.index("antonym")


def _antonym(question: str, sentence: str) -> float:
    rows = featurize(terms_of(question), [Sentence(sentence, "", "", 0)], np.array([0.5]))
    return float(rows[0, ANTONYM])


def test_the_first_time_since_says_when_it_last_happened() -> None:
    question = "When did bitcoin last trade that high?"
    assert (
        _antonym(question, "Bitcoin rose above $40,000 on Monday for the first time since April 2022.") == 0.0
    )
    assert (
        _antonym(question, "Shares closed at their highest level in years, the first rise since March.")
        == 0.0
    )


def test_first_for_last_is_still_an_opposite() -> None:
    assert _antonym("Who won the last race of the season?", "Okafor won the first race of the season.") == 1.0
