"""The date grammar: what period a question names, read against the day it is asked."""

from __future__ import annotations

import datetime as dt

import pytest

from rag.timeframe import read_date_window, without_period

WEDNESDAY = dt.date(2024, 5, 15)
D = dt.date

# (question, kind, start, end): asked on Wednesday 15 May 2024.
WINDOWS = [
    # relative days and units
    ("What happened today?", "filter", D(2024, 5, 15), D(2024, 5, 15)),
    ("What did the mayor say tonight?", "filter", D(2024, 5, 15), D(2024, 5, 15)),
    ("What did the minister say this morning?", "filter", D(2024, 5, 15), D(2024, 5, 15)),
    ("What did the council say yesterday?", "filter", D(2024, 5, 14), D(2024, 5, 14)),
    ("Who was arrested last night?", "filter", D(2024, 5, 14), D(2024, 5, 14)),
    ("What happened the day before yesterday?", "filter", D(2024, 5, 13), D(2024, 5, 13)),
    ("What happened this week?", "filter", D(2024, 5, 13), D(2024, 5, 15)),
    ("What did the union announce earlier this week?", "filter", D(2024, 5, 13), D(2024, 5, 15)),
    ("What did the mayor announce last week?", "filter", D(2024, 5, 6), D(2024, 5, 12)),
    ("what happened LAST WEEK", "filter", D(2024, 5, 6), D(2024, 5, 12)),
    ("What happened this past week?", "filter", D(2024, 5, 6), D(2024, 5, 12)),
    ("What happened over the past week?", "filter", D(2024, 5, 8), D(2024, 5, 15)),
    ("What happened in the last week?", "filter", D(2024, 5, 8), D(2024, 5, 15)),
    ("What happened this month?", "filter", D(2024, 5, 1), D(2024, 5, 15)),
    ("What happened last month?", "filter", D(2024, 4, 1), D(2024, 4, 30)),
    ("What was in last month's report?", "filter", D(2024, 4, 1), D(2024, 4, 30)),
    ("What did the council do this year?", "filter", D(2024, 1, 1), D(2024, 5, 15)),
    ("What happened last year?", "filter", D(2023, 1, 1), D(2023, 12, 31)),
    ("How did last year's budget end?", "filter", D(2023, 1, 1), D(2023, 12, 31)),
    ("What happened over the weekend?", "filter", D(2024, 5, 11), D(2024, 5, 12)),
    ("Who scored last weekend?", "filter", D(2024, 5, 11), D(2024, 5, 12)),
    # N units ago
    ("What did the union say three days ago?", "filter", D(2024, 5, 12), D(2024, 5, 12)),
    ("What did the union say 3 days ago?", "filter", D(2024, 5, 12), D(2024, 5, 12)),
    ("What happened a week ago?", "filter", D(2024, 5, 6), D(2024, 5, 12)),
    ("What happened two weeks ago?", "filter", D(2024, 4, 29), D(2024, 5, 5)),
    ("What happened a month ago?", "filter", D(2024, 4, 1), D(2024, 4, 30)),
    ("What happened six months ago?", "filter", D(2023, 11, 1), D(2023, 11, 30)),
    ("What happened a year ago?", "filter", D(2023, 1, 1), D(2023, 12, 31)),
    ("What happened in the past 7 days?", "filter", D(2024, 5, 8), D(2024, 5, 15)),
    ("What happened in the last two weeks?", "filter", D(2024, 5, 1), D(2024, 5, 15)),
    ("What happened in the last 48 hours?", "filter", D(2024, 5, 13), D(2024, 5, 15)),
    # weekdays
    ("What did the minister say on Tuesday?", "filter", D(2024, 5, 14), D(2024, 5, 14)),
    ("What did the minister say on Wednesday?", "filter", D(2024, 5, 15), D(2024, 5, 15)),
    ("What did the minister say on Friday?", "filter", D(2024, 5, 10), D(2024, 5, 10)),
    ("What was decided at Tuesday's meeting?", "filter", D(2024, 5, 14), D(2024, 5, 14)),
    ("What happened last Wednesday?", "filter", D(2024, 5, 8), D(2024, 5, 8)),
    ("What happened on Thursday last week?", "filter", D(2024, 5, 9), D(2024, 5, 9)),
    ("What happened at 10:30 on Friday?", "filter", D(2024, 5, 10), D(2024, 5, 10)),
    # named months and years
    ("What did the council decide in March 2024?", "filter", D(2024, 3, 1), D(2024, 3, 31)),
    ("What did the council decide in March?", "filter", D(2024, 3, 1), D(2024, 3, 31)),
    ("What did the council decide in May?", "filter", D(2024, 5, 1), D(2024, 5, 15)),
    ("What did the council decide in December?", "filter", D(2023, 12, 1), D(2023, 12, 31)),
    ("Which roads closed in Nov 2023?", "filter", D(2023, 11, 1), D(2023, 11, 30)),
    ("What happened in 2022?", "filter", D(2022, 1, 1), D(2022, 12, 31)),
    ("What happened during 2023?", "filter", D(2023, 1, 1), D(2023, 12, 31)),
    ("What happened in early March 2024?", "filter", D(2024, 3, 1), D(2024, 3, 10)),
    ("What happened in late April?", "filter", D(2024, 4, 21), D(2024, 4, 30)),
    ("What happened at the end of last year?", "filter", D(2023, 9, 1), D(2023, 12, 31)),
    ("What happened in mid-2023?", "filter", D(2023, 5, 1), D(2023, 8, 31)),
    # days of months
    ("What was announced on 21 November?", "filter", D(2023, 11, 21), D(2023, 11, 21)),
    ("What was announced on November 21?", "filter", D(2023, 11, 21), D(2023, 11, 21)),
    ("What was announced on the 21st of November?", "filter", D(2023, 11, 21), D(2023, 11, 21)),
    ("What was announced on Nov. 21, 2023?", "filter", D(2023, 11, 21), D(2023, 11, 21)),
    ("What was announced on 2 May?", "filter", D(2024, 5, 2), D(2024, 5, 2)),
    ("What did the report say on 2023-11-21?", "filter", D(2023, 11, 21), D(2023, 11, 21)),
    ("What happened on 21/11/2023?", "filter", D(2023, 11, 21), D(2023, 11, 21)),
    ("What happened on 11/21/2023?", "filter", D(2023, 11, 21), D(2023, 11, 21)),
    # bounds and ranges
    ("What changed since June?", "filter", D(2023, 6, 1), D(2024, 5, 15)),
    ("What has changed since 2022?", "filter", D(2022, 1, 1), D(2024, 5, 15)),
    ("What happened since last week?", "filter", D(2024, 5, 6), D(2024, 5, 15)),
    ("What happened before March 2024?", "filter", None, D(2024, 2, 29)),
    ("What was reported prior to 1 April?", "filter", None, D(2024, 3, 31)),
    ("What happened after 1 April 2024?", "filter", D(2024, 4, 2), D(2024, 5, 15)),
    ("What was known as of January 2024?", "filter", None, D(2024, 1, 31)),
    ("What happened until the end of February?", "filter", None, D(2024, 2, 29)),
    ("What happened between March and May 2024?", "filter", D(2024, 3, 1), D(2024, 5, 15)),
    ("What happened from November to March 2024?", "filter", D(2023, 11, 1), D(2024, 3, 31)),
    ("What happened between 1 and 10 May?", "filter", D(2024, 5, 1), D(2024, 5, 10)),
    ("What happened from 3 to 5 April 2024?", "filter", D(2024, 4, 3), D(2024, 4, 5)),
    # seasons
    ("What did the council approve last summer?", "filter", D(2023, 6, 1), D(2023, 8, 31)),
    ("What happened in the summer of 2022?", "filter", D(2022, 6, 1), D(2022, 8, 31)),
    ("How bad was this winter?", "filter", D(2023, 12, 1), D(2024, 2, 29)),
    ("What happened this spring?", "filter", D(2024, 3, 1), D(2024, 5, 15)),
    # vague: boosts
    ("What has the council said recently?", "boost", D(2024, 4, 15), D(2024, 5, 15)),
    ("What have the unions said lately?", "boost", D(2024, 4, 15), D(2024, 5, 15)),
    ("What happened in recent weeks?", "boost", D(2024, 4, 17), D(2024, 5, 15)),
    ("What did a recent report find?", "boost", D(2024, 4, 15), D(2024, 5, 15)),
    ("What did they say a few weeks ago?", "boost", D(2024, 4, 10), D(2024, 5, 1)),
    ("What happened over the past few days?", "boost", D(2024, 5, 10), D(2024, 5, 15)),
    # the future: no window
    ("What will happen next week?", "none", None, None),
    ("What is planned for tomorrow?", "none", None, None),
    ("What is the budget for 2025?", "none", None, None),
    # traps: numbers and names that are not dates
    ("Who won with 2022 votes?", "none", None, None),
    ("Did the mayor win in 2022 votes counted by hand?", "none", None, None),
    ("Where did a 7.0-magnitude quake hit?", "none", None, None),
    ("Who paid $2,024 for the ticket?", "none", None, None),
    ("What happened on Route 66?", "none", None, None),
    ("What is new in Windows 11?", "none", None, None),
    ("Is the Windows 11 November update out?", "none", None, None),
    ("What music defined the 1990s?", "none", None, None),
    ("Who made the Top 100 list?", "none", None, None),
    ("What time is the vote, 10:30?", "none", None, None),
    ("Did inflation hit 2024% anywhere?", "none", None, None),
    ("What did Theresa May say about Brexit?", "none", None, None),
    ("Was the plan backed by May?", "none", None, None),
    ("Why did the protesters march on the capital?", "none", None, None),
    ("Who went shopping on Black Friday?", "none", None, None),
    ("Who won on Super Tuesday?", "none", None, None),
    ("What did the Sunday Times report?", "none", None, None),
    ("What happened after the fall of Kabul?", "none", None, None),
    ("Why was there a fall in prices?", "none", None, None),
    ("What happened on 9/11?", "none", None, None),
    ("Is the store open 24/7?", "none", None, None),
    ("How many people got COVID-19?", "none", None, None),
    ("What happened on 03/04/2024?", "none", None, None),
    ("What happened in the Arab Spring?", "none", None, None),
    ("What happened before the election?", "none", None, None),
    ("How much did the repairs cost?", "none", None, None),
    ("What did the 2022 report say about flooding?", "none", None, None),
]


