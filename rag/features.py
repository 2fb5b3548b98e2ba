"""What the answer selector knows about each candidate sentence, as one row of numbers.

Pure: from the question, the candidate sentences (with their neighbours and passage ranks)
and their similarities to the question. The same function builds the rows the selector was
trained on (``bench/train_selector.py``) and the rows it scores at answer time, so the two
cannot drift apart.
"""

from __future__ import annotations

import itertools
import math
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from rag.answer_kinds import AnswerKind
from rag.equivalences import Phrase, alternatives, said_alike
from rag.mentions import Mention, find_mentions
from rag.terms import STOP_WORDS, content_stems, stem, words

EXACT_FEATURES = (
    "sim",
    "sim_gap",
    "sim_top",
    "coverage",
    "coverage_gap",
    "idf_coverage",
    "window_coverage",
    "bm25",
    "bm25_top",
    "kind_known",
    "kind_match",
    "kind_in_window",
    "kind_anywhere",
    "novelty",
    "passage_rank",
    "first_passage",
    "missing_everywhere",
    "missing_in_window",
    "max_sim",
    "max_coverage",
    "length",
    "question_terms",
    "bigrams",
    "sim_rank",
    "idf_rank",
    "missing_count",
    "missing_specific",
    "max_missing_idf",
    "negation_mismatch",
    "antonym",
    "kind_near",
)
# Question words said in other words near in meaning (``rag.word_vectors``): read by the selector's
# second reading only (``rag.selector``), which was trained on questions in other words too.
SAID_FEATURES = ("said_coverage", "said_window_coverage", "said_missing_in_window")
FEATURES = EXACT_FEATURES + SAID_FEATURES
# Word pairs whose swap turns a true statement into a false one ("first" for "last"): SQuAD 2.0's
# unanswerable questions are often written that way.
ANTONYMS = tuple(
    (stem(a), stem(b))
    for pair in (
        "first last, before after, increase decrease, rise fall, more less, most least, largest smallest,"
        " high low, higher lower, highest lowest, early late, earliest latest, gain loss, win lose, won lost,"
        " accept reject, allow ban, support oppose, begin end, start finish, open close, major minor, old new,"
        " north south, east west, inside outside, maximum minimum, positive negative, strong weak, above below,"
        " import export, buy sell, bought sold, best worst, longest shortest, oldest newest, upper lower"
    ).split(",")
    for a, b in [pair.split()]
)
# Words inside quotation marks: a quoted "we do not see" is not the sentence denying anything.
_QUOTED = re.compile(r"[\"“][^\"”]*[\"”]")
_WORD = re.compile(r"[\w'’]+")
_NEGATION = re.compile(r"\b(?:not|never|no|none|nor|without|cannot)\b|n't\b", re.IGNORECASE)
# "What is the latest on X?" asks for news of X: retrieval puts the newest report first, and no
# sentence says "the latest" (the question lost the selector's trust for lacking it).
_LATEST_NEWS = re.compile(
    r"\bthe\s+(?:very\s+)?(?:latest|newest)(?:\s+(?:news|update|updates|word))?"
    r"(?=\s+(?:on|about|with|regarding|concerning|in|from|for)\b)",
    re.IGNORECASE,
)
# "The first time since 2022", "its highest level since": the last time before, not the first ever.
_FIRST_SINCE = re.compile(r"\bfirst\b(?:\s+\w+){0,3}?\s+since\b", re.IGNORECASE)
_FIRST_LAST = {stem("first"), stem("last")}
KIND_LOOKUPS = 8
_K1 = 1.2
_B = 0.75


@dataclass(frozen=True)
class Sentence:
    """A candidate as the features see it: its text, its neighbours in the passage, its passage's rank."""

    text: str
    before: str
    after: str
    rank: int
    refers: str = ""  # the named body its "the hospital" stands for (``rag.referents``)


