"""Answers as chat HTML: clickable ``[n]`` markers, the numbered sources they open, and a debug view.

Every string that comes from an article, a user or an error goes through ``escape_text`` (or
``safe_url`` for links), so it renders as text; the only markup is the fixed set of tags written
here. Each ``[n]`` links to ``#src-<key>-<n>``, a ``<details>`` inside the same answer, and
``ui/assets.py`` opens it on click: a marker can only ever reach its own answer's sources.
The HTML has no newlines, so the chat's markdown renderer passes it through as one block.
"""

from __future__ import annotations

import datetime as dt
import html
import re
from collections.abc import Mapping
from dataclasses import replace

from rag.citations import CLOSEST_SOURCES, citation_text, cited, marker, replace_markers, snippet
from rag.errors import RagError
from rag.types import Answer, Citation, Passage
from ui.escaping import escape_answer, escape_text, safe_url
from ui.excerpt import PARAGRAPH_BREAK, Excerpt

SEARCHING = "Searching the articles…"
NOT_FOUND = "Not found in the articles."
STOPPED = "Stopped."
_BACKTICKS = re.compile(r"`([^`]+)`")
_PENDING = '<div class="answer pending">'


def render_searching() -> str:
    """The placeholder shown while passages are being retrieved."""
    return f'{_PENDING}<p class="status" role="status"><span class="spinner"></span>{SEARCHING}</p></div>'


def render_streaming(text: str) -> str:
    """The part of an answer streamed so far; its markers become links once the sources are known."""
    return f'{_PENDING}<p class="answer-text">{_flat(escape_answer(text))}</p></div>'


def render_stopped(message: str) -> str:
    """A pending answer the user stopped, marked as such; any other message is returned unchanged."""
    if not message.startswith(_PENDING):
        return message
    body = message.removeprefix(_PENDING).removesuffix("</div>")
    return f'<div class="answer stopped">{body}<p class="note">{STOPPED}</p></div>'


def render_error_html(error: RagError) -> str:
    """A library error as a friendly notice; `commands` in its message show as code."""
    text = _BACKTICKS.sub(r"<code>\1</code>", html.escape(_flat(str(error)), quote=False))
    return f'<div class="answer error" role="alert"><p>⚠️ {text}</p></div>'


def render_answer_html(answer: Answer, key: str, excerpts: Mapping[int, Excerpt]) -> str:
    """The finished answer: text with linked markers, its sources, and the retrieval details.

    ``key`` makes the source ids unique on the page; ``excerpts`` holds, per citation index,
    the paragraph around the quote (the quote alone is shown when one is missing).
    """
    if answer.abstained:
        return _render_abstention(answer)
    text = replace_markers(_flat(_emphasised(answer)), lambda n: _marker(n, key, len(answer.citations)))
    spans = _spans_by_article(answer.citations)
    sources = "".join(
        _render_source(c, key, excerpts.get(c.index), spans[c.article_id]) for c in answer.citations
    )
    listing = f'<ol class="sources" aria-label="Sources">{sources}</ol>' if sources else ""
    return f'<div class="answer"><p class="answer-text">{text}</p>{listing}{render_debug(answer)}</div>'


def _emphasised(answer: Answer) -> str:
    """The escaped answer text with each quote's short answer (``answer_start``/``answer_end``) in bold."""
    text, pieces, last = answer.text, [], 0
    for c in answer.citations:
        if c.answer_start is None or c.answer_end is None:
            continue
        at = text.find(cited(c.quote, c.index), last)
        if at < 0:
            continue
        start, end = at + c.answer_start - c.start, at + c.answer_end - c.start
        pieces += [
            escape_answer(text[last:start]),
            '<strong class="short-answer">',
            _text(text[start:end]),
            "</strong>",
        ]
        last = end
    return "".join(pieces) + escape_answer(text[last:])


def render_debug(answer: Answer) -> str:
    """The retrieved passages with their fused, dense and lexical scores, collapsed."""
    rows = "".join(_debug_row(i, p) for i, p in enumerate(answer.passages, 1))
    query = f"<p>Search query: <q>{_text(answer.search_query)}</q></p>" if answer.search_query else ""
    window = answer.date_window
    query += f'<p class="dates">{_text(window.summary())}</p>' if window else ""
    notes = "".join(f'<p class="note">{_text(note)}</p>' for note in answer.notes)
    table = (
        "<table><thead><tr><th>#</th><th>Article</th><th>Fused</th><th>Dense</th><th>Lexical</th>"
        f"<th>Passage</th></tr></thead><tbody>{rows}</tbody></table>"
        if rows
        else "<p>No passages were retrieved.</p>"
    )
    count = len(answer.passages)
    summary = f"Retrieval details ({count} passage{'' if count == 1 else 's'})"
    return f'<details class="debug"><summary>{summary}</summary>{query}{notes}{table}</details>'