@pytest.mark.parametrize(("question", "kind", "start", "end"), WINDOWS)
def test_window(question: str, kind: str, start: dt.date | None, end: dt.date | None) -> None:
    window = read_date_window(question, WEDNESDAY)
    assert (window.kind, window.start, window.end) == (kind, start, end)
    assert window.as_of == WEDNESDAY


@pytest.mark.parametrize(
    ("question", "phrase"),
    [
        ("What did the council decide in March 2024?", "in March 2024"),
        ("What changed since June?", "since June"),
        ("What happened between March and May 2024?", "between March and May 2024"),
        ("Was the vote on Tuesday (Nov 21) close?", "on Tuesday"),
        ("What has the council said recently?", "recently"),
        ("What will happen next week?", "next week"),
    ],
)
def test_phrase_is_the_matched_text(question: str, phrase: str) -> None:
    assert read_date_window(question, WEDNESDAY).phrase == phrase


# (question, current, latest): whether it asks about now, and for the newest report.
SIGNALS = [
    ("What is the latest on the strike?", True, True),
    ("What is the newest forecast?", True, True),
    ("When did the council most recently vote on it?", True, True),
    ("Is the bridge still closed?", True, False),
    ("Who is the mayor now?", True, False),
    ("Who currently runs the transit agency?", True, False),
    ("What is the current status of the transit strike?", True, False),
    ("How many storms so far?", True, False),
    ("What happened this week?", True, False),
    ("What happened today?", True, False),
    ("What changed since June?", True, False),
    ("What will happen next week?", True, False),
    ("What has the council said recently?", True, False),
    ("How much did the repairs cost?", False, False),
    ("What happened in March 2024?", False, False),
    ("What happened last week?", False, False),
    ("How strong is the ocean current?", False, False),
    ("What is the current account deficit?", False, False),
    ("Why did traffic stand still on the bridge?", False, False),
    ("Who owned the now-defunct paper?", False, False),
    ("Who was the last person to leave?", False, False),
]


