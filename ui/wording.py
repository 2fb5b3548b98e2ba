"""Counts in the words a reader expects: "1 chunk", "2 chunks", "0 articles"."""

from __future__ import annotations


def counted(number: int, noun: str) -> str:
    """``number`` and ``noun``, plural unless it is exactly one (nouns here all take an "s")."""
    return f"{number:,} {noun}{'' if number == 1 else 's'}"
