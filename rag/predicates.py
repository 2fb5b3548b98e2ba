"""Whether a sentence says what the question says happened, and answers yes or no.

"Did Marsh resign?" is not answered by her removal, "when will the bridge reopen?" by when it
opened, "what is the name of the man?" by "a 67-year-old man"; a yes/no answer may come in the
sentence after the best one ("Moscow denies the allegations."). ``asked_things`` checks the thing
asked about, ``asked_time`` the event of a "when".
"""

from __future__ import annotations

import re

from rag.asked_things import says_asked_thing
from rag.asked_time import of_asked_event
from rag.features import ANTONYMS, QuestionTerms, kind_mentions
from rag.mentions import find_mentions
from rag.quote_context import goes_on_from, needs_context
from rag.quotes import LIGHT_VERBS, PROPER
from rag.terms import STOP_WORDS, content_stems, stem, words

_YES_NO = re.compile(
    r"^\s*(?:and\s+|but\s+|so\s+)?(?:is|are|was|were|did|does|do|has|have|had|will|would|can|could|should)\b",
    re.I,
)
# Words a yes/no question asks with that no sentence need repeat ("was anyone killed?").
_HEDGES = frozenset(
    stem(w)
    for w in "any anyone anybody anything someone something ever still yet already willing help".split()
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
    return any(m.kind in PROPER and m.text.lower() not in asked for m in find_mentions(sentence))


_OPPOSITES = {**{a: b for a, b in ANTONYMS}, **{b: a for a, b in ANTONYMS}}
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
    if not of_asked_event(terms, sentence):
        return False  # "when did Orlov become CEO?" is not when he was removed
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
    asked_words = [
        t for t in terms.stems if t not in terms.specific and t not in LIGHT_VERBS and t not in _HEDGES
    ]
    missing = [t for t in asked_words if t not in known and _OPPOSITES.get(t) not in window]
    return len(missing) <= (1 if len(asked_words) >= _LOOSE_FROM else 0)


_LOOSE_FROM = 3


def answers_yes_no(question: str, terms: QuestionTerms, window: set[str], title: str) -> bool:
    """True when ``question`` asks yes or no and the sentence states it or its opposite with every word
    the question asks with ("Will schools open on Monday?": "Schools ... will remain closed on
    Monday"; ``window``: what it and the sentence before say, ``said_in``), the story's title counting
    for its topic and its names: it answers, however unsure the selector (trained on questions that
    ask for a phrase, never for yes or no) is."""
    if not _YES_NO.match(question) or re.search(r"\bor\b", question, re.I):
        return False
    known = window | set(content_stems(title))
    asked = [t for t in terms.stems if t not in LIGHT_VERBS and t not in _HEDGES]
    return bool(asked) and all(t in known or _OPPOSITES.get(t) in window for t in asked)


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
    missing = {t for t in terms.stems if t not in told and t not in LIGHT_VERBS and t not in _HEDGES}
    said = set(content_stems(after))
    if not (_YES_NO.match(question) or replying):
        # "What did the minister accuse Velmar of?": "Serrana's fisheries minister, Paola Ruiz, said
        # ..." then "She accused Velmar of ...": the sentence naming who, and the one that says it of them
        return bool(missing & said) and needs_context(after)
    if not (missing & said or (missing & _REPLY_ASKED and said & _REPLIES and not told & _REPLIES)):
        return False
    return goes_on_from(sentence, after)
