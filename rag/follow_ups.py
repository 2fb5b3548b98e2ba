"""Follow-up questions made standalone: a question leans on the conversation only when it lacks something.

A pronoun with nothing in the question to point at ("what did he say?"), "there" or "then", an
ellipsis ("and in 2022?", "what about Globex?", "how many are still missing?", "how much per
share?"): then the missing piece is taken from the previous question and answer (``rag.references``
says what it stands for; an event, "when did it happen?", comes from the conversation's topic: its
last self-contained question, so a follow-up of a follow-up keeps it), and the result reads as a
question of its own ("What was FTX's revenue in 2022?"), shown in the debug view as the search
query. A question that says what it is about is left alone, however short ("What was the turnout?").
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.mentions import Mention, find_mentions
from rag.references import (
    AUXILIARIES,
    COUNT_NOUN,
    after_wh,
    answered_subject,
    person_meant,
    place_meant,
    quoted_sentence,
    thing_meant,
    time_meant,
    time_preposition,
    topic_of,
)
from rag.terms import STOP_WORDS, stem, words
from rag.types import Turn

_LEAD = re.compile(r"^\s*(?:and|but|also|so|then|ok(?:ay)?|well)\b[\s,]*", re.I)
# "What about Globex?", "and in 2022?", "same for Tesla?": a fragment standing for the previous question.
_ELLIPSIS = re.compile(
    r"^(?:(?:what|how)\s+about|same\s+(?:for|with)|as\s+for|(?:in|for|on|at|during|from|by|with|after|before)\b"
    r"(?!\s+(?:what|which|who|whom|whose|when|where|how)\b))\s*",
    re.I,
)
# "What did Russia say about it?": an object pronoun never stands for its own clause's subject, so
# the name before it does not resolve it.
_OBJECT = re.compile(
    r"\b(?:him|them|it)\b(?=\s*(?:[?.!,;]|$|\b(?:about|for|to|in|on|with|from|at|by|after|before|over)\b))",
    re.I,
)
_ABOUT_IT = re.compile(r"\b(about|on|over|of)\s+it\b(?=\s*[?.!]*\s*$)", re.I)
_PERSONAL = re.compile(r"\b(?:he|she|him|his|her|hers)\b", re.I)
_THING = re.compile(r"\b(?:it|its|they|them|their|theirs)\b", re.I)
_DEMONSTRATIVE = re.compile(
    r"\b(?:this|that|these|those)\b(?=\s*(?:[?.!,;]|$|\b(?:about|for|to|in|on|with|from|happen|mean)\b))",
    re.I,
)
_THERE = re.compile(r"\bthere\b(?!\s+(?:is|are|was|were|has|have|had|will|would|be|been)\b)", re.I)
# "How many seats did the Greens win then?", "Had the wind dropped by then?", "at that time": a time
# named by the previous turn (never a leading "then", which only chains the questions).
_THEN = re.compile(
    r"(?<=\s)(?:(?P<prep>by|until|till|since|before|after|at|from)\s+)?then(?=\s*[?.!]*\s*$)"
    r"|\b(?P<prep2>at|by|in|on|until|since)\s+(?:that|this)\s+(?:time|point|date|day|year|month|week|moment)\b",
    re.I,
)
_EXISTENTIAL = re.compile(r"\b(?:is|are|was|were)\s+there\b", re.I)
# "Is it true that ...", "it was reported that ...": an "it" that points at nothing.
_DUMMY_IT = re.compile(
    r"\b(?:is|was|isn't|wasn't)\s+it\s+(?:true|possible|likely|clear|known|the\s+case)\b"
    r"|\bit\s+(?:is|was)\s+(?:true|said|reported|expected|likely|possible|clear)\b",
    re.I,
)
# "When did it happen?": an "it" (or "that") that stands for the event the conversation is about.
_EVENT_IT = re.compile(
    r"\b(?:it|this|that)(\s+(?:happen(?:ed|s)?|occur(?:red|s)?|take\s+place|took\s+place|start(?:ed|s)?|"
    r"begin|began|end(?:ed|s)?|break\s+out|broke\s+out)\b)",
    re.I,
)
_ELSE = re.compile(r"\b(?:else|the same|also|too|either|instead)\b", re.I)
_BARE_COUNT = re.compile(
    r"^(?:how\s+(?:many|much)|who|what|when|where|why)\s+(?:is|are|was|were|did|do|does|have|has|had)\b", re.I
)
_NAMES = frozenset({"person", "org", "place", "name"})
_FILLERS = frozenset("still now then already yet ever currently actually really exactly".split())
_SHORT = 3
# words that say nothing of what a short question is about: "Was anyone injured?", "What happened next?"
_VAGUE = frozenset(
    "anyone anybody someone somebody anything something everyone everybody nobody nothing happen happened "
    "happens next".split()
)
_HAPPEN = frozenset(
    "happen happened happens occur occurred occurs".split()
)  # "when did the collapse happen?"
# A fragment with no question word or verb ("And Northwind Foods?") stands for the previous question.
_QUESTION_WORD = re.compile(
    r"\b(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|has|have|had|can|could|"
    r"will|would|should|may|might)\b",
    re.I,
)
_FRAGMENT_WORDS = 5
# "How much per share?", "what about in 2022": a question word and a phrase, the verb left out
_VERBLESS = re.compile(
    r"^(?:how\s+(?:much|many|long)|what|when|where|who)\s+"
    r"(?:per|for|in|on|at|of|from|with|during|after|before)\s+"
    r"(?!(?:the\s+)?(?:what|which|who|whom|whose|when|where|how)\b)[^?]*\??$",
    re.I,
)
# "how many did Labour?", "what has Globex?": the previous question asked of another name, its verb left out
_AUX_TAIL = re.compile(
    r"^(?:how\s+(?:many|much)(?:\s+\w+)?|what|which\s+\w+)\s+(?:did|does|do|has|have|had|will|would)\s+"
    r"(?:the\s+)?(?P<subject>[^?]+?)\s*\??$",
    re.I,
)
_BARE_WH = re.compile(r"^(?:who|when|where|why|how|(?:until|till|since)\s+when|how\s+long)\s*\??$", re.I)
# "What have the operators offered?" after an answer about them: a short question naming nothing
# whose "the <noun>" the previous turn mentioned points back at that turn's story.
_DEFINITE = re.compile(r"\bthe\s+([a-z][\w-]*)", re.I)
_DEFINITE_WORDS = 6
# "Who died in the storm?": a verb with no object, so "it" in "where did it happen?" is the dying
_HAPPENED = re.compile(
    r"^\s*(?:and\s+)?(?P<wh>who|what)\s+(?P<rest>(?!happened|occurred)(?:\w+ed|fell|sank|broke|struck|hit)"
    r"(?:\s+(?:in|on|at|during|after|near|from|when|while)\b[^?]*)?\??)$",
    re.I,
)
# "How does Russia respond?", "How did the company react?": a reply to what the previous turn said,
# its object left out.
_REPLY = re.compile(
    r"\b(?:respond|responds|responded|react|reacts|reacted|reply|replies|replied|answer|answers|answered)"
    r"\s*[?.!]*\s*$",
    re.I,
)
_IDENTITY = re.compile(r"^\s*(?:and\s+)?(?:who|what)\s+(?:is|are|was|were)\s+(?!the\s+\w+\s+of\b)", re.I)
# "how many are ...", "how many have ...": a count whose noun the question leaves out
_COUNT_ELLIPSIS = re.compile(rf"^(how\s+many)\s+(?=(?:{'|'.join(sorted(AUXILIARIES))}|remain|still)\b)", re.I)


def is_follow_up(question: str) -> bool:
    """True when the question cannot be understood without the previous turn."""
    core = _DUMMY_IT.sub("", _LEAD.sub("", question.strip()))
    if not core.strip(" ?") or _BARE_WH.match(core.strip()):
        return True
    if (
        _ELLIPSIS.match(core)
        # "Was anyone injured?", "Who won?" say too little; "Is entry free?" says what it asks about
        or (len(core.split()) <= _SHORT and not _names(core) and _content_words(core, _VAGUE) <= 1)
        or _name_only_subject(core)
    ):
        return True
    if (_COUNT_ELLIPSIS.match(core) and not _names(core)) or _VERBLESS.match(core):
        return True  # "how many were treated?" lacks what it counts; "how much per share?" its verb
    if not _QUESTION_WORD.search(core) and len(core.split()) <= _FRAGMENT_WORDS:
        return True
    if _DEMONSTRATIVE.search(core) or _ELSE.search(core) or _REPLY.search(core):
        return True
    if (_THERE.search(core) and not _EXISTENTIAL.search(core)) or _THEN.search(core):
        return True
    if _PERSONAL.search(core) or _THING.search(core):
        return bool(_OBJECT.search(core)) or not _names_before_pronoun(core)
    # "How many died?" lacks what it counts; "What was the turnout?" names it
    return (
        bool(_BARE_COUNT.match(core))
        and _content_words(core) <= 1
        and not _names(core)
        and not _DEFINITE.search(core)
    )


def search_query(question: str, history: Sequence[Turn]) -> str:
    """The standalone question to search and answer with: a follow-up is resolved against earlier turns."""
    standalone: list[str] = []
    topic = ""  # the conversation's topic: its last self-contained question
    for i, (asked, _) in enumerate(history):
        if not standalone or not (
            is_follow_up(asked) or _refers_back(asked, standalone[-1], _said(history[:i]))
        ):
            topic = asked
        standalone.append(_resolve(asked, standalone, history[: len(standalone)], topic))
    return _resolve(question, standalone, history, topic)


def _resolve(question: str, earlier: Sequence[str], history: Sequence[Turn], root: str = "") -> str:
    """``question`` made standalone with the previous standalone question and answer; what "it
    happened" or "that" stands for comes from ``root``, the question that set the conversation's
    topic, so a follow-up of a follow-up keeps it."""
    if not earlier:
        return question
    previous, answer = earlier[-1], history[-1][1] if history else ""
    if not (is_follow_up(question) or _refers_back(question, previous, _said(history))):
        return question
    root = root or previous
    core = _LEAD.sub("", question.strip()).strip()
    fragment = _ELLIPSIS.sub("", core) if _ELLIPSIS.match(core) else ""
    if not fragment and not _QUESTION_WORD.search(core) and len(core.split()) <= _FRAGMENT_WORDS:
        fragment = core
    fragment = fragment or _name_only_subject(core)
    if _BARE_WH.match(core):
        return f"{_capitalised(core.strip(' ?'))} {_what_was_said(previous, answer)}?"
    if fragment or not core.strip(" ?"):
        return _substitute(previous, fragment or core)
    said = quoted_sentence(answer)
    if _REPLY.search(core) and said:  # "How does Russia respond?": to what the answer before said
        return f"{_capitalised(core.rstrip(' ?.!'))} to this: {said}"
    happened = _HAPPENED.match(previous)
    if happened and _EVENT_IT.search(core):  # "where did it happen?" after "who died in the storm?"
        someone = "someone" if happened["wh"].lower() == "who" else "something"
        return f"{_capitalised(core.rstrip(' ?'))} that {someone} {happened['rest'].strip(' ?')}?"
    # "how many are still missing?" counts what the previous question counted; not when more is said
    # ("how many were treated for hypothermia?": "nine were treated") or a pronoun leans on it already
    # ("how many have had it restored?": "customers" may be the story's word for "homes")
    bare = _content_words(core) <= 1 and not (_PERSONAL.search(core) or _THING.search(core))
    counted = _counted(_counted(core, previous), root) if bare else core
    resolved = _replace_pronouns(counted, previous, answer, earlier, root)
    if resolved != counted:
        return _capitalised(resolved)
    if _too_short(core):
        return _substitute(previous, core)
    return f"{_capitalised(counted.rstrip('?'))} ({topic_of(root)})?"


def _name_only_subject(core: str) -> str:
    """The name a verbless "how many did Labour?" asks about, else ""."""
    tail = _AUX_TAIL.match(core)
    if not tail:
        return ""
    names = [m for m in find_mentions(tail["subject"]) if m.kind in _NAMES]
    return tail["subject"] if len(names) == 1 and names[0].text == tail["subject"] else ""


def _what_was_said(previous: str, answer: str) -> str:
    """What a bare "Why?" or "Since when?" asks about: the previous question without its question word,
    or, after "who is X?", the sentence its answer quoted ("why is X" asks nothing)."""
    said = quoted_sentence(answer)
    if _IDENTITY.match(previous) and said:
        return said.rstrip(" .")
    return after_wh(previous)


def _counted(question: str, previous: str) -> str:
    """ "How many are still missing?" after "How many passengers ...?": the count keeps its noun."""
    noun = COUNT_NOUN.match(previous)
    if not noun or noun["noun"].lower() in AUXILIARIES:
        return question
    return _COUNT_ELLIPSIS.sub(lambda m: f"{m.group(1)} {noun['noun']} ", question, count=1)


def _said(history: Sequence[Turn]) -> str:
    """Everything the conversation's answers said: "the collapse" of a third turn may be the first's."""
    return " ".join(answer for _, answer in history)


def _refers_back(question: str, previous: str, answer: str) -> bool:
    """True for a short question naming nothing, with a "the <noun>", all of whose words the previous
    turn or the conversation's answers used: it asks more about what they said ("the operators have
    offered 4.5%")."""
    core = _LEAD.sub("", question.strip())
    if len(core.split()) > _DEFINITE_WORDS or _names(core):
        return False
    told = {stem(w) for w in words(f"{previous} {answer}")}
    asked = [w for w in words(core) if w.lower() not in STOP_WORDS | _FILLERS | _HAPPEN]
    nouns = [m.group(1) for m in _DEFINITE.finditer(core) if m.group(1).lower() not in STOP_WORDS]
    return bool(nouns) and all(stem(w) in told for w in asked)


