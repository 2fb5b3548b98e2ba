"""Making a chosen sentence readable on its own: its speaker, its short answer, or why there is none."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from rag.answer_kinds import LENGTH, LENGTH_NOUNS, MONEY, MONEY_VERBS, SAID_WITH
from rag.features import QuestionTerms, kind_mentions
from rag.mentions import Kind, Mention, find_mentions
from rag.terms import STOP_WORDS, content_stems, stem, words

# A sentence that opens with a pronoun, or says "he said" without naming anyone, leans on the one before.
_OPENS_WITH_PRONOUN = re.compile(
    r"^[\"“‘']?(?:he|she|they|it|its|his|her|their|this|these|those|that|him|them|the company|the firm)\b",
    re.I,
)
_BARE_SPEAKER = re.compile(
    r"(?:[,\"”]\s*|^)(?:he|she|they)\s+(?:said|says|told|added|wrote|explained|argued|warned|noted)\b"
    # '..., said he.' inverts the speaker to the clause's end; 'allies have said they will' names its own.
    r"|\b(?:said|says|added)\s+(?:he|she|they)\s*(?:[.,;:!?]|$)",
    re.I,
)
_NAMED = frozenset({"person", "org"})
_PROPER = frozenset({"person", "org", "place", "name"})
_ASKED_KIND_WORDS = {
    "who": "who",
    "when": "when",
    "where": "where",
    "how many": "how many",
    "how much": "how much",
    "how long": "how long",
    "why": "why",
    "what position": "the position",
    "what share": "the share",
    "which organisation": "which organisation",
}


def needs_context(sentence: str) -> bool:
    """True when a quote would not say who or what it is about without the sentence before it."""
    if _OPENS_WITH_PRONOUN.match(sentence):
        return True
    if _BARE_SPEAKER.search(sentence):
        return not any(m.kind in _NAMED for m in find_mentions(sentence))
    return False


def names_all_asked(question: str, sentence: str) -> bool:
    """True when ``sentence`` names every person, organisation and place ``question`` names (one at least).

    "What did Daniel Reyes say?" shares nothing with his quote but his name; a sentence about
    the subject is on topic however far its words are from the question's.
    """
    names = {m.text.lower() for m in find_mentions(question) if m.kind in _PROPER}
    said = sentence.lower()
    return bool(names) and all(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", said) for n in names)


def answer_phrase(sentence: str, terms: QuestionTerms) -> Mention | None:
    """The short answer inside ``sentence``: the mention of the asked kind nearest the question's words."""
    found = kind_mentions(sentence, terms)
    if not found:
        return None
    anchors = [m.start() for m in re.finditer(r"[\w'’]+", sentence) if stem(m.group()) in terms.stems]
    if not anchors:
        return found[0]
    return min(found, key=lambda m: (min(abs(m.start - a) for a in anchors), -len(m.text)))


# Kinds the recogniser finds reliably: a sentence without a candidate of one of them does not answer.
# (Names, dates and places are left to the selector: "brokered by Qatar", "in the third quarter".)
STRICT_LABELS = frozenset({"how many", "how much", "how long", "what share"})
# A "who" is answered by someone: a person, a body, or a country ("brokered by Qatar").
_WHO_ALSO: frozenset[Kind] = frozenset({"place"})
_UNIT_REACH = 4
# Verbs that say little of what is asked ("what position does he hold", "what did the Kremlin say").
_LIGHT = frozenset(
    stem(w) for w in "say said tell told hold held do make made get got take took go went happen".split()
)
_SCORE = re.compile(r"\d+\s*[-–]\s*\d+")


# A year the question pins ("the 2009 repairs", "the rate in 1995"); "$2,024" and "2022 votes" are no years.
_YEAR = re.compile(
    r"(?<![\w$£€])(?<!\d[.,])(1[89]\d\d|20\d\d)(?![\w%]|[.,]\d)(?!\s+(?:votes?|people|cases|deaths|jobs)\b)"
)


def of_asked_year(question: str, sentence: str, before: str, published: dt.date | None) -> bool:
    """True unless the question pins a year that neither the sentence (or the one before) names nor its
    article was published in or the year after: the cost of this year's repairs is not the cost of
    the 2009 ones, however close the sentence is."""
    years = set(_YEAR.findall(question))
    if not years:
        return True
    named = set(_YEAR.findall(f"{before} {sentence}"))
    reported = {str(published.year), str(published.year - 1)} if published else set()
    return bool(years & (named | reported))


def states_asked(sentence: str, before: str, terms: QuestionTerms, article: str = "") -> bool:
    """True unless the sentence plainly lacks what the question asks for: a candidate of a strict
    asked kind, the noun a profit or a revenue is named by, the length of a prison sentence, or a
    number of what "how many" counts ("420 flights" is not how many pilots struck). A job asked
    about ("which judge") may be named anywhere in the ``article`` (its title and retrieved text)."""
    kind = terms.kind
    window = set(content_stems(f"{before} {sentence}"))
    if kind.focus in SAID_WITH:
        if kind.label == "who":  # one person by their job: "safety inspectors approved" names no inspector
            if not _one_holder(SAID_WITH[kind.focus], f"{before} {sentence} {article}"):
                return False
        elif not SAID_WITH[kind.focus] & window:
            return False
    if kind.label == "where" and kind.focus:  # "which country": one the question does not name
        return bool(kind_mentions(sentence, terms))
    if kind.label == "who":
        return bool(
            kind_mentions(sentence, replace(terms, kind=replace(kind, wanted=kind.wanted | _WHO_ALSO)))
        )
    if kind.label not in STRICT_LABELS:
        return True
    if kind.focus in LENGTH_NOUNS and not LENGTH.search(sentence):
        return False
    found = kind_mentions(sentence, terms)
    if not found:
        # Counts are often words the recogniser misses ("a dozen", "a third": requiring a number cost
        # 2 points of SQuAD answered); an amount of money is written plainly.
        return kind.wanted != MONEY
    if kind.verb and not MONEY_VERBS[kind.verb] & window:
        return False
    if kind.unit:
        return _counts(sentence, found, stem(kind.unit))
    return True


