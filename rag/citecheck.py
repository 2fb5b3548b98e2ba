"""Checks that make a model's citations trustworthy, as pure functions over its reply text.

Markers that point to no source are removed, the rest are renumbered 1..n in order of first
appearance (incrementally, so streamed text already carries the final numbers), each citation is
given the verbatim article sentence that best supports the sentences citing it, uncited sentences
are counted, and a reply that declines or cites nothing is marked abstained.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Sequence
from dataclasses import dataclass

from rag.citations import (
    citation_for,
    incomplete_tail,
    leading_markers,
    marker,
    marker_numbers,
    renumber,
    strip_markers,
)
from rag.prompting import Source
from rag.sentences import split_sentences
from rag.types import Citation, Passage

_ABSTAIN = re.compile(
    r"\b(?:i (?:do not|don't|cannot|can't|could not|couldn't) (?:know|answer|tell|find|say)"
    r"|(?:the )?(?:sources?|articles?|provided (?:sources|text)) (?:do not|does not|don't|doesn't)"
    r" (?:say|contain|mention|provide|include|state|answer|specify|cover|address|tell)"
    r"|not (?:mentioned|stated|covered|found|specified) in the (?:sources|articles)"
    r"|no information (?:about|on|in))",
    re.IGNORECASE,
)

Quoter = Callable[[str, Source], tuple[Passage, int, int]]
"""Picks the sentence of a source that best supports a claim: (part passage, start, end) in article offsets."""


class MarkerRewriter:
    """Rewrites ``[n]`` markers as text streams in: renumbered by first appearance, unknown ones removed.

    ``feed`` returns the text that is safe to show now; a trailing piece that may be the start of
    a marker is held back until the next chunk (or ``flush``) completes it.
    """

    def __init__(self, valid: Collection[int]) -> None:
        self.valid = frozenset(valid)
        self.order: dict[int, int] = {}  # source number -> citation number
        self.removed: list[int] = []
        self.text = ""  # everything emitted so far
        self._held = ""

    def feed(self, delta: str) -> str:
        """Rewritten text ready to emit after this chunk."""
        pending = self._held + delta
        start = incomplete_tail(pending)
        self._held = pending[start:]
        return self._emit(pending[:start])

    def flush(self) -> str:
        """Whatever was held back, rewritten; call once at the end."""
        held, self._held = self._held, ""
        return self._emit(held)

    def _emit(self, text: str) -> str:
        out = renumber(text, self._number)
        self.text += out
        return out

    def _number(self, source: int) -> int | None:
        if source not in self.valid:
            self.removed.append(source)
            return None
        return self.order.setdefault(source, len(self.order) + 1)


@dataclass(frozen=True)
class Claim:
    """One sentence of the answer, its markers taken out, and the citation numbers it carries."""

    text: str
    cites: tuple[int, ...]


def claims(text: str) -> list[Claim]:
    """The answer's sentences with their citations; a marker opening a sentence belongs to the one before."""
    found: list[Claim] = []
    for s, e in split_sentences(text):
        sentence = text[s:e]
        leading, rest = leading_markers(sentence)
        if leading and found:
            prev = found[-1]
            found[-1] = Claim(prev.text, prev.cites + leading)
            sentence = rest
        plain = strip_markers(sentence)
        if plain:
            found.append(Claim(plain, marker_numbers(sentence)))
    return found


def declines(text: str) -> bool:
    """True when the reply opens by saying the sources do not answer the question."""
    first = claims(text)[:1]
    return bool(first) and bool(_ABSTAIN.search(first[0].text))


@dataclass(frozen=True)
class Checked:
    """A verified reply: final text, citations with verbatim quotes, abstention, and what the checks did."""

    text: str
    citations: tuple[Citation, ...]
    abstained: bool
    notes: tuple[str, ...]


def check(rewriter: MarkerRewriter, sources: Sequence[Source], quote: Quoter) -> Checked:
    """Verify a reply whose markers ``rewriter`` has already renumbered (fed and flushed)."""
    text = rewriter.text.strip()
    notes = [f"removed citation {marker(n)}: no such source" for n in dict.fromkeys(rewriter.removed)]
    if declines(text) or not rewriter.order:
        reason = "the model said the sources do not answer" if declines(text) else "the model cited no source"
        return Checked(strip_markers(text), (), True, (*notes, f"abstained: {reason}"))
    sentences = claims(text)
    uncited = sum(1 for c in sentences if not c.cites)
    if uncited:
        notes.append(f"{uncited} sentence{'s' if uncited > 1 else ''} without citation")
    by_number = {s.number: s for s in sources}
    citations = []
    for number, index in sorted(rewriter.order.items(), key=lambda item: item[1]):
        support = " ".join(c.text for c in sentences if index in c.cites) or text
        part, start, end = quote(support, by_number[number])
        citations.append(citation_for(index, part, start, end))
    return Checked(text, tuple(citations), False, tuple(notes))
