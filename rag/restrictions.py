"""What a question pins its answer down to, which the quoted sentence must say itself.

A sentence on the question's topic, holding an answer of the asked kind, still does not answer
when it misses what the question narrows that answer to: the event asked about ("When was Veltrana
founded?" is not answered by the year its sales fell, "Was Elena Voss fined?" by her suspended
sentence), a part asked about alone (a total for all the repairs is not the cost of the cable
repairs alone, nor 650,000 euros "towards restocking the river and cleaning its banks" that of the
restocking), a rate ("each hour" of a count a day, "each year" of trees planted "by 2030"), the
first time of a sentence saying the last one, a superlative ("Veltrana's biggest market" of
where its factories are), or a measure ("how high" is no concentration in milligrams per cubic metre,
"how quickly" no distance without its time). A handful of regular expressions over one sentence: microseconds.
"""

from __future__ import annotations

import re
from functools import lru_cache

from rag.terms import STOP_WORDS, content_stems, stem, words

# Events a question asks about by their verb, each with the words a sentence says it with: the event
# is the sentence's own (the sentence before saying "No fine brings back the fish" fines no one).
_EVENTS: tuple[tuple[re.Pattern[str], re.Pattern[str]], ...] = tuple(
    (re.compile(rf"\b(?:{asked})\b", re.I), re.compile(rf"\b(?:{said})", re.I))
    for asked, said in (
        (
            r"(?:co-?)?founded|founding",
            r"(?:co-?)?found(?:ed|er|ers|ing)\b|establish|set\s+up|creat|formed\b|launch|incorporat|start"
            r"|began\b|begun\b",
        ),
        (r"born", r"born\b|birth|native\b"),
        (r"marry|married|marries|marriage|wed", r"marri|marry|wed(?:s|ded|ding)?\b|wife\b|husband|spouse"),
        (r"(?:re-?)?elected", r"(?:re-?)?elect|vot(?:e|ed|es|ing)\b|won\b|wins?\b"),
        (
            r"resign|resigned|resigns|resignation|quit|quits|step(?:ped|s)?\s+down",
            r"resign|quit|st(?:ep|eps|epped|epping|and|ands|ood)\s+down|leav|left\b|depart",
        ),
        (r"fined", r"fine[sd]?\b|fining\b|penalt|penalis|penaliz"),
        # an arrest warrant is no arrest, nor is "a warrant to arrest Putin" asking about one
        (
            r"(?<!warrant\sto\s)arrest(?:ed|s|ing)?\b(?!\s+warrants?)",
            r"arrest(?!\s+warrants?)|detain|detention|custody|held\b|apprehend",
        ),
        (r"sentenced|jailed|imprisoned|convicted", r"sentenc|jail|prison|convict"),
        (r"sue|sued|suing", r"sue[sd]?\b|suing\b|lawsuit|legal\s+action"),
        (
            # "who took over from Marsh?" asks who succeeded her
            r"(?:acquire|acquired|acquires|takeover|take\s+over|taking\s+over|took\s+over)(?!\s+(?:from|as)\b)",
            r"acqui|take\s*over|taking\s+over|took\s+over|merg|purchas|bought\b|buy|bid\b",
        ),
    )
)


def says_event(question: str, sentence: str) -> bool:
    """True unless the question asks about an event (founded, born, married, elected, resigned, fined,
    arrested, sentenced, sued, taken over) that the sentence does not say, in its words or others'."""
    return all(said.search(sentence) for said in _events(question))


@lru_cache(maxsize=1024)
def _events(question: str) -> tuple[re.Pattern[str], ...]:
    return tuple(said for asked, said in _EVENTS if asked.search(question))


# "the cable repairs alone", "the fine by itself": the part asked about, a few words before it.
_ALONE = re.compile(r"((?:[\w'’-]+\s+){1,4})(?:alone|by\s+itself|on\s+its\s+own)\b", re.I)
# A part said with another ("restocking the river and cleaning its banks") or a sum ("in total").
_ASKING = frozenset(
    "how much many what which who will would did does do is are was were has have had can could".split()
)
_JOINED = re.compile(r"^[\w'’-]*\s*,?\s*(?:and|plus|or|as\s+well\s+as|along\s+with|together\s+with)\b", re.I)
_SUM = re.compile(r"\b(?:total|totalling|in\s+all|combined|altogether|overall|together|including)\b", re.I)


