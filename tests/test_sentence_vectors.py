"""Sentence vectors stored at ingest: answers reuse them instead of running the model per sentence."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import numpy as np
import pytest

from rag import Article, Assistant
from rag.candidates import candidates
from rag.extractive import ExtractiveAnswerer
from rag.sentence_embedder import SentenceTransformerEmbedder
from rag.sentences import split_sentences

ARTICLE = Article(
    title="Harbour bridge reopens",
    text=(
        "The harbour bridge reopened on Monday after eight months of repairs. "
        "Engineers replaced 412 steel cables that had corroded in the salt air. "
        "The repairs cost the city 38 million euros, according to the transport office. "
        "Cyclists will get a separate lane on the eastern side from next spring."
    ),
    url="https://example.com/bridge",
)


def _rows(assistant: Assistant) -> int:
    with sqlite3.connect(assistant.store.catalog.path) as conn:
        return int(conn.execute("SELECT COUNT(*) FROM sentence_vectors").fetchone()[0])


def test_every_sentence_of_every_chunk_gets_a_vector(assistant: Assistant) -> None:
    article_id = assistant.ingest([ARTICLE]).added[0]
    chunk_ids = sorted(assistant.store.rows.chunk_ids(article_id))
    passages = assistant.store.rows.passages(chunk_ids)
    stored = assistant.store.sentence_vectors(chunk_ids)
    wanted = {(article_id, p.start + s) for p in passages.values() for s, _ in split_sentences(p.text)}
    assert set(stored) == wanted and len(wanted) == 4
    norms = [float(np.linalg.norm(v)) for v in stored.values()]
    assert all(abs(n - 1.0) < 1e-2 for n in norms)


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("How many steel cables did engineers replace?", "412 steel cables"),
        ("How much did the repairs cost?", "38 million euros"),
        ("When will cyclists get their own lane?", "separate lane"),
        ("When did the bridge reopen?", "reopened on Monday"),
    ],
)
def test_answers_embed_no_sentence_when_vectors_are_stored(
    assistant: Assistant, question: str, expected: str
) -> None:
    assistant.ingest([ARTICLE])
    answerer = assistant.answerer
    assert isinstance(answerer, ExtractiveAnswerer)
    answerer.vectors.clear()
    answer = assistant.ask(question)
    assert not answer.abstained and expected in answer.citations[0].quote
    assert len(answerer.vectors) == 0  # nothing went through the model at answer time


def test_articles_without_stored_vectors_still_answer(assistant: Assistant) -> None:
    """Archives written before sentence vectors existed (or by another replica) embed at answer time."""
    article_id = assistant.ingest([ARTICLE]).added[0]
    with sqlite3.connect(assistant.store.catalog.path) as conn:
        conn.execute("DELETE FROM sentence_vectors")
    answerer = assistant.answerer
    assert isinstance(answerer, ExtractiveAnswerer)
    answer = assistant.ask("How much did the repairs cost?")
    assert not answer.abstained and "38 million euros" in answer.citations[0].quote
    assert answer.citations[0].article_id == article_id
    assert len(answerer.vectors) > 0


def test_update_and_delete_leave_no_stale_sentence_vectors(assistant: Assistant) -> None:
    article_id = assistant.ingest([ARTICLE]).added[0]
    edited = Article(
        title=ARTICLE.title, url=ARTICLE.url,
        text=ARTICLE.text.replace("412 steel cables", "five hundred cables") + " Tolls stay unchanged.",
    )  # fmt: skip
    assert assistant.ingest([edited]).updated == [article_id]
    chunk_ids = sorted(assistant.store.rows.chunk_ids(article_id))
    stored = assistant.store.sentence_vectors(chunk_ids)
    passages = assistant.store.rows.passages(chunk_ids)
    cands = candidates(list(passages.values()))
    assert {(c.passage.article_id, c.start) for c in cands} <= set(stored)
    assert _rows(assistant) == len(chunk_ids) > 0  # one row per live chunk, none left from the old version
    assistant.delete(article_id)
    assert _rows(assistant) == 0


def test_store_survives_restart_with_vectors(tmp_path: Path, minilm: SentenceTransformerEmbedder) -> None:
    from rag import Settings

    first = Assistant(Settings(data_dir=tmp_path / "d"), embedder=minilm)
    article_id = first.ingest([ARTICLE]).added[0]
    first.close()
    second = Assistant(Settings(data_dir=tmp_path / "d"), embedder=minilm)
    try:
        ids = sorted(second.store.rows.chunk_ids(article_id))
        assert len(second.store.sentence_vectors(ids)) == 4
    finally:
        second.close()
