"""Typed days: the one reader every door uses, with the forms it takes and the words it refuses in."""

from __future__ import annotations

import datetime as dt
import re

import pytest

from rag import InputError, parse_day

D = dt.date


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("2026-12-07", D(2026, 12, 7)), ("7 Dec 2026", D(2026, 12, 7)), ("2026/12/07", D(2026, 12, 7)),
        ("December 7, 2026", D(2026, 12, 7)), ("Monday, 7th December 2026", D(2026, 12, 7)),
        ("2026.12.07", D(2026, 12, 7)), ("21/11/2023", D(2023, 11, 21)), ("11/21/2023", D(2023, 11, 21)),
        ("05/05/2024", D(2024, 5, 5)), (" 2024-05-01 ", D(2024, 5, 1)), ("2024-5-1", D(2024, 5, 1)),
        ("  ", None), ("", None), (None, None),
    ],
)  # fmt: skip
def test_a_typed_day_is_read_in_its_common_forms(typed: str | None, expected: D | None) -> None:
    assert parse_day(typed) == expected


@pytest.mark.parametrize(
    ("typed", "message"),
    [
        ("07/12/2026", "The date '07/12/2026' could be either of two days: write it like 2026-12-07 or 7 Dec 2026."),
        ("7.12.26", "The date '7.12.26' could be either of two days"),
        ("Dec 2026", "Cannot read the date 'Dec 2026': write it like 2026-12-07 or 7 Dec 2026."),
        ("2026-02-30", "Cannot read the date '2026-02-30'"), ("yesterday", "Cannot read the date 'yesterday'"),
        ("x" * 60, f"Cannot read the date '{'x' * 40}...'"),
    ],
)  # fmt: skip
def test_a_day_that_is_unreadable_or_ambiguous_says_how_to_write_it(typed: str, message: str) -> None:
    with pytest.raises(InputError, match="^" + re.escape(message)):
        parse_day(typed)


def test_the_message_names_the_box_it_came_from() -> None:
    with pytest.raises(InputError, match=re.escape("Cannot read the --as-of date 'soon'")):
        parse_day("soon", "--as-of date")
