"""Answer text that other clients can render as markdown without running what an article or a model wrote.

API clients (chat front ends, notebooks) render answers as markdown, often with raw HTML allowed
and without checking link targets. Article sentences and model text are untrusted, so every
answer text the API sends (REST ``text``, SSE deltas, OpenAI content) is made inert first; once
rendered it reads the same:

- ``<`` becomes ``&lt;``: no raw HTML (``<script>``, ``<img onerror>``) and no autolinks;
- the ``(`` of ``](`` is escaped unless an http(s) target follows, so ``[x](javascript:...)`` and
  ``![x](data:...)`` stay text;
- the colon of a link reference definition (``[x]: ...`` at a line's start) is escaped, and so is
  the colon of a ``javascript:`` or ``vbscript:`` scheme anywhere, for renderers that link bare URLs.

``[n]`` markers are never touched: no rule changes ``[``, a digit or ``]``.
"""

from __future__ import annotations

import re

_SAFE_TARGET = re.compile(r"https?://", re.IGNORECASE)
_DEFINITION = re.compile(r" {0,3}\[[^\]]*\]")
_SCRIPT_SCHEMES = ("javascript", "vbscript")
# A rule reads at most this many characters after the one it changes (the "https://" of a target).
LOOKAHEAD = len("https://")


def neutralise(text: str) -> str:
    """``text`` with raw HTML, non-http(s) link targets, link definitions and script schemes made literal."""
    return _neutralised(text, 0, len(text))


def _neutralised(text: str, start: int, end: int) -> str:
    """``text[start:end]`` made inert, reading the text around it for context."""
    return "".join(_safe_char(text, i) for i in range(start, end))


def _safe_char(text: str, i: int) -> str:
    char = text[i]
    if char == "<":
        return "&lt;"
    after_bracket = i > 0 and text[i - 1] == "]"
    if char == "(" and after_bracket and not _SAFE_TARGET.match(text, i + 1):
        return "\\("
    if char == ":" and after_bracket and _DEFINITION.fullmatch(text, text.rfind("\n", 0, i) + 1, i):
        return "\\:"
    if char == ":" and text[max(0, i - len("javascript")) : i].lower().endswith(_SCRIPT_SCHEMES):
        return "&#58;"
    return char


class StreamNeutraliser:
    """``neutralise`` for text arriving in pieces: what it returns, joined, is ``neutralise`` of the whole.

    The last LOOKAHEAD characters are held back until more text (or the end) shows what they are.
    """

    def __init__(self) -> None:
        self._raw = ""
        self._sent = 0

    def feed(self, piece: str) -> str:
        """The newly safe text once ``piece`` is appended (possibly "")."""
        self._raw += piece
        return self._release(max(self._sent, len(self._raw) - LOOKAHEAD))

    def finish(self) -> str:
        """The text held back, now that nothing follows it."""
        return self._release(len(self._raw))

    def _release(self, upto: int) -> str:
        out = _neutralised(self._raw, self._sent, upto)
        self._sent = upto
        return out
