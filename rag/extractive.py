"""The offline answerer: quotes the article sentences that answer the question, or says why not.

Every sentence of the retrieved passages is a candidate. The trained selector
(``rag.selector``) turns what is known about each one (closeness to the question, shared
words, BM25, whether it holds an answer of the asked kind, passage rank...) into the
probability that it answers; below ``min_relevance`` the answerer abstains and says what
the articles lack. A question that names the outlet that reported something reads that outlet's
articles, and one that checks reports against each other ("did A come before B?", "did A report
more than B?") gets one quote per report (``rag.claims``). A sentence quoted for a number, an amount
or a name must hold one that fits what is asked (``rag.quotes.states_asked``: a revenue is no profit,
"420 flights" no count of pilots). A question that asks several things gets one quote per part, a quote
that opens with "he" or "it" brings the sentence naming them, also from the chunk before
(``AnswerRequest.surroundings``), and the short answer inside each quote
(``Citation.answer_start``/``answer_end``) is marked for highlighting.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.abstentions import abstain_reason
from rag.answer_kinds import answer_kind, asked_role, holds_role_of, role_country, spoken_role
from rag.asked_time import about_asked_time, of_asked_tense, of_asked_year
from rag.citations import ABSTAIN_TEXT, NOTHING_MATCHED_TEXT, citation_for, cited
from rag.claims import (
    Reading,
    assign,
    from_outlet,
    option_named,
    rarity,
    read,
    says_asked_event,
    support,
    without_premise,
)
from rag.counted import counts_anyone, counts_asked_thing, says_what_befell
from rag.date_ranking import period_applied, scoped_reason
from rag.embedding import Embedder
from rag.features import KIND_LOOKUPS, QuestionTerms, Sentence, featurize, kind_mentions
from rag.focus import in_focus, of_asked_story
from rag.people import (
    actor_of,
    acts,
    asked_people,
    named_speaker,
    names_asked_person,
    of_asked_body,
    unnamed_speaker,
)
from rag.posts import holds_asked_post
from rag.predicates import answered_after, answers_yes_no, replies, states_predicate
from rag.question_parts import parts_of
from rag.quote_context import adds_to_before, goes_on_from, needs_context
from rag.quotes import about_asked, answer_phrase, names_all_asked, said_in, states_asked
from rag.referents import named_heads, referents
from rag.restrictions import meets_restrictions
from rag.selector import KINDLESS, Selector
from rag.sentences import split_sentences
from rag.subjects import about_subject
from rag.terms import content_stems, stem
from rag.terms import content_terms as content_terms  # the generative answerer ranks with it too
from rag.timeframe import without_period
from rag.types import Answer, AnswerRequest, Citation, Passage, StreamEvent
from rag.units import counts_asked

# Weights of the untrained relevance the generative answerer still uses to rank its sources.
DENSE_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
RANK_WEIGHT = 0.05
# A further sentence joins a one-part answer when the selector rates it at least this share of
# the best one: SQuAD's held-out half picks the ratio (docs/benchmarks.md).
FOLLOWER_RATIO = 0.5
LATEST_RATIO = 0.9
# Passages scored this share of the best one count as about what a "latest" question asks.
LATEST_PASSAGE_RATIO = 0.7
MIN_SENTENCE_CHARS = 25
TIE = 0.01
# Sentence vectors kept between questions: a popular article's sentences come back again and
# again, and each one costs a MiniLM forward pass (about 400 KB of cache per 256 sentences).
SENTENCE_CACHE_SIZE = 4096
# Candidate sentences without a stored vector embedded per answer (the rest are dropped by
# question-word coverage and passage rank first); embedding is most of such an answer's cost.
MAX_EMBEDDED = 8
# A sentence is evidence for a claim ("Tech Ledger reported that the board removed Orlov") when it
# has at least this share of the claim's words, rare ones counting more (tuned on news_multihop_dev).
MIN_SUPPORT = 0.3
SUPPORT_SIMILARITY_WEIGHT = 0.3
# A sentence rated below this is quoted only when rated best: after the best fail the checks of what
# is asked (no number of pilots), "their pay had fallen" (0.0008) does not say how many struck.
RUNNER_UP_FLOOR = 0.01
# A yes/no question is answered by its best sentence rated at least this when that sentence says every
# word it asks with (or an opposite), whatever the confidence: the selector never saw a yes/no question.
YES_NO_FLOOR = 0.5
# Each part of a several-part question is answered at this share of ``min_relevance``: the sentences
# are rated by their closeness to the whole question, which is further from each part than a question
# asking one thing ("How many people died?" 0.33 alone, 0.21 as a part of two).
PART_RELEVANCE_RATIO = 0.5
# A sentence naming who said what a "who" question asks is quoted before a better-rated one giving it
# to someone unnamed when its similarity to the question is at most this much lower (the seed's
# Miroshnik quote: 0.70 against the lead's 0.75; the selector rates it a third of the lead).
NAMED_MARGIN = 0.1


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, with article offsets, its neighbours and its score."""

    passage: Passage
    rank: int
    start: int
    end: int
    text: str
    before: str = ""
    before_start: int = -1  # article offset of the sentence before (-1: none)
    after: str = ""
    similarity: float = 0.0
    score: float = 0.0  # the selector's probability that this sentence answers
    lead: Passage | None = None  # the passage ``before`` is from, when it ends the previous chunk
    refers: str = ""  # the names its "the hospital" stands for in its article (``rag.referents``)


