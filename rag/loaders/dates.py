"""Publication dates from the many shapes sources write them in, as plain ``datetime.date``."""

from __future__ import annotations

import datetime as dt

from dateutil import parser as date_parser

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


def _parse_loose(text: str) -> dt.date | None:
    try:
        first, second = (date_parser.parse(text, default=default) for default in _DEFAULTS)
    except (ValueError, OverflowError):
        return None
    day: dt.date = first.date()
    return day if day == second.date() else None
