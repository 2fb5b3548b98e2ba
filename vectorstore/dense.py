"""The dense side: chunk vectors in a Chroma collection, embedded or on a Chroma server.

Chroma is always handed our own vectors; its default embedding function (which would
download a model) is never used. Only ids and a little metadata live here: the text and
the article metadata are in the catalogue (and, on a server, in ``vectorstore.records``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.types import Chunk, SearchFilter
from vectorstore.chroma import ChromaConnection, folder_connection

_WRITE_BATCH = 1000


class DenseIndex:
    """Chunk vectors in Chroma, queried by cosine similarity."""

    def __init__(
        self,
        collection: str,
        path: Path | None = None,
        url: str = "",
        connection: ChromaConnection | None = None,
    ) -> None:
        self.collection_name = collection
        self.path = path
        self.url = url
        if connection is None:
            connection = (
                folder_connection(path) if path is not None and not url else ChromaConnection(path, url)
            )
        self.connection = connection

    def close(self) -> None:
        """Release the Chroma client; the next call reopens it."""
        self.connection.close()

    def upsert(self, chunks: Sequence[Chunk], vectors: np.ndarray, published: dt.date | None) -> None:
        """Write vectors for ``chunks``; writing the same ids again is harmless."""
        metadata: dict[str, str | int] = {}
        for start in range(0, len(chunks), _WRITE_BATCH):
            batch = chunks[start : start + _WRITE_BATCH]
            metas: list[dict[str, str | int]] = []
            for chunk in batch:
                metadata = {"article_id": chunk.article_id}
                if published is not None:
                    metadata["published"] = published.toordinal()
                metas.append(metadata)
            self._call(
                lambda c, b=batch, m=metas, s=start: c.upsert(
                    ids=[x.id for x in b],
                    embeddings=vectors[s : s + len(b)],
                    metadatas=m,  # type: ignore[arg-type]
                )
            )

    def delete(self, ids: Sequence[str]) -> None:
        """Remove vectors by chunk id (unknown ids are ignored)."""
        for start in range(0, len(ids), _WRITE_BATCH):
            batch = list(ids[start : start + _WRITE_BATCH])
            self._call(lambda c, b=batch: c.delete(ids=b))

    def vectors(self, ids: Sequence[str]) -> dict[str, np.ndarray]:
        """The stored vectors of ``ids`` (missing ids are left out), read directly, not searched."""
        result = self._read(lambda c: c.get(ids=list(ids), include=["embeddings"]))
        embeddings = result.get("embeddings")
        if embeddings is None:
            return {}
        return {i: np.asarray(v, dtype=np.float32) for i, v in zip(result["ids"], embeddings, strict=True)}

    def ids(self) -> set[str]:
        """Every chunk id stored, for consistency checks."""
        result = self._read(lambda c: c.get(include=[]))
        return set(result["ids"])

    def count(self) -> int:
        """Number of vectors stored."""
        return int(self._read(lambda c: c.count()))

    def search(
        self, vector: np.ndarray, limit: int, where: SearchFilter, hidden: Sequence[dt.date] = ()
    ) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first, leaving out chunks dated ``hidden``.

        ``hidden`` carries an as_of filter: Chroma cannot ask for "no date or not after X", but it
        keeps chunks without the key under ``$nin``, so the store lists the later dates it holds.
        No ``count()`` first: Chroma 1.x answers an empty collection with no hits, and counting a
        large collection costs more than the search itself (docs/scaling.md).
        """
        result = self._read(
            lambda c: c.query(
                query_embeddings=[vector], n_results=limit, where=_where(where, hidden), include=["distances"]
            )
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[1.0] * len(ids)])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def _call(self, action: Any) -> Any:
        return self.connection.call(self.collection_name, "cosine", action)

    def _read(self, action: Any) -> Any:
        return self.connection.read(self.collection_name, "cosine", action)


def _where(where: SearchFilter, hidden: Sequence[dt.date] = ()) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if hidden:  # as_of: chunks without a date lack the key, and $nin keeps those
        clauses.append({"published": {"$nin": [day.toordinal() for day in hidden]}})
    if where.article_ids:
        clauses.append({"article_id": {"$in": list(where.article_ids)}})
    if where.published_from is not None:
        clauses.append({"published": {"$gte": where.published_from.toordinal()}})
    if where.published_to is not None:
        clauses.append({"published": {"$lte": where.published_to.toordinal()}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}
