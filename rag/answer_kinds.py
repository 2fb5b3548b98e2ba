"""What kind of answer a question asks for: a person, a date, a place, a number, a cause...

The selector uses it twice: a sentence that holds a candidate of the asked kind (one the
question does not already name) is more likely to answer, and when no retrieved sentence
holds one, the articles most likely do not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rag.lexicon import ROLES
from rag.mentions import Kind

PEOPLE: frozenset[Kind] = frozenset({"person", "org", "name", "group", "role"})
TIME: frozenset[Kind] = frozenset({"date"})
PLACE: frozenset[Kind] = frozenset({"place", "name"})
COUNT: frozenset[Kind] = frozenset({"number"})
AMOUNT: frozenset[Kind] = frozenset({"money", "number", "percent"})
SHARE: frozenset[Kind] = frozenset({"percent", "number"})
MONEY: frozenset[Kind] = frozenset({"money"})
CAUSE: frozenset[Kind] = frozenset({"cause"})
ROLE: frozenset[Kind] = frozenset({"role"})
ORG: frozenset[Kind] = frozenset({"org", "name"})
DURATION: frozenset[Kind] = frozenset({"date", "number"})
STATEMENT: frozenset[Kind] = frozenset({"statement"})


@dataclass(frozen=True)
class AnswerKind:
    """The asked kind: a label for people to read and the mention kinds that can answer it."""

    label: str
    wanted: frozenset[Kind] = frozenset()
    focus: str = ""  # the noun that names the kind ("position" in "what position ..."): not a topic word

    @property
    def known(self) -> bool:
        """True when the question names a kind the recogniser can look for."""
        return bool(self.wanted)


OTHER = AnswerKind("other")
LABELS = (
    "who", "when", "where", "how many", "how much", "how long", "why", "what position", "what share",
    "which organisation", "what said", "other",
)  # fmt: skip

# Nouns after "which"/"what" (and "how much"/"how many" + noun) that fix the kind.
_NOUN_KINDS: dict[str, AnswerKind] = {
    **dict.fromkeys(["year", "years", "date", "day", "month", "century", "decade", "time", "era", "period"], AnswerKind("when", TIME)),
    **dict.fromkeys(
        ["city", "country", "town", "village", "region", "province", "state", "place", "island", "port", "area",
         "continent", "nation", "location", "river", "capital", "county", "district", "neighbourhood", "sea"],
        AnswerKind("where", PLACE),
    ),
    **dict.fromkeys(
        ["company", "firm", "organisation", "organization", "agency", "group", "party", "team", "court", "bank",
         "exchange", "newspaper", "university", "airline", "network", "club", "body", "institution"],
        AnswerKind("which organisation", ORG),
    ),
    **dict.fromkeys(["position", "title", "role", "job", "post", "office", "rank"], AnswerKind("what position", ROLE)),
    **dict.fromkeys(["percentage", "percent", "proportion", "share", "rate"], AnswerKind("what share", SHARE)),
    **dict.fromkeys(["amount", "sum", "value"], AnswerKind("how much", AMOUNT)),
    **dict.fromkeys(["price", "cost", "revenue", "revenues", "profit", "salary", "fine", "budget", "sales"], AnswerKind("how much", MONEY)),
    **dict.fromkeys(["number", "total", "count", "age"], AnswerKind("how many", COUNT)),
    **dict.fromkeys(
        ["person", "man", "woman", "official", "leader", "president", "minister", "king", "queen", "ruler",
         "emperor", "general", "author", "founder", "player", "artist", "scientist", "member", "people"],
        AnswerKind("who", PEOPLE),
    ),
    **dict.fromkeys(["reason", "cause", "motive"], AnswerKind("why", CAUSE)),
}  # fmt: skip

_RULES: tuple[tuple[re.Pattern[str], AnswerKind], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE if pattern[:1] != "^" else 0), kind)
    for pattern, kind in (
        # "Who is Rodion Miroshnik?" asks what the named person is: a role, not another name.
        (
            r"^(?:[Ww]ho)\s+(?:is|was|are|were)\s+(?:[A-Z][\w'’.-]*\s*){1,4}\??$",
            AnswerKind("what position", ROLE),
        ),
        (r"\bhow\s+many\b", AnswerKind("how many", COUNT)),
        # "How much did it cost?", "how much money ...": an amount of money, not a count or a share.
        (
            r"\bhow\s+much\s+(?:money\b|.*\b(?:cost|costs|costed|pay|pays|paid|spend|spends|spent|earn|earns|earned|"
            r"charge|charged|charges|fined|worth|raise|raised|raises)\b)",
            AnswerKind("how much", MONEY),
        ),
        (r"\bhow\s+much\b", AnswerKind("how much", AMOUNT)),
        (r"\bhow\s+(?:long|old)\b", AnswerKind("how long", DURATION)),
        (r"\bhow\s+(?:far|big|large|tall|high|deep|fast|heavy)\b", AnswerKind("how much", AMOUNT)),
        (r"\bwhat\s+(?:percentage|percent|proportion|share)\b", AnswerKind("what share", SHARE)),
        (
            r"\bwhat\s+(?:did|does|do|has|have|had|is|was|were)\s+.*\b(?:say|said|saying|tell|told|think|thought|claim|"
            r"argue|respond|reply|react|call)\b|\bhow\s+(?:did|does|has|have)\s+.*\b(?:react|respond|reply)\b",
            AnswerKind("what said", STATEMENT),
        ),
        (r"\bwh(?:o|om|ose)\b", AnswerKind("who", PEOPLE)),
        (r"\bwhen\b|\bwhat\s+time\b", AnswerKind("when", TIME)),
        (r"\bwhere\b", AnswerKind("where", PLACE)),
        (
            r"\bwhy\b|\bwhat\s+(?:caused|causes|started|sparked|triggered|prompted|led\s+to|drove)\b"
            r"|\bfor\s+what\s+reason\b|\bhow\s+come\b",
            AnswerKind("why", CAUSE),
        ),
    )
)
_WHICH = re.compile(r"\b(?:which|what)\s+(.*)", re.IGNORECASE)
_LINKS = frozenset(
    "is was were are 's the a an its their his her this that these those kind sort type of".split()
)
_VERB_QUESTION = frozenset("do did does has have had will would can could should may might".split())


def answer_kind(question: str) -> AnswerKind:
    """The kind of answer ``question`` asks for (``OTHER`` when its words do not say)."""
    noun = _focus_noun(question)
    if noun in _NOUN_KINDS:
        return replace(_NOUN_KINDS[noun], focus=noun)
    for pattern, kind in _RULES:
        if pattern.search(question):
            return kind
    return OTHER


def _focus_noun(question: str) -> str:
    """The noun a "which"/"what" question asks about ("what position ...", "what was FTX's revenue")."""
    found = _WHICH.search(question)
    if not found:
        return ""
    raw: list[str] = re.findall(r"[\w'’]+", found.group(1))[:6]
    if raw and raw[0].lower() in _VERB_QUESTION:
        return ""
    for i, original in enumerate(raw):
        word = original.lower()
        if word in _NOUN_KINDS:
            return word
        # "what was Brightline Software's revenue": the owner's name is not the asked noun
        owner = original[:1].isupper() and i > 0 and any(w.endswith(("'s", "’s")) for w in raw[i:])
        if word not in _LINKS and not word.endswith(("'s", "’s")) and not word[0].isdigit() and not owner:
            break
    return ""


# "Who is the judge in ...?", "who was Crestmark's chief executive?": the role the answer must hold.
_ROLE_ASKED = re.compile(
    r"^\s*(?:and\s+)?who\s+(?:is|was|are|were|will\s+be|has\s+been)\s+"
    r"(?:the\s+|[\w.-]+(?:'s|’s)\s+)?(?:new\s+|current\s+|former\s+|then\s+)?"
    r"(?P<role>[a-z][a-z -]*?)(?=\s+(?:of|in|at|for|on|behind|to|who|that)\b|\s*\??\s*$)",
    re.IGNORECASE,
)


def asked_role(question: str) -> str:
    """The role a "who is the <role> ..." question asks about ("" when it names none the lexicon knows)."""
    found = _ROLE_ASKED.search(question)
    role = found.group("role").strip().lower() if found else ""
    return role if role in ROLES else ""
