"""Whether a sentence's post ("chairs", "area director of", "chief executive") is held at the body asked.

"Who chairs Greyfield Recycling's board?" is not answered by "Dr Anita Rao, who chairs the Northmoor
Health Board", nor "Who runs Tarrant Power?" by "Simon Achterberg, area director of the Environment
Agency, said his officers were working with Tarrant Power" (another body's, and of one area of it,
not the whole), nor by "the depot, which is run by Greyfield Recycling" when Greyfield is asked
about. Each post the sentence names is read for what it is held at ("of / at the X", "X's", "X chief
executive", "who chairs the X", "its" for the body of the sentence before, "the X, which is run by"):
a few regular expressions over one sentence, microseconds.
"""

from __future__ import annotations

import re
from collections.abc import Set
from dataclasses import dataclass
from functools import lru_cache

from rag.terms import STOP_WORDS, content_stems, stem, words

_CHAIR = r"chair(?:s|ed|ing|man|woman|person)?"
_HEAD = (
    _CHAIR + r"|chief\s+executive(?:\s+officer)?|ceo|managing\s+director|director(?:[\s-]+general)?"
    r"|president|head|leader|boss|chief|commander|manager|governor|principal|general\s+secretary"
    r"|secretary[\s-]general|secretary|curator|dean|rector|owner|commissioner|superintendent|captain|coach"
    r"|mayor|premier|minister|chancellor|warden|in\s+charge|at\s+the\s+helm"
    r"|heads|runs|run|leads|directs|manages|headed|ran|led|directed|managed|heading|running|leading"
    r"|directing|managing"
)
# "Who heads / chairs / runs / leads X?", "who is in charge of X?": the body, up to what follows it.
_WHO_VERB = re.compile(
    r"^\s*(?:and\s+)?who\s+(?:now\s+|currently\s+)?(?:is\s+)?(?P<verb>heads?|heading|chairs?|chairing|runs?"
    r"|running|leads?|leading|directs?|manages?|(?:is\s+)?in\s+charge\s+of|(?:is\s+)?at\s+the\s+helm\s+of)"
    r"\s+(?P<body>[^?,;]+)",
    re.I,
)
# "Who is the chief executive of X?", "who is X's area director?": the post and the body.
_WHO_ROLE_OF = re.compile(
    r"^\s*(?:and\s+)?who\s+(?:is|was)\s+the\s+(?:new\s+|current\s+)?(?P<role>[a-z][a-z -]*?)\s+(?:of|at)\s+"
    r"(?P<body>[^?,;]+)",
    re.I,
)
_WHO_BODYS_ROLE = re.compile(
    r"^\s*(?:and\s+)?who\s+(?:is|was)\s+(?P<body>[\w .&-]+?)['’]s\s+(?:new\s+|current\s+)?(?P<role>[a-z][a-z -]*?)"
    r"\s*\??\s*$",
    re.I,
)
# Words that end the body's name in a question ("Who is running Veltrana for now?").
_BODY_ENDS = frozenset("for now today currently since after until while when in at from on".split())
# Words before a post that make it one of a part of the body ("area director", "deputy chairman").
_PART_POSTS = frozenset(
    "area regional local deputy assistant vice branch district divisional associate county".split()
)


@dataclass(frozen=True)
class AskedPost:
    """A "who heads X?" question read: the posts that answer it, the body's names and common words
    (its last one, ``head``), the words qualifying the post the question itself uses ("area" of "area
    director"), and whether a post must be said (asked with a verb: "who runs X?")."""

    posts: re.Pattern[str]
    names: frozenset[str]
    common: frozenset[str]
    head: str
    qualifiers: frozenset[str]
    required: bool


@lru_cache(maxsize=1024)
def asked_post(question: str) -> AskedPost | None:
    """The post and body a "who heads / chairs / runs X?" or "who is the <post> of X?" question asks
    about (None for other questions)."""
    found = _WHO_VERB.match(question)
    role = ""
    if found:
        verb = found.group("verb").lower()
        posts = _CHAIR if verb.startswith("chair") else _HEAD
    else:
        found = _WHO_ROLE_OF.match(question) or _WHO_BODYS_ROLE.match(question)
        if not found:
            return None
        role = found.group("role").lower().strip()
        last = role.split()[-1] if role.split() else ""
        if not last:
            return None
        if re.fullmatch(_CHAIR, last):
            posts = _CHAIR
        elif last in ("head", "leader", "boss", "chief"):
            posts = _HEAD
        else:
            posts = re.escape(last) + "s?"
    names, common, head = _body_words(found.group("body"))
    if not names and not common:
        return None
    pattern = re.compile(rf"\b(?:{posts})\b", re.I)
    qualifiers = frozenset(w for w in role.split() if w in _PART_POSTS)
    return AskedPost(pattern, names, common, head, qualifiers, required=not role)


