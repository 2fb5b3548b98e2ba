"""The extractive answerer's pure parts: candidates, scoring, selection and composition."""

from __future__ import annotations

import numpy as np
import pytest

from rag.embedding import HashEmbedder
from rag.extractive import (
    FOLLOWER_MARGIN,
    Candidate,
    SentenceVectors,
    candidates,
    compose,
    content_terms,
    coverage,
    score,
    select,
    shortlist,
)
from rag.types import Passage

TEXT = "Intro line that is long enough. The mayor opened the bridge on Monday. Crowds cheered loudly at the river."


def _passage(start: int = 100) -> Passage:
    return Passage(
        article_id="a", title="Bridge", url="https://example.org/b", published=None, text=TEXT,
        start=start, end=start + len(TEXT), score=1.0, chunk_id="a:1",
    )  # fmt: skip


def test_candidates_use_article_offsets() -> None:
    cands = candidates([_passage(start=100)])
    assert [c.text for c in cands][1] == "The mayor opened the bridge on Monday."
    for c in cands:
        assert TEXT[c.start - 100 : c.end - 100] == c.text


def test_candidates_dedupe_overlapping_passages() -> None:
    assert len(candidates([_passage(), _passage()])) == 3


def test_coverage_uses_stems_and_ignores_stopwords() -> None:
    terms = content_terms("When did the mayor open the bridges?")
    assert terms == {"mayor", "open", "bridg"} or "mayor" in terms
    assert coverage(terms, "The mayor opened the bridge on Monday.") > coverage(
        terms, "Crowds cheered loudly."
    )


def test_score_prefers_similar_and_covering_sentences() -> None:
    cands = candidates([_passage()])
    ranked = score(cands, np.array([0.1, 0.6, 0.2]), content_terms("Who opened the bridge?"))
    assert ranked[0].text.startswith("The mayor")


def _cand(text: str, s: float) -> Candidate:
    return Candidate(_passage(), 0, 100, 100 + len(text), text, s)


def test_select_abstains_below_floor() -> None:
    assert select([_cand("x" * 30, 0.2)], limit=3, floor=0.3) == []


def test_select_takes_close_runners_up_only() -> None:
    ranked = [_cand("a" * 30, 0.8), _cand("b" * 30, 0.8 - FOLLOWER_MARGIN / 2), _cand("c" * 30, 0.5)]
    assert [c.text[0] for c in select(ranked, limit=3, floor=0.3)] == ["a", "b"]
    assert len(select(ranked, limit=1, floor=0.3)) == 1


def test_compose_numbers_citations_in_order_and_quotes_exactly() -> None:
    p = _passage(start=100)
    article = "x" * 100 + TEXT
    chosen = [c for c in candidates([p])][1:3]
    text, citations = compose(chosen)
    assert text == f"{chosen[0].text} [1] {chosen[1].text} [2]"
    assert [c.index for c in citations] == [1, 2]
    for c in citations:
        assert article[c.start : c.end] == c.quote


@pytest.mark.parametrize(
    ("question", "limit", "kept"),
    [
        ("Who opened the bridge?", None, [0, 1, 2]),
        ("Who opened the bridge?", 3, [0, 1, 2]),
        ("Who opened the bridge?", 1, [1]),
        ("Did crowds cheer at the river?", 1, [2]),
        ("When did the mayor open it and did crowds cheer?", 2, [1, 2]),
    ],
)
def test_shortlist_keeps_sentences_sharing_question_words_in_text_order(
    question: str, limit: int | None, kept: list[int]
) -> None:
    cands = candidates([_passage()])
    assert shortlist(cands, content_terms(question), limit) == [cands[i] for i in kept]


def test_shortlist_prefers_higher_ranked_passages_on_equal_coverage() -> None:
    cands = candidates([_passage(start=0), _passage(start=500)])
    chosen = shortlist(cands, content_terms("Who opened the bridge?"), 1)
    assert [(c.rank, c.text) for c in chosen] == [(0, "The mayor opened the bridge on Monday.")]


def test_sentence_vectors_match_the_embedder_and_stay_bounded() -> None:
    """The cache is bookkeeping, so the model-free hash embedding is enough to check it."""
    embedder = HashEmbedder()
    vectors = SentenceVectors(embedder, size=2)
    texts = ["The mayor opened the bridge.", "Crowds cheered.", "Rain fell all day."]
    got = vectors.embed([texts[0], texts[1], texts[0], texts[2]])
    assert np.allclose(got, embedder.embed_documents([texts[0], texts[1], texts[0], texts[2]]))
    assert len(vectors) == 2
    vectors.clear()
    assert len(vectors) == 0 and vectors.embed([]).shape[0] == 0
