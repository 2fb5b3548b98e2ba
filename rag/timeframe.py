"""Dates in questions: "last week", "in March 2024", "since June", "recently" become a DateWindow.

``read_date_window(question, as_of)`` reads the question's words against the date it is asked,
and says which publication period it means (``filter`` for an explicit period, ``boost`` for a
vague one such as "recently"), and whether it asks about the present state of affairs
(``current``) or for the newest report (``latest``). Numbers that are not dates stay numbers:
"2022 votes", "a 7.0-magnitude quake", "$2,024", "Route 66", "Windows 11", "the 1990s", "10:30".

Why a grammar of our own rather than a parser from PyPI (``bench/dates_parsers.py`` compares them
on 8 period questions and 8 traps; figures in docs/dates.md): dateparser's ``search_dates`` took 1-4 ms
a question and read "2022 votes", "a 7.0-magnitude quake" and "Theresa May" as dates; parsedatetime
(0.1 ms, worst 8 ms) took "2022 votes" for 20:22, "7.0" and "Top 100" for times, and resolved "since
June" and "on Tuesday" into the future; ctparse took 4-22 ms and made 1966 of "Route 66"; timefhuman
was right on every trap but found no period in "last month", "in 2022", "since June", "this week" or
"on 21 November". All of them return moments, not periods, and none says whether a question asks
about the present. This grammar reads a question in about 0.05 ms and is right on all of them.

Deliberate choices, written down because a reader would otherwise guess:
- A bare year is a number ("the 2022 election", "2022 votes"); "in/since/before 2022" is a period.
- A bare month name needs a preposition ("in May", "since March"): "Theresa May", "the march".
- Decades ("the 1990s") and quarters ("Q3") name history and reporting periods, not publication
  times, so they give no window.
- A period wholly after ``as_of`` ("next week", "tomorrow") gives no window: articles about it
  were published before it, so the question is treated as one about the present instead.
- Seasons are the northern hemisphere's meteorological ones (summer: June to August).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import replace
from typing import Literal

from rag.date_phrases import PhraseReader
from rag.types import DateWindow

# Words that make a question interesting to the grammar at all: most questions have none.
_TRIGGER = re.compile(
    r"\d{4}|\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun|today|tonight|"
    r"yesterday|tomorrow|week|month|year|ago|past|last|recent|lately|late|days|spring|summer|autumn|fall|"
    r"winter|day|nowadays|morning|afternoon|evening|night|\d{1,2}(?:st|nd|rd|th)?\b)",
    re.I,
)
_VAGUE = re.compile(
    r"\b(?:recently|lately|of late|these days|nowadays|the other day|recent (?:days|weeks|months|years)|"
    r"(?<!most )recent)\b",
    re.I,
)
_VAGUE_DAYS = {"days": 7, "weeks": 28, "months": 90, "years": 365, "other day": 7}
_LATEST = re.compile(
    r"\b(?:latest|newest|freshest|most recent(?:ly)?|last time|last heard|up[ -]to[ -]date)\b", re.I
)
_CURRENT = re.compile(
    r"(?<![-\w])(?:now|right now|currently|current|at the moment|at present|presently|still|so far|to date|"
    r"yet|anymore|any more|ongoing|as it stands|updates?|today|tonight|this week|this month|this year)\b"
    r"(?!-)",
    re.I,
)
_NOT_CURRENT = re.compile(
    r"\b(?:current (?:account|accounts|deficit|surplus)|(?:ocean|electric|electrical|alternating|direct|rip) "
    r"current|still (?:life|water|image|images|photo|photos|birth|born)|(?:stand|stands|stood|standing|sit|sat|"
    r"stay|stayed|keep|kept|hold|held) still)\b",
    re.I,
)


def read_date_window(question: str, as_of: dt.date, today: dt.date | None = None) -> DateWindow:
    """The period ``question`` speaks of, resolved against ``as_of``, with its present-tense signals.

    ``today`` (when given) marks a question asked as of an earlier day ``historical`` and one
    asked as of a later day ``future``.
    """
    window = _read(question, as_of)
    if today is None or as_of == today:
        return window
    return replace(window, historical=as_of < today, future=as_of > today)


def question_window(question: str, as_of: dt.date | None) -> DateWindow:
    """The question's window as of ``as_of`` (today when None), marked historical or future against today.

    Only a day asked for hides what was published after it; today's clock alone hides nothing.
    """
    today = dt.date.today()
    window = read_date_window(question, as_of or today, today)
    return window if as_of is not None else replace(window, hides_later=False)


def without_period(question: str, window: DateWindow | None) -> str:
    """``question`` less the period it names ("this week", "in October", "yesterday").

    Retrieval has applied the period already (a filter or a boost on publication dates); a
    sentence that answers rarely repeats it, and asking one to say "this week" abstains.
    """
    if window is None or not window.phrase:
        return question
    found = re.search(rf"(?<!\w){re.escape(window.phrase)}(?!\w)", question, re.IGNORECASE)
    if not found:
        return question
    rest = f"{question[: found.start()].rstrip(' ,')} {question[found.end() :].lstrip(' ,')}"
    rest = re.sub(r"\s+([?.!])", r"\1", re.sub(r"\s{2,}", " ", rest)).strip()
    return rest[:1].upper() + rest[1:] if re.search(r"\w", rest) else question


def _read(question: str, as_of: dt.date) -> DateWindow:
    latest = bool(_LATEST.search(question))
    current = latest or _asks_about_now(question)
    if not _TRIGGER.search(question):
        return DateWindow(as_of=as_of, current=current, latest=latest)
    found = PhraseReader(question, as_of).first_period()
    if found is None:
        return _vague_window(question, as_of, current, latest)
    period, phrase = found
    if period.start > as_of:  # "next week": what was written about it was written before it
        return DateWindow(as_of=as_of, phrase=phrase, current=True, latest=latest)
    kind: Literal["filter", "boost"] = "boost" if period.vague else "filter"
    current = current or period.end >= as_of - dt.timedelta(days=1)
    start = None if period.start == dt.date.min else period.start
    return DateWindow(as_of, start, min(period.end, as_of), kind, phrase, current, latest)


def _asks_about_now(question: str) -> bool:
    return bool(_CURRENT.search(_NOT_CURRENT.sub(" ", question)))


def _vague_window(question: str, as_of: dt.date, current: bool, latest: bool) -> DateWindow:
    match = _VAGUE.search(question)
    if match is None:
        return DateWindow(as_of=as_of, current=current, latest=latest)
    phrase = match.group(0)
    days = next((n for word, n in _VAGUE_DAYS.items() if phrase.lower().endswith(word)), 30)
    start = as_of - dt.timedelta(days=days)
    return DateWindow(as_of, start, as_of, "boost", phrase, True, latest)
