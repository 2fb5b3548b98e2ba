"""A large synthetic news corpus for the scale benchmark, built once and cached.

Embedding 100,000 chunks with MiniLM takes most of an hour on two cores, so the corpus is
made from the SQuAD dev sentences instead: each sentence is embedded once (cached in
``sentences.npz``), and every synthetic chunk is two or three sentences of one SQuAD
article, its vector the normalised sum of its sentences' vectors. Chunks therefore look
and cluster like real ones (same vocabulary, same topics, near-duplicate texts as in a news
archive), which is what search latency depends on; their vectors are an approximation of
what MiniLM would give the joined text, so this corpus measures speed, never quality.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.squad import load_squad
from rag.sentence_embedder import SentenceTransformerEmbedder
from rag.sentences import split_sentences
from rag.settings import Settings
from rag.types import Article, Chunk
from vectorstore import ArticleStore, open_store

CHUNKS_PER_ARTICLE = 20
ARTICLES_PER_WRITE = 50  # one Chroma upsert of 1,000 vectors, one publication day
MIN_SENTENCE_CHARS = 25
FIRST_DAY = dt.date(2020, 1, 1)
# Bumped when the stored index layout changes: v2 stores the sentence vectors next to the chunks.
INDEX_VERSION = "v2"


@dataclass(frozen=True)
class SentenceBank:
    """SQuAD sentences, the article each came from, and their MiniLM vectors."""

    texts: list[str]
    groups: list[list[int]]  # sentence indexes of each SQuAD article
    vectors: np.ndarray


def sentence_bank(cache: Path, model: str) -> SentenceBank:
    """Every SQuAD dev sentence of at least 25 characters, embedded once and cached."""
    texts: list[str] = []
    groups: list[list[int]] = []
    for article in load_squad().articles:
        spans = [(s, e) for s, e in split_sentences(article.text) if e - s >= MIN_SENTENCE_CHARS]
        groups.append(list(range(len(texts), len(texts) + len(spans))))
        texts.extend(article.text[s:e] for s, e in spans)
    path = cache / "sentences.npz"
    digest = hashlib.sha256("\n".join(texts).encode()).hexdigest()
    if path.exists():
        stored = np.load(path)
        if str(stored["digest"]) == digest:
            return SentenceBank(texts, groups, stored["vectors"])
    import torch

    # One thread: on a shared two-core machine torch's second thread spins on the busy core.
    torch.set_num_threads(1)
    vectors = SentenceTransformerEmbedder(model).embed_documents(texts)
    cache.mkdir(parents=True, exist_ok=True)
    np.savez(path, vectors=vectors, digest=np.array(digest))
    return SentenceBank(texts, groups, vectors)


def synthetic_articles(
    bank: SentenceBank, chunks: int, seed: int = 7
) -> Iterator[tuple[Article, list[Chunk], np.ndarray]]:
    """Deterministic articles of 20 chunks each until ``chunks`` chunks exist."""
    rng = np.random.default_rng(seed)
    for n in range(-(-chunks // CHUNKS_PER_ARTICLE)):
        group = bank.groups[int(rng.integers(len(bank.groups)))]
        article_id = f"scale-{n:06d}"
        count = min(CHUNKS_PER_ARTICLE, chunks - n * CHUNKS_PER_ARTICLE)
        picks = [rng.choice(group, size=int(rng.integers(2, 4))) for _ in range(count)]
        pieces = [" ".join(bank.texts[i] for i in pick) for pick in picks]
        text, parts, offset = "", [], 0
        for seq, piece in enumerate(pieces):
            parts.append(
                Chunk(f"{article_id}-{seq:02d}", article_id, seq, offset, offset + len(piece), piece)
            )
            text += piece + "\n\n"
            offset += len(piece) + 2
        sums = np.stack([bank.vectors[pick].sum(0) for pick in picks])
        vectors = sums / np.linalg.norm(sums, axis=1, keepdims=True)
        published = FIRST_DAY + dt.timedelta(days=n // ARTICLES_PER_WRITE)
        title = f"{bank.texts[picks[0][0]][:60]} ({n})"
        yield (
            Article(id=article_id, title=title, text=text.rstrip(), published=published, source="scale"),
            parts,
            vectors,
        )


def build_index(bank: SentenceBank, data_dir: Path, chunks: int) -> Path:
    """An index of ``chunks`` synthetic chunks under ``data_dir`` (reused when already complete)."""
    marker = data_dir / "complete"
    if marker.exists() and marker.read_text() == f"{chunks} {INDEX_VERSION}\n":
        return data_dir
    shutil.rmtree(data_dir, ignore_errors=True)
    store = open_store(Settings(data_dir=data_dir))
    by_text = dict(zip(bank.texts, bank.vectors, strict=True))
    batch: list[tuple[Article, list[Chunk], np.ndarray]] = []
    for item in synthetic_articles(bank, chunks):
        batch.append(item)
        if len(batch) == ARTICLES_PER_WRITE:
            _write(store, batch, by_text)
            batch = []
    if batch:
        _write(store, batch, by_text)
    store.close()
    marker.write_text(f"{chunks} {INDEX_VERSION}\n")
    return data_dir


def _write(
    store: ArticleStore, batch: list[tuple[Article, list[Chunk], np.ndarray]], by_text: dict[str, np.ndarray]
) -> None:
    # One upsert per 50 articles (they share a publication day), then the catalogue rows:
    # the same visibility order as ArticleStore.write, without 50 small Chroma calls.
    chunks = [c for _, parts, _ in batch for c in parts]
    store.dense.upsert(chunks, np.concatenate([v for _, _, v in batch]), batch[0][0].published)
    for article, parts, _ in batch:
        digest = hashlib.sha256(article.text.encode()).hexdigest()
        store.rows.replace(article, parts, digest, _sentences(parts, by_text))


def _sentences(parts: list[Chunk], by_text: dict[str, np.ndarray]) -> dict[str, tuple[list[int], np.ndarray]]:
    """Stored sentence vectors as ingest keeps them: the bank's vector of each sentence found there."""
    found: dict[str, tuple[list[int], np.ndarray]] = {}
    for chunk in parts:
        spans = [(s, e) for s, e in split_sentences(chunk.text) if chunk.text[s:e] in by_text]
        if spans:
            rows = np.stack([by_text[chunk.text[s:e]] for s, e in spans])
            found[chunk.id] = ([chunk.start + s for s, _ in spans], rows)
    return found


def main() -> None:
    """Build the sentence bank and every default index size ahead of a benchmark run."""
    cache = Path(".bench-cache/scale")
    bank = sentence_bank(cache, Settings().embedding_model)
    for size in (1000, 10000, 100000):
        started = time.perf_counter()
        build_index(bank, cache / f"index-{size}", size)
        print(f"{size} chunks: {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