def says_part_alone(question: str, sentence: str) -> bool:
    """True unless the question asks about a part alone ("How much will the cable repairs alone cost?")
    and the sentence does not name it (cables: "The repairs will cost ...") or says it with another."""
    part = _part(question)
    if not part:
        return True
    if not set(part) <= set(content_stems(sentence)) or _SUM.search(sentence):
        return False
    heads = [t for t in re.finditer(r"[\w'’-]+", sentence) if stem(t.group()) == part[0]]
    return not any(_JOINED.match(sentence[t.end() :]) for t in heads)


@lru_cache(maxsize=1024)
def _part(question: str) -> tuple[str, ...]:
    """The stems of the part asked about alone, its last word first (none when no part is)."""
    found = _ALONE.search(question) if re.search(r"\b(?:alone|itself|own)\b", question, re.I) else None
    before = words(found.group(1)) if found else []
    # the words after the question's own ("how much will | restocking the river | alone")
    start = max((i + 1 for i, w in enumerate(before) if w.lower() in _ASKING), default=0)
    return tuple(reversed([stem(w) for w in before[start:] if w.lower() not in STOP_WORDS]))


_UNITS = {
    "hour": r"hourly|per\s+hour|an\s+hour",
    "day": r"daily|a\s+day|per\s+day|every\s+day|each\s+day",
    "night": r"nightly|a\s+night|per\s+night",
    "week": r"weekly|a\s+week",
    "month": r"monthly|a\s+month",
    "year": r"yearly|annual|annually|a\s+year|per\s+annum",
    "quarter": r"quarterly|a\s+quarter",
}
_ADVERBS = {"hourly": "hour", "daily": "day", "nightly": "night", "weekly": "week", "monthly": "month",
            "yearly": "year", "annually": "year", "quarterly": "quarter"}  # fmt: skip
# "each hour", "every year", "per day", "daily": a rate; "each batch", "per bottle": an amount of one.
_RATE = re.compile(
    r"\b(?:each|every|per)\s+(?!(?:of|one|other|time|single)\b)(?P<unit>[a-z]+)\b"
    r"|\b(?P<adverb>hourly|daily|nightly|weekly|monthly|yearly|annually|quarterly)\b",
    re.I,
)


def says_rate(question: str, sentence: str) -> bool:
    """True unless the question asks an amount for each of something ("How many vehicles cross the
    bridge each hour?", "How many bottles does each batch hold?") and the sentence says none for that
    ("22,000 vehicles cross the bridge every day", "90,000 bottles ... in some batches")."""
    rate = _rate(question)
    return rate is None or bool(rate.search(sentence))


@lru_cache(maxsize=1024)
def _rate(question: str) -> re.Pattern[str] | None:
    """What says the rate the question asks for ("each hour": "an hour", "hourly", "per hour"), if any."""
    found = _RATE.search(question)
    if not found:
        return None
    unit = _ADVERBS[found.group("adverb").lower()] if found.group("adverb") else stem(found.group("unit"))
    said = _UNITS.get(unit, "")
    one = rf"\b(?:each|every|per|a|an|one)\s+(?:[\w-]+\s+)?{re.escape(unit)}\w*\b|\bapiece\b"
    return re.compile(f"{one}|\\b(?:{said})\\b" if said else one, re.I)


# "first" / "last" asked of what happened ("first repaired", "for the first time"), not of a time
# ("last year", "the first quarter"); said by a sentence before a verb or after "the" ("was last
# repaired in 2009", "at the last election"), not as a verb ("will last six months").
_TIME_AFTER = (
    r"(?!\s+(?:year|week|month|night|season|quarter|half|time\s+since|day|days|weekend|spring|summer|autumn"
    r"|winter)\b)"
)
_ASKED_TIME = {w: re.compile(rf"\b{w}\b{_TIME_AFTER}", re.I) for w in ("first", "last")}
_SAID_TIME = {
    w: re.compile(
        rf"\bthe\s+{w}\b{_TIME_AFTER}|\b{w}\s+(?:time\b(?!\s+since)|\w+(?:ed|en)\b|won\b|held\b|met\b|seen\b"
        r"|built\b|made\b|ran\b|began\b|took\b|went\b|came\b|sold\b|hit\b|struck\b)",
        re.I,
    )
    for w in ("first", "last")
}