@pytest.mark.parametrize(("question", "current", "latest"), SIGNALS)
def test_present_tense_signals(question: str, current: bool, latest: bool) -> None:
    window = read_date_window(question, WEDNESDAY)
    assert (window.current, window.latest) == (current, latest)


@pytest.mark.parametrize(
    ("as_of", "start", "end"),
    [
        (dt.date(2024, 5, 13), dt.date(2024, 5, 11), dt.date(2024, 5, 12)),  # Monday: the one just over
        (dt.date(2024, 5, 18), dt.date(2024, 5, 18), dt.date(2024, 5, 18)),  # Saturday: the one being lived
    ],
)
def test_this_weekend_depends_on_the_day(as_of: dt.date, start: dt.date, end: dt.date) -> None:
    window = read_date_window("What happened this weekend?", as_of)
    assert (window.kind, window.start, window.end) == ("filter", start, end)


def test_this_weekend_on_a_wednesday_is_the_next_one() -> None:
    assert read_date_window("What happens this weekend?", WEDNESDAY).kind == "none"


def test_month_without_year_is_the_latest_one_by_as_of() -> None:
    window = read_date_window("What did the council decide in March?", dt.date(2025, 2, 10))
    assert (window.start, window.end) == (dt.date(2024, 3, 1), dt.date(2024, 3, 31))


