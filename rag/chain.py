"""The answer chain as LangChain runnables: condense a follow-up, retrieve, answer.

Every answer runs through it: ``Assistant.ask`` invokes it, ``Assistant.stream`` streams it, and
so do the HTTP API, the chat UI and the CLI. LangChain users can compose it, its first two steps
(``Assistant.prepare``) or the archive as a retriever (``Assistant.as_retriever``) into their own
chains. Importing LangChain takes about a second, so the Assistant imports this module on first use.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import replace
from typing import Any

from langchain_core.callbacks import CallbackManagerForRetrieverRun
from langchain_core.documents import Document
from langchain_core.retrievers import BaseRetriever
from langchain_core.runnables import Runnable, RunnableConfig, RunnableLambda

from rag.answerers import Answerer, Condense
from rag.citations import with_pages
from rag.date_ranking import newest_source_note, outside_period_note
from rag.question_parts import search_compared
from rag.retrieval import Retriever
from rag.timeframe import question_window
from rag.types import (
    Answer,
    AnswerRequest,
    DateWindow,
    Passage,
    Question,
    SearchFilter,
    StreamEvent,
    Surroundings,
)

PageStarts = Callable[[Sequence[str]], Mapping[str, Sequence[int]]]
"""PDF page offsets of the given articles (``ArticleStore.page_starts``)."""

Around = Callable[[Sequence[str]], Surroundings]
"""What surrounds the given chunks in their articles (``ArticleStore.surroundings``)."""


def preparation(
    check: Callable[[Question | str], Question],
    condense: Condense,
    retriever: Retriever,
    pages: PageStarts,
    around: Around | None = None,
) -> Runnable[Question | str, AnswerRequest]:
    """condense | retrieve: a question (``check`` validates it) to what the answerer is given, with
    the text around each passage when ``around`` reads it."""

    def condensed(question: Question | str) -> Question:
        checked = check(question)
        return replace(checked, query=condense(checked.text, checked.history))

    def retrieve(question: Question) -> AnswerRequest:
        # The searched query, so a follow-up carries the period its question named along.
        window = question_window(question.query or question.text, question.as_of)
        k = question.k or retriever.settings.top_k
        found = search_compared(retriever, question.query, k, question.where, window)
        near = around([p.chunk_id for p in found.passages]) if around and found.passages else Surroundings()
        return AnswerRequest(
            question=question.text, search_query=question.query, passages=found.passages,
            history=question.history, prefer_recent=window.latest or window.current, vector=found.vector,
            sentence_vectors={**near.sentence_vectors, **found.sentences},
            page_starts=pages(sorted({p.article_id for p in found.passages})) if found.passages else {},
            date_window=window, scope=found.scope,
            surroundings=widened(found.passages, near),
        )  # fmt: skip

    return RunnableLambda(condensed, name="condense") | RunnableLambda(retrieve, name="retrieve")


def widened(passages: Sequence[Passage], near: Surroundings) -> dict[str, Passage]:
    """Each passage stretched over the chunks either side of it, by chunk id."""
    return {
        p.chunk_id: replace(p, text=c.text, start=c.start, end=c.end)
        for p in passages
        if (c := near.chunks.get(p.chunk_id)) is not None and c.article_id == p.article_id
    }


class Answering(Runnable[AnswerRequest, Answer]):
    """The answer step: the answerer's Answer, each citation given its PDF page.

    ``stream`` yields StreamEvents, text pieces then one carrying the Answer, rather than Answers.
    """

    def __init__(self, answerer: Answerer) -> None:
        self.answerer = answerer
        self.name = f"answer_{answerer.name}"

    def invoke(self, input: AnswerRequest, config: RunnableConfig | None = None, **kwargs: Any) -> Answer:
        """The whole answer at once."""
        return self._call_with_config(self._answer, input, config)

    def stream(
        self, input: AnswerRequest, config: RunnableConfig | None = None, **kwargs: Any | None
    ) -> Iterator[Any]:
        """StreamEvents: text pieces as they are written, then the finished Answer."""
        return self.transform(iter([input]), config)

    def transform(
        self, input: Iterator[AnswerRequest], config: RunnableConfig | None = None, **kwargs: Any | None
    ) -> Iterator[Any]:
        """Like ``stream``, for the request an earlier step of a chain produces."""
        return self._transform_stream_with_config(input, self._events, config)

    def _answer(self, request: AnswerRequest) -> Answer:
        answer, _ = _finished(self.answerer.answer(request), request)
        return answer

    def _events(self, requests: Iterator[AnswerRequest]) -> Iterator[Any]:  # StreamEvents, not Answers
        for request in requests:
            for event in self.answerer.stream(request):
                if event.answer is None:
                    yield event
                    continue
                answer, added = _finished(event.answer, request)
                if added:  # the streamed text must add up to the answer's
                    yield StreamEvent(delta=added)
                yield replace(event, answer=answer)


def _finished(answer: Answer, request: AnswerRequest) -> tuple[Answer, str]:
    """The answer with its citations' pages and its date window, and any text added to it: a
    "Newest source: ..." line when an answer about the present rests on older articles, and a
    "Published ..., before the period asked about" one when it rests on none of the period's."""
    answer = with_pages(answer, request.page_starts)
    window: DateWindow | None = request.date_window
    if window is None:
        return answer, ""
    notes = (
        ()
        if answer.abstained
        else (newest_source_note(answer.citations, window), outside_period_note(answer.citations, window))
    )
    note = " ".join(n for n in notes if n)
    added = f"\n\n{note}" if note else ""
    return replace(answer, text=answer.text + added, date_window=window), added


class ArchiveRetriever(BaseRetriever):
    """The archive as a LangChain retriever: the best passages as Documents, best first.

    Each Document's metadata holds ``article_id``, ``title``, ``url``, ``published`` (ISO date or
    None), ``start`` and ``end`` (offsets in the stored article text) and ``score``.
    """

    search: Callable[[str, int | None, SearchFilter, dt.date | None], list[Passage]]
    k: int | None = None
    where: SearchFilter = SearchFilter()
    as_of: dt.date | None = None

    def _get_relevant_documents(
        self, query: str, *, run_manager: CallbackManagerForRetrieverRun
    ) -> list[Document]:
        return [document(p) for p in self.search(query, self.k, self.where, self.as_of)]


def document(passage: Passage) -> Document:
    """A passage as a LangChain Document."""
    published = passage.published.isoformat() if passage.published else None
    return Document(
        page_content=passage.text, id=passage.chunk_id or None,
        metadata={
            "article_id": passage.article_id, "title": passage.title, "url": passage.url,
            "published": published, "start": passage.start, "end": passage.end, "score": passage.score,
        },
    )  # fmt: skip