def coverage(question_terms: set[str], sentence: str) -> float:
    """Share of the question's content words that the sentence contains."""
    if not question_terms:
        return 0.0
    return len(question_terms & content_terms(sentence)) / len(question_terms)


def candidates(
    passages: Sequence[Passage], surroundings: Mapping[str, Passage] | None = None
) -> list[Candidate]:
    """Sentences of the passages (article offsets), each once, too-short fragments left out; with
    their ``surroundings`` (``AnswerRequest.surroundings``), a passage's first and last sentences are
    read beside the sentences around them, and the sentence after it joins when it goes on from it."""
    found: dict[tuple[str, int], Candidate] = {}
    around = surroundings or {}
    heads = {article: named_heads(t) for article, t in _article_texts(passages).items()}
    going: list[Candidate] = []  # taken after every retrieved sentence, which keeps its own rank
    for rank, passage in enumerate(passages):
        named = heads[passage.article_id]
        cands = _sentences_of(passage, rank, passages, around.get(passage.chunk_id), named)
        for cand in cands:
            key = (passage.article_id, cand.start)
            if key not in found and (len(cand.text) >= MIN_SENTENCE_CHARS or short_going_on(cand)):
                found[key] = cand
        if cands and passage.chunk_id in around and (after := _going_on_after(cands[-1], named)):
            going.append(after)
    for cand in going:
        found.setdefault((cand.passage.article_id, cand.start), cand)
    return list(found.values())


def _sentences_of(
    passage: Passage, rank: int, passages: Sequence[Passage], wide: Passage | None, heads: dict[str, str]
) -> list[Candidate]:
    """One passage's candidate sentences, read in ``wide`` (its surroundings) when given, else beside
    the other retrieved passages."""
    spans = split_sentences(passage.text)
    cands: list[Candidate] = []
    for i, (s, e) in enumerate(spans):
        text = passage.text[s:e]
        before = spans[i - 1] if i > 0 else None
        after = spans[i + 1] if i + 1 < len(spans) else None
        cand = Candidate(
            passage, rank, passage.start + s, passage.start + e, text,
            before=passage.text[before[0] : before[1]] if before else "",
            before_start=passage.start + before[0] if before else -1,
            after=passage.text[after[0] : after[1]] if after else "",
            refers=referents(text, heads),
        )  # fmt: skip
        if wide is not None:
            cand = _in_surroundings(cand, wide, i == 0, i + 1 == len(spans))
        elif i == 0 and (lead := _lead_in(passage, passages)):
            other, start, end = lead
            cand = replace(
                cand, before=other.text[start - other.start : end - other.start],
                before_start=start, lead=other,
            )  # fmt: skip
        cands.append(cand)
    return cands


def _in_surroundings(cand: Candidate, wide: Passage, first: bool, last: bool) -> Candidate:
    """The candidate as a sentence of ``wide``, its passage stretched over the chunks either side: the
    first sentence has the one before it and the last the one after, contiguous in the article, so
    one slice quotes both ("He said ..." opening a chunk goes with the sentence naming him)."""
    cand = replace(cand, passage=wide)
    if first and (head := _sentence_at(wide, wide.start, cand.start, last=True)):
        cand = replace(cand, before=head[2], before_start=head[0])
    if last and (tail := _sentence_at(wide, cand.end, wide.end)):
        cand = replace(cand, after=tail[2])
    return cand


def _going_on_after(last: Candidate, heads: dict[str, str]) -> Candidate | None:
    """The sentence after a passage's ``last`` one, from its surroundings, when it needs that one to
    be understood: a speaker's quotation going on ('"If your child ...," she said.' after "..., said
    Dr Naomi Achebe") is theirs, and what it says is part of what the passage tells."""
    wide = last.passage
    found = _sentence_at(wide, last.end, wide.end)
    if found is None or not needs_context(found[2]):
        return None
    start, end, text = found
    tail = _sentence_at(wide, end, wide.end)
    return Candidate(
        wide, last.rank, start, end, text, before=last.text, before_start=last.start,
        after=tail[2] if tail else "", refers=referents(text, heads),
    )  # fmt: skip


