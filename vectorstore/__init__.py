"""Storage of articles and chunks: Chroma for the vectors, one SQLite file for the rest.

``open_store(settings)`` opens the store the settings name. Its modules, in the order data
flows through them on a write (a search reads the same ones back):

- ``store``: ``ArticleStore``, the one API: writes in a crash-safe order, searches, ``rag doctor``'s check and repair.
- ``journal``: vectors that may sit in Chroma without a chunk row, so a killed writer's are removed.
- ``dense``: chunk vectors in a Chroma collection, searched by cosine (``chroma``: the client, its timeouts and errors;
  ``writer_lock``: processes sharing an embedded folder write in turn and reopen what they missed).
- ``rows``: article, chunk and sentence-vector rows in the catalogue, read back as ``rag.types``.
- ``fulltext``: BM25 keyword search, SQLite FTS5's ``bm25()`` or (once built) the in-memory ranking;
  ``memory_bm25`` builds that and follows the catalogue's change log, ``postings`` holds its arrays.
- ``catalog``: the SQLite file itself: schema, shared connection, transactions (``files``: owner-only modes).
- Server mode (``RAG_CHROMA_URL``): ``server_store`` writes article ``records`` on the Chroma server,
  which every replica's ``replica_cache`` copies into its own catalogue before reading.
"""

from __future__ import annotations

from rag.settings import Settings
from vectorstore.catalog import CatalogFile
from vectorstore.dense import DenseIndex
from vectorstore.server_store import ServerArticleStore
from vectorstore.store import ArticleStore, Consistency


def open_store(settings: Settings) -> ArticleStore:
    """Embedded Chroma and the catalogue under the data folder, or the Chroma server the settings name."""
    if settings.chroma_url:
        return ServerArticleStore.open(settings)
    memory = settings.lexical_index == "memory"
    return ArticleStore(
        CatalogFile(settings.catalog_path), DenseIndex(settings.collection, settings.chroma_path), memory
    )


__all__ = ["ArticleStore", "Consistency", "open_store"]
