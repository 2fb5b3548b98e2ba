"""The answering chain as LangChain runnables: retrieve, then answer.

Keeping the two steps as runnables means a different answerer (a generative one) slots in
by configuration, and LangChain's tracing and batching work on the whole chain. The steps
themselves are plain functions (``prepare``), and LangChain is imported only when a runnable
is built: importing ``langchain_core.runnables`` pulls in langsmith and costs about a second,
which a one-shot ``rag ask`` does not need to pay.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Protocol

from rag.query import search_query, wants_latest
from rag.retrieval import Retriever
from rag.types import Answer, AnswerRequest, SearchFilter, StreamEvent, Turn

if TYPE_CHECKING:
    from langchain_core.runnables import Runnable

Condense = Callable[[str, tuple[Turn, ...]], str]
"""Rewrites a follow-up question, with the conversation, into a standalone search query."""


class Answerer(Protocol):
    """Writes an Answer from retrieved passages."""

    name: str

    def answer(self, request: AnswerRequest) -> Answer:
        """The whole answer at once."""
        ...

    def stream(self, request: AnswerRequest) -> Iterator[StreamEvent]:
        """Text pieces as they are produced, then one event with the finished Answer."""
        ...


@dataclass(frozen=True)
class Question:
    """The chain's input: a validated question, the conversation so far, and search options."""

    text: str
    history: tuple[Turn, ...] = ()
    k: int = 6
    where: SearchFilter = field(default_factory=SearchFilter)


def prepare(question: Question, retriever: Retriever, condense: Condense | None = None) -> AnswerRequest:
    """Turn a Question into an AnswerRequest holding the retrieved passages.

    With ``condense`` (a generative answerer's), a follow-up is rewritten into a standalone
    question before retrieval; otherwise the previous question is carried along.
    """
    if condense is not None and question.history:
        query = condense(question.text, question.history)
    else:
        query = search_query(question.text, question.history)
    latest = wants_latest(question.text)
    found = retriever.search(query, question.k, question.where, latest=latest)
    return AnswerRequest(
        question=question.text, search_query=query, passages=found.passages,
        history=question.history, prefer_recent=latest, vector=found.vector,
        sentence_vectors=found.sentences,
    )  # fmt: skip


def retrieval_step(
    retriever: Retriever, condense: Condense | None = None
) -> Runnable[Question, AnswerRequest]:
    """``prepare`` as a runnable."""
    from langchain_core.runnables import RunnableLambda

    def run(question: Question) -> AnswerRequest:
        return prepare(question, retriever, condense)

    return RunnableLambda(run, name="retrieve")


def build_chain(retriever: Retriever, answerer: Answerer) -> Runnable[Question, Answer]:
    """retrieve | answer."""
    from langchain_core.runnables import RunnableLambda

    step = retrieval_step(retriever, condenser_of(answerer))
    return step | RunnableLambda(answerer.answer, name=f"answer_{answerer.name}")


def condenser_of(answerer: Answerer) -> Condense | None:
    """The answerer's ``condense`` method when it has one (the generative answerer does)."""
    condense = getattr(answerer, "condense", None)
    return condense if callable(condense) else None
