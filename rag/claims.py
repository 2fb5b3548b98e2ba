"""Questions that check reports against each other: which outlet said it, and each claim on its own.

Multi-hop news questions name the outlet that reported something ("..., according to Tech
Ledger", "reported by Silicon Courier to ...") and ask whether one report came before another
or said more than another. The outlet is rarely in the article's text (it is the article's
source and URL), so it is a hint about which articles to read, not words a sentence must
contain. A before/after or more/less question holds two claims; each is answered by its own
sentence, so that the reader sees both reports, cited with their dates.

Pure: from the question text, the candidate sentences' texts and the passages' URLs/titles. The verb
a question asks about, which the sentence quoted must say, is read in ``rag.relations``.
"""

from __future__ import annotations

import itertools
import math
import re
from collections.abc import Callable, Hashable, Sequence
from dataclasses import dataclass, replace
from typing import Literal, TypeVar
from urllib.parse import urlsplit

from rag.lexicon import PERSON_NOUNS
from rag.relations import same_events, says_asked
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


# Words that name who or what a claim is about ("the coach", "the company"), like its names do.
_IDENTIFIERS = frozenset(stem(w) for phrase in PERSON_NOUNS for w in phrase.split()) | frozenset(
    stem(w) for w in "team club side player striker quarterback winger forward".split()
)


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
    have = same_events(set(content_stems(sentence)) | {stem(w) for w in words(sentence)})
    headline = same_events(set(content_stems(title))) - have
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