def _substitute(previous: str, fragment: str) -> str:
    """The previous question with the fragment's new piece in place of the old one of the same kind."""
    piece = fragment.strip(" ?.")
    if not piece:
        return previous
    new = find_mentions(piece)
    old = find_mentions(previous)
    for m in new:
        same = [o for o in old if _same_kind(o, m) and o.text != m.text]
        if same:  # the last one: "what did X say about Y?" + "and Z?" asks about Z, not Z's words
            o = same[-1]
            return previous[: o.start] + m.text + previous[o.end :]
    return f"{previous.rstrip(' ?')}, {piece}?"


def _same_kind(a: Mention, b: Mention) -> bool:
    names = {"person", "org", "place", "name"}
    return a.kind == b.kind or (a.kind in names and b.kind in names)


def _replace_pronouns(core: str, previous: str, answer: str, earlier: Sequence[str], root: str) -> str:
    topic = topic_of(root)
    text = core
    if topic:  # "when did it happen?", "what did Russia say about it?": the event asked about first
        text = _ABOUT_IT.sub(
            lambda m: f"{m.group(1)} {topic}", _EVENT_IT.sub(lambda m: topic + m.group(1), text)
        )
    person = person_meant(previous, answer, earlier)
    if person:
        text = re.sub(r"\b(?:his|hers)\b", f"{person}'s", text, flags=re.I)
        text = re.sub(r"\bher\b(?=\s+[a-z])", f"{person}'s", text)
        text = re.sub(r"\b(?:he|she|him|her)\b", person, text, flags=re.I)
    plural = bool(re.search(r"\b(?:they|them|their|theirs)\b", core, re.I))
    thing = answered_subject(previous, answer) or thing_meant(previous, plural)
    if thing and thing not in person:  # "he" and "it" are never one
        text = re.sub(r"\b(?:its|their|theirs)\b", f"{thing}'s", text, flags=re.I)
        # "where did he say it?": what he said, not a thing the question named
        text = re.sub(
            r"(?<!\bsay )(?<!\bsaid )(?<!\btell )(?<!\btold )(?<!\bmean )\b(?:it|they|them)\b",
            thing,
            text,
            flags=re.I,
        )
    place = place_meant(previous, answer) if not _EXISTENTIAL.search(core) else ""
    if place:  # "how many people work there?" after "where are the factories?": where the answer said
        text = _THERE.sub(f"in {place}", text)
    when = time_meant(previous, answer)
    if when:  # "how many seats did they win then?" after "when was the last election?"
        text = _THEN.sub(lambda m: f"{time_preposition(m, when)} {when}", text)
    return _DEMONSTRATIVE.sub(topic, text) if topic else text


def _names(text: str) -> list[Mention]:
    return [m for m in find_mentions(text) if m.kind in _NAMES | {"date", "number", "money", "percent"}]


def _names_before_pronoun(text: str) -> bool:
    """True when a name precedes the first pronoun, so the question resolves it itself."""
    pronoun = _PERSONAL.search(text) or _THING.search(text)
    first = pronoun.start() if pronoun else len(text)
    return any(m.kind in _NAMES and m.start < first for m in find_mentions(text))


def _content_words(text: str, vague: frozenset[str] = frozenset()) -> int:
    return sum(1 for w in words(text) if w.lower() not in STOP_WORDS | _FILLERS | vague)


def _too_short(core: str) -> bool:
    return len(core.split()) <= _SHORT and not _names(core)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
