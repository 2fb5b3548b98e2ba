"""Text that Python holds but nothing else can: lone surrogates, which JSON's ``\\ud800`` escapes produce.

A str with one cannot be encoded as UTF-8, so SQLite, the tokenizer and every HTTP response fail
on it; it is refused where text enters (questions, records, articles) with a message naming where.
"""

from __future__ import annotations

import re

_SURROGATE = re.compile("[\ud800-\udfff]")


def surrogate_problem(text: str, what: str) -> str:
    """Why ``text`` is not valid Unicode ("" when it is), naming ``what`` it is and where it breaks."""
    found = _SURROGATE.search(text)
    if found is None:
        return ""
    return (
        f"The {what} is not valid Unicode: it holds a lone surrogate "
        f"(\\u{ord(found.group()):04x}, character {found.start() + 1}), which usually comes from a "
        "broken \\u escape in JSON. Fix the text and retry."
    )
