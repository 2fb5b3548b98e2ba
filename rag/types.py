"""The project's own value types: what crosses every boundary between modules and to users."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO, Literal


@dataclass(frozen=True)
class Article:
    """One article as loaded: cleaned text plus the metadata citations show.

    ``id`` may be left empty; the ingest pipeline then derives a stable one from the
    article's identity: its URL, else the file's name and the title, else (an Article handed
    over as text) its title and text.
    """

    title: str
    text: str
    id: str = ""
    url: str | None = None  # None: the article has no link (never "")
    published: dt.date | None = None
    source: str = ""
    # Character offset in ``text`` where each PDF page starts (empty for other formats),
    # so a citation can name the page its quote is on.
    page_starts: tuple[int, ...] = ()


MAX_ARTICLE_ID_CHARS = 128


def article_id_problem(article_id: str) -> str:
    """Why ``article_id`` cannot name an article ("" when it can): ids go into URL paths and file names."""
    shown = repr(article_id[:40])
    if len(article_id) > MAX_ARTICLE_ID_CHARS:
        return f"Article id {shown}... is longer than {MAX_ARTICLE_ID_CHARS} characters."
    if any(ch.isspace() or not ch.isprintable() for ch in article_id):
        return f"Article id {shown} contains spaces or control characters."
    if "/" in article_id or "\\" in article_id or ".." in article_id:
        return f"Article id {shown} contains '/', '\\' or '..': use letters, digits, '-', '_', '.' or ':'."
    return ""


@dataclass(frozen=True)
class Chunk:
    """A run of whole sentences of one article, with its offsets in the stored text."""

    id: str
    article_id: str
    seq: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Passage:
    """A retrieved chunk with the metadata of its article and its retrieval score."""

    article_id: str
    title: str
    url: str | None  # None: no link
    published: dt.date | None
    text: str
    start: int
    end: int
    score: float
    chunk_id: str = ""
    dense_score: float = 0.0
    lexical_score: float = 0.0


@dataclass(frozen=True)
class Citation:
    """A numbered source of an answer: ``quote == article.text[start:end]`` always holds."""

    index: int
    article_id: str
    title: str
    url: str | None  # None: no link
    published: dt.date | None
    quote: str
    start: int
    end: int
    page: int | None = None
    # The short answer inside the quote ("38 people"), as article offsets; None when there is none.
    answer_start: int | None = None
    answer_end: int | None = None


@dataclass(frozen=True)
class Answer:
    """The assistant's reply: text with ``[n]`` markers, the citations they point to, and
    the closest sources when it abstained."""

    text: str
    citations: tuple[Citation, ...] = ()
    abstained: bool = False
    passages: tuple[Passage, ...] = ()
    question: str = ""
    search_query: str = ""
    notes: tuple[str, ...] = ()
    date_window: DateWindow | None = None  # the day it was asked as of, and the period read from it


@dataclass(frozen=True)
class StoredArticle:
    """An article as the store holds it; ``text`` is filled only when one article is asked for."""

    id: str
    title: str
    url: str | None  # None: no link
    published: dt.date | None
    source: str
    chunks: int
    added_at: dt.datetime
    content_hash: str
    text: str = ""
    page_starts: tuple[int, ...] = ()


@dataclass(frozen=True)
class Surroundings:
    """The text around retrieved chunks, read for the answerer: each chunk stretched over the chunks
    either side of it in its article (by chunk id), and the stored vectors of those chunks' sentences
    by (article id, start offset)."""

    chunks: Mapping[str, Chunk] = field(default_factory=dict)
    sentence_vectors: Mapping[tuple[str, int], object] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """One input that could not be ingested, and why, in words a user can act on."""

    source: str
    reason: str


@dataclass
class IngestReport:
    """What one ingest did: ids per outcome, the inputs that failed and the folders with nothing to read."""

    added: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    failures: list[Failure] = field(default_factory=list)
    chunks_written: int = 0
    characters: int = 0
    empty: list[Failure] = field(default_factory=list)

    @property
    def found_nothing(self) -> bool:
        """True when the inputs held no article to read at all (only folders without supported files)."""
        return bool(self.empty) and not (self.added or self.updated or self.unchanged or self.failures)

    @property
    def ok(self) -> bool:
        """True when every input went in."""
        return not self.failures

    def summary(self) -> str:
        """One line a person reads after an ingest."""
        return (
            f"{len(self.added)} added, {len(self.updated)} updated, "
            f"{len(self.unchanged)} unchanged, {len(self.failures)} failed"
        )


Turn = tuple[str, str]
"""One earlier exchange of a conversation: (user question, assistant answer)."""


@dataclass(frozen=True)
class SearchFilter:
    """Which articles a search may return: by id, by published-date range (inclusive), and as of a day.

    A date bound excludes articles without a published date; ``as_of`` hides articles published
    after it but keeps undated ones (what was known on that day, as far as anyone can tell).
    """

    article_ids: tuple[str, ...] = ()
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    as_of: dt.date | None = None

    @property
    def is_empty(self) -> bool:
        """True when the filter lets everything through."""
        return not self.article_ids and self.published_from is self.published_to is self.as_of is None


@dataclass(frozen=True)
class Question:
    """What the answer chain takes: a question, the conversation so far, and search options.

    ``k`` None means the ``top_k`` setting. ``query`` is what retrieval searches with; the
    chain's condensing step fills it (a follow-up rewritten to stand on its own). ``as_of`` is
    the day it is asked (None: today): later articles are hidden, relative dates resolve to it.
    """

    text: str
    history: tuple[Turn, ...] = ()
    k: int | None = None
    where: SearchFilter = field(default_factory=SearchFilter)
    query: str = ""
    as_of: dt.date | None = None


# Where BM25 ranks: the in-memory index, FTS5 while that builds, or FTS5 by setting.
KeywordIndex = Literal["memory", "building", "sqlite"]


@dataclass(frozen=True)
class StoreStats:
    """What the store holds, counted now: what readiness probes and status pages report."""

    articles: int
    chunks: int
    vectors: int
    keyword_index: KeywordIndex


@dataclass(frozen=True)
class DateWindow:
    """The period a question speaks of, read from its words against the date it is asked ``as_of``.

    ``kind`` says how retrieval uses it: ``filter`` puts articles published in ``start``..``end``
    (either bound may be open) first, keeping others only when they match far better or name
    the period themselves; ``boost`` prefers them mildly; ``none`` means the
    question named no period. ``current`` marks questions about the present state of affairs
    ("still", "now", "this week"); ``latest`` those asking for the newest report. ``historical``
    says ``as_of`` is before today: the question is asked in the news of that day.
    """

    as_of: dt.date
    start: dt.date | None = None
    end: dt.date | None = None
    kind: Literal["filter", "boost", "none"] = "none"
    phrase: str = ""
    current: bool = False
    latest: bool = False
    historical: bool = False
    future: bool = False  # as_of is after today: allowed (a planner's "today"), and said so
    # False when as_of is only the server's clock (no day was asked for): an article dated ahead of
    # it (a time zone ahead, a scheduled or mis-dated story) must not vanish from every answer.
    hides_later: bool = True

    def summary(self) -> str:
        """One line for the retrieval debug view: the day, and the period and how it was used."""
        day = f"as of {self.as_of.isoformat()}" + (" (in the future)" if self.future else "")
        if self.kind == "none":
            period = "no period named"
        else:
            span = f"{self.start} to {self.end}" if self.start else f"up to {self.end}"
            period = f"{'first' if self.kind == 'filter' else 'preferring'} {span} ({self.phrase!r})"
        signals = (
            ", asks for the latest" if self.latest else ", asks about the present" if self.current else ""
        )
        return f"Dates: {day}; {period}{signals}."


@dataclass(frozen=True)
class Upload:
    """A file a user sent: the name their client gave it (untrusted, never used as a path) and its bytes."""

    filename: str
    content: bytes | BinaryIO


@dataclass(frozen=True)
class Progress:
    """Where an ingest is: articles read, their characters, failures so far, seconds elapsed.

    ``done`` of ``total`` counts articles (and inputs that failed): a JSON Lines file's records are
    counted before it is read, everything else as one until read, so a rate and an ETA can be given.
    """

    articles: int
    characters: int
    failures: int
    elapsed: float
    current: str
    done: int = 0
    total: int = 0

    @property
    def rate(self) -> float:
        """Article characters read per second so far."""
        return self.characters / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def per_second(self) -> float:
        """Articles done per second so far."""
        return self.done / self.elapsed if self.elapsed > 0 else 0.0

    @property
    def eta(self) -> float | None:
        """Seconds left at the pace so far; None until the first article is done."""
        if self.done <= 0 or self.total <= 0:
            return None
        return self.elapsed * max(self.total - self.done, 0) / self.done


ProgressCallback = Callable[[Progress], None]


@dataclass(frozen=True)
class StreamEvent:
    """One step of a streamed answer: a piece of text, or (last) the finished Answer."""

    delta: str = ""
    answer: Answer | None = None


@dataclass(frozen=True)
class AnswerRequest:
    """Everything an answerer gets: the question, what was searched, and what was found."""

    question: str
    search_query: str
    passages: tuple[Passage, ...]
    history: tuple[Turn, ...] = ()
    prefer_recent: bool = False  # the question asks for the latest news
    vector: object = None  # the search query's embedding (numpy array), when the retriever made one
    # Sentence vectors stored at ingest, by (article id, start offset): numpy rows the answerer reuses.
    sentence_vectors: Mapping[tuple[str, int], object] = field(default_factory=dict)
    # Each passage stretched over the chunks either side of it in its article, by chunk id: the
    # sentences next to it, which a quote may need (what "he" stands for, a speaker's quotation going
    # on, the next sentence of an answer). Empty: the answerer reads the passages alone.
    surroundings: Mapping[str, Passage] = field(default_factory=dict)
    # PDF page offsets of the passages' articles, so citations can name their page.
    page_starts: Mapping[str, Sequence[int]] = field(default_factory=dict)
    date_window: DateWindow | None = None  # the question's dates, read as of the day it is asked
    # The articles searched, in words ("published by 1 May 2024"), when filters or the question's
    # period left others out; "" when the whole archive was.
    scope: str = ""


@dataclass(frozen=True)
class Feedback:
    """A reader's verdict on one answer: +1 (good) or -1 (bad), with an optional note."""

    rating: int
    note: str = ""


@dataclass(frozen=True)
class Exchange:
    """One question of a saved conversation, the answer it got, and the search settings it was asked with."""

    id: int
    question: str
    answer: Answer
    settings: Mapping[str, object]
    created_at: dt.datetime
    feedback: Feedback | None = None


@dataclass(frozen=True)
class Conversation:
    """A saved chat, titled by its first question; ``exchanges`` is filled only when one is asked for."""

    id: str
    title: str
    created_at: dt.datetime
    updated_at: dt.datetime
    exchanges: tuple[Exchange, ...] = ()
    size: int = 0  # how many exchanges it holds (also when they are not loaded)

    def turns(self) -> list[Turn]:
        """The (question, answer text) pairs a follow-up question reads."""
        return [(e.question, e.answer.text) for e in self.exchanges]
