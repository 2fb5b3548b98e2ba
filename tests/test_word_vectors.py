"""Words said otherwise: the bundled model's word-piece table finds a question's word in an article
that uses another one near in meaning, and nothing in unrelated words (real model files)."""

from __future__ import annotations

import numpy as np
import pytest

from rag.abstentions import abstain_reason
from rag.extractive import terms_of
from rag.quotes import said_in
from rag.sentence_embedder import resolve_model_path
from rag.word_vectors import BUNDLED_MODEL, WordVectors, bundled, said_otherwise


@pytest.mark.parametrize(
    ("asked", "said"),
    [("vacant", "empty"), ("killed", "died"), ("salary", "pay"), ("hurt", "injured"), ("attorney", "lawyer")],
)
def test_a_near_synonym_counts_as_said_and_unrelated_words_do_not(asked: str, said: str) -> None:
    assert said_otherwise((asked,), (asked,), f"They were {said}.") == {asked}
    assert said_otherwise((asked,), (asked,), "A banana by the river on Tuesday, with cheese.") == set()


def test_a_word_and_its_vector_are_cached_once_and_unknown_text_gets_zeros() -> None:
    vectors = bundled()
    assert vectors is not None
    first = vectors.of(["Vacant", "vacant", "¤"])
    assert np.allclose(first[0], first[1]) and abs(float(np.linalg.norm(first[0])) - 1) < 1e-2
    assert not first[2].any() or abs(float(np.linalg.norm(first[2])) - 1) < 1e-2


def test_a_full_cache_still_gives_every_word_asked_with_new_ones() -> None:
    # a cache filled by earlier questions used to drop, on clearing, the words of this call it held
    vectors = WordVectors(resolve_model_path(BUNDLED_MODEL), cache_words=3)
    alone = vectors.of(["vacant", "empty"])
    again = vectors.of(["vacant", "salary", "pay"])
    assert again.shape == (3, vectors.dimensions)
    assert np.allclose(alone[0], again[0], atol=1e-3)


def test_a_question_word_said_otherwise_is_found_and_an_unrelated_one_is_not() -> None:
    text = "Shannon Airport cancelled 40 flights, and ferry services were suspended."
    assert said_otherwise(("scrap", "rail"), ("scrapped", "rail"), text) == {"scrap"}
    terms = terms_of("How many flights were scrapped?")
    assert {"flight", "scrap"} <= said_in(text, terms)


@pytest.mark.parametrize(
    ("asked", "said"), [("lost", "saved"), ("lost", "spared"), ("died", "survived"), ("rose", "fell")]
)
def test_a_word_is_never_said_by_its_opposite(asked: str, said: str) -> None:
    # the table puts an outcome and its opposite near each other, as it does synonyms
    assert said_otherwise((asked,), (asked,), f"They {said} 60 houses.") == set()
    assert said_otherwise((asked, "alert"), (asked, "alert"), f"They {said} it after a warning.") == {"alert"}


def test_the_reason_line_does_not_call_a_synonym_missing_but_still_a_neighbour() -> None:
    def reason(question: str, text: str) -> str:
        return abstain_reason(question, terms_of(question), [text])

    said = "Two customers were killed in the city."
    assert reason("How many clients died?", said) == 'The articles mention "died" but do not say how many.'
    assert reason("How many clients died in Galway?", said) == 'The articles mention "died" but not "Galway".'
    assert reason("Who is the mayor?", "The city council said so.") == 'The articles do not mention "mayor".'
    assert reason("What was the turnout in 2017?", "Turnout was 61 percent in 2016.") == (
        'The articles mention "turnout" but not "2017".'
    )
