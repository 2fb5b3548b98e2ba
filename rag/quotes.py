"""Whether a chosen sentence says what is asked: the kind of answer, the question's words and names.

A sentence is on topic when it, or the one before, says the question's words (``said_in``: in
others near in meaning too) and names its names (``about_asked``), and answers when it holds a
candidate of the asked kind (``states_asked``), whose short answer ``answer_phrase`` picks. The
checks on what surrounds a quote, its people, its counts, its time, what happened and the thing
asked about have modules of their own (``quote_context``, ``people``, ``units``, ``asked_time``,
``predicates``, ``asked_things``), as has the reason given when nothing answers (``abstentions``).
"""

from __future__ import annotations

import re
from dataclasses import replace

from rag.amounts import amount_beside
from rag.answer_kinds import AGE, LENGTH, LENGTH_NOUNS, MONEY, MONEY_VERBS, SAID_WITH, SPAN
from rag.equivalences import said_alike
from rag.features import QuestionTerms, kind_mentions
from rag.mentions import Kind, Mention, find_mentions, in_context
from rag.people import bodies, misses_people
from rag.quote_context import goes_on_from
from rag.terms import content_stems, stem, words
from rag.units import counts_unit
from rag.word_vectors import said_otherwise

_PRONOUN = re.compile(r"^[\"“‘']?(?:it|its|this|that|they|their)\b", re.I)
_PRONOUN_SPEAKER = re.compile(r"^(?:he|she|they)\s+(?:\w+ed|said|says|told|added)\b", re.I)
# Kinds of mention that name someone or something: a person, a body, a place, a name.
PROPER = frozenset({"person", "org", "place", "name"})


def names_all_asked(question: str, sentence: str) -> bool:
    """True when ``sentence`` names every person, organisation and place ``question`` names (one at least).

    "What did Daniel Reyes say?" shares nothing with his quote but his name; a sentence about
    the subject is on topic however far its words are from the question's.
    """
    names = {m.text.lower() for m in find_mentions(question) if m.kind in PROPER}
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


# Amounts "how much" asks for by name, by stem: the sentence that answers names one the same way.
_MONEY_NOUNS = {
    stem(noun): said
    for noun, said in SAID_WITH.items()
    if noun in ("profit", "revenue", "sales", "salary", "valuation", "budget", "fine")
}
# A cause said without a marker the recogniser lists: "squeezed by higher energy costs", "a warrant for
# the illegal deportation of ...", "so the signals went dark", "as prices rose", or as the subject of a
# verb of causing ("hopes of approval had driven the gains", "the cut triggered the failure").
_CAUSE_SAID = re.compile(
    r"\b(?:so|as|since|because|cause[sd]?|reasons?|why|blame[sd]?|behind)\b|\b\w+(?:ed|en)\s+by\b"
    r"|\bfor\s+(?:the|his|her|its|their|an?|\w+ing)\b"
    r"|\b(?:drive[sn]?|drove|fuell?(?:ed|s)|spark(?:ed|s)|trigger(?:ed|s)|prompt(?:ed|s)|prompted|forced)\b"
    r"|\b(?:led|leads?|leading|result(?:ed|s)?)\s+(?:to|in)\b",
    re.I,
)
# Kinds the recogniser finds reliably: a sentence without a candidate of one of them does not answer.
# (Names, dates and places are left to the selector: "brokered by Qatar", "in the third quarter".)
STRICT_LABELS = frozenset({"how many", "how much", "how long", "what share"})
# A "who" is answered by someone: a person, a body, or a country ("brokered by Qatar").
_WHO_ALSO: frozenset[Kind] = frozenset({"place"})
# Verbs that say little of what is asked ("what position does he hold", "what did the Kremlin say").
LIGHT_VERBS = frozenset(
    stem(w) for w in "say said tell told hold held do make made get got take took go went happen".split()
)
# What "what did X say / tell / warn ... about Y?" asks with besides Y: no reported sentence need repeat it.
_SAYING = LIGHT_VERBS | frozenset(
    stem(w) for w in "think thought claim warn promise admit insist argue respond reply react call".split()
)
# A quotation: words it leaves out may be what it is about ('"It will take a decade," he said.').
_QUOTATION = re.compile(r"[\"“][^\"”]{12,}[\"”]")
_LASTING = frozenset(stem(w) for w in "last lasted continue run stay keep".split())


