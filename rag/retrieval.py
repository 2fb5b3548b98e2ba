"""Hybrid retrieval: dense and BM25 candidates fused (by relative score, or reciprocal rank), then diversified."""

from __future__ import annotations

import datetime as dt
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from typing import Protocol

import numpy as np

from rag.date_ranking import (
    dated_filter,
    period_scope,
    prefer_period,
    publication_period,
    searched_scope,
    weigh_by_date,
)
from rag.embedding import Embedder
from rag.settings import Settings
from rag.types import DateWindow, Passage, SearchFilter

# Fused scores within this fraction of each other count as a tie, which the newer article wins.
TIE_TOLERANCE = 0.02
# Name prefix of the threads that run BM25 while the question is embedded (distinct from the
# in-memory index's "bm25-build" thread, which outlives a close: it is the store's, not ours).
LEXICAL_THREADS = "lexical-search"


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

    def visible(self, chunk_ids: Sequence[str]) -> set[str]:
        """Those of ``chunk_ids`` that are stored right now, read in one go."""
        ...

    def dates_after(self, day: dt.date) -> list[dt.date]:
        """Publication dates of stored articles later than ``day``."""
        ...


@dataclass(frozen=True)
class Retrieval:
    """The passages found for a query, and the query's vector for reuse by the answerer."""

    query: str
    vector: np.ndarray
    passages: tuple[Passage, ...]
    # Stored vectors of the passages' sentences, so the answerer need not embed them.
    sentences: Mapping[tuple[str, int], np.ndarray] = field(default_factory=dict)
    # The articles searched, in words ("published by 1 May 2024", "from March 2026"), when a filter
    # or the question's period left others out: an abstention must not speak for the whole archive.
    scope: str = ""


@dataclass(frozen=True)
class Candidates:
    """What the two searches found for a query, before fusion, and the query's vector."""

    vector: np.ndarray
    dense: list[Passage]
    lexical: list[Passage]
    scope: str = ""  # the filters the searches applied, in words ("" when they hid nothing)


def fuse(
    dense: Sequence[Passage], lexical: Sequence[Passage], rrf_k: int, lexical_weight: float = 1.0
) -> list[Passage]:
    """Weighted reciprocal-rank fusion; each passage keeps its dense and BM25 scores for display."""
    scores: dict[str, float] = {}
    for rank, passage in enumerate(dense):
        scores[passage.chunk_id] = scores.get(passage.chunk_id, 0.0) + 1.0 / (rrf_k + rank + 1)
    for rank, passage in enumerate(lexical):
        scores[passage.chunk_id] = scores.get(passage.chunk_id, 0.0) + lexical_weight / (rrf_k + rank + 1)
    return _fused(dense, lexical, scores)


def fuse_scores(
    dense: Sequence[Passage], lexical: Sequence[Passage], lexical_weight: float = 1.0
) -> list[Passage]:
    """Sum of each search's score over its best one's (cosine, BM25), BM25's part times ``lexical_weight``.

    Unlike ranks, scores say how much better the first passage is than the next: a BM25 hit on
    a rare name far ahead of the rest keeps its lead, and a near-tie stays a near-tie. A passage
    only one search found gets nothing from the other.
    """
    scores: dict[str, float] = {}
    for weight, passages in ((1.0, dense), (lexical_weight, lexical)):
        best = max((p.score for p in passages), default=0.0)
        if best <= 0.0:
            continue
        for passage in passages:
            part = weight * max(passage.score, 0.0) / best
            scores[passage.chunk_id] = scores.get(passage.chunk_id, 0.0) + part
    return _fused(dense, lexical, scores)


def _fused(
    dense: Sequence[Passage], lexical: Sequence[Passage], scores: Mapping[str, float]
) -> list[Passage]:
    """The passages of ``scores``, best first, each with its fused score and both searches' own.

    Scores are gathered first and each passage is rebuilt once: ``dataclasses.replace`` per
    input took about a millisecond per question, a twentieth of the retrieval budget.
    """
    found: dict[str, Passage] = {}
    dense_scores: dict[str, float] = {}
    lexical_scores: dict[str, float] = {}
    for passage in dense:
        found.setdefault(passage.chunk_id, passage)
        dense_scores[passage.chunk_id] = passage.score
    for passage in lexical:
        found.setdefault(passage.chunk_id, passage)
        lexical_scores[passage.chunk_id] = passage.score
    fused = [
        replace(
            found[cid],
            score=scores.get(cid, 0.0),
            dense_score=dense_scores.get(cid, found[cid].dense_score),
            lexical_score=lexical_scores.get(cid, found[cid].lexical_score),
        )
        for cid in found
    ]
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


def _merged(first: Sequence[Passage], second: Sequence[Passage]) -> list[Passage]:
    """One search's passages from two filters, each once, best first (scores are alike: one query)."""
    merged = {p.chunk_id: p for p in second} | {p.chunk_id: p for p in first}
    return sorted(merged.values(), key=lambda p: (-p.score, p.chunk_id))


def _any_within(passages: Sequence[Passage], window: DateWindow) -> bool:
    start, end = publication_period(window)
    return any(p.published is not None and start <= p.published <= end for p in passages)


