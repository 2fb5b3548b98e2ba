"""Calendar words and arithmetic shared by the question grammar and the article-date reader."""

from __future__ import annotations

import calendar
import datetime as dt

MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}  # fmt: skip
# Abbreviations count only beside a day or a year ("Nov 21", "Dec 2023"): alone, "mar", "jan"
# and "dec" are words and names far more often than months.
MONTH_ABBREVIATIONS = {
    "jan": 1, "feb": 2, "mar": 3, "apr": 4, "jun": 6, "jul": 7, "aug": 8,
    "sep": 9, "sept": 9, "oct": 10, "nov": 11, "dec": 12,
}  # fmt: skip
WEEKDAYS = {
    "monday": 0, "tuesday": 1, "wednesday": 2, "thursday": 3, "friday": 4, "saturday": 5, "sunday": 6,
}  # fmt: skip
WEEKDAY_ABBREVIATIONS = {"mon": 0, "tue": 1, "tues": 1, "wed": 2, "thu": 3, "thur": 3, "thurs": 3,
                         "fri": 4, "sat": 5, "sun": 6}  # fmt: skip
# Years a question or an article may mean: outside these a four-digit number is a count or a name.
FIRST_YEAR, LAST_YEAR = 1900, 2099


def month_number(word: str, with_number: bool) -> int | None:
    """The month ``word`` names; abbreviations only when a day or year stands beside it."""
    if word in MONTHS:
        return MONTHS[word]
    return MONTH_ABBREVIATIONS.get(word) if with_number else None


def month_end(year: int, month: int) -> dt.date:
    """The last day of a month."""
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def add_months(day: dt.date, months: int) -> dt.date:
    """The first day of the month ``months`` after (or before) the month of ``day``."""
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def make_date(year: int, month: int, day: int) -> dt.date | None:
    """The date, or None when it does not exist (31 April, 29 February 2023)."""
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def latest_on_or_before(month: int, day: int, as_of: dt.date) -> dt.date | None:
    """The most recent ``day`` of ``month`` not after ``as_of`` ("on 21 November" asked in March)."""
    for year in range(as_of.year, as_of.year - 8, -1):
        found = make_date(year, month, day)
        if found is not None and found <= as_of:
            return found
    return None


def weekday_on_or_before(weekday: int, as_of: dt.date, strictly: bool = False) -> dt.date:
    """The most recent given weekday up to ``as_of`` (before it when ``strictly``)."""
    delta = (as_of.weekday() - weekday) % 7
    return as_of - dt.timedelta(days=delta or (7 if strictly else 0))


def week_start(day: dt.date) -> dt.date:
    """Monday of the week ``day`` is in."""
    return day - dt.timedelta(days=day.weekday())
