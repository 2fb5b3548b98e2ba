"""ArticleStore: the catalogue and the dense index kept consistent, behind one small API.

Write order makes crashes harmless: vectors are upserted first (invisible until their
chunk rows exist), the catalogue then commits the new version in one transaction, and
only after that are the old version's vectors deleted. Deleting runs the other way round.
The catalogue journals every vector that may outlive a crash without its row
(``vectorstore.journal``), so the next write removes what a killed process left behind;
``check`` and ``repair`` (``rag doctor``) find and fix the rest.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass, field, replace
from typing import Literal

import numpy as np

from rag.types import (
    Article,
    Chunk,
    KeywordIndex,
    Passage,
    SearchFilter,
    StoredArticle,
    StoreStats,
    Surroundings,
)
from vectorstore.catalog import CatalogFile
from vectorstore.dense import DenseIndex
from vectorstore.fulltext import FullTextIndex
from vectorstore.journal import WriteJournal
from vectorstore.rows import ArticleRows, ChunkSentences

# Vectors for one article's chunks, given its title: how ``repair`` re-embeds missing ones.
ChunkEmbedder = Callable[[str, Sequence[Chunk]], np.ndarray]
# What a write did: stored a new article, replaced another version, or found this one stored.
WriteOutcome = Literal["added", "updated", "unchanged"]


def outcome(previous_hash: str | None, content_hash: str) -> WriteOutcome:
    """The outcome of writing ``content_hash`` over the stored version ``previous_hash``."""
    if previous_hash is None:
        return "added"
    return "unchanged" if previous_hash == content_hash else "updated"


@dataclass(frozen=True)
class Consistency:
    """What disagrees between Chroma and the catalogue; empty everywhere means consistent."""

    only_dense: frozenset[str]
    only_lexical: frozenset[str]
    missing_vectors: tuple[str, ...] = ()
    fts_mismatched: frozenset[str] = frozenset()
    fts_orphans: int = 0
    orphan_chunks: frozenset[str] = frozenset()
    duplicates: tuple[tuple[str, ...], ...] = ()
    in_flight: int = field(default=0, compare=False)
    articles: int = field(default=0, compare=False)
    chunks: int = field(default=0, compare=False)
    vectors: int = field(default=0, compare=False)

    @property
    def ok(self) -> bool:
        """True when both indexes hold the same chunks and nothing else is amiss."""
        return not (
            self.only_dense or self.only_lexical or self.fts_mismatched or self.fts_orphans
            or self.orphan_chunks or self.duplicates
        )  # fmt: skip

    def problems(self) -> list[str]:
        """One plain sentence per kind of inconsistency found."""
        found = [
            (len(self.only_dense), "vectors in Chroma that no stored chunk owns (invisible leftovers)"),
            (
                len(self.only_lexical),
                f"chunks without vectors, in {len(self.missing_vectors)} article(s): "
                f"{', '.join(self.missing_vectors[:5])}",
            ),
            (len(self.fts_mismatched), "chunks whose full-text (BM25) row is missing or wrong"),
            (self.fts_orphans, "full-text (BM25) rows without a chunk"),
            (len(self.orphan_chunks), "chunk rows whose article is gone"),
            (
                sum(len(g) - 1 for g in self.duplicates),
                "duplicate copies of articles: " + "; ".join(" = ".join(g) for g in self.duplicates[:5]),
            ),
        ]
        return [f"{n} {what}" for n, what in found if n]


class ArticleStore:
    """Stores articles, their chunks and vectors; searches them densely and lexically."""

    def __init__(self, catalog: CatalogFile, dense: DenseIndex, memory_bm25: bool = False) -> None:
        self.catalog = catalog
        self.rows = ArticleRows(catalog)
        self.fulltext = FullTextIndex(catalog, memory_bm25)
        self.journal = WriteJournal(catalog)
        self.dense = dense

    def refresh(self) -> None:
        """Catch up with what other processes wrote; reads call it first (nothing to do here)."""

    def content_hash(self, article_id: str) -> str | None:
        """Hash of the stored version, to skip unchanged articles before embedding."""
        self.refresh()
        return self.rows.content_hash(article_id)

    def write(
        self, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray, content_hash: str,
        sentences: ChunkSentences | None = None,
    ) -> WriteOutcome:  # fmt: skip
        """Store a new or changed article so that readers see the old or the new version, never a mix.

        ``sentences`` (optional) are the chunks' sentence vectors, kept for the extractive answerer.
        Returns what the write did to the stored articles as they were when it committed: another
        process may have stored the same version since the caller looked.
        """
        self.clean_up_after_crashes()
        self.journal.expect([c.id for c in chunks])
        self.dense.upsert(chunks, vectors, article.published)
        previous, stale = self.rows.replace(article, chunks, content_hash, sentences)
        if stale:
            self.dense.delete(sorted(stale))
            self.journal.settle(sorted(stale))
        return outcome(previous, content_hash)

    def writing(self) -> AbstractContextManager[object]:
        """Hold the embedded store's writer lock across many writes (an ingest batch), so processes
        that follow them reopen once per batch rather than once per article."""
        writers = self.dense.connection.writers
        return writers.held() if writers is not None else nullcontext()

    def delete(self, article_id: str) -> bool:
        """Remove an article everywhere; False when it was not stored."""
        self.refresh()
        if not self.rows.exists(article_id):
            return False
        self.clean_up_after_crashes()
        ids = sorted(self.rows.delete(article_id))
        self.dense.delete(ids)
        self.journal.settle(ids)
        return True

    def articles(self) -> list[StoredArticle]:
        """All stored articles, newest first."""
        self.refresh()
        return self.rows.articles()

    def article(self, article_id: str) -> StoredArticle | None:
        """One stored article with its text."""
        self.refresh()
        return self.rows.article(article_id)

    def page_starts(self, article_ids: Sequence[str]) -> dict[str, tuple[int, ...]]:
        """PDF page offsets of these articles (empty tuples for other formats)."""
        return self.rows.page_starts(article_ids)

    def is_empty(self) -> bool:
        """True when no article is stored (one row read, cheap enough for every question)."""
        self.refresh()
        return self.rows.empty()

    def stats(self) -> StoreStats:
        """Articles, chunks and vectors counted now (reads both indexes), and where BM25 ranks."""
        self.refresh()
        articles, chunks = self.rows.count()
        return StoreStats(articles, chunks, self.dense.count(), self.keyword_index())

    def dates_after(self, day: dt.date) -> list[dt.date]:
        """Publication dates later than ``day`` among the stored articles (one index read)."""
        self.refresh()
        return self.rows.dates_after(day)

    def dense_search(self, vector: np.ndarray, limit: int, where: SearchFilter) -> list[Passage]:
        """Nearest visible chunks, scored by cosine similarity."""
        self.refresh()
        hidden = self.rows.dates_after(where.as_of) if where.as_of is not None else []
        hits = self.dense.search(vector, limit, where, hidden)
        found = self.rows.passages([h[0] for h in hits])
        return [_scored(found[i], s) for i, s in hits if i in found]

    def lexical_search(self, question: str, limit: int, where: SearchFilter) -> list[Passage]:
        """BM25 top chunks."""
        self.refresh()
        return self.fulltext.search(question, limit, where)

    def sentence_vectors(self, chunk_ids: Sequence[str]) -> dict[tuple[str, int], np.ndarray]:
        """Stored sentence vectors of these chunks by (article id, start offset); may be partial or empty."""
        return self.rows.sentence_vectors(chunk_ids)

    def surroundings(self, chunk_ids: Sequence[str]) -> Surroundings:
        """These chunks stretched over the chunks either side of them, with those chunks' stored
        sentence vectors (two catalogue reads, no sync)."""
        return Surroundings(
            self.rows.widened(chunk_ids), self.rows.sentence_vectors(chunk_ids, neighbours=True)
        )

    def visible(self, chunk_ids: Sequence[str]) -> set[str]:
        """Which of these chunks are stored now (one catalogue read, no sync)."""
        return self.rows.visible(chunk_ids)

    def check(self) -> Consistency:
        """Compare both indexes and the catalogue's own tables; vectors of live writers are not faults."""
        # This order never reports a running writer's vectors as unowned: a writer journals ids
        # before upserting them and commits their rows before forgetting them.
        dense = self.dense.ids()
        in_flight, _ = self.journal.pending()
        lexical = self.rows.chunk_ids()
        only_lexical = lexical - dense
        fts_mismatched, fts_orphans = self.fulltext.mismatches()
        return Consistency(
            only_dense=frozenset(dense - lexical - in_flight),
            only_lexical=frozenset(only_lexical),
            missing_vectors=tuple(
                sorted({c.article_id for c in self.rows.stored_chunks(sorted(only_lexical))})
            ),
            fts_mismatched=frozenset(fts_mismatched),
            fts_orphans=fts_orphans,
            orphan_chunks=frozenset(self.rows.orphan_chunks()),
            duplicates=tuple(self.rows.duplicates()),
            in_flight=len(in_flight & dense),
            articles=self.rows.count()[0],
            chunks=len(lexical),
            vectors=len(dense),
        )

    def repair(self, embed: ChunkEmbedder | None = None) -> Consistency:
        """Fix what ``check`` finds and return what it found.

        Rows of deleted articles and their vectors are dropped, the full-text index is
        rebuilt from the chunk rows, vectors nobody owns are deleted, missing vectors are
        re-embedded from the stored text (when ``embed`` is given) and exact duplicate
        copies of an article are deleted, keeping the oldest.
        """
        self.clean_up_after_crashes()
        found = self.check()
        if found.orphan_chunks:
            dropped = sorted(self.rows.drop_orphan_chunks())
            self.dense.delete(dropped)
            self.journal.settle(dropped)
        if found.fts_mismatched or found.fts_orphans or found.orphan_chunks:
            self.fulltext.rebuild()
        for group in found.duplicates:
            for article_id in group[1:]:
                self.delete(article_id)
        after = self.check() if found.orphan_chunks or found.duplicates else found
        if after.only_dense:
            self.dense.delete(sorted(after.only_dense))
            self.journal.settle(sorted(after.only_dense))
        if after.only_lexical and embed is not None:
            self._embed_missing(sorted(after.only_lexical), embed)
        return found

    def _embed_missing(self, chunk_ids: list[str], embed: ChunkEmbedder) -> None:
        by_article: dict[str, list[Chunk]] = {}
        for chunk in self.rows.stored_chunks(chunk_ids):
            by_article.setdefault(chunk.article_id, []).append(chunk)
        for article_id, chunks in by_article.items():
            stored = self.rows.article(article_id)
            if stored is not None:
                self.dense.upsert(chunks, embed(stored.title, chunks), stored.published)

    def clean_up_after_crashes(self) -> None:
        """Delete vectors a killed writer journalled but never committed or never removed.

        Writes and deletes call it first; an ingest calls it at its start too, because a run
        whose articles are all unchanged writes nothing and would otherwise leave them behind.
        """
        _, abandoned = self.journal.pending()
        if abandoned:
            ordered = sorted(abandoned)
            self.dense.delete(ordered)
            self.journal.settle(ordered)

    def warm(self) -> None:
        """Start building what the first search would otherwise wait for (the in-memory BM25 index)."""
        self.fulltext.warm()

    def keyword_index(self) -> KeywordIndex:
        """Where BM25 ranks now (the in-memory index, FTS5 while that builds, or FTS5 by setting)."""
        return self.fulltext.keyword_index()

    def close(self) -> None:
        """Release the catalogue connection and the Chroma client (both reopen on next use)."""
        self.catalog.close()
        self.dense.close()


def _scored(passage: Passage, score: float) -> Passage:
    return replace(passage, score=score, dense_score=score)