def _date_key(published: dt.date | None) -> int:
    return published.toordinal() if published else 0


class Retriever:
    """Embeds the query, runs both searches and fuses them."""

    def __init__(self, source: PassageSource, embedder: Embedder, settings: Settings) -> None:
        self.source = source
        self.embedder = embedder
        self.settings = settings
        # Helper threads run the BM25 search while the asking thread embeds the query: both
        # release the GIL (SQLite and NumPy), so on two cores the slower one sets the pace.
        # Started on first use, and again after close(), like the store's connections.
        self._lexical_pool: ThreadPoolExecutor | None = None
        self._pool_lock = threading.Lock()

    def search(
        self, query: str, k: int, where: SearchFilter, latest: bool = False, window: DateWindow | None = None
    ) -> Retrieval:
        """The ``k`` best passages for ``query``, with the stored vectors of their sentences.

        With the question's date ``window``, both searches see only what it allows (nothing after
        its ``as_of``) and the ranking weighs the articles' age and period as the question asks.
        """
        found = self.candidates(query, max(self.settings.candidates, k), where, window)
        ranked = self.rank(found.dense, found.lexical, window, latest)
        scope = found.scope
        if (
            not scope
            and window is not None
            and len(ranked) < len({p.chunk_id for p in found.dense + found.lexical})
        ):
            scope = period_scope(window)  # the period's articles outranked the rest
        if found.dense and found.lexical:
            ranked = self._one_version(ranked)
        passages = tuple(diversify(ranked, k, self.settings.max_per_article))
        sentences = self.source.sentence_vectors([p.chunk_id for p in passages]) if passages else {}
        return Retrieval(query, found.vector, passages, sentences, scope)

    def candidates(
        self, query: str, n: int, where: SearchFilter, window: DateWindow | None = None
    ) -> Candidates:
        """Each search's ``n`` best passages for ``query``, seeing only what the date ``window`` allows.

        A period the question names does not hide the rest of the archive (``rank`` prefers its
        articles). A search whose ``n`` best hold none of the period's articles runs again over
        the period alone, so they are candidates however many others match better; one that holds
        some holds its best already. Only ``as_of`` and the caller's ``where`` hide.
        """
        period: SearchFilter | None = None
        if window is not None:
            if window.kind == "filter" and self._published_within(window):
                period = dated_filter(where, window)
            where = dated_filter(where, replace(window, kind="none"))
            if where.as_of is not None and not self.source.dates_after(where.as_of):
                where = replace(where, as_of=None)  # nothing to hide: both searches run unfiltered
                period = period and replace(period, as_of=None)
        lexical_future = self._pool().submit(self.source.lexical_search, query, n, where)
        vector = self.embedder.embed_query(query)
        dense = self.source.dense_search(vector, n, where)
        lexical = lexical_future.result()
        if period is not None and window is not None:
            if not _any_within(dense, window):
                dense = _merged(dense, self.source.dense_search(vector, n, period))
            if not _any_within(lexical, window):
                lexical = _merged(lexical, self.source.lexical_search(query, n, period))
        return Candidates(vector, dense, lexical, searched_scope(where))

    def rank(
        self,
        dense: Sequence[Passage],
        lexical: Sequence[Passage],
        window: DateWindow | None = None,
        latest: bool = False,
    ) -> list[Passage]:
        """Both searches' passages in one ranking, weighed by the articles' age as ``window`` asks."""
        s = self.settings
        if s.fusion == "scores":
            ranked = fuse_scores(dense, lexical, s.lexical_weight)
        else:
            ranked = fuse(dense, lexical, s.rrf_k, s.lexical_weight)
        if window is not None:
            ranked = weigh_by_date(
                ranked, window, s.recency_half_life_days, s.recency_weight, s.past_recency_weight
            )
            ranked = prefer_period(ranked, window)
            latest = latest or window.latest
        return prefer_recent(ranked, latest)

    def close(self) -> None:
        """Let the helper threads go once their searches finish; the next search starts new ones."""
        with self._pool_lock:
            pool, self._lexical_pool = self._lexical_pool, None
        if pool is not None:
            pool.shutdown(wait=True)

    def _published_within(self, window: DateWindow) -> bool:
        """True when some stored article is dated inside the window's publication period."""
        start, end = publication_period(window)
        before = start - dt.timedelta(days=1) if start > dt.date.min else start
        return any(day <= end for day in self.source.dates_after(before))

    def _pool(self) -> ThreadPoolExecutor:
        with self._pool_lock:
            if self._lexical_pool is None:
                self._lexical_pool = ThreadPoolExecutor(max_workers=2, thread_name_prefix=LEXICAL_THREADS)
            return self._lexical_pool

    def _one_version(self, ranked: list[Passage]) -> list[Passage]:
        """Drop passages that are no longer stored.

        The two searches read the store at different moments, so an article updated (or a
        replica's cache refreshed) in between can show up as old chunks from one search and
        new ones from the other. One read after both keeps only the current version's chunks,
        so an answer never quotes two versions of one article.
        """
        live = self.source.visible([p.chunk_id for p in ranked])
        return [p for p in ranked if p.chunk_id in live]
