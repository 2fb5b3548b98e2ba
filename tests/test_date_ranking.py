"""How a question's date window filters and reweighs passages (pure functions, no store)."""

from __future__ import annotations

import datetime as dt

import pytest

from rag.date_ranking import (
    dated_filter,
    names_period,
    newest_source_note,
    outside_period_note,
    period_applied,
    period_label,
    period_scope,
    prefer_period,
    scoped_reason,
    searched_scope,
    weigh_by_date,
)
from rag.timeframe import read_date_window
from rag.types import Citation, DateWindow, Passage, SearchFilter

AS_OF = dt.date(2024, 5, 15)


def _p(article: str, score: float, published: dt.date | None, text: str = "text") -> Passage:
    return Passage(article, article.title(), "", published, text, 0, 4, score, chunk_id=f"{article}:0")


@pytest.mark.parametrize(
    ("question", "start", "end"),
    [
        ("What happened yesterday?", dt.date(2024, 5, 14), dt.date(2024, 5, 15)),  # reported a day later
        ("What happened today?", dt.date(2024, 5, 15), dt.date(2024, 5, 15)),  # never past as_of
        ("What happened last week?", dt.date(2024, 5, 6), dt.date(2024, 5, 13)),
        ("What happened in March 2024?", dt.date(2024, 3, 1), dt.date(2024, 4, 1)),
        ("What happened before March 2024?", None, dt.date(2024, 3, 1)),
        ("What changed since June?", dt.date(2023, 6, 1), dt.date(2024, 5, 15)),
        ("What has happened recently?", None, None),  # vague: a boost, not a filter
        ("How much did the repairs cost?", None, None),
    ],
)
def test_dated_filter_bounds(question: str, start: dt.date | None, end: dt.date | None) -> None:
    where = dated_filter(SearchFilter(), read_date_window(question, AS_OF))
    assert (where.published_from, where.published_to, where.as_of) == (start, end, AS_OF)


def test_dated_filter_keeps_the_narrower_of_the_users_and_the_questions_bounds() -> None:
    user = SearchFilter(("a", "b"), dt.date(2024, 3, 10), dt.date(2024, 12, 31), as_of=dt.date(2024, 4, 1))
    where = dated_filter(user, read_date_window("What happened in March 2024?", AS_OF))
    assert where == SearchFilter(("a", "b"), dt.date(2024, 3, 10), dt.date(2024, 4, 1), dt.date(2024, 4, 1))


def test_timeless_question_asked_today_keeps_its_ranking() -> None:
    passages = [_p("old", 0.30, dt.date(2020, 1, 1)), _p("new", 0.29, AS_OF), _p("undated", 0.2, None)]
    window = read_date_window("How much did the repairs cost?", AS_OF, today=AS_OF)
    assert weigh_by_date(passages, window, 7, 0.7, 0.3) == passages


def test_current_question_prefers_articles_just_before_as_of() -> None:
    passages = [_p("month_old", 0.30, AS_OF - dt.timedelta(days=30)), _p("fresh", 0.25, AS_OF)]
    window = read_date_window("Is the bridge still closed?", AS_OF)
    assert [p.article_id for p in weigh_by_date(passages, window, 7, 0.7)] == ["fresh", "month_old"]


def test_much_better_match_still_wins_a_current_question() -> None:
    passages = [_p("month_old", 0.30, AS_OF - dt.timedelta(days=30)), _p("fresh", 0.05, AS_OF)]
    window = read_date_window("Is the bridge still closed?", AS_OF)
    assert [p.article_id for p in weigh_by_date(passages, window, 7, 0.7)] == ["month_old", "fresh"]


def test_undated_article_is_not_taken_for_fresh() -> None:
    passages = [_p("undated", 0.30, None), _p("week_old", 0.25, AS_OF - dt.timedelta(days=7))]
    window = read_date_window("Who runs the agency now?", AS_OF)
    assert weigh_by_date(passages, window, 7, 0.7)[0].article_id == "week_old"


def test_vague_window_lifts_the_articles_inside_it() -> None:
    passages = [
        _p("last_year", 0.30, dt.date(2023, 5, 1)),
        _p("last_week", 0.27, AS_OF - dt.timedelta(days=7)),
    ]
    window = DateWindow(AS_OF, AS_OF - dt.timedelta(days=30), AS_OF, "boost", "recently")
    assert [p.article_id for p in weigh_by_date(passages, window, 7, 0.0)] == ["last_week", "last_year"]


