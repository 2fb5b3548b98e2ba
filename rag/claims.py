"""Questions that check reports against each other: which outlet said it, and each claim on its own.

Multi-hop news questions name the outlet that reported something ("..., according to Tech
Ledger", "reported by Silicon Courier to ...") and ask whether one report came before another
or said more than another. The outlet is rarely in the article's text (it is the article's
source and URL), so it is a hint about which articles to read, not words a sentence must
contain. A before/after or more/less question holds two claims; each is answered by its own
sentence, so that the reader sees both reports, cited with their dates.

Pure: from the question text, the candidate sentences' texts and the passages' URLs/titles.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from rag.features import ANTONYMS
from rag.lexicon import PERSON_NOUNS
from rag.terms import STOP_WORDS, content_stems, stem, words

# An outlet's name: capitalised words ("Tech Ledger", "The Daily Meridian"), "of"/"&" inside.
_OPENERS = r"(?:Did|Does|Do|Was|Were|Is|Are|Has|Have|Had|Will|Would|Which|What|Who|Whom|Whose|When|Where|Why|How|After|Before|According|In|On|At|By)\b"
# An outlet in quotes ("according to 'The Verge'") is the same outlet.
_ONE_NAME = (
    rf"['\"‘“]?(?:[Tt]he\s+)?(?!{_OPENERS})[A-Z][\w&.-]*(?:\s+(?:of\s+|&\s+)?[A-Z][\w&.-]*)*(?<![.])['\"’”]?"
)
# One outlet, or several ("according to Daily Meridian and Fairway Post").
_NAME = rf"{_ONE_NAME}(?:\s*(?:,|\band\b)\s*{_ONE_NAME})*"
_POSSESSIVE = r"(?:['’]s)?"
# "according to articles from X", "in a report by X": what an outlet published.
_WRITING = r"(?:articles?|reports?|stories|story|coverage|pieces?|reporting)"
_REPORT_NOUN = r"(?:\s+(?:[\w-]+\s+){0,3}?(?:report|reports|story|article|coverage|piece))?"
_SAME = r"(?:the\s+same\s+(?:outlet|source|publication|paper|site)|that\s+(?:outlet|publication|paper|site))"
# "..., according to Tech Ledger[, ]", "as reported by X", "per X's earnings report": the whole clause goes.
_ACCORDING = re.compile(
    rf",?\s*\b(?:[Aa]ccording\s+to(?:\s+(?:an?\s+|the\s+)?{_WRITING}\s+(?:from|by|in|on))?"
    rf"|as\s+(?:reported|covered|quoted|described)\s+by|[Ii]n\s+(?:an?|the)\s+report\s+by"
    rf"|(?:[Ii]n|[Ff]rom)\s+(?:an?\s+|the\s+)?{_WRITING}\s+(?:from|by|in))\s+"
    rf"(?P<name>{_SAME}|{_NAME}){_POSSESSIVE}{_REPORT_NOUN}(?=\s*(?:[,?:;.]|$)|\s+(?:and|or|but|before|after|than|that|to|is|was|come|came)\b)",
)
# "reported by Tech Ledger to pay ...", "covered by Daily Meridian": the verb stays, "by X" goes.
_BY = re.compile(
    rf"\b(?P<verb>reported|covered|described|quoted|cited|mentioned|noted)\s+by\s+(?P<name>{_SAME}|{_NAME})"
)
# "the scientist that Coastline Observer quoted", "the fan whom Sport Desk interviewed": the person
# as the outlet quoted them; "that X" goes, the verb stays.
_QUOTED = re.compile(
    rf"\b(?:that|whom|who)\s+(?P<name>{_NAME})\s+(?P<verb>quoted|cited|interviewed|profiled|named)\b"
)
# "reported by Tech Ledger to ... and by Silicon Courier to ...": the second "by X" without its verb.
_AND_BY = re.compile(rf"\b(?P<verb>and|or)\s+by\s+(?P<name>{_NAME})")
# "Did Tech Ledger report that ...", "after Fairway Post reported the recall", "Tech Ledger's report that ...".
_SAYS = re.compile(
    rf"\b(?P<name>{_NAME})(?:\s+(?:report|reports|reported|say|says|said|write|writes|wrote|reveal|revealed)\b"
    rf"|['’]s\s+(?:[\w-]+\s+)?(?:report|story|article|coverage)\b(?:\s+(?:of|on|about))?)(?:\s+that\b)?\s*"
)
# "its report that she would return", "it reported their loss": the same outlet again.
_ITS_REPORT = re.compile(
    r"\b(?:its|their)\s+(?:[\w-]+\s+)?(?:report|story|article)\b(?:\s+(?:of|on|about|that))?\s*"
    r"|\b(?:it|they)\s+(?:reported|said|wrote)\b(?:\s+that)?\s*",
    re.I,
)
# Comparative words that say a comparison question compares two claims.
_MORE = (
    r"more|less|fewer|larger|bigger|greater|higher|lower|smaller|faster|slower|cheaper|dearer|longer|shorter|"
    r"earlier|later|older|newer|better|worse|bigger"
)
_THAN = re.compile(rf"\b(?:{_MORE})\b.*?\bthan\b", re.I)
_EXCEED = re.compile(
    r"\b(?:exceed|exceeded|exceeds|surpass|surpassed|outnumber|outnumbered|top|topped)\b", re.I
)
_WHEN = re.compile(
    r"\s*,?\s*\b(?:(?:come|came|happen|happened|occur|occurred)\s+)?"
    r"(?:before\s+or\s+after|after\s+or\s+before|before|after|earlier\s+than|later\s+than|prior\s+to)\b\s*",
    re.I,
)
_LEADING_WHEN = re.compile(r"^\s*(?:after|before)\b\s*(?P<first>[^,]+),\s*(?P<second>.+)$", re.I)
_FIRST = re.compile(
    r"^\s*(?:which|what)\s+(?:came|happened|was\s+reported|occurred)\s+(?:first|earlier|last|later)\b\s*[:,]?\s*(?P<rest>.+)$",
    re.I,
)
_OPTIONS = re.compile(r"^(?P<head>.+)\s*[:,]\s*(?P<a>[^,:]+?),?\s+or\s+(?P<b>[^,:]+?)\s*\??$", re.I)
_YES_NO = re.compile(r"^\s*(?:did|does|do|was|were|is|are|has|have|had|will|would|can|could)\b", re.I)
_WH = re.compile(r"^\s*(?:which|what|who|whom|whose|when|where|why|how)\b", re.I)

_PRONOUN = re.compile(r"\b(?:its|their|they|it|he|she|his|her|him|them)\b", re.I)

Shape = Literal["temporal", "comparison", "choice", "inference", "yes/no", "wh"]


@dataclass(frozen=True)
class Claim:
    """One thing the question says was reported, without its outlet, and the outlet it names ("" if none)."""

    text: str
    outlet: str = ""
    # Names a claim without any of its own leans on ("their pay deal" after "Bellhaven Air's strike").
    borrowed: str = ""
    # Stems of the names only this claim has ("Lisvane" of "Westhaven's match against Lisvane" beside
    # "their win over Corrigan"): a sentence backing it says one of them.
    own: frozenset[str] = frozenset()

    @property
    def searched(self) -> str:
        """The words a sentence backing the claim should have."""
        return f"{self.text} {self.borrowed}".strip()


@dataclass(frozen=True)
class Reading:
    """The question as a reader of sources takes it: its shape, the question with outlets left out,
    its claims, and the outlets it names."""

    shape: Shape
    question: str
    claims: tuple[Claim, ...]
    outlets: tuple[str, ...]

    @property
    def checks_reports(self) -> bool:
        """True when the question is answered by evidence for each claim rather than by one fact."""
        return self.shape in ("temporal", "comparison", "choice", "inference") or (
            self.shape == "yes/no" and bool(self.outlets)
        )


def read(question: str, texts: Sequence[str], sources: Sequence[str | None]) -> Reading:
    """``question`` read against the candidate sentences' ``texts`` and the passages' ``sources``
    (their URLs and titles, None for an article without a link): a capitalised name is taken for an outlet when a source's web address
    spells it or no sentence mentions it ("according to Russia" keeps Russia, whom the text quotes)."""
    said = {w.lower() for t in texts for w in words(t)}
    hosts = [_host(s) for s in sources]

    def is_outlet(name: str) -> bool:
        plain = _plain(name)
        squashed = _squashed(plain)
        if not squashed or _SAME_RE.fullmatch(name):
            return bool(squashed)
        if any(squashed in h for h in hosts if h):
            return True
        return not any(w.lower() in said for w in words(plain))

    stripped, outlets = _strip(question, is_outlet)
    shape, spans = _split(question)
    if shape == "wh" and len(by_outlet := _by_outlet(question, is_outlet)) > 1:
        shape, spans = "inference", by_outlet
    claims: list[Claim] = []
    last = ""
    for span in spans:
        text, named = _strip(span, is_outlet)
        outlet = named[0] if named else ""
        if outlet and _SAME_RE.fullmatch(outlet):
            outlet = last
        last = outlet or last
        claims.append(Claim(text.strip(" ,;:?") or span, outlet))
    kept = tuple(dict.fromkeys(o for o in outlets if not _SAME_RE.fullmatch(o)))
    names = [_names(c.text) for c in claims]
    # a pronoun stands for one of them: the first name run ("Westhaven" of "Westhaven's match against Lisvane")
    lent = next((_first_name(c.text) for c, n in zip(claims, names, strict=True) if n), "")
    claims = [
        replace(c, borrowed=lent)
        if lent and n != lent and _leans_back(c.text) and shape != "inference"
        else c
        for c, n in zip(claims, names, strict=True)
    ]  # in "which team lost ... and later fired its coach", "its" is the team asked for
    if len(kept) == 1:  # "According to Market Pulse, did A grow faster than B?": both claims are its
        claims = [c if c.outlet else replace(c, outlet=kept[0]) for c in claims]
    stems = [{stem(w) for w in words(_names(c.searched))} for c in claims]
    claims = [
        replace(c, own=frozenset(mine.difference(*(s for s in stems if s is not mine))))
        for c, mine in zip(claims, stems, strict=True)
    ]
    return Reading(shape, stripped, tuple(claims), kept)


_SAME_RE = re.compile(_SAME, re.I)


def _leans_back(text: str) -> bool:
    """Whether a claim's pronoun has no name before it in the claim, so means one named earlier:
    "his two goals against Wrexford" are another claim's player's, while in "Tallis shares fell
    after its results" "its" is Tallis."""
    pronoun = _PRONOUN.search(text)
    return bool(pronoun) and not _names(text[: pronoun.start()] if pronoun else "")


