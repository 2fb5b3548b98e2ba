"""Whether a sentence is about what the question is about, not about another thing of the same kind.

The trained selector rates a sentence by its closeness to the question and the words the two share, so
an archive silent on a question's subject still offers sentences that look like answers: "Who invented
the steam engine?" of an archive on the 1973 oil crisis quotes Japanese imports with "four cylinder
engines" ("engine" said, "steam" nowhere), and "How much will the tunnel cost?" of a story on a bridge
quotes what the bridge's repairs will cost ("cost" said, "tunnel" nowhere). Two checks turn such
sentences away, each on what the sentence's article (its title and retrieved text) says:

- ``another_kind``: the question names a thing by two nouns ("the steam engine") and the article says
  neither, or says the second only qualified otherwise ("cylinder engines", "fire engines"). A noun
  said bare ("sales of the range") may be the asked one in other words ("the vegan range"): left to
  the other checks.
- ``anchored``: the article says none of the question's words besides what it asks for (the amount of
  "how much ... cost") and words that qualify anything ("new"), nor a word near one in meaning
  (``rag.quotes.said_in``).

Both read only questions that name nothing: a name anchors a question to the articles that say it
(``rag.quotes.about_asked`` checks it), and what is asked of a named subject is often said otherwise
("which breakaway administration did Miroshnik serve in?" of "the separatist administration"). Nor
do they tell a one-noun subject said in other words ("Where was the motorist killed?" of "a man
died when a tree fell on his car") from an absent one ("Who built the first locomotive?" of an
archive on the oil crisis quotes its compact trucks).
"""

from __future__ import annotations

from collections.abc import Set
from functools import lru_cache

from rag.equivalences import said_alike
from rag.features import QuestionTerms
from rag.terms import STOP_WORDS, content_stems, stem, words
from rag.word_vectors import said_otherwise

# Words that qualify any noun and so tell no kind of thing from another ("the new iPhone" is an iPhone).
_GENERIC = frozenset(
    stem(w)
    for w in "new old first last next early late former current latest recent big small large high low"
    " main own other same top whole ex".split()
)
# What "how much ..." asks with besides its subject: the amount itself, paid, cost or worth.
_AMOUNT = frozenset(
    stem(w)
    for w in "cost costs price pay paid spend spent worth value charge fee amount money much many sum bill"
    " total take took".split()
)


def another_kind(question: str, article: str, said: Set[str]) -> bool:
    """True when the question names a thing by two nouns after a determiner ("the steam engine") and
    the article (``said``: the stems it says, ``rag.quotes.said_in``) says neither the first, nor the
    second other than qualified by a word of its own: "four cylinder engines" are no steam engines in
    an archive without steam, and a story without steam or engines has none."""
    heads = [stem(h) for m, h in _noun_pairs(question) if stem(m) not in said]
    if not heads:
        return False
    own = [stem(w) for w in words(article)]
    asked = {stem(w) for w in words(question)}
    for head in heads:
        at = [j for j, s in enumerate(own) if s == head]
        if (head not in said and not at) or (at and all(j > 0 and _qualifies(own[j - 1], asked) for j in at)):
            return True
    return False


@lru_cache(maxsize=1024)
def _noun_pairs(question: str) -> tuple[tuple[str, str], ...]:
    """The question's two-noun names of things, as written: ("steam", "engine") of "the steam engine"."""
    tokens = words(question)
    return tuple(
        (first, second)
        for opener, first, second in zip(tokens, tokens[1:], tokens[2:], strict=False)
        if (opener.lower() in _DETERMINERS or stem(opener) in _GENERIC)
        and _noun(first)
        and _noun(second)
        and stem(first) not in _GENERIC
    )


# Words that open a noun phrase: what follows them names a thing.
_DETERMINERS = frozenset("the a an its their his her this that these those".split())


def _noun(word: str) -> bool:
    """A lower-case content word that may be a noun: names and numbers are checked by what the question
    names, and "-ed" words say what happened to a thing ("the polluted stretch"), not which thing."""
    return len(word) > 1 and word.islower() and word not in STOP_WORDS and not word.endswith("ed")


def _qualifies(before: str, asked: set[str]) -> bool:
    """True when the word before a noun qualifies it otherwise than the question: a content word the
    question does not say ("cylinder engines"), not a determiner ("the range") nor a generic word."""
    return before not in asked and before not in _GENERIC and before not in STOP_WORDS and before.isalpha()


def anchored(terms: QuestionTerms, said: Set[str]) -> bool:
    """True when the article (``said``: the stems it says, ``rag.quotes.said_in``) says one of the
    question's words besides its names and what it asks for, or the question has no such word."""
    own = subject_words(terms)
    return not own or bool(set(own) & said)


def subject_words(terms: QuestionTerms) -> list[str]:
    """The question's stems less its names, generic words and what it asks for (a cost, for "how much")."""
    amount = _AMOUNT if terms.kind.label in ("how much", "how many") else frozenset()
    verb = stem(terms.kind.verb) if terms.kind.verb else ""
    return [t for t in terms.stems if t not in terms.specific and t not in _GENERIC | amount and t != verb]


def about_subject(question: str, terms: QuestionTerms, sentence: str, context: str) -> bool:
    """True unless a question naming nothing (names anchor a question to their article: the checks of
    ``rag.quotes.about_asked`` read them) is about a subject the sentence's article (``context``: its
    title and retrieved text) does not say: no word of it besides what is asked (``anchored``), or
    another kind of its noun (``another_kind``)."""
    if terms.specific:
        return True
    article = f"{context} {sentence}"
    said = _said(question, terms, article)
    return anchored(terms, said) and not another_kind(question, article, said)


@lru_cache(maxsize=1024)
def _said(question: str, terms: QuestionTerms, article: str) -> frozenset[str]:
    """What the article says of the words the two checks read: in its own words or in ones near in
    meaning (``rag.quotes.said_in``), the latter looked up only when the former leave a check open
    (word vectors of a whole article cost milliseconds). Once per article and question."""
    literal = set(content_stems(article)) | said_alike(terms.alike, article)
    own = subject_words(terms)
    forms = dict(zip(terms.stems, terms.forms or terms.stems, strict=False))
    # each open word as the question writes it: word vectors are of words, not stems
    unsaid = {t: forms.get(t, t) for t in own} if not set(own) & literal else {}
    unsaid |= {stem(w): w.lower() for pair in _noun_pairs(question) for w in pair if stem(w) not in literal}
    if not unsaid:
        return frozenset(literal)
    return frozenset(literal | said_otherwise(list(unsaid), list(unsaid.values()), article))
