"""A rule-based recogniser of what answers are made of: names, places, dates, numbers, amounts.

Word lists and one pass over the tokens, no model: about 30 µs per sentence, where a
statistical pipeline (spaCy's small English one) took about 9 ms per sentence here and would
have blown the 5 ms budget of a whole answer (docs/benchmarks.md). Kinds are coarse on
purpose: the selector only asks "does this sentence hold a candidate of the asked kind that
the question does not already name?".
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import Literal, NamedTuple

from rag.lexicon import (
    CAUSE_MARKERS,
    CURRENCIES,
    DEMONYMS,
    EVENT_WORDS,
    MONTHS,
    NUMBER_WORDS,
    ORG_WORDS,
    PERSON_NOUNS,
    PLACE_NOUNS,
    PLACE_WORDS,
    PLACES,
    RELATIVE_DATES,
    ROLES,
    SCALES,
    SENTENCE_STARTERS,
    TIME_UNITS,
    TITLES,
    WEEKDAYS,
)

Kind = Literal[
    "person",
    "org",
    "place",
    "name",
    "date",
    "number",
    "money",
    "percent",
    "role",
    "cause",
    "group",
    "statement",
]


@dataclass(frozen=True)
class Mention:
    """One recognised span of a text: ``text[start:end]`` is a candidate answer of ``kind``."""

    kind: Kind
    start: int
    end: int
    text: str


class _Token(NamedTuple):
    start: int
    end: int
    text: str
    lower: str


_TOKEN = re.compile(r"[$€£¥₹]|\d+(?:[.,:]\d+)*(?:st|nd|rd|th|s|am|pm)?|[A-Za-zÀ-ÿ]+(?:[-'’][A-Za-zÀ-ÿ]+)*|%")
_DIGITS = re.compile(r"\d+(?:[.,]\d+)*")
_TIME = re.compile(r"\d{1,2}(?::\d{2})?(?:am|pm)|\d{1,2}:\d{2}")
_HOUR = re.compile(r"(?:1[0-2]|0?[1-9])(?::[0-5]\d)?")
_YEAR = re.compile(r"(?:1[0-9]|20)\d{2}s?")
_CAPS = re.compile(
    r"(?:[A-Z][\w’'.-]*[\w]|[A-Z])(?:\s+(?:(?:of|the|de|del|da|van|von|der|bin|al|le|la|du)\s+)*"
    r"(?:[A-Z][\w’'.-]*[\w]|[A-Z]))*"
)
_ACRONYM = re.compile(r"^[A-Z][A-Z0-9&]{1,6}s?$")
_SAID_AFTER = re.compile(r"^,?\s+(?:said|says|told|added|wrote|announced|argued|insisted|noted)\b")
# What someone said: a quotation, or a verb of saying with what follows it in the clause. Saying is
# also ruling out, denying, urging, announcing ("Zelenskiy has ruled out talks with Putin"); verbs
# whose "-s" form is as often a noun ("claims", "calls", "promises") are read in the past only.
_STATEMENT = re.compile(
    r"[\"“][^\"”]{12,}[\"”]"
    r"|\b(?:said|says|told|tells|dismisse[ds]|rejected|rejects|denied|denies|warned|warns|called|accused|accuses|"
    r"insisted|insists|argued|argues|responded|criticised|criticized|condemned|condemns|welcomed|welcomes|"
    r"described|declined to comment|refused|refuses|rule[ds] out|urged|urges|announced|announces|vowed|"
    r"pledged|promised|demanded|stressed|claimed|admitted|acknowledged|confirmed|blamed|threatened|"
    r"predicted)\b[^.;!?]*",
    re.IGNORECASE,
)
_CLAUSE_END = re.compile(r"[.;:!?]|,\s+(?:said|says|according)\b")
_LONGEST = 3  # longest phrase in the word lists, in tokens
_PHRASE_LISTS = (CAUSE_MARKERS, ROLES, PERSON_NOUNS, PLACE_NOUNS)
_QUANTITY_STARTS = (
    MONTHS
    | WEEKDAYS
    | NUMBER_WORDS
    | {p.split()[0] for p in RELATIVE_DATES}
    | {"yesterday", "today", "tonight", "tomorrow", "overnight", "noon", "q1", "q2", "q3", "q4", "a", "an"}
)
_FIRST_WORDS = frozenset(p.split()[0] for words in _PHRASE_LISTS for p in words)


@lru_cache(maxsize=8192)
def find_mentions(text: str) -> tuple[Mention, ...]:
    """Every candidate answer the rules recognise in ``text``, in order of position."""
    lowered = text.lower()
    tokens = [
        _Token(m.start(), m.end(), m.group(), lowered[m.start() : m.end()]) for m in _TOKEN.finditer(text)
    ]
    found: list[Mention] = []
    taken: set[int] = set()
    _quantities(text, tokens, found, taken)
    for m in _CAPS.finditer(text):
        _name(text, m.start(), m.end(), found, taken)
    _phrases(text, tokens, found, taken)
    for m in _STATEMENT.finditer(text):
        _add(text, found, taken, "statement", m.start(), m.end(), overlap=True)
    return tuple(sorted(found, key=lambda m: (m.start, m.end)))


def _quantities(text: str, tokens: list[_Token], found: list[Mention], taken: set[int]) -> None:
    """Dates, money, percentages and counts: runs of number tokens read with their neighbours."""
    i = 0
    while i < len(tokens):
        if not (tokens[i].lower[0].isdigit() or tokens[i].lower in _QUANTITY_STARTS):
            i += 1
            continue
        j = _date_end(tokens, i)
        if j > i:
            _add(text, found, taken, "date", tokens[i].start, tokens[j - 1].end)
            i = j
            continue
        j = i
        while j < len(tokens) and _is_number(tokens[j]):
            j += 1
        if j == i:
            i += 1
            continue
        while j < len(tokens) and tokens[j].lower in SCALES:
            j += 1
        _add(text, found, taken, *_quantity_kind(tokens, i, j))
        i = j


def _date_end(tokens: list[_Token], i: int) -> int:
    """End (exclusive) of a date starting at token ``i``, or ``i`` when none starts there."""
    t = tokens[i]
    nxt = tokens[i + 1].lower if i + 1 < len(tokens) else ""
    if t.lower in MONTHS and (t.text[0].isupper()) and (t.lower != "may" or nxt[:1].isdigit()):
        j = i + 1
        while j < len(tokens) and (tokens[j].lower[:1].isdigit() or tokens[j].lower == "of") and j < i + 3:
            j += 1
        return j
    if t.lower in WEEKDAYS or t.lower in ("yesterday", "today", "tonight", "tomorrow", "overnight", "noon"):
        return i + 1
    if _TIME.fullmatch(t.lower) or _HOUR.fullmatch(t.lower):  # "6 pm", "from 6 a.m. to 2 p.m."
        if nxt in ("a", "p") and i + 2 < len(tokens) and tokens[i + 2].lower == "m":
            return i + 3
        if nxt in ("am", "pm") or _TIME.fullmatch(t.lower):
            return i + 1 + (nxt in ("am", "pm"))
    if t.lower[:1].isdigit() and nxt in MONTHS:
        return i + 2 + int(i + 2 < len(tokens) and bool(_YEAR.fullmatch(tokens[i + 2].text)))
    for n in (3, 2):
        if i + n <= len(tokens) and " ".join(x.lower for x in tokens[i : i + n]) in RELATIVE_DATES:
            return i + n
    if _YEAR.fullmatch(t.text) and not _money_before(tokens, i) and nxt not in SCALES and nxt != "%":
        return i + 1
    if t.lower in ("q1", "q2", "q3", "q4") or (t.lower[:1].isdigit() and nxt == "century"):
        return i + 1 + (nxt == "century")
    if (t.lower[:1].isdigit() or t.lower in NUMBER_WORDS or t.lower in ("a", "an")) and nxt in TIME_UNITS:
        after = tokens[i + 2].lower if i + 2 < len(tokens) else ""
        return i + 3 if after in ("ago", "earlier", "later") else i
    return i


def _is_number(t: _Token) -> bool:
    return bool(_DIGITS.fullmatch(t.text)) or t.lower in NUMBER_WORDS


def _money_before(tokens: list[_Token], i: int) -> bool:
    return i > 0 and tokens[i - 1].text in "$€£¥₹" and tokens[i - 1].end == tokens[i].start


def _quantity_kind(tokens: list[_Token], i: int, j: int) -> tuple[Kind, int, int]:
    start, end = tokens[i].start, tokens[j - 1].end
    if _money_before(tokens, i):
        return (
            "money",
            tokens[i - 1].start - (2 if i > 1 and tokens[i - 2].text in ("US", "S", "HK") else 0),
            end,
        )
    nxt = tokens[j].lower if j < len(tokens) else ""
    if nxt in CURRENCIES:
        return "money", start, tokens[j].end
    if nxt == "%":
        return "percent", start, tokens[j].end
    if nxt in ("percent", "percentage") or (
        nxt == "per" and j + 1 < len(tokens) and tokens[j + 1].lower == "cent"
    ):
        return "percent", start, tokens[j + (nxt == "per")].end
    return "number", start, end


def _name(text: str, start: int, end: int, found: list[Mention], taken: set[int]) -> None:
    """A capitalised run: drop a sentence-opening common word and titles, then classify it."""
    cut = next((i for i in range(start, end) if i in taken), end)  # a date inside ("May 5")
    end = start + len(text[start:cut].rstrip(" ,").removesuffix(" of").removesuffix(" the").rstrip())
    words = text[start:end].split()
    titled = _preceded_by_title(text, start)
    office = titled and _office(text[max(0, start - 30) : start].split()[-1])
    while words and (words[0].lower() in SENTENCE_STARTERS or _is_title(words[0])):
        titled = titled or _is_title(words[0])
        office = office or (_is_title(words[0]) and _office(words[0]))
        start = text.index(words[1], start + len(words[0])) if len(words) > 1 else end
        words = words[1:]
    if not words:
        return
    span = text[start:end]
    if span.endswith(("'s", "’s")):
        span, end = span[:-2], end - 2
    kind = "person" if office and len(span.split()) >= 2 else _classify(span, titled, text[end:])
    _add(text, found, taken, kind, start, end)


# Titles that also begin place names ("St Petersburg", "Prince Edward Island", "Queen Elizabeth Park").
_PLACE_TITLES = frozenset(
    {"st", "saint", "prince", "princess", "king", "queen", "crown", "lord", "lady", "pope"}
)


def _office(word: str) -> bool:
    """True for a title held by a person only: "Governor Helen Park" is a person, not a park."""
    w = _base(word.lower().rstrip(".,"))
    return (w in TITLES or w in ROLES) and w not in _PLACE_TITLES


def _is_title(word: str) -> bool:
    w = _base(word.lower().rstrip("."))
    return w in TITLES or w in ROLES or w in DEMONYMS


def _preceded_by_title(text: str, start: int) -> bool:
    before = text[max(0, start - 30) : start].lower().split()
    return bool(before) and before[-1].rstrip(".") in TITLES


# Last words of company and party names ("Veltrana Foods", "Granite Peak Mining", "the Social
# Democrats"): without them a two-word name reads as a person's.
_ORG_ENDINGS = frozenset(
    "foods chemicals securities mining construction energy industries insurance logistics media steel"
    " telecom software ventures brewery engineering solutions studios entertainment properties resources"
    " petroleum shipping railways pharmaceuticals pharma semiconductors robotics aerospace automotive"
    " financial investments builders developers farms textiles electronics democrats republicans"
    " socialists conservatives liberals greens".split()
)


# First words of place names ("County Clare", "Port Elwyn", "Lake Geneva"), not of people's.
_PLACE_FIRST = frozenset("county port lake mount mt cape fort isle river gulf bay glen loch".split())


_PLACE_AFTER = re.compile(rf"\s+(?:{'|'.join(sorted(PLACE_WORDS))})\b")


def _classify(span: str, titled: bool, after: str) -> Kind:
    words = span.split()
    last = words[-1].lower()
    if span.lower() in PLACES or last in PLACE_WORDS or (len(words) > 1 and words[0].lower() in _PLACE_FIRST):
        return "place"
    if (
        any(w.lower() in ORG_WORDS for w in words)
        or _ACRONYM.match(span)
        or (len(words) > 1 and last in _ORG_ENDINGS)
    ):
        return "org"
    if _PLACE_AFTER.match(after):  # "the Harbourside bridge", "the Lisle river": a place's name
        return "place"
    if any(w.lower() in EVENT_WORDS for w in words):
        return "name"
    if titled or _SAID_AFTER.match(after) or 2 <= len(words) <= 4:
        return "person"
    return "name"


def _phrases(text: str, tokens: list[_Token], found: list[Mention], taken: set[int]) -> None:
    """Roles, groups of people, common-noun places and causes, found by word-list lookups."""
    i = 0
    while i < len(tokens):
        low = tokens[i].lower
        if low not in _FIRST_WORDS and not low.endswith("-at-large"):
            i += 1
            continue
        for n in range(min(_LONGEST, len(tokens) - i), 0, -1):
            phrase = _base(" ".join(t.lower for t in tokens[i : i + n]))
            kind = _phrase_kind(phrase, tokens, i)
            if kind == "cause":
                stop = _CLAUSE_END.search(text, tokens[i + n - 1].end)
                _add(
                    text,
                    found,
                    taken,
                    "cause",
                    tokens[i].start,
                    stop.start() if stop else len(text),
                    overlap=True,
                )
                break
            if kind:
                _add(text, found, taken, kind, tokens[i].start, tokens[i + n - 1].end, overlap=kind == "role")
                i += n - 1
                break
        i += 1


def _base(phrase: str) -> str:
    """A role without its "-at-large" ("ambassador-at-large" is an ambassador)."""
    return phrase.removesuffix("-at-large")


def _phrase_kind(phrase: str, tokens: list[_Token], i: int) -> Kind | None:
    if phrase in CAUSE_MARKERS:
        return "cause"
    if phrase in ROLES:
        return "role"
    if phrase in PERSON_NOUNS:
        return "group"
    if phrase in PLACE_NOUNS and i > 0 and tokens[i - 1].lower in ("the", "a", "an", "local", "nearby"):
        return "place"
    return None


def _add(
    text: str, found: list[Mention], taken: set[int], kind: Kind, start: int, end: int, overlap: bool = False
) -> None:
    while end > start and text[end - 1] in " ,.":
        end -= 1
    if end <= start or (not overlap and (start in taken or end - 1 in taken)):
        return
    if not overlap:
        taken.update(range(start, end))
    found.append(Mention(kind, start, end, text[start:end]))


# Endings of common nouns, adjectives and verb forms ("Engineers", "Pharmacists", "Fishing", "Routine"
# is none): a lone word with one, capitalised only for opening its sentence, is rarely a name.
_COMMON_ENDINGS = (
    "ers", "ors", "ists", "ians", "eers", "ing", "ings", "tion", "tions", "sion", "sions", "ment", "ments",
    "ness", "ity", "ities", "ies", "ance", "ence", "ship", "ism", "ous", "ive", "ives", "able", "ful", "less",
)  # fmt: skip
# Endings of nouns for people by what they do: "Anglers found dead fish" names no one, yet says who.
_AGENT_ENDINGS = ("ers", "ors", "ists", "ians", "eers")
_OPENING = " \"“‘'([-"


def in_context(text: str, found: Sequence[Mention], context: str) -> list[Mention]:
    """``found`` (the mentions of ``text``, one sentence) as the article around it (``context``) reads
    them: a lone word capitalised only for opening the sentence is a name when the article capitalises
    it elsewhere ("Brennock, which employs ...") or it is no common word; else "Engineers" and
    "Pharmacists" are a group of people and "Fishing on the affected stretch ..." names nothing."""
    kept = []
    for m in found:
        if (
            m.kind not in ("person", "org", "name")
            or " " in m.text
            or text[: m.start].strip(_OPENING)
            or not _common(m.text, context)
            or _capitalised_elsewhere(m.text, context)
        ):
            kept.append(m)
        elif m.text.lower().endswith(_AGENT_ENDINGS) or m.text.lower() in PERSON_NOUNS:
            kept.append(Mention("group", m.start, m.end, m.text))
    return kept


def _common(word: str, context: str) -> bool:
    """True for a word that looks common: a common ending, a word of the lexicon, or one the article
    also writes in lower case ("Turnout was 31 percent" under "... as turnout falls")."""
    low = word.lower()
    if low in PLACES or low in ORG_WORDS or low in MONTHS or low in WEEKDAYS:
        return False
    return (
        low.endswith(_COMMON_ENDINGS)
        or low in PERSON_NOUNS
        or low in PLACE_NOUNS
        or low in SENTENCE_STARTERS
        or re.search(rf"(?<![\w'’-]){re.escape(low)}(?![\w'’-])", context) is not None
    )


def _capitalised_elsewhere(word: str, context: str) -> bool:
    """True when ``context`` writes ``word`` capitalised inside a sentence, not only opening one."""
    for found in re.finditer(rf"(?<![\w'’-]){re.escape(word)}(?![\w'’-])", context):
        before = context[: found.start()].rstrip(_OPENING)
        if before and before[-1] not in ".!?:\n":  # a title and each passage are lines of their own
            return True
    return False
