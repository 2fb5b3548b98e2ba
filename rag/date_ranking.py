"""How a question's dates shape retrieval: which articles it may see, and how their age weighs.

``dated_filter`` turns the question's DateWindow into the SearchFilter both searches (Chroma and
BM25) apply: nothing published after ``as_of`` (undated articles stay), and, for the second pair
of searches a named period gets, only the period's articles. ``prefer_period`` then puts the
period's articles first without hiding an article from outside it that answers far better or
names the period itself ("last year", read against its own date): news questions repeat the
event's time phrase, which need not be the report's. ``weigh_by_date`` adjusts the fused scores:
a vague window ("recently") lifts the articles inside it, and a question about the present
("still", "now", "this week") prefers articles published shortly before ``as_of`` with a half-life
decay. A question without either keeps its ranking untouched. ``newest_source_note`` tells the
reader when an answer about the present rests only on older articles, ``outside_period_note``
when an answer to a named period rests on none of its articles.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from rag.date_phrases import PhraseReader
from rag.types import Citation, DateWindow, Passage, SearchFilter

# An event is reported the day it happens or the day after: "yesterday's vote" may be in today's paper.
REPORT_LAG = dt.timedelta(days=1)
# How much an article inside a vague window ("recently", "a few weeks ago") gains.
WINDOW_BOOST = 0.25
# How much an article published in a period the question names gains (its score doubles): a later
# report of the same story can score well above it ("Which storm hit in July?": December's season
# recap 1.42, July's storm report 0.85), and at +0.5 three of 15 dated-fixture questions that name a
# period led with another month's article; at +1.0 and +1.5 none did (python -m bench.dates).
PERIOD_BOOST = 1.0
# At most this many passages from outside the period are read for their own dates (a chunk takes
# about a millisecond to read): the best few of those the period's articles outscore.
NAMED_CHECKS = 3
# A month or season named without a year, and not as a bound ("in March", "over the summer"; not
# "since June": read as of an older article it would reach back a year).
_YEARLESS = re.compile(
    r"(?!.*\b(?:\d{4}|last|this|next|past|ago|year|week|day|today|yesterday|since|after|before|until|till|by|"
    r"from|between|prior|as of|up to)\b).+",
    re.I | re.S,
)
_MONTH = dt.timedelta(days=27)
# Sources older than this before as_of are worth pointing out to someone asking about the present.
STALE_AFTER = dt.timedelta(days=7)


def dated_filter(where: SearchFilter, window: DateWindow) -> SearchFilter:
    """``where`` narrowed to what was published by ``as_of`` (when a day was asked for) and, for an
    explicit period, inside it."""
    as_of = window.as_of if window.hides_later else None
    if where.as_of is not None:
        as_of = min(where.as_of, as_of) if as_of else where.as_of
    start, end = where.published_from, where.published_to
    if window.kind == "filter":
        first, last = publication_period(window)
        start = max(start, first) if start else (first if window.start else None)
        end = min(end, last) if end else last
    return replace(where, published_from=start, published_to=end, as_of=as_of)


def publication_period(window: DateWindow) -> tuple[dt.date, dt.date]:
    """When articles about the window's period were published: from its start (or ever) to a day
    after its end, never past ``as_of``."""
    end = window.end + REPORT_LAG if window.end is not None else window.as_of
    return window.start or dt.date.min, min(end, window.as_of)


def prefer_period(passages: Sequence[Passage], window: DateWindow) -> list[Passage]:
    """Passages rescored for the period the question names, best first; unchanged without one.

    A named period is a preference, not a wall: news questions repeat the article's own time
    phrase ("pleaded guilty in March", "210,000 visitors last year"), which dates the event, not
    the report. Articles published in the period gain ``PERIOD_BOOST``, so among reports of one
    story the period's wins. An article from outside it stays when its own text names the period,
    read against its own date (a later report of the period's event); the rest go, as under a
    filter. A better match alone does not keep one: asked "revenue in 2022", a 2024 article's
    revenue is no answer.
    """
    if window.kind != "filter" or not passages:
        return list(passages)
    start, end = publication_period(window)
    inside = {p.article_id for p in passages if p.published is not None and start <= p.published <= end}
    if not inside:
        return list(passages)
    if _yearless(window):  # "in February": a report from February of another year is one too
        days = {p.published for p in passages if p.published is not None and p.article_id not in inside}
        own = {day for day in days if _within_own(day, window)}
        inside |= {p.article_id for p in passages if p.published in own}
    outside = [p for p in passages if p.article_id not in inside and p.published is not None]
    # best first, and only a few: reading a chunk's dates takes about a millisecond. An article
    # saying the question's own words for the period ("last winter") is read as the asker read it.
    named = {
        p.article_id
        for p in outside[:NAMED_CHECKS]
        if window.phrase.lower() in p.text.lower() or names_period(p.text, p.published, window)  # type: ignore[arg-type]
    }
    kept = [
        replace(p, score=p.score * (1.0 + PERIOD_BOOST)) if p.article_id in inside else p
        for p in passages
        if p.article_id in inside or p.article_id in named
    ]
    return sorted(kept, key=lambda p: (-p.score, p.chunk_id))


def names_period(text: str, published: dt.date, window: DateWindow) -> bool:
    """True when ``text`` names a day or period inside the window's, its phrases ("last year", "in
    March", "on Tuesday") read as of ``published``: a later report of an event in the period.

    A month or season asked without a year ("in March") is also read as of ``published``: asked
    in December of the next year, "pleaded guilty in March" in a June article is what it means.
    """
    spans = [(window.start or dt.date.min, window.end or window.as_of)]
    if _yearless(window):
        again = PhraseReader(window.phrase, published).first_period()
        if again is not None and again[0].end <= published:
            spans.append((again[0].start, again[0].end))
    return any(
        first <= period.start and period.end <= last
        for period in PhraseReader(text, published).periods()
        for first, last in spans
    )


def _yearless(window: DateWindow) -> bool:
    """True for a month or season named without a year ("in March", "over the summer")."""
    return bool(
        window.start
        and window.end
        and _YEARLESS.fullmatch(window.phrase)
        and window.end - window.start >= _MONTH  # February's 27 days too
    )


def _within_own(published: dt.date, window: DateWindow) -> bool:
    """True when an article was published in the window's month or season of its own year (or the
    day after it ends): "in February" asked of a story published on 4 February 2025."""
    again = PhraseReader(window.phrase, published).first_period()
    return again is not None and again[0].start <= published <= again[0].end + REPORT_LAG


def outside_period_note(citations: Sequence[Citation], window: DateWindow) -> str:
    """ "Published 19 Jun 2025, before the period asked about (March 2026)." when the question named
    a period and no cited article was published in it; otherwise ""."""
    if window.kind != "filter":
        return ""
    start, end = publication_period(window)
    dates = [c.published for c in citations if c.published is not None]
    if not dates or any(start <= day <= end for day in dates):
        return ""
    newest = max(dates)
    side = "after" if newest > end else "before"
    return f"Published {_day(newest)}, {side} the period asked about ({period_label(window)})."


def period_label(window: DateWindow) -> str:
    """The window's period in a reader's words: "2025", "March 2026", "2 Mar 2026 to 8 Mar 2026"."""
    start, end = window.start, window.end or window.as_of
    if start is None:
        return f"up to {_day(end)}"
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        return str(start.year)
    if (
        start.day == 1
        and (start.year, start.month) == (end.year, end.month)
        and end.month != (end + dt.timedelta(days=1)).month
    ):
        return f"{start:%B %Y}"
    return _day(start) if start == end else f"{_day(start)} to {_day(end)}"


def searched_scope(where: SearchFilter) -> str:
    """The articles ``where`` lets through, in words: "chosen", "published by 1 May 2024",
    "chosen and published 1 Mar 2024 to 31 Mar 2024"; "" when it lets everything through."""
    end = (
        min(d for d in (where.published_to, where.as_of) if d) if where.published_to or where.as_of else None
    )
    start = where.published_from
    dates = (
        f"published {_day(start)} to {_day(end)}"
        if start and end
        else f"published since {_day(start)}"
        if start
        else f"published by {_day(end)}"
        if end
        else ""
    )
    return " and ".join(part for part in ("chosen" if where.article_ids else "", dates) if part)


def period_scope(window: DateWindow) -> str:
    """The period's articles, in words to follow "the articles": "from March 2026", "published up to
    29 Feb 2024"."""
    label = period_label(window)
    return f"published {label}" if label.startswith("up to") else f"from {label}"