def _first_name(text: str) -> str:
    """The first run of capitalised words of ``text`` (its first word too, unless a question word)."""
    run: list[str] = []
    for w in words(text):
        if w[:1].isupper() and w.lower() not in STOP_WORDS:
            run.append(w)
        elif run:
            break
    return " ".join(run)


def _names(text: str) -> str:
    """The capitalised words and numbers of ``text`` (its first word too, unless a question word)."""
    return " ".join(
        w for w in words(text) if (w[:1].isupper() or w[:1].isdigit()) and w.lower() not in STOP_WORDS
    )


def _plain(name: str) -> str:
    return re.sub(r"^[Tt]he\s+", "", name.strip().strip("'\"‘’“”")).strip()


def _squashed(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _host(url: str | None) -> str:
    """The web address's host, squashed ("" for an article without a link)."""
    return _squashed(urlsplit(url).netloc or url) if url else ""


def from_outlet(outlet: str, url: str | None, title: str = "") -> bool:
    """True when the passage's web address (None: no link) or its title names ``outlet`` ("Tech
    Ledger" in techledger.example)."""
    squashed = _squashed(_plain(outlet))
    if not squashed:
        return False
    return squashed in _host(url) or _plain(outlet).lower() in title.lower()


def _strip(text: str, is_outlet: object) -> tuple[str, list[str]]:
    """``text`` less its attribution clauses, and the outlets they name, in order of appearance."""
    check = is_outlet if callable(is_outlet) else (lambda _: True)
    found: list[tuple[int, str]] = []

    def drop(match: re.Match[str], keep: str = "") -> str:
        names = [n for n in re.split(r"\s*(?:,|\band\b)\s*", match["name"]) if n]
        if not all(check(n) for n in names):
            return match.group(0)
        found.extend((match.start(), n if _SAME_RE.fullmatch(n) else _plain(n)) for n in names)
        return keep

    text = _ACCORDING.sub(lambda m: drop(m, ""), text)
    text = _BY.sub(lambda m: drop(m, m["verb"]), text)
    text = _AND_BY.sub(lambda m: drop(m, m["verb"]), text)
    text = _QUOTED.sub(lambda m: drop(m, m["verb"]), text)
    text = _SAYS.sub(lambda m: drop(m, ""), text)
    text, again = _ITS_REPORT.subn("", text)
    if again:
        found.append((len(text), "the same outlet"))
    text = re.sub(r"\s+([,?.:;])", r"\1", re.sub(r"\s{2,}", " ", text)).strip()
    text = re.sub(r"^([,;:]\s*)+", "", text)
    return text, [name for _, name in sorted(found)]


# After an outlet's part, another thing said of what is asked, by any outlet: "..., and later fired its coach".
_AND_LATER = re.compile(r"\s*,?\s*\band\s+(?:later\s+|then\s+|also\s+)?(?!by\b)\w+\s+\w+.*\w", re.I)
# Where one outlet's part of a question ends and the next one's begins: ", and", "and", ",".
_BOUNDARY = re.compile(r",?\s*\band\b|,")


def _by_outlet(question: str, is_outlet: Callable[[str], bool]) -> list[str]:
    """A wh-question's parts, one per outlet it names ("Which quarterback threw three touchdowns
    according to Sport Desk, and tore a ligament according to Fairway Post?"), or [] with fewer than
    two. An "according to X" closes its part; "reported by X to ..." opens one."""
    marks: list[tuple[int, int, int, bool]] = []  # attribution start, name end, name start, closes
    for pattern, closes in ((_ACCORDING, True), (_BY, False), (_AND_BY, False)):
        for m in pattern.finditer(question):
            names = [n for n in re.split(r"\s*(?:,|\band\b)\s*", m["name"]) if n]
            known = names and all(is_outlet(n) for n in names) and not _SAME_RE.fullmatch(m["name"])
            if known and all(not (a <= m.start("name") < b) for a, b, _, _ in marks):
                marks.append((m.start(), m.end("name"), m.start("name"), closes))
    marks.sort(key=lambda x: x[2])
    if len(marks) == 1 and marks[0][3] and (more := _AND_LATER.match(question, marks[0][1])):
        return [question[: more.start()], question[more.start() :]]  # "... and later fired its coach"
    if len({question[x[2] : x[1]] for x in marks}) < 2:
        return []
    cuts = [0]
    for (_, end, _, closes), (start, _, _, next_closes) in itertools.pairwise(marks):
        if not next_closes:  # "... and by Silicon Courier to have launched ...": the next part opens here
            cuts.append(start)
            continue
        gaps = list(_BOUNDARY.finditer(question, end, start))
        if not gaps:
            return []
        cuts.append((gaps[0] if closes else gaps[-1]).start())
    cuts.append(len(question))
    return [question[a:b] for a, b in itertools.pairwise(cuts)]


_LEADING_ACCORDING = re.compile(r"^\s*according\s+to\s+[^,]+,\s*", re.I)


def _split(question: str) -> tuple[Shape, list[str]]:
    """The question's shape and the spans of its claims (the whole question when it makes one)."""
    q = _LEADING_ACCORDING.sub("", question.strip())
    if first := _FIRST.match(q):
        options = _either(first["rest"])
        if options:
            return "temporal", options
    if lead := _LEADING_WHEN.match(q):
        return "temporal", [lead["first"], lead["second"]]
    if _YES_NO.match(q):
        if _WHEN.search(q) and not _THAN.search(q):
            parts = [p for p in _WHEN.split(q, maxsplit=1) if p.strip(" ,?")]
            if len(parts) == 2:
                return "temporal", parts
        if _THAN.search(q):
            left, right = re.split(r"\bthan\b", q, maxsplit=1, flags=re.I)
            return "comparison", [left, right]
        if _EXCEED.search(q):
            left, right = _EXCEED.split(q, maxsplit=1)
            return "comparison", [left, right]
        return "yes/no", [q]
    choice = _OPTIONS.match(q) if _WH.match(q) else None
    if choice:
        head = choice["head"]
        return "choice", [f"{head}: {choice['a']}", f"{head}: {choice['b']}"]
    return "wh", [q]


def _either(text: str) -> list[str]:
    """ "A, or B?" -> [A, B]."""
    parts = re.split(r",?\s+\bor\b\s+", text.strip(" ?"), maxsplit=1)
    return [p for p in parts if p.strip()] if len(parts) == 2 else []


# Words that say something was reported, not what: no sentence needs them.
_REPORTING = frozenset(
    {"report", "accord", "outlet", "stori", "articl", "came", "come", "first", "happen", "earlier", "later"}
    | {stem(w) for w in _MORE.split("|")}
    | {stem(w) for w in "exceed surpass outnumb top overal both either".split()}
)
# A title's words count for this share of a sentence's: "its revenue" in an article titled "Corvane ...".
TITLE_WEIGHT = 0.5


# Words news uses for the same event: a claim that Ashford "won" is backed by "Ashford beat Carlow",
# "Marsh was convicted" by "a jury found Marsh guilty". Stems; only claims are read with them.
_SAME_EVENT = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "win won wins winning victory beat beaten beats defeat defeated thrash thrashed",
        "loss lose lost losing beat beaten defeat defeated",
        "score scored scores scoring goal goals",
        "convict convicted conviction guilty verdict",
        "testimony testify testified testifies testifying",
        "settle settled settlement settlements",
        "sack sacked fire fired dismiss dismissed oust ousted remove removed removal",
        "hire hired appoint appointed appointment name named",
        "injury injured injuries hurt tear tore torn",
        "launch launched unveil unveiled release released introduce introduced",
        "growth grow grew grown rise rose risen increase increased jump jumped climb climbed up",
        "fall fell fallen drop dropped decline declined slump slumped down",
        "valuation valued value worth",
        "cut cuts slash slashed reduce reduced",
        "approve approved approval clear cleared",
        "recall recalled recalls recalling",
        "strike strikes striking walkout walked",
        "sale sales sold sell spent",
        "fine fined penalty",
        "sue sued lawsuit lawsuits",
        "delay delayed postpone postponed",
        "open opened opening reopen reopened reopening",
        "close closed closure shut halt halted",
        # irregular verbs the stemmer leaves apart ("became" / "become")
        "become became",
        "take took taken",
        "lead led",
        "pay paid",
        "buy bought",
        "build built",
        "begin began begun",
        "throw threw thrown",
        "tell told",
        "make made",
        "give gave given",
        "hold held",
        "meet met",
        "leave left",
        "go went gone",
        "come came",
        "run ran",
        "spend spent",
        "strike struck",
        "find found",
        "bring brought",
        "keep kept",
        "lose lost",
        "send sent",
    )
)
# Words that name who or what a claim is about ("the coach", "the company"), like its names do.
_IDENTIFIERS = frozenset(stem(w) for phrase in PERSON_NOUNS for w in phrase.split()) | frozenset(
    stem(w) for w in "team club side player striker quarterback winger forward".split()
)