# Common words a question names the story's own body by ("the firm's lawyer"): no sentence need repeat them.
_ANY_BODY = frozenset(stem(w) for w in "company firm business group board organisation organization".split())


def _specific(asked: AskedPost) -> bool:
    """True for a body asked in common words of its own ("the environment agency", not "the firm")."""
    return not asked.names and bool(asked.head) and asked.head not in _ANY_BODY


def _body_words(body: str) -> tuple[frozenset[str], frozenset[str], str]:
    """The stems of a body's names and of its common words ("Greyfield Recycling's board": the
    company's names; its board is its own), and of its last common word ("council")."""
    kept: list[str] = []
    for w in words(body):
        if w.lower() in _BODY_ENDS:
            break
        kept.append(w)
    names = frozenset(stem(w) for w in kept if w[:1].isupper())
    common = frozenset(stem(w) for w in kept if not w[:1].isupper() and w.lower() not in STOP_WORDS)
    if re.search(r"['’]s?\s+board\b", body, re.I) and names:
        common -= {stem("board")}
    last = [stem(w) for w in kept if not w[:1].isupper() and w.lower() not in STOP_WORDS][-1:]
    return names, common, last[0] if last else ""


def holds_asked_post(question: str, sentence: str, before: str, window: Set[str]) -> bool:
    """True unless the question asks who heads, chairs or runs a body and the sentence names such
    posts only as held at another body ("Dr Anita Rao, who chairs the Northmoor Health Board" for "Who
    chairs Greyfield Recycling's board?"; "the depot, which is run by Greyfield Recycling" for who runs
    Greyfield) or over a part of one ("area director of the Environment Agency" for "Who leads the
    Environment Agency?"), or says nothing of a body asked in common words of its own (``window``: what
    it and the sentence before say of the question's words, ``rag.quotes.said_in``). A post the
    sentence attaches to nothing is left to the other checks ("Its managing director, Laura Finch,
    said ...": its is the body the sentence before is about)."""
    asked = asked_post(question)
    if asked is None:
        return True
    if _specific(asked) and asked.head not in window:
        return False  # "who leads the environment agency?": a sentence on another body's board
    places = [_held_at(sentence, m, before, asked) for m in asked.posts.finditer(sentence)]
    if not places and asked.required:
        return False  # "Hollins Cross Town Council has suspended ..." says who leads the council of no one
    attached = [p for p in places if p is not None]
    return not attached or any(_is_asked_body(p, asked) for p in attached)


# What a post is held at: "<post> of / at / for the X", "X's <post>", "X <post>" ("Harlow Pharma chief
# executive"), "who chairs the X", "its <post>" (the body the sentence before is about).
_NAME_RUN = r"(?:[A-Z][\w&'’.-]*(?:\s+(?:of|and|for|&)\s+|\s+)?)+"
_LINKING = r"(?:at|of|in|for|and|to|on|with|by|from|the|a|an|said|says|who|which|that)"
_AFTER = re.compile(
    rf"^\s+(?:of|at|for)?\s*(?:the\s+)?(?P<body>{_NAME_RUN}|(?!{_LINKING}\b)[a-z-]+(?:\s+(?!{_LINKING}\b)[a-z-]+){{0,2}})",
    re.UNICODE,
)
# A named owner's body after a post ("leads Tarn's island council"): the common words it owns.
_POSSESSIVE = re.compile(r"['’]s?\s*$")
_OWNED = re.compile(rf"(?:(?!{_LINKING}\b)[a-z-]+\s*){{1,3}}")
_OWNER = re.compile(rf"(?P<body>(?:[Tt]he\s+)?{_NAME_RUN}|(?:the\s+)?[a-z-]+)['’]s\s+(?:[a-z-]+\s+)?$")
_COMPOUND = re.compile(rf"(?P<body>{_NAME_RUN})\s*$")
_ITS = re.compile(r"\b(?:its|their)\s+(?:[a-z-]+\s+)?$", re.I)
_VERB_POST = re.compile(
    r"chairs|chaired|chairing|heads|headed|heading|runs|run|ran|running|leads|led|leading|directs|directed"
    r"|directing|manages|managed|managing",
    re.I,
)
_OF_BODY = re.compile(r"^\s+(?:of|at|for)\b", re.I)
_BY = re.compile(r"^\s+by\b", re.I)
_PASSIVE = re.compile(
    r"\s*,?\s*(?:(?:which|that|who)\s+)?(?:(?:is|was|are|were|has|have|had|been|being|be)\s+)*$", re.I
)


