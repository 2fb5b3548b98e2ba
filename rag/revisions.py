"""Which of a story's figures is the latest, when a later report revises an earlier one.

A running story gives its figures again as they change: 1,800 people evacuated on the first day, "about
2,600 from the 1,800 moved on Sunday" two days later; 420 flights cancelled on the first day of a
closure, "1,150 flights ... far more than the 420 called off on its first day" once it ended. The
selector rates each sentence alone, and the first report, whose sentence says the asked words most
plainly, wins; a reader asking "how many flights were cancelled?" wants the figure now standing. A
later sentence that gives the best one's figure as the one it replaces ("from the 11", "than the 420")
goes first, unless the question asks for the earlier time itself ("on the first day", "in December").
So does a later sentence that says its figure is a new one without giving the old ("revised the number of
seats covered by the recall to about 236,000", "the number of injured children had risen to 14", "the final
count of injured children stood at 16"): a wire update often restates only the new figure.
A few regular expressions over the few sentences already fit to quote: microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

# A wire story's dateline ("HALSBY, Lundmark, Nov 3 (Northwire) - "): its day is no figure.
_DATELINE = re.compile(r"^[A-Z][A-Z .'-]+,[^-–—]{0,60}?\([^)]*\)\s*[-–—]\s*")
# A figure: digits, not a year ("in 1961"), a time ("06:00") or a day of a month ("Nov 3").
_FIGURE = re.compile(r"(?<![\w:.,])(?!(?:19|20)\d\d\b)(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?(?![\w:]|,\d)")
_DAY_OF_MONTH = re.compile(
    r"\b(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec|January|February|March|April|June|July"
    r"|August|September|October|November|December)\.?\s+$"
)
# Words a question asks for an earlier figure with, or a time of its own, which the revision is not.
_EARLIER = re.compile(
    r"\b(?:first|initial(?:ly)?|original(?:ly)?|earlier|before|previous(?:ly)?|at\s+the\s+start|yesterday"
    r"|last\s+(?:week|month|year)|(?:19|20)\d\d|january|february|march|april|may|june|july|august"
    r"|september|october|november|december|monday|tuesday|wednesday|thursday|friday|saturday|sunday)\b",
    re.I,
)
# How a later sentence gives the figure it replaces: "to 14, from the 11", "far more than the 420",
# "up from 1,900", "instead of the 300 first reported".
_REPLACED = r"\b(?:from|than|of|over)\s+(?:the\s+|an?\s+)?(?:earlier\s+|previous\s+|initial\s+|original\s+)?(?:about\s+|around\s+|some\s+)?"


# How a later sentence says its figure is a new one: "revised the number of seats ... to about 236,000",
# "had risen to 14", "the final count ... stood at 16", "the total now stands at 40".
_CHANGE_TO = (
    r"\b(?:revised|raised|risen|rose|rises|increased|climbed|grown|grew|lowered|reduced|cut|fallen|fell"
    r"|updated|corrected)\b[^.;]{0,80}?\bto\s+(?:about\s+|around\s+|some\s+|nearly\s+|almost\s+|more\s+than\s+)?"
)
_STANDS_AT = (
    r"\b(?:final|latest|new|updated|revised|total)\s+(?:count|figure|total|tally|number|toll)\b[^.;]{0,80}?"
    r"\b(?:stood|stands|was|is|reached|of)\s+(?:at\s+)?(?:about\s+|around\s+|some\s+|nearly\s+)?"
)


def figures(sentence: str) -> list[str]:
    """The figures a sentence gives, without its dateline, years, times and days of a month."""
    text = _DATELINE.sub("", sentence)
    return [m.group() for m in _FIGURE.finditer(text) if not _DAY_OF_MONTH.search(text[: m.start()])]


def revises(later: str, earlier: str) -> bool:
    """True when ``later`` gives one of ``earlier``'s figures as the one it replaces ("to about 2,600
    from the 1,800") beside a figure of its own."""
    old = set(figures(earlier))
    said = figures(later)
    if not old or not set(said) - old:
        return False
    return any(re.search(rf"{_REPLACED}{re.escape(f)}(?![\d,])", later) for f in old & set(said))


def updates(sentence: str) -> bool:
    """True when ``sentence`` says one of its figures is a changed or final one ("revised ... to about
    236,000", "had risen to 14", "the final count ... stood at 16"), the figure it replaces unsaid."""
    text = _DATELINE.sub("", sentence)
    return any(
        re.search(rf"(?:{_CHANGE_TO}|{_STANDS_AT}){re.escape(f)}(?!\d|,\d)", text, re.I)
        for f in figures(text)
    )


def revised_first(
    ranked: Sequence[T], text: Callable[[T], str], day: Callable[[T], int], question: str
) -> list[T]:
    """``ranked`` (sentences fit to quote for a figure, best first) with a later report's sentence
    revising the best one's figure, or saying its own is a new one (``updates``), first, and so on while a
    later one does so; as ranked when the question asks for an earlier time's figure."""
    out = list(ranked)
    if not out or _EARLIER.search(question):
        return out
    for _ in range(len(out)):
        best = out[0]
        newer = next(
            (c for c in out[1:] if day(c) > day(best) and (revises(text(c), text(best)) or updates(text(c)))),
            None,
        )
        if newer is None:
            break
        out = [newer, *(c for c in out if c is not newer)]
    return out
