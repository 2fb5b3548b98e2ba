"""The offline answerer: quotes the article sentences that best answer the question.

Each candidate sentence of the retrieved passages is scored by how close its embedding is
to the question and how many of the question's content words it contains. The answer is
the best one to three sentences, verbatim, each followed by its citation marker; below a
relevance floor the answerer abstains instead of guessing.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.citations import ABSTAIN_TEXT, citation_for, cited
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
# Sentence vectors kept between questions: a popular article's sentences come back again and
# again, and each one costs a MiniLM forward pass (about 400 KB of cache per 256 sentences).
SENTENCE_CACHE_SIZE = 4096
# Candidate sentences embedded per answer (the rest are dropped by question-word coverage and
# passage rank first). Embedding is most of an answer's cost; on 600 answerable and 600
# unanswerable SQuAD 2.0 dev questions, 8 gave the same quote-contains-gold (0.820) and
# abstention as embedding every candidate, 6 lost 0.003 and 4 lost 0.008
# (`python -m bench.scale_quality --embedded all,12,8,6,4 --limit 600`).
MAX_EMBEDDED = 8


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
    text = " ".join(cited(c.quote, c.index) for c in citations)
    return text, citations


def shortlist(cands: Sequence[Candidate], question_terms: set[str], limit: int | None) -> list[Candidate]:
    """The ``limit`` candidates most worth embedding, by question-word coverage and passage rank.

    Embedding dominates the cost of an answer; sentences that share no word with the
    question and sit in low-ranked passages rarely win, so they are not embedded at all.
    """
    if limit is None or len(cands) <= limit:
        return list(cands)
    order = sorted(
        range(len(cands)),
        key=lambda i: (-(coverage(question_terms, cands[i].text) - RANK_WEIGHT * cands[i].rank), i),
    )
    return [cands[i] for i in sorted(order[:limit])]


class SentenceVectors:
    """Sentence embeddings through the embedder's query path (no torch), with an LRU cache.

    ``embed_query`` is used rather than ``embed_documents`` because MiniLM embeds questions and
    sentences alike, and the query path never imports torch: a fresh ``rag ask`` stays fast.
    """

    def __init__(self, embedder: Embedder, size: int = SENTENCE_CACHE_SIZE) -> None:
        self.embedder = embedder
        self.size = size
        self._cache: OrderedDict[str, np.ndarray] = OrderedDict()
        self._lock = threading.Lock()

    def embed(self, texts: Sequence[str]) -> np.ndarray:
        """One unit vector per text, in order."""
        rows = [self._get(t) for t in texts]
        return np.stack(rows) if rows else np.zeros((0, 0), dtype=np.float32)

    def __len__(self) -> int:
        return len(self._cache)

    def clear(self) -> None:
        """Forget every cached vector (benchmarks time the uncached cost this way)."""
        with self._lock:
            self._cache.clear()

    def _get(self, text: str) -> np.ndarray:
        with self._lock:
            found = self._cache.get(text)
            if found is not None:
                self._cache.move_to_end(text)
                return found
        vector = np.asarray(self.embedder.embed_query(text), dtype=np.float32)
        with self._lock:
            self._cache[text] = vector
            if len(self._cache) > self.size:
                self._cache.popitem(last=False)
        return vector


class ExtractiveAnswerer:
    """Answers from the retrieved passages alone, with no language model."""

    name = "extractive"

    def __init__(
        self,
        embedder: Embedder,
        max_sentences: int = 3,
        min_relevance: float = 0.35,
        max_embedded: int | None = MAX_EMBEDDED,
    ) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.min_relevance = min_relevance
        self.max_embedded = max_embedded
        self.vectors = SentenceVectors(embedder)

    def rank(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        stored: Mapping[tuple[str, int], object] | None = None,
    ) -> list[Candidate]:
        """The candidate sentences, scored against the question.

        Sentences with a vector stored at ingest (``stored``) are all scored at no model cost;
        of the others only the ``max_embedded`` most promising are embedded now.
        """
        terms = content_terms(question)
        every = candidates(passages)
        known = stored or {}
        ready = [c for c in every if (c.passage.article_id, c.start) in known]
        missing = shortlist(
            [c for c in every if (c.passage.article_id, c.start) not in known], terms, self.max_embedded
        )
        cands = ready + missing
        if not cands:
            return []
        rows = [np.asarray(known[(c.passage.article_id, c.start)], dtype=np.float32) for c in ready]
        if missing:
            rows.extend(self.vectors.embed([c.text for c in missing]))
        return score(cands, np.stack(rows) @ query_vector, terms)

    def answer(self, request: AnswerRequest) -> Answer:
        """A cited answer, or an abstention that offers the closest passages."""
        vector = (
            request.vector if request.vector is not None else self.embedder.embed_query(request.search_query)
        )
        ranked = self.rank(
            request.search_query, np.asarray(vector), request.passages, request.sentence_vectors
        )
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
        pieces = [cited(c.quote, c.index) for c in answer.citations] or [answer.text]
        for i, piece in enumerate(pieces):
            yield StreamEvent(delta=piece if i == 0 else " " + piece)
        yield StreamEvent(answer=answer)