def _sentence_at(wide: Passage, start: int, end: int, last: bool = False) -> tuple[int, int, str] | None:
    """The first (or ``last``) sentence of ``wide`` between article offsets ``start`` and ``end``:
    its offsets and text, or None when there is none."""
    spans = split_sentences(wide.text[start - wide.start : end - wide.start])
    if not spans:
        return None
    s, e = spans[-1] if last else spans[0]
    at = start - wide.start
    return start + s, start + e, wide.text[at + s : at + e]


def _read_whole(c: Candidate) -> str:
    """What a candidate says, to embed: a short one going on from the sentence before with that one."""
    return f"{c.before} {c.text}" if short_going_on(c) else c.text


def short_going_on(c: Candidate) -> bool:
    """True for a sentence too short to stand alone ("Russia denies this.") that goes on from the one
    before it: quotable, with that sentence before it (``compose``)."""
    return len(c.text) < MIN_SENTENCE_CHARS and bool(c.before) and goes_on_from(c.before, c.text)


def _lead_in(passage: Passage, passages: Sequence[Passage]) -> tuple[Passage, int, int] | None:
    """The sentence just before ``passage`` in its article, when another retrieved passage ends with it
    (its passage and article offsets): "No other deaths were reported." opening a chunk still has
    "A 67-year-old man died ..." before it."""
    for other in passages:
        gap = passage.start - (other.start + len(other.text))
        if other.article_id == passage.article_id and 0 <= gap <= _SEAM and other.text:
            spans = split_sentences(other.text)
            if spans:
                s, e = spans[-1]
                return other, other.start + s, other.start + e
    return None


# Characters between two chunks of an article: the whitespace between the sentences they end and open.
_SEAM = 2


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


def score(cands: Sequence[Candidate], probabilities: np.ndarray) -> list[Candidate]:
    """Candidates with their probabilities, best first; within ``TIE`` the newer article wins."""
    scored = [replace(c, score=float(p)) for c, p in zip(cands, probabilities, strict=True)]
    return sorted(scored, key=_rank_key, reverse=True)


def _rank_key(c: Candidate) -> tuple[int, int, float]:
    return round(c.score / TIE), _day(c), c.score


def prefer_latest(ranked: Sequence[Candidate]) -> list[Candidate]:
    """For "what is the latest" questions: among sentences rated close to the best, newest first."""
    if not ranked:
        return []
    close = [c for c in ranked if c.score >= ranked[0].score * LATEST_RATIO]
    rest = [c for c in ranked if c.score < ranked[0].score * LATEST_RATIO]
    return sorted(close, key=lambda c: (_day(c), c.score), reverse=True) + rest


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


def _day(c: Candidate) -> int:
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


@dataclass(frozen=True)
class Pick:
    """A chosen sentence and the question part it answers (for its short answer)."""

    candidate: Candidate
    terms: QuestionTerms


def compose(picks: Sequence[Pick], heard: str = "") -> tuple[str, tuple[Citation, ...]]:
    """Answer text of verbatim quotes, each followed by ``[n]``, and the matching citations.

    A quote that needs the sentence before it (a pronoun, a bare "he said") starts there:
    the two are contiguous in the article, so the quote stays an exact slice of its text;
    unless that sentence is quoted already, which the reader has just read (a short one going on
    from it, "Russia denies this.", also when the previous answer, ``heard``, quoted it).
    """
    citations: list[Citation] = []
    for pick in picks:
        c = pick.candidate
        start = c.start
        if short_going_on(c) and c.before in heard:
            pass
        elif c.before_start >= 0 and (needs_context(c.text) or short_going_on(c)):
            before_end = c.before_start + len(c.before)
            if _quoted(citations, c.passage.article_id, c.before_start, before_end):
                pass
            elif c.lead is not None:
                # the sentence before ends another chunk (the space between is not known): it is quoted
                # on its own, first, when this one only adds to it ("No other deaths were reported.")
                if adds_to_before(c.text) or short_going_on(c):
                    citations.append(citation_for(len(citations) + 1, c.lead, c.before_start, before_end))
            else:
                start = c.before_start
        if _quoted(citations, c.passage.article_id, start, c.end):
            continue  # already quoted whole, as another part's context
        citation = citation_for(len(citations) + 1, c.passage, start, c.end)
        phrase = answer_phrase(c.text, pick.terms)
        if phrase:
            citation = replace(citation, answer_start=c.start + phrase.start, answer_end=c.start + phrase.end)
        citations.append(citation)
    text = " ".join(cited(c.quote, c.index) for c in citations)
    return text, tuple(citations)


def _quoted(citations: Sequence[Citation], article_id: str, start: int, end: int) -> bool:
    """True when one of ``citations`` already quotes the article's text from ``start`` to ``end``."""
    return any(x.article_id == article_id and x.start <= start and end <= x.end for x in citations)


