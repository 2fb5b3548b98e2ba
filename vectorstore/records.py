"""Whole articles on the Chroma server, so every replica can rebuild its catalogue from there.

In server mode the collection ``<collection>_articles`` holds one record per article: the
text as the document, and as metadata everything else the catalogue keeps (title, url,
dates, content hash, PDF page starts, the chunk spans). Writing that record is the moment
a new version becomes visible to every replica. A deleted article leaves a tombstone, so
replicas learn of deletions from the same "changed since" query that tells them of new
articles. Records need a vector to exist; each gets two numbers derived from its id, which
no query ever uses (never Chroma's default embedding function, which would download a model).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import time
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from rag.types import Article, Chunk
from vectorstore.chroma import ChromaConnection

_FORMAT = 1
# Records fetched per request when a replica pulls articles: bounded request and reply sizes.
_FETCH_BATCH = 100


@dataclass(frozen=True)
class Record:
    """One stored version of an article, as every replica should see it."""

    article: Article
    chunks: tuple[Chunk, ...]
    content_hash: str
    added_at: str
    updated_at: str


@dataclass(frozen=True)
class Header:
    """What a replica compares against its catalogue: which version of which article, or its absence."""

    id: str
    content_hash: str
    deleted: bool


class ArticleRecords:
    """The article records collection on a Chroma server."""

    def __init__(self, connection: ChromaConnection, name: str) -> None:
        self.connection = connection
        self.name = name

    def put(self, record: Record) -> None:
        """Store (or replace) an article's record: the commit point of a write."""
        meta = _metadata(record)
        self._call(
            lambda c: c.upsert(
                ids=[record.article.id],
                embeddings=[_placeholder(record.article.id)],
                documents=[record.article.text],
                metadatas=[meta],  # type: ignore[list-item]
            )
        )

    def tombstone(self, article_id: str) -> None:
        """Mark an article deleted: the commit point of a delete, seen by every replica's next sync."""
        meta = {"deleted": True, "changed": time.time(), "content_hash": "", "format": _FORMAT}
        self._call(
            lambda c: c.upsert(
                ids=[article_id],
                embeddings=[_placeholder(article_id)],
                documents=[""],
                metadatas=[meta],  # type: ignore[list-item]
            )
        )

    def get(self, ids: Sequence[str]) -> dict[str, Record]:
        """Live records by article id (tombstones and unknown ids are left out)."""
        found: dict[str, Record] = {}
        for start in range(0, len(ids), _FETCH_BATCH):
            batch = list(ids[start : start + _FETCH_BATCH])
            result = self._read(lambda c, b=batch: c.get(ids=b, include=["documents", "metadatas"]))
            for rid, text, meta in zip(
                result["ids"], result["documents"] or [], result["metadatas"] or [], strict=True
            ):
                if not meta.get("deleted"):
                    found[rid] = _record(rid, text or "", meta)
        return found

    def headers(self, changed_since: float | None = None) -> list[Header]:
        """Id, hash and deletion mark of every record, or of those changed since a wall-clock time."""
        where = None if changed_since is None else {"changed": {"$gte": changed_since}}
        result = self._read(lambda c: c.get(where=where, include=["metadatas"]))  # type: ignore[arg-type]
        return [
            Header(rid, str(meta.get("content_hash", "")), bool(meta.get("deleted")))
            for rid, meta in zip(result["ids"], result["metadatas"] or [], strict=True)
        ]

    def _call(self, action: Any) -> Any:
        return self.connection.call(self.name, "l2", action)

    def _read(self, action: Any) -> Any:
        return self.connection.read(self.name, "l2", action)


def new_record(article: Article, chunks: Sequence[Chunk], content_hash: str, added_at: str | None) -> Record:
    """A record for a version written now, keeping the first version's ``added_at``."""
    now = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    return Record(article, tuple(chunks), content_hash, added_at or now, now)


def _placeholder(article_id: str) -> list[float]:
    digest = hashlib.sha256(article_id.encode()).digest()
    return [digest[0] / 255.0, digest[1] / 255.0]


def _metadata(record: Record) -> dict[str, str | float | int | bool]:
    a = record.article
    return {
        # Chroma metadata cannot hold None: an article without a link is stored as "".
        "title": a.title, "url": a.url or "", "published": a.published.isoformat() if a.published else "",
        "source": a.source, "content_hash": record.content_hash,
        "page_starts": json.dumps(list(a.page_starts)),
        # Chunk ids are "<article id>:<digest>"; the digest and the offsets are enough to rebuild them.
        "chunks": json.dumps([[c.id.rsplit(":", 1)[1], c.start, c.end] for c in record.chunks]),
        "added_at": record.added_at, "updated_at": record.updated_at,
        "changed": time.time(), "deleted": False, "format": _FORMAT,
    }  # fmt: skip


def _record(article_id: str, text: str, meta: dict[str, Any]) -> Record:
    published = str(meta.get("published") or "")
    article = Article(
        id=article_id, title=str(meta["title"]), text=text, url=str(meta.get("url") or "") or None,
        published=dt.date.fromisoformat(published) if published else None,
        source=str(meta.get("source", "")), page_starts=tuple(json.loads(str(meta.get("page_starts", "[]")))),
    )  # fmt: skip
    chunks = tuple(
        Chunk(f"{article_id}:{digest}", article_id, seq, start, end, text[start:end])
        for seq, (digest, start, end) in enumerate(json.loads(str(meta["chunks"])))
    )
    return Record(article, chunks, str(meta["content_hash"]), str(meta["added_at"]), str(meta["updated_at"]))
