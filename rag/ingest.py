"""The ingest pipeline: load, skip what is unchanged, chunk, embed in batches, store.

Ids are content-independent hashes of an article's identity, so an edited article replaces
its old version; the content hash (which includes the embedding setup) decides whether
anything needs doing at all.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from rag.chunking import embedding_text, split_article
from rag.embedding import Embedder
from rag.errors import InputError
from rag.loaders import load_sources
from rag.settings import Settings
from rag.types import Article, Chunk, Failure, IngestReport
from rag.urls import check_article_url
from vectorstore import ArticleStore

Source = str | Path | Article
# Articles are embedded together until this many chunks are pending: fewer, fuller model calls.
_EMBED_BATCH_CHUNKS = 256
_MAX_ID_CHARS = 128


@dataclass(frozen=True)
class Progress:
    """Where an ingest is: articles read, their characters, failures so far, seconds elapsed."""

    articles: int
    characters: int
    failures: int
    elapsed: float
    current: str


ProgressCallback = Callable[[Progress], None]


def article_id(article: Article) -> str:
    """The article's own id, or a stable hash of its URL, else of its source name and title."""
    if article.id:
        if len(article.id) > _MAX_ID_CHARS or any(ch.isspace() for ch in article.id):
            raise InputError(
                f"Article id {article.id[:40]!r} must be at most {_MAX_ID_CHARS} characters, no spaces."
            )
        return article.id
    if article.url:
        identity = "url\x00" + article.url.strip()
    else:
        identity = "src\x00" + Path(article.source).name + "\x00" + article.title.strip()
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


def content_hash(article: Article, fingerprint: str) -> str:
    """Changes whenever anything stored or embedded for the article would change."""
    parts = [
        fingerprint,
        article.title,
        article.url,
        str(article.published),
        article.text,
        str(article.page_starts),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


@dataclass
class _Pending:
    article: Article
    chunks: list[Chunk]
    digest: str
    existed: bool


class Ingestor:
    """Runs the pipeline against one store with one embedder."""

    def __init__(self, store: ArticleStore, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        self.fingerprint = f"{embedder.name}|{settings.chunk_tokens}|v1"

    def run(self, sources: Iterable[Source], progress: ProgressCallback | None = None) -> IngestReport:
        """Ingest every source; one bad source becomes a failure entry, never an abort."""
        report = IngestReport()
        pending: list[_Pending] = []
        seen: set[str] = set()
        started = time.monotonic()
        loaded = characters = 0
        current = ""
        for item in load_sources(sources, self.settings):
            if isinstance(item, Failure):
                report.failures.append(item)
                current = item.source
            else:
                loaded += 1
                characters += len(item.text)
                current = item.source or item.title
                self._prepare(item, report, pending, seen)
            if sum(len(p.chunks) for p in pending) >= _EMBED_BATCH_CHUNKS:
                self._flush(pending, report)
            if progress is not None:
                elapsed = time.monotonic() - started
                progress(Progress(loaded, characters, len(report.failures), elapsed, current))
        self._flush(pending, report)
        if progress is not None:
            progress(Progress(loaded, characters, len(report.failures), time.monotonic() - started, current))
        return report

    def _prepare(
        self, loaded: Article, report: IngestReport, pending: list[_Pending], seen: set[str]
    ) -> None:
        try:
            checked = replace(loaded, url=check_article_url(loaded.url))
            article = replace(checked, id=article_id(checked))
        except InputError as exc:
            report.failures.append(Failure(loaded.source or loaded.title, str(exc)))
            return
        if not article.text.strip():
            report.failures.append(Failure(article.source or article.title, "The article has no text."))
            return
        digest = content_hash(article, self.fingerprint)
        stored = self.store.content_hash(article.id)
        if stored == digest or article.id in seen:
            report.unchanged.append(article.id)
            return
        seen.add(article.id)
        chunks = split_article(
            article.id, article.title, article.text, self.embedder.count_tokens,
            self.settings.chunk_tokens, self.embedder.max_tokens,
        )  # fmt: skip
        pending.append(_Pending(article, chunks, digest, existed=stored is not None))

    def _flush(self, pending: list[_Pending], report: IngestReport) -> None:
        if not pending:
            return
        texts = [
            embedding_text(p.article.title, c.text, self.embedder.count_tokens)
            for p in pending
            for c in p.chunks
        ]
        vectors = self.embedder.embed_documents(texts)
        offset = 0
        for item in pending:
            n = len(item.chunks)
            self.store.write(item.article, item.chunks, np.asarray(vectors[offset : offset + n]), item.digest)
            offset += n
            (report.updated if item.existed else report.added).append(item.article.id)
            report.chunks_written += n
            report.characters += len(item.article.text)
        pending.clear()
