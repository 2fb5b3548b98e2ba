"""What kind of answer a question asks for: a person, a date, a place, a number, a cause...

The selector uses it twice: a sentence that holds a candidate of the asked kind (one the
question does not already name) is more likely to answer, and when no retrieved sentence
holds one, the articles most likely do not say.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from rag.lexicon import ROLES
from rag.mentions import Kind, find_mentions
from rag.terms import stem

PEOPLE: frozenset[Kind] = frozenset({"person", "org", "name", "group", "role"})
TIME: frozenset[Kind] = frozenset({"date"})
PLACE: frozenset[Kind] = frozenset({"place", "name"})
COUNT: frozenset[Kind] = frozenset({"number"})
AMOUNT: frozenset[Kind] = frozenset({"money", "number", "percent"})
SHARE: frozenset[Kind] = frozenset({"percent", "number"})
MONEY: frozenset[Kind] = frozenset({"money"})
CAUSE: frozenset[Kind] = frozenset({"cause"})
ROLE: frozenset[Kind] = frozenset({"role"})
PERSON: frozenset[Kind] = frozenset({"person", "name"})
ORG: frozenset[Kind] = frozenset({"org", "name"})
DURATION: frozenset[Kind] = frozenset({"date", "number"})
STATEMENT: frozenset[Kind] = frozenset({"statement"})


@dataclass(frozen=True)
class AnswerKind:
    """The asked kind: a label for people to read and the mention kinds that can answer it."""

    label: str
    wanted: frozenset[Kind] = frozenset()
    focus: str = ""  # the noun that names the kind ("position" in "what position ..."): not a topic word
    unit: str = ""  # what "how many" counts ("pilots" in "how many pilots ..."): the number's own noun
    verb: str = ""  # how "how much" money changed hands ("spend" in "how much did it spend"), when said

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
         "exchange", "newspaper", "university", "airline", "network", "club", "body", "institution", "retailer",
         "carmaker", "automaker", "chipmaker", "manufacturer", "startup", "start-up", "insurer", "lender",
         "broadcaster", "regulator", "union", "supplier", "miner", "publisher"],
        AnswerKind("which organisation", ORG),
    ),
    **dict.fromkeys(["position", "title", "role", "job", "post", "office", "rank"], AnswerKind("what position", ROLE)),
    **dict.fromkeys(["percentage", "percent", "proportion", "share", "rate"], AnswerKind("what share", SHARE)),
    **dict.fromkeys(["amount", "sum", "value"], AnswerKind("how much", AMOUNT)),
    **dict.fromkeys(
        ["price", "cost", "revenue", "revenues", "profit", "profits", "salary", "fine", "budget", "sales", "valuation",
         "compensation", "wage", "wages", "earnings"],
        AnswerKind("how much", MONEY),
    ),
    # "What prison sentence did he receive?": a length of time.
    **dict.fromkeys(["sentence"], AnswerKind("how long", DURATION)),
    **dict.fromkeys(["number", "total", "count", "age"], AnswerKind("how many", COUNT)),
    # "what is the population of Coley?" counts the people who live there
    **dict.fromkeys(["population", "populace"], AnswerKind("how many", COUNT, unit="population")),
    **dict.fromkeys(
        ["person", "man", "woman", "official", "leader", "president", "minister", "king", "queen", "ruler",
         "emperor", "general", "author", "founder", "player", "artist", "scientist", "member", "people"],
        AnswerKind("who", PEOPLE),
    ),
    # One person by their job: "which judge", "the name of the coach" is answered by a name, not a body.
    **dict.fromkeys(
        ["judge", "coach", "manager", "executive", "lawyer", "prosecutor", "inspector", "quarterback", "striker",
         "goalkeeper", "captain", "chairman", "chairwoman", "spokesman", "spokeswoman", "spokesperson", "mayor",
         "governor", "candidate", "editor", "analyst", "economist", "doctor", "ceo"],
        AnswerKind("who", PERSON),
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
            r"\bhow\s+much\s+(?:money\b|(?:[\w-]+\s+)?(?:funding|aid|grants?|loans?|investment|compensation|debt|"
            r"cash)\b|.*\b(?:cost|costs|costed|pay|pays|paid|spend|spends|spent|earn|earns|earned|"
            r"charge|charged|charges|fined|worth|raise|raised|raises)\b)",
            AnswerKind("how much", MONEY),
        ),
        (r"\bhow\s+much\b", AnswerKind("how much", AMOUNT)),
        (r"\bwhat\s+(?:did|does|do|will|would)\s+.*\bcost\b", AnswerKind("how much", MONEY)),
        (r"\bhow\s+long\s+ago\b", AnswerKind("when", TIME)),
        (r"\bhow\s+long\b", AnswerKind("how long", DURATION)),
        # "How old is Marsh?": an age ("Marsh, 54,"), or a year for a thing ("opened in 1968").
        (r"\bhow\s+old\b", AnswerKind("how long", DURATION, focus="old")),
        (r"\bhow\s+(?:far|big|large|tall|high|deep|fast|heavy)\b", AnswerKind("how much", AMOUNT)),
        (r"\bwhat\s+(?:percentage|percent|proportion|share)\b", AnswerKind("what share", SHARE)),
        (
            r"\bwhat\s+(?:did|does|do|has|have|had|is|was|were)\s+.*\b(?:say|said|saying|tell|told|think|thought|claim|warn|"
            r"promise|admit|insist|argue|respond|reply|react|call)\b|\bhow\s+(?:did|does|has|have)\s+.*\b(?:react|respond|reply)\b",
            AnswerKind("what said", STATEMENT),
        ),
        (r"\bwh(?:o|om|ose)\b", AnswerKind("who", PEOPLE)),
        (r"\bwhen\b|\bwhat\s+time\b", AnswerKind("when", TIME)),
        (r"\bwhere\b", AnswerKind("where", PLACE)),
        (
            r"\bwhy\b|\bwhat\s+(?:caused|causes|started|sparked|triggered|prompted|led\s+to|drove)\b"
            r"|\bfor\s+what\s+reason\b|\bhow\s+come\b"
            # "How was the man hurt?": what hurt him ("treated for smoke inhalation"), not a manner. (Not
            # "how did he die?": "when a tree fell on his car" says it with no word of a cause.)
            r"|^\s*(?:and\s+)?how\s+(?:was|were|had|has)\s+(?:[\w'’-]+\s+){1,6}?(?:been\s+)?(?:hurt|injured|"
            r"wounded|damaged)\s*\??\s*$",
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
    if _PURPOSE.search(question):  # "what was Miroshnik's job created for?" asks no job but its purpose
        return OTHER
    noun = _focus_noun(question)
    if noun in _NOUN_KINDS:
        return replace(_NOUN_KINDS[noun], focus=noun)
    for pattern, kind in _RULES:
        if pattern.search(question):
            if kind.label == "how many":
                return replace(kind, unit=_unit(question))
            if kind.label == "how much":
                return replace(
                    kind,
                    verb=next((w for w in re.findall(r"[a-z]+", question.lower()) if w in MONEY_VERBS), ""),
                )
            return kind
    return OTHER


_PURPOSE = re.compile(r"^\s*(?:and\s+)?what\b.*\s(?:for|about)\s*\??\s*$", re.IGNORECASE)
_HOW_MANY = re.compile(r"\bhow\s+many\s+((?:[\w'’-]+\s+){0,2}[\w'’-]+)", re.IGNORECASE)
_NOT_UNIT = frozenset("of the a an more times".split())
_PLURALS = frozenset(
    "people children men women staff police personnel crew fish sheep deer aircraft species".split()
)


def _unit(question: str) -> str:
    """What "how many" counts: its first plural noun ("how many Telenord customers" -> "customers")."""
    found = _HOW_MANY.search(question)
    if not found:
        return ""
    for word in found.group(1).lower().split():
        if word in _VERB_QUESTION or word in ("is", "are", "was", "were"):
            return ""
        if word in _PLURALS or (word.endswith("s") and not word.endswith(("ss", "'s", "’s", "us", "is"))):
            return word
    return ""


def _focus_noun(question: str) -> str:
    """The noun a "which"/"what" question asks about ("what position ...", "what was FTX's revenue")."""
    found = _WHICH.search(question)
    if not found:
        return ""
    raw: list[str] = re.findall(r"[\w'’-]+", _NAME_OF.sub(" ", found.group(1)))[:8]
    if raw and raw[0].lower() in _VERB_QUESTION:
        return ""
    for i, original in enumerate(raw):
        word = _singular(original.lower())
        raw[i] = word if word in _NOUN_KINDS else original
        if word in _NOUN_KINDS:
            return _last_noun(raw, i)
        # "what was Brightline Software's revenue": the owner's name is not the asked noun
        owner = original[:1].isupper() and i > 0 and any(w.endswith(_POSSESSIVES) for w in raw[i:])
        if word not in _LINKS and not word.endswith(_POSSESSIVES) and not word[0].isdigit() and not owner:
            # "which mining company", "what prison sentence": a modifier before the asked noun
            following = [w.lower() for w in raw[i + 1 : i + 3]]
            for j, nxt in enumerate(following):
                if nxt in _VERB_QUESTION or nxt in _LINKS:
                    break
                if _singular(nxt) in _NOUN_KINDS:
                    return _last_noun(raw, i + 1 + j)
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
    return _known_role(_ROLE_ASKED.search(question))


def _known_role(found: re.Match[str] | None) -> str:
    """The role a pattern's ``role`` group holds, when the lexicon knows it or its last word ("" else)."""
    role = found.group("role").strip().lower() if found else ""
    if role in ROLES:
        return role
    # "the education minister": a kind of minister, which the transport minister is not
    head = role.rsplit(" ", 1)[-1]
    return role if " " in role and len(role.split()) <= _ROLE_WORDS and head in ROLES else ""