def test_question_asked_as_of_a_past_day_leans_to_that_weeks_news() -> None:
    passages = [_p("spring", 0.30, dt.date(2024, 3, 1)), _p("that_week", 0.27, AS_OF - dt.timedelta(days=2))]
    past = read_date_window("Who advanced to the runoff?", AS_OF, today=dt.date(2026, 1, 1))
    today = read_date_window("Who advanced to the runoff?", AS_OF, today=AS_OF)
    assert past.historical and not today.historical
    assert weigh_by_date(passages, past, 7, 0.7, 0.3)[0].article_id == "that_week"
    assert weigh_by_date(passages, today, 7, 0.7, 0.3)[0].article_id == "spring"


def _c(index: int, published: dt.date | None) -> Citation:
    return Citation(index, f"a{index}", "T", "", published, "quote", 0, 5)


@pytest.mark.parametrize(
    ("question", "dates", "note"),
    [
        (
            "Is the bridge still closed?",
            [dt.date(2024, 4, 15), dt.date(2024, 3, 1)],
            "Newest source: 15 Apr 2024.",
        ),
        ("Is the bridge still closed?", [dt.date(2024, 5, 10)], ""),  # fresh enough
        ("What is the latest on the strike?", [None, dt.date(2023, 12, 2)], "Newest source: 2 Dec 2023."),
        ("Is the bridge still closed?", [None], ""),  # nothing dated to speak of
        ("How much did the repairs cost?", [dt.date(2020, 1, 1)], ""),  # timeless: the date is no news
    ],
)
def test_newest_source_note(question: str, dates: list[dt.date | None], note: str) -> None:
    citations = [_c(i, d) for i, d in enumerate(dates, 1)]
    assert newest_source_note(citations, read_date_window(question, AS_OF, today=AS_OF)) == note


def test_newest_source_note_for_a_question_asked_as_of_a_past_day() -> None:
    window = read_date_window("Who advanced to the runoff?", AS_OF, today=dt.date(2026, 1, 1))
    assert newest_source_note([_c(1, dt.date(2024, 3, 1))], window) == "Newest source: 1 Mar 2024."


MARCH = read_date_window("What happened to fares in March?", AS_OF)  # March 2024, reported to 1 April


def test_the_named_periods_article_wins_over_another_months_report_of_the_story() -> None:
    passages = [_p("april_fares", 1.0, dt.date(2024, 4, 20)), _p("march_fares", 0.8, dt.date(2024, 3, 12))]
    assert [p.article_id for p in prefer_period(passages, MARCH)] == ["march_fares"]


def test_an_article_from_outside_the_period_stays_only_when_it_names_the_period() -> None:
    ruling = _p("ruling", 1.9, dt.date(2023, 6, 19), "It had pleaded guilty to two charges in March.")
    revenue = _p("revenue", 1.9, dt.date(2022, 10, 25), "Revenue fell 3% to $18.4 billion.")
    museum = _p("museum", 0.3, dt.date(2024, 3, 14))
    # "in March" without a year, said in a June article: that March, the best match, leads
    assert [p.article_id for p in prefer_period([ruling, museum], MARCH)] == ["ruling", "museum"]
    # a better match from another time that says nothing of the period is no answer for it
    assert [p.article_id for p in prefer_period([revenue, museum], MARCH)] == ["museum"]


def test_a_later_article_naming_the_period_in_its_own_words_stays() -> None:
    later = _p("recap", 0.6, dt.date(2024, 4, 20), "Fares rose by 10 cents last month, the agency said.")
    other = _p("unrelated", 0.5, dt.date(2024, 4, 21), "The agency said on Tuesday that fares would rise.")
    passages = [_p("march", 0.5, dt.date(2024, 3, 12)), later, other]
    assert [p.article_id for p in prefer_period(passages, MARCH)] == ["march", "recap"]


def test_without_a_named_period_or_an_article_in_it_nothing_changes() -> None:
    passages = [_p("a", 1.0, dt.date(2024, 4, 20)), _p("b", 0.5, None)]
    assert prefer_period(passages, read_date_window("What happened to fares?", AS_OF)) == passages
    assert prefer_period(passages, MARCH) == passages  # nothing published in March: nothing to prefer


