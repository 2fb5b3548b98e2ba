"""The ``[n]`` citation format in one place: markers, citations and their pages, source lists.

Answer text cites its sources with markers such as ``[1]``; a model may also write runs like
``[1, 3]`` or ``[1][2]``, which are renumbered into single markers before anyone sees them.
Everything that makes, reads, renumbers, strips or lists citations goes through here, so the
CLI, the OpenAI-compatible endpoint and the chat all show them alike, and earlier turns of any
chat (Gradio's two history shapes, OpenAI's messages) are read back the same way.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import replace

from rag.types import Answer, Citation, Passage, Turn

# One marker, and a run of them (``[3]``, ``[1, 3]``, ``[1] [2]``) with the whitespace before it,
# which goes too when every marker of the run is dropped.
_ONE = re.compile(r"\[(\d+)\]")
_RUN = re.compile(r"(\s*)(\[\d+(?:\s*,\s*\d+)*\](?:\s*\[\d+(?:\s*,\s*\d+)*\])*)")
_NUMBER = re.compile(r"\d+")
_LEADING = re.compile(r"^(?:\s*\[\d+\])+")
# The end of a streamed text that may still grow into a marker run.
_PARTIAL = re.compile(r"\s*(?:\[[\d,\s]*\]\s*)*(?:\[[\d,\s]*)?$")
MAX_HELD = 40
"""Characters a stream may hold back while a marker run completes; longer is plain text."""
# A quote opening with one of these is direct speech: it is shown without a second pair.
_OPENING_QUOTES = "\"“„«‘'"

ABSTAIN_TEXT = (
    "I could not find the answer to that in the articles. The closest sources are listed below; "
    "try rephrasing, or add articles that cover it."
)
NOTHING_MATCHED_TEXT = (
    "No article matched this search, so there is nothing to quote: check the dates or the articles "
    "the question is limited to, or add articles that cover it."
)
"""The abstention when the filters left no passage: there are no closest sources to point to."""
SOURCES_HEADING = "Sources:"
CLOSEST_HEADING = "Closest sources:"
CLOSEST_SOURCES = 3
"""Passages an abstention lists as the closest sources."""
SNIPPET_CHARS = 160


def marker(index: int) -> str:
    """The marker citing source ``index``."""
    return f"[{index}]"


def cited(text: str, index: int) -> str:
    """``text`` followed by the marker citing source ``index``."""
    return f"{text} {marker(index)}"


def find_markers(text: str) -> list[tuple[int, int, int]]:
    """(start, end, number) of every single ``[n]`` marker in ``text``."""
    return [(m.start(), m.end(), int(m.group(1))) for m in _ONE.finditer(text)]


def replace_markers(text: str, replacement: Callable[[int], str]) -> str:
    """``text`` with each single ``[n]`` marker replaced by ``replacement(n)``."""
    return _ONE.sub(lambda m: replacement(int(m.group(1))), text)


def marker_numbers(text: str) -> tuple[int, ...]:
    """Every number cited in ``text``, in order, runs such as ``[1, 3]`` included."""
    return tuple(int(n) for m in _RUN.finditer(text) for n in _NUMBER.findall(m.group(2)))


def strip_markers(text: str) -> str:
    """The text without any citation markers."""
    return _RUN.sub("", text).strip()


def renumber(text: str, number: Callable[[int], int | None]) -> str:
    """Each marker run rewritten as single markers ``[number(n)]``; ``None`` drops a marker.

    Repeats within a run are written once; a run left empty goes with the whitespace before it.
    """

    def rewrite(match: re.Match[str]) -> str:
        kept = [new for n in _NUMBER.findall(match.group(2)) if (new := number(int(n))) is not None]
        return match.group(1) + "".join(marker(n) for n in dict.fromkeys(kept)) if kept else ""

    return _RUN.sub(rewrite, text)


def incomplete_tail(text: str) -> int:
    """Where a trailing, possibly unfinished marker run starts (``len(text)`` when there is none)."""
    cut = _PARTIAL.search(text)
    return cut.start() if cut and len(text) - cut.start() <= MAX_HELD else len(text)


def leading_markers(sentence: str) -> tuple[tuple[int, ...], str]:
    """The numbers of markers opening ``sentence`` (they cite the sentence before), and the rest."""
    found = _LEADING.match(sentence)
    if not found:
        return (), sentence
    return marker_numbers(found.group(0)), sentence[found.end() :]


def citation_for(index: int, passage: Passage, start: int, end: int) -> Citation:
    """A citation quoting ``[start, end)`` of the passage's article (offsets are article offsets)."""
    quote = passage.text[start - passage.start : end - passage.start]
    return Citation(
        index=index, article_id=passage.article_id, title=passage.title, url=passage.url,
        published=passage.published, quote=quote, start=start, end=end,
    )  # fmt: skip