def _one_holder(job: frozenset[str], text: str) -> bool:
    """True when ``text`` names the job (its stems) in the singular: "Judge Lewis Hart", not "inspectors"."""
    return any(
        stem(w) in job and not (w.lower().endswith("s") and stem(w[:-1]) == stem(w)) for w in words(text)
    )


# "When will ...", "when is it going to ...": the question asks when something is to come. (Not "how many
# shops will it have": news states what is agreed in the past tense, "creating a group with 640 stores".)
_ASKS_FUTURE = re.compile(r"^\s*when\s+(?:will|shall|(?:is|are)\s+\w+(?:\s+\w+)?\s+going\s+to)\b", re.I)
# A sentence that speaks of what is to come ("is expected to create", "would refund", "from July").
_SPEAKS_FUTURE = re.compile(
    r"\b(?:will|would|shall|going\s+to|expect\w*|due|plan\w*|set\s+to|schedul\w*|aim\w*|intend\w*|next|"
    r"upcoming|soon|later|future|forecast\w*|promis\w*|pledg\w*|vow\w*|could|may|might|until)\b|['’]ll\b",
    re.I,
)


def of_asked_tense(question: str, sentence: str, before: str) -> bool:
    """True unless the question asks when something will happen and the sentence (or the one before)
    speaks only of what has: "Rovers sacked their manager on Monday" does not say when they will name a new one."""
    return not _ASKS_FUTURE.search(question) or bool(_SPEAKS_FUTURE.search(f"{before} {sentence}"))


def about_asked(sentence: str, before: str, context: str, terms: QuestionTerms) -> bool:
    """True when the sentence or its article (``context``: title and retrieved text) names one of the
    question's names or numbers (Granite Peak's profit is not Ostrava's), and the sentence or the one
    before it has one of its other words when a name or an amount is asked for: a game Mason Reid won
    does not say who replaced a coach."""
    if terms.specific:
        seen = {stem(w) for w in words(f"{context} {sentence}")}
        if not any(t in seen for t in terms.specific):
            return False
    if terms.kind.label not in STRICT_LABELS and terms.kind.label != "who":
        return True  # what someone said, or why, is worded too freely to ask for the question's words
    light = _LIGHT | ({stem(terms.kind.verb)} if terms.kind.verb else set())
    other = [t for t in terms.stems if t not in terms.specific and t not in light]
    return not other or bool(set(other) & set(content_stems(f"{before} {sentence}")))


# Words that count the same things: "3,400 dock workers" says how many dockers; "640 stores", how many shops.
_UNIT_GROUPS = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "people persons workers employees staff fans spectators passengers pilots dockers protesters demonstrators"
        " residents customers users patients students children adults players soldiers troops members voters"
        " visitors victims survivors migrants refugees miners nurses doctors teachers drivers crew officers"
        " shoppers subscribers citizens inhabitants civilians",
        "shops stores outlets branches supermarkets restaurants locations sites",
        "plants factories facilities sites",
        "vehicles cars trucks vans suvs buses",
    )
)


def _same_unit(word: str, unit: str) -> bool:
    """True when ``word`` (a stem) counts what ``unit`` does: the same word, or one of its group."""
    return word == unit or any(word in g and unit in g for g in _UNIT_GROUPS)


def _counts(sentence: str, found: Sequence[Mention], unit: str) -> bool:
    """True unless every number of the sentence counts another thing than ``unit``: "420 flights",
    "12,500 electric vans" and "a 48-hour strike" do not say how many pilots struck; "84,000 watched"
    may say how many people did."""
    for m in found:
        if m.kind != "number" or _SCORE.fullmatch(m.text):
            continue  # a 31-17 score or a 4-1 record counts nothing
        rest = sentence[m.end :]
        if rest[:1] == "-" and (rest[1:2].isalpha() or rest[1:2].isdigit()):
            continue  # "48-hour"
        after: list[str] = []
        for w in words(rest)[:_UNIT_REACH]:
            if w.lower() in STOP_WORDS:
                break
            after.append(w.lower())
        if any(_same_unit(stem(w), unit) for w in after):
            return True
        if not any(w.endswith("s") and not w.endswith("ss") for w in after):
            return True
    return False


def abstain_reason(question: str, terms: QuestionTerms, texts: Sequence[str]) -> str:
    """One line on why the articles do not answer: what they mention of the question, and what not."""
    seen = {stem(w) for text in texts for w in words(text)}
    asked = [w for w in dict.fromkeys(words(question)) if w.lower() not in STOP_WORDS and len(w) > 1]
    found = [w for w in asked if stem(w) in seen]
    missing = [w for w in asked if stem(w) not in seen]
    if not texts or not found:
        return f"The articles do not mention {_listed(missing or asked, 'or')}." if asked else ""
    if missing:
        return f"The articles mention {_listed(found)} but not {_listed(missing, 'or')}."
    kind = _ASKED_KIND_WORDS.get(terms.kind.label)
    if kind:
        return f"The articles mention {_listed(found)} but do not say {kind}."
    return f"The articles mention {_listed(found)} but no sentence answers the question."


def _listed(items: Sequence[str], conjunction: str = "and") -> str:
    quoted = [f'"{w}"' for w in items[:4]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" {conjunction} " + quoted[-1]
