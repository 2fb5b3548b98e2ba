"""The ingest pipeline: load, skip what is unchanged, chunk, embed in batches, store.

Ids are hashes of an article's identity, its link or its file, so an edited article replaces
its old version (an article handed over as text with neither is known by its title and text);
the content hash (which includes the embedding setup) decides whether anything needs doing at
all, before any chunking or embedding.

Reading and parsing run in a background thread a few inputs ahead (``rag.prefetch``), so
they overlap with embedding while memory stays bounded however many files there are.
"""

from __future__ import annotations

import hashlib
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np

from rag.chunking import embedding_text, split_article
from rag.embedding import Embedder, Spans, embed_with_spans
from rag.errors import InputError
from rag.loaders import NO_SUPPORTED_FILES, iter_folder, load_source
from rag.loaders.article import check_length, source_label
from rag.prefetch import Prefetch
from rag.sentences import split_sentences
from rag.settings import Settings
from rag.textcheck import surrogate_problem
from rag.types import (
    Article,
    Chunk,
    Failure,
    IngestReport,
    Progress,
    ProgressCallback,
    Upload,
    article_id_problem,
)
from rag.uploads import load_upload
from rag.urls import check_article_url
from vectorstore import ArticleStore

Source = str | Path | Article | Upload
Loaded = Article | Failure
# Articles are embedded together until this many chunks are pending: fewer, fuller model
# calls, and a wider span of lengths for the embedder to sort into low-padding batches.
# A longer article is embedded in calls of this many chunks, so memory does not grow with it.
_EMBED_BATCH_CHUNKS = 512
# Inputs (files, URLs, articles) parsed ahead of the embedder; bounds ingest memory.
_PREFETCH_INPUTS = 8


def article_id(article: Article) -> str:
    """The article's own id, or a stable hash of its URL, else of its source name and title."""
    if article.id:
        if problem := article_id_problem(article.id):
            raise InputError(problem)
        return article.id
    if article.url:
        identity = "url\x00" + article.url.strip()
    else:
        identity = "src\x00" + Path(article.source).name + "\x00" + article.title.strip()
    return hashlib.sha256(identity.encode()).hexdigest()[:16]


def known_by_text(article: Article) -> Article:
    """An article handed over as text with neither an id nor a link, named by a hash of its title and
    text: nothing else tells two pastes apart, so two stories under one title are both kept and the
    same story given again is the same article (its date corrected in place)."""
    if article.id or (article.url or "").strip():
        return article
    identity = "text\x00" + article.title.strip() + "\x00" + article.text
    # surrogatepass: text that is no valid Unicode is named here and refused, one by one, by the checks after
    return replace(article, id=hashlib.sha256(identity.encode(errors="surrogatepass")).hexdigest()[:16])


def content_hash(article: Article, fingerprint: str) -> str:
    """Changes whenever anything stored or embedded for the article would change."""
    parts = [
        fingerprint,
        article.title,
        article.url or "",  # as before links were None: unchanged articles keep their hash
        str(article.published),
        article.text,
        str(article.page_starts),
    ]
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def expand_sources(sources: Iterable[Source]) -> list[Source]:
    """Folders replaced by their supported files, so the number of inputs is known up front.

    A folder without supported files stays as it is (``Ingestor.run`` reports it as empty).
    """
    expanded: list[Source] = []
    for source in sources:
        files = (
            list(iter_folder(Path(source)))
            if not isinstance(source, Article | Upload) and _is_folder(source)
            else []
        )
        expanded.extend(files or [source])
    return expanded


def expected_articles(source: Source) -> int:
    """How many articles an input holds, counted before it is loaded: a JSON Lines file's records
    (its non-blank lines), 1 for anything else; the count is corrected once the input is read."""
    if isinstance(source, Article):
        return 1
    name = source.filename if isinstance(source, Upload) else str(source)
    if not name.lower().endswith(".jsonl"):
        return 1
    try:
        content = source.content if isinstance(source, Upload) else Path(source).read_bytes()
    except (OSError, ValueError):  # unreadable: loading it reports why
        return 1
    if not isinstance(content, bytes):
        return 1
    return max(1, sum(1 for line in content.splitlines() if line.strip()))


