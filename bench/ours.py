"""The system under test as the benchmark drives it: assistants over SQuAD articles.

A memoising embedder sits in front of MiniLM so a sentence or a chunk is embedded once per
run: the answerer re-scores the same article sentences for many questions, and the
half-size index re-ingests chunks already embedded. Vectors are the model's own, so the
answers are unchanged; latency is measured separately, without the memo.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import numpy as np

from bench.metrics import Span
from bench.squad import SquadArticle
from rag import Article, Assistant, Passage, Settings
from rag.answerers import extractive_from_settings
from rag.embedding import Embedder, SpanEmbedder, Spans


class MemoEmbedder:
    """An Embedder that remembers each text's vector for the rest of the run."""

    def __init__(self, inner: SpanEmbedder) -> None:
        self.inner = inner
        self.name = inner.name
        self.max_tokens = inner.max_tokens
        self._memo: dict[str, np.ndarray] = {}
        self._queries: dict[str, np.ndarray] = {}
        self._chunks: dict[tuple[str, tuple[tuple[int, int], ...]], tuple[np.ndarray, np.ndarray]] = {}

    def count_tokens(self, text: str) -> int:
        """The inner model's count."""
        return self.inner.count_tokens(text)

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        """Embed the texts not seen before in one batch; look up the rest."""
        if not texts:
            return self.inner.embed_documents([])
        missing = [t for t in dict.fromkeys(texts) if t not in self._memo]
        if missing:
            self._memo.update(zip(missing, self.inner.embed_documents(missing), strict=True))
        return np.stack([self._memo[t] for t in texts])

    def embed_chunks(self, texts: list[str], spans: list[Spans]) -> tuple[np.ndarray, list[np.ndarray]]:
        """Chunk and sentence vectors from one pass of the inner model, remembered per text and spans."""
        keys = [(t, tuple(s)) for t, s in zip(texts, spans, strict=True)]
        missing = [k for k in dict.fromkeys(keys) if k not in self._chunks]
        if missing:
            vectors, rows = self.inner.embed_chunks([k[0] for k in missing], [list(k[1]) for k in missing])
            self._chunks.update(zip(missing, zip(vectors, rows, strict=True), strict=True))
        if not keys:
            return np.zeros((0, 0), dtype=np.float32), []
        return np.stack([self._chunks[k][0] for k in keys]), [self._chunks[k][1] for k in keys]

    def embed_query(self, text: str) -> np.ndarray:
        """The inner query path (float32 whatever the documents' dtype), remembered apart."""
        if text not in self._queries:
            self._queries[text] = np.asarray(self.inner.embed_query(text))
        return self._queries[text]


def build_assistant(data_dir: Path, embedder: Embedder, settings: Settings | None = None) -> Assistant:
    """An Assistant whose extractive answerer is reachable for scoring (the default one, made here)."""
    settings = settings or Settings(data_dir=data_dir)
    # The phases open Chroma before the first ingest (to time ingest alone), and a store whose
    # folder does not exist yet cannot open its writer lock file for that first read.
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    return Assistant(settings, embedder=embedder, answerer=extractive_from_settings(settings, embedder))


def to_articles(articles: Sequence[SquadArticle]) -> list[Article]:
    """SQuAD articles as the library's input type."""
    return [Article(title=a.title, text=a.text, id=a.id, source="squad2-dev") for a in articles]


def to_span(passage: Passage) -> Span:
    """A retrieved Passage as a Span in its article's text."""
    return Span(passage.article_id, passage.start, passage.end, passage.text)
