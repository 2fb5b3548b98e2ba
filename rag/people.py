"""The people and bodies a quote names, against those the question asks about.

Who speaks in a sentence (named or not), whether it names the person asked ("Daniel Okafor", not
chairman Richard Okafor), the body whose post holder is asked, the actor of "what did X do?", the
people something was done to ("the children"), and which names may be a company: questions about
someone are answered by sentences about them, which these checks tell apart from the rest of ``quotes``.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import replace

from rag.features import QuestionTerms, kind_mentions
from rag.lexicon import TITLES
from rag.mentions import Mention, find_mentions, in_context
from rag.quote_context import needs_context
from rag.terms import content_stems, stem, words
from rag.units import PEOPLE

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


def bodies(sentence: str, terms: QuestionTerms, article: str) -> list[Mention]:
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


def misses_people(terms: QuestionTerms, window: set[str], asked: str) -> bool:
    """True when the question names people it is done to or by ("the children") and the sentence or
    the one before (``window``) names none of them: a hospital "treating patients" is not which
    hospital treated the children. ``asked``: the stem of what is asked for, never missing."""
    people = [t for t in terms.stems if t in PEOPLE and t != asked and t not in terms.specific]
    return bool(people) and not set(people) & window


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
