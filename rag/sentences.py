"""Sentence splitting with character offsets, so every quote can point back into the text."""

from __future__ import annotations

import re

from rag.types import Passage

# Words that end with a period without ending the sentence (titles, months, initials-like).
_ABBREVIATIONS = frozenset(
    """
    mr mrs ms dr prof sr jr st mt ft gen col lt sgt capt cmdr adm gov sen rep rev hon pres jan feb
    mar apr jun jul aug sep sept oct nov dec mon tue wed thu fri sat sun no nos vol vols fig figs p
    pp ed eds est approx dept inc ltd co corp bros vs etc al e.g i.e u.s u.k u.n a.m p.m d.c
    """.split()
)

# A candidate end: terminal punctuation, optional closing quotes/brackets, then whitespace.
_END = re.compile(r"[.!?…]+[\"'”’)\]]*(?=\s)")
_NEXT_STARTS_SENTENCE = re.compile(r"\s+[\"'“‘(\[]?[A-Z0-9À-Ý]")
_LINE_BREAK = re.compile(r"\n+")


def split_sentences(text: str) -> list[tuple[int, int]]:
    """Return ``(start, end)`` spans of the sentences of ``text``, trimmed of whitespace.

    Line breaks always end a sentence (headlines, captions and list items are lines of
    their own); inside a line, a period ends one unless it follows a known abbreviation
    or a single initial, or the next word starts in lower case.
    """
    spans: list[tuple[int, int]] = []
    line_start = 0
    for match in _LINE_BREAK.finditer(text + "\n"):
        _split_line(text, line_start, match.start(), spans)
        line_start = match.end()
    return spans


def _split_line(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    line = text[start:end]
    cursor = 0
    for match in _END.finditer(line):
        stop = match.end()
        if not _NEXT_STARTS_SENTENCE.match(line, stop) or _is_abbreviation(line, match.start()):
            continue
        _add_span(text, start + cursor, start + stop, spans)
        cursor = stop
    _add_span(text, start + cursor, end, spans)


def _is_abbreviation(line: str, dot: int) -> bool:
    if line[dot] != ".":
        return False
    word_start = dot
    while word_start > 0 and not line[word_start - 1].isspace() and line[word_start - 1] not in "\"'“(":
        word_start -= 1
    word = line[word_start:dot].lower()
    if len(word) == 1 and word.isalpha():
        return True  # an initial: "J. Smith"
    return word in _ABBREVIATIONS


def _add_span(text: str, start: int, end: int, spans: list[tuple[int, int]]) -> None:
    while start < end and text[start].isspace():
        start += 1
    while end > start and text[end - 1].isspace():
        end -= 1
    if end > start:
        spans.append((start, end))


def sentence_between(
    passage: Passage, start: int, end: int, last: bool = False
) -> tuple[int, int, str] | None:
    """The first (or ``last``) whole sentence of ``passage`` between article offsets ``start`` and
    ``end``: its offsets and text, or None when there is none. What a stretched passage adds on either
    side of a chunk (the extractive candidates and the model's sources read the same neighbours)."""
    at = start - passage.start
    spans = split_sentences(passage.text[at : end - passage.start])
    if not spans:
        return None
    s, e = spans[-1] if last else spans[0]
    return start + s, start + e, passage.text[at + s : at + e]
