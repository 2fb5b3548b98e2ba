"""The trained answer selector: which sentence answers, and how sure to be that one does.

Two logistic regressions, trained by ``bench/train_selector.py`` on half of the SQuAD 2.0
dev articles (``make train-selector``):

1. the sentence model rates each candidate (``rag.features.FEATURES``): the probability
   that it holds the answer, trained on answerable questions;
2. the question model reads the two best candidates' features, their ratings and the asked
   kind, and gives the probability that the question is answered by them at all, trained on
   answerable and unanswerable questions alike. The answerer abstains below a threshold on it.

SQuAD's questions reuse their paragraph's words, so both models learnt to doubt a sentence that
says the question in other words ("cancelled" for "scrapped"). A second reading (``otherwise``:
the same two models over ``FEATURES``, which add the question's words said otherwise, trained on
the training questions and copies of them with common words swapped for near synonyms) is asked
only when the first is too unsure to answer; the first reading's answers are left as they were.

Weights ship as ``rag/selector.json``, written by ``make train-selector`` from the weights it
keeps as trained on 2026-12-06 and 07 (``bench/selector_kept.json``; why it does not retrain them
is in ``bench/train_selector.py``). Inference is two dot products in NumPy, so scikit-learn is
needed only to train.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from rag.answer_kinds import LABELS
from rag.errors import ConfigError
from rag.features import EXACT_FEATURES, FEATURES

WEIGHTS_FILE = "selector.json"


def question_features(features: tuple[str, ...]) -> tuple[str, ...]:
    """The question model's features over sentence ``features``."""
    return (
        *(f"top_{f}" for f in features),
        *(f"second_{f}" for f in features),
        "top_probability",
        "probability_gap",
        "candidates",
        *(f"kind_{label}" for label in LABELS),
    )


QUESTION_FEATURES = question_features(EXACT_FEATURES)
SAID_QUESTION_FEATURES = question_features(FEATURES)


@dataclass(frozen=True)
class Logistic:
    """``sigmoid(((x - mean) / scale) @ coef + intercept)`` over named features."""

    features: tuple[str, ...]
    mean: np.ndarray
    scale: np.ndarray
    coef: np.ndarray
    intercept: float

    def __call__(self, rows: np.ndarray) -> np.ndarray:
        """One probability per row."""
        if len(rows) == 0:
            return np.zeros(0)
        z = ((rows - self.mean) / self.scale) @ self.coef + self.intercept
        return np.asarray(1.0 / (1.0 + np.exp(-z)))

    @classmethod
    def from_dict(cls, data: dict[str, object], expected: tuple[str, ...]) -> Logistic:
        """From the training script's JSON; its features must be the ones this code computes."""
        if tuple(data.get("features", ())) != expected:  # type: ignore[arg-type]
            raise ConfigError(
                "The selector weights were trained on other features than this version computes: "
                "run `make train-selector` to retrain them."
            )
        return cls(
            features=expected,
            mean=np.asarray(data["mean"], dtype=np.float64),
            scale=np.asarray(data["scale"], dtype=np.float64),
            coef=np.asarray(data["coef"], dtype=np.float64),
            intercept=float(data["intercept"]),  # type: ignore[arg-type]
        )


def question_row(rows: np.ndarray, probabilities: np.ndarray, kind: str) -> np.ndarray:
    """The question model's input: the two best candidates' rows, their ratings, the asked kind."""
    order = np.argsort(-probabilities, kind="stable")
    top = rows[order[0]]
    second = rows[order[1]] if len(order) > 1 else top
    gap = probabilities[order[0]] - (probabilities[order[1]] if len(order) > 1 else 0.0)
    kinds = [float(kind == label) for label in LABELS]
    return np.concatenate([top, second, [probabilities[order[0]], gap, min(len(rows), 60) / 60], kinds])


# Kinds the recogniser finds reliably (numbers, amounts, dates, names): with none of them among the
# candidates the articles do not hold the answer. Causes, roles and statements are worded too freely.
STRICT_KINDS = frozenset({"who", "when", "how many", "how much", "how long", "what share"})
# Kinds whose candidates lead the ranking: the strict ones, and what a named speaker said.
PREFERRED_KINDS = STRICT_KINDS | {"what said"}
_KIND_KNOWN = EXACT_FEATURES.index("kind_known")
_KIND_ANYWHERE = EXACT_FEATURES.index("kind_anywhere")


