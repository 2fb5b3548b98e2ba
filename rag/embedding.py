"""What the pipeline asks of an embedding model, the model-free hash embedding, and the factory.

The real model is ``rag.sentence_embedder.SentenceTransformerEmbedder`` (the bundled MiniLM,
loaded offline on first use); ``HashEmbedder`` needs no model, for tests and dry runs.
"""

from __future__ import annotations

import hashlib
import re
from typing import Protocol

import numpy as np

from rag.settings import Settings

Vectors = np.ndarray
# Character spans, in a text's own offsets, whose vectors are wanted besides the whole text's.
Spans = list[tuple[int, int]]


class Embedder(Protocol):
    """What the pipeline needs from an embedding model."""

    name: str
    max_tokens: int

    def count_tokens(self, text: str) -> int:
        """Model tokens in ``text``, without the special tokens."""
        ...

    def embed_documents(self, texts: list[str]) -> Vectors:
        """Unit-length vectors, one row per text."""
        ...

    def embed_query(self, text: str) -> Vectors:
        """One unit-length vector for a question."""
        ...


class SpanEmbedder(Embedder, Protocol):
    """An embedder that also returns vectors of spans inside each text, from the same pass."""

    def embed_chunks(self, texts: list[str], spans: list[Spans]) -> tuple[Vectors, list[Vectors]]:
        """Unit vectors of the texts, and per text one unit row per span (zeros where a span was cut off)."""
        ...


def embed_with_spans(
    embedder: Embedder, texts: list[str], spans: list[Spans]
) -> tuple[Vectors, list[Vectors] | None]:
    """Text vectors, plus span vectors when the embedder can give them for free (else ``None``)."""
    embed_chunks = getattr(embedder, "embed_chunks", None)
    if embed_chunks is None:
        return embedder.embed_documents(texts), None
    vectors, span_vectors = embed_chunks(texts, spans)
    return vectors, span_vectors


class HashEmbedder:
    """Deterministic bag-of-words vectors from hashed tokens: no model, for tests and dry runs."""

    def __init__(self, dimension: int = 256, max_tokens: int = 256) -> None:
        self.name = f"hash-{dimension}"
        self.dimension = dimension
        self.max_tokens = max_tokens

    def count_tokens(self, text: str) -> int:
        """One token per word or punctuation mark."""
        return len(_TOKEN.findall(text))

    def embed_documents(self, texts: list[str]) -> Vectors:
        """Sum one pseudo-random direction per lower-cased word, then normalise."""
        return self._hash(texts)

    def _hash(self, texts: list[str]) -> Vectors:
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _TOKEN.findall(text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def embed_chunks(self, texts: list[str], spans: list[Spans]) -> tuple[Vectors, list[Vectors]]:
        """Each span embedded on its own (a hash embedding has no context to pool)."""
        return self.embed_documents(texts), [
            self._hash([text[s:e] for s, e in wanted])
            if wanted
            else np.zeros((0, self.dimension), np.float32)
            for text, wanted in zip(texts, spans, strict=True)
        ]

    def embed_query(self, text: str) -> Vectors:
        """Same as a document."""
        return np.asarray(self.embed_documents([text])[0])


_TOKEN = re.compile(r"\w+|[^\w\s]")


def embedder_from_settings(settings: Settings) -> Embedder:
    """The embedder the settings name."""
    if settings.embedding_backend == "hash":
        return HashEmbedder()
    from rag.sentence_embedder import SentenceTransformerEmbedder  # it imports this module's types

    return SentenceTransformerEmbedder(
        settings.embedding_model, settings.embedding_batch_size, settings.embedding_dtype,
        settings.embedding_batch_tokens, settings.query_runtime, settings.data_dir / "cache",
        settings.embedding_runtime, settings.embedding_threads,
    )  # fmt: skip
