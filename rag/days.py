"""Dates written as text, read into plain ``datetime.date``: what sources state and what people type.

Kept apart from ``loaders`` (whose package pulls in the HTML, PDF and web readers) so that the
Assistant and every shell can read a typed day without loading them.
"""

from __future__ import annotations

import datetime as dt
import re

from dateutil import parser as date_parser

from rag.errors import InputError

# Two far-apart defaults: a date that parses differently under each was missing a part
# ("2023", "Tuesday"), and a guessed day must never pass for a publication date.
_DEFAULTS = (dt.datetime(2000, 1, 1), dt.datetime(2004, 12, 28))
_MAX_CHARS = 64


def parse_date(value: object) -> dt.date | None:
    """Read a date from ``value``; None when it is absent or unreadable, since a bad date is not fatal."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str) or not value.strip() or len(value) > _MAX_CHARS:
        return None
    text = value.strip()
    try:
        return dt.datetime.fromisoformat(text).date()
    except ValueError:
        return _parse_loose(text)


# "07/12/2026": 7 December in Europe, 12 July in the United States.
_NUMERIC_DAY_MONTH = re.compile(r"(\d{1,2})[./-](\d{1,2})[./-]\d{2,4}")
_HOW = "write it like 2026-12-07 or 7 Dec 2026."


def parse_day(text: str | None, name: str = "date") -> dt.date | None:
    """A day a person typed ("2026-12-07", "7 Dec 2026", "2026/12/07"), None for a blank.

    The one reader of typed days, so every door (CLI, REST, chat and library boxes, the paste form)
    takes the same forms and refuses the rest with the same InputError, naming the ``name`` box:
    unreadable, incomplete ("Dec 2026"), or either of two days ("07/12/2026").
    """
    text = (text or "").strip()
    if not text:
        return None
    shown = text if len(text) <= 40 else text[:40] + "..."
    numeric = _NUMERIC_DAY_MONTH.fullmatch(text)
    if numeric and numeric[1] != numeric[2] and max(int(numeric[1]), int(numeric[2])) <= 12:
        raise InputError(f"The {name} {shown!r} could be either of two days: {_HOW}")
    day = parse_date(text)
    if day is None:
        raise InputError(f"Cannot read the {name} {shown!r}: {_HOW}")
    return day


def _parse_loose(text: str) -> dt.date | None:
    try:
        first, second = (date_parser.parse(text, default=default) for default in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    day: dt.date = first.date()
    return day if day == second.date() else None