def abstain_text(reason: str) -> str:
    """The abstention, led by its one-line reason when there is one."""
    return f"{reason} {ABSTAIN_TEXT}" if reason else ABSTAIN_TEXT


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
        selector: Selector | None = None,
        min_similarity: float = 0.0,
    ) -> None:
        self.embedder = embedder
        self.max_sentences = max_sentences
        self.min_relevance = min_relevance
        self.min_similarity = min_similarity
        self.max_embedded = max_embedded
        self.vectors = SentenceVectors(embedder)
        self._selector = selector

    @property
    def selector(self) -> Selector:
        """The trained selector, read from the package on first use."""
        if self._selector is None:
            self._selector = Selector.load()
        return self._selector

    def similar(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        stored: Mapping[tuple[str, int], object] | None = None,
        surroundings: Mapping[str, Passage] | None = None,
    ) -> list[Candidate]:
        """The candidate sentences with their similarity to the question, in passage order.

        Sentences with a vector stored at ingest (``stored``) all count at no model cost; of
        the others only the ``max_embedded`` most promising are embedded now.
        """
        every = candidates(passages, surroundings)
        known = {} if stored is None else stored
        ready = [c for c in every if (c.passage.article_id, c.start) in known and not short_going_on(c)]
        missing = shortlist(
            [c for c in every if all(c is not r for r in ready)], content_terms(question), self.max_embedded
        )
        cands = ready + missing
        if not cands:
            return []
        rows = [np.asarray(known[(c.passage.article_id, c.start)], dtype=np.float32) for c in ready]
        if missing:
            # "Russia denies this." alone is close to any question about Russia: it is read with the
            # sentence it goes on from
            rows.extend(self.vectors.embed([_read_whole(c) for c in missing]))
        sims = np.stack(rows) @ np.asarray(query_vector, dtype=np.float32)
        return [replace(c, similarity=float(s)) for c, s in zip(cands, sims, strict=True)]

    def _closeness_to(self, part: str, cands: Sequence[Candidate], request: AnswerRequest) -> list[Candidate]:
        """``cands`` with their similarity to one part of the question."""
        found = self.similar(
            part, np.asarray(self.embedder.embed_query(part)), request.passages, request.sentence_vectors,
            request.surroundings,
        )  # fmt: skip
        near = {(c.passage.article_id, c.start): c.similarity for c in found}
        return [replace(c, similarity=near.get((c.passage.article_id, c.start), c.similarity)) for c in cands]

    def rank(
        self,
        question: str,
        query_vector: np.ndarray,
        passages: Sequence[Passage],
        stored: Mapping[tuple[str, int], object] | None = None,
    ) -> list[Candidate]:
        """The candidate sentences, each rated by the selector for ``question``, best first."""
        return self.rate(question, self.similar(question, query_vector, passages, stored))

    def rate(self, question: str, cands: Sequence[Candidate]) -> list[Candidate]:
        """``cands`` rated for ``question`` (one part of a question, possibly), best first."""
        return self.assess(question, cands)[0]

    def assess(
        self, question: str, cands: Sequence[Candidate], terms: QuestionTerms | None = None
    ) -> tuple[list[Candidate], float]:
        """``cands`` rated for ``question`` (read as ``terms``, when given), best first, and the
        confidence that the best answers it: that of the sentences standing alone, so a short one
        going on from the one before ("Russia denies this.") can be chosen but never sways it."""
        alone = [c for c in cands if not short_going_on(c)]
        if not alone or len(alone) == len(cands):
            return self._assess(question, cands, terms)
        ranked, confidence = self._assess(question, alone, terms)
        short = [c for c in self._assess(question, cands, terms)[0] if short_going_on(c)]
        return sorted([*ranked, *short], key=_rank_key, reverse=True), confidence

    def _assess(
        self, question: str, cands: Sequence[Candidate], terms: QuestionTerms | None = None
    ) -> tuple[list[Candidate], float]:
        if not cands:
            return [], 0.0
        terms = terms or terms_of(question)
        sentences, similarities = sentences_of(cands), np.array([c.similarity for c in cands])
        rows = featurize(terms, sentences, similarities, said=False)
        probabilities = self.selector.rate(rows, terms.kind.label)
        confidence = self.selector.confidence(rows, probabilities, terms.kind.label)
        if confidence < self.min_relevance and self.selector.otherwise is not None:
            # too unsure to answer: read again counting the question's words the sentences say otherwise
            second = self.selector.reread(
                featurize(terms, sentences, similarities), terms.kind.label, self.min_relevance
            )
            if second is not None:
                probabilities, confidence = second
        # The role picks among the sentences; whether the articles answer at all stays the question
        # model's call, on the ratings it was trained with ("who is second" moves it otherwise).
        holds = _holds_role(cands, role := asked_role(question))
        if place := role_country(question, role):  # "Ukraine's president": not "President Vladimir Putin"
            owned = np.array([holds_role_of(f"{c.before} {c.text}", role, place) for c in cands], dtype=bool)
            holds = holds & owned if owned.any() else holds
        if not holds.any():  # "Who is the mayor?": no sentence names a mayor, so none says who
            confidence = 0.0
        return score(cands, np.where(holds, probabilities, probabilities * KINDLESS)), confidence

    def trusted(
        self, question: str, ranked: Sequence[Candidate], confidence: float, floor: float | None = None
    ) -> bool:
        """Whether the best sentence may be quoted: the selector is sure enough, and the sentence is
        close enough to the question (the selector never saw an archive silent on the subject) or
        names all the question names or the role it asks about (a quote's words are far from "What
        did Reyes say?", a sentence on corrosion from "Who is the council spokesperson?"). Sure
        enough: the confidence reaches ``floor`` (``min_relevance`` unless given), or a yes/no
        question's best sentence, rated at least ``YES_NO_FLOOR``, states it or its opposite."""
        if not ranked:
            return False
        best = ranked[0]
        if confidence < (self.min_relevance if floor is None else floor) and not (
            best.score >= YES_NO_FLOOR and _answers_yes_no(question, best)
        ):
            return False
        role = asked_role(question)
        return (
            best.similarity >= self.min_similarity
            or names_all_asked(question, best.text)
            # "He warned ...", quoted with the sentence before it that names him
            or (needs_context(best.text) and names_all_asked(question, f"{best.before} {best.text}"))
            or bool(role and _holds_role([best], role)[0])
        )

    def answer(self, request: AnswerRequest) -> Answer:
        """A cited answer with one quote per part of the question, or an abstention saying why."""
        if not request.passages:  # the filters let nothing through: no word is missing, no source is close
            return Answer(
                text=NOTHING_MATCHED_TEXT, abstained=True, passages=(),
                question=request.question, search_query=request.search_query,
            )  # fmt: skip
        vector = (
            request.vector if request.vector is not None else self.embedder.embed_query(request.search_query)
        )
        asked = request.search_query
        if period_applied(request.date_window, request.passages):  # sentences need not say "this week"
            asked = without_period(asked, request.date_window)
        cands = self.similar(
            asked, np.asarray(vector), request.passages, request.sentence_vectors, request.surroundings
        )
        previous = _previous_answer(request)
        new_words = _new_words(request) if previous else frozenset()
        reading = read(asked, [c.text for c in cands], [p.url for p in request.passages])
        picks: list[Pick] = (
            [Pick(c, terms_of("")) for c in _lead(request.question, cands)]
            if is_summary(request.question)
            else []
        )
        if not picks and reading.checks_reports:
            picks = evidence(reading, cands)
        # each outlet's part unbacked: the question read as one, as without outlets
        if picks or (reading.checks_reports and reading.shape != "inference"):
            parts = []
        else:
            parts = parts_of(reading.question)
            cands = from_outlets(reading.outlets, cands)
            if reading.outlets and len(parts) == 1 and (asked_part := without_premise(parts[0])):
                parts.append(asked_part)  # a report's story restated, and what is asked of it
        context = _article_context(request.passages)
        told, whole = _told(request, cands), terms_of(reading.question)
        unanswered: list[str] = []
        floor = self.min_relevance * (PART_RELEVANCE_RATIO if len(parts) > 1 else 1)
        for part in parts if not picks else ():
            terms = terms_of(part)
            if len(parts) > 1:  # each part rated by its own closeness, not the whole question's
                cands = self._closeness_to(part, cands, request)
            ranked, confidence = self.assess(part, _not_repeated(cands, previous, terms, new_words), terms)
            if (
                not self.trusted(part, ranked, confidence, floor) and previous
            ):  # "Why?": the sentence quoted may say it
                ranked, confidence = self.assess(part, cands, terms)
            if previous:
                ranked = replies_first(ranked, terms, previous)
            # only the best few are read again: the recogniser is most of an answer's cost
            people = asked_people(part, [c.text for c in ranked[:KIND_LOOKUPS]])
            # "Who is the mayor?": a sentence naming a mayor (or following one that does), not the
            # council that "announced" (the selector only rates the others lower)
            role = asked_role(part) or spoken_role(part)
            kept = [
                c
                for c in ranked[:KIND_LOOKUPS]
                if (not role or _holds_role([c], role)[0])
                and states_asked(c.text, c.before, terms, context.get(c.passage.article_id, ""), part)
                # what the sentence and the one before say is read once, by the checks that need it
                and about_asked(
                    c.text, (window := _window(c, terms)), context.get(c.passage.article_id, ""), terms
                )
                and about_asked_time(c.text, window, terms)
                and of_asked_year(part, c.text, c.before, c.passage.published)
                and of_asked_tense(part, c.text, c.before)
                and (not reading.outlets or says_asked_event(part, c.text, c.passage.title, c.before))
                and states_predicate(part, terms, c.text, window, c.passage.title)
                and names_asked_person(people, c.text, c.before)
                and of_asked_body(part, terms, c.text, c.before)
                and holds_asked_post(part, c.text, c.before, window)
                and counts_asked_thing(part, terms, c.text, c.before, window)
                and meets_restrictions(part, c.text, terms.kind.label)
                and about_subject(part, terms, c.text, context.get(c.passage.article_id, ""))
            ]
            # "how many fish died?": a sentence saying a number of fish before one that may count them;
            # "what did the council decide?": a sentence with the council acting ("the council announced")
            actor, above = actor_of(part), befell_above(kept, terms)
            kept.sort(
                key=lambda c: (
                    not counts_asked(c.text, terms) or c.score < above,
                    bool(actor) and not acts(actor, c.text),
                )
            )
            if kept and kept[0] is not ranked[0]:  # the best do not say it: nor do those all but ruled out
                # (what a named speaker said is checked to be theirs: '"...," she said.' after "said Dr
                # Naomi Achebe" is hers however low the selector rates a quote sharing no word)
                spoken = terms.kind.label == "what said" and bool(terms.speaker)
                kept = [c for c in kept if c.score >= RUNNER_UP_FLOOR or spoken]
            kept = in_focus(kept, _article_of, terms, context, told, whole)
            kept = kept if told else of_asked_story(kept, _article_of, terms, context)
            ranked = said_as_asked(kept, terms)
            if not self.trusted(part, ranked, confidence, floor):
                actor = actor_of(part)  # "what did the ICC do?": the best sentence with the ICC acting
                ranked = [c for c in ranked if acts(actor, c.text)] if actor else []
                if not ranked:
                    unanswered.append(part)
                    continue
            limit = self.max_sentences if len(parts) == 1 else 1
            taken = {p.candidate.text for p in picks}
            chosen = select(
                named_first([c for c in by_recency(ranked, request) if c.text not in taken], terms), limit
            )
            if request.prefer_recent:  # an answer about the present leads with its newest source
                chosen = sorted(chosen, key=_day, reverse=True)
            if terms.kind.label == "what said":
                chosen = [_with_words(c) for c in chosen]
            chosen = going_on(chosen, cands, part, terms, max(limit, 2))
            picks.extend(Pick(c, terms) for c in chosen)
        base = Answer(
            text=ABSTAIN_TEXT, abstained=True, passages=request.passages,
            question=request.question, search_query=request.search_query,
        )  # fmt: skip
        if not picks:
            # the outlets named are the articles' sources, not words they lack
            reason = abstain_reason(reading.question, terms_of(reading.question), _passage_texts(cands))
            reason = scoped_reason(reason, request.scope)  # not a claim about articles left out
            return replace(base, text=abstain_text(reason))
        text, citations = compose(picks, previous)
        # a part the articles do not answer is said so, in one line, after the quotes of the others
        missing = [
            scoped_reason(abstain_reason(p, terms_of(p), _passage_texts(cands)), request.scope)
            for p in dict.fromkeys(unanswered)
        ]
        text = " ".join([text, *(m for m in missing if m)])
        return replace(base, text=text, citations=citations, abstained=False)

    def stream(self, request: AnswerRequest) -> Iterator[StreamEvent]:
        """The answer sentence by sentence, then the finished Answer."""
        answer = self.answer(request)
        pieces = [cited(c.quote, c.index) for c in answer.citations] or [answer.text]
        for i, piece in enumerate(pieces):
            yield StreamEvent(delta=piece if i == 0 else " " + piece)
        yield StreamEvent(answer=answer)