@dataclass(frozen=True)
class QuestionTerms:
    """The question's content stems, each once, its word pairs, its names and numbers, and the asked kind."""

    stems: tuple[str, ...]
    kind: AnswerKind
    bigrams: frozenset[tuple[str, str]] = frozenset()
    specific: tuple[str, ...] = ()  # stems of names and numbers: a swapped one means another subject
    negated: bool = False
    speaker: tuple[str, ...] = ()  # stems of the first name ("what did Rodion Miroshnik say about Nato?")
    forms: tuple[str, ...] = ()  # each stem as the question writes it ("vacant"): for words near in meaning
    # stems a news word of the same role, relation or event says ("heads": "chief executive"), and those words
    alike: tuple[tuple[str, frozenset[Phrase]], ...] = ()

    @classmethod
    def of(cls, question: str, kind: AnswerKind) -> QuestionTerms:
        """Stems in question order, duplicates dropped; "the latest" of "what is the latest on X" left out."""
        question = _LATEST_NEWS.sub(" ", question)
        focus = stem(kind.focus) if kind.focus else ""
        asked = tuple(
            t for t in dict.fromkeys(content_stems(_HOW_MEASURE.sub("how", question))) if t != focus
        )
        forms = {stem(w): w.lower() for w in reversed(words(question)) if w.lower() not in STOP_WORDS}
        return cls(
            asked,
            kind,
            _bigrams(question),
            tuple(dict.fromkeys(stem(w) for w in words(question)[1:] if w[:1].isupper() or w[:1].isdigit())),
            bool(_NEGATION.search(question)),
            _first_name(words(question)[1:]),
            tuple(forms.get(t, t) for t in asked),
            tuple((t, p) for t, p in alternatives(question) if t in asked),
        )


# "How far is the bank from the coast?" is answered by "about 60 km off both coasts": the measure
# asked is the answer's kind (a number), not a word the sentence must say.
_HOW_MEASURE = re.compile(r"\bhow\s+(?:far|big|large|tall|high|deep|fast|heavy|wide)\b", re.IGNORECASE)


_AUX = frozenset("do did does has have had is was were are will would".split())


def _first_name(tokens: Sequence[str]) -> tuple[str, ...]:
    """Stems of the name right after the question's verb: who "what did X say about Y?" asks about
    ("what do investigators think caused the Sorrel Hills fire?" names no speaker)."""
    aux = next((i for i, w in enumerate(tokens) if w.lower() in _AUX), -1)
    run: list[str] = []
    for w in tokens[aux + 1 :] if aux >= 0 else ():
        if w[:1].isupper():
            run.append(stem(w))
        elif run or w.lower() != "the":
            break
    return tuple(run)


@lru_cache(maxsize=4096)
def kind_mentions(sentence: str, terms: QuestionTerms) -> tuple[Mention, ...]:
    """Mentions in ``sentence`` of the asked kind that the question does not already name."""
    if not terms.kind.known:
        return ()
    asked = set(terms.stems)
    return tuple(
        m
        for m in find_mentions(sentence)
        if m.kind in terms.kind.wanted
        and not (set(content_stems(m.text)) <= asked and content_stems(m.text))
        and (m.kind != "statement" or _said_by(sentence, m, terms.speaker))
    )


_SPEAKER_REACH = 6


def _said_by(sentence: str, said: Mention, speakers: Sequence[str]) -> bool:
    """True when the speaker the question names first ("what did Russia say about the ICC?") is the
    one who speaks: the sentence's subject ("Russia, which ..., has rejected"), the words just before
    the reporting verb, or just after a quotation ('"...," chairman Richard Okafor said'). "What did
    Marsh say?" is not answered by "... removed Helen Marsh ..., the company said"."""
    if not speakers:
        return True
    before = words(sentence[: said.start])
    clause = words(sentence[: said.start].rsplit(",", 1)[-1])
    # "..., the company said": the company speaks; "Russia, which ..., has rejected": the subject does
    near = clause[-_SPEAKER_REACH:] if any(w.lower() not in STOP_WORDS for w in clause) else before[:2]
    if [w.lower() for w in clause] in (["he"], ["she"], ["they"]):
        return True  # "He warned that ...": whoever the sentence before names (rag.quotes checks it)
    if said.text[:1] in '"“':
        near += words(sentence[said.end :])[:_SPEAKER_REACH]
    # "a senior Russian official said" speaks for Russia: a demonym that starts with the country's stem
    return any(
        stem(w) in speakers or any(len(s) > 3 and w.lower().startswith(s) for s in speakers) for w in near
    )


