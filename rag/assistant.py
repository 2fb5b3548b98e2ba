"""The Assistant facade: the one object the CLI, the UI, the HTTP API and other programs use.

Only what answering needs is imported here: ingestion (loaders, trafilatura, pypdf) and
LangChain load on first use, so a one-shot ``rag ask`` starts fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

import numpy as np

from rag.answerers import answerer_from_settings
from rag.chain import Answerer, Question, build_chain, condenser_of, prepare
from rag.chunking import embedding_text
from rag.citations import with_pages
from rag.conversations import FILE_NAME as CONVERSATIONS_FILE
from rag.conversations import ConversationStore
from rag.embedding import Embedder, embedder_from_settings
from rag.errors import EmptyIndexError, NotFoundError
from rag.query import validate_question
from rag.retrieval import Retriever
from rag.settings import Settings
from rag.types import (
    Answer,
    AnswerRequest,
    Chunk,
    IngestReport,
    Passage,
    SearchFilter,
    StoredArticle,
    StreamEvent,
    Turn,
)
from vectorstore import ArticleStore, Consistency, open_store

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

    from rag.ingest import ProgressCallback, Source


class Assistant:
    """Ingests articles and answers questions about them with cited quotes.

    Everything heavy (the model, the stores) is created lazily on first use, so building
    an Assistant is cheap.
    """

    def __init__(
        self,
        settings: Settings | None = None,
        store: ArticleStore | None = None,
        embedder: Embedder | None = None,
        answerer: Answerer | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings()
        self.store = store if store is not None else open_store(self.settings)
        self.embedder = embedder if embedder is not None else embedder_from_settings(self.settings)
        self.answerer = (
            answerer if answerer is not None else answerer_from_settings(self.settings, self.embedder)
        )
        self.retriever = Retriever(self.store, self.embedder, self.settings)

    @cached_property
    def chain(self) -> Runnable[Question, Answer]:
        """retrieve | answer as a LangChain runnable, for composing with other runnables.

        ``ask`` runs the same two steps directly, so answering never imports LangChain.
        """
        return build_chain(self.retriever, self.answerer)

    @cached_property
    def conversations(self) -> ConversationStore:
        """Saved conversations and answer feedback, kept in the data folder."""
        return ConversationStore(self.settings.data_dir / CONVERSATIONS_FILE)

    def ingest(self, sources: Iterable[Source], progress: ProgressCallback | None = None) -> IngestReport:
        """Load, clean, chunk, embed and store articles; unchanged ones are skipped."""
        if isinstance(sources, (str, bytes)):
            sources = [sources]  # a lone path would otherwise be iterated letter by letter
        from rag.ingest import Ingestor

        return Ingestor(self.store, self.embedder, self.settings).run(sources, progress)

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        article_ids: Sequence[str] = (),
        published_from: dt.date | None = None,
        published_to: dt.date | None = None,
    ) -> list[Passage]:
        """The best passages for a question, best first."""
        text = self._check(question)
        where = SearchFilter(tuple(article_ids), published_from, published_to)
        return list(self.retriever.search(text, k or self.settings.top_k, where).passages)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        article_ids: Sequence[str] = (),
        published_from: dt.date | None = None,
        published_to: dt.date | None = None,
    ) -> Answer:
        """A cited answer to ``question``, reading earlier turns of ``history`` for follow-ups."""
        q = self._question(question, history, k, article_ids, published_from, published_to)
        return self._with_pages(self.answerer.answer(self._prepare(q)))

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        article_ids: Sequence[str] = (),
        published_from: dt.date | None = None,
        published_to: dt.date | None = None,
    ) -> Iterator[StreamEvent]:
        """Like ``ask``, as text pieces followed by one event carrying the finished Answer."""
        q = self._question(question, history, k, article_ids, published_from, published_to)
        for event in self.answerer.stream(self._prepare(q)):
            yield StreamEvent(answer=self._with_pages(event.answer)) if event.answer else event

    def articles(self) -> list[StoredArticle]:
        """Stored articles (without text), newest first."""
        return self.store.articles()

    def article(self, article_id: str) -> StoredArticle:
        """One stored article with its text."""
        found = self.store.article(article_id)
        if found is None:
            raise NotFoundError(f"No article with id {article_id!r}: `rag articles` lists the stored ones.")
        return found

    def delete(self, article_id: str) -> None:
        """Remove an article, its chunks and its vectors."""
        if not self.store.delete(article_id):
            raise NotFoundError(f"No article with id {article_id!r}: `rag articles` lists the stored ones.")

    def doctor(self, repair: bool = False) -> Consistency:
        """How the vector store and the catalogue disagree; with ``repair``, after fixing it.

        Chunks that lost their vectors are re-embedded from the stored text with this
        assistant's embedder, so run it with the settings the articles were ingested with.
        """
        if repair:
            self.store.repair(self._embed_chunks)
        return self.store.check()

    def _embed_chunks(self, title: str, chunks: Sequence[Chunk]) -> np.ndarray:
        texts = [embedding_text(title, c.text, self.embedder.count_tokens) for c in chunks]
        return np.asarray(self.embedder.embed_documents(texts))

    def close(self) -> None:
        """Release file handles and helper threads (all reopen on next use)."""
        self.retriever.close()
        self.store.close()
        if "conversations" in self.__dict__:
            self.conversations.close()

    def _prepare(self, question: Question) -> AnswerRequest:
        return prepare(question, self.retriever, condenser_of(self.answerer))

    def _with_pages(self, answer: Answer) -> Answer:
        ids = sorted({c.article_id for c in answer.citations})
        return with_pages(answer, self.store.page_starts(ids)) if ids else answer

    def _question(
        self,
        question: str,
        history: Sequence[Turn],
        k: int | None,
        article_ids: Sequence[str],
        published_from: dt.date | None,
        published_to: dt.date | None,
    ) -> Question:
        text = self._check(question)
        turns = tuple((str(u), str(a)) for u, a in history)
        where = SearchFilter(tuple(article_ids), published_from, published_to)
        return Question(text, turns, k or self.settings.top_k, where)

    def _check(self, question: str) -> str:
        text = validate_question(question, self.settings.max_question_chars)
        if self.store.is_empty():
            raise EmptyIndexError()
        return text
