"""How a question's date window filters and reweighs passages (pure functions, no store)."""

from __future__ import annotations

import datetime as dt

import pytest

from rag.date_ranking import dated_filter, newest_source_note, weigh_by_date
from rag.timeframe import read_date_window
from rag.types import Citation, DateWindow, Passage, SearchFilter

AS_OF = dt.date(2024, 5, 15)


def _p(article: str, score: float, published: dt.date | None) -> Passage:
    return Passage(article, article.title(), "", published, "text", 0, 4, score, chunk_id=f"{article}:0")


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