def featurize(
    terms: QuestionTerms, sentences: Sequence[Sentence], similarities: np.ndarray, said: bool = True
) -> np.ndarray:
    """One row of ``FEATURES`` per sentence (of ``EXACT_FEATURES`` alone unless ``said``: the words
    said otherwise cost word-vector look-ups that only the second reading needs)."""
    n = len(sentences)
    if n == 0:
        return np.zeros((0, len(FEATURES if said else EXACT_FEATURES)), dtype=np.float32)
    stems = [content_stems(s.text) for s in sentences]
    # a question word a sentence says in a news word of its own (``rag.equivalences``) counts as said
    # and its "the hospital" says the name it stands for ("Kestrel General Hospital", ``rag.referents``)
    sets = [
        set(st) | said_alike(terms.alike, s.text) | set(content_stems(s.refers))
        for st, s in zip(stems, sentences, strict=True)
    ]
    windows = [sets[i] | _said(terms, s.before) | _said(terms, s.after) for i, s in enumerate(sentences)]
    q = terms.stems
    idf = _idf(q, sets)
    q_weight = sum(idf.values()) or 1.0
    coverage = np.array([_share(q, s) for s in sets])
    idf_cov = np.array([sum(idf[t] for t in q if t in s) / q_weight for s in sets])
    window_cov = np.array([_share(q, w) for w in windows])
    bm25 = _bm25(q, stems, idf) / q_weight
    sims = similarities.astype(np.float64)
    # Candidates are read for answers of the asked kind only where they could win: the recogniser
    # is most of an answer's cost, and a sentence far down both rankings is not chosen anyway.
    looked = set(np.argsort(-(idf_cov + sims - sims.max()), kind="stable")[:KIND_LOOKUPS].tolist())
    kind = [i in looked and bool(kind_mentions(s.text, terms)) for i, s in enumerate(sentences)]
    kind_window = [
        k or (i in looked and bool(kind_mentions(s.before, terms) or kind_mentions(s.after, terms)))
        for i, (k, s) in enumerate(zip(kind, sentences, strict=True))
    ]
    anywhere = set().union(*windows)
    missing_all = sum(idf[t] for t in q if t not in anywhere) / q_weight
    rows = np.column_stack(
        [
            sims,
            sims - sims.max(),
            (sims >= sims.max() - 1e-9).astype(float),
            coverage,
            coverage - coverage.max(),
            idf_cov,
            window_cov,
            bm25,
            (bm25 >= bm25.max() - 1e-9).astype(float),
            np.full(n, float(terms.kind.known)),
            np.array(kind, dtype=float),
            np.array(kind_window, dtype=float),
            np.full(n, float(any(kind_window))),
            np.array([1.0 - _share(s, set(q)) if s else 0.0 for s in stems]),
            np.array([min(s.rank, 10) / 10 for s in sentences]),
            np.array([float(s.rank == 0) for s in sentences]),
            np.full(n, missing_all),
            np.array([sum(idf[t] for t in q if t not in w) / q_weight for w in windows]),
            np.full(n, sims.max()),
            np.full(n, coverage.max()),
            np.array([math.log1p(len(s.text)) / 6 for s in sentences]),
            np.full(n, min(len(q), 10) / 10),
            np.array([_bigram_share(terms.bigrams, s.text) for s in sentences]),
            _inverse_rank(sims),
            _inverse_rank(idf_cov),
            np.array([sum(t not in w for t in q) / 5 for w in windows]),
            np.array([sum(t not in w for t in terms.specific) for w in windows], dtype=float),
            np.array(
                [
                    max((idf[t] for t in q if t not in w), default=0.0) / max(idf.values(), default=1.0)
                    for w in windows
                ]
            ),
            np.array(
                [float(terms.negated != bool(_NEGATION.search(_QUOTED.sub("", s.text)))) for s in sentences]
            ),
            np.array([_antonym(q, st, s.text) for st, s in zip(sets, sentences, strict=True)]),
            np.array([_kind_near(s.text, terms) if i in looked else 0.0 for i, s in enumerate(sentences)]),
            *(_said_otherwise(terms, sentences, sets, windows, idf, q_weight) if said else ()),
        ]
    )
    return rows.astype(np.float32)


