"""Hybrid retrieval: dense and BM25 candidates fused by reciprocal rank, then diversified."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from rag.embedding import Embedder
from rag.settings import Settings
from rag.types import Passage, SearchFilter

# Fused scores within this fraction of each other count as a tie, which the newer article wins.
TIE_TOLERANCE = 0.02


class PassageSource(Protocol):
    """The two searches the retriever fuses (``vectorstore.ArticleStore`` provides them)."""

    def dense_search(self, vector: np.ndarray, limit: int, where: SearchFilter) -> list[Passage]:
        """Nearest chunks by embedding."""
        ...

    def lexical_search(self, question: str, limit: int, where: SearchFilter) -> list[Passage]:
        """Best chunks by BM25."""
        ...

    def sentence_vectors(self, chunk_ids: Sequence[str]) -> dict[tuple[str, int], np.ndarray]:
        """Sentence vectors stored at ingest, by (article id, start offset); missing ones left out."""
        ...


@dataclass(frozen=True)
class Retrieval:
    """The passages found for a query, and the query's vector for reuse by the answerer."""

    query: str
    vector: np.ndarray
    passages: tuple[Passage, ...]
    # Stored vectors of the passages' sentences, so the answerer need not embed them.
    sentences: Mapping[tuple[str, int], np.ndarray] = field(default_factory=dict)


def fuse(
    dense: Sequence[Passage], lexical: Sequence[Passage], rrf_k: int, lexical_weight: float = 1.0
) -> list[Passage]:
    """Weighted reciprocal-rank fusion; each passage keeps its dense and BM25 scores for display."""
    scores: dict[str, float] = {}
    merged: dict[str, Passage] = {}
    for rank, passage in enumerate(dense):
        scores[passage.chunk_id] = scores.get(passage.chunk_id, 0.0) + 1.0 / (rrf_k + rank + 1)
        merged[passage.chunk_id] = replace(passage, dense_score=passage.score)
    for rank, passage in enumerate(lexical):
        scores[passage.chunk_id] = scores.get(passage.chunk_id, 0.0) + lexical_weight / (rrf_k + rank + 1)
        base = merged.get(passage.chunk_id, passage)
        merged[passage.chunk_id] = replace(base, lexical_score=passage.score)
    fused = [replace(merged[cid], score=score) for cid, score in scores.items()]
    return sorted(fused, key=lambda p: (-p.score, p.chunk_id))


def prefer_recent(passages: Sequence[Passage], latest: bool) -> list[Passage]:
    """Break score ties in favour of newer articles; when ``latest``, let recency lead outright
    among passages scoring at least half the best."""
    if not passages:
        return []
    top = passages[0].score or 1.0
    if latest:
        head = [p for p in passages if p.score >= 0.5 * top]
        tail = [p for p in passages if p.score < 0.5 * top]
        return sorted(head, key=lambda p: (_date_key(p.published), p.score), reverse=True) + tail
    bucket = top * TIE_TOLERANCE
    return sorted(passages, key=lambda p: (round(p.score / bucket), _date_key(p.published)), reverse=True)


def diversify(passages: Sequence[Passage], k: int, max_per_article: int) -> list[Passage]:
    """Top ``k``, taking at most ``max_per_article`` from one article while others have candidates."""
    chosen: list[Passage] = []
    overflow: list[Passage] = []
    taken: dict[str, int] = {}
    for passage in passages:
        if taken.get(passage.article_id, 0) < max_per_article:
            chosen.append(passage)
            taken[passage.article_id] = taken.get(passage.article_id, 0) + 1
        else:
            overflow.append(passage)
        if len(chosen) == k:
            return chosen
    return chosen + overflow[: k - len(chosen)]


def _date_key(published: dt.date | None) -> int:
    return published.toordinal() if published else 0


class Retriever:
    """Embeds the query, runs both searches and fuses them."""

    def __init__(self, source: PassageSource, embedder: Embedder, settings: Settings) -> None:
        self.source = source
        self.embedder = embedder
        self.settings = settings
        # One helper thread runs the BM25 search while this thread embeds the query: both
        # release the GIL (SQLite and NumPy), so on two cores the slower one sets the pace.
        self._lexical_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix="bm25")

    def search(self, query: str, k: int, where: SearchFilter, latest: bool = False) -> Retrieval:
        """The ``k`` best passages for ``query``, with the stored vectors of their sentences."""
        n = max(self.settings.candidates, k)
        lexical_future = self._lexical_pool.submit(self.source.lexical_search, query, n, where)
        vector = self.embedder.embed_query(query)
        dense = self.source.dense_search(vector, n, where)
        lexical = lexical_future.result()
        ranked = prefer_recent(
            fuse(dense, lexical, self.settings.rrf_k, self.settings.lexical_weight), latest
        )
        passages = tuple(diversify(ranked, k, self.settings.max_per_article))
        sentences = self.source.sentence_vectors([p.chunk_id for p in passages]) if passages else {}
        return Retrieval(query, vector, passages, sentences)