def _with_same_events(stems: set[str]) -> set[str]:
    """``stems`` and every word news uses for the same events."""
    return stems.union(*(g for g in _SAME_EVENT if g & stems))


@dataclass(frozen=True)
class Support:
    """How much of a claim a sentence says: its names and numbers, its other words, and whether it
    says what happened (one of the claim's event words, when it has any)."""

    names: float
    rest: float
    overall: float
    event: bool = True
    own: bool = True

    def backs(self, least: float) -> bool:
        """True when the sentence says at least ``least`` of the claim and of its names, what happened
        ("Ostrava Chips reported revenue of $9.4 billion" does not back "Ostrava Chips cut jobs"), and
        a name only this claim has, when it has one (the win over Corrigan is not the Lisvane match)."""
        return self.overall >= least and self.names >= least and self.event and self.own


def support(
    claim: str,
    sentence: str,
    title: str,
    idf: dict[str, float],
    before: str = "",
    own: frozenset[str] = frozenset(),
) -> Support:
    """Shares of the claim's words the sentence has, each weighted by how rare it is among the
    candidates; words only its article's title or the sentence ``before`` it have count for less ("its
    revenue" in a story titled "Corvane ...", "Castellano scored twice" after "Kelso Harriers beat
    Wrexford Athletic"), though what happened must be in the sentence or the title. Words news uses
    for the same event count as the claim's ("beat" for "win"). ``own``: the names only this claim
    has (``Claim.own``), one of which the sentence, the one before or the title must say."""
    asked = [t for t in dict.fromkeys(content_stems(claim)) if t not in _REPORTING]
    named = {stem(w) for w in words(_names(claim))}
    # "up 11%" says revenue grew: stop words count here, as words for an event
    have = _with_same_events(set(content_stems(sentence)) | {stem(w) for w in words(sentence)})
    headline = _with_same_events(set(content_stems(title))) - have
    titled = headline | (set(content_stems(before)) - have)
    events = [t for t in asked if t not in named and t not in _IDENTIFIERS]
    event = not events or any(t in have or t in headline for t in events)

    def share(terms: Sequence[str]) -> float:
        total = sum(idf.get(t, 1.0) for t in terms)
        found = sum(idf.get(t, 1.0) for t in terms if t in have)
        found += TITLE_WEIGHT * sum(idf.get(t, 1.0) for t in terms if t in titled)
        return found / total if total else 1.0

    if not asked:
        return Support(0.0, 0.0, 0.0, False)
    return Support(
        share([t for t in asked if t in named]),
        share([t for t in asked if t not in named]),
        share(asked),
        event,
        not own or bool(own & (have | titled | {stem(w) for w in words(f"{before} {title}")})),
    )


