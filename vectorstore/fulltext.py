"""BM25 keyword search over the chunks: SQLite FTS5's ``bm25()``, or the same ranking held in memory.

The FTS5 table ``chunks_fts`` is written with the chunk rows (``vectorstore.rows``). In a
long-lived process the ranking runs on NumPy arrays instead (``vectorstore.memory_bm25``),
built in the background from this table's text and kept in step through the ``chunk_changes``
log that SQLite triggers write; FTS5 answers until that index is ready, for phrases, and
when the ``lexical_index`` setting says ``sqlite``.
"""

from __future__ import annotations

import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from rag.errors import StoreError
from rag.types import KeywordIndex, Passage, SearchFilter
from vectorstore.catalog import TOKENIZE, CatalogFile, id_batches
from vectorstore.memory_bm25 import REBUILD, Change, MemoryBM25, Source
from vectorstore.postings import Row
from vectorstore.rows import PASSAGE_COLUMNS, passage

_STOPWORDS = frozenset(
    """
    a an and are as at be been but by can could did do does for from had has have how i if in into
    is it its of on or our she he so than that the their them then there these they this those to
    too was we were what when where which who whom whose why will with would you your about after
    also any many much more most some such
    """.split()
)
_WORD = re.compile(r"\w+", re.UNICODE)

# Full-text rows with what filters need; LEFT JOINs keep rows without a chunk, as FTS5 counts them.
_ROWS = """SELECT f.rowid, f.text, c.article_id, a.published FROM chunks_fts f
    LEFT JOIN chunks c ON c.rowid = f.rowid LEFT JOIN articles a ON a.id = c.article_id"""

# BM25's cost grows with the rows a query word matches: a word in more than this share of the
# chunks (and in more than COMMON_MIN_ROWS of them) adds little to the ranking and is left out
# (docs/scaling.md has what that saves at 100k chunks).
COMMON_SHARE = 0.05
COMMON_MIN_ROWS = 5000
# Words kept even when all are common, rarest first, so a question never searches for nothing.
MIN_WORDS = 2
# How long a word's row count is trusted: counts move slowly as articles come and go.
COUNT_TTL_SECONDS = 300.0


def content_words(question: str) -> list[str]:
    """The question's distinct content words, lower-cased, in order."""
    words = [w for w in _WORD.findall(question.lower()) if w not in _STOPWORDS and len(w) > 1]
    return list(dict.fromkeys(words))


def fts_query(question: str, words: Sequence[str] | None = None) -> str:
    """An FTS5 OR-query of the question's content words (or of ``words``), each quoted so no syntax leaks in."""
    chosen = content_words(question) if words is None else words
    return " OR ".join(f'"{w}"' for w in chosen)


def selective_words(words: Sequence[str], rows: Mapping[str, int], total: int) -> list[str]:
    """Words worth a BM25 search: those not matching a large share of ``total`` chunks.

    When every word is that common, the ``MIN_WORDS`` rarest are kept instead.
    """
    limit = max(COMMON_SHARE * total, COMMON_MIN_ROWS)
    kept = [w for w in words if rows.get(w, 0) <= limit]
    if kept:
        return kept
    return sorted(words, key=lambda w: rows.get(w, 0))[:MIN_WORDS]


