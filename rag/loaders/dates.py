"""Publication dates from the many shapes sources write them in, as plain ``datetime.date``."""

from __future__ import annotations

import datetime as dt
import re

from rag.calendar_words import MONTH_ABBREVIATIONS, MONTHS, WEEKDAYS, make_date, month_number

_URL_DATES = (
    re.compile(r"/((?:19|20)\d{2})[/-](0[1-9]|1[0-2])[/-](0[1-9]|[12]\d|3[01])(?=[/._-]|$)"),
    re.compile(r"/((?:19|20)\d{2})(0[1-9]|1[0-2])(0[1-9]|[12]\d|3[01])(?=[/._-]|$)"),
)
_MONTH = (
    "(?P<month>(?i:" + "|".join(sorted([*MONTHS, *MONTH_ABBREVIATIONS], key=len, reverse=True)) + r"))\.?"
)
_WEEKDAY = "(?P<weekday>" + "|".join(WEEKDAYS) + ")"
_DAY = r"(?P<day>[12]\d|3[01]|0?[1-9])(?:st|nd|rd|th)?"
_YEAR = r"(?P<year>(?:19|20)\d{2})"
# Full dates, either way round: "Nov 9, 2023", "Tuesday, November 21st 2023", "21 November 2023".
_FULL_DATES = (
    re.compile(rf"\b{_MONTH}\s+{_DAY},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(rf"\b{_DAY}\s+{_MONTH},?\s+{_YEAR}\b", re.IGNORECASE),
    re.compile(r"\b(?P<year>(?:19|20)\d{2})-(?P<month>0[1-9]|1[0-2])-(?P<day>0[1-9]|[12]\d|3[01])\b"),
)
# What may stand beside the date on a byline's date line: "Published Tuesday, 21 Nov 2023, 10:30 GMT".
_DATE_LINE_REST = re.compile(
    r"(?:(?i:posted|published|updated|first|last|on|at|"
    + "|".join(WEEKDAYS)
    + r"|mon|tue|wed|thu|fri|sat|sun|[ap]\.?m\.?)\b|\d{1,2}[:.]\d{2}|[A-Z]{2,5}\b|[\s,.:|()–—-])*"
)
_DATE_LINE_CHARS = 80
# "MOSCOW, Nov 21 (Reuters) -", "LONDON, March 3, 2024 —": a place in capitals, then the date.
_DATELINE = re.compile(
    rf"(?m)^[A-Z][A-Z .'’-]{{2,40}}(?:\([A-Za-z .]+\))?,\s+{_MONTH}\s+{_DAY}(?:,\s+{_YEAR})?\s*"
    r"(?:\([^)]{1,40}\)\s*)?[-–—:]",
)
# The lead's day, as the Straits Times and others write it: "said on Tuesday (Nov 21)".
_LEAD_DAY = re.compile(rf"\bon\s+{_WEEKDAY}\s+\({_MONTH}\s+{_DAY}(?:,\s+{_YEAR})?\)", re.IGNORECASE)
_HEAD_CHARS = 2000  # the dateline and lead are within the first paragraphs
_DATE_LINES = 5
_ANCHOR_CHARS = 6000  # full dates this far in may give a dateline its year


def article_date(text: str, url: str = "") -> dt.date | None:
    """The publication date an article states itself: in its URL, else in its dateline or lead.

    Used only when the source gave no date (front matter, JSON field, HTML meta). A date is
    taken only when one reading exists; otherwise the article stays undated, because a wrong
    date hides it from questions asked "as of" a day and misplaces it in every date filter.
    """
    return date_from_url(url) or date_from_text(text)


def date_from_url(url: str) -> dt.date | None:
    """A full date in a URL's path: ``/2023/11/21/``, ``/2023-11-21-slug``, ``/20231121/``."""
    path = url.split("?", 1)[0].split("#", 1)[0]
    for pattern in _URL_DATES:
        match = pattern.search(path)
        if match:
            return make_date(*(int(part) for part in match.groups()))
    return None


def date_from_text(text: str) -> dt.date | None:
    """The date on an article's first lines or in its dateline ("MOSCOW, Nov 21 (Reuters) -") or lead
    ("said on Tuesday (Nov 21)"); a missing year comes from the full dates the text mentions."""
    head = text[:_HEAD_CHARS]
    for line in head.strip().splitlines()[:_DATE_LINES]:
        if (dated := _date_line(line.strip())) is not None:
            return dated
    match = _DATELINE.search(head) or _LEAD_DAY.search(head)
    if match is None:
        return None
    month, day = _month(match["month"]), int(match["day"])
    if match["year"]:
        return make_date(int(match["year"]), month, day)
    weekday = WEEKDAYS.get((match.groupdict().get("weekday") or "").lower())
    return _from_anchors(month, day, weekday, text[:_ANCHOR_CHARS])


def _month(name: str) -> int:
    return int(name) if name.isdigit() else month_number(name.lower(), with_number=True) or 0


def _full_dates(text: str) -> list[dt.date]:
    found = []
    for pattern in _FULL_DATES:
        for match in pattern.finditer(text):
            day = make_date(int(match["year"]), _month(match["month"]), int(match["day"]))
            if day is not None:
                found.append(day)
    return found


def _date_line(line: str) -> dt.date | None:
    """The date of a line that holds nothing else (a weekday, a time, "Published" may stand beside it)."""
    if len(line) > _DATE_LINE_CHARS:
        return None
    for pattern in _FULL_DATES:
        match = pattern.search(line)
        if match and _DATE_LINE_REST.fullmatch(line[: match.start()] + " " + line[match.end() :]):
            return make_date(int(match["year"]), _month(match["month"]), int(match["day"]))
    return None


def _from_anchors(month: int, day: int, weekday: int | None, text: str) -> dt.date | None:
    """The one date (month, day) can be, given the full dates the text mentions and the weekday."""
    candidates: set[dt.date] = set()
    for anchor in _full_dates(text):
        for year in (anchor.year, anchor.year + 1):
            found = make_date(year, month, day)
            # A dateline comes days or months after the dates its story mentions, not a year.
            if found and dt.timedelta(0) <= found - anchor < dt.timedelta(days=200):
                candidates.add(found)
    if weekday is not None:
        candidates = {c for c in candidates if c.weekday() == weekday}
    return candidates.pop() if len(candidates) == 1 else None
