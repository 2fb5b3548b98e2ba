"""Server mode: many app replicas share one Chroma server, which holds everything.

Each replica's SQLite catalogue is only a cache (``vectorstore.replica_cache``); the server's article
record (``vectorstore.records``) decides what exists. Write order keeps crashes harmless,
as in embedded mode, with the record taking the catalogue's role as the commit point:

1. the new chunk vectors are upserted (invisible: no record names them yet);
2. the article record is upserted: every replica sees the new version from its next sync;
3. this replica's cache takes the new version at once (so it reads its own writes);
4. the old version's vectors that the new one does not reuse are deleted.

A delete writes a tombstone first, then drops the cache rows, then the vectors. A crash
between the steps leaves only vectors that no record names, which searches ignore and
``rag doctor`` removes.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlparse

import numpy as np

from rag.settings import Settings
from rag.types import Article, Chunk
from vectorstore.catalog import CatalogFile
from vectorstore.chroma import ChromaConnection
from vectorstore.dense import DenseIndex
from vectorstore.records import ArticleRecords, new_record
from vectorstore.replica_cache import ReplicaCache
from vectorstore.rows import ChunkSentences
from vectorstore.store import ArticleStore, Consistency, WriteOutcome, outcome


class ServerArticleStore(ArticleStore):
    """An ``ArticleStore`` whose articles live on a Chroma server, shared by every replica."""

    def __init__(
        self, catalog: CatalogFile, dense: DenseIndex, records: ArticleRecords, sync_interval: float = 1.0,
        memory_bm25: bool = False,
    ) -> None:  # fmt: skip
        super().__init__(catalog, dense, memory_bm25)
        self.records = records
        self.cache = ReplicaCache(self.rows, records, sync_interval)

    @classmethod
    def open(cls, settings: Settings) -> ServerArticleStore:
        """Vectors and article records on ``settings.chroma_url``; a local cache under the data folder."""
        connection = ChromaConnection(url=settings.chroma_url, timeout=settings.chroma_timeout)
        dense = DenseIndex(settings.collection, url=settings.chroma_url, connection=connection)
        records = ArticleRecords(connection, f"{settings.collection}_articles")
        path = cache_path(settings.data_dir, settings.chroma_url, settings.collection)
        memory = settings.lexical_index == "memory"
        return cls(CatalogFile(path), dense, records, settings.sync_interval, memory)

    def refresh(self) -> None:
        """Pull what other replicas wrote, at most once per ``sync_interval``."""
        self.cache.refresh()

    def write(
        self, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray, content_hash: str,
        sentences: ChunkSentences | None = None,
    ) -> WriteOutcome:  # fmt: skip
        """Store a new or changed article so that every replica sees the old or the new version, never a mix."""
        previous = self.records.get([article.id]).get(article.id)
        if previous is not None and previous.content_hash == content_hash:
            return "unchanged"  # another process stored this version since the caller looked
        record = new_record(article, chunks, content_hash, previous.added_at if previous else None)
        self.dense.upsert(chunks, vectors, article.published)
        self.records.put(record)
        # Sentence vectors stay in this replica's cache; other replicas embed sentences when they answer.
        self.rows.put_versions(
            [(article, chunks, content_hash, record.added_at, record.updated_at)], sentences
        )
        stale = {c.id for c in previous.chunks} - {c.id for c in chunks} if previous else set()
        if stale:
            self.dense.delete(sorted(stale))
        return outcome(previous.content_hash if previous else None, content_hash)

    def delete(self, article_id: str) -> bool:
        """Remove an article from the server and this cache; False when the server does not have it."""
        previous = self.records.get([article_id]).get(article_id)
        if previous is None:
            self.rows.drop([article_id])  # deleted elsewhere since our last sync
            return False
        self.records.tombstone(article_id)
        self.rows.drop([article_id])
        self.dense.delete(sorted(c.id for c in previous.chunks))
        return True

    def check(self) -> Consistency:
        """Compare with a cache just brought fully up to date (stale caches would report false faults)."""
        self.cache.refresh(full=True)
        return super().check()


def cache_path(data_dir: Path, url: str, collection: str) -> Path:
    """Where a replica caches one server's collection: never the embedded-mode catalogue file."""
    parsed = urlparse(url)
    server = re.sub(r"[^A-Za-z0-9.-]+", "_", f"{parsed.hostname or 'localhost'}-{parsed.port or ''}")
    return data_dir / "server-cache" / f"{server}-{re.sub(r'[^A-Za-z0-9._-]+', '_', collection)}.sqlite3"
