"""Article and chunk rows in the catalogue: what is stored, read back as the project's own types.

A version is written in one transaction: the article row, its chunk rows (with their FTS5
rows and, when given, their sentence vectors), and the journal entries of the vectors it
makes stale. Chunk text is never stored twice: it is cut from the article text by offsets.
"""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from collections.abc import Mapping, Sequence

import numpy as np

from rag.types import Article, Chunk, Passage, StoredArticle
from vectorstore import journal
from vectorstore.catalog import CatalogFile, id_batches

# Per chunk id: the article offsets where its sentences start, and one unit vector per sentence.
ChunkSentences = Mapping[str, tuple[Sequence[int], np.ndarray]]

# An article version as another process stored it: article, chunks, content hash, added_at, updated_at.
StoredVersion = tuple[Article, Sequence[Chunk], str, str, str]

PASSAGE_COLUMNS = """c.id, c.article_id, a.title, a.url, a.published, c.start, c."end",
    substr(a.text, c.start + 1, c."end" - c.start)"""
_ARTICLE_COLUMNS = "id, title, url, published, source, n_chunks, added_at, content_hash"


class ArticleRows:
    """The ``articles``, ``chunks`` and ``sentence_vectors`` tables of one catalogue."""

    def __init__(self, catalog: CatalogFile) -> None:
        self.catalog = catalog

    def content_hash(self, article_id: str) -> str | None:
        """Hash of the stored version of an article, or None when it is not stored."""
        row = self.catalog.query("SELECT content_hash FROM articles WHERE id = ?", (article_id,))
        return row[0][0] if row else None

    def exists(self, article_id: str) -> bool:
        """True when the article is stored."""
        return bool(self.catalog.query("SELECT 1 FROM articles WHERE id = ?", (article_id,)))

    def empty(self) -> bool:
        """True when no article is stored (one row read, where counting costs milliseconds at scale)."""
        return not self.catalog.query("SELECT 1 FROM articles LIMIT 1")

    def count(self) -> tuple[int, int]:
        """Numbers of articles and of chunks."""
        rows = self.catalog.query("SELECT (SELECT COUNT(*) FROM articles), (SELECT COUNT(*) FROM chunks)")
        return int(rows[0][0]), int(rows[0][1])

    def articles(self) -> list[StoredArticle]:
        """Every stored article without its text, newest first."""
        rows = self.catalog.query(
            f"SELECT {_ARTICLE_COLUMNS}, '', '[]' FROM articles "
            "ORDER BY COALESCE(published, '') DESC, added_at DESC, title"
        )
        return [_stored(r) for r in rows]

    def article(self, article_id: str) -> StoredArticle | None:
        """One stored article with its text, or None."""
        rows = self.catalog.query(
            f"SELECT {_ARTICLE_COLUMNS}, text, page_starts FROM articles WHERE id = ?", (article_id,)
        )
        return _stored(rows[0]) if rows else None

    def page_starts(self, article_ids: Sequence[str]) -> dict[str, tuple[int, ...]]:
        """PDF page offsets of the given articles (empty tuples for other formats)."""
        found: dict[str, tuple[int, ...]] = {}
        for batch, marks in id_batches(article_ids):
            rows = self.catalog.query(f"SELECT id, page_starts FROM articles WHERE id IN ({marks})", batch)
            found.update((str(r[0]), tuple(json.loads(r[1]))) for r in rows)
        return found

    def hashes(self) -> dict[str, str]:
        """Content hash of every stored article, by id: what a replica compares with the server."""
        return {str(r[0]): str(r[1]) for r in self.catalog.query("SELECT id, content_hash FROM articles")}

    def chunk_ids(self, article_id: str | None = None) -> set[str]:
        """Ids of the visible chunks, of one article or of all."""
        if article_id is None:
            return {r[0] for r in self.catalog.query("SELECT id FROM chunks")}
        return {r[0] for r in self.catalog.query("SELECT id FROM chunks WHERE article_id = ?", (article_id,))}

    def visible(self, chunk_ids: Sequence[str]) -> set[str]:
        """The ids among ``chunk_ids`` with a chunk row now; one statement, so one consistent state.

        Up to ``catalog.ID_BATCH`` ids are read at once (more would be split across reads), which
        covers any candidate list the retriever builds.
        """
        found: set[str] = set()
        for batch, marks in id_batches(chunk_ids):
            rows = self.catalog.query(f"SELECT id FROM chunks WHERE id IN ({marks})", batch)
            found.update(str(r[0]) for r in rows)
        return found

    def dates_after(self, day: dt.date) -> list[dt.date]:
        """The publication dates later than ``day`` that stored articles have (what as_of hides)."""
        rows = self.catalog.query(
            "SELECT DISTINCT published FROM articles WHERE published > ?", (day.isoformat(),)
        )
        return [dt.date.fromisoformat(str(r[0])) for r in rows]

    def passages(self, chunk_ids: Sequence[str]) -> dict[str, Passage]:
        """Visible chunks by id, as passages with their article's metadata (score 0)."""
        found: dict[str, Passage] = {}
        for batch, marks in id_batches(chunk_ids):
            sql = f"SELECT {PASSAGE_COLUMNS} FROM chunks c JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})"
            for row in self.catalog.query(sql, batch):
                found[row[0]] = passage(row, 0.0)
        return found

    def stored_chunks(self, chunk_ids: Sequence[str]) -> list[Chunk]:
        """Chunks by id with their text cut from the stored article, in article order."""
        found: list[Chunk] = []
        for batch, marks in id_batches(chunk_ids):
            found += [
                Chunk(str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4]), str(r[5]))
                for r in self.catalog.query(
                    'SELECT c.id, c.article_id, c.seq, c.start, c."end", '
                    'substr(a.text, c.start + 1, c."end" - c.start) FROM chunks c '
                    f"JOIN articles a ON a.id = c.article_id WHERE c.id IN ({marks})",
                    batch,
                )
            ]
        return sorted(found, key=lambda c: (c.article_id, c.seq))

    def widened(self, chunk_ids: Sequence[str]) -> dict[str, Chunk]:
        """Visible chunks by id, each stretched over the chunks either side of it in its article:
        whole sentences, cut from the stored text, so the sentences next to a passage can be quoted."""
        found: dict[str, Chunk] = {}
        for batch, marks in id_batches(chunk_ids):
            rows = self.catalog.query(
                'SELECT c.id, c.article_id, c.seq, COALESCE(p.start, c.start), COALESCE(n."end", c."end"), '
                'substr(a.text, COALESCE(p.start, c.start) + 1, COALESCE(n."end", c."end") - COALESCE(p.start, c.start)) '
                "FROM chunks c JOIN articles a ON a.id = c.article_id "
                "LEFT JOIN chunks p ON p.article_id = c.article_id AND p.seq = c.seq - 1 "
                "LEFT JOIN chunks n ON n.article_id = c.article_id AND n.seq = c.seq + 1 "
                f"WHERE c.id IN ({marks})",
                batch,
            )
            found.update(
                (str(r[0]), Chunk(str(r[0]), str(r[1]), int(r[2]), int(r[3]), int(r[4]), str(r[5])))
                for r in rows
            )
        return found

    def sentence_vectors(
        self, chunk_ids: Sequence[str], neighbours: bool = False
    ) -> dict[tuple[str, int], np.ndarray]:
        """Stored sentence vectors of visible chunks (with ``neighbours``, of the chunks either side of
        them instead), keyed by (article id, sentence start offset)."""
        found: dict[tuple[str, int], np.ndarray] = {}
        chunks = (
            "chunks r JOIN chunks c ON c.article_id = r.article_id AND c.seq IN (r.seq - 1, r.seq + 1)"
            if neighbours
            else "chunks c"
        )
        for batch, marks in id_batches(chunk_ids):
            rows = self.catalog.query(
                f"SELECT c.article_id, s.starts, s.vectors FROM {chunks} JOIN sentence_vectors s ON s.chunk_id = c.id "
                f"WHERE {'r' if neighbours else 'c'}.id IN ({marks})",
                batch,
            )
            for article_id, starts, vectors in rows:
                offsets = np.frombuffer(starts, dtype=np.int32)
                matrix = np.frombuffer(vectors, dtype=np.float16).reshape(len(offsets), -1).astype(np.float32)
                found.update(((str(article_id), int(o)), v) for o, v in zip(offsets, matrix, strict=True))
        return found

    def replace(
        self,
        article: Article,
        chunks: Sequence[Chunk],
        content_hash: str,
        sentences: ChunkSentences | None = None,
    ) -> tuple[str | None, set[str]]:
        """Make ``article`` and exactly ``chunks`` visible, atomically replacing any old version.

        Returns the replaced version's content hash (None when the article is new) and its chunk
        ids that are gone now; those stay journalled as pending until the caller has deleted their
        vectors and settles them. When this very version is stored already (another process wrote
        it meanwhile), nothing changes.
        """
        now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
        new_ids = {c.id for c in chunks}
        with self.catalog.transaction() as conn:
            row = conn.execute(
                "SELECT added_at, content_hash FROM articles WHERE id = ?", (article.id,)
            ).fetchone()
            if row is not None and row[1] == content_hash:
                journal.forget(conn, new_ids)
                return content_hash, set()
            old_ids = {
                r[0] for r in conn.execute("SELECT id FROM chunks WHERE article_id = ?", (article.id,))
            }
            _delete_rows(conn, article.id)
            _insert(conn, article, chunks, content_hash, row[0] if row else now, now, sentences)
            journal.record(conn, old_ids - new_ids)
            journal.forget(conn, new_ids)
        return (row[1] if row else None), old_ids - new_ids

    def delete(self, article_id: str) -> set[str]:
        """Remove an article and its chunks; returns the chunk ids removed, journalled as pending."""
        with self.catalog.transaction() as conn:
            ids = {r[0] for r in conn.execute("SELECT id FROM chunks WHERE article_id = ?", (article_id,))}
            _delete_rows(conn, article_id)
            journal.record(conn, ids)
        return ids

    def put_versions(
        self, versions: Sequence[StoredVersion], sentences: ChunkSentences | None = None
    ) -> None:
        """Copy article versions another process stored, with their own timestamps, in one transaction.

        Unlike ``replace`` nothing is journalled: these vectors belong to the writer, not to us.
        """
        with self.catalog.transaction() as conn:
            for article, chunks, content_hash, added_at, updated_at in versions:
                _delete_rows(conn, article.id)
                _insert(conn, article, chunks, content_hash, added_at, updated_at, sentences)

    def drop(self, article_ids: Sequence[str]) -> None:
        """Forget articles another process deleted (their vectors are that process's to delete)."""
        with self.catalog.transaction() as conn:
            for article_id in article_ids:
                _delete_rows(conn, article_id)

    def orphan_chunks(self) -> set[str]:
        """Chunk rows whose article row is missing."""
        rows = self.catalog.query("SELECT id FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)")
        return {r[0] for r in rows}

    def drop_orphan_chunks(self) -> set[str]:
        """Delete chunk rows (and their full-text rows) whose article is gone; returns their ids, journalled."""
        orphans = "FROM chunks WHERE article_id NOT IN (SELECT id FROM articles)"
        with self.catalog.transaction() as conn:
            ids = {r[0] for r in conn.execute(f"SELECT id {orphans}")}
            conn.execute(f"DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid {orphans})")
            conn.execute(f"DELETE {orphans}")
            conn.execute("DELETE FROM sentence_vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)")
            journal.record(conn, ids)
        return ids

    def duplicates(self) -> list[tuple[str, ...]]:
        """Groups of article ids with identical content (same hash), oldest first in each group."""
        rows = self.catalog.query(
            "SELECT content_hash, id FROM articles WHERE content_hash IN "
            "(SELECT content_hash FROM articles GROUP BY content_hash HAVING COUNT(*) > 1) "
            "ORDER BY content_hash, added_at, id"
        )
        groups: dict[str, list[str]] = {}
        for digest, article_id in rows:
            groups.setdefault(digest, []).append(article_id)
        return [tuple(ids) for ids in groups.values()]


