"""Whether a number a sentence gives counts what the question counts, or only the same kind of thing.

A sentence can hold a count of the asked noun about another thing: "Veltrana employs about 6,300
people" says nothing of how many staff lost their jobs; "2,400 homes in Hollins Cross" lost power,
which is no count of who lives there, nor is "Twelve people were taken to hospital". So a count not
said with the counted noun itself (or said as a standing total, "employs about 6,300 people") must
come with what the question says happened to it (its predicate: the words left besides the names,
the counted noun and the measure); a population with a word that says people live in the place
asked; and a time ("how long will the factory be shut?") not as a distance ("within two
kilometres"). A few regular expressions over one sentence and the one before it: microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Set

from rag.answer_kinds import SPAN
from rag.features import QuestionTerms
from rag.mentions import find_mentions
from rag.quote_context import goes_on_from
from rag.quotes import said_in
from rag.terms import STOP_WORDS, stem, words
from rag.units import names_unit

# Words that say how a count is measured, or say little of what happened: no sentence need repeat them.
_MEASURES = frozenset(
    stem(w)
    for w in """
    number total figure amount many much say said tell told hold held do did make made get got take took
    go went happen happened there
    """.split()
)


def predicate(terms: QuestionTerms) -> frozenset[str]:
    """The stems of what a "how many" question says happened to what it counts: its words less the
    names, the counted noun and the measure ("lose", "job" of "how many staff will lose their jobs?";
    "live" of "how many people live in Coley?"); none for other questions. (An amount of money is left
    alone: what it is paid for is worded too freely, "restocking the river" for "replenishing the fish".)"""
    if terms.kind.label != "how many":
        return frozenset()
    unit = stem(terms.kind.unit) if terms.kind.unit else ""
    light = _MEASURES | {unit}
    return frozenset(t for t in terms.stems if t not in terms.specific and t not in light)


def says_predicate(terms: QuestionTerms, sentence: str, before: str, window: Set[str]) -> bool:
    """True unless a "how many" question says what happened to what it counts and the
    sentence says none of it, in its words or others near in meaning (``rag.quotes.said_in``; the
    sentence before counts for one going on from it; ``window``: what the two say): "Veltrana employs
    about 6,300 people" does not say how many staff lost their jobs. A number said with the very thing counted ("40,000 fish were lost" for how
    many fish died), not as a standing total ("which has about 230,000 residents"), is that count
    however it is worded."""
    asked = predicate(terms)
    if not asked:
        return True
    unit = stem(terms.kind.unit) if terms.kind.unit else ""
    if unit and _counted_by_name(sentence, unit):
        return True
    if asked.isdisjoint(window):  # not in the sentence nor the one before: read no further
        return False
    return bool(before and goes_on_from(before, sentence)) or not asked.isdisjoint(said_in(sentence, terms))


# Words that count people of any kind: what they are is said by what befell them.
_ANYONE = frozenset(stem(w) for w in "people persons individuals adults men women".split())


def counts_anyone(terms: QuestionTerms) -> bool:
    """True for "how many people died?", "how many were hurt?": people of any kind (or nothing named)
    counted by what befell them."""
    unit = stem(terms.kind.unit) if terms.kind.unit else ""
    return terms.kind.label == "how many" and (not unit or unit in _ANYONE) and bool(predicate(terms))


def says_what_befell(terms: QuestionTerms, window: Set[str]) -> bool:
    """True when the sentence and the one before (``window``, ``rag.quotes.said_in``) say what the
    question says befell what it counts (its ``predicate``), or the question says nothing of it."""
    asked = predicate(terms)
    return not asked or not asked.isdisjoint(window)


# A total a body or a place has, not a count of those something befell: "employs about 6,300",
# "which has about 230,000", "home to 4,200", "a village of about 4,200".
_STANDING = re.compile(
    r"\b(?:has|have|had|employs?|employing|employed|home\s+to|population\s+of|(?:town|village|city|county|"
    r"country|region|district|island)\s+of)\s+(?:(?:about|around|some|nearly|almost|roughly|over|under|"
    r"just|more|less|fewer|than|up|to)\s+)*$",
    re.I,
)
_OF = re.compile(r"^\s*of\s+(?:(?:the|its|their|his|her|our|these|those)\s+)?", re.I)
_NOUN_REACH = 4


def _counted_by_name(sentence: str, unit: str) -> bool:
    """True when a number of the sentence is said with the counted thing's own name (or one of its
    group: "hundreds of children" for youngsters, "two of the five charges"), not as a standing total."""
    for m in find_mentions(sentence):
        if m.kind != "number" or _STANDING.search(sentence[: m.start]):
            continue
        rest = sentence[m.end :]
        partitive = _OF.match(rest)
        rest = rest[partitive.end() :] if partitive else rest
        for w in words(rest)[:_NOUN_REACH]:
            if w.lower() in STOP_WORDS:
                break
            if names_unit(stem(w), unit):
                return True
    return False


# Nouns that count the people living in a place; words that say a count is of them.
_POPULATION_UNITS = frozenset(stem(w) for w in "residents inhabitants population populace citizens".split())
_LIVE = stem("live")
_LIVING = re.compile(
    r"\b(?:residents?|inhabitants?|population|populace|live[sd]?|living|home\s+to|dwellers)\b", re.I
)


def asks_population(terms: QuestionTerms) -> bool:
    """True for a question asking how many people live in a place: "How many people live in Coley?",
    "How many residents does Coley have?", "What is the population of Coley?"."""
    if terms.kind.label != "how many":
        return False
    unit = stem(terms.kind.unit) if terms.kind.unit else ""
    asked = predicate(terms)
    return _LIVE in asked or (unit in _POPULATION_UNITS and not asked)


def says_population(terms: QuestionTerms, sentence: str) -> bool:
    """True unless the question asks how many people live in a place and the sentence counts no one as
    living there ("2,400 homes in Hollins Cross" lost power; "Twelve people were taken to hospital")."""
    if not asks_population(terms):
        return True
    # of the place asked: "a village of about 4,200 residents" is Coley's, not Hollins Cross's
    place = not terms.specific or bool(set(terms.specific) & {stem(w) for w in words(sentence)})
    return place and bool(_LIVING.search(sentence))


# "How long is the stretch of river?" asks a length; "how long will the factory be shut?" a time.
_LENGTH_ASKED = re.compile(
    r"^\s*(?:and\s+)?how\s+long\s+(?:is|was|are|were)\s+(?:the|a|an|its|their)\s+(?P<thing>[^?]+)", re.I
)
_DISTANCE = re.compile(
    r"\b(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)[\s-]+"
    r"(?:(?:kilo|centi|milli)?met(?:re|er)s?|km|miles?|feet|foot|yards?)\b",
    re.I,
)


def asks_time_span(question: str, terms: QuestionTerms) -> bool:
    """True when "how long" asks for a time ("how long will the factory be shut?", "how long was the
    bridge closed?"), not a length ("how long was the polluted stretch of river?")."""
    if terms.kind.label != "how long" or terms.kind.focus:
        return False
    found = _LENGTH_ASKED.match(question)
    last = words(found.group("thing"))[-1:] if found else []
    return not last or last[0].lower().endswith("ed") or last[0].lower() in _STATES


_STATES = frozenset("shut open closed down out away off gone in charge".split())


def says_time_span(question: str, terms: QuestionTerms, sentence: str) -> bool:
    """True unless "how long" asks for a time and the sentence's only length is a distance: "within two
    kilometres of the depot" says nothing of how long a factory will be shut."""
    if not asks_time_span(question, terms):
        return True
    spans = [m.span() for m in SPAN.finditer(sentence)]
    distances = [m.span() for m in _DISTANCE.finditer(sentence)]
    return not spans or any(not any(a <= s and e <= b for a, b in distances) for s, e in spans)


def counts_asked_thing(
    question: str, terms: QuestionTerms, sentence: str, before: str, window: Set[str]
) -> bool:
    """True when a count, an amount or a length the sentence may give is of what the question asks: said
    with its predicate, for a population as people living in the place, for a time not as a distance
    (``window``: what the sentence and the one before say of the question's words, ``rag.quotes.said_in``)."""
    return (
        says_population(terms, sentence)
        and says_time_span(question, terms, sentence)
        and says_predicate(terms, sentence, before, window)
    )
