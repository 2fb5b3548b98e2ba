"""What a follow-up's pronoun, "there" or "then" stands for, read off the previous question and answer.

Pure lookups for ``rag.follow_ups``: the person "he" is (the one the question named, else the one
its answer names), the thing "it" or "they" is (a noun of the pronoun's number: "Veltrana's shares"
for "they", "power" for "it" after "how many homes lost power?"), the places "there" is and the
time "then" is (what the answer to "where" or "when" quoted), and the topic a bare follow-up is
about. The answer is read only where it quoted something: an abstention names nothing.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.citations import find_markers
from rag.lexicon import EVENT_WORDS
from rag.mentions import Mention, find_mentions
from rag.terms import STOP_WORDS, words

_AUX_SUBJECT = re.compile(r"\b(?:did|does|do|will|can|could|would|should|has|have|had)\s*$", re.I)
_BE_SUBJECT = re.compile(r"\b(?:is|are|was|were)\s*$", re.I)
_PLURALS = frozenset("people police children residents passengers survivors workers miners voters".split())
_POSSESSIVE = re.compile(r"\b[A-Z][\w-]*(?:\s+[A-Z][\w-]*)*['’]s\s+(?P<noun>[a-z][\w-]*)")
_VERB_FIRST = re.compile(
    r"^\s*(?:how\s+(?:much|many|long)|what|when|where|why|who)\s+(?:is|are|was|were|will|did|does|do)\b", re.I
)
_WHO_IS = re.compile(r"^\s*(?:and\s+)?who\s+(?:is|was)\s+(?P<name>[^?]+?)\s*\??$", re.I)
# "What was created to collect evidence?": a thing asked as the subject of its verb
_WHAT_VERB = re.compile(
    r"^\s*(?:and\s+)?what\s+(?P<aux>was|were|is|are|has|have|had)?\s*(?P<verb>\w+ed)\b", re.I
)
_SUBJECT_WORDS = 5
_ASKS_WHO = re.compile(r"^\s*(?:and\s+)?who\s+(?:is|was|are|were)\s+the\b", re.I)  # a role, not a name
# "when did the museum first open?": the museum, not "the museum first"
_ADVERBS = frozenset(
    "first last again still ever also already just now then later earlier recently once".split()
)
AUXILIARIES = frozenset(
    "is are was were have has had did do does will would could can should may might".split()
)
COUNT_NOUN = re.compile(r"^\s*(?:and\s+)?how\s+many\s+(?P<noun>[a-z][\w-]*)", re.I)
_ASKS_WHEN = re.compile(
    r"^\s*(?:and\s+)?(?:when|(?:at\s+)?what\s+(?:time|year|day|date|month)|(?:since|until|till)\s+when)\b",
    re.I,
)
_ASKS_WHERE = re.compile(
    r"^\s*(?:and\s+)?(?:where|(?:in\s+)?(?:which|what)\s+(?:count(?:y|ies)|countr(?:y|ies)|cit(?:y|ies)|"
    r"towns?|regions?|places?|states?|provinces?|islands?|areas?|villages?))\b",
    re.I,
)


def quoted_sentence(answer: str) -> str:
    """The first sentence an answer quoted (before its first "[n]"); "" for an abstention, which quotes none."""
    markers = find_markers(answer)
    return answer[: markers[0][0]].strip() if markers else ""


def after_wh(previous: str) -> str:
    """The previous question without its question word: "Who issued X?" -> "issued X"."""
    return re.sub(
        r"^\s*(?:who|whom|what|which|when|where|why|how(?:\s+(?:many|much))?)\s+", "", previous, flags=re.I
    ).strip(" ?")


def place_meant(previous: str, answer: str) -> str:
    """The place "there" stands for: one the previous question names, else, when it asked where, the
    places its answer quoted ("Galway, Clare and Mayo")."""
    return _place(previous) or (_place_run(quoted_sentence(answer)) if _ASKS_WHERE.match(previous) else "")


def _place_run(text: str) -> str:
    """The longest run of places in ``text`` joined by commas or "and" ("Britain and Poland")."""
    runs: list[list[Mention]] = []
    for m in find_mentions(text):
        if m.kind not in ("place", "name"):
            continue
        if runs and re.fullmatch(r",?\s*(?:and\s+)?|,\s*", text[runs[-1][-1].end : m.start]):
            runs[-1].append(m)
        else:
            runs.append([m])
    best = max(runs, key=len, default=[])
    return text[best[0].start : best[-1].end] if best else ""


def time_meant(previous: str, answer: str) -> str:
    """The time "then" stands for: a date the previous question names, else, when it asked when, the
    date its answer quoted (the last one for when something ended: "from 6 a.m. to 2 p.m.")."""
    dates = [m.text for m in find_mentions(previous) if m.kind == "date"]
    if dates or not _ASKS_WHEN.match(previous):
        return dates[-1] if dates else ""
    said = [m.text for m in find_mentions(quoted_sentence(answer)) if m.kind == "date"]
    if not said:
        return ""
    return (
        said[-1]
        if re.search(r"\b(?:end|ended|finish|finished|stop|stopped|close|closed)\b", previous)
        else said[0]
    )


def time_preposition(then: re.Match[str], when: str) -> str:
    """ "by then" -> "by 2 p.m.", "at that time" -> "in 2021": a span's own word is kept, a point's fitted."""
    kept = then["prep"] or (
        then["prep2"] if then["prep2"] and then["prep2"].lower() in ("by", "until", "since") else ""
    )
    return kept or _preposition(when)


def _preposition(when: str) -> str:
    """ "in 2021", "at 2 p.m.", "on Monday"."""
    if re.search(r"\d\s*(?:a\.?m|p\.?m)\b|\d:\d|\bnoon\b|\bmidnight\b", when, re.I):
        return "at"
    if re.fullmatch(r"(?:\w+\s+)?\d{4}s?|[A-Z][a-z]+", when) and not re.search(r"day\b", when):
        return "in"
    return "on"


def person_meant(previous: str, answer: str, earlier: Sequence[str]) -> str:
    """Who "he" or "she" is: the last person the previous question named, else the answer's first;
    a bare name ("Miroshnik") when no full one is found."""
    asked = _WHO_IS.match(previous)  # "who is Miroshnik?" + "when was his post created?": Miroshnik
    named = [m.text for m in find_mentions(asked["name"]) if m.kind in ("person", "name")] if asked else []
    if asked and named == [asked["name"]]:  # not "who is the chairman of Veltrana?": the chairman
        return named[0]
    # "who is the director of the Carrow Museum?" + "what did she say?": the director the answer names
    # (after "who issued a warrant for Putin?" the question's Putin comes first, as before)
    if _ASKS_WHO.match(previous) and (holder := role_holder(previous, answer)):
        return holder
    texts = (answer, previous) if _ASKS_WHO.match(previous) else (previous, answer)
    for kind in ("person", "name"):  # "who chairs Veltrana?" + "what did he say?": the chairman, not Veltrana
        for text in (*texts, *reversed(earlier[:-1])):
            people = [m.text for m in find_mentions(text) if m.kind == kind and not _event(m.text)]
            if people:
                return people[-1] if text is previous else people[0]
    return ""


def role_holder(previous: str, answer: str) -> str:
    """The person the answer names nearest the role "who is the <role>?" asks for: "director Ines
    Kowalczyk", not the "Duchess of Harwick" the same sentence names first; "" when the answer does
    not say the role beside a person."""
    asked = _ASKS_WHO.match(previous)
    if not asked:
        return ""
    # "the museum's director" -> director; "the director of the Carrow Museum" -> director
    phrase = re.split(r"\s+(?:of|at|for|in)\s+", previous[asked.end() :].strip(" ?"), maxsplit=1)[0]
    words = [w for w in phrase.split() if not re.search(r"['’]s$", w)]
    said = [m.start() for w in words for m in re.finditer(rf"\b{re.escape(w)}\b", answer, re.I)]
    people = [m for m in find_mentions(answer) if m.kind == "person" and not _event(m.text)]
    pairs = [(min(abs(p.start - at), abs(p.end - at)), p.text) for at in said for p in people]
    return min(pairs)[1] if pairs else ""


def answered_subject(previous: str, answer: str) -> str:
    """What "it" is after "what was created ...?": the subject of the quoted sentence's same verb
    ("Miroshnik's post was created ..." -> "Miroshnik's post"), when it opens the sentence."""
    asked = _WHAT_VERB.match(previous)
    said = quoted_sentence(answer)
    if not (asked and asked["aux"] and said):  # "what caused the fire?" is answered by what did it
        return ""
    verb = re.search(rf"\s{asked['aux']}\s+{asked['verb']}\b", said, re.I)
    subject = said[: verb.start()].strip() if verb else ""
    return subject if 0 < len(subject.split()) <= _SUBJECT_WORDS else ""


def _event(name: str) -> bool:
    """True for "the Cup final", "the Cold War": names that "he" or "she" cannot stand for."""
    return any(w.lower() in EVENT_WORDS for w in name.split())


def thing_meant(previous: str, plural: bool) -> str:
    """What "it" or "they" is in the previous question: its phrase around a name ("the Sulawesi
    earthquake"), else its first name, else a noun phrase ("the ferry"; "people" for "they")."""
    phrases = _noun_phrases(previous)
    owned = [m for m in _POSSESSIVE.finditer(previous) if m["noun"].endswith("s") == plural]
    if plural and owned:  # "they" after "how much did Veltrana's shares fall?": the shares
        return owned[0].group()
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
    if not plural:  # "it" after "how many homes lost power?": neither the homes counted nor their verb
        counted = COUNT_NOUN.match(previous)
        skip = set(words(previous[counted.end() :])[:1]) | {counted["noun"]} if counted else set()
        content = [w for w in content if w not in skip and not _looks_plural(w)] or content
    return content[0] if content else ""


def _looks_plural(word: str) -> bool:
    return word.lower() in _PLURALS or (word.endswith("s") and not word.endswith(("ss", "us", "is")))


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
            if bare.lower() in STOP_WORDS | _ADVERBS or (verb_like and len(phrase) > 1):
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


def topic_of(previous: str) -> str:
    """What the previous question was about: its words after the question word and verb."""
    phrase = re.search(r"\b(?:the|a|an)\b[^?]*", previous)
    if phrase:
        topic = phrase.group().strip()
        before = previous[: phrase.start()]
        verb = _AUX_SUBJECT.search(before) or (_BE_SUBJECT.search(before) and topic.endswith("ing"))
        if verb and len(topic.split()) > 2:
            topic = topic.rsplit(" ", 1)[0]  # "how many did the floods kill": its verb is not the topic
        return topic
    named = [m.text for m in find_mentions(previous) if m.kind in ("org", "place", "name")]
    if named and _VERB_FIRST.match(previous):  # "How much was Brennock fined?": Brennock, not its verb
        return " ".join(dict.fromkeys(named))
    rest = re.sub(r"^\s*(?:\w+\s+){0,1}(?:is|are|was|were|did|does|do|has|have|had)\s+", "", previous)
    if rest == previous:  # "How many homes lost power?": what it asked about, without "How many"
        rest = after_wh(previous)
    return rest.strip(" ?")
