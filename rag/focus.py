"""Which story a question is about, when several indexed stories share its words.

A reader's library holds many stories side by side, and the selector rates each sentence alone: one
from another story that says the asked word wins as often as not. "How much was the fine, and how many
fish died?" quoted a hospital's fine, "Who heads the weather service?" an ambulance service's director,
"Who leads the council?" after an answer on a town's depot fire the leader of a city's council, "How
much was the company fined before?" after one on the depot's owner the hospital's fine. Each story added
to the test fixtures cost older probe sets a probe or two this way.

Two preferences reorder the sentences the answerer has already found fit to quote, neither keeping
one out, and one check keeps some out:

- ``subjects_said``: the question's words besides what it asks for ("hospital" of "how much was the
  hospital fined?", "town" of "who leads the town council?") that the sentence's article (its title
  and retrieved text) says. A sentence whose article says fewer of them goes after one whose article
  says more: the one saying none is about another story, whatever it shares of the asked words.
- the story in focus: in a conversation, the articles the previous answer quoted. A question naming
  nothing ("Who leads the council?") asks on about the story just told.
- ``of_asked_story``: outside a conversation, when a retrieved article says every subject word of a
  question asking for a name, an amount or a count, sentences of articles that do not are no answer
  ("Who heads the weather service?" is not answered by the ambulance service's director when the storm
  story says "the weather service"). Every word, not the most: two articles of one story, or loose
  words ("called back"), differ by one.

Both read only questions that name nothing: a question naming a person, place or body is anchored
by the name (``rag.quotes.about_asked``), and the articles saying it tell one story, often in two
reports whose words differ by one or two ("Has Velmar's leader refused to negotiate?" of two reports
on one dispute lost the one saying "ruled out further talks" to the other saying "leader" as well).
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from typing import TypeVar

from rag.equivalences import said_alike
from rag.features import QuestionTerms
from rag.subjects import subject_words
from rag.terms import content_stems, stem

T = TypeVar("T")


def subjects_said(terms: QuestionTerms, article: str) -> int:
    """How many of the question's subject words (``rag.subjects.subject_words``: its words less what
    it asks for and those that qualify anything, "long" of "how long" too; with the noun "which" asks
    for, "islands" of "which islands lost their boat links?") the article says, or says alike."""
    own = subject_set(terms)
    if not own:
        return 0
    said = set(content_stems(article)) | said_alike(terms.alike, article)
    return len(own & said)


def subject_set(terms: QuestionTerms) -> set[str]:
    """The subject words ``subjects_said`` counts."""
    asking = {stem(w) for w in terms.kind.label.split()}  # "long" of "how long": "a month-long trial"
    own = {t for t in subject_words(terms) if t not in asking}
    return own | ({stem(terms.kind.focus)} if terms.kind.focus else set())


def in_focus(
    ranked: Sequence[T],
    article_of: Callable[[T], str],
    terms: QuestionTerms,
    context: Mapping[str, str],
    told: Collection[str] = (),
    whole: QuestionTerms | None = None,
) -> list[T]:
    """``ranked`` with the sentences of the story a question naming nothing is about first, in their
    order: those of the articles the previous answer quoted (``told``), then those
    whose article (``context``: title and retrieved text) says more of the question's subject words,
    then of the ``whole`` question's when this is one part of it ("how much was the fine" of "How much
    was the fine, and how many fish died?" is the fine of the story on the fish)."""
    articles = {article_of(c) for c in ranked}
    if len(articles) < 2 or terms.specific:
        return list(ranked)
    focus = set(told)
    parts = [terms] if whole is None or whole == terms else [terms, whole]
    keys = {a: (a not in focus, *(-subjects_said(t, context.get(a, "")) for t in parts)) for a in articles}
    return sorted(ranked, key=lambda c: keys[article_of(c)])


def of_asked_story(
    ranked: Sequence[T], article_of: Callable[[T], str], terms: QuestionTerms, context: Mapping[str, str]
) -> list[T]:
    """``ranked`` less the sentences of articles not saying every subject word of a question naming
    nothing, when another retrieved article (``context``: each one's title and text) says them all:
    "Who heads the weather service?" is about the story saying "weather service", and an ambulance
    service's director in another answers nothing asked."""
    if terms.specific or not ranked or terms.kind.label not in _NAMED_OR_COUNTED:
        return list(ranked)
    said = {a: subjects_said(terms, text) for a, text in context.items()}
    every = len(subject_set(terms))
    if max(said.values(), default=0) < every:  # no article says the whole subject: none is about it
        return list(ranked)
    return [c for c in ranked if said.get(article_of(c), 0) == every]


# What a question asks for that another story holds of the same kind (a director, a cost, a count);
# "Will parents get their money back?" is read in freer words ("a full refund").
_NAMED_OR_COUNTED = frozenset({"who", "how much", "how many"})