def rarity(claims: Sequence[str], texts: Sequence[str]) -> dict[str, float]:
    """IDF of each claim word over the candidate sentences: a word every candidate has says little."""
    sets = [set(content_stems(t)) for t in texts]
    n = len(sets)
    stems = {t for c in claims for t in content_stems(c)}
    return {t: math.log(1 + (n - (df := sum(t in s for s in sets)) + 0.5) / (df + 0.5)) for t in stems}


def option_named(claim: str, sentence: str) -> bool:
    """For one side of "which X: A or B?" (``claim`` is "X: A"), True when the sentence names A:
    a sentence about the question's other names says nothing of which side it was."""
    if ":" not in claim:
        return True
    option = {stem(w) for w in words(_names(claim.rsplit(":", 1)[1]))}
    return not option or option <= set(content_stems(sentence))


T = TypeVar("T")
# Sentences weighed per claim when the claims' evidence is chosen together.
ASSIGN_DEPTH = 4


def assign(options: Sequence[Sequence[tuple[float, T]]], key: Callable[[T], Hashable]) -> list[T | None]:
    """One item per claim (``options``: each claim's (score, item) pairs), no item twice, the sum of
    scores the highest: the sentence that backs "the board removed Orlov" best is not taken by "she
    would return" because that claim was read first. A claim without options gets None."""
    shortlists: list[list[tuple[float, T | None]]] = [
        list(sorted(o, key=lambda x: -x[0])[:ASSIGN_DEPTH]) or [(0.0, None)] for o in options
    ]
    best: tuple[float, ...] | None = None
    chosen: list[T | None] = [None] * len(options)
    for combo in itertools.product(*shortlists):
        items = [item for _, item in combo if item is not None]
        if len({key(i) for i in items}) < len(items):
            continue
        total = (sum(score for score, _ in combo),)
        if best is None or total > best:
            best, chosen = total, [item for _, item in combo]
    return chosen