_KIND_MATCH = EXACT_FEATURES.index("kind_match")
# What a sentence without a candidate of a strict kind keeps of its rating.
KINDLESS = 0.05


def require_kind(probabilities: np.ndarray, rows: np.ndarray, kind: str) -> np.ndarray:
    """Ratings with sentences that lack an answer of a strict asked kind pushed down: a sentence
    without a number does not say "how many", however many question words it shares."""
    if kind not in PREFERRED_KINDS or len(rows) == 0:
        return probabilities
    return np.where(rows[:, _KIND_MATCH] > 0.5, probabilities, probabilities * KINDLESS)


_MISSING_EVERYWHERE = EXACT_FEATURES.index("missing_everywhere")
_SAID_MISSING = FEATURES.index("said_missing_in_window")
_SAID_IN_WINDOW = FEATURES.index("said_window_coverage")


def _off_topic(rows: np.ndarray) -> bool:
    """True when not one content word of the question occurs near any candidate sentence."""
    return bool(rows[0, _MISSING_EVERYWHERE] >= 0.999)


def _no_answer_of_the_kind(rows: np.ndarray) -> bool:
    """True when the question asks for a kind (a number, a date...) that no candidate holds:
    then the articles do not say, however close the sentences are."""
    return bool(rows[0, _KIND_KNOWN] > 0.5 and rows[0, _KIND_ANYWHERE] < 0.5)


@dataclass(frozen=True)
class Selector:
    """The sentence model and the question model, and the second reading asked when they doubt."""

    sentence: Logistic
    question: Logistic
    otherwise: Selector | None = None

    @property
    def columns(self) -> int:
        """How many of a row's features (``FEATURES``, in order) these models read."""
        return len(self.sentence.features)

    def rate(self, rows: np.ndarray, kind: str) -> np.ndarray:
        """The probability that each candidate sentence holds the answer."""
        return require_kind(self.sentence(rows[:, : self.columns]), rows, kind)

    def confidence(self, rows: np.ndarray, probabilities: np.ndarray, kind: str) -> float:
        """The probability that the best candidates answer the question at all (0 with none)."""
        if len(rows) == 0 or (kind in STRICT_KINDS and _no_answer_of_the_kind(rows)) or _off_topic(rows):
            return 0.0
        row = question_row(rows[:, : self.columns], probabilities, kind)
        return float(self.question(row[None, :])[0])

    def reread(self, rows: np.ndarray, kind: str, floor: float) -> tuple[np.ndarray, float] | None:
        """The second reading's ratings and confidence (``rows`` of all ``FEATURES``), when it is sure
        enough (``floor``) and its best sentence, with the ones around it, says every word of the
        question, some of them otherwise: unsure, left with a word unsaid ("what did the storm damage
        cost?" of a sentence on what repairs cost), or with every word said as asked (then the first
        reading knew all there is: SQuAD's unanswerable questions, read again, were answered more), it
        answers no more than the first reading did."""
        second = self.otherwise
        if second is None or len(rows) == 0:
            return None
        rated = second.rate(rows, kind)
        sure = second.confidence(rows, rated, kind)
        best = rows[int(np.argmax(rated))]
        if sure < floor or best[_SAID_MISSING] > 1e-6 or best[_SAID_IN_WINDOW] <= 0:
            return None
        return rated, sure

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, object]]) -> Selector:
        """From the JSON the training script writes."""
        second = data.get("said_otherwise")
        return cls(
            Logistic.from_dict(data["sentence"], EXACT_FEATURES),
            Logistic.from_dict(data["question"], QUESTION_FEATURES),
            cls(
                Logistic.from_dict(second["sentence"], FEATURES),  # type: ignore[arg-type]
                Logistic.from_dict(second["question"], SAID_QUESTION_FEATURES),  # type: ignore[arg-type]
            )
            if second
            else None,
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Selector:
        """The shipped weights, or those in ``path``."""
        text = path.read_text() if path else resources.files("rag").joinpath(WEIGHTS_FILE).read_text()
        return cls.from_dict(json.loads(text))