def _is_folder(source: str | Path) -> bool:
    if isinstance(source, str) and "://" in source:
        return False
    try:
        return Path(source).is_dir()
    except (OSError, ValueError):  # a name too long or with a NUL: loading it reports why
        return False


@dataclass
class _Pending:
    article: Article
    chunks: list[Chunk]
    digest: str
    prefix: str


@dataclass
class _Meter:
    """Counts behind the Progress reports of one run."""

    total: int
    callback: ProgressCallback | None
    started: float = field(default_factory=time.monotonic)
    articles: int = 0
    characters: int = 0
    done: int = 0
    current: str = ""

    def read(self, item: Loaded) -> None:
        if isinstance(item, Article):
            self.articles += 1
            self.characters += len(item.text)
            self.current = item.source or item.title
        else:
            self.current = item.source

    def loaded(self, expected: int, found: int) -> None:
        """An input turned out to hold ``found`` articles where ``expected`` were counted."""
        self.total += found - expected

    def emit(self, failures: int) -> None:
        if self.callback is not None:
            elapsed = time.monotonic() - self.started
            self.callback(
                Progress(
                    self.articles, self.characters, failures, elapsed, self.current, self.done, self.total
                )
            )


class Ingestor:
    """Runs the pipeline against one store with one embedder."""

    def __init__(self, store: ArticleStore, embedder: Embedder, settings: Settings) -> None:
        self.store = store
        self.embedder = embedder
        self.settings = settings
        # The dtype is left out on purpose: bf16 and fp32 vectors of one model agree to a
        # cosine above 0.99, so switching it must not re-embed a whole archive. v2 added the
        # stored sentence vectors: articles ingested before are embedded again once, to get them.
        self.fingerprint = f"{embedder.name}|{settings.chunk_tokens}|v2"

    def run(self, sources: Iterable[Source], progress: ProgressCallback | None = None) -> IngestReport:
        """Ingest every source; one bad source becomes a failure entry, never an abort."""
        self.store.clean_up_after_crashes()
        inputs = expand_sources(sources)
        # A folder still there after expanding holds nothing to read: not a failure, but said.
        empty = [s for s in inputs if not isinstance(s, Article | Upload) and _is_folder(s)]
        inputs = [s for s in inputs if s not in empty]
        expected = [expected_articles(source) for source in inputs]
        meter = _Meter(total=sum(expected), callback=progress)
        report = IngestReport(empty=[Failure(str(folder), NO_SUPPORTED_FILES) for folder in empty])
        pending: list[_Pending] = []
        seen: set[str] = set()
        with Prefetch(self._load(inputs), depth=_PREFETCH_INPUTS) as loaded:
            for index, items in enumerate(loaded):
                meter.loaded(expected[index], len(items))
                for item in items:
                    meter.read(item)
                    waiting = len(pending)
                    if isinstance(item, Failure):
                        report.failures.append(item)
                    else:
                        self._prepare(item, report, pending, seen)
                    meter.done += 1 if len(pending) == waiting else 0  # settled now, or once stored
                    if sum(len(p.chunks) for p in pending) >= _EMBED_BATCH_CHUNKS:
                        meter.done += self._flush(pending, report)
                    meter.emit(len(report.failures))
        meter.done += self._flush(pending, report)
        if inputs:  # with nothing to read there is no progress to report (a bar would draw 0/0)
            meter.emit(len(report.failures))
        return report

    def _load(self, inputs: list[Source]) -> Iterator[list[Loaded]]:
        # One list per input, so the consumer knows when an input is finished.
        for index, source in enumerate(inputs):
            if isinstance(source, Upload):
                yield load_upload(source, index, self.settings)
            elif isinstance(source, Article):
                yield [
                    known_by_text(a) if isinstance(a, Article) else a
                    for a in load_source(source, self.settings)
                ]
            else:
                yield list(load_source(source, self.settings))

    def _prepare(
        self, loaded: Article, report: IngestReport, pending: list[_Pending], seen: set[str]
    ) -> None:
        try:
            _check_text(loaded, self.settings.max_article_chars)
            checked = replace(loaded, url=check_article_url(loaded.url), source=source_label(loaded.source))
            article = replace(checked, id=article_id(checked))
        except InputError as exc:
            report.failures.append(Failure(loaded.source or loaded.title, str(exc)))
            return
        if not article.text.strip():
            report.failures.append(Failure(loaded.source or article.title, "The article has no text."))
            return
        digest = content_hash(article, self.fingerprint)
        stored = self.store.content_hash(article.id)
        if stored == digest or article.id in seen:
            report.unchanged.append(article.id)
            return
        seen.add(article.id)
        count = self.embedder.count_tokens
        chunks = split_article(
            article.id,
            article.title,
            article.text,
            count,
            self.settings.chunk_tokens,
            self.embedder.max_tokens,
        )
        # The title prefix is the same for every chunk of the article: shorten it once.
        prefix = embedding_text(article.title, "", count)
        pending.append(_Pending(article, chunks, digest, prefix=prefix))

    def _flush(self, pending: list[_Pending], report: IngestReport) -> int:
        """Embed and store the pending articles; how many were stored."""
        if not pending:
            return 0
        stored = len(pending)
        texts = [p.prefix + c.text for p in pending for c in p.chunks]
        starts = [[c.start + s for s, _ in split_sentences(c.text)] for p in pending for c in p.chunks]
        spans = [
            [(len(p.prefix) + s, len(p.prefix) + e) for s, e in split_sentences(c.text)]
            for p in pending
            for c in p.chunks
        ]
        vectors, sentence_vectors = _embed_in_batches(self.embedder, texts, spans)
        with self.store.writing():  # one turn of the writer lock per batch, not per article
            offset = 0
            for item in pending:
                n = len(item.chunks)
                sentences = (
                    _kept_sentences(
                        item.chunks, starts[offset : offset + n], sentence_vectors[offset : offset + n]
                    )
                    if sentence_vectors is not None
                    else None
                )
                done = self.store.write(
                    item.article,
                    item.chunks,
                    np.asarray(vectors[offset : offset + n]),
                    item.digest,
                    sentences,
                )
                _tally(report, done, item)
                offset += n
        pending.clear()
        return stored