# "Who was named interim chief executive when the board removed Orlov?": the clause after "when" says
# what the reader already knows, the one before it what is asked.
_PREMISE = re.compile(
    r"^(?P<asked>\s*(?:which|what|who|whom|whose|where|how)\b.{8,}?)\s*,?\s+"
    r"(?:when|after|before|as|while|once|since|following)\s+(?P<known>.{8,}?)\s*\??\s*$",
    re.I,
)


def without_premise(question: str) -> str:
    """The asked part of a wh-question that also states what happened around it ("Who took charge of
    Ashford Rovers" of "... after the manager was sacked?"), or "" when it states nothing: a sentence
    about the premise restates the question, and one about the asked part answers it."""
    found = _PREMISE.match(question)
    return f"{found['asked'].strip()}?" if found else ""


def says_asked_event(question: str, sentence: str, title: str, before: str = "") -> bool:
    """True when the sentence (with the one ``before`` it) or its article's title says one of the
    question's event words, or a word news uses for the same event, when it has any: "When did Orlov
    become chief executive?" is not answered by the day the board removed her; and when it says what
    the question asks (``says_asked``)."""
    return support(question, f"{before} {sentence}", title, {}).event and says_asked(
        question, sentence, title, before
    )


def says_asked(question: str, sentence: str, title: str, before: str = "") -> bool:
    """True when the sentence itself says the relation the question asks about (``says_relation``):
    "Who owns the Dunmere warehouse?" is not answered by the fire at the warehouse, nor "Who took the
    wickets?" by the sentence after "Lisvane won by six wickets"; and it, the one before or the title
    names what the relation applies to, when it applies to names (``asked_object``): "Who scored
    Stanmore Town's goal?" is not answered by "Castellano had scored four goals in five games"."""
    if not says_relation(asked_relation(question), sentence):
        return False
    names = {stem(n) for n in asked_object(question)}
    return not names or bool(names & {stem(w) for w in words(f"{before} {sentence} {title}")})


