"""The library as HTML: the article list (filtered, sorted) and the reader that shows one article whole.

Every string from an article goes through ``html.escape`` (links through ``safe_url``), so titles,
sources and text render as written; the only markup is the fixed set of tags written here.
Buttons carry the article id in ``data-article``; ``ui/library_tab.py`` turns a click into an event.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from rag.types import StoredArticle
from ui.escaping import safe_url
from ui.wording import counted

Order = Literal["published-desc", "published-asc", "added-desc"]
ORDERS: list[tuple[str, Order]] = [
    ("Newest published first", "published-desc"),
    ("Oldest published first", "published-asc"),
    ("Recently added first", "added-desc"),
]
# A library of thousands of articles is filtered, not scrolled: past this the list says how to narrow it.
LIST_LIMIT = 200
Span = tuple[int, int]


@dataclass(frozen=True)
class ListFilter:
    """What the article list shows: words to match, an inclusive published-date range, and the order."""

    query: str = ""
    published_from: dt.date | None = None
    published_to: dt.date | None = None
    order: Order = "published-desc"


def select_articles(articles: Sequence[StoredArticle], where: ListFilter) -> list[StoredArticle]:
    """The articles matching every word and the date range, in the chosen order."""
    kept = [a for a in articles if matches(a, where.query) and _in_range(a.published, where)]
    if where.order == "added-desc":
        return sorted(kept, key=lambda a: a.added_at, reverse=True)
    dated = sorted((a for a in kept if a.published), key=_published, reverse=where.order == "published-desc")
    return dated + [a for a in kept if not a.published]  # undated articles last either way


def matches(article: StoredArticle, query: str) -> bool:
    """Whether every word of ``query`` occurs in the article's title, source, URL or id."""
    haystack = " ".join([article.title, article.source, article.url or "", article.id]).casefold()
    return all(word in haystack for word in query.casefold().split())


def render_list(shown: Sequence[StoredArticle], total: int, note: str = "") -> str:
    """The article list: a count line, then one entry per article (title, date, source, copyable id)."""
    if not total:
        return '<p class="list-count">No articles yet: add files or paste an article above.</p>'
    count = f"{len(shown)} of {total} articles" if len(shown) != total else f"{total} articles"
    if len(shown) > LIST_LIMIT:
        count = f"The first {LIST_LIMIT} of {len(shown)} matching articles ({total} in all): narrow the filter to see others"
    warning = f'<p class="list-note" role="alert">⚠️ {html.escape(note)}</p>' if note else ""
    rows = "".join(_row(a) for a in shown[:LIST_LIMIT])
    listing = (
        f'<ul class="article-list">{rows}</ul>' if rows else '<p class="list-note">No article matches.</p>'
    )
    return f'{warning}<p class="list-count" role="status">{count}</p>{listing}'


def render_reader(article: StoredArticle, spans: Sequence[Span] = ()) -> str:
    """One article whole, with the ``spans`` (character offsets, e.g. cited sentences) highlighted."""
    link = safe_url(article.url)
    url = (
        f'<a href="{html.escape(link, quote=True)}" target="_blank" rel="noopener noreferrer">'
        f"{html.escape(article.url or '')}</a>"
        if link
        else ""
    )
    meta = _meta(article, url)
    marked = _marked(article.text, spans)
    note = (
        f'<p class="reader-note">{len(spans)} cited passage{"" if len(spans) == 1 else "s"} highlighted.</p>'
        if spans
        else ""
    )
    return (
        f'<article class="reader" aria-labelledby="reader-title"><h2 id="reader-title" tabindex="-1">'
        f"{_title(article.title)}</h2>{meta}{note}"
        f'<div class="article-text">{marked}</div></article>'
    )


def source_name(source: str) -> str:
    """A source as people know it: URLs whole, files by name (not the upload's temporary folder)."""
    return source if "://" in source else Path(source).name or source


def _row(article: StoredArticle) -> str:
    article_id = html.escape(article.id, quote=True)
    return (
        f'<li class="article-row"><button type="button" class="read" data-article="{article_id}">'
        f"{_title(article.title)}</button>{_meta(article, '')}</li>"
    )


def _meta(article: StoredArticle, url: str) -> str:
    published = article.published.isoformat() if article.published else "no date"
    article_id = html.escape(article.id, quote=True)
    parts = [
        f'<span class="published">Published {published}</span>',
        f'<span class="source">{html.escape(source_name(article.source))}</span>' if article.source else "",
        f"<span>{counted(article.chunks, 'chunk')}</span>",
        f'<span class="added">Added {article.added_at.strftime("%Y-%m-%d %H:%M")}</span>',
        url,
    ]
    copy = (
        f'<button type="button" class="copy-id copy" value="{article_id}" '
        f'aria-label="Copy the id {article_id}">Copy id</button>'
    )
    return (
        f'<p class="meta">{" · ".join(p for p in parts if p)}</p>'
        f'<p class="article-id">ID <code>{article_id}</code> {copy}</p>'
    )


def _marked(text: str, spans: Sequence[Span]) -> str:
    """``text`` escaped, with each (merged, in-range) span wrapped in ``<mark>``."""
    out, at = [], 0
    for start, end in _merged(spans, len(text)):
        out += [html.escape(text[at:start]), f"<mark>{html.escape(text[start:end])}</mark>"]
        at = end
    out.append(html.escape(text[at:]))
    return "".join(out)


def _merged(spans: Sequence[Span], length: int) -> list[Span]:
    merged: list[Span] = []
    for start, end in sorted((max(0, s), min(e, length)) for s, e in spans if s < e):
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


def _in_range(published: dt.date | None, where: ListFilter) -> bool:
    if where.published_from is None and where.published_to is None:
        return True
    if published is None:
        return False
    low, high = where.published_from or dt.date.min, where.published_to or dt.date.max
    return low <= published <= high


def _published(article: StoredArticle) -> dt.date:
    return article.published or dt.date.min


def _title(title: str) -> str:
    return html.escape(" ".join(title.split())) or "Untitled"
