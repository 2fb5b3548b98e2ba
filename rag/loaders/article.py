"""The one place a loaded source becomes an ``Article``: cleaning, title fallback, empty check."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import PurePath

from rag.cleaning import clean_article_text
from rag.errors import LoadError
from rag.types import Article

from .dates import article_date


def title_from_name(name: str) -> str:
    """Turn a file name or URL path segment into a readable title, for sources without a headline."""
    stem = _readable(PurePath(name).stem if "." in name else name)
    return re.sub(r"\s+", " ", re.sub(r"[_\-]+", " ", stem)).strip()


def source_label(source: str) -> str:
    """What a stored article names as its source: URLs whole, files by name, never the folder they were
    read from (a server path, or an upload's temporary folder); a record keeps its number."""
    if "://" in source:
        return source
    record, colon, path = source.partition(":")
    if colon and record == "json":
        return f"json:{_readable(PurePath(path).name)}"
    return _readable(PurePath(source).name or source)


def _readable(name: str) -> str:
    """A file name whose bytes are not UTF-8 (held as lone surrogates) with "\ufffd" for those bytes."""
    return name.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def check_length(chars: int, max_chars: int, read_so_far: bool = False) -> None:
    """Refuse a text of ``chars`` characters (``read_so_far``: or more) over the per-article limit,
    before any cleaning, chunking or embedding is spent on it."""
    if chars > max_chars:
        raise LoadError(
            f"is {'over ' if read_so_far else ''}{chars:,} characters long, over the {max_chars:,}-character "
            "limit per article (split it, or raise RAG_MAX_ARTICLE_CHARS to allow)"
        )


def build_article(
    raw_text: str,
    *,
    source: str,
    fallback_title: str,
    title: str = "",
    url: str | None = None,
    published: dt.date | None = None,
    article_id: str = "",
) -> Article:
    """Clean ``raw_text`` and wrap it; raises LoadError when no story text is left."""
    cleaned = clean_article_text(raw_text, title=title.strip())
    if not cleaned.text:
        raise LoadError("has no text (nothing is left once page boilerplate is removed)")
    return Article(
        title=cleaned.title or fallback_title.strip() or source,
        text=cleaned.text,
        id=article_id,
        url=url or None,
        published=published or article_date(cleaned.text, url or ""),
        source=source,
    )