# How a question's clause is read for its verb: words with their case and "'s", and commas.
_TOKEN = re.compile(r"[A-Za-z0-9À-ÿ]+(?:[-'’][A-Za-z0-9]+)*(?:['’](?!\w))?|[,(]")
_POSSESSIVE_ENDS = ("'s", "’s", "'", "’")
_MODALS = frozenset("will would can could should may might shall must".split())
_DO = frozenset("do does did".split())
_HAVE = frozenset("has have had".split())
_BE = frozenset("is are was were be been being".split())
_DETERMINERS = frozenset(
    "the a an its their his her this that these those our my your some any each every".split()
)
# What may follow a verb that a noun of the subject is rarely followed by ("cost Halcyon", "refund the").
_AFTER_VERB = _DETERMINERS | frozenset("up out off down back away by twice".split())
# Verbs that ask for no relation of their own: "what did the ICC do?", "who is the mayor?", "what did
# Reyes say?" (the answer kinds and the reporting checks read those).
_LIGHT = frozenset(
    stem(w)
    for w in "be become have do get go make take give say tell happen come seem mean hold serve expect plan "
    "want try hope".split()
)
# Words of place and time between a verb and its object ("derail near Ostley"): never the verb.
_PREPOSITIONS = frozenset(
    "near against until within across through without between among toward towards despite per via "
    "since behind beside amid along around inside outside onto upon beyond".split()
)
_WH_NOUN = frozenset("which what whose".split())
_WH_ADVERB = frozenset("when where why how".split())


@lru_cache(maxsize=1024)
def asked_relation(question: str) -> str:
    """The verb of what a wh-question asks ("owns" of "Who owns the Dunmere warehouse where the fire
    broke out?", "cost" of "How much will the Packrunner recall cost Halcyon?"), or "" when it asks
    with a light verb ("Who is the mayor?", "What did the ICC do?") or its verb cannot be told.

    Read from the word order, without a tagger: after "who" or a "which ..." noun, the first word
    that looks like a verb ("-ed", a past form, "-s" after a singular noun, or a word followed by
    what follows verbs); after an auxiliary ("will", "did", "is"), the word after a named subject
    ("will Harlow Vale pay"), else the first word of the subject's noun run followed by what
    follows verbs ("will the Packrunner recall cost Halcyon")."""
    raw = _TOKEN.findall(question)
    low = [t.lower() for t in raw]
    at = _relation_at(raw, low)
    if at >= 0 and stem(raw[at]) in _CARRIED_BY_OBJECT:
        return _noun_run(raw, low, at + 1)  # "who took the wickets": the wickets say what was done
    if at >= 0:
        return low[at] if stem(raw[at]) not in _LIGHT else ""
    copula = _WHO_IS.match(question)
    if copula:  # "who was the pilot of the jet": no sentence naming a pilot says who
        start = len(_TOKEN.findall(copula.group(0)))
        role = _noun_run(raw, low, start)
        return "" if role in _ANYONE else role
    return ""


# Light verbs whose object says what was done: "took the wickets", "take charge", "gave evidence".
_CARRIED_BY_OBJECT = frozenset(stem(w) for w in "take took taken give gave given".split())
# "Who is the ...", "who was Crestmark's ...": asked for whoever holds a role.
_WHO_IS = re.compile(r"^\s*(?:and\s+)?who\s+(?:is|was|are|were|will\s+be|has\s+been)\s+", re.I)
# Nouns that name anyone at all: "who is the man that ..." asks for no role.
_ANYONE = frozenset("man woman person people one".split())


def _noun_run(raw: Sequence[str], low: Sequence[str], i: int) -> str:
    """The words of the noun phrase from ``i`` that say what it is, names, determiners and numbers
    left out ("chief operating officer" of "Skylark Air's chief operating officer in ...", "pilot"
    of "the pilot of the jet", "scientist" of "the Ardent Bio scientist quoted on ...")."""
    run: list[str] = []
    for m in range(i, len(low)):
        word = low[m]
        if word in ",(" or word in _CLAUSE_ENDS or word in _PREP_LIKE:
            break
        if (
            word in _DETERMINERS
            or raw[m][:1].isupper()
            or raw[m].endswith(_POSSESSIVE_ENDS)
            or word[:1].isdigit()
        ):
            if run:
                break
            continue
        if word in STOP_WORDS or (run and word.endswith("ed")):
            break  # "the scientist | quoted on ..."
        run.append(word)
    return " ".join(run)


# Where what a relation applies to ends: "Who owns the Dunmere warehouse | where the fire broke out?"
_CLAUSE_ENDS = frozenset(
    "where when after before while since until that which who whom whose as because if".split()
)


@lru_cache(maxsize=1024)
def asked_object(question: str) -> tuple[str, ...]:
    """The names the asked relation applies to ("Stanmore", "Town" of "Who scored Stanmore Town's goal
    in the draw with Kelso Harriers?"): the capitalised words of its object, the words right after the
    verb up to a preposition or a clause that only sets the scene ("where the fire broke out")."""
    raw = _TOKEN.findall(question)
    at = _relation_at(raw, [t.lower() for t in raw])
    if at < 0 or stem(raw[at]) in _LIGHT:
        return ()
    names: list[str] = []
    for word in raw[at + 1 :]:
        if word in ",(" or word.lower() in _CLAUSE_ENDS or word.lower() in _PREP_LIKE:
            break  # "in the draw with Kelso Harriers", "(the Kanta floods)": where, not what
        if word[:1].isupper() and word.lower() not in STOP_WORDS:
            names.extend(words(word))  # "Bankman-Fried" as the sentence's words read it
    return tuple(names)