def befell_above(kept: Sequence[Candidate], terms: QuestionTerms) -> float:
    """For "how many people died?": the rating of the best sentence saying what befell them ("A
    67-year-old man died"), which a count of people something else befell, rated lower ("Twelve people
    were taken to hospital"), does not go before; 0 when none says it or the question counts no one."""
    if not counts_anyone(terms):
        return 0.0
    return max((c.score for c in kept if says_what_befell(terms, set(content_stems(c.text)))), default=0.0)


def _article_of(c: Candidate) -> str:
    return c.passage.article_id


def _told(request: AnswerRequest, cands: Sequence[Candidate]) -> set[str]:
    """The articles the previous answer quoted, of those retrieved: the story a conversation is on; when
    it quoted none (it abstained), those naming what the previous question named ("How much will the
    clean-up cost?" after "Who leads Hollins Cross Town Council?")."""
    if not request.history:
        return set()
    asked, heard = request.history[-1]
    quoted = {c.passage.article_id for c in cands if c.text in heard}
    names = terms_of(asked).specific
    if quoted or not names:
        return quoted
    context = _article_context(list(dict.fromkeys(c.passage for c in cands)))  # each passage once
    return {a for a, text in context.items() if set(names) <= set(content_stems(text))}


def _passage_texts(cands: Sequence[Candidate]) -> list[str]:
    """The passages the candidates come from, whole: what an abstention says the articles mention,
    sentences too short to quote included ("Tickets cost 12 euros." does mention tickets)."""
    return list(dict.fromkeys(c.passage.text for c in cands))