def page_of(offset: int, page_starts: Sequence[int]) -> int | None:
    """1-based page holding ``offset`` in a PDF's text, or None for other articles."""
    if not page_starts:
        return None
    return bisect.bisect_right(list(page_starts), offset) or 1


def with_pages(answer: Answer, page_starts: Mapping[str, Sequence[int]]) -> Answer:
    """The answer with each citation's PDF page filled in from its article's page offsets."""
    if not any(page_starts.get(c.article_id) for c in answer.citations):
        return answer
    cited_ = tuple(
        replace(c, page=page_of(c.start, page_starts.get(c.article_id, ()))) for c in answer.citations
    )
    return replace(answer, citations=cited_)


def source_list(answer: Answer) -> str:
    """The numbered sources of an answer as plain text, or its closest sources when it abstained."""
    if answer.citations:
        return "\n".join([SOURCES_HEADING, *(citation_text(c) for c in answer.citations)])
    if answer.abstained and answer.passages:
        closest = answer.passages[:CLOSEST_SOURCES]
        return "\n".join(
            [CLOSEST_HEADING, *(_entry("-", p.title, p.published, p.url, snippet(p.text)) for p in closest)]
        )
    return ""


def citation_text(citation: Citation) -> str:
    """One numbered source as plain text: marker, title, date, page and link, then the quote."""
    c = citation
    return _entry(marker(c.index), c.title, c.published, c.url, c.quote, c.page)


def plain_answer(answer: Answer) -> str:
    """The answer text followed by its source list: what plain-text outputs show."""
    sources = source_list(answer)
    return f"{answer.text}\n\n{sources}" if sources else answer.text


def answer_of_plain(reply: str) -> str:
    """The answer text of a ``plain_answer`` reply, its source list left out."""
    for heading in (SOURCES_HEADING, CLOSEST_HEADING):
        reply = reply.split(f"\n\n{heading}\n", 1)[0]
    return reply


def chat_turns(
    messages: Iterable[object], answer_of: Callable[[str], str | None] = answer_of_plain
) -> list[Turn]:
    """Earlier (question, answer) pairs of a chat, oldest first.

    ``messages`` are role/content mappings (Gradio's messages, OpenAI's) or Gradio's
    ``[user, assistant]`` pairs; system and tool messages are ignored. ``answer_of`` reads the
    answer text out of a reply as it was shown, or returns None for a failed turn, which is skipped.
    """
    turns: list[Turn] = []
    question: str | None = None
    for role, text in _roles(messages):
        if role == "user":
            question = text
        elif role == "assistant" and question is not None:
            answer = answer_of(text)
            if answer is not None:
                turns.append((question, answer))
            question = None
    return turns


# The part types that hold text: Chat Completions' and Gradio's "text", the Responses API's "input_text".
TEXT_PARTS = frozenset({"text", "input_text"})


def message_text(content: object) -> str:
    """The text of a message's content: a string, or a list of parts of which only text counts."""
    if isinstance(content, str):
        return content
    if isinstance(content, Mapping):
        return str(content.get("text") or "") if content.get("type") in TEXT_PARTS else ""
    if isinstance(content, Sequence):
        return "\n".join(text for part in content if (text := message_text(part)))
    return ""  # files and components carry no text


def _roles(messages: Iterable[object]) -> Iterator[tuple[str, str]]:
    for message in messages:
        if isinstance(message, Mapping):
            yield str(message.get("role", "")), message_text(message.get("content"))
        elif isinstance(message, Sequence) and not isinstance(message, str) and len(message) == 2:
            user, reply = message  # Gradio's pair; a non-text side (a file, a component) has no text
            if user is not None:
                yield "user", user if isinstance(user, str) else ""
            if reply is not None:
                yield "assistant", reply if isinstance(reply, str) else ""


def _entry(
    bullet: str, title: str, published: dt.date | None, url: str | None, quote: str, page: int | None = None
) -> str:
    date = f" ({published.isoformat()})" if published else ""
    date += f", page {page}" if page else ""
    link = f" <{url}>" if url else ""
    return f"{bullet} {title}{date}{link}\n    {quoted(quote)}"


def quoted(text: str) -> str:
    """A quote in quotation marks, unless it opens with its own (a sentence of direct speech)."""
    return text if text[:1] in _OPENING_QUOTES else f'"{text}"'


def snippet(text: str) -> str:
    """The start of a passage on one line, cut at a word: what a list of closest sources shows."""
    flat = " ".join(text.split())
    return flat if len(flat) <= SNIPPET_CHARS else flat[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
