"""The dense side: chunk vectors in a Chroma collection, embedded or on a Chroma server.

Chroma is always handed our own vectors; its default embedding function (which would
download a model) is never used. Only ids and a little metadata live here: the text and
the article metadata are in the catalogue (and, on a server, in ``vectorstore.records``).

Chroma's HNSW graph can hold a vector that no search reaches: a process that opens the folder
replays Chroma's log into a new graph on several threads at once, and under CPU load that
sometimes leaves a node without links to it (measured, docs/reliability.md). ``get`` still reads
such a vector. So a search filtered to a few articles ranks their vectors exactly without the
graph, and any other search that comes back with fewer hits than it asked for is checked against
every vector its filter allows: asking about one article never loses that article.
"""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from rag.types import Chunk, SearchFilter
from vectorstore.chroma import ChromaConnection, folder_connection

_WRITE_BATCH = 1000
# A search filtered to articles holding at most this many chunks ranks them all exactly instead of
# searching the graph: at 100,000 vectors 10-20 ms where Chroma's filtered search took 190 ms, and
# still less at 500 chunks (docs/scaling.md).
EXACT_FIRST = 500
# A search that came back short is checked exactly over at most this many allowed vectors (more
# than the longest article's chunks); a larger filter keeps the graph's answer (reading costs ~0.1 ms each).
EXACT_LIMIT = 5000
_log = logging.getLogger(__name__)


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
        if not ids:
            return {}  # Chroma refuses a get with an empty id list
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
        clause = _where(where, hidden)
        if where.article_ids:  # a few articles' chunks: ranking them all is exact, and cheaper
            allowed = self._allowed(clause, EXACT_FIRST)
            if len(allowed) <= EXACT_FIRST:
                return nearest(vector, self.vectors(allowed), limit)
        result = self._read(
            lambda c: c.query(query_embeddings=[vector], n_results=limit, where=clause, include=["distances"])
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[1.0] * len(ids)])[0]
        hits = [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]
        return hits if len(hits) >= limit else self._complete(vector, limit, clause, hits)

    def _complete(
        self, vector: np.ndarray, limit: int, clause: dict[str, Any] | None, hits: list[tuple[str, float]]
    ) -> list[tuple[str, float]]:
        """The exact nearest of every vector ``clause`` allows, when the graph search found fewer.

        One id-only read when nothing is missing (a date window holding few chunks); the stored
        vectors are read only when the graph missed some.
        """
        allowed = self._allowed(clause, EXACT_LIMIT)
        if len(allowed) <= len(hits) or len(allowed) > EXACT_LIMIT:
            return hits
        _log.info(
            "Chroma's search reached %d of %d allowed vectors; ranking them exactly", len(hits), len(allowed)
        )
        return nearest(vector, self.vectors(allowed), limit)

    def _allowed(self, clause: dict[str, Any] | None, most: int) -> list[str]:
        """Ids of the vectors ``clause`` allows, read up to one more than ``most`` (no vectors)."""
        return list(self._read(lambda c: c.get(where=clause, include=[], limit=most + 1))["ids"])

    def _call(self, action: Any) -> Any:
        return self.connection.call(self.collection_name, "cosine", action)

    def _read(self, action: Any) -> Any:
        return self.connection.read(self.collection_name, "cosine", action)


def nearest(vector: np.ndarray, stored: Mapping[str, np.ndarray], limit: int) -> list[tuple[str, float]]:
    """The ``limit`` ids of ``stored`` with the highest cosine similarity to ``vector``, best first."""
    if not stored or limit <= 0:
        return []
    ids = list(stored)
    matrix = np.stack([stored[i] for i in ids]).astype(np.float32)
    matrix /= np.maximum(np.linalg.norm(matrix, axis=1, keepdims=True), 1e-12)
    query = np.asarray(vector, dtype=np.float32)
    similarities = matrix @ (query / max(float(np.linalg.norm(query)), 1e-12))
    order = np.argsort(-similarities, kind="stable")[:limit]
    return [(ids[k], float(similarities[k])) for k in order]


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
