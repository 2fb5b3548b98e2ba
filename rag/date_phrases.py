"""The phrases of the date grammar: each period form ("in March 2024", "three weeks ago") as a reader.

``timeframe.read_date_window`` is the entry point; this module reads a question's tokens left to
right and returns the first period a phrase names, as days resolved against ``as_of``; ``periods``
reads every period an article's text names, against the day it was published.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from rag.calendar_words import (
    FIRST_YEAR,
    LAST_YEAR,
    MONTH_ABBREVIATIONS,
    MONTHS,
    WEEKDAYS,
    add_months,
    latest_on_or_before,
    make_date,
    month_end,
    month_number,
    week_start,
    weekday_on_or_before,
)

_TOKEN = re.compile(
    r"\d{4}-\d{1,2}-\d{1,2}\b|\d{1,2}/\d{1,2}/\d{4}\b|\d+(?:st|nd|rd|th)\b|\d+[^\W_]*|[^\W\d_]+(?:['’]s)?|\S"
)
_UNITS = {"day": 1, "days": 1, "week": 7, "weeks": 7, "month": 30, "months": 30, "year": 365, "years": 365}
_NUMBERS = {"a": 1, "an": 1, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
            "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12}  # fmt: skip
_FEW = {"few", "several", "couple"}
_SEASONS = {"spring": 3, "summer": 6, "autumn": 9, "fall": 9, "winter": 12}
# A bare weekday after these is a name ("Black Friday", "Super Tuesday"), before these a title.
_NOT_WEEKDAY_BEFORE = {"black", "good", "super", "cyber", "ash", "bloody", "easter", "palm", "holy", "giving",
                       "maundy", "shrove", "fat", "manic", "blue", "plough", "low"}  # fmt: skip
_NOT_WEEKDAY_AFTER = {"times", "mail", "telegraph", "mirror", "express", "post", "herald", "school", "league"}
# A year followed by a lower-case word other than these is a count: "in 2022 votes", "2024 people".
_AFTER_YEAR = {"and", "or", "to", "through", "until", "till", "when", "while", "what", "who", "how", "why",
               "where", "which", "did", "do", "does", "was", "were", "is", "are", "has", "have", "had", "the",
               "a", "an", "for", "about", "on", "in", "at", "by", "with", "as", "after", "before", "than",
               "so", "that", "this", "it", "they", "he", "she", "we", "i", "you", "compared", "versus"}  # fmt: skip
_NOT_YEAR_BEFORE = {"$", "£", "€", "¥", "#", "no", "number", "route", "highway", "interstate", "room", "flight",
                    "windows", "iphone", "vision", "agenda", "top"}  # fmt: skip
# Prepositions after which a bare month, year or season is a period ("in May", "since 2022").
# Not "for" ("the budget for 2025" is a plan, written about before 2025) nor "of" ("the election of 2022").
_PERIOD_PREPOSITIONS = {"in", "during", "on", "throughout", "over", "around", "at"}
_PARTS = {"early": 0, "beginning": 0, "start": 0, "mid": 1, "middle": 1, "late": 2, "end": 2}
# Words a date phrase can start with (besides numbers): any other token is skipped at once.
_STARTERS = frozenset(
    {*MONTHS, *MONTH_ABBREVIATIONS, *WEEKDAYS, *_NUMBERS, *_FEW, *_SEASONS, *_PARTS, *_PERIOD_PREPOSITIONS,
     "between", "from", "since", "after", "before", "until", "till", "by", "prior", "as", "up", "the",
     "today", "tonight", "yesterday", "tomorrow", "this", "last", "past", "next", "previous", "coming",
     "earlier", "day", "weekend"}
)  # fmt: skip


@dataclass(frozen=True)
class Period:
    """A span of days a phrase names; ``vague`` ones ("a few weeks ago") only boost."""

    start: dt.date
    end: dt.date
    vague: bool = False


def _third(period: Period, which: int) -> tuple[dt.date, dt.date]:
    """Early, mid or late part of a period: days 1-10, 11-20, 21-end of a month; four months of a year."""
    start, end = period.start, period.end
    if start.day == 1 and end == month_end(start.year, start.month):
        first = start.replace(day=1 + 10 * which)
        return first, end if which == 2 else first + dt.timedelta(days=9)
    if (start.month, start.day, end.month, end.day) == (1, 1, 12, 31) and start.year == end.year:
        first = start.replace(month=1 + 4 * which)
        return first, month_end(first.year, first.month + 3)
    size = (end - start) / 3
    first = start + size * which
    return first, end if which == 2 else start + size * (which + 1) - dt.timedelta(days=1)


@dataclass(frozen=True)
class Token:
    text: str  # lower-cased, possessive "'s" removed
    start: int
    end: int
    capitalised: bool


Found = tuple[Period, int] | None
"""A period and the index of the first token after it, or nothing."""


class PhraseReader:
    """One question's tokens, read left to right for the first date phrase."""

    def __init__(self, question: str, as_of: dt.date) -> None:
        self.question = question
        self.as_of = as_of
        self.tokens = [
            Token(re.sub(r"['’]s$", "", m.group(0).lower()), m.start(), m.end(), m.group(0)[:1].isupper())
            for m in _TOKEN.finditer(question)
        ]

    def word(self, i: int) -> str:
        """The token at ``i``, or "" past either end."""
        return self.tokens[i].text if 0 <= i < len(self.tokens) else ""

    def first_period(self) -> tuple[Period, str] | None:
        """The first date phrase: filters win over vague ones found earlier."""
        vague: tuple[Period, str] | None = None
        i = 0
        while i < len(self.tokens):
            word = self.tokens[i].text
            found = self.phrase(i) if word in _STARTERS or word[:1].isdigit() else None
            if found is None:
                i += 1
                continue
            period, end = found
            text = self.question[self.tokens[i].start : self.tokens[end - 1].end]
            if not period.vague:
                return period, text
            vague = vague or (period, text)
            i = end
        return vague

    def periods(self) -> list[Period]:
        """Every exact (not vague) period the text names, left to right: an article's own "last
        year" or "in March", read against the day it was published."""
        found: list[Period] = []
        i = 0
        while i < len(self.tokens):
            word = self.tokens[i].text
            hit = self.phrase(i) if word in _STARTERS or word[:1].isdigit() else None
            if hit is None:
                i += 1
                continue
            if not hit[0].vague:
                found.append(hit[0])
            i = max(hit[1], i + 1)
        return found

    def phrase(self, i: int) -> Found:
        """A whole date phrase starting at token ``i``: a range, a bounded period, or a period."""
        word = self.word(i)
        if word in ("between", "from"):
            return self.range(i + 1, "and" if word == "between" else "to")
        if word in ("since", "after", "before", "until", "till", "by") or (word, self.word(i + 1)) in (
            ("prior", "to"), ("as", "of"), ("up", "to"),
        ):  # fmt: skip
            j = i + (2 if word in ("prior", "as", "up") else 1)
            return self.bounded(word, self.period(self.skip_the(j), bare=True))
        bare = word in _PERIOD_PREPOSITIONS
        j = self.skip_the(i + 1) if bare else i
        found = self.period(j, bare=bare)
        return found if found or not bare else None

    def range(self, i: int, joiner: str) -> Found:
        """between <period> and <period>, from <period> to <period>."""
        i = self.skip_the(i)
        first = self.period(i, bare=True)
        day = self.day_number(i)
        if first is None and day is not None:  # "between 1 and 10 May": the day takes the second's month
            second = self.period(i + 2, bare=True)
            if second is None or self.word(i + 1) not in (joiner, "and", "to", "-"):
                return None
            start = make_date(second[0].end.year, second[0].end.month, day)
            return (Period(start, second[0].end), second[1]) if start and start <= second[0].end else None
        if first is None or self.word(first[1]) not in (joiner, "and", "to", "until", "till", "through", "-"):
            return None
        second = self.period(self.skip_the(first[1] + 1), bare=True)
        if second is None:
            return None
        if not any(self.year_number(k) for k in range(i, first[1])):
            # "from November to March 2024": the latest November before the range's end
            as_of, self.as_of = self.as_of, second[0].end
            first = self.period(i, bare=True) or first
            self.as_of = as_of
        vague = first[0].vague or second[0].vague
        return Period(first[0].start, second[0].end, vague), second[1]

    def bounded(self, word: str, found: Found) -> Found:
        if found is None:
            return None
        period, end = found
        day = dt.timedelta(days=1)
        if word == "since":
            return Period(period.start, self.as_of, period.vague), end
        if word == "after":
            return Period(period.end + day, self.as_of, period.vague), end
        if word in ("before", "prior"):
            return Period(dt.date.min, period.start - day, period.vague), end
        return Period(dt.date.min, period.end, period.vague), end  # until, by, as of, up to

    def skip_the(self, i: int) -> int:
        return i + 1 if self.word(i) == "the" else i

    def period(self, i: int, bare: bool) -> Found:
        """A single period at token ``i``; ``bare`` allows a lone month, year or season."""
        parsers = (
            self.numeric, self.day_month, self.month_day, self.month, self.part, self.weekday,
            self.relative_day, self.unit, self.ago, self.past_n, self.season, self.year,
        )  # fmt: skip
        for parse in parsers:
            found = parse(i, bare)
            if found is not None:
                return found
        return None

    # --- the period forms, tried in order -------------------------------------------------

    def numeric(self, i: int, bare: bool) -> Found:
        """2023-11-21, and 21/11/2023 or 11/21/2023 when only one reading exists."""
        text = self.word(i)
        if re.fullmatch(r"\d{4}-\d{1,2}-\d{1,2}", text):
            y, m, d = (int(part) for part in text.split("-"))
        elif re.fullmatch(r"\d{1,2}/\d{1,2}/\d{4}", text):
            a, b, y = (int(part) for part in text.split("/"))
            if a <= 12 and b <= 12 and a != b:
                return None  # 03/04/2024: March or April depends on the writer's country
            m, d = (a, b) if b > 12 else (b, a)
        else:
            return None
        day = make_date(y, m, d)
        return (Period(day, day), i + 1) if day else None

    def day_month(self, i: int, bare: bool) -> Found:
        """21 November [2023], the 21st of Nov."""
        day = self.day_number(i)
        j = i + 1 + (self.word(i + 1) == "of")
        month = month_number(self.word(j), with_number=True)
        if day is None or month is None or self.word(i - 1) in _NOT_YEAR_BEFORE:
            return None  # "Windows 11 November update"
        return self.dated(month, day, self.skip_dot(j + 1))

    def month_day(self, i: int, bare: bool) -> Found:
        """November 21[st][, 2023], Nov. 21."""
        month = month_number(self.word(i), with_number=True)
        j = self.skip_dot(i + 1)
        day = self.day_number(j)
        if month is None or day is None or self.word(j + 1) == ":":
            return None
        return self.dated(month, day, j + 1)

    def dated(self, month: int, day: int, j: int) -> Found:
        k = j + (self.word(j) == ",")
        year = self.year_number(k)
        if year is not None:
            found = make_date(year, month, day)
            return (Period(found, found), k + 1) if found else None
        found = latest_on_or_before(month, day, self.as_of)
        return (Period(found, found), j) if found else None

    def month(self, i: int, bare: bool) -> Found:
        """November 2023; a lone "November" after a preposition (the latest one by as_of)."""
        j = self.skip_dot(i + 1)
        year = self.year_number(j + (self.word(j) == ","))
        month = month_number(self.word(i), with_number=year is not None)
        if month is None:
            return None
        if year is not None:
            return Period(dt.date(year, month, 1), month_end(year, month)), j + 1 + (self.word(j) == ",")
        if not bare or (self.tokens[i].text == "may" and self.word(i - 1) == "by"):
            return None  # "backed by May" is Theresa May more often than a deadline
        year = self.as_of.year if month <= self.as_of.month else self.as_of.year - 1
        return Period(dt.date(year, month, 1), month_end(year, month)), i + 1

    def year(self, i: int, bare: bool) -> Found:
        """A lone year after a preposition ("in 2022"), unless it reads as a count."""
        year = self.year_number(i)
        if year is None or not bare:
            return None
        after = self.tokens[i + 1] if i + 1 < len(self.tokens) else None
        if after and after.text.isalpha() and not after.capitalised and after.text not in _AFTER_YEAR:
            return None
        return Period(dt.date(year, 1, 1), dt.date(year, 12, 31)), i + 1

    def part(self, i: int, bare: bool) -> Found:
        """early / mid / late March 2024, the end of last year, the start of the month."""
        word = self.word(i)
        if word not in _PARTS:
            return None
        j = i + 1 + (self.word(i + 1) in ("-", "of"))
        if (
            word in ("beginning", "start", "middle", "end")
            and self.word(i - 1) != "the"
            and self.word(i + 1) != "of"
        ):
            return None  # "the end of March", not "end March"
        found = self.period(self.skip_the(j), bare=True)
        if found is None:
            return None
        period, end = found
        return Period(*_third(period, _PARTS[word]), period.vague), end

    def weekday(self, i: int, bare: bool) -> Found:
        """[last|this|next] Tuesday [last week|this week]."""
        qualifier = self.word(i) if self.word(i) in ("last", "this", "next", "past") else ""
        j = i + bool(qualifier)
        weekday = WEEKDAYS.get(self.word(j))
        if (
            weekday is None
            or self.word(i - 1) in _NOT_WEEKDAY_BEFORE
            or self.word(j + 1) in _NOT_WEEKDAY_AFTER
        ):
            return None
        week = self.word(j + 2) if self.word(j + 1) in ("last", "this", "next") else ""
        if week == "week" or qualifier == "this":
            offset = {"last": -7, "next": 7}.get(self.word(j + 1) if week else "", 0)
            day = week_start(self.as_of) + dt.timedelta(days=offset + weekday)
            return Period(day, day), j + (3 if week else 1)
        if qualifier == "next":
            day = self.as_of + dt.timedelta(days=(weekday - self.as_of.weekday()) % 7 or 7)
            return Period(day, day), j + 1
        day = weekday_on_or_before(weekday, self.as_of, strictly=qualifier in ("last", "past"))
        return Period(day, day), j + 1

    def relative_day(self, i: int, bare: bool) -> Found:
        """today, tonight, this morning, yesterday, last night, the day before yesterday, tomorrow."""
        word, following = self.word(i), self.word(i + 1)
        offset = {"today": 0, "tonight": 0, "yesterday": -1, "tomorrow": 1}.get(word)
        end = i + 1
        if word == "this" and following in ("morning", "afternoon", "evening"):
            offset, end = 0, i + 2
        elif word == "last" and following == "night":
            offset, end = -1, i + 2
        elif (word, following, self.word(i + 2)) == ("day", "before", "yesterday"):
            offset, end = -2, i + 3
        if offset is None:
            return None
        day = self.as_of + dt.timedelta(days=offset)
        return Period(day, day), end

    def unit(self, i: int, bare: bool) -> Found:
        """this / last / past / next week, month, year or weekend; earlier this month."""
        if self.word(i) == "weekend" and self.word(i - 1) == "the":  # "over the weekend": the last one
            saturday = weekday_on_or_before(5, self.as_of)
            return Period(saturday, saturday + dt.timedelta(days=1)), i + 1
        j = i + (self.word(i) == "earlier")
        qualifier, unit = self.word(j), self.word(j + 1)
        if qualifier == "this" and unit == "past":  # "this past week"
            qualifier, unit, j = "last", self.word(j + 2), j + 1
        if qualifier not in ("this", "last", "past", "next", "previous", "coming") or unit not in (
            "week", "month", "year", "weekend",
        ):  # fmt: skip
            return None
        step = {"this": 0, "next": 1, "coming": 1}.get(qualifier, -1)
        rolling = qualifier == "past" or (qualifier == "last" and self.word(i - 1) == "the")
        return self.unit_period(unit, step, rolling), j + 2

    def unit_period(self, unit: str, step: int, rolling: bool) -> Period:
        as_of = self.as_of
        if rolling and unit != "weekend":  # "the past week": the seven days up to as_of
            return Period(as_of - dt.timedelta(days=_UNITS[unit]), as_of)
        if unit == "week":
            start = week_start(as_of) + dt.timedelta(days=7 * step)
            return Period(start, start + dt.timedelta(days=6))
        if unit == "month":
            start = add_months(as_of, step)
            return Period(start, month_end(start.year, start.month))
        if unit == "year":
            return Period(dt.date(as_of.year + step, 1, 1), dt.date(as_of.year + step, 12, 31))
        # A weekend being lived (Saturday, Sunday) or just over (Monday) is "this weekend" too.
        saturday = weekday_on_or_before(5, as_of)
        if step > 0 or (step == 0 and as_of.weekday() in (1, 2, 3, 4)):
            saturday += dt.timedelta(days=7)
        elif step < 0 and as_of.weekday() in (5, 6):
            saturday -= dt.timedelta(days=7)
        return Period(saturday, saturday + dt.timedelta(days=1))

    def ago(self, i: int, bare: bool) -> Found:
        """three weeks ago, a year ago, a few days ago (vague)."""
        count, j = self.count(i)
        unit = self.word(j)
        if count is None or unit not in _UNITS or self.word(j + 1) != "ago":
            return None
        if count == 0:  # "a few": two to five units back, as a boost
            return self.vague_span(unit, 5, 2), j + 2
        as_of = self.as_of
        if unit.startswith("day"):
            day = as_of - dt.timedelta(days=count)
            return Period(day, day), j + 2
        if unit.startswith("week"):
            start = week_start(as_of - dt.timedelta(days=7 * count))
            return Period(start, start + dt.timedelta(days=6)), j + 2
        if unit.startswith("month"):
            start = add_months(as_of, -count)
            return Period(start, month_end(start.year, start.month)), j + 2
        return Period(dt.date(as_of.year - count, 1, 1), dt.date(as_of.year - count, 12, 31)), j + 2

    def past_n(self, i: int, bare: bool) -> Found:
        """the past 7 days, the last two weeks, the past few months (vague), the last 48 hours."""
        if self.word(i) not in ("past", "last", "previous"):
            return None
        count, j = self.count(i + 1)
        unit = self.word(j)
        if count is None:
            return None
        if unit in ("hour", "hours"):
            return Period(self.as_of - dt.timedelta(days=-(-count // 24)), self.as_of), j + 1
        if unit not in _UNITS:
            return None
        if count == 0:
            return self.vague_span(unit, 5, 0), j + 1
        return Period(self.as_of - dt.timedelta(days=count * _UNITS[unit]), self.as_of), j + 1

    def season(self, i: int, bare: bool) -> Found:
        """[this|last] summer, summer 2023, the winter of 2022, in the autumn."""
        qualifier = self.word(i) if self.word(i) in ("this", "last", "past", "next") else ""
        j = i + bool(qualifier)
        first_month = _SEASONS.get(self.word(j))
        if first_month is None:
            return None
        k = j + 1 + (self.word(j + 1) == "of")
        year = self.year_number(k)
        if year is not None:
            start = dt.date(year, first_month, 1)
            return Period(start, add_months(start, 3) - dt.timedelta(days=1)), k + 1
        if not qualifier and (not bare or self.word(j + 1) in ("of", "in")):
            return None  # "the fall of Kabul", "a fall in prices"
        as_of = self.as_of
        start = dt.date(as_of.year - (first_month > as_of.month), first_month, 1)
        running = add_months(start, 3) > as_of
        upcoming = add_months(start, 12)
        if qualifier in ("last", "past") and running:
            start = add_months(start, -12)
        elif qualifier == "next" or (
            qualifier == "this" and not running and upcoming - as_of < as_of - start
        ):
            start = upcoming  # "this summer" asked in March; "this winter" asked in May is the one just gone
        return Period(start, add_months(start, 3) - dt.timedelta(days=1)), j + 1

    # --- small readers -----------------------------------------------------------------

    def count(self, i: int) -> tuple[int | None, int]:
        """A count of units at ``i``: digits, a number word, or 0 for "a few" / "several" / "a couple of"."""
        word = self.word(i)
        if word in ("a", "the") and self.word(i + 1) in _FEW:
            return 0, i + 2 + (self.word(i + 2) == "of")
        if word in _FEW:
            return 0, i + 1
        if word.isdigit() and len(word) <= 3:
            return int(word), i + 1
        return _NUMBERS.get(word), i + 1

    def vague_span(self, unit: str, furthest: int, nearest: int) -> Period:
        size = dt.timedelta(days=_UNITS[unit])
        return Period(self.as_of - furthest * size, self.as_of - nearest * size, vague=True)

    def day_number(self, i: int) -> int | None:
        match = re.fullmatch(r"(\d{1,2})(?:st|nd|rd|th)?", self.word(i))
        return int(match.group(1)) if match and 1 <= int(match.group(1)) <= 31 else None

    def year_number(self, i: int) -> int | None:
        """A four-digit year at ``i`` that is not money, a route, a product or a share of something."""
        word = self.word(i)
        if not (len(word) == 4 and word.isdigit() and FIRST_YEAR <= int(word) <= LAST_YEAR):
            return None
        if self.word(i - 1) in _NOT_YEAR_BEFORE or self.word(i + 1) in ("%", "-", ":"):
            return None
        if self.word(i + 1) in (".", ",") and self.word(i + 2).isdigit():
            return None  # 2024.5, 2,024 written as 2024,5
        return int(word)

    def skip_dot(self, i: int) -> int:
        return i + 1 if self.word(i) == "." else i