def _said_otherwise(
    terms: QuestionTerms,
    sentences: Sequence[Sentence],
    sets: Sequence[set[str]],
    windows: Sequence[set[str]],
    idf: dict[str, float],
    q_weight: float,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Question words a sentence says in other words near in meaning ("cancelled" for "scrapped",
    ``rag.word_vectors``), apart from the exact matches: the share of the question's words said so by
    the sentence, by its window, and the weight of those its window says neither way. Kept beside
    the exact features so that a word said otherwise counts what training found it worth, and an
    exact match keeps its own worth. Names and numbers are never said otherwise."""
    from rag.word_vectors import SAID_AT, bundled

    n, q = len(sentences), terms.stems
    forms = terms.forms if len(terms.forms) == len(q) else q
    open_ = [j for j, t in enumerate(q) if t not in terms.specific and not forms[j][:1].isdigit()]
    vectors = bundled() if open_ else None
    said = np.zeros((n, len(q)), dtype=bool)  # sentence i says question word j otherwise
    near = np.zeros((n, len(q)), dtype=bool)  # ... or the sentence before or after it does
    if vectors is not None:
        asked = vectors.of([forms[j] for j in open_])
        for i, s in enumerate(sentences):
            best = [_best_cosines(asked, text) for text in (s.text, s.before, s.after)]
            said[i, open_] = best[0] >= SAID_AT
            near[i, open_] = np.maximum.reduce(best) >= SAID_AT
    exact = np.array([[t in st for t in q] for st in sets], dtype=bool).reshape(n, len(q))
    in_window = np.array([[t in w for t in q] for w in windows], dtype=bool).reshape(n, len(q))
    weights = np.array([idf[t] for t in q])
    share = max(len(q), 1)
    return (
        (said & ~exact).sum(axis=1) / share,
        (near & ~in_window).sum(axis=1) / share,
        ((~near & ~in_window) * weights).sum(axis=1) / q_weight,
    )


def _said(terms: QuestionTerms, text: str) -> set[str]:
    """The stems of a text's content words, and the question's words it says in one of their own."""
    return set(content_stems(text)) | said_alike(terms.alike, text)


def _best_cosines(asked: np.ndarray, text: str) -> np.ndarray:
    """Each asked word's highest cosine to the content words of ``text`` (zeros for an empty text)."""
    from rag.word_vectors import text_vectors

    found = text_vectors(text) if text else np.zeros((0, 0), dtype=np.float32)
    if not len(found):
        return np.zeros(len(asked), dtype=np.float32)
    return np.asarray((asked @ found.T).max(axis=1), dtype=np.float32)


def _bigrams(text: str) -> frozenset[tuple[str, str]]:
    lowered = [stem(w) for w in words(text)]
    return frozenset(itertools.pairwise(lowered))


def _bigram_share(bigrams: frozenset[tuple[str, str]], sentence: str) -> float:
    return len(bigrams & _bigrams(sentence)) / len(bigrams) if bigrams else 0.0


def _kind_near(sentence: str, terms: QuestionTerms, reach: int = 25) -> float:
    """1 when a candidate of the asked kind sits within a few words of a question word ("Judge Amit Mehta")."""
    found = kind_mentions(sentence, terms)
    if not found:
        return 0.0
    asked = set(terms.stems)
    anchors = [m.start() for m in _WORD.finditer(sentence) if stem(m.group()) in asked]
    return float(any(abs(a - m.start) <= reach or abs(a - m.end) <= reach for m in found for a in anchors))


def _antonym(question: Sequence[str], sentence: set[str], text: str = "") -> float:
    """1 when the sentence has the opposite of a question word and not the word itself. "For the
    first time since April" says when it last happened: no opposite of "last"."""
    asked = set(question)
    for a, b in ANTONYMS:
        if {a, b} == _FIRST_LAST and _FIRST_SINCE.search(text):
            continue
        if (a in asked and b in sentence and a not in sentence) or (
            b in asked and a in sentence and b not in sentence
        ):
            return 1.0
    return 0.0


def _inverse_rank(values: np.ndarray) -> np.ndarray:
    """1 for the highest value, 1/2 for the next...: where a sentence stands among the candidates."""
    ranks = np.empty(len(values))
    ranks[np.argsort(-values, kind="stable")] = np.arange(len(values))
    return 1.0 / (1.0 + ranks)


def _share(terms: Sequence[str], found: set[str]) -> float:
    return sum(t in found for t in terms) / len(terms) if terms else 0.0


def _idf(question: Sequence[str], sets: Sequence[set[str]]) -> dict[str, float]:
    """IDF of each question stem over the candidate sentences: a word every candidate shares says little."""
    n = len(sets)
    return {t: math.log(1 + (n - (df := sum(t in s for s in sets)) + 0.5) / (df + 0.5)) for t in question}


def _bm25(question: Sequence[str], stems: Sequence[Sequence[str]], idf: dict[str, float]) -> np.ndarray:
    lengths = np.array([len(s) for s in stems], dtype=float)
    average = lengths.mean() or 1.0
    scores = np.zeros(len(stems))
    for i, sentence in enumerate(stems):
        counts = Counter(sentence)
        norm = _K1 * (1 - _B + _B * lengths[i] / average)
        scores[i] = sum(idf[t] * counts[t] * (_K1 + 1) / (counts[t] + norm) for t in question if t in counts)
    return scores