_ROLE_WORDS = 3

# "What did Velmar's foreign minister say?": the speaker asked for by their post.
_ROLE_SPEAKING = re.compile(
    r"^\s*(?:and\s+)?what\s+(?:did|does|has|have|had|will|would)\s+"
    r"(?:the\s+|[\w.-]+(?:'s|’s)\s+)?(?P<role>[a-z][a-z -]*?)\s+"
    r"(?:say|said|tell|told|think|claim|warn|promise|admit|insist|argue)\b",
    re.IGNORECASE,
)


def spoken_role(question: str) -> str:
    """The post of the speaker a "what did the <role> say?" question asks about ("" when it names
    none the lexicon knows): the prime minister's words do not answer for the foreign minister."""
    return _known_role(_ROLE_SPEAKING.search(question))


def role_country(question: str, role: str) -> str:
    """The place whose ``role`` the question asks about ("Who is Ukraine's president?", "... the
    president of Ukraine?": "Ukraine"), "" when it names none."""
    if not role:
        return ""
    places = [m.text for m in find_mentions(question) if m.kind == "place"]
    for place in places:
        owned = rf"{re.escape(place)}['’]s\s+{re.escape(role)}\b|\b{re.escape(role)}\s+of\s+(?:the\s+)?{re.escape(place)}\b"
        if re.search(owned, question, re.I):
            return place
    return ""


