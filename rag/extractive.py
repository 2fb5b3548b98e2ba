"""The offline answerer: quotes the article sentences that best answer the question.

Each candidate sentence of the retrieved passages is scored by how close its embedding is
to the question and how many of the question's content words it contains. The answer is
the best one to three sentences, verbatim, each followed by its citation marker; below a
relevance floor the answerer abstains instead of guessing.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.answer_format import ABSTAIN_TEXT, citation_for
from rag.embedding import Embedder
from rag.sentences import split_sentences
from rag.types import Answer, AnswerRequest, Citation, Passage, StreamEvent

_WORD = re.compile(r"[A-Za-z0-9À-ÿ]+")
_STOP = frozenset(
    """
    a an and are as at be been but by can could did do does for from had has have how i if in into
    is it its of on or she he so than that the their them then there these they this those to too
    was we were what when where which who whom whose why will with would you your about after also
    any many much some such not no did does said says say according
    """.split()
)

# Weights of the sentence score: embedding similarity, question-word coverage, passage rank.
DENSE_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
RANK_WEIGHT = 0.05
# A further sentence joins the answer only when it scores close to the best one.
FOLLOWER_MARGIN = 0.06
MIN_SENTENCE_CHARS = 25
TIE = 0.01


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, with article offsets and its score."""

    passage: Passage
    rank: int
    start: int
    end: int
    text: str
    score: float = 0.0


def stem(word: str) -> str:
    """A light suffix strip so "troops"/"troop" and "annexed"/"annex" meet."""
    w = word.lower()
    for suffix in ("ies", "ing", "ed", "es", "s"):
        if len(w) > len(suffix) + 3 and w.endswith(suffix):
            return w[: -len(suffix)] + ("y" if suffix == "ies" else "")
    return w


def content_terms(text: str) -> set[str]:
    """Stemmed content words of a text."""
    return {stem(w) for w in _WORD.findall(text) if w.lower() not in _STOP and len(w) > 1}


def coverage(question_terms: set[str], sentence: str) -> float:
    """Share of the question's content words that the sentence contains."""
    if not question_terms:
        return 0.0
    return len(question_terms & content_terms(sentence)) / len(question_terms)


def candidates(passages: Sequence[Passage]) -> list[Candidate]:
    """Sentences of the passages (article offsets), each once, too-short fragments left out."""
    found: dict[tuple[str, int], Candidate] = {}
    for rank, passage in enumerate(passages):
        for s, e in split_sentences(passage.text):
            text = passage.text[s:e]
            key = (passage.article_id, passage.start + s)
            if len(text) >= MIN_SENTENCE_CHARS and key not in found:
                found[key] = Candidate(passage, rank, passage.start + s, passage.start + e, text)
    return list(found.values())


def score(cands: Sequence[Candidate], similarities: np.ndarray, question_terms: set[str]) -> list[Candidate]:
    """Candidates with scores, best first; scores within ``TIE`` count as equal and the newer article wins."""
    scored = [
        Candidate(
            c.passage, c.rank, c.start, c.end, c.text,
            DENSE_WEIGHT * float(sim) + LEXICAL_WEIGHT * coverage(question_terms, c.text) - RANK_WEIGHT * c.rank / 10,
        )
        for c, sim in zip(cands, similarities, strict=True)
    ]  # fmt: skip
    return sorted(scored, key=lambda c: (round(c.score / TIE), _day(c)), reverse=True)


def prefer_latest(ranked: Sequence[Candidate]) -> list[Candidate]:
    """For "what is the latest" questions: among sentences close to the best, newest first."""
    if not ranked:
        return []
    close = [c for c in ranked if c.score >= ranked[0].score - FOLLOWER_MARGIN]
    rest = [c for c in ranked if c.score < ranked[0].score - FOLLOWER_MARGIN]
    return sorted(close, key=lambda c: (_day(c), c.score), reverse=True) + rest


def _day(c: Candidate) -> int:
    return c.passage.published.toordinal() if c.passage.published else 0


def select(ranked: Sequence[Candidate], limit: int, floor: float) -> list[Candidate]:
    """The best sentence and up to ``limit - 1`` close runners-up; empty when the best is below ``floor``."""
    if not ranked or max(c.score for c in ranked) < floor:
        return []
    best = max(c.score for c in ranked)
    chosen = [ranked[0]]
    for cand in ranked[1:]:
        if len(chosen) == limit or cand.score < best - FOLLOWER_MARGIN:
            break
        if cand.text != chosen[-1].text:
            chosen.append(cand)
    return chosen


def compose(chosen: Sequence[Candidate]) -> tuple[str, tuple[Citation, ...]]:
    """Answer text of verbatim sentences, each followed by ``[n]``, and the matching citations."""
    citations = tuple(citation_for(i, c.passage, c.start, c.end) for i, c in enumerate(chosen, start=1))
    text = " ".join(f"{c.quote} [{c.index}]" for c in citations)
    return text, citations


class ExtractiveAnswerer:
    """Answers from the retrieved passages alone, with no language model."""

    name = "extractive"

    def __init__(self, embedder: Embedder, max_sentences: int = 3, min_relevance: float = 0.35) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.min_relevance = min_relevance

    def rank(self, question: str, query_vector: np.ndarray, passages: Sequence[Passage]) -> list[Candidate]:
        """Every candidate sentence, scored against the question."""
        cands = candidates(passages)
        if not cands:
            return []
        vectors = self.embedder.embed_documents([c.text for c in cands])
        return score(cands, vectors @ query_vector, content_terms(question))

    def answer(self, request: AnswerRequest) -> Answer:
        """A cited answer, or an abstention that offers the closest passages."""
        vector = (
            request.vector if request.vector is not None else self.embedder.embed_query(request.search_query)
        )
        ranked = self.rank(request.search_query, np.asarray(vector), request.passages)
        if request.prefer_recent:
            ranked = prefer_latest(ranked)
        chosen = select(ranked, self.max_sentences, self.min_relevance)
        base = Answer(
            text=ABSTAIN_TEXT, abstained=True, passages=request.passages,
            question=request.question, search_query=request.search_query,
        )  # fmt: skip
        if not chosen:
            return base
        text, citations = compose(chosen)
        return replace(base, text=text, citations=citations, abstained=False)

    def stream(self, request: AnswerRequest) -> Iterator[StreamEvent]:
        """The answer sentence by sentence, then the finished Answer."""
        answer = self.answer(request)
        pieces = re.split(r"(?<=\]) ", answer.text) if not answer.abstained else [answer.text]
        for i, piece in enumerate(pieces):
            yield StreamEvent(delta=piece if i == 0 else " " + piece)
        yield StreamEvent(answer=answer)
