"""Which named body a sentence's "the hospital" stands for, from the rest of its article.

News names a body once ("Kestrel General Hospital", "the Northmoor Ambulance Service") and then
calls it by its last word: "The hospital has been fined 120,000 pounds". A question that uses the
name ("How much was Kestrel General fined?") would otherwise find that sentence silent on the very
subject it asks about, and the selector reads a subject missing from a sentence and its neighbours as
another subject. Pure text work: no model, a regular expression per article.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

# Two to five capitalised words, the last one the body's kind: "Kestrel General Hospital",
# "Lisle Angling Club". A leading article is no part of the name.
_NAME = re.compile(r"\b(?:(?:The|A|An)\s+)?((?:[A-Z][\w-]*\s+){1,4}([A-Z][a-z][\w-]*))\b(?!['’]?\s*[A-Z])")
_ARTICLE = frozenset({"The", "A", "An"})
# A last word this short is more often an initial or a title than a body's kind.
_MIN_HEAD = 4


def named_heads(texts: Iterable[str]) -> dict[str, str]:
    """Each last word (lowercase) of a multi-word name in ``texts`` mapped to that name, when one
    name alone ends with it: with two "... Hospital"s in the article, "the hospital" is neither."""
    found: dict[str, set[str]] = {}
    for text in texts:
        for m in _NAME.finditer(text):
            name = " ".join(w for w in m.group(1).split() if w not in _ARTICLE)
            if " " not in name or len(m.group(2)) < _MIN_HEAD:
                continue
            found.setdefault(m.group(2).lower(), set()).add(name)
    return {head: next(iter(names)) for head, names in found.items() if len(names) == 1}


def referents(sentence: str, heads: dict[str, str]) -> str:
    """The names that "the <last word>" in ``sentence`` stands for (``named_heads`` of its article),
    space-separated; none the sentence already says in full."""
    if not heads:
        return ""
    named = []
    for m in _THE.finditer(sentence):
        name = heads.get(m.group(1).lower())
        if name and name not in sentence and name not in named:
            named.append(name)
    return " ".join(named)


_THE = re.compile(r"\bthe\s+([\w-]+)", re.I)
