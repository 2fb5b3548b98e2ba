"""One retrieval never mixes two versions of an article, even when a write lands mid-search.

The BM25 and vector searches read the store at different moments. Here a real update is
written exactly between them (the BM25 search runs first and then writes; the vector search
waits for it), the order that made a server-mode replica once return both the old and the
new chunk of an updated article.
"""

from __future__ import annotations

import threading

import numpy as np

from rag import Article, Assistant
from rag.retrieval import LEXICAL_THREADS
from rag.types import Passage, SearchFilter

OLD = Article(
    id="harbour",
    title="Westport harbour reopens",
    text="The harbour of Westport reopened on Monday after a storm closed it for a week. "
    "Mayor Ines Halvorsen said the repairs to the northern pier cost 2 million euros.",
)
NEW = Article(id="harbour", title=OLD.title, text=OLD.text.replace("Halvorsen", "Lindqvist"))


def test_an_update_between_the_two_searches_leaves_only_the_new_version(hash_assistant: Assistant) -> None:
    hash_assistant.ingest([OLD])
    store = hash_assistant.store
    lexical, dense = store.lexical_search, store.dense_search
    written = threading.Event()
    seen: dict[str, list[Passage]] = {}

    def lexical_then_update(question: str, limit: int, where: SearchFilter) -> list[Passage]:
        seen["lexical"] = lexical(question, limit, where)
        hash_assistant.ingest([NEW])
        written.set()
        return seen["lexical"]

    def dense_after_update(vector: np.ndarray, limit: int, where: SearchFilter) -> list[Passage]:
        assert written.wait(30)
        seen["dense"] = dense(vector, limit, where)
        return seen["dense"]

    store.lexical_search = lexical_then_update  # type: ignore[method-assign]
    store.dense_search = dense_after_update  # type: ignore[method-assign]
    found = hash_assistant.retrieve("Westport pier repairs")
    # The race really happened: each search saw a different version.
    assert any("Halvorsen" in p.text for p in seen["lexical"])
    assert any("Lindqvist" in p.text for p in seen["dense"])
    # The answer's passages are the new version only.
    assert found and all("Lindqvist" in p.text for p in found)
    assert not any("Halvorsen" in p.text for p in found)


def test_retriever_threads_end_on_close_and_restart_on_use(hash_assistant: Assistant) -> None:
    hash_assistant.ingest([OLD])
    before = set(threading.enumerate())
    assert hash_assistant.retrieve("Westport pier")
    helpers = [t for t in threading.enumerate() if t.name.startswith(LEXICAL_THREADS) and t not in before]
    assert helpers
    hash_assistant.close()
    assert not any(t.is_alive() for t in helpers)
    assert any("Halvorsen" in p.text for p in hash_assistant.retrieve("Halvorsen pier"))
