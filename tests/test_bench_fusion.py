"""bench.fusion's scoring: which passage answers a case, and how the three rankings are compared."""

from __future__ import annotations

import pytest

from bench.fusion import Case, Found, measure, ranker, report
from rag.types import Passage


def _passage(chunk_id: str, article_id: str, start: int, text: str) -> Passage:
    return Passage(article_id, "t", "", None, text, start, start + len(text), 0.0, chunk_id=chunk_id)


@pytest.mark.parametrize(
    ("case", "article_id", "start", "end", "text", "answers"),
    [
        (Case("q", article_id="a", spans=((10, 14),)), "a", 0, 20, "", True),
        (Case("q", article_id="a", spans=((10, 14),)), "a", 12, 30, "", False),  # gold cut off
        (Case("q", article_id="a", spans=((10, 14),)), "b", 0, 20, "", False),  # other article
        (Case("q", texts=("38 people",)), "x", 0, 9, "Rescuers saved 38 people.", True),
        (Case("q", texts=("38 people",)), "x", 0, 9, "A ferry capsized.", False),
        (Case("q", articles=("a", "b")), "b", 0, 1, "", True),
        (Case("q", articles=("a",)), "c", 0, 1, "", False),
    ],
)
def test_a_passage_answers_by_span_text_or_article(
    case: Case, article_id: str, start: int, end: int, text: str, answers: bool
) -> None:
    assert case.answered_by(article_id, start, end, text) is answers


def test_each_ranking_is_scored_on_its_own_search() -> None:
    """Dense ranks the answer first, BM25 misses it: dense leads, the fusion keeps it in the top 5."""
    answer = _passage("a:1", "a", 0, "Rescue teams pulled 38 people from the water.")
    others = [_passage(f"o:{i}", f"o{i}", 0, "A ferry capsized near Batam.") for i in range(3)]
    found = [Found(Case("How many were rescued?", texts=("38 people",)), [answer, *others], others, None)]
    dense, bm25, fused = (measure(found, ranker(s)) for s in ("dense", "bm25", "fused"))
    assert (dense["hit@1"], dense["recall@2000"]) == (1.0, 1.0)
    assert (bm25["hit@5"], bm25["mrr@10"], bm25["recall@2000"]) == (0.0, 0.0, 0.0)
    assert fused["hit@5"] == 1.0 and fused["questions"] == 1
    table = report({"news": {"dense": dense, "bm25": bm25, "fused": fused}})
    assert "## news (1 questions)" in table and "| bm25 | 0.000 | 0.000 | 0.000 | 0.000 |" in table