def _relation_at(raw: Sequence[str], low: Sequence[str]) -> int:
    """The index of the asked relation's verb among the question's tokens (-1: none)."""
    i = 0
    while i < len(low) and low[i] in ("and", "but", "so"):
        i += 1
    if i >= len(low):
        return -1
    wh, i = low[i], i + 1
    if wh == "how" and i < len(low) and low[i] in ("many", "much"):
        wh, i = "which", i + 1
    elif wh == "how" and i < len(low) and low[i] not in _DO | _MODALS | _HAVE | _BE:
        i += 1  # "how long", "how old"
    if wh in _WH_ADVERB:
        return _after_auxiliary(raw, low, i) if i < len(low) and _auxiliary(low[i]) else -1
    if wh not in _WH_NOUN and wh not in ("who", "whom"):
        return -1  # a yes/no question: its words are read as claims
    start = i
    while i < len(low):
        word = low[i]
        if word in ",(":
            return -1  # "Which energy company, reported by ...": a claim per outlet, not one verb
        if _auxiliary(word):
            return _after_auxiliary(raw, low, i)
        if (i > start or wh in ("who", "whom")) and _verb_like(raw, low, i, start):
            return i
        if i == start and wh == "what" and (word.endswith("ed") or word in _PAST):
            return i  # "what caused ...", not "what position ..."
        i += 1
    return -1


def _auxiliary(word: str) -> bool:
    return word in _MODALS or word in _DO or word in _HAVE or word in _BE


def _verb_like(raw: Sequence[str], low: Sequence[str], i: int, start: int) -> bool:
    """Whether ``raw[i]``, in a subject question, is its verb: "who owns", "which club sacked",
    "which company operates the line", "how many vehicles a day cross the bridge"."""
    word = low[i]
    if not _content(raw, low, i):
        return False
    if i == start:  # "who <verb>": nothing stands between
        return True
    previous = low[i - 1]
    if previous in _DETERMINERS:
        return False
    if word.endswith("ed") or word in _PAST:
        return True
    # "company operates the line", not "Palestinian prisoners were", "member states does"
    return i + 1 < len(low) and _opens_object(raw[i + 1], low[i + 1]) and not raw[i - 1][:1].isupper()


def _content(raw: Sequence[str], low: Sequence[str], i: int) -> bool:
    """Whether a token may be a verb at all: a lower-case word, no stop word, place word or number."""
    word = low[i]
    return not (
        word in ",("
        or word in STOP_WORDS
        or word in _PREPOSITIONS
        or word[:1].isdigit()
        or raw[i][:1].isupper()
        or raw[i].endswith(_POSSESSIVE_ENDS)
    )


def _ends_subject(raw: Sequence[str], low: Sequence[str], k: int) -> bool:
    """Whether the word before ``k`` can end a subject and be its verb: "the Supreme Court vote | on",
    not "the Packrunner recall | cost" nor "the Green line | have"."""
    return k == len(low) or not (_content(raw, low, k) or stem(low[k]) in _LIGHT or _auxiliary(low[k]))


def _opens_object(raw: str, low: str) -> bool:
    """Whether a word is one that follows a verb: a name, a determiner, a number, a particle."""
    return raw[:1].isupper() or low in _AFTER_VERB or low[:1].isdigit()


def _participle(word: str) -> bool:
    """Whether a word reads as a participle after "is" or "was" ("appointed", "paid", "fighting")."""
    return word.endswith(("ed", "en", "ing")) or word in _PAST


def _bare(word: str) -> bool:
    """Whether a word can be the bare verb after "did" or "will": "carrying" and "affected" in "did
    the rocket carrying MetSat-7 lift off" describe the subject ("need", "exceed" are bare)."""
    return not word.endswith(("ing", "ed")) or word.endswith("eed")