def _subject(head: str) -> tuple[str, ...]:
    """The stems of what a passive "run by", "led by" says is run ("the depot" of "the depot, which is
    run by ..."): the words before it back to a function word."""
    kept: list[str] = []
    for w in reversed(words(head[: _PASSIVE.search(head).start()])):  # type: ignore[union-attr]
        if w.lower() in STOP_WORDS:
            break
        kept.append(stem(w))
    return tuple(reversed(kept))


def _held_at(sentence: str, post: re.Match[str], before: str, asked: AskedPost) -> Held | None:
    """What the post found in ``sentence`` is held at (``Held``; no words when it is held over a part
    of a body the question does not ask about: "area director of", "head of forecasting at"; None
    when the sentence does not say)."""
    head = sentence[: post.start()]
    qualifier = head.split()[-1:] if head.split() else []
    if qualifier and qualifier[0].lower() in _PART_POSTS and qualifier[0].lower() not in asked.qualifiers:
        return (), True
    rest = sentence[post.end() :]
    verb = bool(_VERB_POST.fullmatch(post.group()))
    if verb and _BY.match(rest):  # "the depot, which is run by Greyfield": the depot is what is run
        return _subject(head), False
    if verb or _OF_BODY.match(rest):
        found = _AFTER.match(rest)
        if found and found.group("body").strip():
            body = found.group("body")
            if owned := _OWNED.match(rest[found.end() :]) if _POSSESSIVE.search(body) else None:
                body += owned.group()  # "who leads Tarn's island council": the council, Tarn's
            asked_part = bool(set(_body_stems(body)) & asked.common)  # "who runs forecasting at ...?"
            if body[:1].islower() and _PART_OF.match(rest[found.end() :]) and not asked_part:
                return (), True  # "head of forecasting at the weather service": of a part of it
            return _body_stems(body), body[:1].isupper()
    if _ITS.search(head):
        return tuple(content_stems(before)), True
    for pattern in (_OWNER, _COMPOUND):
        found = pattern.search(head)
        if found and found.group("body").strip(" \"“‘'"):
            body = found.group("body")
            # a word capitalised only for opening the sentence ("Dr Anita Rao", "Outgoing Labour leader")
            # names a person or describes the holder: only a run ending just before the post is a body
            if pattern is _COMPOUND and (_titled(body) or not head.endswith(" ")):
                continue
            return _body_stems(body), any(w[:1].isupper() for w in words(body) if w.lower() != "the")
    return None


# What a post is held at: the stems of the body's words, and whether it is named (capitalised).
Held = tuple[tuple[str, ...], bool]
_PART_OF = re.compile(r"^\s+(?:at|of|in|for)\s+(?:the\s+|its\s+)?\S", re.I)


_PERSON_TITLES = frozenset("dr mr mrs ms miss sir dame professor prof judge".split())


def _titled(run: str) -> bool:
    """True when a capitalised run opens with a person's title or is a person's name as used before a
    post ("Dr Anita Rao"): no body."""
    first = run.split()[0].rstrip(".").lower() if run.split() else ""
    return first in _PERSON_TITLES


def _is_asked_body(held: Held, asked: AskedPost) -> bool:
    """True when ``held`` (what a post is held at) is the body asked about: half its names or more, or
    for a body asked in common words ("the fire service", "the town council"), all of them or its last,
    or a body named in common words itself ("the walkout" may be the strike asked about)."""
    said, named = held
    if not said:
        return False
    if asked.names:
        return 2 * sum(any(_same_name(n, s) for s in said) for n in asked.names) >= len(asked.names)
    return not named or asked.common <= set(said) or said[-1] in asked.common


def _body_stems(text: str) -> tuple[str, ...]:
    """The stems of a body's words up to the first function word after them ("forecasting" of
    "forecasting at the weather service": the head of forecasting heads no weather service)."""
    kept: list[str] = []
    for w in words(text):
        if w.lower() in STOP_WORDS:
            if kept and w[:1].islower() and w.lower() not in ("of", "and", "&"):
                break
            continue
        kept.append(stem(w))
    return tuple(kept)


_NAME_ROOT = 4


def _same_name(asked: str, said: str) -> bool:
    """True for one name, or a name and what its people are called ("Ukraine", "Ukrainian")."""
    short, long = sorted((asked, said), key=len)
    return asked == said or (len(short) >= _NAME_ROOT and long.startswith(short))
