"""How a question's dates shape retrieval: which articles it may see, and how their age weighs.

``dated_filter`` turns the question's DateWindow into the SearchFilter both searches (Chroma and
BM25) apply: nothing published after ``as_of`` (undated articles stay), and only the window's
articles when it names a period. ``weigh_by_date`` then adjusts the fused scores: a vague window
("recently") lifts the articles inside it, and a question about the present ("still", "now",
"this week") prefers articles published shortly before ``as_of`` with a half-life decay. A
question without either keeps its ranking untouched. ``newest_source_note`` tells the reader when
an answer about the present rests only on older articles.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import replace

from rag.types import Citation, DateWindow, Passage, SearchFilter

# An event is reported the day it happens or the day after: "yesterday's vote" may be in today's paper.
REPORT_LAG = dt.timedelta(days=1)
# How much an article inside a vague window ("recently", "a few weeks ago") gains.
WINDOW_BOOST = 0.25
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


def period_applied(window: DateWindow | None, passages: Sequence[Passage]) -> bool:
    """True when retrieval applied the question's period: a boost, or a filter the passages fall in
    (a filter no article is dated in is dropped, and then the period's words are search words)."""
    if window is None or not window.phrase or window.kind == "none":
        return False
    if window.kind != "filter":
        return True
    start, end = publication_period(window)
    return any(p.published is not None and start <= p.published <= end for p in passages)


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