def _render_abstention(answer: Answer) -> str:
    closest = "".join(_render_passage(p) for p in answer.passages[:CLOSEST_SOURCES])
    listing = (
        f'<p class="sources-heading">Closest sources</p><ul class="sources closest">{closest}</ul>'
        if closest
        else ""
    )
    notice = f'<p class="notice"><strong>{NOT_FOUND}</strong> {_text(answer.text)}</p>'
    return f'<div class="answer abstained">{notice}{listing}{render_debug(answer)}</div>'


def _marker(n: int, key: str, count: int) -> str:
    if not 1 <= n <= count:
        return marker(n)
    return f'<a class="cite" href="#src-{key}-{n}" aria-label="Source {n}">{marker(n)}</a>'


def _render_source(citation: Citation, key: str, excerpt: Excerpt | None, spans: str) -> str:
    excerpt = excerpt or Excerpt("", citation.quote, "")
    meta = _meta(citation.published, citation.page)
    quote = f"{_paragraphs(excerpt.before)}<mark>{_text(excerpt.quote)}</mark>{_paragraphs(excerpt.after)}"
    # Only http(s) links are shown anywhere, the copied text included.
    copied = citation_text(replace(citation, url=citation.url if safe_url(citation.url) else None))
    actions = _source_actions(citation.article_id, spans, copied)
    return (
        f'<li><details class="source" id="src-{key}-{citation.index}"><summary>'
        f'<span class="num">{marker(citation.index)}</span> <span class="title">{_title(citation.title)}</span>'
        f"{meta}</summary>{_link(citation.url)}<blockquote>{quote}</blockquote>{actions}</details></li>"
    )


def _render_passage(passage: Passage) -> str:
    meta = _meta(passage.published, None)
    actions = _source_actions(passage.article_id, f"{passage.start}-{passage.end}", None)
    return (
        f'<li><details class="source"><summary><span class="title">{_title(passage.title)}</span>{meta}'
        f'<span class="snippet">{_text(snippet(passage.text))}</span></summary>{_link(passage.url)}'
        f"<blockquote>{_text(passage.text)}</blockquote>{actions}</details></li>"
    )


def _source_actions(article_id: str, spans: str, copied: str | None) -> str:
    """Copy the quote with its citation; open the article whole, its cited spans highlighted (ui/app.js).

    The chat strips data-* attributes, so each button's value carries its text: the spans, a space,
    then the article id; newlines as character references keep the HTML one block.
    """
    copy = (
        f'<button type="button" class="action copy" value="{attribute(copied)}">Copy quote</button>'
        if copied
        else ""
    )
    target = attribute(f"{spans} {article_id}")
    opener = f'<button type="button" class="action open-article" value="{target}">Open in article</button>'
    return f'<p class="source-actions">{copy}{opener}</p>'


def _spans_by_article(citations: tuple[Citation, ...]) -> dict[str, str]:
    spans: dict[str, list[str]] = {}
    for c in citations:
        spans.setdefault(c.article_id, []).append(f"{c.start}-{c.end}")
    return {article_id: ",".join(found) for article_id, found in spans.items()}


def attribute(text: str) -> str:
    """``text`` as an attribute value on one line (newlines kept as character references)."""
    return html.escape(text, quote=True).replace("\r", "").replace("\n", "&#10;")


def _debug_row(rank: int, passage: Passage) -> str:
    scores = "".join(
        f"<td>{value:.3f}</td>" for value in (passage.score, passage.dense_score, passage.lexical_score)
    )
    return f"<tr><td>{rank}</td><td>{_title(passage.title)}</td>{scores}<td>{_text(passage.text)}</td></tr>"


def _meta(published: dt.date | None, page: int | None) -> str:
    parts = ([published.isoformat()] if published else []) + ([f"page {page}"] if page else [])
    return f'<span class="meta"> · {" · ".join(parts)}</span>' if parts else ""


def _link(url: str | None) -> str:
    target = safe_url(url)
    if not url or not target:
        return ""
    href = html.escape(target, quote=True)
    return f'<p class="link"><a href="{href}" target="_blank" rel="noopener noreferrer">{_text(url)}</a></p>'


def _title(title: str) -> str:
    return _text(title) or "Untitled"


def _text(text: str) -> str:
    return _flat(escape_text(text))


def _paragraphs(text: str) -> str:
    return "<br><br>".join(_text(part) for part in text.split(PARAGRAPH_BREAK))


def _flat(text: str) -> str:
    # A newline could end the HTML block early and hand the rest to the markdown parser.
    return re.sub(r"\s+", " ", text)
