"""Property-based test: any sequence of ingest / update / delete / restart matches a plain dict.

Hypothesis drives the real store (embedded Chroma and the SQLite catalogue, reopened from
disk on "restart") through random operations, the way Chroma tests its own persistence,
and after every step compares it with a model ``{article id: text}``: the articles listed,
their texts, each article's chunk ids in both indexes, and what searches can see.
This is about storage bookkeeping, not ranking, so it uses the model-free hash embedding
(``embedding_backend="hash"``), a real deterministic embedder chosen by settings.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, precondition, rule

from rag import Article, Assistant, NotFoundError, SearchFilter, Settings
from rag.chunking import embedding_text, split_article

IDS = ("alpha", "bravo", "charlie", "delta")
WORDS = ("harbour", "storm", "mayor", "bridge", "council", "budget", "river", "school", "train", "museum",
         "festival", "election", "court", "hospital", "market", "stadium")  # fmt: skip

sentence = st.lists(st.sampled_from(WORDS), min_size=3, max_size=9).map(
    lambda w: " ".join(w).capitalize() + "."
)
texts = st.lists(sentence, min_size=1, max_size=12).map(" ".join)


def _title(article_id: str) -> str:
    return f"Report {article_id}"


class StoreMachine(RuleBasedStateMachine):
    """The store under random operations, next to what it should contain."""

    def __init__(self) -> None:
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="rag-state-"))
        self.settings = Settings(data_dir=self.folder, embedding_backend="hash", chunk_tokens=16)
        self.assistant = Assistant(self.settings)
        self.model: dict[str, str] = {}

    @rule(article_id=st.sampled_from(IDS), text=texts)
    def ingest(self, article_id: str, text: str) -> None:
        """Adds a new article, or replaces (or keeps) a stored one."""
        report = self.assistant.ingest([Article(id=article_id, title=_title(article_id), text=text)])
        assert report.ok
        expected = (
            "unchanged"
            if self.model.get(article_id) == text
            else "updated"
            if article_id in self.model
            else "added"
        )
        assert getattr(report, expected) == [article_id]
        self.model[article_id] = text

    @precondition(lambda self: bool(self.model))
    @rule(data=st.data(), text=texts)
    def update(self, data: st.DataObject, text: str) -> None:
        """Changes the text of a stored article."""
        article_id = data.draw(st.sampled_from(sorted(self.model)))
        text = text if text != self.model[article_id] else text + " Corrected."
        report = self.assistant.ingest([Article(id=article_id, title=_title(article_id), text=text)])
        assert report.updated == [article_id]
        self.model[article_id] = text

    @rule(article_id=st.sampled_from(IDS))
    def delete(self, article_id: str) -> None:
        """Deletes a stored article; an unknown id is a clear error and changes nothing."""
        if article_id in self.model:
            self.assistant.delete(article_id)
            del self.model[article_id]
        else:
            with pytest.raises(NotFoundError):
                self.assistant.delete(article_id)

    @rule()
    def restart(self) -> None:
        """Closes everything and reopens the store from disk, as a new process would."""
        self.assistant.close()
        self.assistant = Assistant(self.settings)

    @invariant()
    def lists_exactly_the_model(self) -> None:
        assert sorted(a.id for a in self.assistant.articles()) == sorted(self.model)
        for article_id, text in self.model.items():
            assert self.assistant.article(article_id).text == text

    @invariant()
    def both_indexes_hold_the_expected_chunks(self) -> None:
        store = self.assistant.store
        embedder = self.assistant.embedder
        expected: set[str] = set()
        for article_id, text in self.model.items():
            chunks = split_article(
                article_id, _title(article_id), text, embedder.count_tokens,
                self.settings.chunk_tokens, embedder.max_tokens,
            )  # fmt: skip
            assert store.rows.chunk_ids(article_id) == {c.id for c in chunks}
            expected |= {c.id for c in chunks}
        assert store.rows.chunk_ids() == expected
        assert store.dense.ids() == expected
        assert store.check().ok

    @invariant()
    def searches_see_stored_articles_only(self) -> None:
        store = self.assistant.store
        embedder = self.assistant.embedder
        for article_id, text in self.model.items():
            first = text.split(".")[0]
            lexical = {p.article_id for p in store.lexical_search(first, 100, SearchFilter())}
            assert article_id in lexical and lexical <= set(self.model)
            vector = embedder.embed_query(embedding_text(_title(article_id), text, embedder.count_tokens))
            dense = store.dense_search(vector, 10, SearchFilter(article_ids=(article_id,)))
            assert dense and {p.article_id for p in dense} == {article_id}
        vector = embedder.embed_query(" ".join(WORDS))
        assert {p.article_id for p in store.dense_search(vector, 20, SearchFilter())} <= set(self.model)

    def teardown(self) -> None:
        self.assistant.close()
        shutil.rmtree(self.folder, ignore_errors=True)


StoreMachine.TestCase.settings = settings(
    max_examples=30,
    stateful_step_count=12,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    derandomize=True,
)
test_store_matches_model = StoreMachine.TestCase