def holds_role_of(text: str, role: str, place: str) -> bool:
    """True when ``text`` names ``role`` as the place's: "Ukrainian President", "Ukraine's president",
    "president of Ukraine" (not "President Vladimir Putin" for Ukraine's president)."""
    own = re.escape(role).replace(r"\ ", r"[\s-]+")
    of_place = rf"(?:{re.escape(place)}['’]s|{_demonym_pattern(place)})\s+(?:\w+\s+)?{own}\b"
    return bool(re.search(rf"{of_place}|\b{own}\s+of\s+(?:the\s+)?{re.escape(place)}\b", text, re.I))


def _demonym_pattern(place: str) -> str:
    """What a place's people are called, near enough: "Ukrain\\w+" for Ukraine, "Kazakh\\w*" for
    Kazakhstan, "German\\w*" for Germany (its last vowel, "y" or "-stan" left off)."""
    root = re.sub(r"(?:stan|[aeiouy])$", "", place.lower())
    return rf"\b{re.escape(root)}\w*" if len(root) >= _DEMONYM_ROOT else re.escape(place)


_DEMONYM_ROOT = 4


_POSSESSIVES = ("'s", "’s", "s'", "s’")
# "what was the name of the judge ...": the judge is what is asked for.
_NAME_OF = re.compile(r"\b(?:the\s+)?(?:name|names|identity)\s+of\b", re.IGNORECASE)


def _last_noun(raw: list[str], i: int) -> str:
    """The last of the asked nouns that follow one another from ``raw[i]`` ("exchange founder" -> "founder")."""
    while i + 1 < len(raw) and _singular(raw[i + 1].lower()) in _NOUN_KINDS:
        i += 1
    return _singular(raw[i].lower())