def says_which_time(question: str, sentence: str) -> bool:
    """True unless the question asks for the first (or the last) time and the sentence says only the
    other: "When was the bridge first repaired?" is not answered by "was last repaired in 2009"."""
    for asked, other in (("first", "last"), ("last", "first")):
        if (
            _ASKED_TIME[asked].search(question)
            and _SAID_TIME[other].search(sentence)
            and not _SAID_TIME[asked].search(sentence)
        ):
            return False
    return True


# Superlatives a question asks with, each with the words that say it (a sentence saying none of them
# says nothing of the biggest, the oldest or the highest).
_SUPERLATIVES = {
    word: group
    for group in (
        ("biggest", "largest", "main", "top", "leading", "major", "most", "best-selling", "greatest"),
        ("smallest", "least", "fewest", "lowest", "minor"),
        ("highest", "top", "record", "peak", "most", "maximum"),
        ("lowest", "least", "record", "bottom", "minimum"),
        ("oldest", "first", "earliest"),
        ("newest", "youngest", "most recent"),
        ("longest",),
        ("shortest",),
        ("fastest", "quickest"),
        ("slowest",),
        ("richest", "wealthiest"),
        ("poorest",),
        ("deadliest", "worst", "most deadly"),
        ("busiest",),
        ("strongest", "most powerful"),
        ("weakest",),
        ("worst",),
        ("best", "top", "finest", "leading"),
    )
    for word in group[:1]
}


def says_superlative(question: str, sentence: str) -> bool:
    """True unless the question asks for the biggest, oldest, highest ... of something and the sentence
    says no such word: "Which country is Veltrana's biggest market?" of its factories in Britain and Poland."""
    return all(said.search(sentence) for said in _superlatives(question))


@lru_cache(maxsize=1024)
def _superlatives(question: str) -> tuple[re.Pattern[str], ...]:
    asked = dict.fromkeys(w.lower() for w in words(question) if w.lower() in _SUPERLATIVES)
    return tuple(re.compile(rf"\b(?:{'|'.join(map(re.escape, _SUPERLATIVES[a]))})\b", re.I) for a in asked)


# A number said with a unit of length, and one said with a length or an amount for each hour, minute
# or second (the speeds news gives: "40 metres an hour", "130 km/h", "30 knots").
_NUMBER = (
    r"\b(?:\d[\d,.]*|one|two|three|four|five|six|seven|eight|nine|ten|a\s+few|several|hundreds\s+of)"
    r"(?:\s+(?:thousand|million|billion))?"  # "42 million kilometres"
)
_LENGTH = (
    r"(?:\s*-?\s*)(?:km|kilomet(?:re|er)s?|met(?:re|er)s?|m|cm|centimet(?:re|er)s?|mm|miles?|feet|foot|ft|"
    r"inch(?:es)?|yards?)\b"
)
_SAID_LENGTH = re.compile(rf"{_NUMBER}{_LENGTH}", re.I)
_SAID_SPEED = re.compile(
    rf"{_NUMBER}(?:\s+[\w-]+){{0,2}}?\s+(?:an?|per|each|every)\s+(?:hour|minute|second|day)\b"
    rf"|{_NUMBER}\s*(?:km/h|kph|mph|knots)\b",
    re.I,
)
# "How high did the ash go?" asks a length; "How far did the stock fall?" and "how high did prices
# rise?" a share, which a percentage says.
_ASKED_LENGTH = re.compile(r"\bhow\s+(?:high|tall|deep|far\b.*\b(?:from|away|off)\b)", re.I)
# "How quickly was the lava moving?" asks a speed; "how quickly will the repairs be done?" a time.
_ASKED_SPEED = re.compile(
    r"\bhow\s+fast\b|\bhow\s+(?:quickly|rapidly)\s+(?:[\w'’-]+\s+){1,4}?(?:mov(?:e|es|ed|ing)|advanc\w*"
    r"|travel\w*|flow(?:s|ed|ing)?|driv(?:e|es|ing)|fl(?:y|ies|ying|ew)|sail\w*|r(?:un|uns|an|unning))\b",
    re.I,
)
_PERCENT = re.compile(r"\d\s*(?:%|percent\b|per\s+cent\b)|\bpercentage\s+points?\b", re.I)