@pytest.mark.parametrize(
    ("text", "published", "asked", "names"),
    [
        ("It welcomed about 210,000 visitors last year.", dt.date(2024, 3, 14), "in 2023", True),
        ("It welcomed about 210,000 visitors last year.", dt.date(2024, 3, 14), "in March", False),
        ("It had pleaded guilty to two charges in March.", dt.date(2024, 6, 19), "in March", True),
        ("It had pleaded guilty to two charges in March.", dt.date(2024, 6, 19), "in 2024", True),
        (
            "It had pleaded guilty to two charges in March.",
            dt.date(2023, 6, 19),
            "in March",
            True,
        ),  # its March
        ("It had pleaded guilty to two charges in March.", dt.date(2023, 6, 19), "in March 2024", False),
        ("It had pleaded guilty to two charges in March.", dt.date(2023, 6, 19), "in 2024", False),
        ("It opened on 2 July.", dt.date(2023, 3, 26), "since June", False),  # a bound is not re-read
        ("It welcomed 210,000 visitors, most since 2020.", dt.date(2025, 3, 14), "in 2024", False),
        ("The plan runs until 2026.", dt.date(2024, 3, 14), "in March", False),  # reaches past March
    ],
)
def test_names_period_reads_an_articles_phrases_against_its_own_date(
    text: str, published: dt.date, asked: str, names: bool
) -> None:
    window = read_date_window(f"What happened {asked}?", AS_OF)
    assert names_period(text, published, window) is names


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("What happened in March?", "March 2024"),
        ("What happened last year?", "2023"),
        ("What happened on 2 March 2024?", "2 Mar 2024"),
        ("What happened last week?", "6 May 2024 to 12 May 2024"),
        ("What happened before March 2024?", "up to 29 Feb 2024"),
    ],
)
def test_period_label(question: str, label: str) -> None:
    assert period_label(read_date_window(question, AS_OF)) == label


def test_outside_period_note_says_when_no_source_is_from_the_period() -> None:
    window = read_date_window("How many visitors did the museum have last year?", AS_OF)
    later = [_c(1, dt.date(2024, 3, 14))]
    assert outside_period_note(later, window) == "Published 14 Mar 2024, after the period asked about (2023)."
    assert outside_period_note([_c(1, dt.date(2022, 6, 1))], window).endswith(
        "before the period asked about (2023)."
    )
    assert outside_period_note([*later, _c(2, dt.date(2023, 7, 1))], window) == ""  # one is from 2023
    assert outside_period_note([_c(1, None)], window) == ""
    assert outside_period_note(later, read_date_window("How many visitors did it have?", AS_OF)) == ""


@pytest.mark.parametrize(
    ("where", "scope"),
    [
        (SearchFilter(), ""),
        (SearchFilter(as_of=dt.date(2024, 5, 1)), "published by 1 May 2024"),
        (
            SearchFilter(published_to=dt.date(2024, 6, 1), as_of=dt.date(2024, 5, 1)),
            "published by 1 May 2024",
        ),
        (SearchFilter(published_from=dt.date(2024, 3, 1)), "published since 1 Mar 2024"),
        (
            SearchFilter(("a",), dt.date(2024, 3, 1), dt.date(2024, 3, 31)),
            "chosen and published 1 Mar 2024 to 31 Mar 2024",
        ),
    ],
)
def test_searched_scope(where: SearchFilter, scope: str) -> None:
    assert searched_scope(where) == scope


def test_an_abstention_behind_a_filter_speaks_only_for_the_articles_searched() -> None:
    reason = 'The articles mention "charges" but not "Brennock".'
    assert scoped_reason(reason, "published by 1 May 2024") == (
        'The articles published by 1 May 2024 mention "charges" but not "Brennock".'
    )
    assert scoped_reason("No sentence of the articles answers the question.", "chosen") == (
        "No sentence of the articles chosen answers the question."
    )
    assert scoped_reason(reason, "") == reason
    assert period_scope(MARCH) == "from March 2024"
    assert (
        period_scope(read_date_window("What happened before March 2024?", AS_OF))
        == "published up to 29 Feb 2024"
    )


def test_a_month_asked_without_a_year_takes_that_month_of_an_earlier_year_too() -> None:
    # "in February" asked in May 2024 is February 2024 first, but a report published in February 2023
    # is one of February as well (a reader asking of a story in the archive), and it competes on merit
    february = read_date_window("How many patients were waiting in February?", AS_OF)
    this_year = _p("this_year", 0.4, dt.date(2024, 2, 10))
    last_year = _p("last_year", 1.0, dt.date(2023, 2, 4))
    january = _p("january", 1.2, dt.date(2023, 1, 14))
    assert [p.article_id for p in prefer_period([january, last_year, this_year], february)] == [
        "last_year",
        "this_year",
    ]
    assert period_applied(february, [last_year])


def test_an_article_saying_the_questions_own_period_words_stays() -> None:
    # "last winter" asked in May 2024 is the winter of 2023-24; a 2023 report that says "last winter"
    # is read the way the reader quoting it meant it (the answer then says when it was published)
    winter = read_date_window("What was the longest delay last winter?", AS_OF)
    old = _p("old", 1.0, dt.date(2023, 1, 14), "Last winter the longest delay was just under two hours.")
    other = _p("other", 0.9, dt.date(2023, 1, 15), "Delays grew longer in January.")
    current = _p("current", 0.5, dt.date(2024, 1, 20))
    assert [p.article_id for p in prefer_period([old, other, current], winter)] == ["current", "old"]
