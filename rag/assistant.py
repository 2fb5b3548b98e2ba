"""The Assistant facade: the one door the CLI, the UI, the HTTP API and other programs use.

Answers run through ``chain`` (condense | retrieve | answer). Ingestion (loaders, trafilatura,
pypdf) and LangChain are imported on first use, so building an Assistant and listing articles
stay fast.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import replace
from functools import cached_property
from typing import TYPE_CHECKING, cast

import numpy as np

from rag.answerers import Answerer, Condense, answerer_from_settings, condenser_from_settings
from rag.chunking import embedding_text
from rag.conversations import FILE_NAME as CONVERSATIONS_FILE
from rag.conversations import ConversationStore
from rag.embedding import Embedder, embedder_from_settings
from rag.errors import EmptyIndexError, InputError, NotFoundError
from rag.query import validate_k, validate_question
from rag.retrieval import Retriever
from rag.settings import Settings
from rag.timeframe import question_window
from rag.types import (
    Answer,
    AnswerRequest,
    Chunk,
    IngestReport,
    Passage,
    ProgressCallback,
    Question,
    SearchFilter,
    StoredArticle,
    StoreStats,
    StreamEvent,
    Turn,
)
from vectorstore import ArticleStore, Consistency, open_store

if TYPE_CHECKING:
    from langchain_core.retrievers import BaseRetriever
    from langchain_core.runnables import Runnable

    from rag.ingest import Source


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
        condense: Condense | None = None,
    ) -> None:
        self.settings = settings if settings is not None else Settings()
        self.store = store if store is not None else open_store(self.settings)
        self.embedder = embedder if embedder is not None else embedder_from_settings(self.settings)
        self.answerer = (
            answerer if answerer is not None else answerer_from_settings(self.settings, self.embedder)
        )
        self.condense = (
            condense if condense is not None else condenser_from_settings(self.settings, self.answerer)
        )
        self.retriever = Retriever(self.store, self.embedder, self.settings)

    @cached_property
    def prepare(self) -> Runnable[Question | str, AnswerRequest]:
        """condense | retrieve, as a LangChain runnable: what the answerer is given for a question."""
        from rag.chain import preparation

        return preparation(
            self._question, self.condense, self.retriever, self.store.page_starts, self.store.surroundings
        )

    @cached_property
    def chain(self) -> Runnable[Question | str, Answer]:
        """condense | retrieve | answer, the LangChain runnable every answer runs through.

        ``invoke`` takes a question (a string, or a ``Question`` with history, ``k`` and a filter)
        and returns the Answer; ``stream`` yields StreamEvents, text pieces then the Answer.
        """
        from rag.chain import Answering

        return self.prepare | Answering(self.answerer)

    def as_retriever(
        self, k: int | None = None, where: SearchFilter | None = None, as_of: dt.date | None = None
    ) -> BaseRetriever:
        """The archive as a LangChain retriever of Documents (passage text, article metadata).

        ``as_of`` asks every question as of that day, as ``retrieve`` does (None: today).
        """
        from rag.chain import ArchiveRetriever

        return ArchiveRetriever(
            search=self.retrieve, k=validate_k(k), where=where or SearchFilter(), as_of=as_of
        )

    @cached_property
    def conversations(self) -> ConversationStore:
        """Saved conversations and answer feedback, kept in the data folder."""
        return ConversationStore(self.settings.data_dir / CONVERSATIONS_FILE)

    def ingest(self, sources: Iterable[Source], progress: ProgressCallback | None = None) -> IngestReport:
        """Load, clean, chunk, embed and store articles (paths, URLs, Articles or Uploads); unchanged ones are skipped."""
        if isinstance(sources, (str, bytes)):
            sources = [sources]  # a lone path would otherwise be iterated letter by letter
        from rag.ingest import Ingestor

        return Ingestor(self.store, self.embedder, self.settings).run(sources, progress)

    def retrieve(
        self,
        question: str,
        k: int | None = None,
        where: SearchFilter | None = None,
        as_of: dt.date | None = None,
    ) -> list[Passage]:
        """The best passages for a question asked as of a day (None: today), best first."""
        text, k = self._check(question), validate_k(k)
        window = question_window(text, as_of)
        where = checked_range(where or SearchFilter())
        found = self.retriever.search(text, k or self.settings.top_k, where, window=window)
        return list(found.passages)

    def ask(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        where: SearchFilter | None = None,
        as_of: dt.date | None = None,
    ) -> Answer:
        """A cited answer to ``question``, reading earlier turns of ``history`` for follow-ups.

        ``as_of`` is the day the question is asked (None: today): articles published after it
        are hidden (undated ones never are) and "last week" or "in March" resolve against it.
        """
        asked = Question(question, tuple(history), validate_k(k), where or SearchFilter(), as_of=as_of)
        return self.chain.invoke(asked)

    def stream(
        self,
        question: str,
        history: Sequence[Turn] = (),
        k: int | None = None,
        where: SearchFilter | None = None,
        as_of: dt.date | None = None,
    ) -> Iterator[StreamEvent]:
        """Like ``ask``, as text pieces followed by one event carrying the finished Answer."""
        asked = Question(question, tuple(history), validate_k(k), where or SearchFilter(), as_of=as_of)
        yield from cast("Iterator[StreamEvent]", self.chain.stream(asked))

    def warm_up(self) -> StoreStats:
        """Load the model and LangChain, and start building the in-memory BM25 index, so the
        first question is answered quickly; returns what is stored."""
        self.embedder.embed_query("warm up")
        self.store.warm()  # after the model has loaded: both at once delays readiness
        _ = self.chain  # LangChain is imported now rather than on the first question
        return self.store.stats()

    def ready(self) -> StoreStats:
        """What is stored, once the model has answered and both indexes were read (raises if not)."""
        self.embedder.embed_query("readiness probe")
        return self.store.stats()

    def count_tokens(self, text: str) -> int:
        """How many tokens the embedding model's tokenizer makes of ``text`` (what `usage` reports)."""
        return self.embedder.count_tokens(text)

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

    def close(self) -> None:
        """Release file handles and helper threads (all reopen on next use)."""
        self.retriever.close()
        self.store.close()
        if "conversations" in self.__dict__:
            self.conversations.close()

    def _embed_chunks(self, title: str, chunks: Sequence[Chunk]) -> np.ndarray:
        texts = [embedding_text(title, c.text, self.embedder.count_tokens) for c in chunks]
        return np.asarray(self.embedder.embed_documents(texts))

    def _question(self, question: Question | str) -> Question:
        """The chain's input checked: a Question with a valid text and its history as string pairs."""
        if not isinstance(question, (Question, str)):  # e.g. a LangChain-style {"question": ...}
            raise InputError(
                f"Ask with the question's text or a rag.Question, not a {type(question).__name__}."
            )
        asked = question if isinstance(question, Question) else Question(question)
        history = tuple((str(user), str(reply)) for user, reply in asked.history)
        text = self._check(asked.text)
        return replace(asked, text=text, history=history, where=checked_range(asked.where))

    def _check(self, question: str) -> str:
        text = validate_question(question, self.settings.max_question_chars)
        if self.store.is_empty():
            raise EmptyIndexError()
        return text


def checked_range(where: SearchFilter) -> SearchFilter:
    """``where``, unless its date range cannot match: that is the asker's mistake, said as such (searched,
    it would find nothing and the answer would claim the articles lack the question's words). Unknown
    article ids are not refused: an article deleted while a chat is scoped to it has nothing left to find."""
    low, high = where.published_from, where.published_to
    if low is not None and high is not None and low > high:
        raise InputError(
            f"The published dates are the wrong way round: the start, {low.isoformat()}, is after "
            f"the end, {high.isoformat()}; swap them."
        )
    return where
