"""Why the articles do not answer: one line on what they mention of the question, and what not.

When no sentence answers, the reader is told which of the question's words the articles say and which
they lack ("The articles mention "bridge" but not "toll"."), or which kind of answer they never give.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from rag.features import QuestionTerms
from rag.quotes import LIGHT_VERBS
from rag.terms import STOP_WORDS, stem, words
from rag.word_vectors import SYNONYM_AT, said_otherwise

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


# Words a reason never lists as mentioned or missing, beyond the stop words: function words and
# light or linking verbs ("Until when will the bridge stay closed?" lacks no "until" nor "stay").
_UNLISTED = LIGHT_VERBS | frozenset(
    stem(w)
    for w in """
    until till since within without among between against through across toward upon via per
    whether because although though unless yet still ever already even back away ago
    anyone anybody anything someone somebody something everyone everybody everything nobody nothing
    please know want true what
    stay remain keep become get gotten let
    """.split()
)

# "won't", "they're", "I'd": a pronoun or an auxiliary verb, contracted
_CONTRACTED = re.compile(r"(?:n['’]t|['’](?:re|ve|m|d|ll))$", re.I)


def abstain_reason(question: str, terms: QuestionTerms, texts: Sequence[str]) -> str:
    """One line on why the articles do not answer: what they mention of the question, and what not
    (a word they say otherwise, "empty" for "vacant", is neither: they do not lack it)."""
    seen = {stem(w) for text in texts for w in words(text)}
    asked = [
        w
        for w in dict.fromkeys(words(question))
        if w.lower() not in STOP_WORDS
        and len(w) > 1
        and stem(w) not in _UNLISTED
        and not _CONTRACTED.search(w)
    ]
    unseen = [w for w in asked if stem(w) not in seen]
    common = [w for w in unseen if w[:1].islower()]  # names and numbers are not said otherwise
    near = said_otherwise(common, common, " ".join(texts), SYNONYM_AT) if texts else set()
    found = [w for w in asked if stem(w) in seen]
    missing = [w for w in unseen if w not in near]
    if not texts or not (found or near):
        return f"The articles do not mention {_listed(missing or asked, 'or')}." if asked else ""
    if missing:
        if not found:
            return f"The articles do not mention {_listed(missing, 'or')}."
        return f"The articles mention {_listed(found)} but not {_listed(missing, 'or')}."
    kind = _ASKED_KIND_WORDS.get(terms.kind.label)
    if not found:
        return (
            f"The articles do not say {kind}."
            if kind
            else "No sentence of the articles answers the question."
        )
    if kind:
        return f"The articles mention {_listed(found)} but do not say {kind}."
    return f"The articles mention {_listed(found)} but no sentence answers the question."


def _listed(items: Sequence[str], conjunction: str = "and") -> str:
    quoted = [f'"{w}"' for w in items[:4]]
    return quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + f" {conjunction} " + quoted[-1]
