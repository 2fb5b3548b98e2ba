"""The catalogue: one SQLite file with the articles, their chunks, the full-text index and the write journal.

SQLite is the source of truth for what is visible: an article exists once its row and
chunk rows commit, in one transaction, and a dense hit whose chunk id has no row here is
ignored. That makes ingest crash-safe without a two-phase commit across stores. WAL mode
lets several processes share the file.

This module owns the schema, the connection that threads share, and transactions. The
tables are read and written by ``vectorstore.rows`` (articles, chunks, sentence vectors),
``vectorstore.fulltext`` (the FTS5 table and its change log) and ``vectorstore.journal``
(vectors that may sit in Chroma without a chunk row).
"""

from __future__ import annotations

import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rag.errors import StoreError
from vectorstore.files import private_file

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
TOKENIZE = "porter unicode61 remove_diacritics 2"  # as in chunks_fts above

# Seconds between attempts to open a catalogue another process is creating at the same moment.
_OPEN_RETRY_DELAYS = (0.05, 0.1, 0.2, 0.4, 0.8, 1.6)
# Ids per `IN (...)` query: well under SQLite's bound-parameter limit.
ID_BATCH = 500


class CatalogFile:
    """``catalog.sqlite3``: opened on first use, one connection shared by threads under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.RLock()
        self._conn: sqlite3.Connection | None = None

    def close(self) -> None:
        """Close the connection; the next call reopens it."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        """All rows of one statement."""
        with self._lock:
            try:
                return list(self._connect().execute(sql, params).fetchall())
            except sqlite3.Error as exc:
                raise StoreError(f"Article catalogue query failed: {exc}") from exc

    @contextmanager
    def transaction(self) -> Iterator[sqlite3.Connection]:
        """The connection inside ``BEGIN IMMEDIATE``, committed on leaving, rolled back on any error."""
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

    def snapshot(self) -> sqlite3.Connection:
        """A connection of its own inside a read transaction, for reads too long to hold the shared lock."""
        with self._lock:
            self._connect()  # the schema exists before a second connection reads
        try:
            conn = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            conn.execute("BEGIN")
        except sqlite3.Error as exc:
            raise StoreError(f"Cannot read the article catalogue at {self.path}: {exc}") from exc
        return conn

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
        private_file(self.path)
        conn = sqlite3.connect(self.path, timeout=30, check_same_thread=False, isolation_level=None)
        try:
            conn.execute("PRAGMA journal_mode=WAL")
            conn.execute("PRAGMA synchronous=NORMAL")
            conn.executescript(_SCHEMA)
        except BaseException:
            conn.close()
            raise
        return conn


def id_batches(ids: Sequence[Any]) -> Iterator[tuple[tuple[Any, ...], str]]:
    """``ids`` in slices of at most ``ID_BATCH``, each with its ``?,?,...`` placeholders for ``IN (...)``."""
    for offset in range(0, len(ids), ID_BATCH):
        batch = tuple(ids[offset : offset + ID_BATCH])
        yield batch, ",".join("?" * len(batch))