def _window(cand: Candidate, terms: QuestionTerms) -> set[str]:
    """What the candidate sentence and the one before it say of the question's words (``said_in``)."""
    return said_in(f"{cand.before} {cand.text}", terms)


def _answers_yes_no(question: str, best: Candidate) -> bool:
    """True when the best sentence states what a yes/no question asks, or its opposite."""
    terms = terms_of(question)
    return answers_yes_no(question, terms, _window(best, terms), best.passage.title)


def _article_context(passages: Sequence[Passage]) -> dict[str, str]:
    """Each article's title and retrieved text: what a sentence of it is known to be about (a line
    each: a passage's first word follows no sentence of the title's, ``rag.mentions.in_context``)."""
    return {k: "\n".join(v) for k, v in _article_texts(passages).items()}


def _article_texts(passages: Sequence[Passage]) -> dict[str, list[str]]:
    """Each article's title and retrieved passage texts, in passage order."""
    found: dict[str, list[str]] = {}
    for p in passages:
        found.setdefault(p.article_id, [p.title]).append(p.text)
    return found


def from_outlets(outlets: Sequence[str], cands: Sequence[Candidate]) -> list[Candidate]:
    """The candidates from the named outlets' articles, when any of them is among the passages."""
    mine = [c for c in cands if any(from_outlet(o, c.passage.url, c.passage.title) for o in outlets)]
    return mine or list(cands)


