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
(``Citation.answer_start``/``answer_end``) is marked for highlighting. The candidates are read in
``rag.candidates``, ordered in ``rag.ordering`` and quoted in ``rag.composition``; this module runs
the steps and the checks between them.
"""

from __future__ import annotations

import re
import threading
from collections import OrderedDict
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace

import numpy as np

from rag.abstentions import abstain_reason
from rag.answer_kinds import answer_kind, asked_role, holds_role_of, role_country, spoken_role
from rag.asked_time import about_asked_time, of_asked_tense, of_asked_year
from rag.candidates import Candidate, article_texts, candidates, read_whole, short_going_on, shortlist
from rag.citations import ABSTAIN_TEXT, NOTHING_MATCHED_TEXT, cited
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
from rag.composition import Pick, abstain_text, compose, going_on, with_before, with_words
from rag.counted import counts_anyone, counts_asked_thing, says_what_befell
from rag.date_ranking import period_applied, scoped_reason
from rag.embedding import Embedder
from rag.features import KIND_LOOKUPS, QuestionTerms, Sentence, featurize, kind_mentions
from rag.focus import in_focus, of_asked_story
from rag.ordering import (
    RUNNER_UP_FLOOR,
    by_recency,
    day,
    named_first,
    rank_key,
    replies_first,
    said_as_asked,
    score,
    select,
)
from rag.people import (
    actor_of,
    acts,
    asked_people,
    names_asked_person,
    of_asked_body,
)
from rag.posts import holds_asked_post
from rag.predicates import answers_yes_no, states_predicate
from rag.question_parts import parts_of
from rag.quote_context import needs_context
from rag.quotes import about_asked, names_all_asked, said_in, states_asked
from rag.restrictions import meets_restrictions
from rag.revisions import revised_first
from rag.selector import KINDLESS, Selector
from rag.subjects import about_subject
from rag.terms import content_stems, content_terms
from rag.timeframe import without_period
from rag.types import Answer, AnswerRequest, Passage, StreamEvent
from rag.units import counts_asked

# Weights of the untrained relevance the generative answerer still uses to rank its sources.
DENSE_WEIGHT = 0.6
LEXICAL_WEIGHT = 0.4
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
# A yes/no question is answered by its best sentence rated at least this when that sentence says every
# word it asks with (or an opposite), whatever the confidence: the selector never saw a yes/no question.
YES_NO_FLOOR = 0.5
# Each part of a several-part question is answered at this share of ``min_relevance``: the sentences
# are rated by their closeness to the whole question, which is further from each part than a question
# asking one thing ("How many people died?" 0.33 alone, 0.21 as a part of two).
PART_RELEVANCE_RATIO = 0.5
# Kinds of answer a later report may revise (``rag.revisions``).
_FIGURES = frozenset({"how many", "how much", "what share"})


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
            rows.extend(self.vectors.embed([read_whole(c) for c in missing]))
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
        return sorted([*ranked, *short], key=rank_key, reverse=True), confidence

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
                if _fits_part(
                    c, part, terms, context.get(c.passage.article_id, ""), people, role, bool(reading.outlets)
                )
            ]
            kept = _asked_first(kept, ranked, part, terms)
            kept = in_focus(kept, _article_of, terms, context, told, whole)
            kept = kept if told else of_asked_story(kept, _article_of, terms, context)
            ranked = said_as_asked(kept, terms)
            if terms.kind.label in _FIGURES:  # "how many flights were cancelled?": the figure standing now
                ranked = revised_first(ranked, _text_of, day, part)
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
                chosen = sorted(chosen, key=day, reverse=True)
            if terms.kind.label == "what said":
                chosen = [with_words(c) for c in chosen]
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


def _fits_part(
    c: Candidate,
    part: str,
    terms: QuestionTerms,
    article: str,
    people: Sequence[str],
    role: str,
    outlets: bool,
) -> bool:
    """True when the candidate says what ``part`` asks, by every check of it: the role asked, an answer
    of the asked kind, the question's words and names, its time, year and tense, what happened, the
    person, body, post and count asked, what it pins down and its subject. ``article``: the candidate's
    article's title and retrieved text; ``people``: the surnames asked (``asked_people``); ``outlets``:
    whether the question names the outlets that reported it."""
    return (
        (not role or _holds_role([c], role)[0])
        and states_asked(c.text, c.before, terms, article, part)
        # what the sentence and the one before say is read once, by the checks that need it
        and about_asked(c.text, (window := _window(c, terms)), article, terms)
        and about_asked_time(c.text, window, terms)
        and of_asked_year(part, c.text, c.before, c.passage.published)
        and of_asked_tense(part, c.text, c.before)
        and (not outlets or says_asked_event(part, c.text, c.passage.title, c.before))
        and states_predicate(part, terms, c.text, window, c.passage.title)
        and names_asked_person(people, c.text, c.before)
        and of_asked_body(part, terms, c.text, c.before)
        and holds_asked_post(part, c.text, c.before, window)
        and counts_asked_thing(part, terms, c.text, c.before, window)
        and meets_restrictions(part, c.text, terms.kind.label)
        and about_subject(part, terms, c.text, article)
    )


def _asked_first(
    kept: Sequence[Candidate], ranked: Sequence[Candidate], part: str, terms: QuestionTerms
) -> list[Candidate]:
    """The candidates that passed the checks (``kept``, best first), those that say what is asked most
    plainly first; when the best of all (``ranked``) is not among them, less those all but ruled out."""
    # "how many fish died?": a sentence saying a number of fish before one that may count them;
    # "what did the council decide?": a sentence with the council acting ("the council announced")
    actor, above = actor_of(part), befell_above(kept, terms)
    ordered = sorted(
        kept,
        key=lambda c: (
            not counts_asked(c.text, terms) or c.score < above,
            bool(actor) and not acts(actor, c.text),
        ),
    )
    if ordered and ordered[0] is not ranked[0]:  # the best do not say it: nor do those all but ruled out
        # (what a named speaker said is checked to be theirs: '"...," she said.' after "said Dr
        # Naomi Achebe" is hers however low the selector rates a quote sharing no word)
        spoken = terms.kind.label == "what said" and bool(terms.speaker)
        ordered = [c for c in ordered if c.score >= RUNNER_UP_FLOOR or spoken]
    return ordered


def befell_above(kept: Sequence[Candidate], terms: QuestionTerms) -> float:
    """For "how many people died?": the rating of the best sentence saying what befell them ("A
    67-year-old man died"), which a count of people something else befell, rated lower ("Twelve people
    were taken to hospital"), does not go before; 0 when none says it or the question counts no one."""
    if not counts_anyone(terms):
        return 0.0
    return max((c.score for c in kept if says_what_befell(terms, set(content_stems(c.text)))), default=0.0)


def _article_of(c: Candidate) -> str:
    return c.passage.article_id


def _text_of(c: Candidate) -> str:
    return c.text


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
    return {k: "\n".join(v) for k, v in article_texts(passages).items()}


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
    return with_before(c) if joined and option_named(claim, c.before) else None


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
