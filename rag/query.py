"""Question handling before retrieval: validation, follow-up context and the wish for recency."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.errors import InputError
from rag.types import Turn

_FOLLOW_UP_START = re.compile(
    r"^(?:and|but|or|also|so|then|what about|how about|and what|what else|why|how come|who else|"
    r"what did|what does|what do|did|does|is|are|was|were)\b",
    re.IGNORECASE,
)
_PRONOUN = re.compile(r"\b(?:it|its|they|them|their|he|him|his|she|her|this|that|these|those|there)\b", re.I)
_LATEST = re.compile(
    r"\b(?:latest|newest|most recent|recently|currently|current|now|today|this week|update[sd]?|still)\b",
    re.I,
)
_FOLLOW_UP_MAX_WORDS = 12


def validate_question(question: str, max_chars: int) -> str:
    """Trimmed question, or InputError for an empty or over-long one."""
    text = question.strip() if isinstance(question, str) else ""
    if not text:
        raise InputError("The question is empty: type a question about the articles.")
    if len(text) > max_chars:
        raise InputError(f"The question is {len(text)} characters long; the limit is {max_chars}.")
    return text


def is_follow_up(question: str) -> bool:
    """True for a short question that leans on the previous turn ("and what about X?")."""
    if len(question.split()) > _FOLLOW_UP_MAX_WORDS:
        return False
    return bool(_FOLLOW_UP_START.match(question.strip()) or _PRONOUN.search(question))


def search_query(question: str, history: Sequence[Turn]) -> str:
    """The text to search with: a follow-up carries the previous question along for context."""
    if not history or not is_follow_up(question):
        return question
    previous = history[-1][0].strip()
    return f"{question} {previous}" if previous else question


def wants_latest(question: str) -> bool:
    """True when the question asks for the newest state of affairs."""
    return bool(_LATEST.search(question))