def _singular(word: str) -> str:
    """An asked noun in the singular when only its plural is unknown: "which counties" asks for places."""
    if word in _NOUN_KINDS or not word.endswith("s"):
        return word
    for plural, single in (("ies", "y"), ("es", ""), ("s", "")):
        if word.endswith(plural) and (found := word[: -len(plural)] + single) in _NOUN_KINDS:
            return found
    return word


# Asked nouns whose amount is easily another's ("revenue of $9.4 billion" is no profit): the sentence
# that answers says the noun, or one of these stems.
SAID_WITH: dict[str, frozenset[str]] = {
    **dict.fromkeys(["profit", "profits", "earnings"], frozenset({"profit", "earn", "income", "loss"})),
    **dict.fromkeys(["revenue", "revenues", "sales"], frozenset({"revenu", "sale", "sell", "turnov"})),
    **dict.fromkeys(["salary", "wage", "wages"], frozenset({"salari", "wage", "paid", "pay", "earn"})),
    "valuation": frozenset({"valu", "worth"}),
    "compensation": frozenset({"compens", "payout"}),
    "budget": frozenset({"budget"}),
    "fine": frozenset({"fine", "penalti"}),
    # A job names its holder where the name is given: "Judge Lewis Hart", "striker Kofi Mensah-Lind".
    **{
        role: frozenset({stem(role)})
        for role in (
            "judge",
            "coach",
            "lawyer",
            "prosecutor",
            "inspector",
            "quarterback",
            "striker",
            "goalkeeper",
            "captain",
            "mayor",
            "governor",
            "editor",
            "analyst",
            "economist",
            "doctor",
            "spokesman",
            "spokeswoman",
            "spokesperson",
            "candidate",
        )
    },
    **dict.fromkeys(["executive", "ceo"], frozenset({"execut", "ceo", "boss", "chief"})),
    **dict.fromkeys(["chairman", "chairwoman"], frozenset({"chair", "chairman", "chairwoman"})),
    "manager": frozenset({"manag", "coach", "boss"}),
}
# What "how much did X spend / pay / raise" is said with: "$1,060 a month" is a price, not what was spent.
MONEY_VERBS: dict[str, frozenset[str]] = {
    # what a thing cost someone is what they paid or spent for it: "the system cost the council ..."
    **dict.fromkeys(["spend", "spent", "spends"], frozenset("spend spent invest cost pay paid".split())),
    **dict.fromkeys(
        ["pay", "paid", "pays"],
        frozenset("pay paid payment deal fee buy bought purchas acquir settl cost spend spent".split()),
    ),
    **dict.fromkeys(
        ["earn", "earned", "earns"], frozenset({"earn", "made", "profit", "revenu", "sale", "income"})
    ),
    **dict.fromkeys(
        ["raise", "raised", "raises"], frozenset({"rais", "fund", "fundrais", "donat", "collect"})
    ),
    **dict.fromkeys(["invest", "invested", "invests"], frozenset({"invest", "spend", "spent", "put"})),
}
# "How old ...": an age, or the year a thing was built or founded.
AGE = re.compile(
    r"\b\d{1,3}-year-old\b|\b\d{1,3}\s+years?\s+old\b|\baged?\s+(?:of\s+)?\d{1,3}\b"
    r"|\b[A-Z][\w'’-]+,\s+\d{1,3},|\b(?:1[5-9]|20)\d\d\b"
)
# "What prison sentence ...": a length of time, not any number in the sentence.
LENGTH_NOUNS = frozenset({"sentence"})
LENGTH = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty)"
    r"[\s-]+(?:years?|months?|weeks?|days?)\b|\blife\s+(?:sentence|in\s+prison|imprisonment)\b",
    re.IGNORECASE,
)
# "How long ...": a length of time ("six months", "since 2019", "from 6 a.m. to 2 p.m.", "until
# Tuesday", "into Sunday", "for weeks") or of distance ("an 11-kilometre stretch"), not a day alone.
SPAN = re.compile(
    LENGTH.pattern
    + r"|\b(?:\d[\d,.]*|a|an|one|two|three|four|five|six|seven|eight|nine|ten|several|few)[\s-]+(?:hours?|minutes?"
    r"|seconds?|decades?|century|centuries|(?:kilo|centi|milli)?met(?:re|er)s?|km|miles?|feet|foot|yards?)\b"
    r"|\b(?:since|until|till|throughout|into)\b|\bfrom\b[^;]{1,40}?\b(?:to|until|till)\b"
    r"|\b(?:years|months|weeks|days|hours|decades)\b",
    re.IGNORECASE,
)
