"""Whether a quoted sentence stands on its own: one that leans on the sentence before it, or goes on from it.

A quote opening on "He said" or "The company" does not say who; the answer then quotes the sentence
before too, and a sentence after the best one counts only when it goes on from it. ``quotes``,
``people`` and ``predicates`` all ask this, so it is one small module below them.
"""

from __future__ import annotations

import re

from rag.mentions import find_mentions
from rag.terms import content_stems, stem

# A sentence that opens with a pronoun, or says "he said" without naming anyone, leans on the one before.
_OPENS_WITH_PRONOUN = re.compile(
    r"^[\"“‘']?(?:he|she|they|it|its|his|her|their|this|these|those|that|him|them|the company|the firm|the money|the sum|the payment|the funds?)\b",
    re.I,
)
_BARE_SPEAKER = re.compile(
    r"(?:[,\"”]\s*|^)(?:he|she|they)\s+(?:said|says|told|added|wrote|explained|argued|warned|noted)\b"
    # '..., said he.' inverts the speaker to the clause's end; 'allies have said they will' names its own.
    r"|\b(?:said|says|added)\s+(?:he|she|they)\s*(?:[.,;:!?]|$)",
    re.I,
)
_NAMED = frozenset({"person", "org"})


# "No other deaths were reported.", "Another 300 homes ...": a sentence that adds to the one before.
_ADDS_TO = re.compile(r"^[\"“‘']?(?:no\s+other|(?:the\s+)?others?|another|neither|both)\b", re.I)


def adds_to_before(sentence: str) -> bool:
    """True for a sentence that adds to the one before it ("No other deaths were reported.")."""
    return bool(_ADDS_TO.match(sentence))


def needs_context(sentence: str) -> bool:
    """True when a quote would not say who or what it is about without the sentence before it."""
    if _OPENS_WITH_PRONOUN.match(sentence) or _ADDS_TO.match(sentence):
        return True
    if _BARE_SPEAKER.search(sentence):
        return not any(m.kind in _NAMED for m in find_mentions(sentence))
    return False


# A sentence that goes on from the one before: it opens with a pronoun, names again one of its
# things ("Moscow denies the allegations." after "Moscow also faces allegations ..."), or ends on one
# ("Russia denies this.").
_BACK_REFERENCE = re.compile(r"\b(?:the|this|these|those|such)\s+([\w'’-]+)", re.I)
_ENDS_ON_PRONOUN = re.compile(r"\b(?:this|that|it|them)\s*[.!?]?\s*$", re.I)


def goes_on_from(sentence: str, after: str) -> bool:
    """True when ``after`` goes on from ``sentence``: it opens with a pronoun, ends on one ("Russia
    denies this.") or names again one of its things ("Moscow denies the allegations.")."""
    named = set(content_stems(sentence))
    return (
        needs_context(after)
        or bool(_ENDS_ON_PRONOUN.search(after))
        or any(stem(m.group(1)) in named for m in _BACK_REFERENCE.finditer(after))
    )
