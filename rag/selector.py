"""The trained answer selector: which sentence answers, and how sure to be that one does.

Two logistic regressions, trained by ``bench/train_selector.py`` on half of the SQuAD 2.0
dev articles (``make train-selector``):

1. the sentence model rates each candidate (``rag.features.FEATURES``): the probability
   that it holds the answer, trained on answerable questions;
2. the question model reads the two best candidates' features, their ratings and the asked
   kind, and gives the probability that the question is answered by them at all, trained on
   answerable and unanswerable questions alike. The answerer abstains below a threshold on it.

Weights ship as ``rag/selector.json``; inference is two dot products in NumPy, so
scikit-learn is needed only to train.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

import numpy as np

from rag.answer_kinds import LABELS
from rag.errors import ConfigError
from rag.features import FEATURES

WEIGHTS_FILE = "selector.json"
QUESTION_FEATURES = (
    *(f"top_{f}" for f in FEATURES),
    *(f"second_{f}" for f in FEATURES),
    "top_probability",
    "probability_gap",
    "candidates",
    *(f"kind_{label}" for label in LABELS),
)


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
_KIND_KNOWN = FEATURES.index("kind_known")
_KIND_ANYWHERE = FEATURES.index("kind_anywhere")


_KIND_MATCH = FEATURES.index("kind_match")
# What a sentence without a candidate of a strict kind keeps of its rating.
KINDLESS = 0.05


def require_kind(probabilities: np.ndarray, rows: np.ndarray, kind: str) -> np.ndarray:
    """Ratings with sentences that lack an answer of a strict asked kind pushed down: a sentence
    without a number does not say "how many", however many question words it shares."""
    if kind not in PREFERRED_KINDS or len(rows) == 0:
        return probabilities
    return np.where(rows[:, _KIND_MATCH] > 0.5, probabilities, probabilities * KINDLESS)


_MISSING_EVERYWHERE = FEATURES.index("missing_everywhere")


def _off_topic(rows: np.ndarray) -> bool:
    """True when not one content word of the question occurs near any candidate sentence."""
    return bool(rows[0, _MISSING_EVERYWHERE] >= 0.999)


def _no_answer_of_the_kind(rows: np.ndarray) -> bool:
    """True when the question asks for a kind (a number, a date...) that no candidate holds:
    then the articles do not say, however close the sentences are."""
    return bool(rows[0, _KIND_KNOWN] > 0.5 and rows[0, _KIND_ANYWHERE] < 0.5)


@dataclass(frozen=True)
class Selector:
    """The sentence model and the question model."""

    sentence: Logistic
    question: Logistic

    def rate(self, rows: np.ndarray, kind: str) -> np.ndarray:
        """The probability that each candidate sentence holds the answer."""
        return require_kind(self.sentence(rows), rows, kind)

    def confidence(self, rows: np.ndarray, probabilities: np.ndarray, kind: str) -> float:
        """The probability that the best candidates answer the question at all (0 with none)."""
        if len(rows) == 0 or (kind in STRICT_KINDS and _no_answer_of_the_kind(rows)) or _off_topic(rows):
            return 0.0
        return float(self.question(question_row(rows, probabilities, kind)[None, :])[0])

    @classmethod
    def from_dict(cls, data: dict[str, dict[str, object]]) -> Selector:
        """From the JSON the training script writes."""
        return cls(
            Logistic.from_dict(data["sentence"], FEATURES),
            Logistic.from_dict(data["question"], QUESTION_FEATURES),
        )

    @classmethod
    def load(cls, path: Path | None = None) -> Selector:
        """The shipped weights, or those in ``path``."""
        text = path.read_text() if path else resources.files("rag").joinpath(WEIGHTS_FILE).read_text()
        return cls.from_dict(json.loads(text))