def evidence(reading: Reading, cands: Sequence[Candidate]) -> list[Pick]:
    """One sentence per claim of a before/after, more/less or yes/no question, each from the outlet
    it names where that outlet's articles were found; none unless every claim has one (for "which
    of A or B", unless one has). A sentence backs a claim when it has enough of the claim's words,
    of its names and of what happened; the claims' sentences are chosen together (``rag.claims.assign``),
    and the reader judges the order or the amounts from the quotes and their dates."""
    idf = rarity([c.searched for c in reading.claims], [c.text for c in cands])
    options: list[list[tuple[float, Candidate]]] = []
    for claim in reading.claims:
        pool = from_outlets([claim.outlet], cands) if claim.outlet else list(cands)
        if reading.shape == "choice":
            pool = [side for c in pool if (side := _naming_side(claim.text, c))]
        backed = [
            (s.overall + SUPPORT_SIMILARITY_WEIGHT * c.similarity, c)
            for c in pool
            for s in [support(claim.searched, c.text, c.passage.title, idf, c.before, claim.own)]
            if s.backs(MIN_SUPPORT)
        ]
        if not backed and reading.shape != "choice":
            return []
        options.append(backed)
    chosen = assign(options, key=lambda c: c.text)
    return [Pick(c, terms_of(claim.text)) for claim, c in zip(reading.claims, chosen, strict=True) if c]


def _naming_side(claim: str, c: Candidate) -> Candidate | None:
    """For one side of "which X: A or B": the candidate if it names A, with the sentence before it if
    that one does ("Veltra Motors is recalling ... The fix needs no visit to a dealer."), else None."""
    if option_named(claim, c.text):
        return c
    joined = c.before_start >= 0 and c.lead is None  # one slice of one passage
    return _with_before(c) if joined and option_named(claim, c.before) else None


_QUOTE_MARK = re.compile(r"[\"“”]")


def _with_words(c: Candidate) -> Candidate:
    """For "what did X say?": a sentence naming X without quoting X ("Paul Grady ... welcomed the
    fine.") quoted with the quotation after it that X is said to have said ('"It will take a decade
    ...," he said.'): one slice of the passage, one citation."""
    if (
        not c.after
        or _QUOTE_MARK.search(c.text)
        or not _QUOTE_MARK.match(c.after)
        or not needs_context(c.after)
    ):
        return c
    return _with_after(c)


def going_on(
    chosen: Sequence[Candidate], cands: Sequence[Candidate], question: str, terms: QuestionTerms, limit: int
) -> list[Candidate]:
    """For "Does Russia deny committing war crimes?": the best sentence ("Moscow also faces allegations
    ... war crimes in Ukraine.") with the next one when that one goes on to say the asked verb of it
    ("Moscow denies the allegations."): quoted as one slice, or right after it when the next sentence
    opens another chunk; at most ``limit`` quotes."""
    if not chosen:
        return []
    best = chosen[0]
    following = [
        c for c in cands if c.passage.article_id == best.passage.article_id and c.before_start == best.start
    ]
    after = following[0].text if following else best.after
    if not after or not answered_after(question, terms, best.text, best.before, after):
        return list(chosen)
    rest = [c for c in chosen[1:] if c.text != after]
    if best.after:  # the same chunk: one slice
        return [_with_after(best), *rest]
    return [best, following[0], *rest][:limit]


def _with_after(c: Candidate) -> Candidate:
    """The candidate quoted to the end of the sentence after it: one slice of the passage, one citation."""
    at = c.passage.text.find(c.after, c.end - c.passage.start)
    if at < 0:
        return c
    end = c.passage.start + at + len(c.after)
    return replace(c, end=end, text=c.passage.text[c.start - c.passage.start : at + len(c.after)], after="")


