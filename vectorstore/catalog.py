"""The article catalogue and BM25 index in one SQLite file.

SQLite is the source of truth for what is visible: an article exists once its row and
chunk rows commit, in one transaction, and a dense hit whose chunk id has no row here is
ignored. That makes ingest crash-safe without a two-phase commit across stores.
FTS5's ``bm25()`` ranks the lexical side (or, in long-lived processes, the same ranking held in
memory by ``vectorstore.lexical``, which follows the ``chunk_changes`` log that triggers keep);
WAL mode lets several processes share the file.

``pending_vectors`` is a small intent journal: chunk ids whose vectors may sit in Chroma
without a chunk row (being written, or replaced and not yet deleted), tagged with the
writing process. When that process dies part-way, the next writer deletes them.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Literal

import numpy as np

from rag.errors import StoreError
from rag.types import Article, Chunk, Passage, SearchFilter, StoredArticle
from vectorstore.lexical import REBUILD, Change, MemoryBM25, Row, Source

_SCHEMA = """
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    url TEXT NOT NULL,
    published TEXT,
    source TEXT NOT NULL,
    text TEXT NOT NULL,
    page_starts TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    n_chunks INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS chunks (
    rowid INTEGER PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    article_id TEXT NOT NULL REFERENCES articles(id),
    seq INTEGER NOT NULL,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS chunks_by_article ON chunks(article_id);
CREATE INDEX IF NOT EXISTS articles_by_published ON articles(published);
CREATE VIRTUAL TABLE IF NOT EXISTS chunks_fts USING fts5(text, tokenize = 'porter unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS chunk_changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    chunk_rowid INTEGER NOT NULL,
    added INTEGER NOT NULL
);
CREATE TRIGGER IF NOT EXISTS chunk_added AFTER INSERT ON chunks BEGIN
    INSERT INTO chunk_changes (chunk_rowid, added) VALUES (new.rowid, 1);
END;
CREATE TRIGGER IF NOT EXISTS chunk_removed AFTER DELETE ON chunks BEGIN
    INSERT INTO chunk_changes (chunk_rowid, added) VALUES (old.rowid, 0);
END;
CREATE TRIGGER IF NOT EXISTS chunk_changes_pruned AFTER INSERT ON chunk_changes
WHEN new.seq % 1000 = 0 BEGIN
    DELETE FROM chunk_changes WHERE seq <= new.seq - 200000;
END;
CREATE TABLE IF NOT EXISTS sentence_vectors (
    chunk_id TEXT PRIMARY KEY,
    starts BLOB NOT NULL,
    vectors BLOB NOT NULL
);
CREATE TABLE IF NOT EXISTS pending_vectors (
    chunk_id TEXT PRIMARY KEY,
    owner INTEGER NOT NULL
);
"""

_STOPWORDS = frozenset(
    """
    a an and are as at be been but by can could did do does for from had has have how i if in into
    is it its of on or our she he so than that the their them then there these they this those to
    too was we were what when where which who whom whose why will with would you your about after
    also any many much more most some such
    """.split()
)
_WORD = re.compile(r"\w+", re.UNICODE)
_TOKENIZE = "porter unicode61 remove_diacritics 2"  # as in chunks_fts above

# Per chunk id: the article offsets where its sentences start, and one unit vector per sentence.
ChunkSentences = Mapping[str, tuple[Sequence[int], np.ndarray]]

# An article version as another process stored it: article, chunks, content hash, added_at, updated_at.
StoredVersion = tuple[Article, Sequence[Chunk], str, str, str]

# Full-text rows with what filters need; LEFT JOINs keep rows without a chunk, as FTS5 counts them.
_ROWS = """SELECT f.rowid, f.text, c.article_id, a.published FROM chunks_fts f
    LEFT JOIN chunks c ON c.rowid = f.rowid LEFT JOIN articles a ON a.id = c.article_id"""
# Seconds between attempts to open a catalogue another process is creating at the same moment.
_OPEN_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
# Ids per `IN (...)` query: well under SQLite's bound-parameter limit.
_ID_BATCH = 500
_PASSAGE_COLUMNS = """c.id, c.article_id, a.title, a.url, a.published, c.start, c."end",
    substr(a.text, c.start + 1, c."end" - c.start)"""


# BM25 cost grows with the rows a query word matches: a word in more than this share of the
# chunks (and in more than COMMON_MIN_ROWS of them) adds little to the ranking and is left out.
# At 100k chunks this cut the BM25 search from 23 to 14 ms at p50 and from 107 to 39 ms at p99.
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


class Catalog:
    """Articles, their chunk offsets and the full-text index, in ``catalog.sqlite3``."""

    def __init__(self, path: Path, memory_bm25: bool = False) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None
        # Row counts of the chunk table ("") and of BM25 words, with when they were counted.
        self._counts: dict[str, tuple[int, float]] = {}
        self.memory = (
            MemoryBM25(Source(self._snapshot, self._changes, self._rows), _TOKENIZE) if memory_bm25 else None
        )

    def keyword_index(self) -> Literal["memory", "building", "sqlite"]:
        """Where BM25 ranks now: in memory, in FTS5 while memory builds, or in FTS5 by setting."""
        if self.memory is None:
            return "sqlite"
        return "memory" if self.memory.ready else "building"

    def warm(self) -> None:
        """Start building the in-memory BM25 index now rather than at the first search."""
        if self.memory is not None:
            self.memory.start()

    def close(self) -> None:
        """Close the connection; the next call reopens it."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def content_hash(self, article_id: str) -> str | None:
        """Hash of the stored version of an article, or None when it is not stored."""
        row = self._query("SELECT content_hash FROM articles WHERE id = ?", (article_id,))
        return row[0][0] if row else None

    def chunk_ids(self, article_id: str | None = None) -> set[str]:
        """Ids of the visible chunks, of one article or of all."""
        if article_id is None:
            rows = self._query("SELECT id FROM chunks", ())
        else:
            rows = self._query("SELECT id FROM chunks WHERE article_id = ?", (article_id,))
        return {r[0] for r in rows}

    def replace(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        content_hash: str,
        sentences: ChunkSentences | None = None,
    ) -> set[str]:
        """Make ``article`` and exactly ``chunks`` visible, atomically replacing any old version.

        Returns the old version's chunk ids that are gone now; they stay journalled as
        pending until the caller has deleted their vectors and calls ``settle``.
        """
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        new_ids = {c.id for c in chunks}
        with self._transaction() as conn:
            row = conn.execute("SELECT added_at FROM articles WHERE id = ?", (article.id,)).fetchone()
            old_ids = {
                r[0] for r in conn.execute("SELECT id FROM chunks WHERE article_id = ?", (article.id,))
            }
            self._delete_rows(conn, article.id)
            _insert(conn, article, chunks, content_hash, row[0] if row else now, now, sentences)
            _journal(conn, old_ids - new_ids)
            _unjournal(conn, new_ids)
        return old_ids - new_ids

    def sentence_vectors(self, chunk_ids: Sequence[str]) -> dict[tuple[str, int], np.ndarray]:
        """Stored sentence vectors of visible chunks, keyed by (article id, sentence start offset)."""
        found: dict[tuple[str, int], np.ndarray] = {}
        for batch, marks in _id_batches(chunk_ids):
            rows = self._query(
                "SELECT c.article_id, s.starts, s.vectors FROM sentence_vectors s JOIN chunks c ON c.id = s.chunk_id "
                f"WHERE s.chunk_id IN ({marks})",
                batch,
            )
            for article_id, starts, vectors in rows:
                offsets = np.frombuffer(starts, dtype=np.int32)
                matrix = np.frombuffer(vectors, dtype=np.float16).reshape(len(offsets), -1).astype(np.float32)
                found.update(((str(article_id), int(o)), v) for o, v in zip(offsets, matrix, strict=True))
        return found

    def delete(self, article_id: str) -> set[str]:
        """Remove an article and its chunks; returns the chunk ids removed, journalled as pending."""
        with self._transaction() as conn:
            ids = {r[0] for r in conn.execute("SELECT id FROM chunks WHERE article_id = ?", (article_id,))}
            self._delete_rows(conn, article_id)
            _journal(conn, ids)
        return ids

    def expect(self, chunk_ids: Sequence[str]) -> None:
        """Journal chunk ids whose vectors are about to be written before their rows commit."""
        with self._transaction() as conn:
            _journal(conn, set(chunk_ids))

    def settle(self, chunk_ids: Sequence[str]) -> None:
        """Forget journalled chunk ids once their vectors are gone (or their rows are visible)."""
        with self._transaction() as conn:
            _unjournal(conn, set(chunk_ids))

    def pending(self) -> tuple[set[str], set[str]]:
        """Journalled chunk ids without a row: those of live writers, and those of dead ones."""
        rows = self._query(
            "SELECT chunk_id, owner FROM pending_vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)", ()
        )
        live = {owner for owner in {r[1] for r in rows} if _alive(owner)}
        return {r[0] for r in rows if r[1] in live}, {r[0] for r in rows if r[1] not in live}

    def orphan_chunks(self) -> set[str]:
        """Chunk rows whose article row is missing."""
        rows = self._query("SELECT id FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)", ())
        return {r[0] for r in rows}

    def fts_mismatches(self) -> tuple[set[str], int]:
        """Chunk ids whose full-text row is missing or holds other text, and full-text rows without a chunk."""
        wrong = self._query(
            "SELECT c.id FROM chunks c JOIN articles a ON a.id = c.article_id "
            "LEFT JOIN chunks_fts f ON f.rowid = c.rowid "
            'WHERE f.text IS NULL OR f.text != substr(a.text, c.start + 1, c."end" - c.start)',
            (),
        )
        extra = self._query(
            "SELECT COUNT(*) FROM chunks_fts WHERE rowid NOT IN (SELECT rowid FROM chunks)", ()
        )
        return {r[0] for r in wrong}, int(extra[0][0])

    def duplicates(self) -> list[tuple[str, ...]]:
        """Groups of article ids with identical content (same hash), oldest first in each group."""
        rows = self._query(
            "SELECT content_hash, id FROM articles WHERE content_hash IN "
            "(SELECT content_hash FROM articles GROUP BY content_hash HAVING COUNT(*) > 1) "
            "ORDER BY content_hash, added_at, id",
            (),
        )
        groups: dict[str, list[str]] = {}
        for digest, article_id in rows:
            groups.setdefault(digest, []).append(article_id)
        return [tuple(ids) for ids in groups.values()]

    def stored_chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        """Chunks by id with their text cut from the stored article, in article order."""
        found: list[Chunk] = []
        for batch, marks in _id_batches(chunk_ids):
            found += [
                Chunk(str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4]), str(r[5]))
                for r in self._query(
                    'SELECT c.id, c.article_id, c.seq, c.start, c."end", '
                    'substr(a.text, c.start + 1, c."end" - c.start) FROM chunks c '
                    f"JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})",
                    batch,
                )
            ]
        return sorted(found, key=lambda c: (c.article_id, c.seq))

    def drop_orphan_chunks(self) -> set[str]:
        """Delete chunk rows (and their full-text rows) whose article is gone; returns their ids."""
        orphans = "FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)"
        with self._transaction() as conn:
            ids = {r[0] for r in conn.execute(f"SELECT id {orphans}")}
            conn.execute(f"DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid {orphans})")
            conn.execute(f"DELETE {orphans}")
            conn.execute("DELETE FROM sentence_vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)")
            _journal(conn, ids)
        return ids

    def rebuild_fts(self) -> None:
        """Rewrite the whole full-text index from the chunk rows and article texts."""
        with self._transaction() as conn:
            conn.execute("DELETE FROM chunks_fts")
            conn.execute(
                "INSERT INTO chunks_fts (rowid, text) SELECT c.rowid, "
                'substr(a.text, c.start + 1, c."end" - c.start) FROM chunks c JOIN articles a ON a.id = c.article_id'
            )
            # The texts changed under unchanged chunk rows: in-memory indexes must be built again.
            conn.execute(f"INSERT INTO chunk_changes (chunk_rowid, added) VALUES (-1, {REBUILD})")

    def exists(self, article_id: str) -> bool:
        """True when the article is stored."""
        return bool(self._query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def articles(self) -> list[StoredArticle]:
        """Every stored article without its text, newest first."""
        rows = self._query(
            "SELECT id, title, url, published, source, n_chunks, added_at, content_hash, '', '[]' "
            "FROM articles ORDER BY COALESCE(published, '') DESC, added_at DESC, title",
            (),
        )
        return [_stored(r) for r in rows]

    def article(self, article_id: str) -> StoredArticle | None:
        """One stored article with its text, or None."""
        rows = self._query(
            "SELECT id, title, url, published, source, n_chunks, added_at, content_hash, text, page_starts "
            "FROM articles WHERE id = ?",
            (article_id,),
        )
        return _stored(rows[0]) if rows else None

    def page_starts(self, article_ids: Sequence[str]) -> dict[str, tuple[int, ...]]:
        """PDF page offsets of the given articles (empty tuples for other formats)."""
        marks = ",".join("?" * len(article_ids))
        rows = self._query(f"SELECT id, page_starts FROM articles WHERE id IN ({marks})", tuple(article_ids))
        return {str(r[0]): tuple(json.loads(r[1])) for r in rows}

    def empty(self) -> bool:
        """True when no article is stored (one row read: counting took 1.2 ms a question at 100k chunks)."""
        return not self._query("SELECT 1 FROM articles LIMIT 1", ())

    def count(self) -> tuple[int, int]:
        """Numbers of articles and of chunks."""
        rows = self._query("SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM chunks)", ())
        return int(rows[0][0]), int(rows[0][1])

    def passages(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        """Visible chunks by id, as passages with their article's metadata (score 0)."""
        found: dict[str, Passage] = {}
        for batch, marks in _id_batches(chunk_ids):
            sql = f"SELECT {_PASSAGE_COLUMNS} FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})"
            for row in self._query(sql, batch):
                found[row[0]] = _passage(row, 0.0)
        return found

    def visible(self, chunk_ids: Sequence[str]) -> set[str]:
        """The ids among ``chunk_ids`` with a chunk row now; one statement, so one consistent state.

        Up to ``_ID_BATCH`` ids are read at once (more would be split across reads), which covers
        any candidate list the retriever builds.
        """
        found: set[str] = set()
        for batch, marks in _id_batches(chunk_ids):
            rows = self._query(f"SELECT id FROM chunks WHERE id IN ({marks})", batch)
            found.update(str(r[0]) for r in rows)
        return found

    def dates_after(self, day: dt.date) -> list[dt.date]:
        """The publication dates later than ``day`` that stored articles have (what as_of hides)."""
        rows = self._query("SELECT DISTINCT published FROM articles WHERE published > ?", (day.isoformat(),))
        return [dt.date.fromisoformat(str(r[0])) for r in rows]

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
        match = fts_query(question, words)
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
            f"SELECT {_PASSAGE_COLUMNS}, -top.score FROM top JOIN chunks c ON c.rowid = top.rid "
            "JOIN articles a ON a.id = c.article_id ORDER BY top.score"
        )
        rows = self._query(sql, (match, *params, limit))
        return [_passage(r[:8], float(r[8])) for r in rows]

    def _ranked(self, hits: Sequence[tuple[int, float]]) -> list[Passage]:
        """Passages of (chunk rowid, score) hits, in the hits' order; rows gone since are left out."""
        rows: dict[int, tuple[Any, ...]] = {}
        for batch, marks in _id_batches([rowid for rowid, _ in hits]):
            sql = (
                f"SELECT c.rowid, {_PASSAGE_COLUMNS} FROM chunks c JOIN articles a ON a.id = c.article_id "
                f"WHERE c.rowid IN ({marks})"
            )
            rows.update((r[0], r[1:]) for r in self._query(sql, batch))
        return [_passage(rows[rowid], score) for rowid, score in hits if rowid in rows]

    def _snapshot(self) -> tuple[int, Iterator[Sequence[Row]]]:
        """The last logged change and every full-text row, read in one snapshot.

        A connection of its own, so the minutes-long read at millions of chunks never holds
        the lock other queries wait on.
        """
        with self._lock:
            self._connect()  # the schema exists before a second connection reads
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("BEGIN")
            seq = int(conn.execute("SELECT COALESCE(MAX(seq), 0) FROM chunk_changes").fetchone()[0])
            cursor = conn.execute(_ROWS)
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot read the full-text index at {self.path}: {exc}") from exc

        def batches() -> Iterator[Sequence[Row]]:
            try:
                while batch := cursor.fetchmany(5000):  # bounds the Python strings held at once
                    yield [Row(*r) for r in batch]
            finally:
                conn.close()

        return seq, batches()

    def _changes(self, after: int) -> tuple[int, list[Change]]:
        """The last logged change, and the changes logged after ``after``, oldest first."""
        high = int(self._query("SELECT COALESCE(MAX(seq), 0) FROM chunk_changes", ())[0][0])
        if high <= after:
            return high, []
        rows = self._query(
            "SELECT seq, chunk_rowid, added FROM chunk_changes WHERE seq > ? ORDER BY seq", (after,)
        )
        return high, [(int(a), int(b), int(c)) for a, b, c in rows]

    def _rows(self, rowids: Sequence[int]) -> list[Row]:
        found: list[Row] = []
        for batch, marks in _id_batches(rowids):
            found.extend(Row(*r) for r in self._query(f"{_ROWS} WHERE f.rowid IN ({marks})", batch))
        return found

    def _cached_count(self, key: str, sql: str, params: tuple[object, ...]) -> int:
        now = time.monotonic()
        found = self._counts.get(key)
        if found is not None and now - found[1] < COUNT_TTL_SECONDS:
            return found[0]
        value = int(self._query(sql, params)[0][0])
        with self._lock:
            if len(self._counts) > 50_000:
                self._counts.clear()
            self._counts[key] = (value, now)
        return value

    def hashes(self) -> dict[str, str]:
        """Content hash of every stored article, by id: what a replica compares with the server."""
        return {str(r[0]): str(r[1]) for r in self._query("SELECT id, content_hash FROM articles", ())}

    def put_versions(
        self, versions: Sequence[StoredVersion], sentences: ChunkSentences | None = None
    ) -> None:
        """Copy article versions another process stored, with their own timestamps, in one transaction.

        Unlike ``replace`` nothing is journalled: these vectors belong to the writer, not to us.
        """
        with self._transaction() as conn:
            for article, chunks, content_hash, added_at, updated_at in versions:
                self._delete_rows(conn, article.id)
                _insert(conn, article, chunks, content_hash, added_at, updated_at, sentences)

    def drop(self, article_ids: Sequence[str]) -> None:
        """Forget articles another process deleted (their vectors are that process's to delete)."""
        with self._transaction() as conn:
            for article_id in article_ids:
                self._delete_rows(conn, article_id)

    def _delete_rows(self, conn: sqlite3.Connection, article_id: str) -> None:
        conn.execute(
            "DELETE FROM sentence_vectors WHERE chunk_id IN (SELECT id FROM chunks WHERE article_id = ?)",
            (article_id,),
        )
        conn.execute(
            "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE article_id = ?)",
            (article_id,),
        )
        conn.execute("DELETE FROM chunks WHERE article_id = ?", (article_id,))
        conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))

    def _connect(self) -> sqlite3.Connection:
        if self._conn is None:
            for delay in (*_OPEN_RETRY_DELAYS, None):
                try:
                    self._conn = self._open()
                    break
                except sqlite3.OperationalError as exc:
                    # Two processes creating the file at once: switching it to WAL takes an
                    # exclusive lock that SQLite refuses at once rather than waiting for.
                    if delay is None or "locked" not in str(exc):
                        raise StoreError(f"Cannot open the article catalogue at {self.path}: {exc}") from exc
                    time.sleep(delay)
                except (sqlite3.Error, OSError) as exc:
                    raise StoreError(f"Cannot open the article catalogue at {self.path}: {exc}") from exc
        assert self._conn is not None
        return self._conn

    def _open(self) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        return conn

    def _query(self, sql: str, params: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._lock:
            try:
                return list(self._connect().execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise StoreError(f"Article catalogue query failed: {exc}") from exc

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._lock:
            conn = self._connect()
            try:
                conn.execute("BEGIN IMMEDIATE")
                yield conn
                conn.execute("COMMIT")
            except sqlite3.Error as exc:
                conn.execute("ROLLBACK")
                raise StoreError(f"Article catalogue write failed: {exc}") from exc
            except BaseException:
                conn.execute("ROLLBACK")
                raise


def _journal(conn: sqlite3.Connection, chunk_ids: set[str]) -> None:
    conn.executemany(
        "INSERT OR REPLACE INTO pending_vectors VALUES (?, ?)", [(i, os.getpid()) for i in chunk_ids]
    )


def _unjournal(conn: sqlite3.Connection, chunk_ids: set[str]) -> None:
    conn.executemany("DELETE FROM pending_vectors WHERE chunk_id = ?", [(i,) for i in chunk_ids])


def _alive(pid: int) -> bool:
    """Whether a process with this id exists; a reused id errs on the safe side (kept pending)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def _insert(
    conn: sqlite3.Connection, article: Article, chunks: Sequence[Chunk], content_hash: str,
    added_at: str, updated_at: str, sentences: ChunkSentences | None = None,
) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            article.id, article.title, article.url,
            article.published.isoformat() if article.published else None,
            article.source, article.text, json.dumps(list(article.page_starts)),
            content_hash, len(chunks), added_at, updated_at,
        ),
    )  # fmt: skip
    for chunk in chunks:
        cursor = conn.execute(
            'INSERT INTO chunks (id, article_id, seq, start, "end") VALUES (?,?,?,?,?)',
            (chunk.id, chunk.article_id, chunk.seq, chunk.start, chunk.end),
        )
        conn.execute("INSERT INTO chunks_fts (rowid, text) VALUES (?, ?)", (cursor.lastrowid, chunk.text))
        stored = (sentences or {}).get(chunk.id)
        if stored is not None and len(stored[0]):
            # float16 halves the bytes; its rounding moves a cosine by well under 0.001.
            conn.execute(
                "INSERT OR REPLACE INTO sentence_vectors VALUES (?, ?, ?)",
                (
                    chunk.id,
                    np.asarray(stored[0], dtype=np.int32).tobytes(),
                    np.asarray(stored[1], dtype=np.float16).tobytes(),
                ),
            )


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


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def _id_batches(ids: Sequence[Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """``ids`` in slices of at most ``_ID_BATCH``, each with its ``?,?,...`` placeholders for ``IN (...)``."""
    for offset in range(0, len(ids), _ID_BATCH):
        batch = tuple(ids[offset : offset + _ID_BATCH])
        yield batch, ",".join("?" * len(batch))


def _passage(row: Sequence[object], score: float) -> Passage:
    chunk_id, article_id, title, url, published, start, end, text = row
    return Passage(
        article_id=str(article_id), title=str(title), url=str(url), published=_date(published),
        text=str(text), start=int(str(start)), end=int(str(end)), score=score, chunk_id=str(chunk_id),
    )  # fmt: skip


def _stored(row: Sequence[object]) -> StoredArticle:
    id_, title, url, published, source, n_chunks, added_at, content_hash, text, page_starts = row
    return StoredArticle(
        id=str(id_), title=str(title), url=str(url), published=_date(published), source=str(source),
        chunks=int(str(n_chunks)), added_at=dt.datetime.fromisoformat(str(added_at)),
        content_hash=str(content_hash), text=str(text), page_starts=tuple(json.loads(str(page_starts))),
    )  # fmt: skip
