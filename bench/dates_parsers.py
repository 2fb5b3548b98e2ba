"""`python -m bench.dates_parsers`: the PyPI date parsers against our grammar, on periods and traps.

Not a project dependency: run it where dateparser, parsedatetime, ctparse and timefhuman are
installed (a scratch venv: ``pip install dateparser parsedatetime ctparse timefhuman``, then
``PYTHONPATH=. python -m bench.dates_parsers``). Parsers that are missing are skipped. It records
why ``rag.timeframe`` is a grammar of its own: see docs/dates.md.
"""

from __future__ import annotations

import datetime as dt
import statistics
import time
import warnings
from collections.abc import Callable

from rag.timeframe import read_date_window

AS_OF = dt.datetime(2024, 5, 15, 12)
PERIODS = [
    "What did the council decide in March 2024?", "What happened last month?", "What happened in 2022?",
    "What changed since June?", "What happened this week?", "What did the minister say on Tuesday?",
    "What happened two weeks ago?", "What was announced on 21 November?",
]  # fmt: skip
TRAPS = [
    "Who won with 2022 votes?", "Where did a 7.0-magnitude quake hit?", "Who paid $2,024 for the ticket?",
    "What happened on Route 66?", "What is new in Windows 11?", "Who made the Top 100 list?",
    "How much did the repairs cost?", "What did Theresa May say about Brexit?",
]  # fmt: skip


def _ours(question: str) -> object:
    window = read_date_window(question, AS_OF.date())
    return (window.start, window.end) if window.kind != "none" else None


def _parsers() -> dict[str, Callable[[str], object]]:
    found: dict[str, Callable[[str], object]] = {"rag.timeframe": _ours}
    try:
        import dateparser.search

        settings = {"RELATIVE_BASE": AS_OF, "PREFER_DATES_FROM": "past"}
        found["dateparser"] = lambda q: dateparser.search.search_dates(q, settings=settings, languages=["en"])
    except ImportError:
        pass
    try:
        import parsedatetime

        calendar = parsedatetime.Calendar()
        found["parsedatetime"] = lambda q: calendar.nlp(q, sourceTime=AS_OF)
    except ImportError:
        pass
    try:
        import ctparse

        found["ctparse"] = lambda q: ctparse.ctparse(q, ts=AS_OF, timeout=0.5)
    except ImportError:
        pass
    try:
        import timefhuman
        from timefhuman.utils import Direction, tfhConfig

        config = tfhConfig(direction=Direction.previous, now=AS_OF, return_matched_text=True)
        found["timefhuman"] = lambda q: timefhuman.timefhuman(q, config=config) or None
    except ImportError:
        pass
    return found


def _timed(parse: Callable[[str], object], question: str) -> tuple[object, float]:
    times, result = [], None
    for _ in range(5):
        start = time.perf_counter()
        result = parse(question)
        times.append((time.perf_counter() - start) * 1000)
    return result, statistics.median(times)


def main() -> int:
    """Print, per parser, what it made of each question and how long it took."""
    warnings.filterwarnings("ignore")
    for name, parse in _parsers().items():
        parse(PERIODS[0])  # first-call set-up is not what a question pays
        print(f"== {name}")
        times = []
        for kind, questions in (("period", PERIODS), ("trap", TRAPS)):
            for question in questions:
                result, ms = _timed(parse, question)
                times.append(ms)
                print(f"  {kind:6} {ms:7.3f} ms  {question:45.45} -> {str(result)[:90]}")
        print(f"  median {statistics.median(times):.3f} ms, worst {max(times):.3f} ms")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
