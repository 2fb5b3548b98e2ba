"""What a number in a sentence counts: "3,400 dock workers" says how many dockers, "420 flights" not how many pilots.

A "how many" answer must count the thing asked; the words that count the same things (workers and
staff, shops and stores), and the numbers that count nothing (ages, scores, "48-hour", "6 a.m."),
are read here, apart from the rest of the quote checks in ``quotes``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.features import QuestionTerms, kind_mentions
from rag.mentions import Mention
from rag.terms import STOP_WORDS, stem, stem_groups, words

_UNIT_REACH = 4
_SCORE = re.compile(r"\d+\s*[-–]\s*\d+")


# Words that count the same things: "3,400 dock workers" says how many dockers; "640 stores", how many shops.
# People are counted by what they are: "hundreds of children" are no troops, but "people" counts anyone.
_UNIT_GROUPS = stem_groups(
    "workers employees staff pilots dockers miners nurses doctors teachers drivers crew officers jobs",
    "fans spectators visitors",
    "passengers travellers",
    "residents inhabitants population citizens civilians households homes",
    "customers users subscribers shoppers clients households homes",
    "children kids youngsters pupils students",
    "soldiers troops",
    "protesters demonstrators",
    "patients",
    "voters",
    "shops stores outlets branches supermarkets restaurants locations sites",
    "plants factories facilities sites",
    "vehicles cars trucks vans suvs buses",
)
# Words that count people of any kind: "84 people" may be how many nurses, "200 nurses" how many people.
_ANYONE = frozenset(stem(w) for w in "people persons adults men women members victims survivors".split())
# Words that count people, of any kind or of one (the first ten groups): "the children", "84 people".
PEOPLE = _ANYONE | frozenset().union(*_UNIT_GROUPS[:10])


# "that one", "the one", "each one": "one" standing for a thing already named, not counting any.
_ONE_PRONOUN = re.compile(r"\b(?:that|this|the|which|each|every|any|no|only|another|last|first)\s+$", re.I)
_MEASURE = re.compile(
    r"\s*(?:[ap]\.?m\b|o'clock|percent|per\s*cent|%|(?:kilo|centi|milli)?met(?:re|er)s?\b|km\b|miles?\b|"
    r"hours?\b|minutes?\b|seconds?\b|days?\b|weeks?\b|months?\b|years?\b|degrees?\b|kg\b|tonnes?\b|tons?\b)",
    re.I,
)


# "one of the strongest storms", "four of his five starts": a share of other things, not a count
# (what "3,000 of the workers" counts is found first, as the unit after it)
_PARTITIVE = re.compile(r"\s+of\s+(?:(?:the|its|their|his|her|our|these|those)\s)?", re.I)


# Words after which a number is an age: "aged two to twelve", "ages 5 to 11", "aged between 18 and 25".
_AGED = re.compile(
    r"\b(?:aged?|ages)\s+(?:(?:of|between|from|up\s+to|under|over)\s+)?(?:\w+\s+(?:to|and)\s+)?$", re.I
)


def _unit_of(rest: str, unit: str) -> bool:
    """True for "of the workers" when workers are counted: the partitive names the unit."""
    found = _PARTITIVE.match(rest)
    if not found:
        return False
    return any(_same_unit(stem(w), unit) for w in words(rest[found.end() :])[:_UNIT_REACH])


def names_unit(word: str, unit: str) -> bool:
    """True when ``word`` (a stem) names what ``unit`` counts: the same word or one of its group
    ("dockers" for workers, "stores" for shops), not "people" standing for any kind of them."""
    return word == unit or any(word in g and unit in g for g in _UNIT_GROUPS)


def _same_unit(word: str, unit: str) -> bool:
    """True when ``word`` (a stem) counts what ``unit`` does: the same word, one of its group, or people
    of any kind counted as people."""
    if names_unit(word, unit):
        return True
    return (word in _ANYONE and unit in PEOPLE) or (unit in _ANYONE and word in PEOPLE)


def counts_asked(sentence: str, terms: QuestionTerms) -> bool:
    """True when the sentence has a number of what "how many" counts, the unit said with it
    ("around 40,000 fish were lost"), not only a number that may count it."""
    unit = stem(terms.kind.unit) if terms.kind.unit else ""
    return bool(unit) and counts_unit(sentence, kind_mentions(sentence, terms), unit, said=True)


def counts_unit(sentence: str, found: Sequence[Mention], unit: str, said: bool = False) -> bool:
    """True unless every number of the sentence counts another thing than ``unit``: "420 flights",
    "12,500 electric vans" and "a 48-hour strike" do not say how many pilots struck; "84,000 watched"
    may say how many people did (unless the unit must be ``said``)."""
    for m in found:
        if m.kind != "number" or _SCORE.fullmatch(m.text):
            continue  # a 31-17 score or a 4-1 record counts nothing
        rest = sentence[m.end :]
        if rest[:1] == "-" and (rest[1:2].isalpha() or rest[1:2].isdigit()):
            continue  # "48-hour"
        if _AGED.search(sentence[: m.start]):
            continue  # "children aged two to twelve": an age counts no one
        if m.text.lower() == "one" and _ONE_PRONOUN.search(sentence[: m.start]):
            continue  # "three trawlers were turned back and that one, the Aurelia, was held": no count
        after: list[str] = []
        for w in words(rest)[:_UNIT_REACH]:
            if w.lower() in STOP_WORDS:
                break
            after.append(w.lower())
        if _MEASURE.match(rest) and not _same_unit(stem(words(rest)[0]), unit):
            continue  # "6 a.m.", "130 kilometres an hour", "20 minutes" count no people
        if any(_same_unit(stem(w), unit) for w in after) or _unit_of(rest, unit):
            return True
        if _PARTITIVE.match(rest) or said:
            continue
        if not any(w.endswith("s") and not w.endswith("ss") for w in after):
            return True
    return False
