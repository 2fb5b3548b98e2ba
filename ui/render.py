"""Pure formatting of answers into chat markdown, where every article-supplied string is escaped.

Article titles, quotes and URLs come from files and web pages nobody vetted, so they are
escaped into inert text (HTML and markdown syntax alike) before they reach the chat, and only
http(s) URLs become links. The answer's own ``[n]`` markers are the one markup let through.
"""

from __future__ import annotations

import datetime as dt
import html
from urllib.parse import quote, urlsplit

from rag.citations import CLOSEST_SOURCES, find_markers, marker
from rag.errors import RagError
from rag.types import Answer, Citation, Passage

NOT_FOUND = "**Not found in the articles.**"
SOURCES_HEADING = "**Sources**"
CLOSEST_HEADING = "**Closest sources**"
ERROR_PREFIX = "⚠️ "
SNIPPET_CHARS = 200

# HTML specials plus the characters that start markdown links, images, code, emphasis, tables
# and math; as character references they render as themselves and never as syntax.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: f"&#{ord(c)};" for c in "[]\\`*_~|$"})
# Characters kept as they are in a link target; everything else is percent-encoded, so a URL
# can never close the markdown link or carry markup.
_URL_SAFE = "/:?#@!$&+,;=%~-._*"
# Section headings start a new paragraph with `**`, which escaped answer text never contains.
_SECTION = "\n\n**"


def escape_text(text: str) -> str:
    """Article text as inert markdown: it renders as written, never as HTML or markdown syntax."""
    return text.translate(_ESCAPES)


def escape_answer(text: str) -> str:
    """Answer text escaped like article text, with its ``[n]`` citation markers kept readable.

    A marker followed by `(` or `:` is escaped too: it would make a link or a link definition.
    """
    out, last = [], 0
    for start, end, _ in find_markers(text):
        keep = text[end : end + 1] not in ("(", ":")
        out.append(escape_text(text[last : start if keep else end]) + (text[start:end] if keep else ""))
        last = end
    return "".join(out) + escape_text(text[last:])


def safe_url(url: str) -> str:
    """The URL encoded for a markdown link, or "" unless it is an http(s) URL with a host."""
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return quote(url, safe=_URL_SAFE)


def render_answer(answer: Answer) -> str:
    """Chat markdown for an answer: its text with ``[n]`` markers, then the sources they point to."""
    if answer.abstained:
        closest = [_render_passage(p) for p in answer.passages[:CLOSEST_SOURCES]]
        body = f"{NOT_FOUND} {escape_answer(answer.text)}"
        return "\n\n".join([body, CLOSEST_HEADING, *closest]) if closest else body
    body = escape_answer(answer.text)
    if not answer.citations:
        return body
    return "\n\n".join([body, SOURCES_HEADING, *(_render_citation(c) for c in answer.citations)])


def render_partial(text: str) -> str:
    """Chat markdown for the part of an answer streamed so far."""
    return escape_answer(text)


def render_error(error: RagError) -> str:
    """A library error as a chat message that says what to do, without a traceback."""
    # Library messages name commands in `backticks`, so only HTML is escaped here.
    return ERROR_PREFIX + html.escape(str(error), quote=False)


def answer_text_of(message: str) -> str | None:
    """The answer text inside a rendered chat message (for follow-ups), None for an error message."""
    if message.startswith(ERROR_PREFIX):
        return None
    body = message.split(_SECTION, 1)[0].removeprefix(NOT_FOUND + " ")
    return html.unescape(body)


def _render_citation(citation: Citation) -> str:
    details = [_link(citation.title, citation.url), *_date(citation.published)]
    if citation.page:
        details.append(f"page {citation.page}")
    number = f"**{marker(citation.index)}** "
    return number + " · ".join(details) + "\n> " + escape_text(_one_line(citation.quote))


def _render_passage(passage: Passage) -> str:
    details = " · ".join([_link(passage.title, passage.url), *_date(passage.published)])
    return f"- {details}: {escape_text(_snippet(passage.text))}"


def _link(title: str, url: str) -> str:
    label = escape_text(_one_line(title)) or "Untitled"
    target = safe_url(url)
    return f"[{label}]({target})" if target else label


def _date(published: dt.date | None) -> list[str]:
    return [published.isoformat()] if published else []


def _one_line(text: str) -> str:
    return " ".join(text.split())


def _snippet(text: str) -> str:
    flat = _one_line(text)
    if len(flat) <= SNIPPET_CHARS:
        return flat
    return flat[:SNIPPET_CHARS].rsplit(" ", 1)[0] + "…"
