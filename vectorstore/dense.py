"""The dense side: chunk vectors in a Chroma collection, embedded or on a Chroma server.

Chroma is always handed our own vectors; its default embedding function (which would
download a model) is never used. Only ids and a little metadata live here: the text and
the article metadata are in the catalogue.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

import numpy as np

from rag.errors import StoreError, StoreUnavailableError
from rag.types import Chunk, SearchFilter

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

_WRITE_BATCH = 1000


class DenseIndex:
    """Chunk vectors in Chroma, queried by cosine similarity."""

    def __init__(self, collection: str, path: Path | None = None, url: str = "") -> None:
        self.collection_name = collection
        self.path = path
        self.url = url
        self._client: ClientAPI | None = None
        self._collection: Collection | None = None

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

    def ids(self) -> set[str]:
        """Every chunk id stored, for consistency checks."""
        result = self._call(lambda c: c.get(include=[]))
        return set(result["ids"])

    def count(self) -> int:
        """Number of vectors stored."""
        return int(self._call(lambda c: c.count()))

    def search(self, vector: np.ndarray, limit: int, where: SearchFilter) -> list[tuple[str, float]]:
        """Nearest chunk ids with cosine similarity, best first."""
        if self.count() == 0:
            return []
        result = self._call(
            lambda c: c.query(
                query_embeddings=[vector], n_results=limit, where=_where(where), include=["distances"]
            )
        )
        ids = result["ids"][0]
        distances = (result.get("distances") or [[1.0] * len(ids)])[0]
        return [(i, 1.0 - float(d)) for i, d in zip(ids, distances, strict=True)]

    def _call(self, action: Any) -> Any:
        try:
            return action(self._get_collection())
        except StoreError:
            raise
        except Exception as exc:  # Chroma raises many unrelated types; name them for the user.
            self._collection = None
            if self.url and _looks_unreachable(exc):
                raise StoreUnavailableError(
                    f"Chroma server at {self.url} is unavailable ({exc}); it will be retried on the next request."
                ) from exc
            raise StoreError(f"Chroma operation failed: {exc}") from exc

    def _get_collection(self) -> Collection:
        if self._collection is None:
            client = self._get_client()
            self._collection = client.get_or_create_collection(
                self.collection_name,
                configuration={"hnsw": {"space": "cosine", "ef_construction": 200, "ef_search": 200}},
                embedding_function=None,
            )
        return self._collection

    def _get_client(self) -> ClientAPI:
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            if self.url:
                parsed = urlparse(self.url)
                self._client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
            else:
                assert self.path is not None
                self.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.path), settings=chroma_settings)
        return self._client


def _where(where: SearchFilter) -> dict[str, Any] | None:
    clauses: list[dict[str, Any]] = []
    if where.article_ids:
        clauses.append({"article_id": {"$in": list(where.article_ids)}})
    if where.published_from is not None:
        clauses.append({"published": {"$gte": where.published_from.toordinal()}})
    if where.published_to is not None:
        clauses.append({"published": {"$lte": where.published_to.toordinal()}})
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else {"$and": clauses}


def _looks_unreachable(exc: Exception) -> bool:
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in ("connect", "unavailable", "timeout", "refused", "could not"))
