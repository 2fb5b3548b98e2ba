"""Escaping for what the chat renders: every article-supplied string becomes inert text.

Article titles, quotes and URLs come from files and web pages nobody vetted, so they are
escaped into inert text (HTML and markdown syntax alike) before they reach the chat, and only
http(s) URLs become links. The answer's own ``[n]`` markers are the one markup let through.
"""

from __future__ import annotations

from urllib.parse import quote, urlsplit

from rag.citations import find_markers

# HTML specials plus the characters that start markdown links, images, code, emphasis, tables
# and math; as character references they render as themselves and never as syntax.
_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;"} | {c: f"&#{ord(c)};" for c in "[]\\`*_~|$"})
# Characters kept as they are in a link target; everything else is percent-encoded, so a URL
# can never close the markdown link or carry markup.
_URL_SAFE = "/:?#@!$&+,;=%~-._*"


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


def safe_url(url: str | None) -> str:
    """The URL encoded for a markdown link, or "" unless it is an http(s) URL with a host (None: no link)."""
    url = (url or "").strip()
    try:
        parts = urlsplit(url)
    except ValueError:  # e.g. a malformed IPv6 host
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return quote(url, safe=_URL_SAFE)
