"""Chunking: whole sentences, exact offsets, and every chunk fits the model window with its title."""

from __future__ import annotations

from pathlib import Path

from rag.chunking import embedding_text, split_article
from rag.cleaning import clean_article_text
from rag.sentence_embedder import SentenceTransformerEmbedder
from rag.sentences import split_sentences


def _words(text: str) -> int:
    return len(text.split())


def test_offsets_point_into_the_text() -> None:
    text = "Alpha one. Beta two.\n\nGamma three. Delta four. Epsilon five."
    chunks = split_article("a1", "T", text, _words, target=4, window=64)
    assert [c.seq for c in chunks] == list(range(len(chunks)))
    for chunk in chunks:
        assert text[chunk.start : chunk.end] == chunk.text
        assert chunk.article_id == "a1"


def test_chunks_respect_sentence_boundaries() -> None:
    text = "Alpha one. Beta two. Gamma three. Delta four. Epsilon five. Zeta six."
    starts = {s for s, _ in split_sentences(text)}
    ends = {e for _, e in split_sentences(text)}
    for chunk in split_article("a", "", text, _words, target=5, window=64):
        assert chunk.start in starts and chunk.end in ends


def test_chunks_cover_every_sentence_once() -> None:
    text = " ".join(f"Sentence number {i} is here." for i in range(50))
    chunks = split_article("a", "", text, _words, target=20, window=64)
    covered = "".join(c.text for c in chunks).replace(" ", "")
    assert covered == text.replace(" ", "")


def test_ids_are_stable_and_distinct() -> None:
    text = "One sentence here. Another sentence there. A third one."
    first = split_article("a", "", text, _words, target=3, window=64)
    second = split_article("a", "", text, _words, target=3, window=64)
    assert [c.id for c in first] == [c.id for c in second]
    assert len({c.id for c in first}) == len(first)


def test_overlong_sentence_is_split_not_truncated(minilm: SentenceTransformerEmbedder) -> None:
    sentence = " ".join(["incomprehensibilities"] * 400) + "."
    title = "A title"
    chunks = split_article("a", title, sentence, minilm.count_tokens, target=96, window=minilm.max_tokens)
    assert len(chunks) > 1
    for chunk in chunks:
        assert (
            minilm.count_tokens(embedding_text(title, chunk.text, minilm.count_tokens)) + 2
            <= minilm.max_tokens
        )
    assert " ".join(c.text for c in chunks) == sentence


def test_seed_chunks_fit_the_window_with_title(seed_path: Path, minilm: SentenceTransformerEmbedder) -> None:
    cleaned = clean_article_text(seed_path.read_text(encoding="utf-8"))
    chunks = split_article("s", cleaned.title, cleaned.text, minilm.count_tokens, 96, minilm.max_tokens)
    assert len(chunks) >= 3
    for chunk in chunks:
        embedded = embedding_text(cleaned.title, chunk.text, minilm.count_tokens)
        assert embedded.startswith(cleaned.title + "\n")
        assert minilm.count_tokens(embedded) + 2 <= minilm.max_tokens


def test_long_title_is_shortened_for_embedding_only(minilm: SentenceTransformerEmbedder) -> None:
    title = " ".join(["headline"] * 100)
    embedded = embedding_text(title, "Body.", minilm.count_tokens)
    assert minilm.count_tokens(embedded.split("\n")[0]) <= 32
    assert embedded.endswith("\nBody.")
