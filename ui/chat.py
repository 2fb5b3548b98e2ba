"""The browser chat's callbacks: each turn streams an HTML answer whose sources open in place."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import gradio as gr

from rag import parse_day
from rag.assistant import Assistant
from rag.citations import message_text
from rag.errors import EmptyIndexError, NotFoundError, RagError
from rag.types import Answer, SearchFilter, StoredArticle, Turn
from ui.answer_html import (
    render_answer_html,
    render_error_html,
    render_searching,
    render_stopped,
    render_streaming,
)
from ui.excerpt import Excerpt, paragraph_around

Message = dict[str, Any]
ChatHistory = Sequence[Mapping[str, Any]]
ChatFn = Callable[[str, ChatHistory], Iterator[str]]
Dates = tuple[str | None, str | None, str | None]
"""The date boxes of the settings column as typed: answer as of, published from, published to."""
DATE_FIELDS = ("Answer as of", "Published from", "Published to")
EXAMPLE_COUNT = 3
EMPTY_QUESTION = "Type a question about the articles first."
# The library's own words name `rag ingest`; in the browser, articles are added in the Library tab.
NO_ARTICLES = (
    "No articles yet: add some in the Library tab (upload files or paste an article), then ask again."
)


class Chat:
    """The browser chat over one assistant: each turn streams into the last message of the chat."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def respond(
        self, question: str, messages: list[Message], turns: list[Turn], k: float, article_ids: list[str],
        dates: Dates = (None, None, None),
    ) -> Iterator[tuple[list[Message], list[Turn]]]:  # fmt: skip
        """Stream the answer to ``question`` (already shown as the last user message) with its sources."""
        for html, answer in self.replies(question, turns, k, article_ids, dates):
            yield with_reply(messages, html), [*turns, (question, answer.text)] if answer else turns

    def replies(
        self,
        question: str,
        turns: list[Turn],
        k: float,
        article_ids: list[str],
        dates: Dates = (None, None, None),
    ) -> Iterator[tuple[str, Answer | None]]:
        """The reply's HTML as it streams; the last step also carries the finished Answer (None on error).

        ``dates`` are the settings' "Answer as of", "Published from" and "Published to" boxes (blank: none).
        """
        text, key = "", uuid.uuid4().hex[:8]
        try:
            as_of, start, end = (
                parse_day(day, f"“{name}” date") for day, name in zip(dates, DATE_FIELDS, strict=True)
            )
            where = SearchFilter(tuple(article_ids or ()), start, end)
            events = self.assistant.stream(question, turns, k=int(k), where=where, as_of=as_of)
            for event in events:
                if event.answer is None:
                    text += event.delta
                    yield render_streaming(text), None
                else:
                    yield self.answer_html(event.answer, key), event.answer
        except EmptyIndexError:
            yield render_error_html(EmptyIndexError(NO_ARTICLES)), None
        except RagError as error:
            yield render_error_html(error), None

    def answer_html(self, answer: Answer, key: str | None = None) -> str:
        """A finished answer as chat HTML, its sources shown in their paragraphs (``key`` keeps ids unique)."""
        return render_answer_html(answer, key or uuid.uuid4().hex[:8], self.excerpts(answer))

    def excerpts(self, answer: Answer) -> dict[int, Excerpt]:
        """The paragraph around each citation's quote, read from the stored article text."""
        texts: dict[str, str] = {}
        found: dict[int, Excerpt] = {}
        for citation in answer.citations:
            try:
                if citation.article_id not in texts:
                    texts[citation.article_id] = self.assistant.article(citation.article_id).text
                found[citation.index] = paragraph_around(
                    texts[citation.article_id], citation.start, citation.end
                )
            except (NotFoundError, ValueError):  # deleted meanwhile, or stale offsets: show the quote alone
                continue
        return found

    def examples(self) -> list[dict[str, str]]:
        """Example questions drawn from the newest articles' titles, as Chatbot examples."""
        return [{"text": question} for question in example_questions(self.assistant.articles())]


def start_turn(question: str, messages: list[Message] | None) -> tuple[str, list[Message], str]:
    """Show the question and the searching placeholder at once; clear the box; keep the question."""
    if not question.strip():
        raise gr.Error(EMPTY_QUESTION, title="Nothing to ask")
    shown = [*(messages or []), {"role": "user", "content": question}]
    return "", with_reply(shown, render_searching(), replace=False), question


def check_question(question: str, messages: list[Message] | None) -> tuple[Any, Any]:
    """Gradio's validator for a turn: an empty or unsendable question gets a hint on the box, and nothing runs."""
    problem = unicode_problem(question, "question") if question.strip() else EMPTY_QUESTION
    return gr.validate(not problem, problem), gr.validate(True, "")


def unicode_problem(text: str, what: str) -> str:
    """Why ``text`` cannot be kept or sent back to the page (a lone surrogate), or "" when it can."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return (
            f"The {what} is not valid Unicode: it holds half of a character (a lone surrogate), "
            "likely from a broken paste. Retype it."
        )
    return ""


def stop_turn(messages: list[Message] | None) -> list[Message]:
    """Mark the answer being written as stopped (a finished answer stays as it is)."""
    if not messages or messages[-1].get("role") != "assistant":
        return list(messages or [])
    return with_reply(messages, render_stopped(message_text(messages[-1].get("content"))))


def with_reply(messages: Sequence[Message], html: str, replace: bool = True) -> list[Message]:
    """The messages with ``html`` as the assistant's reply, replacing the last one when ``replace``."""
    kept = list(messages[:-1] if replace and messages else messages)
    return [*kept, {"role": "assistant", "content": html}]


def example_questions(articles: Sequence[StoredArticle], count: int = EXAMPLE_COUNT) -> list[str]:
    """One question per newest article, naming its title (the title's words find the article)."""
    titles = [" ".join(a.title.split()) for a in articles if a.title.strip()]
    return [f"What does the article “{title}” report?" for title in dict.fromkeys(titles)][:count]