def _tally(report: IngestReport, done: str, item: _Pending) -> None:
    """Count one write as the store found it: another process may have stored this version meanwhile."""
    {"added": report.added, "updated": report.updated, "unchanged": report.unchanged}[done].append(
        item.article.id
    )
    if done != "unchanged":
        report.chunks_written += len(item.chunks)
        report.characters += len(item.article.text)


def _embed_in_batches(
    embedder: Embedder, texts: list[str], spans: list[Spans]
) -> tuple[np.ndarray, list[np.ndarray] | None]:
    """Embed at most _EMBED_BATCH_CHUNKS texts per call: a long article's token encodings and
    activations are then never all in memory at once, however many chunks it has."""
    vectors: list[np.ndarray] = []
    sentences: list[np.ndarray] | None = []
    for first in range(0, max(len(texts), 1), _EMBED_BATCH_CHUNKS):
        part = slice(first, first + _EMBED_BATCH_CHUNKS)
        rows, span_rows = embed_with_spans(embedder, texts[part], spans[part])
        vectors.append(np.asarray(rows))
        sentences = None if span_rows is None or sentences is None else [*sentences, *span_rows]
    return np.concatenate(vectors), sentences


def _check_text(article: Article, max_chars: int) -> None:
    """InputError for an article whose text is over the limit or whose fields are not valid Unicode
    (the loaders check what they read; this covers Articles handed in directly)."""
    check_length(len(article.text), max_chars)
    fields = {"text": article.text, "title": article.title, "link": article.url or "", "id": article.id}
    for name, value in fields.items():
        if problem := surrogate_problem(value, f"article's {name}"):
            raise InputError(problem)


def _kept_sentences(
    chunks: Sequence[Chunk], starts: Sequence[list[int]], vectors: Sequence[np.ndarray]
) -> dict[str, tuple[list[int], np.ndarray]]:
    """Sentence vectors per chunk id, leaving out sentences the model window cut off (zero rows)."""
    kept: dict[str, tuple[list[int], np.ndarray]] = {}
    for chunk, offsets, rows in zip(chunks, starts, vectors, strict=True):
        present = np.linalg.norm(rows, axis=1) > 0 if len(rows) else np.zeros(0, dtype=bool)
        kept[chunk.id] = ([o for o, keep in zip(offsets, present, strict=True) if keep], rows[present])
    return kept