def scoped_reason(reason: str, scope: str) -> str:
    """An abstention's reason limited to the articles searched: "The articles published by 1 May
    2024 do not mention ..." rather than a claim about the whole archive."""
    if not scope:
        return reason
    return re.sub(r"\b([Tt]he articles)\b", lambda m: f"{m.group(1)} {scope}", reason, count=1)


def _day(day: dt.date) -> str:
    return f"{day.day} {day:%b %Y}"


def period_applied(window: DateWindow | None, passages: Sequence[Passage]) -> bool:
    """True when retrieval applied the question's period: a boost, or a filter the passages fall in
    (a filter no article is dated in is dropped, and then the period's words are search words)."""
    if window is None or not window.phrase or window.kind == "none":
        return False
    if window.kind != "filter":
        return True
    start, end = publication_period(window)
    yearless = _yearless(window)
    return any(
        p.published is not None
        and (start <= p.published <= end or (yearless and _within_own(p.published, window)))
        for p in passages
    )


def weigh_by_date(
    passages: Sequence[Passage],
    window: DateWindow,
    half_life_days: float,
    current_weight: float,
    past_weight: float = 0.0,
) -> list[Passage]:
    """Passages rescored for the question's time, best first; unchanged when it has none.

    For a question about the present, ``current_weight`` of each score decays with the article's
    age before ``as_of`` (half of it gone after ``half_life_days``); the rest stays, so a much
    better match still wins. A question asked as of a past day (``historical``) gets the same
    decay with ``past_weight``: it is asked in that day's news. Undated articles count as old:
    nothing says they are fresh.
    """
    vague = window.kind == "boost" and window.start is not None and window.end is not None
    weight = current_weight if window.current else past_weight if window.historical else 0.0
    if not (vague or weight) or not passages:
        return list(passages)
    rescored = []
    for passage in passages:
        factor = 1.0
        if vague and passage.published and window.start <= passage.published <= window.end:  # type: ignore[operator]
            factor += WINDOW_BOOST
        if weight:
            fresh = (
                0.5 ** (max((window.as_of - passage.published).days, 0) / half_life_days)
                if passage.published
                else 0.0
            )
            factor *= 1.0 - weight + weight * fresh
        rescored.append(replace(passage, score=passage.score * factor))
    return sorted(rescored, key=lambda p: (-p.score, p.chunk_id))


def newest_source_note(citations: Sequence[Citation], window: DateWindow) -> str:
    """ "Newest source: 15 Apr 2024." when every dated source is over a week older than ``as_of``
    and the question is about the present or asked as of a past day; otherwise ""."""
    dates = [c.published for c in citations if c.published is not None]
    if not dates or not (window.current or window.latest or window.historical):
        return ""
    newest = max(dates)
    return f"Newest source: {newest.day} {newest:%b %Y}." if newest < window.as_of - STALE_AFTER else ""
