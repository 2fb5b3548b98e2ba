"""The thing a "what is the X ...?" or "which X ...?" question asks about, and whether a sentence names it.

"About 22,000 vehicles cross the bridge" does not say what the speed limit on the bridge is, nor
"treated in hospital" which hospital: the noun asked about is read from the question's words (its
kind none the recogniser knows), and a sentence that answers names it, or a word near it in meaning.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.features import QuestionTerms
from rag.mentions import Mention, find_mentions
from rag.people import misses_people
from rag.quotes import LIGHT_VERBS, PROPER, said_in
from rag.terms import STOP_WORDS, content_stems, stem, words
from rag.word_vectors import said_otherwise

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
    return ("", False) if head in _ASKING_NOUNS or head in LIGHT_VERBS else (head, described)


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
    if misses_people(terms, window, thing):
        return False  # "which hospital treated the children?": one that treated them
    if not said:
        # "which Veltra Motors vehicle starts at $60,990?": "The Cutter starts at ..." names one without
        # saying "vehicle" (a name of a thing, not of a body: "checks by the Medicines Safety Agency
        # found traces of mould" names no species), when it says itself most of what the question says
        # of it ("starts at"; "Calmira Junior, a paracetamol syrup" after "tests found mould" is no mould)
        others = {t for t in terms.stems if t != thing and t not in terms.specific and t not in LIGHT_VERBS}
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
        if m.kind in PROPER or m.kind in ("money", "percent"):
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