def says_measure(question: str, sentence: str) -> bool:
    """True unless the question asks a length ("How high did the ash go?", "How far is the bank from
    the coast?") or a speed ("How quickly was the lava moving?") and the sentence says none: "2
    milligrams per cubic metre" is no height, "900 metres from the first houses" no speed; a length is
    of the thing asked when a word of the question comes just before it."""
    if _ASKED_SPEED.search(question):
        # "How fast will the economy grow?" is answered by a rate of growth, a percentage.
        return bool(_SAID_SPEED.search(sentence) or _PERCENT.search(sentence))
    if _ASKED_LENGTH.search(question):
        if _PERCENT.search(sentence):
            return True
        measured = _measured(question)
        return any(
            not measured
            or measured & set(content_stems(" ".join(words(sentence[: m.start()])[-_MEASURED_REACH:])))
            for m in _SAID_LENGTH.finditer(sentence)
        )
    return True


# Words before a length that name what it measures ("fountains of lava up to 80 metres" measures the
# fountains, not the volcano asked about; "an ash plume rose about 6 km" the ash).
_MEASURED_REACH = 6
_MEASURE_WORDS = frozenset(
    stem(w) for w in "how high tall deep far wide from away off go went get got".split()
)


@lru_cache(maxsize=1024)
def _measured(question: str) -> frozenset[str]:
    """The stems of what a "how high / tall / deep / far" question asks the length of."""
    return frozenset(t for t in content_stems(question) if t not in _MEASURE_WORDS)


# "What did the prime minister say?" asks for words someone said: a sentence that gives none ("Prime
# Minister Elin Hauge visited the evacuation centre") does not answer, whatever its speaker.
_ASKS_WORDS = re.compile(r"\b(?:say|says|said|tell|tells|told)\b", re.I)
_GIVES_WORDS = re.compile(
    r"[\"“”]|\baccording\s+to\b|\b(?:sa(?:y|ys|id|ying)|t(?:ell|ells|old|elling)|add(?:s|ed)|warn|announc|insist"
    r"|expla|call(?:s|ed|ing)?\b|describ|accus|den(?:y|ies|ied)|admit|apologi|welcom|critici|condemn|urg|argu|claim"
    r"|promis|pledg|vow|stat(?:e|ed|es|ement)\b|declar|wr(?:ote|ites?)\b|ask|reject|dismiss|prais|blam|defend"
    r"|acknowledg|confirm|suggest|predict|agree|respond|repl(?:y|ied|ies)|quot|remark|comment|interview"
    r"|spok(?:e|esman|eswoman|esperson)|speech|believ|hop(?:e|es|ed)\b|fear|expect|think|thought|recall)",
    re.I,
)


def says_words(question: str, sentence: str) -> bool:
    """True unless the question asks what someone said or told ("What did the prime minister say to
    the families?") and the sentence reports no words: no quotation, no verb of saying."""
    return not _ASKS_WORDS.search(question) or bool(_GIVES_WORDS.search(sentence))


# Kinds of answer that are amounts: a part alone and a rate narrow them ("each batch" asks of an
# amount; "what did each candidate promise?" of no rate).
_AMOUNTS = frozenset({"how many", "how much", "how long", "what share"})


def meets_restrictions(question: str, sentence: str, label: str) -> bool:
    """True when the sentence says what the question (asking for an answer of kind ``label``,
    ``rag.answer_kinds``) pins its answer down to: its event (unless what someone said about it is
    asked) or the words someone said (when that is asked), its first or last time, its superlative, its
    measure, and for an amount the part alone and the rate."""
    if label != "what said" and not (says_event(question, sentence) and says_measure(question, sentence)):
        return False
    if label == "what said" and not says_words(question, sentence):
        return False
    if not (says_which_time(question, sentence) and says_superlative(question, sentence)):
        return False
    return label not in _AMOUNTS or (says_part_alone(question, sentence) and says_rate(question, sentence))
