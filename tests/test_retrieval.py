"""Fusion, recency and diversity are pure functions over passages."""

from __future__ import annotations

import datetime as dt

from rag.retrieval import diversify, fuse, fuse_scores, prefer_recent
from rag.types import Passage


def _p(cid: str, article: str = "a", score: float = 1.0, published: dt.date | None = None) -> Passage:
    return Passage(
        article_id=article, title=article, url="", published=published, text=cid, start=0, end=len(cid),
        score=score, chunk_id=cid,
    )  # fmt: skip


def test_fuse_rewards_agreement() -> None:
    dense = [_p("x", score=0.9), _p("y", score=0.8)]
    lexical = [_p("y", score=12.0), _p("z", score=5.0)]
    fused = fuse(dense, lexical, rrf_k=60)
    assert fused[0].chunk_id == "y"
    y = fused[0]
    assert y.dense_score == 0.8 and y.lexical_score == 12.0
    assert {p.chunk_id for p in fused} == {"x", "y", "z"}


def test_ties_go_to_the_newer_article() -> None:
    old = _p("old", "a", 0.5, dt.date(2020, 1, 1))
    new = _p("new", "b", 0.5, dt.date(2024, 1, 1))
    assert [p.chunk_id for p in prefer_recent([old, new], latest=False)] == ["new", "old"]


def test_clear_winner_beats_recency_without_latest() -> None:
    old = _p("old", "a", 0.9, dt.date(2020, 1, 1))
    new = _p("new", "b", 0.5, dt.date(2024, 1, 1))
    assert [p.chunk_id for p in prefer_recent([old, new], latest=False)] == ["old", "new"]


def test_latest_question_puts_recent_relevant_first() -> None:
    old = _p("old", "a", 0.9, dt.date(2020, 1, 1))
    new = _p("new", "b", 0.6, dt.date(2024, 1, 1))
    weak = _p("weak", "c", 0.1, dt.date(2025, 1, 1))
    ordered = [p.chunk_id for p in prefer_recent([old, new, weak], latest=True)]
    assert ordered == ["new", "old", "weak"]


def test_diversify_caps_one_article_while_others_wait() -> None:
    passages = [_p(f"a{i}", "a", 1 - i / 10) for i in range(5)] + [_p("b0", "b", 0.1)]
    picked = diversify(passages, k=4, max_per_article=2)
    assert [p.chunk_id for p in picked] == ["a0", "a1", "b0", "a2"]


def test_diversify_single_article_still_fills_k() -> None:
    passages = [_p(f"a{i}", "a", 1 - i / 10) for i in range(5)]
    assert len(diversify(passages, k=4, max_per_article=1)) == 4


def test_lexical_weight_tilts_the_fusion() -> None:
    dense = [_p("d", score=0.9), _p("l", score=0.1)]
    lexical = [_p("l", score=9.0), _p("d", score=1.0)]
    assert (
        fuse(dense, lexical, rrf_k=10, lexical_weight=1.0)[0].score == fuse(dense, lexical, 10, 1.0)[1].score
    )
    assert fuse(dense, lexical, rrf_k=10, lexical_weight=2.0)[0].chunk_id == "l"


def test_score_fusion_keeps_a_clear_lead_that_ranks_would_flatten() -> None:
    """BM25 far surer of "l" than of anything else outweighs dense's near-tie in favour of "d"."""
    dense = [_p("d", score=0.62), _p("l", score=0.60)]
    lexical = [_p("l", score=20.0), _p("d", score=2.0)]
    by_score = fuse_scores(dense, lexical, lexical_weight=1.0)
    assert [p.chunk_id for p in by_score] == ["l", "d"]
    assert by_score[0].score == 0.60 / 0.62 + 1.0 and by_score[0].lexical_score == 20.0
    # Equal weights by rank: one first place each, so "d" and "l" tie.
    by_rank = fuse(dense, lexical, rrf_k=10, lexical_weight=1.0)
    assert by_rank[0].score == by_rank[1].score


def test_score_fusion_gives_a_passage_nothing_from_the_search_that_missed_it() -> None:
    dense = [_p("d", score=0.5), _p("neg", score=-0.1)]
    lexical = [_p("l", score=4.0)]
    fused = {p.chunk_id: p.score for p in fuse_scores(dense, lexical, lexical_weight=0.5)}
    assert fused == {"d": 1.0, "l": 0.5, "neg": 0.0}
    assert fuse_scores([], [], 1.0) == []
