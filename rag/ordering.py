"""The order rated candidate sentences are quoted in, and how many of them are.

The selector's rating orders them first (a tie goes to the newer article); the question then moves
some ahead: the newest for a question about the present or "the latest", a named speaker before an
unnamed one, the asked reporting verb ("what did Doyle warn?"), a denial asked as a reply.
``select`` keeps the best and the runners-up rated nearly as high.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

import numpy as np

from rag.candidates import Candidate
from rag.features import QuestionTerms
from rag.people import named_speaker, unnamed_speaker
from rag.predicates import replies
from rag.terms import content_terms, stem
from rag.types import AnswerRequest, Passage

# A further sentence joins a one-part answer when the selector rates it at least this share of
# the best one: SQuAD's held-out half picks the ratio (docs/benchmarks.md).
FOLLOWER_RATIO = 0.5
# For a question about the present, sentences rated this share of the best one are read newest first.
LATEST_RATIO = 0.9
# Passages scored this share of the best one count as about what a "latest" question asks.
LATEST_PASSAGE_RATIO = 0.7
# Ratings this close are a tie, which the newer article wins.
TIE = 0.01
# A sentence rated below this is quoted only when rated best: after the best fail the checks of what
# is asked (no number of pilots), "their pay had fallen" (0.0008) does not say how many struck.
RUNNER_UP_FLOOR = 0.01
# A sentence naming who said what a "who" question asks is quoted before a better-rated one giving it
# to someone unnamed when its similarity to the question is at most this much lower (the seed's
# Miroshnik quote: 0.70 against the lead's 0.75; the selector rates it a third of the lead).
NAMED_MARGIN = 0.1


def score(cands: Sequence[Candidate], probabilities: np.ndarray) -> list[Candidate]:
    """Candidates with their probabilities, best first; within ``TIE`` the newer article wins."""
    scored = [replace(c, score=float(p)) for c, p in zip(cands, probabilities, strict=True)]
    return sorted(scored, key=rank_key, reverse=True)


def rank_key(c: Candidate) -> tuple[int, int, float]:
    """What ``score`` sorts by: the rating to within ``TIE``, then the newer article, then the rating."""
    return round(c.score / TIE), day(c), c.score


def prefer_latest(ranked: Sequence[Candidate]) -> list[Candidate]:
    """For "what is the latest" questions: among sentences rated close to the best, newest first."""
    if not ranked:
        return []
    close = [c for c in ranked if c.score >= ranked[0].score * LATEST_RATIO]
    rest = [c for c in ranked if c.score < ranked[0].score * LATEST_RATIO]
    return sorted(close, key=lambda c: (day(c), c.score), reverse=True) + rest


def newest_first(ranked: Sequence[Candidate], passages: Sequence[Passage], question: str) -> list[Candidate]:
    """For "what is the latest on X": the best sentence of the newest article retrieved about X first.

    About X: its passage scored at least ``LATEST_PASSAGE_RATIO`` of the best passage, and it or its
    title says most of X's words. The score alone let a report on another city plan in ("the latest
    on the city budget" quoted a bike-lane plan's cost): recency weighing lifts a new weak match.
    An older report's sentence rated higher follows it, as the context the newest one updates.
    """
    if not passages:
        return list(ranked)
    best = max(p.score for p in passages)
    topic = content_terms(question) - _NEWS_WORDS
    dated = [
        p.published
        for p in passages
        if p.published is not None and p.score >= best * LATEST_PASSAGE_RATIO and _says_most(p, topic)
    ]
    if not dated:
        return list(ranked)
    newest = max(dated)
    lead = [c for c in ranked if c.passage.published == newest]
    return lead[:1] + [c for c in ranked if c is not lead[0]] if lead else list(ranked)


# What a question about news calls the news itself: not part of what it is about.
_NEWS_WORDS = content_terms("latest newest news update updates recent developments happening going")


def _says_most(passage: Passage, topic: set[str]) -> bool:
    """Whether a passage (or its article's title) says more than half of a topic's words (any
    passage does when the question names no topic: "What's the latest?")."""
    said = content_terms(f"{passage.title} {passage.text}") & topic
    return 2 * len(said) > len(topic) or not topic


_REPORTING = frozenset(
    stem(w) for w in "warn promise admit insist claim argue respond reply react deny accuse predict".split()
)


def said_as_asked(ranked: Sequence[Candidate], terms: QuestionTerms) -> list[Candidate]:
    """For "what did Doyle warn?": the sentences with the asked reporting verb first ("He warned
    that ..." before "Doyle said crews had restored supply"), when any has it."""
    verbs = set(terms.stems) & _REPORTING if terms.kind.label == "what said" else set()
    if not verbs:
        return list(ranked)
    return sorted(ranked, key=lambda c: not verbs & content_terms(c.text))


def named_first(ranked: Sequence[Candidate], terms: QuestionTerms) -> list[Candidate]:
    """For a "who" question whose best sentence gives what is asked to someone unnamed ("..., a senior
    Russian official said"): a sentence giving it to a person it names first ("..., Russian
    Ambassador-at-Large Rodion Miroshnik told reporters"), when that one is about as close to the
    question (``NAMED_MARGIN``) and not ruled out by the selector (``RUNNER_UP_FLOOR``)."""
    if terms.kind.label != "who" or not ranked or not unnamed_speaker(ranked[0].text):
        return list(ranked)
    best = ranked[0]
    named = next(
        (
            c
            for c in ranked[1:]
            if c.score >= RUNNER_UP_FLOOR
            and c.similarity >= best.similarity - NAMED_MARGIN
            and named_speaker(c.text, terms)
        ),
        None,
    )
    return [named, *(c for c in ranked if c is not named)] if named else list(ranked)


def replies_first(ranked: Sequence[Candidate], terms: QuestionTerms, previous: str) -> list[Candidate]:
    """For "How does Russia respond?" after an answer quoting Ukraine's accusation: the sentence going on
    from a quoted one with a denial ("Russia denies this.") first, when the question asks a reply."""
    first = [c for c in ranked if c.before and c.before in previous and replies(terms, c.text)]
    return first + [c for c in ranked if all(c is not f for f in first)]


def by_recency(ranked: Sequence[Candidate], request: AnswerRequest) -> list[Candidate]:
    """``ranked`` in the order the question's wish for recency asks: for a question about the
    present, sentences rated close to the best newest first; for "what is the latest on X", the
    newest article's best sentence first."""
    if request.prefer_recent:
        ranked = prefer_latest(ranked)
    if request.date_window is not None and request.date_window.latest:
        ranked = newest_first(ranked, request.passages, request.search_query)
    return list(ranked)


def day(c: Candidate) -> int:
    """The day the candidate's article was published, as an ordinal (0 when it has no date)."""
    return c.passage.published.toordinal() if c.passage.published else 0


def select(ranked: Sequence[Candidate], limit: int) -> list[Candidate]:
    """The best sentence and up to ``limit - 1`` runners-up rated nearly as high."""
    if not ranked:
        return []
    chosen = [ranked[0]]
    for cand in ranked[1:]:
        if len(chosen) == limit or cand.score < ranked[0].score * FOLLOWER_RATIO:
            break
        if all(cand.text != c.text for c in chosen):
            chosen.append(cand)
    return chosen