class FullTextIndex:
    """BM25 search of one catalogue's chunks, in memory when ``memory_bm25`` and built, else in FTS5."""

    def __init__(self, catalog: CatalogFile, memory_bm25: bool = False) -> None:
        self.catalog = catalog
        self._lock = threading.Lock()
        # Row counts of the chunk table ("") and of BM25 words, with when they were counted.
        self._counts: dict[str, tuple[int, float]] = {}
        self.memory = (
            MemoryBM25(Source(self._snapshot, self._changes, self._rows), TOKENIZE) if memory_bm25 else None
        )

    def keyword_index(self) -> KeywordIndex:
        """Where BM25 ranks now: in memory, in FTS5 while memory builds, or in FTS5 by setting."""
        if self.memory is None:
            return "sqlite"
        return "memory" if self.memory.ready else "building"

    def warm(self) -> None:
        """Start building the in-memory BM25 index now rather than at the first search."""
        if self.memory is not None:
            self.memory.start()

    def search(self, question: str, limit: int, where: SearchFilter) -> list[Passage]:
        """BM25 top ``limit`` chunks for the question's selective content words; scores are positive."""
        words = content_words(question)
        if not words:
            return []
        if self.memory is not None:
            hits = self.memory.search(words, limit, selective_words, where)
            if hits is not None:
                return self._ranked(hits)
        total = self._cached_count("", "SELECT COUNT(*) FROM chunks", ())
        if total > COMMON_MIN_ROWS:  # below that no word can be common enough to drop
            counts = {
                w: self._cached_count(
                    w, "SELECT COUNT(*) FROM chunks_fts WHERE chunks_fts MATCH ?", (f'"{w}"',)
                )
                for w in words
            }
            words = selective_words(words, counts, total)
        clauses, params = _filter_sql(where)
        # Rank first, join later: a common word matches tens of thousands of chunks, and joining
        # each one to its article (and cutting its text out) before the LIMIT took several times
        # longer than ranking them. Filters need the join, but still only ids and scores go through.
        joins = (
            "JOIN chunks c ON c.rowid = chunks_fts.rowid JOIN articles a ON a.id = c.article_id"
            if clauses
            else ""
        )
        sql = (
            "WITH top AS (SELECT chunks_fts.rowid AS rid, bm25(chunks_fts) AS score FROM chunks_fts "
            f"{joins} WHERE chunks_fts MATCH ? {clauses} ORDER BY score LIMIT ?) "
            f"SELECT {PASSAGE_COLUMNS}, -top.score FROM top JOIN chunks c ON c.rowid = top.rid "
            "JOIN articles a ON a.id = c.article_id ORDER BY top.score"
        )
        rows = self.catalog.query(sql, (fts_query(question, words), *params, limit))
        return [passage(r[:8], float(r[8])) for r in rows]

    def mismatches(self) -> tuple[set[str], int]:
        """Chunk ids whose full-text row is missing or holds other text, and full-text rows without a chunk."""
        wrong = self.catalog.query(
            "SELECT c.id FROM chunks c JOIN articles a ON a.id = c.article_id "
            "LEFT JOIN chunks_fts f ON f.rowid = c.rowid "
            'WHERE f.text IS NULL OR f.text != substr(a.text, c.start + 1, c."end" - c.start)'
        )
        extra = self.catalog.query(
            "SELECT COUNT(*) FROM chunks_fts WHERE rowid NOT IN (SELECT rowid FROM chunks)"
        )
        return {r[0] for r in wrong}, int(extra[0][0])

    def rebuild(self) -> None:
        """Rewrite the whole full-text index from the chunk rows and article texts."""
        with self.catalog.transaction() as conn:
            conn.execute("DELETE FROM chunks_fts")
            conn.execute(
                "INSERT INTO chunks_fts (rowid, text) SELECT c.rowid, "
                'substr(a.text, c.start + 1, c."end" - c.start) FROM chunks c JOIN articles a ON a.id = c.article_id'
            )
            # The texts changed under unchanged chunk rows: in-memory indexes must be built again.
            conn.execute(f"INSERT INTO chunk_changes (chunk_rowid, added) VALUES (-1, {REBUILD})")

    def _ranked(self, hits: Sequence[tuple[int, float]]) -> list[Passage]:
        """Passages of (chunk rowid, score) hits, in the hits' order; rows gone since are left out."""
        rows: dict[int, tuple[Any, ...]] = {}
        for batch, marks in id_batches([rowid for rowid, _ in hits]):
            sql = (
                f"SELECT c.rowid, {PASSAGE_COLUMNS} FROM chunks c JOIN articles a ON a.id = c.article_id "
                f"WHERE c.rowid IN ({marks})"
            )
            rows.update((r[0], r[1:]) for r in self.catalog.query(sql, batch))
        return [passage(rows[rowid], score) for rowid, score in hits if rowid in rows]

    def _snapshot(self) -> tuple[int, Iterator[Sequence[Row]]]:
        """The last logged change and every full-text row, read in one snapshot.

        A connection of its own, so the minutes-long read at millions of chunks never holds
        the lock other queries wait on.
        """
        conn = self.catalog.snapshot()
        try:
            seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM chunk_changes").fetchone()[0])
            cursor = conn.execute(_ROWS)
        except sqlite3.Error as exc:
            conn.close()
            raise StoreError(f"Cannot read the full-text index at {self.catalog.path}: {exc}") from exc

        def batches() -> Iterator[Sequence[Row]]:
            try:
                while batch := cursor.fetchmany(5000):  # bounds the Python strings held at once
                    yield [Row(*r) for r in batch]
            finally:
                conn.close()

        return seq, batches()

    def _changes(self, after: int) -> tuple[int, list[Change]]:
        """The last logged change, and the changes logged after ``after``, oldest first."""
        high = int(self.catalog.query("SELECT COALESCE(MAX(seq), 0) FROM chunk_changes")[0][0])
        if high <= after:
            return high, []
        rows = self.catalog.query(
            "SELECT seq, chunk_rowid, added FROM chunk_changes WHERE seq > ? ORDER BY seq", (after,)
        )
        return high, [(int(a), int(b), int(c)) for a, b, c in rows]

    def _rows(self, rowids: Sequence[int]) -> list[Row]:
        found: list[Row] = []
        for batch, marks in id_batches(rowids):
            found.extend(Row(*r) for r in self.catalog.query(f"{_ROWS} WHERE f.rowid IN ({marks})", batch))
        return found

    def _cached_count(self, key: str, sql: str, params: tuple[object, ...]) -> int:
        now = time.monotonic()
        found = self._counts.get(key)
        if found is not None and now - found[1] < COUNT_TTL_SECONDS:
            return found[0]
        value = int(self.catalog.query(sql, params)[0][0])
        with self._lock:
            if len(self._counts) > 50_000:
                self._counts.clear()
            self._counts[key] = (value, now)
        return value


def _filter_sql(where: SearchFilter) -> tuple[str, list[object]]:
    clauses: list[str] = []
    params: list[object] = []
    if where.article_ids:
        clauses.append(f"AND c.article_id IN ({','.join('?' * len(where.article_ids))})")
        params.extend(where.article_ids)
    if where.published_from is not None:
        clauses.append("AND a.published >= ?")
        params.append(where.published_from.isoformat())
    if where.published_to is not None:
        clauses.append("AND a.published <= ?")
        params.append(where.published_to.isoformat())
    if where.as_of is not None:
        clauses.append("AND (a.published IS NULL OR a.published <= ?)")
        params.append(where.as_of.isoformat())
    return " ".join(clauses), params