def _with_before(c: Candidate) -> Candidate:
    """The candidate quoted from the start of the sentence before it ("Rovers beat Carlow United 2-1.
    Striker Mensah-Lind scored both goals."): one slice of the article, one citation."""
    start = c.before_start - c.passage.start
    return replace(
        c,
        start=c.before_start,
        text=c.passage.text[start : c.end - c.passage.start],
        before="",
        before_start=-1,
    )


def terms_of(question: str) -> QuestionTerms:
    """The question's stems and asked kind, as the features read them."""
    return QuestionTerms.of(question, answer_kind(question))


def sentences_of(cands: Sequence[Candidate]) -> list[Sentence]:
    """The candidates as the features see them."""
    return [Sentence(c.text, c.before, c.after, c.rank, c.refers) for c in cands]


_SUMMARY = re.compile(
    r"\b(?:what\s+(?:does|did|do|is|was)\s+(?:the|this|that)\s+(?:article|story|piece)\b"
    # a report is also news's own subject ("what did the report find?", "... recommend?"): its gist
    # only when nothing more is asked of it ("what does the report say?", "what is the report about?")
    r"|what\s+(?:does|did|do|is|was)\s+(?:the|this|that)\s+report(?:\s+[\"“‘'][^\"”’']*[\"”’'])?"
    r"\s*(?:say|says|report|cover|tell\s+us|describe|about)?\s*\??\s*$"
    r"|summari[sz]e|\bgist\b|\bwhat\s+is\s+(?:the|this)\s+(?:article|story)\s+about\b)",
    re.IGNORECASE,
)
LEAD_MIN_WORDS = 12


def is_summary(question: str) -> bool:
    """True for "what does the article ... report?": asked for its gist, not for a fact."""
    return bool(_SUMMARY.search(question))


def _lead(question: str, cands: Sequence[Candidate]) -> list[Candidate]:
    """The gist of the article the question names (by its title's words, else the best-ranked one):
    its first full sentence among the candidates (a headline repeated above it is the title itself)."""
    if not cands:
        return []
    asked = content_terms(question)
    best = max(cands, key=lambda c: (len(asked & content_terms(c.passage.title)), -c.rank)).passage.article_id
    own = sorted((c for c in cands if c.passage.article_id == best), key=lambda c: c.start)
    full = [
        c for c in own if len(c.text.split()) >= LEAD_MIN_WORDS and c.text.strip() != c.passage.title.strip()
    ]
    return (full or own)[:1]


def _holds_role(cands: Sequence[Candidate], role: str) -> np.ndarray:
    """Which candidates name ``role`` (themselves or in the sentence before); all when none is asked.

    Applied as the asked kind is (``rag.selector.require_kind``): a sentence naming someone without
    the role answers another question, "Who is the mayor?" is not answered by the council spokesperson.
    """
    if not role:
        return np.ones(len(cands), dtype=bool)
    if " " in role:  # "the education minister": the words together, not a minister and a department
        phrase = re.compile(r"(?<!\w)" + r"[\s-]+".join(map(re.escape, role.split())) + r"(?!\w)", re.I)
        return np.array([bool(phrase.search(f"{c.before} {c.text}")) for c in cands], dtype=bool)
    wanted = content_terms(role)
    return np.array([wanted <= content_terms(f"{c.before} {c.text}") for c in cands], dtype=bool)


def _not_repeated(
    cands: Sequence[Candidate], previous: str, terms: QuestionTerms, new_words: frozenset[str] = frozenset()
) -> list[Candidate]:
    """Candidates, less those the previous answer quoted unless they hold an answer of the new kind or
    one of the follow-up's ``new_words`` (stems its previous question did not have).

    "and what did Russia say about that?" should not get the arrest-warrant sentence again, but
    "where did he say it?" may find the place in the very sentence quoted before.
    """
    if not previous:
        return list(cands)
    return [
        c
        for c in cands
        if c.text not in previous
        or kind_mentions(c.text, terms)
        # "what did that trigger?" after "when did Putin send troops?": the quoted sentence goes on
        # "..., triggering a war"; "which seat did he lose?" after "who is Martin Hale?"
        or bool(new_words & set(content_stems(c.text)))
    ]


def _new_words(request: AnswerRequest) -> frozenset[str]:
    """The content stems of a follow-up that its previous question did not have ("trigger" of "what did
    that trigger?" after "when did Putin send troops into Ukraine?")."""
    return frozenset(content_stems(request.question)) - set(content_stems(request.history[-1][0]))


def _previous_answer(request: AnswerRequest) -> str:
    """The previous answer's text for a follow-up (its quotes are not repeated), else ""."""
    if not request.history or request.search_query == request.question:
        return ""
    return request.history[-1][1]