def states_asked(
    sentence: str, before: str, terms: QuestionTerms, article: str = "", question: str = ""
) -> bool:
    """True unless the sentence plainly lacks what the question asks for: a candidate of a strict
    asked kind, a cause for "why" (a marker the recogniser knows or a "because", "so", "squeezed by",
    "for the ..."), the noun a profit or a revenue is named by, the length of a prison sentence, or a
    number of what "how many" counts ("420 flights" is not how many pilots struck). A job asked
    about ("which judge") may be named anywhere in the ``article`` (its title and retrieved text).
    A "when" in the ``question`` that only opens a clause ("what is it called when steam drives a
    turbine?") asks for no time."""
    kind = terms.kind
    window = set(content_stems(f"{before} {sentence}"))
    if kind.focus in SAID_WITH:
        if kind.label == "who":  # one person by their job: "safety inspectors approved" names no inspector
            if not _one_holder(SAID_WITH[kind.focus], f"{before} {sentence} {article}"):
                return False
        # an amount is named in its own sentence: "sales of the range fell" is no company's revenue
        elif not SAID_WITH[kind.focus] & (
            set(content_stems(sentence)) | (window if _PRONOUN.match(sentence) else set())
        ):
            return False
    if kind.label == "why" and not (_CAUSE_SAID.search(sentence) or kind_mentions(sentence, terms)):
        # "what caused the 2019 shutdown?": "The network last shut down in 2019, for three hours" says none
        return False
    if kind.label == "where" and kind.focus:  # "which country": one the question does not name
        return bool(kind_mentions(sentence, terms))
    if kind.label == "where":  # a place named, or said: "in a polling station cupboard"
        return bool(kind_mentions(sentence, terms) or _PLACE_SAID.search(sentence))

    if kind.label == "what said" and terms.speaker:
        if _PRONOUN_SPEAKER.match(sentence):  # "He warned that ...": the speaker named in the sentence before
            return bool(set(terms.speaker) & {stem(w) for w in words(f"{before} {sentence}")})
        if not kind_mentions(sentence, terms):
            return False
        if not _QUOTATION.search(sentence):  # "has ruled out talks with Putin" is not about Miroshnik
            # its own words: the sentence before is someone else's, unless this one goes on from it
            # ("Russia denies this." denies what the sentence before says)
            told = said_in(f"{before} {sentence}" if goes_on_from(before, sentence) else sentence, terms)
            about = [t for t in terms.stems if t not in terms.speaker and t not in _SAYING]
            return not about or any(t in told for t in about)
    if kind.label == "which organisation" and not bodies(sentence, terms, article):
        return False  # "which company will do the repairs?": a named one, not "the regional government"
    if kind.label == "who":
        found = kind_mentions(sentence, replace(terms, kind=replace(kind, wanted=kind.wanted | _WHO_ALSO)))
        # "which official ...": someone named, not "Fishing on the affected stretch ..."
        return bool(in_context(sentence, found, article) if kind.focus else found)
    if kind.label == "when" and (kind.focus or not _WHEN_CLAUSE.search(question)):
        # a day, a month, a year, "since 2019", "last spring", "during the war": a time, however said
        return bool(kind_mentions(sentence, terms)) or bool(_TIME_SAID.search(sentence))
    if kind.label not in STRICT_LABELS:
        return True
    if kind.label == "how much" and not kind.focus:  # "how much did Globex's revenue fall?"
        named = [_MONEY_NOUNS[t] for t in terms.stems if t in _MONEY_NOUNS]
        if named and not any(said & set(content_stems(sentence)) for said in named):
            return False  # "its third-quarter profit fell 8%" says nothing of its revenue
        amounts = [(m.start, m.end) for m in kind_mentions(sentence, terms)]
        if named and not any(amount_beside(sentence, amounts, said) for said in named):
            return False  # "at a cost of 21 million pounds, and ... would not appeal against the fine"
    if kind.focus in LENGTH_NOUNS and not LENGTH.search(sentence):
        return False
    if kind.focus == "old" and not AGE.search(sentence):
        return False
    if kind.label == "how long" and not kind.focus and not SPAN.search(sentence):
        return False  # "was last repaired in 2009" says when, not for how long
    found = kind_mentions(sentence, terms)
    if kind.label == "how many":  # "A 67-year-old man died": an age counts no one (the man is one)
        found = tuple(m for m in found if not _AGE_AFTER.match(sentence[m.end :]))
    if not found:
        # Counts are often words the recogniser misses ("a dozen", "a third": requiring a number cost
        # 2 points of SQuAD answered), but some word must count: "Putin sent troops into Ukraine" does
        # not say how many; an amount of money is written plainly.
        return kind.wanted != MONEY and (kind.label != "how many" or bool(_COUNT_WORD.search(sentence)))
    if kind.verb and not MONEY_VERBS[kind.verb] & window:
        return False
    if kind.unit:
        return counts_unit(sentence, found, stem(kind.unit))
    return True


