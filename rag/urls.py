"""Which article links may be stored: absolute http(s) URLs only, so no stored link can run script.

Every interface shows an article's link as something to click; a ``javascript:`` or ``data:``
link would run in the reader's browser. The UI filters links when it renders them, but other
clients of the HTTP API render them too, so the check happens once, where articles come in.
An article with any other link is refused with a reason rather than stored without its link:
the link also decides the article's id, so silently dropping it would change what the article is.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from rag.errors import InputError

ALLOWED_SCHEMES = frozenset({"http", "https"})


def is_web_url(url: str) -> bool:
    """True for an absolute http(s) URL with a host and no control characters or spaces."""
    # Browsers drop tabs and newlines inside a URL ("java\tscript:"), so any such character is refused.
    if any(ord(ch) < 0x20 or ord(ch) == 0x7F for ch in url):
        return False
    try:
        parts = urlsplit(url)
        host = parts.hostname
    except ValueError:  # e.g. a malformed IPv6 host
        return False
    return parts.scheme.lower() in ALLOWED_SCHEMES and bool(host)


def check_article_url(url: str | None) -> str | None:
    """The link with surrounding spaces removed (None for none, also for ""); InputError unless it is http(s)."""
    link = (url or "").strip()
    if not link:
        return None
    if not is_web_url(link):
        shown = link[:60] + ("..." if len(link) > 60 else "")
        raise InputError(
            f"The article's link {shown!r} is not an http(s) URL: fix it or leave it empty "
            "(other links, such as javascript:, are refused)."
        )
    return link
