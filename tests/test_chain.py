"""The LangChain chain is the answer path: ask, stream and the retriever run through it, with the real model."""

from __future__ import annotations

import datetime as dt
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableLambda

from rag import Answer, Assistant, EmptyIndexError, InputError, Question, SearchFilter, Settings, StreamEvent
from rag.follow_ups import search_query
from rag.sentence_embedder import SentenceTransformerEmbedder

ROOT = Path(__file__).resolve().parent.parent
QUESTION = "Who issued an arrest warrant for Putin?"
HISTORY = (("Who is Rodion Miroshnik?", "Rodion Miroshnik is Russia's Ambassador-at-Large. [1]"),)


def settled(assistant: Assistant) -> Assistant:
    """The assistant once its in-memory BM25 index answers (FTS5 answers while it builds, with
    scores equal only to 1e-6, so two answers compared exactly must come from the same index)."""
    assistant.warm_up()
    deadline = time.monotonic() + 60
    while assistant.ready().keyword_index != "memory":
        assert time.monotonic() < deadline, "the in-memory BM25 index was never built"
        time.sleep(0.05)
    return assistant


def test_invoking_the_chain_is_asking(seeded: Assistant) -> None:
    assistant = settled(seeded)
    asked = assistant.ask(QUESTION)
    assert not asked.abstained and "International Criminal Court" in asked.text
    assert assistant.chain.invoke(QUESTION) == asked
    assert assistant.chain.invoke(Question(QUESTION)) == asked
    where = SearchFilter(article_ids=(asked.citations[0].article_id,))
    follow_up = assistant.ask("And what did he say?", HISTORY, k=2, where=where)
    assert assistant.chain.invoke(Question("And what did he say?", HISTORY, 2, where)) == follow_up
    assert follow_up.search_query == search_query("And what did he say?", HISTORY) != "And what did he say?"
    assert len(follow_up.passages) == 2


def test_the_chain_is_condense_retrieve_answer(seeded: Assistant) -> None:
    chain = seeded.chain
    assert isinstance(chain, Runnable)
    assert [step.get_name() for step in chain.steps] == ["condense", "retrieve", "answer_extractive"]  # type: ignore[attr-defined]
    request = seeded.prepare.invoke(Question("And what did he say?", HISTORY))
    assert request.search_query == search_query("And what did he say?", HISTORY)
    assert request.passages and request.history == HISTORY


def test_the_answerer_is_given_the_text_around_each_passage(seeded: Assistant) -> None:
    request = seeded.prepare.invoke(Question(QUESTION, k=2))
    assert set(request.surroundings) == {p.chunk_id for p in request.passages}
    for p in request.passages:
        wide, text = request.surroundings[p.chunk_id], seeded.article(p.article_id).text
        assert wide.start <= p.start < p.end <= wide.end and (wide.start, wide.end) != (p.start, p.end)
        assert wide.text == text[wide.start : wide.end] and wide.text.count(p.text) == 1
    # the sentences just outside the passages come with their stored vectors: quoting them costs no embedding
    outside = [
        k for k in request.sentence_vectors if not any(p.start <= k[1] < p.end for p in request.passages)
    ]
    assert outside


def test_streaming_the_chain_gives_text_then_the_answer(seeded: Assistant) -> None:
    assistant = settled(seeded)
    events = list(assistant.chain.stream(QUESTION))
    assert all(isinstance(e, StreamEvent) for e in events)
    *pieces, last = events
    assert pieces and all(e.answer is None and e.delta for e in pieces)
    assert isinstance(last.answer, Answer) and "".join(e.delta for e in pieces) == last.answer.text
    assert list(assistant.stream(QUESTION)) == events


def test_bad_questions_fail_the_chain_as_they_fail_ask(assistant: Assistant, seed_path: Path) -> None:
    with pytest.raises(EmptyIndexError):
        assistant.chain.invoke(QUESTION)
    assistant.ingest([seed_path])
    with pytest.raises(InputError):
        assistant.chain.invoke("   ")
    with pytest.raises(InputError, match="not a dict"):  # not "The question is empty"
        assistant.chain.invoke({"question": QUESTION})  # type: ignore[arg-type]
    with pytest.raises(InputError):
        list(assistant.stream(""))


def test_condensing_is_an_explicit_step_chosen_by_configuration(
    tmp_path: Path, minilm: SentenceTransformerEmbedder, seed_path: Path
) -> None:
    plain = Assistant(Settings(data_dir=tmp_path / "a"), embedder=minilm)
    assert plain.condense is search_query
    own = Assistant(Settings(data_dir=tmp_path / "b"), embedder=minilm, condense=lambda q, h: "ICC warrant")
    assert own.ingest([seed_path]).ok
    answer = own.ask("What about him?", HISTORY)
    assert answer.search_query == "ICC warrant" and answer.question == "What about him?"
    plain.close()
    own.close()


def test_the_archive_is_a_langchain_retriever(seeded: Assistant) -> None:
    retriever = settled(seeded).as_retriever(k=3)
    assert isinstance(retriever, BaseRetriever)
    documents = retriever.invoke(QUESTION)
    passages = seeded.retrieve(QUESTION, k=3)
    assert [d.page_content for d in documents] == [p.text for p in passages]
    first, passage = documents[0], passages[0]
    assert isinstance(first, Document)
    published = passage.published.isoformat() if passage.published else None
    assert first.metadata == {
        "article_id": passage.article_id, "title": passage.title, "url": passage.url, "published": published,
        "start": passage.start, "end": passage.end, "score": passage.score,
    }  # fmt: skip
    assert seeded.article(passage.article_id).text[passage.start : passage.end] == first.page_content
    only = seeded.as_retriever(where=SearchFilter(article_ids=("no-such-article",)))
    assert only.invoke(QUESTION) == []
    assert seeded.as_retriever(k=3, as_of=dt.date(2023, 11, 1)).invoke(QUESTION) == []  # the seed is later
    asked_then = seeded.as_retriever(k=3, as_of=dt.date(2023, 12, 1)).invoke(QUESTION)
    assert [d.page_content for d in asked_then] == [d.page_content for d in documents]
    joined = retriever | RunnableLambda(lambda docs: len(docs))
    assert joined.invoke(QUESTION) == 3


def examples(name: str) -> str:
    """The Python code block of docs/embedding.md marked ``<!-- docs-example: name -->``."""
    text = (ROOT / "docs" / "embedding.md").read_text(encoding="utf-8")
    found = re.search(rf"<!-- docs-example: {name} -->\n```python\n(.*?)```", text, re.DOTALL)
    assert found, f"docs/embedding.md has no {name!r} example"
    return found.group(1)


@pytest.mark.slow
@pytest.mark.parametrize("name", ["chain", "retriever"])
def test_the_documented_examples_run(name: str, tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "PYTHONPATH": str(ROOT)}
    done = subprocess.run(
        [sys.executable, "-c", examples(name)], cwd=tmp_path, env=env, capture_output=True, text=True,
        timeout=300, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "Miroshnik" in done.stdout or "Criminal Court" in done.stdout