def _after_auxiliary(raw: Sequence[str], low: Sequence[str], i: int) -> int:
    """The verb after the auxiliary at ``i``: "Who will lead", "who was appointed", "will Harlow Vale
    pay", "did the repairs to the bridge cost"; -1 for a copula ("who is the mayor", "what was
    inflation in June")."""
    aux, j, n = low[i], i + 1, len(low)
    if j < n and low[j] == "be":  # "will be cut": a passive; "will be the next coach": a copula
        aux, j = "be", j + 1
    if j >= n:
        return -1
    passive = aux in _BE
    if passive and low[j] in _DETERMINERS:
        return -1  # "who is the mayor", "who is the scientist quoted on ...": a copula asks for no relation
    fits = _participle if passive else (_bare if aux in _DO | _MODALS else (lambda _: True))
    if low[j] in _PRONOUNS:  # "how much did he take", "where were they taken"
        j += 1
        return j if j < n and _content(raw, low, j) and fits(low[j]) else -1
    if _content(raw, low, j):
        if passive and _participle(low[j]):
            return j  # "who was appointed", "how many jobs will be cut", "are fighting"
        # "who will lead Harlow Vale", "which insurer will pay for", "have signed up"; not "will
        # prosecutors seek" (after "did" a subject always comes first)
        if aux not in _DO and not passive and (j + 1 == n or not _content(raw, low, j + 1)):
            return j
    k = j + 1 if low[j] in _DETERMINERS and j + 1 < n and raw[j + 1][:1].isupper() else j
    if raw[k][:1].isupper():  # "will Harlow Vale pay", "did the Supreme Court vote on", "is Rask paid"
        bare = k == j  # no "the" before the name
        while k < n and raw[k][:1].isupper() and not raw[k].endswith(_POSSESSIVE_ENDS):
            k += 1
        if k < n and raw[k].endswith(_POSSESSIVE_ENDS):
            if passive:
                return -1  # "what was FTX's revenue": a copula asks for no relation
        elif k < n and _content(raw, low, k) and fits(low[k]) and (bare or _ends_subject(raw, low, k + 1)):
            return k  # a name, then its verb; after "the" a name may be a noun's ("the Packrunner recall")
    weak = -1
    for m in range(j, n):
        word = low[m]
        if word in ",(" or (m > j and word in _CLAUSE_ENDS):
            break  # "how old was Owusu | when she died"
        if stem(word) in _LIGHT and low[m - 1] not in _DETERMINERS:
            return weak  # "what did Tallis's chief executive say", "what did countries agree to do"
        if not _content(raw, low, m) or low[m - 1] in _DETERMINERS or not fits(word):
            continue
        if passive:
            return m  # "how many people are still missing"
        if m + 1 == n or low[m + 1] in ",(" or _opens_object(raw[m + 1], low[m + 1]):
            return m  # "will the Packrunner recall cost Halcyon", "does the line carry?"
        if weak < 0 and low[m + 1] in _PREP_LIKE:
            weak = m  # "did the city spend on ...": a verb before its preposition, if nothing better
    return weak


_PRONOUNS = frozenset("he she it they we you i".split())
# What follows a verb that takes a preposition ("spend on", "agree to", "walk away from").
_PREP_LIKE = _PREPOSITIONS | frozenset(
    "to for on in at of with from by about into over under up down out off away back".split()
)


# Past forms that do not end in "-ed" ("Who led the round?", "Which club beat Carlow?").
_PAST = frozenset(
    """
    led won lost beat paid sold bought took ran began spent sent struck held grew chose gave went came
    knew saw spoke broke wrote drove flew threw kept sought caught fought brought thought built met told
    sank hid stole cut hit set put shut quit hurt rode fell rose found left made bid
    """.split()
)
# Words news uses for the same relation, beyond the same events of claims (``_SAME_EVENT``): "How
# much will Halden pay for Corvo?" is answered by "agreed to buy Corvo for $4.5 billion", "Who
# replaced her?" by "took over", "When did the quake hit?" by "struck". Stems; only relations read them.
_SAME_RELATION = tuple(
    frozenset(stem(w) for w in group.split())
    for group in (
        "pay paid buy bought purchase acquire cost price spend spent",
        "hit strike struck",
        "win won elect elected",
        "replace replaced succeed succeeded successor took take",
        "launch launched lift blast",
        "ask asked demand demanded seek sought",
        "treat treated hospitalised hospitalized admitted",
        "affect affected disrupt disrupted hit strand stranded",
        "deliver delivered sell sold ship shipped",
        "watch watched crowd attend attended attendance",
        "fight fighting tackle tackling battle battling",
        "vote voted rule ruled",
        "write wrote author authored",
        "choose chose chosen pick picked select selected",
        "free freed release released",
        "open build built",
        "flee fled leave left evacuate evacuated",
        "walk pull pulled abandon abandoned withdraw withdrew quit",
    )
)
# A cause is said in other words than "caused": "because of", "blamed on", "due to", "sparked by"
# (words that only say what came first, "after" or "amid", do not say why).
_CAUSE = frozenset(
    stem(w)
    for w in "cause caused because blame blamed due owing trigger triggered spark sparked prompt prompted start "
    "started ignite ignited".split()
)
# Derived words of a verb meet it at the start of their stems ("operates" / "operator", "supply" /
# "supplier"), from this many letters.
_DERIVED_FROM = 4


def says_relation(relation: str, text: str) -> bool:
    """True when ``text`` says the relation a question asks about (``asked_relation``): the verb, a form
    or a derived word of it ("owner" for "owns", "operator" for "operates"), a word news uses for the
    same event ("beat" for "won"), or a cause in other words ("because of", "blamed on") for "caused";
    always True when the question asks none."""
    if not relation:
        return True
    if " " in relation:  # a role or an object's words: any of them says it ("chief" for "chief executive")
        return any(says_relation(word, text) for word in relation.split())
    asked = stem(relation)
    # an opposite says the same relation ("how much did revenue fall?" of "revenue grew 5%")
    opposite = {b for a, b in ANTONYMS if a == asked} | {a for a, b in ANTONYMS if b == asked}
    wanted = _with_same_events({asked} | opposite).union(*(g for g in _SAME_RELATION if asked in g))
    if wanted & _CAUSE:
        wanted |= _CAUSE
    have = {stem(w) for w in words(text)}
    if wanted & have:
        return True
    return any(
        min(len(h), len(w)) >= _DERIVED_FROM and (h.startswith(w) or w.startswith(h))
        for h in have
        for w in wanted
    )
