"""Question checks before retrieval: validation, and the wish for recency.

A follow-up is made standalone by ``rag.follow_ups``.
"""

from __future__ import annotations

import re

from rag.errors import InputError
from rag.settings import MAX_K
from rag.textcheck import surrogate_problem

# The newest report, not the present: "still missing" or "the current rate" asks what the articles
# say is true now, which the date window reads as ``current`` (rag.timeframe), and must not let a
# newer article's weaker sentence win.
_LATEST = re.compile(
    r"\b(?:latest|newest|freshest|most recent(?:ly)?|last heard|up[ -]to[ -]date|update[sd]?)\b", re.I
)


def validate_question(question: str, max_chars: int) -> str:
    """Trimmed question, or InputError for an empty, wordless ("?"), over-long or undecodable one."""
    text = question.strip() if isinstance(question, str) else ""
    if not text:
        raise InputError("The question is empty: type a question about the articles.")
    if not any(ch.isalnum() for ch in text):  # "?" would be searched, and "answered" by arbitrary sources
        raise InputError("The question has no words: type a question about the articles.")
    if len(text) > max_chars:
        raise InputError(f"The question is {len(text)} characters long; the limit is {max_chars}.")
    if problem := surrogate_problem(text, "question"):
        raise InputError(problem)
    return text


def validate_k(k: int | None) -> int | None:
    """``k`` as given (None: the setting's), or InputError when it is no number of passages to retrieve."""
    if k is not None and not 1 <= k <= MAX_K:
        raise InputError(f"k, the number of passages, must be a whole number from 1 to {MAX_K} (got {k}).")
    return k


def wants_latest(question: str) -> bool:
    """True when the question asks for the newest state of affairs."""
    return bool(_LATEST.search(question))
