"""Web pages: trafilatura finds the story text and its metadata among navigation, ads and scripts."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from rag.days import parse_date
from rag.errors import LoadError
from rag.types import Article

from .article import build_article

if TYPE_CHECKING:
    from trafilatura.settings import Document


def article_from_html(html: str | bytes, source: str, fallback_title: str, url: str = "") -> Article:
    """The main article of a page with its title, date and canonical URL (else ``url``, its origin)."""
    document = _extract(html, url)
    if document is None or not (document.text or "").strip():
        raise LoadError("has no article text that could be found in the HTML")
    # trafilatura puts one paragraph per line; blank lines keep paragraphs apart for the cleaner and chunker.
    text = re.sub(r"\n+", "\n\n", document.text or "")
    return build_article(
        text,
        source=source,
        title=document.title or "",
        url=document.url or url,
        published=parse_date(document.date),
        fallback_title=fallback_title,
    )


def _extract(html: str | bytes, url: str) -> Document | None:
    """The single call into trafilatura, whose result type depends on its arguments.

    Imported here, not at module level: trafilatura and lxml take about half a second to
    load, which commands that never read HTML (``rag ask``, ``rag serve``) should not pay.
    """
    import trafilatura
    from trafilatura.settings import Document

    try:
        result = trafilatura.bare_extraction(
            html, url=url or None, with_metadata=True, include_comments=False, include_tables=True
        )
    except (ValueError, TypeError) as err:
        raise LoadError(f"could not be parsed as HTML: {err}") from err
    return result if isinstance(result, Document) else None