def test_leap_day_without_year_is_the_last_one_that_existed() -> None:
    window = read_date_window("What happened on 29 February?", dt.date(2027, 3, 1))
    assert window.start == dt.date(2024, 2, 29)


def test_question_without_dates_has_an_empty_window() -> None:
    window = read_date_window("Who is the Russian ambassador-at-large?", WEDNESDAY)
    assert window.kind == "none" and window.start is None and window.end is None and window.phrase == ""


def test_window_summary_says_the_day_and_the_period() -> None:
    future = read_date_window("Is the bridge still closed?", dt.date(2027, 1, 1), today=WEDNESDAY)
    assert future.future and future.summary() == (
        "Dates: as of 2027-01-01 (in the future); no period named, asks about the present."
    )
    march = read_date_window("What did the council decide in March?", WEDNESDAY, today=WEDNESDAY)
    assert march.summary() == "Dates: as of 2024-05-15; first 2024-03-01 to 2024-03-31 ('in March')."


@pytest.mark.parametrize(
    ("question", "rest"),
    [
        ("What did the council decide this week?", "What did the council decide?"),
        ("What did the mayoral poll in October show?", "What did the mayoral poll show?"),
        ("Yesterday, what did the mediator do?", "What did the mediator do?"),
        ("What happened yesterday?", "What happened?"),
        ("How many votes did Bell get?", "How many votes did Bell get?"),  # no period named
    ],
)
def test_the_question_less_its_period(question: str, rest: str) -> None:
    window = read_date_window(question, dt.date(2024, 12, 31))
    assert without_period(question, window) == rest