def passage(row: Sequence[object], score: float) -> Passage:
    """A passage from the ``PASSAGE_COLUMNS`` of one chunk row."""
    chunk_id, article_id, title, url, published, start, end, text = row
    return Passage(
        article_id=str(article_id), title=str(title), url=_link(url), published=_date(published),
        text=str(text), start=int(str(start)), end=int(str(end)), score=score, chunk_id=str(chunk_id),
    )  # fmt: skip


def _delete_rows(conn: sqlite3.Connection, article_id: str) -> None:
    conn.execute(
        "DELETE FROM sentence_vectors WHERE chunk_id IN (SELECT id FROM chunks WHERE article_id = ?)",
        (article_id,),
    )
    conn.execute(
        "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE article_id = ?)", (article_id,)
    )
    conn.execute("DELETE FROM chunks WHERE article_id = ?", (article_id,))
    conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))


def _insert(
    conn: sqlite3.Connection, article: Article, chunks: Sequence[Chunk], content_hash: str,
    added_at: str, updated_at: str, sentences: ChunkSentences | None = None,
) -> None:  # fmt: skip
    conn.execute(
        "INSERT INTO articles VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        (
            article.id, article.title, article.url or "",  # the catalogue's column is NOT NULL: "" is no link
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


def _link(value: object) -> str | None:
    """The catalogue's url column as the library's types say it: None, not "", for no link."""
    return str(value) if value else None


def _date(value: object) -> dt.date | None:
    return dt.date.fromisoformat(str(value)) if value else None


def _stored(row: Sequence[object]) -> StoredArticle:
    id_, title, url, published, source, n_chunks, added_at, content_hash, text, page_starts = row
    return StoredArticle(
        id=str(id_), title=str(title), url=_link(url), published=_date(published), source=str(source),
        chunks=int(str(n_chunks)), added_at=dt.datetime.fromisoformat(str(added_at)),
        content_hash=str(content_hash), text=str(text), page_starts=tuple(json.loads(str(page_starts))),
    )  # fmt: skip
