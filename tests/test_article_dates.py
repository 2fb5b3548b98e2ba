"""Article dates the text and the URL state: datelines, leads, byline lines, URL paths; else undated."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from rag import Article, Settings
from rag.loaders import load_sources
from rag.loaders.dates import article_date, date_from_text, date_from_url

D = dt.date


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://news.example/2023/11/21/russia-kyiv/", D(2023, 11, 21)),
        ("https://news.example/world/2023/11/21/russia-kyiv", D(2023, 11, 21)),
        ("https://news.example/2023-11-21-russia-kyiv.html", D(2023, 11, 21)),
        ("https://news.example/archive/20231121/story.html", D(2023, 11, 21)),
        ("https://news.example/2024/02/29/leap", D(2024, 2, 29)),
        ("https://news.example/2023/02/30/not-a-day", None),
        ("https://news.example/2023/11/russia-kyiv", None),  # month only: no day to give
        ("https://news.example/story/2023", None),
        ("https://news.example/item/123456789", None),
        ("https://news.example/story?date=2023/11/21", None),  # the query is not the path
        ("", None),
    ],
)
def test_date_from_url(url: str, expected: dt.date | None) -> None:
    assert date_from_url(url) == expected


SEED_LIKE = (
    "Russian President Vladimir Putin speaks in Astana, Kazakhstan, Nov 9, 2023.\n\n"
    "MOSCOW - Russia cannot co-exist with the present regime in Kyiv, a senior Russian official "
    "said on Tuesday (Nov 21), reaffirming the goals of the operation.\n\n"
    "Putin sent troops into Ukraine in February 2022."
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # the lead's day, its year from a full date the text mentions, checked against the weekday
        (SEED_LIKE, D(2023, 11, 21)),
        (SEED_LIKE.replace("Tuesday", "Monday"), None),  # 21 Nov 2023 was a Tuesday: contradiction
        (SEED_LIKE.replace("Nov 9, 2023", "last week"), None),  # no year anywhere: a guess would be wrong
        (
            "A photo from Dec 28, 2023.\n\nPARIS - Ministers met on Wednesday (Jan 3), officials said.",
            D(2024, 1, 3),
        ),
        # datelines
        ("MOSCOW, Nov 21 (Reuters) - Russia said on Nov 9, 2023 it would respond.", D(2023, 11, 21)),
        ("LONDON, March 3, 2024 — The council met in the evening.", D(2024, 3, 3)),
        ("WASHINGTON (AP), Jan. 5, 2024 - Lawmakers returned.", D(2024, 1, 5)),
        ("NEW YORK, Sept 14 (Reuters) - Stocks fell.", None),  # no year to be had
        # a line holding only a date near the top
        ("Published Tuesday, 21 Nov 2023, 10:30 GMT\n\nThe council met.", D(2023, 11, 21)),
        ("November 21, 2023\n\nThe council met.", D(2023, 11, 21)),
        ("2023-11-21\n\nThe council met.", D(2023, 11, 21)),
        ("Updated: 21 November 2023 at 14.30\n\nThe council met.", D(2023, 11, 21)),
        # dates that are mentions, not the article's own
        ("The council voted on March 5, 2024 to raise fares.", None),
        ("The storm of 12 June 2019 flooded the valley. Repairs continue.", None),
        ("Construction began in 2021 and ended in 2023.", None),
        ("A caption: Kyiv, Nov 9, 2023\n\nThe story has no dateline.", None),
        ("", None),
    ],
)
def test_date_from_text(text: str, expected: dt.date | None) -> None:
    assert date_from_text(text) == expected


def test_url_date_wins_over_the_text() -> None:
    assert article_date(SEED_LIKE, "https://news.example/2023/11/22/russia") == D(2023, 11, 22)
    assert article_date(SEED_LIKE, "https://news.example/russia") == D(2023, 11, 21)


def test_seed_article_is_dated_21_november_2023(seed_path: Path) -> None:
    (article,) = list(load_sources([seed_path], Settings()))
    assert isinstance(article, Article)
    assert article.published == D(2023, 11, 21)


def test_a_date_the_source_gives_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "story.txt"
    path.write_text("Published: 2023-12-01\n\n" + SEED_LIKE, encoding="utf-8")
    (article,) = list(load_sources([path], Settings()))
    assert isinstance(article, Article) and article.published == D(2023, 12, 1)


def test_a_callers_undated_article_gets_its_url_date() -> None:
    given = Article(title="Kyiv", text="Officials met.", url="https://news.example/2024/03/05/kyiv")
    (article,) = list(load_sources([given], Settings()))
    assert isinstance(article, Article) and article.published == D(2024, 3, 5)