# Words that count without a numeral the recogniser reads ("a dozen", "no other", "all three", "several").
_COUNT_WORD = re.compile(
    r"\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|forty|fifty|"
    r"hundreds?|thousands?|millions?|dozens?|half|third|quarter|several|few|no|none|nobody|all|both|every|"
    r"single|only|twice|majority|minority)\b"
    # one person: "A 67-year-old man died", "a driver was hurt"
    r"|\b(?:a|an)\s+(?:\d{1,3}-year-old\s+|elderly\s+|young\s+|local\s+)?(?:man|woman|boy|girl|child|baby|person"
    r"|teenager|pensioner|motorist|driver|cyclist|pedestrian|passenger|worker|firefighter|soldier)\b",
    re.I,
)
_AGE_AFTER = re.compile(r"^(?:-year-old\b|\s+years?\s+old\b)", re.I)
# Time said in words the recogniser reads as no date ("in the third quarter", "last spring", "since").
_TIME_SAID = re.compile(
    r"\b(?:since|until|ago|quarter|spring|summer|autumn|winter|weekend|morning|afternoon|evening|"
    r"overnight|tonight|midnight|midday|noon|season|decade|century|weeks?|months?|years?|dawn|dusk|"
    r"o'clock|lunchtime|daybreak|sunrise|sunset|during|as\s+soon\s+as)\b"
    # "following the Nice Treaty", "following his election" (not "the following rules")
    r"|\bfollowing\s+(?:the|a|an|his|her|its|their)\b"
    # "two days later", "the next day", "that night" ("every day" says how often, not when)
    r"|\b(?:days?|nights?)\s+(?:later|earlier|after|before)\b|\b(?:next|following|previous|same|that)\s+(?:day|night)\b"
    # a clock time in words: "leaves at nine", "at 9" ("from pier nine", "with nine cars" are no times)
    r"|\bat\s+(?:\d{1,2}|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve)\b(?![.,]?\d|\s*(?:%|percent|per\b|points?|degrees|[a-z]*metres|miles|of\b))",
    re.I,
)


# A "when" that opens a clause of a question asking something else: "what is it called when ...", "how do
# you find it when ...", "When Iqbal promoted unity, what did he encourage?"
_WHEN_CLAUSE = re.compile(
    r"\b(?:what|which|who|whom|whose|where|why|how)\b(?:(?!\b(?:and|or|but)\b)[^,;])*\bwhen\b"
    r"|^\s*when\b[^?]*,\s*(?:what|which|who|whom|whose|where|why|how)\b",
    re.I,
)


# A place said without a name the recogniser reads as one: "in a polling station cupboard", "at the
# airport", "taken to Embung Fatimah hospital" (not "created to collect evidence").
_PLACE_SAID = re.compile(
    r"\b(?i:in|at|near|outside|inside|into|onto|across|along|beside|behind|under|to|from)\s+"
    r"(?:(?i:the|a|an|its|their|his|her)\s+\w|[A-Z])"
)


def _one_holder(job: frozenset[str], text: str) -> bool:
    """True when ``text`` names the job (its stems) in the singular: "Judge Lewis Hart", not "inspectors"."""
    return any(
        stem(w) in job and not (w.lower().endswith("s") and stem(w[:-1]) == stem(w)) for w in words(text)
    )


def said_in(text: str, terms: QuestionTerms) -> set[str]:
    """The stems of a text's content words, and the question's words it says in others near in
    meaning ("warning" for "alert", ``rag.word_vectors``): a reader need not use the article's words."""
    found = set(content_stems(text)) | said_alike(terms.alike, text)  # "chief executive" for "heads"
    unsaid = [  # a name or a number is itself or another one: "2016" does not say "2017"
        (t, f)
        for t, f in zip(terms.stems, terms.forms or terms.stems, strict=False)
        if t not in found and t not in terms.specific and not f[:1].isdigit()
    ]
    return found | said_otherwise([t for t, _ in unsaid], [f for _, f in unsaid], text) if unsaid else found


def about_asked(sentence: str, window: set[str], context: str, terms: QuestionTerms) -> bool:
    """True when the sentence or its article (``context``: title and retrieved text) names one of the
    question's names or numbers (Granite Peak's profit is not Ostrava's), and the sentence or the one
    before it (``window``: what the two say, ``said_in``) has one of its other words when a name or an
    amount is asked for: a game Mason Reid won does not say who replaced a coach."""
    if terms.specific:
        seen = {stem(w) for w in words(f"{context} {sentence}")}
        if not any(t in seen for t in terms.specific):
            return False
    if terms.stems and not window & set(terms.stems):
        return (
            False  # not one word of the question: "when was Miroshnik appointed?" is not "Putin sent troops"
        )
    # what someone said, or why, is worded too freely to ask for the question's words; "which company
    # supplies weapons?" is not answered by a name in a sentence that says nothing of weapons
    named = terms.kind.label in ("who", "which organisation") or (
        terms.kind.label == "where" and terms.kind.focus
    )
    if terms.kind.label not in STRICT_LABELS and not named:
        return True
    light = LIGHT_VERBS | ({stem(terms.kind.verb)} if terms.kind.verb else set())
    if terms.kind.label == "how long":  # "how long will the works last?": "last" asks the length itself
        light |= _LASTING
    other = [t for t in terms.stems if t not in terms.specific and t not in light]
    if named and misses_people(terms, window, stem(terms.kind.focus)):
        return False
    return not other or bool(set(other) & window)
