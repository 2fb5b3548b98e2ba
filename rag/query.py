"""Question handling before retrieval: validation, follow-ups resolved into standalone questions,
and the wish for recency.

A question leans on the conversation only when it lacks something: a pronoun with nothing
in the question to point at ("what did he say?"), or an ellipsis ("and in 2022?", "what
about Globex?"). Then the missing piece is taken from the previous question and answer (an
event, "when did it happen?", from the conversation's topic: its last self-contained question,
so a follow-up of a follow-up keeps it), and the result reads as a question of its own ("What
was FTX's revenue in 2022?"), shown in the debug view as the search query. A question that
says what it is about is left alone.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.errors import InputError
from rag.lexicon import EVENT_WORDS
from rag.mentions import Mention, find_mentions
from rag.settings import MAX_K
from rag.terms import STOP_WORDS, stem, words
from rag.textcheck import surrogate_problem
from rag.types import Turn

# The newest report, not the present: "still missing" or "the current rate" asks what the articles
# say is true now, which the date window reads as ``current`` (rag.timeframe), and must not let a
# newer article's weaker sentence win.
_LATEST = re.compile(
    r"\b(?:latest|newest|freshest|most recent(?:ly)?|last heard|up[ -]to[ -]date|update[sd]?)\b", re.I
)
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
_AUX_SUBJECT = re.compile(r"\b(?:did|does|do|will|can|could|would|should|has|have|had)\s*$", re.I)
_BE_SUBJECT = re.compile(r"\b(?:is|are|was|were)\s*$", re.I)
_ELSE = re.compile(r"\b(?:else|the same|also|too|either|instead)\b", re.I)
_BARE_COUNT = re.compile(
    r"^(?:how\s+(?:many|much)|who|what|when|where|why)\s+(?:is|are|was|were|did|do|does|have|has|had)\b", re.I
)
_NAMES = frozenset({"person", "org", "place", "name"})
_FILLERS = frozenset("still now then already yet ever currently actually really exactly".split())
_SHORT = 3
_PLURALS = frozenset("people police children residents passengers survivors workers miners voters".split())
# A fragment with no question word or verb ("And Northwind Foods?") stands for the previous question.
_QUESTION_WORD = re.compile(
    r"\b(?:who|whom|whose|what|which|when|where|why|how|is|are|was|were|do|does|did|has|have|had|can|could|"
    r"will|would|should|may|might)\b",
    re.I,
)
_FRAGMENT_WORDS = 5
_BARE_WH = re.compile(r"^(?:who|when|where|why|how)\s*\??$", re.I)
# "What have the operators offered?" after an answer about them: a short question naming nothing
# whose "the <noun>" the previous turn mentioned points back at that turn's story.
_DEFINITE = re.compile(r"\bthe\s+([a-z][\w-]*)", re.I)
_DEFINITE_WORDS = 6


def validate_question(question: str, max_chars: int) -> str:
    """Trimmed question, or InputError for an empty, over-long or undecodable one."""
    text = question.strip() if isinstance(question, str) else ""
    if not text:
        raise InputError("The question is empty: type a question about the articles.")
    if len(text) > max_chars:
        raise InputError(f"The question is {len(text)} characters long; the limit is {max_chars}.")
    if problem := surrogate_problem(text, "question"):
        raise InputError(problem)
    return text


def validate_k(k: int | None) -> int | None:
    """``k`` as given (None: the setting's), or InputError when it is no number of passages to retrieve."""
    if k is not None and not 1 <= k <= MAX_K:
        raise InputError(f"k, the number of passages, must be a whole number from 1 to {MAX_K} (got {k}).")
    return k


def is_follow_up(question: str) -> bool:
    """True when the question cannot be understood without the previous turn."""
    core = _DUMMY_IT.sub("", _LEAD.sub("", question.strip()))
    if not core.strip(" ?"):
        return True
    if _ELLIPSIS.match(core) or (len(core.split()) <= _SHORT and not _names(core)):
        return True
    if not _QUESTION_WORD.search(core) and len(core.split()) <= _FRAGMENT_WORDS:
        return True
    if _DEMONSTRATIVE.search(core) or _ELSE.search(core):
        return True
    if _THERE.search(core) and not _EXISTENTIAL.search(core):
        return True
    if _PERSONAL.search(core) or _THING.search(core):
        return bool(_OBJECT.search(core)) or not _names_before_pronoun(core)
    return bool(_BARE_COUNT.match(core)) and _content_words(core) <= 1 and not _names(core)


def search_query(question: str, history: Sequence[Turn]) -> str:
    """The standalone question to search and answer with: a follow-up is resolved against earlier turns."""
    standalone: list[str] = []
    topic = ""  # the conversation's topic: its last self-contained question
    for i, (asked, _) in enumerate(history):
        if not standalone or not (
            is_follow_up(asked) or _refers_back(asked, standalone[-1], history[i - 1][1])
        ):
            topic = asked
        standalone.append(_resolve(asked, standalone, history[: len(standalone)], topic))
    return _resolve(question, standalone, history, topic)


def wants_latest(question: str) -> bool:
    """True when the question asks for the newest state of affairs."""
    return bool(_LATEST.search(question))


def _resolve(question: str, earlier: Sequence[str], history: Sequence[Turn], root: str = "") -> str:
    """``question`` made standalone with the previous standalone question and answer; what "it
    happened" or "that" stands for comes from ``root``, the question that set the conversation's
    topic, so a follow-up of a follow-up keeps it."""
    if not earlier:
        return question
    previous, answer = earlier[-1], history[-1][1] if history else ""
    if not (is_follow_up(question) or _refers_back(question, previous, answer)):
        return question
    root = root or previous
    core = _LEAD.sub("", question.strip()).strip()
    fragment = _ELLIPSIS.sub("", core) if _ELLIPSIS.match(core) else ""
    if not fragment and not _QUESTION_WORD.search(core) and len(core.split()) <= _FRAGMENT_WORDS:
        fragment = core
    if _BARE_WH.match(core):
        return f"{_capitalised(core.strip(' ?'))} {_after_wh(previous)}?"
    if fragment or not core.strip(" ?"):
        return _substitute(previous, fragment or core)
    resolved = _replace_pronouns(core, previous, answer, earlier, root)
    if resolved != core:
        return _capitalised(resolved)
    if _too_short(core):
        return _substitute(previous, core)
    return f"{_capitalised(core.rstrip('?'))} ({_topic(root)})?"


def _refers_back(question: str, previous: str, answer: str) -> bool:
    """True for a short question naming nothing, with a "the <noun>", all of whose words the previous
    turn used: it asks more about what that turn said ("the operators have offered 4.5%")."""
    core = _LEAD.sub("", question.strip())
    if len(core.split()) > _DEFINITE_WORDS or _names(core):
        return False
    told = {stem(w) for w in words(f"{previous} {answer}")}
    asked = [w for w in words(core) if w.lower() not in STOP_WORDS and w.lower() not in _FILLERS]
    nouns = [m.group(1) for m in _DEFINITE.finditer(core) if m.group(1).lower() not in STOP_WORDS]
    return bool(nouns) and all(stem(w) in told for w in asked)


def _after_wh(previous: str) -> str:
    """The previous question without its question word: "Who issued X?" -> "issued X"."""
    return re.sub(
        r"^\s*(?:who|whom|what|which|when|where|why|how(?:\s+(?:many|much))?)\s+", "", previous, flags=re.I
    ).strip(" ?")


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
    topic = _topic(root)
    text = core
    if topic:  # "when did it happen?", "what did Russia say about it?": the event asked about first
        text = _ABOUT_IT.sub(
            lambda m: f"{m.group(1)} {topic}", _EVENT_IT.sub(lambda m: topic + m.group(1), text)
        )
    person = _person(previous, answer, earlier)
    if person:
        text = re.sub(r"\b(?:his|hers)\b", f"{person}'s", text, flags=re.I)
        text = re.sub(r"\bher\b(?=\s+[a-z])", f"{person}'s", text)
        text = re.sub(r"\b(?:he|she|him|her)\b", person, text, flags=re.I)
    thing = _thing(previous, plural=bool(re.search(r"\b(?:they|them|their|theirs)\b", core, re.I)))
    if thing:
        text = re.sub(r"\b(?:its|their|theirs)\b", f"{thing}'s", text, flags=re.I)
        text = re.sub(r"\b(?:it|they|them)\b", thing, text, flags=re.I)
        place = _place(previous)
        if place:
            text = _THERE.sub(f"in {place}", text)
    return _DEMONSTRATIVE.sub(topic, text) if topic else text


def _person(previous: str, answer: str, earlier: Sequence[str]) -> str:
    """Who "he" or "she" is: the last person the previous question named, else the answer's first;
    a bare name ("Miroshnik") when no full one is found."""
    for kind in ("person", "name"):  # "who chairs Veltrana?" + "what did he say?": the chairman, not Veltrana
        for text in (previous, answer, *reversed(earlier[:-1])):
            people = [m.text for m in find_mentions(text) if m.kind == kind and not _event(m.text)]
            if people:
                return people[-1] if text is previous else people[0]
    return ""


def _event(name: str) -> bool:
    """True for "the Cup final", "the Cold War": names that "he" or "she" cannot stand for."""
    return any(w.lower() in EVENT_WORDS for w in name.split())


def _thing(previous: str, plural: bool) -> str:
    """What "it" or "they" is in the previous question: its phrase around a name ("the Sulawesi
    earthquake"), else its first name, else a noun phrase ("the ferry"; "people" for "they")."""
    phrases = _noun_phrases(previous)
    names = [m.text for m in find_mentions(previous) if m.kind in ("org", "place", "name")]
    for name in names:
        around = [p for p in phrases if name in p]
        if around:
            return around[0]
    if names:
        return names[0]
    fitting = [p for p in phrases if p.endswith("s") == plural or (p.split()[-1] in _PLURALS and plural)]
    if fitting or phrases:
        return (fitting or phrases)[-1]
    content = [w for w in words(previous)[1:] if w.lower() not in STOP_WORDS]
    return content[0] if content else ""


def _noun_phrases(text: str) -> list[str]:
    """Runs of words after "the" up to a verb-looking or function word: "the central bank", "the ferry"."""
    found = []
    tokens = text.rstrip("?").split()
    if re.search(r"\b(?:did|does|do|will|can|could|would|should)\s+the\b", text, re.I):
        tokens = tokens[:-1]  # "where did the ferry capsize": the last word is the verb
    for i, token in enumerate(tokens):
        if token.lower() not in ("the", "a", "an"):
            continue
        phrase = ["the"]  # "which counties had a red warning?" + "how long did it last?": the red warning
        for j, word in enumerate(tokens[i + 1 : i + 4], start=i + 1):
            bare = word.rstrip(",.;:")
            verb_like = bare.endswith(("ing", "ed")) and j < len(tokens) - 1  # a last "warning" is a noun
            if bare.lower() in STOP_WORDS or (verb_like and len(phrase) > 1):
                break
            ends = bare.endswith(("'s", "’s"))
            phrase.append(bare[:-2] if ends else bare)
            if ends or bare != word:
                break
        if len(phrase) > 1:
            found.append(" ".join(phrase))
    plain = [w for w in words(text) if w.lower() in _PLURALS]
    return found + plain


def _place(previous: str) -> str:
    places = [m.text for m in find_mentions(previous) if m.kind == "place"]
    return places[0] if places else ""


def _topic(previous: str) -> str:
    """What the previous question was about: its words after the question word and verb."""
    phrase = re.search(r"\b(?:the|a|an)\b[^?]*", previous)
    if phrase:
        topic = phrase.group().strip()
        before = previous[: phrase.start()]
        verb = _AUX_SUBJECT.search(before) or (_BE_SUBJECT.search(before) and topic.endswith("ing"))
        if verb and len(topic.split()) > 2:
            topic = topic.rsplit(" ", 1)[0]  # "how many did the floods kill": its verb is not the topic
        return topic
    rest = re.sub(r"^\s*(?:\w+\s+){0,1}(?:is|are|was|were|did|does|do|has|have|had)\s+", "", previous)
    if rest == previous:  # "How many homes lost power?": what it asked about, without "How many"
        rest = _after_wh(previous)
    return rest.strip(" ?")


def _names(text: str) -> list[Mention]:
    return [m for m in find_mentions(text) if m.kind in _NAMES | {"date", "number", "money", "percent"}]


def _names_before_pronoun(text: str) -> bool:
    """True when a name precedes the first pronoun, so the question resolves it itself."""
    pronoun = _PERSONAL.search(text) or _THING.search(text)
    first = pronoun.start() if pronoun else len(text)
    return any(m.kind in _NAMES and m.start < first for m in find_mentions(text))


def _content_words(text: str) -> int:
    return sum(1 for w in words(text) if w.lower() not in STOP_WORDS and w.lower() not in _FILLERS)


def _too_short(core: str) -> bool:
    return len(core.split()) <= _SHORT and not _names(core)


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
