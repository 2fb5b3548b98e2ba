"""Making a chosen sentence readable on its own: its speaker, its short answer, or why there is none."""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.features import QuestionTerms, kind_mentions
from rag.mentions import Mention, find_mentions
from rag.terms import STOP_WORDS, stem, words

# A sentence that opens with a pronoun, or says "he said" without naming anyone, leans on the one before.
_OPENS_WITH_PRONOUN = re.compile(
    r"^[\"“‘']?(?:he|she|they|it|its|his|her|their|this|these|those|that|him|them|the company|the firm)\b",
    re.I,
)
_BARE_SPEAKER = re.compile(
    r"(?:[,\"”]\s*|^)(?:he|she|they)\s+(?:said|says|told|added|wrote|explained|argued|warned|noted)\b"
    # '..., said he.' inverts the speaker to the clause's end; 'allies have said they will' names its own.
    r"|\b(?:said|says|added)\s+(?:he|she|they)\s*(?:[.,;:!?]|$)",
    re.I,
)
_NAMED = frozenset({"person", "org"})
_PROPER = frozenset({"person", "org", "place", "name"})
_ASKED_KIND_WORDS = {
    "who": "who",
    "when": "when",
    "where": "where",
    "how many": "how many",
    "how much": "how much",
    "how long": "how long",
    "why": "why",
    "what position": "the position",
    "what share": "the share",
    "which organisation": "which organisation",
}


def needs_context(sentence: str) -> bool:
    """True when a quote would not say who or what it is about without the sentence before it."""
    if _OPENS_WITH_PRONOUN.match(sentence):
        return True
    if _BARE_SPEAKER.search(sentence):
        return not any(m.kind in _NAMED for m in find_mentions(sentence))
    return False


def names_all_asked(question: str, sentence: str) -> bool:
    """True when ``sentence`` names every person, organisation and place ``question`` names (one at least).

    "What did Daniel Reyes say?" shares nothing with his quote but his name; a sentence about
    the subject is on topic however far its words are from the question's.
    """
    names = {m.text.lower() for m in find_mentions(question) if m.kind in _PROPER}
    said = sentence.lower()
    return bool(names) and all(re.search(rf"(?<!\w){re.escape(n)}(?!\w)", said) for n in names)


def answer_phrase(sentence: str, terms: QuestionTerms) -> Mention | None:
    """The short answer inside ``sentence``: the mention of the asked kind nearest the question's words."""
    found = kind_mentions(sentence, terms)
    if not found:
        return None
    anchors = [m.start() for m in re.finditer(r"[\w'’]+", sentence) if stem(m.group()) in terms.stems]
    if not anchors:
        return found[0]
    return min(found, key=lambda m: (min(abs(m.start - a) for a in anchors), -len(m.text)))


def abstain_reason(question: str, terms: QuestionTerms, texts: Sequence[str]) -> str:
    """One line on why the articles do not answer: what they mention of the question, and what not."""
    seen = {stem(w) for text in texts for w in words(text)}
    asked = [w for w in dict.fromkeys(words(question)) if w.lower() not in STOP_WORDS and len(w) > 1]
    found = [w for w in asked if stem(w) in seen]
    missing = [w for w in asked if stem(w) not in seen]
    if not texts or not found:
        return f"The articles do not mention {_listed(missing or asked, 'or')}." if asked else ""
    if missing:
        return f"The articles mention {_listed(found)} but not {_listed(missing, 'or')}."
    kind = _ASKED_KIND_WORDS.get(terms.kind.label)
    if kind:
        return f"The articles mention {_listed(found)} but do not say {kind}."
    return f"The articles mention {_listed(found)} but no sentence answers the question."


def _listed(items: Sequence[str], conjunction: str = "and") -> str:
    quoted = [f'"{w}"' for w in items[:4]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" {conjunction} " + quoted[-1]
