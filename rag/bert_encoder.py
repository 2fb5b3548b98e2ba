"""A torch-free MiniLM/BERT encoder: questions are embedded by it, and articles run through its layers.

Importing torch and sentence-transformers costs seconds, and torch's thread pool stalls
when the other core is busy. This encoder computes the same mean-pooled, normalised
embedding from the same safetensors weights with nothing heavier than ``tokenizers``,
``numpy`` and ``onnxruntime`` loaded: ``encode`` gives question vectors, ``token_vectors``
the per-token outputs that ``rag.sentence_embedder`` pools into chunk and sentence vectors.

The layers run in onnxruntime on a graph built from the weights (``rag.bert_onnx``), faster
than NumPy at a question's dozen tokens (docs/benchmarks-answer-speed.md). onnxruntime runs
each call on the calling thread only (one intra-op thread, no spinning), so a busy second core
cannot stall it and concurrent requests still use both cores, one each. When onnxruntime or
``onnx`` is missing, or the graph cannot be built, the same layers run in NumPy
(``rag.bert_numpy``, the ``numpy`` runtime).

When the encoder loads its weights it limits NumPy's BLAS to one thread, for the whole
process: on a shared two-core machine a second OpenBLAS thread spins waiting for the busy
core, while at these matrix sizes (a question is 12 x 384) it gains little even when idle.
Setting it once, not per call, avoids racing save/restore between threads.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import numpy as np

from rag import bert_numpy

if TYPE_CHECKING:
    from onnxruntime import InferenceSession
    from tokenizers import Encoding, Tokenizer

EncoderRuntime = Literal["onnxruntime", "numpy"]
log = logging.getLogger(__name__)


class BertEncoder:
    """A sentence-transformers BERT folder run without torch: question vectors, and token vectors for articles."""

    def __init__(
        self, folder: Path, max_tokens: int = 256, runtime: EncoderRuntime = "onnxruntime",
        cache_dir: Path | None = None,
    ) -> None:  # fmt: skip
        self.folder = folder
        self.max_tokens = max_tokens
        # Where the built onnxruntime graph is kept between processes (None: built each time).
        self.cache_dir = cache_dir
        # What actually runs the layers: "numpy" after onnxruntime failed to load.
        self.runtime: EncoderRuntime = runtime
        self._weights: dict[str, np.ndarray] | None = None
        self._session: InferenceSession | None = None
        self._tokenizer: Tokenizer | None = None
        self._lock = threading.Lock()
        config = json.loads((folder / "config.json").read_text())
        self.heads = int(config["num_attention_heads"])
        self.layers = int(config["num_hidden_layers"])
        self.eps = float(config.get("layer_norm_eps", 1e-12))

    @staticmethod
    def supports(folder: Path) -> bool:
        """True for a BERT model with mean pooling in safetensors: the layout this encoder computes.

        Any other model (a different architecture or activation, CLS pooling, weights only in ``.bin``) goes
        through sentence-transformers instead, so a custom ``embedding_model`` still works.
        """
        try:
            config = json.loads((folder / "config.json").read_text())
            modules = json.loads((folder / "modules.json").read_text())
            pooling = json.loads((folder / "1_Pooling" / "config.json").read_text())
        except (OSError, ValueError):
            return False
        kinds = [str(m.get("type", "")).rsplit(".", 1)[-1] for m in modules]
        return (
            config.get("model_type") == "bert"
            # Both runtimes compute BERT's GELU and absolute positions, nothing else.
            and config.get("hidden_act", "gelu") == "gelu"
            and config.get("position_embedding_type", "absolute") == "absolute"
            and (folder / "model.safetensors").is_file()
            and (folder / "tokenizer.json").is_file()
            and kinds == ["Transformer", "Pooling", "Normalize"]
            and bool(pooling.get("pooling_mode_mean_tokens"))
            and not any(
                pooling.get(k)
                for k in (
                    "pooling_mode_cls_token",
                    "pooling_mode_max_tokens",
                    "pooling_mode_mean_sqrt_len_tokens",
                )
            )
        )

    def encode(self, texts: list[str]) -> np.ndarray:
        """Unit vectors (mean-pooled), one row per text, truncated to the model window like sentence-transformers."""
        ids, mask = padded(self._get_tokenizer().encode_batch(texts))
        hidden = self.token_vectors(ids, mask)
        summed = (hidden * mask[..., None]).sum(1)
        pooled = summed / np.maximum(mask.sum(1, keepdims=True), 1.0)
        norms = np.linalg.norm(pooled, axis=1, keepdims=True)
        return np.asarray(pooled / np.maximum(norms, 1e-12), dtype=np.float32)

    def token_vectors(self, ids: np.ndarray, mask: np.ndarray) -> np.ndarray:
        """Last-layer vectors of every token of a padded batch (``mask`` 1.0 on real tokens).

        Ingest pools these itself: one forward pass gives the chunk vector and its sentences'.
        """
        w = self._get_weights()
        x = bert_numpy.embedded(w, ids, self.eps)
        if self._session is not None:
            return np.asarray(self._session.run(None, {"x": x, "mask": mask})[0])
        return bert_numpy.encoder_layers(w, x, mask, self.heads, self.layers, self.eps)

    def uses_onnxruntime(self) -> bool:
        """True when the layers run in onnxruntime (loading them if needed), False on the NumPy fallback."""
        self._get_weights()
        return self._session is not None

    def _get_weights(self) -> dict[str, np.ndarray]:
        with self._lock:
            if self._weights is None:
                from threadpoolctl import threadpool_limits

                threadpool_limits(limits=1, user_api="blas")
                if self.runtime == "onnxruntime":
                    self._session = self._start_session()
                # With a session the layers' weights live in it: only the embedding tables are needed.
                self._weights = self._read_weights(embeddings_only=self._session is not None)
            return self._weights

    def _read_weights(self, embeddings_only: bool) -> dict[str, np.ndarray]:
        from safetensors import safe_open

        with safe_open(str(self.folder / "model.safetensors"), framework="numpy") as f:
            names = [
                k
                for k in f.keys()  # noqa: SIM118 - safe_open is not a mapping
                if not embeddings_only or k.removeprefix("bert.").startswith("embeddings.")
            ]
            return bert_numpy.prepared(
                {k.removeprefix("bert."): f.get_tensor(k).astype(np.float32) for k in names}
            )

    def _start_session(self) -> InferenceSession | None:
        """The layers as an onnxruntime session, or None (and the NumPy layers) when that fails.

        The graph is cached on disk: building it reads and converts every weight and serialises
        43 MB, a visible part of a fresh process's start; reading it back is almost free.
        """
        try:
            import onnxruntime

            options = onnxruntime.SessionOptions()
            options.intra_op_num_threads = 1
            options.inter_op_num_threads = 1
            options.add_session_config_entry("session.intra_op.allow_spinning", "0")
            options.log_severity_level = 3  # errors only: its warnings are about graph internals
            cached = self._cached_graph()
            if cached is not None:
                try:
                    return onnxruntime.InferenceSession(cached, options, providers=["CPUExecutionProvider"])
                except Exception as exc:  # a damaged cache file: build the graph again
                    log.info("rebuilding the cached encoder graph (%s)", exc)
            graph = self._build_graph()
            session = onnxruntime.InferenceSession(graph, options, providers=["CPUExecutionProvider"])
            self._store_graph(graph)
            return session
        except Exception as exc:  # any failure leaves the NumPy path, which always works
            log.warning("onnxruntime BERT encoder unavailable (%s); using the NumPy encoder", exc)
            self.runtime = "numpy"
            return None

    def _build_graph(self) -> bytes:
        from rag.bert_onnx import encoder_graph

        return encoder_graph(self._read_weights(embeddings_only=False), self.heads, self.layers, self.eps)

    def _graph_path(self) -> Path | None:
        """The cache file for this model file and graph format: a changed model gets a new name."""
        if self.cache_dir is None:
            return None
        from rag.bert_onnx import GRAPH_FORMAT

        weights = self.folder / "model.safetensors"
        stat = weights.stat()
        key = f"{GRAPH_FORMAT}|{weights.resolve()}|{stat.st_size}|{stat.st_mtime_ns}"
        return self.cache_dir / f"query-encoder-{hashlib.sha256(key.encode()).hexdigest()[:16]}.onnx"

    def _cached_graph(self) -> bytes | None:
        path = self._graph_path()
        try:
            return path.read_bytes() if path is not None and path.is_file() else None
        except OSError:
            return None

    def _store_graph(self, graph: bytes) -> None:
        """Write the graph for the next process; a read-only or full disk only costs that speed-up."""
        path = self._graph_path()
        if path is None:
            return
        partial = path.with_name(f"{path.name}.{os.getpid()}.{threading.get_ident()}.tmp")
        try:
            for folder in reversed([p for p in path.parents if not p.exists()]):
                folder.mkdir(mode=0o700, exist_ok=True)  # the data folder is its owner's alone
            with os.fdopen(os.open(partial, os.O_CREAT | os.O_WRONLY | os.O_TRUNC, 0o600), "wb") as out:
                out.write(graph)
            os.replace(partial, path)  # readers see the whole file or none
        except OSError as exc:
            log.info("could not cache the encoder graph at %s (%s)", path, exc)
            with contextlib.suppress(OSError):
                partial.unlink(missing_ok=True)

    def _get_tokenizer(self) -> Tokenizer:
        with self._lock:
            if self._tokenizer is None:
                self._tokenizer = window_tokenizer(self.folder, self.max_tokens)
            return self._tokenizer


def padded(encodings: Sequence[Encoding]) -> tuple[np.ndarray, np.ndarray]:
    """Token ids of a batch padded to its longest text, and the mask (1.0 on real tokens)."""
    length = max(len(e.ids) for e in encodings)
    ids = np.zeros((len(encodings), length), dtype=np.int64)
    mask = np.zeros((len(encodings), length), dtype=np.float32)
    for row, enc in enumerate(encodings):
        ids[row, : len(enc.ids)] = enc.ids
        mask[row, : len(enc.ids)] = 1.0
    return ids, mask


def window_tokenizer(folder: Path, max_tokens: int) -> Tokenizer:
    """The model folder's fast tokenizer, truncating like the model (so token i of the output is
    token i here) and never padding."""
    from tokenizers import Tokenizer

    tokenizer = Tokenizer.from_file(str(folder / "tokenizer.json"))
    tokenizer.enable_truncation(max_tokens)
    tokenizer.no_padding()
    return tokenizer
