"""The HTTP API's own request and response models: what the OpenAPI schema shows and clients send.

Responses are built from the library's dataclasses (``from_attributes``), so the two cannot drift
apart silently: a renamed field fails validation in the tests.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, field_validator, model_validator
from pydantic_core import PydanticCustomError

from rag import parse_day
from rag.errors import InputError
from rag.settings import MAX_K
from rag.types import Article, SearchFilter, article_id_problem
from ui.api.safe_markdown import neutralise

AS_OF_HELP = (
    'Answer as of this day, written like 2024-05-01 or "1 May 2024" (default: today): articles published '
    'after it are hidden (undated ones never are) and "last week" or "in March" resolve against it. A later '
    "day is allowed. A day that cannot be read, or could be either of two (01/05/2024), is an HTTP 422."
)
_MAX_IDS = 100
_MAX_TURNS = 50


def _typed_day(value: object) -> object:
    """A day in any form the other doors take (rag.parse_day), refused in the same words (HTTP 422)."""
    if not isinstance(value, str):
        return value
    try:
        return parse_day(value)
    except InputError as error:
        raise PydanticCustomError("date", "{reason}", {"reason": str(error)}) from None


Day = Annotated[dt.date | None, BeforeValidator(_typed_day)]


class Encodable(BaseModel):
    """A request body whose every string is valid Unicode (checked before the fields are)."""

    @model_validator(mode="before")
    @classmethod
    def _encodable(cls, data: object) -> object:
        """A lone surrogate (JSON's ``"\ud800"``) anywhere in the body is a 400, not a crash further in.

        InputError is not a ValueError, so pydantic lets it through to the 400 handler.
        """
        if (where := unencodable(data)) is not None:
            raise InputError(
                f"The request's {where or 'body'} is not valid Unicode: it holds a lone surrogate "
                "(a broken \\u escape such as \\ud800). Fix the text and retry."
            )
        return data


class _Request(Encodable):
    # A misspelt field is a 422, not a silently ignored option.
    model_config = ConfigDict(extra="forbid")


def unencodable(value: object, where: str = "") -> str | None:
    """Where in a JSON value a string cannot be encoded as UTF-8 ("question", "history.0.1"), or None."""
    if isinstance(value, str):
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return where
        return None
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, item in items:
        found = unencodable(key, where) if isinstance(key, str) else None
        found = found if found is not None else unencodable(item, f"{where}.{key}".lstrip("."))
        if found is not None:
            return found
    return None


class RetrieveRequest(_Request):
    """A search: the question and optional filters."""

    question: str = Field(description="What to search for; at most RAG_MAX_QUESTION_CHARS characters.")
    k: int | None = Field(default=None, ge=1, le=MAX_K, description="Passages to return (default RAG_TOP_K).")
    article_ids: list[str] = Field(
        default_factory=list, max_length=_MAX_IDS, description="Only search these articles."
    )
    published_from: Day = Field(default=None, description="Only articles published on or after.")
    published_to: Day = Field(default=None, description="Only articles published on or before.")
    as_of: Day = Field(default=None, description=AS_OF_HELP, examples=["2024-05-01"])

    def where(self) -> SearchFilter:
        """The articles these filters let through."""
        return SearchFilter(tuple(self.article_ids), self.published_from, self.published_to)


class AskRequest(RetrieveRequest):
    """A question, with the conversation so far for follow-ups."""

    history: list[tuple[str, str]] = Field(
        default_factory=list,
        max_length=_MAX_TURNS,
        description="Earlier turns as [user question, assistant answer] pairs, oldest first.",
    )


class ArticleIn(_Request):
    """An article given as text."""

    title: str = Field(min_length=1, max_length=1000)
    text: str = Field(min_length=1)
    url: str | None = Field(
        default=None, max_length=2048, description="The article's link; null or omitted: none."
    )
    published: Day = None
    id: str = Field(
        default="",
        max_length=128,
        description="Your own id; empty derives one from the URL, else from the title and text.",
    )

    def to_article(self) -> Article:
        """The library's Article for this input; InputError (HTTP 400) for an id that cannot name one."""
        if problem := article_id_problem(self.id):
            raise InputError(problem)
        return Article(
            title=self.title, text=self.text, id=self.id, url=self.url, published=self.published,
            source=self.url or "api",
        )  # fmt: skip


class _Response(BaseModel):
    model_config = ConfigDict(from_attributes=True)


Link = Annotated[str | None, Field(description="The article's link, or null when it has none.")]


class CitationOut(_Response):
    """A numbered source: ``quote`` is exactly ``text[start:end]`` of the article."""

    index: int
    article_id: str
    title: str
    url: Link
    published: dt.date | None
    quote: str
    start: int
    end: int
    page: int | None = Field(description="1-based PDF page of the quote; null for other articles.")
    answer_start: int | None = Field(
        default=None,
        description='Where the short answer inside the quote starts ("38 people"), as an offset in the '
        "article text like `start`; null when the quote has none.",
    )
    answer_end: int | None = Field(
        default=None, description="Where the short answer ends; null with answer_start."
    )


class PassageOut(_Response):
    """A retrieved passage and its fused retrieval score."""

    article_id: str
    title: str
    url: Link
    published: dt.date | None
    text: str
    start: int
    end: int
    score: float


class DateWindowOut(_Response):
    """The day a question was answered as of, and the period read from its words."""

    as_of: dt.date = Field(description="The day the question was asked as of (today unless given).")
    start: dt.date | None = Field(description="First day of the period the question names; null: open.")
    end: dt.date | None = Field(description="Last day of that period; null when it names none.")
    kind: Literal["filter", "boost", "none"] = Field(
        description="`filter`: only articles from the period; `boost`: preferred (a vague period such as "
        '"recently"); `none`: the question names no period.'
    )
    phrase: str = Field(description="The words the period was read from.")
    current: bool = Field(description="The question asks about the present: fresher articles weigh more.")
    latest: bool = Field(description="The question asks for the newest report: it leads the answer.")
    future: bool = Field(description="as_of is after today (allowed).")


class AnswerOut(_Response):
    """A cited answer; when ``abstained``, ``passages`` are the closest sources found."""

    text: str = Field(
        description="The answer with [n] markers pointing into `citations`, safe to render as markdown: raw "
        "HTML, non-http(s) link targets and link definitions from article or model text come escaped."
    )
    abstained: bool
    citations: list[CitationOut]
    passages: list[PassageOut]
    notes: list[str] = Field(description="How the answer was made (fallbacks, checks), for diagnostics.")
    search_query: str = Field(
        default="",
        description="What the articles were searched with: the question, or a follow-up rewritten from the "
        "history to stand alone ('What did he say?' -> 'What did Rodion Miroshnik say?').",
    )
    date_window: DateWindowOut | None = Field(
        default=None, description="The day the answer is as of and the period read from the question."
    )

    @field_validator("text")
    @classmethod
    def _renderable(cls, text: str) -> str:
        """Article sentences and model text are untrusted: clients often render them as markdown."""
        return neutralise(text)


class ArticleSummary(_Response):
    """A stored article without its text."""

    id: str
    title: str
    url: Link
    published: dt.date | None
    source: str
    chunks: int
    added_at: dt.datetime


class ArticleDetail(ArticleSummary):
    """A stored article with its cleaned text, the text citations' offsets refer to."""

    text: str
    page_starts: list[int] = Field(description="Offsets in `text` where each PDF page starts.")


class FailureOut(_Response):
    """An input that was not ingested, and why."""

    source: str
    reason: str


class IngestReportOut(_Response):
    """What an ingest did, by article id."""

    added: list[str]
    updated: list[str]
    unchanged: list[str]
    failures: list[FailureOut]


class Health(BaseModel):
    """Liveness or readiness."""

    status: str
    articles: int | None = None
    keyword_index: Literal["memory", "building", "sqlite"] | None = Field(
        default=None,
        description="Where BM25 ranks now: `memory`, `building` (FTS5 answers until the in-memory "
        "index is built) or `sqlite` (configured so).",
    )
