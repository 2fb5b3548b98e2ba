"""Making a chosen sentence readable on its own: its speaker, its short answer, or why there is none."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import replace

from rag.answer_kinds import AGE, LENGTH, LENGTH_NOUNS, MONEY, MONEY_VERBS, SAID_WITH, SPAN
from rag.equivalences import said_alike
from rag.features import ANTONYMS, QuestionTerms, kind_mentions
from rag.lexicon import PERSON_NOUNS, TITLES
from rag.mentions import Kind, Mention, find_mentions, in_context
from rag.terms import STOP_WORDS, content_stems, stem, words
from rag.word_vectors import SYNONYM_AT, said_otherwise

# A sentence that opens with a pronoun, or says "he said" without naming anyone, leans on the one before.
_OPENS_WITH_PRONOUN = re.compile(
    r"^[\"“‘']?(?:he|she|they|it|its|his|her|their|this|these|those|that|him|them|the company|the firm|the money|the sum|the payment|the funds?)\b",
    re.I,
)
_PRONOUN = re.compile(r"^[\"“‘']?(?:it|its|this|that|they|their)\b", re.I)
_PRONOUN_SPEAKER = re.compile(r"^(?:he|she|they)\s+(?:\w+ed|said|says|told|added)\b", re.I)
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


# "No other deaths were reported.", "Another 300 homes ...": a sentence that adds to the one before.
_ADDS_TO = re.compile(r"^[\"“‘']?(?:no\s+other|(?:the\s+)?others?|another|neither|both)\b", re.I)


def adds_to_before(sentence: str) -> bool:
    """True for a sentence that adds to the one before it ("No other deaths were reported.")."""
    return bool(_ADDS_TO.match(sentence))


def needs_context(sentence: str) -> bool:
    """True when a quote would not say who or what it is about without the sentence before it."""
    if _OPENS_WITH_PRONOUN.match(sentence) or _ADDS_TO.match(sentence):
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


# Who speaks unnamed: "a senior Russian official said", "an Osvian negotiator told reporters".
_UNNAMED_SPEAKER = re.compile(r"\b(?:a|an)\s+(?:[\w-]+\s+){0,3}?[\w-]+\s+(?:said|says|told|added)\b", re.I)
_REPORTING = r"(?:said|says|told|added|warned|announced|insisted|explained)"
# After a name: its speaking ("Rodion Miroshnik told"), past an apposition ("Mikkel Strand, head of ..., said").
_SPEAKS_AFTER = re.compile(r"^(?:,[^,]{1,80},)?\s+" + _REPORTING + r"\b")
# Before a name: its speaking inverted ("said chairman Richard Okafor").
_SPEAKS_BEFORE = re.compile(r"\b" + _REPORTING + r"\s+(?:[\w-]+\s+){0,3}$")


def unnamed_speaker(sentence: str) -> bool:
    """True when the sentence gives its words to someone it does not name ("a senior official said")."""
    return bool(_UNNAMED_SPEAKER.search(sentence))


def named_speaker(sentence: str, terms: QuestionTerms) -> bool:
    """True when the sentence gives its words to a person it names and the question does not
    ("... ," Russian Ambassador-at-Large Rodion Miroshnik told reporters)."""
    return any(
        m.kind == "person"
        and (_SPEAKS_AFTER.match(sentence[m.end :]) or _SPEAKS_BEFORE.search(sentence[: m.start]))
        for m in kind_mentions(sentence, terms)
    )


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
_UNIT_REACH = 4
# Verbs that say little of what is asked ("what position does he hold", "what did the Kremlin say").
_LIGHT = frozenset(
    stem(w) for w in "say said tell told hold held do make made get got take took go went happen".split()
)
# What "what did X say / tell / warn ... about Y?" asks with besides Y: no reported sentence need repeat it.
_SAYING = _LIGHT | frozenset(
    stem(w) for w in "think thought claim warn promise admit insist argue respond reply react call".split()
)
# A quotation: words it leaves out may be what it is about ('"It will take a decade," he said.').
_QUOTATION = re.compile(r"[\"“][^\"”]{12,}[\"”]")
_LASTING = frozenset(stem(w) for w in "last lasted continue run stay keep".split())
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
    if kind.label == "which organisation" and not _bodies(sentence, terms, article):
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
        return _counts(sentence, found, stem(kind.unit))
    return True


def _bodies(sentence: str, terms: QuestionTerms, article: str) -> list[Mention]:
    """The names in ``sentence`` that may be a company or another body: an organisation, a name, or a
    person no role or title names as one (the recogniser takes "the Social Democrats" for a person;
    "council spokesperson Marta Kowalski" is none), less a word capitalised only for opening the
    sentence ("Engineers found corrosion ..."; ``article``: its title and retrieved text)."""
    wanted = replace(terms, kind=replace(terms.kind, wanted=terms.kind.wanted | {"person"}))
    titled = set(_titled_people(sentence))
    return [
        m
        for m in in_context(sentence, kind_mentions(sentence, wanted), article)
        if m.kind in ("org", "name")
        or (m.kind == "person" and m.text not in titled and not _after_title(sentence[: m.start]))
    ]


def _after_title(before: str) -> bool:
    """True when ``before`` ends on a title a person holds ("Dr", "Judge", "Mrs") or a job in common
    words ("café owner Daniel Reyes", "shop manager ...")."""
    last = before.split()[-1:]
    if not last:
        return False
    word = last[0].rstrip(".")
    return word.lower() in TITLES or (word.islower() and word.endswith(_JOB_ENDINGS))


_JOB_ENDINGS = ("er", "or", "ist", "ian", "ant", "ent")


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
# A role held before ("a former official", "the ex-chairman"): not one held now ("outgoing" still is).
_FORMER = re.compile(r"\b(?:former|ex|previous|erstwhile|one-time|onetime)[\s-]+(?:\w+\s+){0,2}$", re.I)
# What someone did before their present post: "what did he do before?", "before his current job",
# "where did he work previously?", "his previous job"; said by "a former official", "previously ran".
_ASKS_BEFORE = re.compile(
    r"\b(?:do|work|serve)\s+(?:before|previously|formerly|earlier|prior)\b"
    r"|\bbefore\s+(?:his|her|their)\s+(?:current|present|new)\s+(?:job|post|role|position)\b"
    r"|\b(?:previous|former|earlier|last)\s+(?:job|post|role|position|career|employer)\b",
    re.I,
)
_PAST_ROLE = re.compile(r"\b(?:former|formerly|previous|previously|ex|earlier|once|until|used\s+to)\b", re.I)
# A question about now: "what job does he have?", "what position does she hold?", "what is his title?"
_ASKS_NOW = re.compile(r"\b(?:does|do|is|are|has|have)\b", re.I)


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
    r"upcoming|soon|later|future|forecast\w*|promis\w*|pledg\w*|vow\w*|could|might|until)\b|['’]ll\b"
    r"|\b(?-i:may)\b",  # "may", not the month: "made between March and May" speaks of the past
    re.I,
)


def of_asked_tense(question: str, sentence: str, before: str) -> bool:
    """True unless the question asks when something will happen and the sentence (or the one before)
    speaks only of what has: "Rovers sacked their manager on Monday" does not say when they will name a new one."""
    return not _ASKS_FUTURE.search(question) or bool(_SPEAKS_FUTURE.search(f"{before} {sentence}"))


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
    light = _LIGHT | ({stem(terms.kind.verb)} if terms.kind.verb else set())
    if terms.kind.label == "how long":  # "how long will the works last?": "last" asks the length itself
        light |= _LASTING
    other = [t for t in terms.stems if t not in terms.specific and t not in light]
    if named and _misses_people(terms, window, stem(terms.kind.focus)):
        return False
    return not other or bool(set(other) & window)


def _misses_people(terms: QuestionTerms, window: set[str], asked: str) -> bool:
    """True when the question names people it is done to or by ("the children") and the sentence or
    the one before (``window``) names none of them: a hospital "treating patients" is not which
    hospital treated the children. ``asked``: the stem of what is asked for, never missing."""
    people = [t for t in terms.stems if t in _PEOPLE and t != asked and t not in terms.specific]
    return bool(people) and not set(people) & window


_PEOPLE = frozenset(stem(w) for w in PERSON_NOUNS if " " not in w)


def about_asked_time(sentence: str, window: set[str], terms: QuestionTerms) -> bool:
    """True unless a "when" question says what happened in two words or more besides its names and
    the sentence (or the one before, ``window``) says none of them: "When was the warrant for Putin
    issued?" is not answered by the day Putin signed documents in Astana. (One word may be said
    otherwise: "When did Russia invade Ukraine?" is answered by "Putin sent troops into Ukraine".)"""
    if terms.kind.label != "when":
        return True
    other = {
        t for t in terms.stems if t not in terms.specific and t not in _LIGHT and t not in _STARTS | _ENDS
    }
    return len(other) < _TIME_WORDS or bool(other & window)


_TIME_WORDS = 2


# Words that count the same things: "3,400 dock workers" says how many dockers; "640 stores", how many shops.
# People are counted by what they are: "hundreds of children" are no troops, but "people" counts anyone.
_UNIT_GROUPS = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
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
)
# Words that count people of any kind: "84 people" may be how many nurses, "200 nurses" how many people.
_ANYONE = frozenset(stem(w) for w in "people persons adults men women members victims survivors".split())
_PEOPLE = _ANYONE | frozenset().union(*_UNIT_GROUPS[:10])


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
    return (word in _ANYONE and unit in _PEOPLE) or (unit in _ANYONE and word in _PEOPLE)


def counts_asked(sentence: str, terms: QuestionTerms) -> bool:
    """True when the sentence has a number of what "how many" counts, the unit said with it
    ("around 40,000 fish were lost"), not only a number that may count it."""
    unit = stem(terms.kind.unit) if terms.kind.unit else ""
    return bool(unit) and _counts(sentence, kind_mentions(sentence, terms), unit, said=True)


def _counts(sentence: str, found: Sequence[Mention], unit: str, said: bool = False) -> bool:
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


# Words a reason never lists as mentioned or missing, beyond the stop words: function words and
# light or linking verbs ("Until when will the bridge stay closed?" lacks no "until" nor "stay").
_UNLISTED = _LIGHT | frozenset(
    stem(w)
    for w in """
    until till since within without among between against through across toward upon via per
    whether because although though unless yet still ever already even back away ago
    anyone anybody anything someone somebody something everyone everybody everything nobody nothing
    please know want true what
    stay remain keep become get gotten let
    """.split()
)

# "won't", "they're", "I'd": a pronoun or an auxiliary verb, contracted
_CONTRACTED = re.compile(r"(?:n['’]t|['’](?:re|ve|m|d|ll))$", re.I)


def abstain_reason(question: str, terms: QuestionTerms, texts: Sequence[str]) -> str:
    """One line on why the articles do not answer: what they mention of the question, and what not
    (a word they say otherwise, "empty" for "vacant", is neither: they do not lack it)."""
    seen = {stem(w) for text in texts for w in words(text)}
    asked = [
        w
        for w in dict.fromkeys(words(question))
        if w.lower() not in STOP_WORDS
        and len(w) > 1
        and stem(w) not in _UNLISTED
        and not _CONTRACTED.search(w)
    ]
    unseen = [w for w in asked if stem(w) not in seen]
    common = [w for w in unseen if w[:1].islower()]  # names and numbers are not said otherwise
    near = said_otherwise(common, common, " ".join(texts), SYNONYM_AT) if texts else set()
    found = [w for w in asked if stem(w) in seen]
    missing = [w for w in unseen if w not in near]
    if not texts or not (found or near):
        return f"The articles do not mention {_listed(missing or asked, 'or')}." if asked else ""
    if missing:
        if not found:
            return f"The articles do not mention {_listed(missing, 'or')}."
        return f"The articles mention {_listed(found)} but not {_listed(missing, 'or')}."
    kind = _ASKED_KIND_WORDS.get(terms.kind.label)
    if not found:
        return (
            f"The articles do not say {kind}."
            if kind
            else "No sentence of the articles answers the question."
        )
    if kind:
        return f"The articles mention {_listed(found)} but do not say {kind}."
    return f"The articles mention {_listed(found)} but no sentence answers the question."


def _listed(items: Sequence[str], conjunction: str = "and") -> str:
    quoted = [f'"{w}"' for w in items[:4]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" {conjunction} " + quoted[-1]


_YES_NO = re.compile(
    r"^\s*(?:and\s+|but\s+|so\s+)?(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could|should)\b",
    re.I,
)
# Words a yes/no question asks with that no sentence need repeat ("was anyone killed?").
_HEDGES = frozenset(
    stem(w)
    for w in "any anyone anybody anything someone something ever still yet already willing help".split()
)
# Events that start and events that end a state: "When did Orlov become chief executive?" is not
# answered by the day he was removed, nor "when did she resign?" by the day she was appointed.
_TAKING_UP = frozenset(stem(w) for w in "become join appoint hire elect name sign".split())
_STARTS = _TAKING_UP | frozenset(stem(w) for w in "start begin launch open found".split())
# How a post is said to be taken up: not "open" or "launch", which things do ("the lounge would open").
_POST_STARTS = _TAKING_UP | frozenset(
    stem(w) for w in "start begin take took succeed replace promote".split()
)
_ENDS = frozenset(
    stem(w) for w in "remove resign leave quit retire close end die fire oust step cancel suspend".split()
)
# A thing done again is not its first time: stems of the "re-" verb and of the verb itself.
_AGAIN = {
    stem(again): stem(first)
    for again, first in (
        ("reopen", "open"), ("restart", "start"), ("rebuild", "build"), ("reelect", "elect"),
        ("relaunch", "launch"), ("reappoint", "appoint"), ("resume", "start"), ("reconvene", "meet"),
    )
}  # fmt: skip
_NAME_OF_PERSON = re.compile(
    r"\bnames?\s+of\s+(?:the|a|an)\s+(?:[\w-]+\s+)?(?:man|woman|person|boy|girl|child|victim|driver|pilot|"
    r"suspect|officer|player|teacher|worker|passenger|gunman|attacker)\b",
    re.I,
)
_NAME_OF_THING = re.compile(r"\bnames?\s+of\s+(?:the|a|an|its|their|his|her)\b", re.I)


def _names_thing(question: str, at: int, sentence: str) -> bool:
    """True when the sentence says the thing whose name is asked ("the name of the cleaning solvent":
    the solvent, its last word before a function word or a verb that goes on to say more of it, "the
    eye drop recalled in 2023") and a name the question does not."""
    thing: list[str] = []
    for w in words(question[at:])[:3]:
        if w.lower() in STOP_WORDS or (thing and w.lower().endswith(("ed", "ing"))):
            break
        thing.append(stem(w))
    if thing and thing[-1] not in content_stems(sentence):
        return False
    asked = {m.text.lower() for m in find_mentions(question)}
    return any(m.kind in _PROPER and m.text.lower() not in asked for m in find_mentions(sentence))


_SINCE = re.compile(r"\bsince\s+(?:(?:early|late|mid)[\s-]+)?(?:\d{4}\b|[A-Z][a-z]+\s+\d{4}\b|last\s+\w+)")
_OPPOSITES = {**{a: b for a, b in ANTONYMS}, **{b: a for a, b in ANTONYMS}}


def states_predicate(
    question: str, terms: QuestionTerms, sentence: str, window: set[str], title: str
) -> bool:
    """True unless the sentence lacks what the question says happened: a yes/no question's words
    ("did Marsh resign?" of a sentence saying she was removed; an opposite counts, "open" is
    answered by "remain closed"), one missing allowed of three or more, the story's title counting;
    a "when" question's start of a state answered by its end ("when did Orlov become CEO?"); a
    thing done again answered by its first time ("reopen" by "opened in 1968"); or the name of a
    person asked of a sentence naming no one. ``window``: what the sentence and the one before it
    say (``said_in``)."""
    if terms.kind.label == "when":
        asked = set(terms.stems)
        own = set(content_stems(sentence))  # the event is the sentence's own, not its neighbour's
        # "had led the company since 2019" says when a tenure began
        if asked & _TAKING_UP and not own & _POST_STARTS and not _SINCE.search(sentence):
            return False  # a post taken up is said so ("was named", "joined", "since 2019")
        for wanted, other in ((_STARTS, _ENDS), (_ENDS, _STARTS)):
            if asked & wanted and not own & wanted and own & other:
                return False
    if any(
        again in terms.stems and first in window and again not in window for again, first in _AGAIN.items()
    ):
        return False  # "when will the bridge reopen?" is not when it opened
    named = _NAME_OF_THING.search(question)
    # "the name of the Mongol ruler who founded ...", read as a "who" question: a person named answers
    # it, whether or not the sentence calls him a ruler
    if _NAME_OF_PERSON.search(question) or (named and terms.kind.label == "who"):
        if not any(m.kind == "person" for m in find_mentions(sentence)):
            return False  # "what was the name of the man who died?": "a 67-year-old man" names no one
    elif named and not _names_thing(question, named.end(), sentence):
        return False  # "what is the name of the solvent?": "a cleaning solvent" is not named
    if terms.kind.label == "what position" and terms.kind.focus:
        # "what job does Miroshnik have?": a post named ("Miroshnik's post was created to ..." names
        # none), and one held now, not "a former official in ..." (who someone is may be what they were)
        roles = [m for m in kind_mentions(sentence, terms) if m.kind == "role"]
        if not roles or (
            _ASKS_NOW.search(question) and all(_FORMER.search(sentence[: m.start]) for m in roles)
        ):
            return False
    if _ASKS_BEFORE.search(question) and not _PAST_ROLE.search(sentence):
        return False  # "what did Miroshnik do before?": "a former official in ...", not what he says now
    if not says_asked_thing(question, terms, sentence, window):
        return False  # "what is the speed limit on the bridge?": a sentence on the bridge without one
    if not _YES_NO.match(question) or re.search(r"\bor\b", question, re.I):  # "A or B?" names both
        return True
    known = window | set(content_stems(title))
    asked_words = [t for t in terms.stems if t not in terms.specific and t not in _LIGHT and t not in _HEDGES]
    missing = [t for t in asked_words if t not in known and _OPPOSITES.get(t) not in window]
    return len(missing) <= (1 if len(asked_words) >= _LOOSE_FROM else 0)


_LOOSE_FROM = 3

# "What is the speed limit ...", "which hospital ...", "what payoff ...": the thing asked about.
_ASKED_THING = re.compile(
    r"^\s*(?:and\s+|so\s+)?(?:(?:in|on|at|for|from|to|of|by|with|under)\s+)?"
    r"(?:which\s+|what\s+(?P<run>(?:is|was|are|were)\s+the\s+))(?P<thing>[^?]*)",
    re.I,
)
# Words that end the asked thing's noun phrase ("the speed limit on the bridge", "hospital treated").
_THING_ENDS = frozenset(
    "of on in at for to with from by about that which who whose is was are were did does do has have had will"
    " would can could should may might between against among into over under during like within behind after"
    " before across".split()
)
# Nouns that only say a thing is asked ("what kind of ...", "what name ..."): no sentence need repeat them.
# A term, word or phrase asks for a name too: "what is the term for workers who cross a picket line?" is
# answered by "... are called scabs".
_ASKING_NOUNS = frozenset(
    stem(w)
    for w in "kind sort type name names way thing things happened latest newest term terms word words"
    " phrase phrases".split()
)  # "what is the latest on the strike?" asks for the news, not for a word "latest"
# Nouns that stand for the noun after their "of": "the nature of the relationship", "which part of the
# bridge", "the most powerful class of drugs" ask about the relationship, the bridge, the drugs.
_OF_NOUNS = frozenset(stem(w) for w in "part parts nature class classes".split())
# Words after a noun that open what is said of it, not more of its name: a past participle ("the plan
# announced on Monday", "the term given to ...", "the force called ...") or an adjective that takes a
# complement ("the parasite responsible for malaria"). "Speed", "need", "bed" and "hundred" are no
# participles.
_IRREGULAR_PARTICIPLES = frozenset(
    "given written known made taken shown seen held built done found paid told sold brought bought chosen"
    " drawn driven hidden led meant sent spent spoken stolen thought understood won worn grown thrown broken"
    " kept responsible available necessary due able liable".split()
)
_THING_WORDS = 3
# The cosine from which a sentence's word stands for the asked thing (aim / goals 0.29, payoff / salary
# 0.40): looser than ``SAID_AT``, as the check only turns away sentences without the thing (speed
# limit / vehicles 0.0, species / mould 0.01).
THING_NEAR = 0.25


def asked_thing(question: str, terms: QuestionTerms) -> str:
    """The stem of the noun a "what is the X ...?" or "which X ...?" question asks about when its kind
    is none the recogniser knows ("limit" of "the speed limit on the bridge", "hospital" of "which
    hospital treated them?"), else "": a sentence that answers says that thing. ("What level ...",
    "what payoff ..." are left alone: the noun is often only a measure, "cut its rate to 3.25%".)"""
    return _asked_thing(question, terms)[0]


def _asked_thing(question: str, terms: QuestionTerms) -> tuple[str, bool]:
    """``asked_thing``, and whether a participle said more of it ("the maximum speed allowed on ...")."""
    found = _ASKED_THING.match(question)
    if not found or terms.kind.known or terms.kind.focus:
        return "", False
    phrase: list[str] = []
    thing = words(found.group("thing"))
    # "which part of the bridge", "the most powerful class of drugs": the bridge, the drugs
    of = next((i for i, w in enumerate(thing[:_THING_WORDS]) if stem(w) in _OF_NOUNS and thing[i + 1 : i + 2] == ["of"]), -1)  # fmt: skip
    thing = thing[of + 2 :] if of >= 0 else thing
    described = False
    for w in thing[:_THING_WORDS]:
        low = w.lower()
        if low in _THING_ENDS or (low in STOP_WORDS and phrase):
            break
        if phrase and (low in _IRREGULAR_PARTICIPLES or _participle(low)):
            described = True  # "the term given to ...", "the plan announced on Monday": the noun before
            break
        if w[:1].isupper() or low in STOP_WORDS:  # "which Russian diplomat": a name says no thing
            if phrase:
                break
            continue
        phrase.append(stem(w))
        if not found.group("run"):  # "which hospital treated ...": one noun; "what is the speed limit": a run
            break
    head = phrase[-1] if phrase else ""
    return ("", False) if head in _ASKING_NOUNS or head in _LIGHT else (head, described)


def _participle(word: str) -> bool:
    """True when ``word`` (lowercase) looks like a regular past participle: "announced", not "speed"."""
    return len(word) > 4 and word.endswith("ed") and not word.endswith(("eed", "bed", "shed", "hundred"))


def says_asked_thing(question: str, terms: QuestionTerms, sentence: str, window: set[str]) -> bool:
    """True unless the question asks about a thing (``asked_thing``) that the sentence and the one before
    (``window``: what the two say, ``said_in``) do not name, nor the sentence in a word near it in
    meaning ("goals" for "aim"), or asks "which X" of a sentence that names no X the question does not:
    "About 22,000 vehicles cross the bridge" does not say what the speed limit on the bridge is, nor
    "treated in hospital" which hospital."""
    thing, described = _asked_thing(question, terms)
    if not thing:
        return True
    literal = thing in content_stems(sentence)
    run = bool(_ASKED_THING.match(question).group("run"))  # type: ignore[union-attr]
    form = next((f for t, f in zip(terms.stems, terms.forms, strict=False) if t == thing), thing)
    # a thing the question describes further ("the maximum speed allowed on the bridge") is one the
    # sentence names itself: a word near in meaning ("traffic" for speed, 0.28) says too little of it
    said = (
        literal
        or thing in window
        or (not described and bool(said_otherwise([thing], [form], sentence, THING_NEAR)))
    )
    if run:
        return said
    if _misses_people(terms, window, thing):
        return False  # "which hospital treated the children?": one that treated them
    if not said:
        # "which Veltra Motors vehicle starts at $60,990?": "The Cutter starts at ..." names one without
        # saying "vehicle" (a name of a thing, not of a body: "checks by the Medicines Safety Agency
        # found traces of mould" names no species), when it says itself most of what the question says
        # of it ("starts at"; "Calmira Junior, a paracetamol syrup" after "tests found mould" is no mould)
        others = {t for t in terms.stems if t != thing and t not in terms.specific and t not in _LIGHT}
        return 2 * len(others & said_in(sentence, terms)) >= len(others) and any(
            m.kind == "name" for m in _new_names(question, sentence)
        )
    # "which X": a name the question does not give, an amount, or a number said with the X ("children
    # aged two to twelve"); "Three children were treated in hospital" names no hospital
    tokens = words(sentence)
    at = [i for i, w in enumerate(tokens) if stem(w) == thing]
    if any(j and tokens[j - 1].lower() in _ALL for j in at):
        return True  # "All actions by EU institutions can be reviewed" says which actions: all of them
    if any(_described(tokens[max(0, j - _THING_REACH) : j], terms) for j in at):
        return True  # "the new ferry route to the islands" says which route
    for m in _new_names(question, sentence):
        if m.kind in _PROPER or m.kind in ("money", "percent"):
            return True
        if m.kind == "number":
            i = len(words(sentence[: m.start]))
            if not literal or any(abs(i - j) <= _THING_REACH for j in at):
                return True
    return False


_THING_REACH = 3
# Words that answer "which X?" by saying how many of them: "all actions", "both houses", "every member".
_ALL = frozenset("all both every each".split())


_DETERMINERS = frozenset("the a an its their his her this that these those".split())


def _described(before: Sequence[str], terms: QuestionTerms) -> bool:
    """True when the words before an asked thing open a description the question does not give ("the
    new [route]", "its Brackley [factory]"): a determiner, then a word of the sentence's own."""
    lowered = [w.lower() for w in before]
    opened = max((i for i, w in enumerate(lowered) if w in _DETERMINERS), default=-1)
    return opened >= 0 and any(
        w not in STOP_WORDS and stem(w) not in terms.stems for w in lowered[opened + 1 :]
    )


def _new_names(question: str, sentence: str) -> list[Mention]:
    """The sentence's mentions the question does not name, less a lone word capitalised only for opening
    the sentence ("Anyone with a fever ...")."""
    asked = {m.text.lower() for m in find_mentions(question)}
    return [
        m
        for m in find_mentions(sentence)
        if m.text.lower() not in asked and (" " in m.text or sentence[: m.start].strip(" \"“‘'"))
    ]


def answers_yes_no(question: str, terms: QuestionTerms, window: set[str], title: str) -> bool:
    """True when ``question`` asks yes or no and the sentence states it or its opposite with every word
    the question asks with ("Will schools open on Monday?": "Schools ... will remain closed on
    Monday"; ``window``: what it and the sentence before say, ``said_in``), the story's title counting
    for its topic and its names: it answers, however unsure the selector (trained on questions that
    ask for a phrase, never for yes or no) is."""
    if not _YES_NO.match(question) or re.search(r"\bor\b", question, re.I):
        return False
    known = window | set(content_stems(title))
    asked = [t for t in terms.stems if t not in _LIGHT and t not in _HEDGES]
    return bool(asked) and all(t in known or _OPPOSITES.get(t) in window for t in asked)


# A sentence that goes on from the one before: it opens with a pronoun, names again one of its
# things ("Moscow denies the allegations." after "Moscow also faces allegations ..."), or ends on one
# ("Russia denies this.").
_BACK_REFERENCE = re.compile(r"\b(?:the|this|these|those|such)\s+([\w'’-]+)", re.I)
_ENDS_ON_PRONOUN = re.compile(r"\b(?:this|that|it|them)\s*[.!?]?\s*$", re.I)


# Asking for a reply ("How has Moscow answered the accusations?", "Does Moscow admit ...?"), said by a
# denial or a rejection of what the sentence before it says.
_REPLY_ASKED = frozenset(stem(w) for w in "respond react reply answer admit accept".split())
_REPLIES = frozenset(stem(w) for w in "deny denies denied reject rejected dismiss dismissed refute".split())


def replies(terms: QuestionTerms, sentence: str) -> bool:
    """True when the question asks for a reply and ``sentence`` gives one: a denial or a rejection."""
    return bool(_REPLY_ASKED & set(terms.stems)) and bool(_REPLIES & set(content_stems(sentence)))


def answered_after(question: str, terms: QuestionTerms, sentence: str, before: str, after: str) -> bool:
    """True when a yes/no question's best sentence, or one asked for a reply, lacks a word it asks with
    that the next sentence, going on from it, says ("Does Russia deny committing war crimes?": "Moscow
    also faces allegations ... war crimes in Ukraine." is followed by "Moscow denies the allegations.",
    the answer); a denial says the reply asked ("How has Moscow answered the accusations?"). Any other
    question is answered after its best sentence when the next one opens on it with a pronoun and says
    a word asked that the best lacks ("When will the observers report?": "... will send two observers
    next month." then "Their report is due in January.")."""
    replying = bool(_REPLY_ASKED & set(terms.stems))
    if not after or re.search(r"\bor\b", question, re.I):
        return False
    told = set(content_stems(f"{before} {sentence}"))
    missing = {t for t in terms.stems if t not in told and t not in _LIGHT and t not in _HEDGES}
    said = set(content_stems(after))
    if not (_YES_NO.match(question) or replying):
        # "What did the minister accuse Velmar of?": "Serrana's fisheries minister, Paola Ruiz, said
        # ..." then "She accused Velmar of ...": the sentence naming who, and the one that says it of them
        return bool(missing & said) and needs_context(after)
    if not (missing & said or (missing & _REPLY_ASKED and said & _REPLIES and not told & _REPLIES)):
        return False
    return goes_on_from(sentence, after)


def goes_on_from(sentence: str, after: str) -> bool:
    """True when ``after`` goes on from ``sentence``: it opens with a pronoun, ends on one ("Russia
    denies this.") or names again one of its things ("Moscow denies the allegations.")."""
    named = set(content_stems(sentence))
    return (
        needs_context(after)
        or bool(_ENDS_ON_PRONOUN.search(after))
        or any(stem(m.group(1)) in named for m in _BACK_REFERENCE.finditer(after))
    )


# "What did the ICC do?", "what did the council decide this week?": asked for what someone did, in a
# verb that no sentence need repeat ("issued an arrest warrant", "the city council announced").
_WHAT_DID = re.compile(
    r"^\s*(?:and\s+)?what\s+(?:did|does|do|has|have|had|will)\s+(?P<actor>.+?)\s+"
    r"(?:do|done|doing|decide|decided|announce|announced|agree|agreed|plan|planned|propose|proposed|order|ordered|"
    r"rule|ruled|approve|approved|reveal|revealed|unveil|unveiled)\b[^?]*\??\s*$",
    re.I,
)
_ACTING = re.compile(r"^(?:has|have|had|will|would|is|was|were|are|said|says|\w+ed|\w+s)$", re.I)
_ACT_REACH = 3


def actor_of(question: str) -> tuple[str, ...]:
    """The stems of who "what did X do / decide / announce?" asks about (() for other questions)."""
    found = _WHAT_DID.match(question)
    return tuple(content_stems(found.group("actor"))) if found else ()


def acts(actor: Sequence[str], sentence: str) -> bool:
    """True when the sentence has ``actor`` doing something: its last word followed closely by a
    verb ("the city council announced", "the International Criminal Court (ICC) has issued")."""
    if not set(actor) <= set(content_stems(sentence)):
        return False
    tokens = words(sentence)
    return any(
        stem(w) == actor[-1] and any(_ACTING.match(t) for t in tokens[i + 1 : i + 1 + _ACT_REACH])
        for i, w in enumerate(tokens)
    )


def asked_people(question: str, texts: Sequence[str]) -> list[str]:
    """The surnames of the people the question names, as far as the ``texts`` (the candidate sentences)
    show them to be people: a name after a role or title ("Ambassador-at-Large Rodion Miroshnik"; two
    capitalised words alone may be an outlet, "Northwind Wire", and a company "said" too)."""
    known = {words(name)[-1].lower() for t in texts for name in _titled_people(t)}
    return [
        " ".join(words(m.text))
        for m in find_mentions(question)
        if m.kind in ("person", "name") and words(m.text) and words(m.text)[-1].lower() in known
    ]


def _titled_people(text: str) -> list[str]:
    """The person names of ``text`` that a role precedes ("finance director Tomasz Wierzbicki", "the
    plant's former operations manager, Elena Voss")."""
    found = find_mentions(text)
    roles = [m.end for m in found if m.kind == "role"]
    return [
        m.text
        for m in found
        if m.kind == "person"
        and any(end <= m.start and text[end : m.start] in ("", " ", ", ") for end in roles)
    ]


def names_asked_person(people: Sequence[str], sentence: str, before: str) -> bool:
    """True unless the question names ``people`` and the sentence names none of them (or the one
    before, when it says "he", "him" or "her"): "where did Miroshnik talk to reporters?" is not
    answered by where Zelenskiy ruled out talks, however near Miroshnik's name. A surname counts
    unless every time it is said another first name goes with it: "What did Daniel Okafor say?" is
    not answered by what chairman Richard Okafor said in another company's story."""
    if not people:
        return True
    # the sentence before counts only for a sentence that leans on it ("He told ...", "ordered him to")
    leans = needs_context(sentence) or bool(_PERSONAL_PRONOUN.search(sentence))
    tokens = words(f"{before} {sentence}" if leans else sentence)
    return any(_says_person(name.split(), tokens) for name in people)


def _says_person(name: Sequence[str], tokens: Sequence[str]) -> bool:
    """True when ``tokens`` say the surname of ``name`` once without another person's first name
    before it ("Okafor said", "Mr Okafor", "chairman Okafor" and "Daniel Okafor" all count)."""
    surname, given = stem(name[-1]), [w.lower() for w in name[:-1]]
    for i, token in enumerate(tokens):
        if stem(token) != surname:
            continue
        first = tokens[i - 1] if i else ""
        pair = f"{first} {token}"
        other = bool(given) and first.lower() not in given
        if not (other and any(m.kind == "person" and m.text == pair for m in find_mentions(pair))):
            return True
    return False


_PERSONAL_PRONOUN = re.compile(r"\b(?:he|she|him|his|her|hers)\b", re.I)

# "Who is the head of the environment agency?": the body whose holder is asked, after the role.
_HOLDER_OF = re.compile(
    r"^\s*(?:and\s+)?who\s+(?:is|was|are|were)\s+the\s+[\w -]+?\s+(?:of|at)\s+(?P<body>[^?]+)", re.I
)


def of_asked_body(question: str, terms: QuestionTerms, sentence: str, before: str) -> bool:
    """True unless "who is the <role> of <body>?" names a body in common words ("the environment
    agency") that neither the sentence nor the one before it has: the head of forecasting at the
    weather service is not the head of the environment agency (a named body may be the story's)."""
    found = _HOLDER_OF.match(question)
    if not found:
        return True
    body = [t for t in content_stems(found.group("body")) if t not in terms.specific]
    return not body or bool(set(body) & set(content_stems(f"{before} {sentence}")))
