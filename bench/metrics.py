"""Pure benchmark metrics: retrieval hits, answer recall in a context budget, quote accuracy,
abstention, latency percentiles and the answer/abstain trade-off.

Everything here works on plain values so it is unit-tested without a model or an index.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace

from bench.squad import Gold

CONTEXT_BUDGET = 2000
NO_SCORE = float("-inf")  # best sentence score of a question for which nothing was retrieved


@dataclass(frozen=True)
class Span:
    """A retrieved passage reduced to what the metrics need: where it is and what it says."""

    article_id: str
    start: int
    end: int
    text: str


Contains = Callable[[Span, str, Sequence[Gold]], bool]


def contains_by_offset(span: Span, article_id: str, golds: Sequence[Gold]) -> bool:
    """True when a gold answer's span lies inside the passage's span of the same article."""
    return span.article_id == article_id and any(span.start <= g.start and g.end <= span.end for g in golds)


def normalize_text(text: str) -> str:
    """Lower case with whitespace runs collapsed: how answer strings are compared."""
    return re.sub(r"\s+", " ", text).strip().lower()


def contains_by_text(span: Span, article_id: str, golds: Sequence[Gold]) -> bool:
    """True when any gold answer's text occurs in the passage (any article, any position).

    Looser than the offset rule: a year or a name can occur in a passage that does not answer.
    """
    haystack = normalize_text(span.text)
    return any(normalize_text(g.text) in haystack for g in golds if g.text.strip())


def first_hit(
    spans: Sequence[Span], article_id: str, golds: Sequence[Gold], contains: Contains = contains_by_offset
) -> int | None:
    """1-based rank of the first passage holding a gold answer, or None."""
    for rank, span in enumerate(spans, start=1):
        if contains(span, article_id, golds):
            return rank
    return None


def hit_at(ranks: Sequence[int | None], k: int) -> float:
    """Share of questions whose first hit is within the top ``k``."""
    return rate([r is not None and r <= k for r in ranks])


def mrr_at(ranks: Sequence[int | None], k: int = 10) -> float:
    """Mean reciprocal rank, counting a first hit below ``k`` as zero."""
    if not ranks:
        return 0.0
    return sum(1.0 / r for r in ranks if r is not None and r <= k) / len(ranks)


def within_budget(spans: Sequence[Span], budget: int = CONTEXT_BUDGET) -> list[Span]:
    """Passages in rank order while their total length stays within ``budget`` characters.

    The first passage is always taken, cut to ``budget`` when longer, as a prompt builder would.
    """
    if not spans:
        return []
    first = spans[0]
    if len(first.text) > budget:
        return [replace(first, end=first.start + budget, text=first.text[:budget])]
    taken, used = [first], len(first.text)
    for span in spans[1:]:
        if used + len(span.text) > budget:
            break
        taken.append(span)
        used += len(span.text)
    return taken


def recalled(
    spans: Sequence[Span],
    article_id: str,
    golds: Sequence[Gold],
    budget: int = CONTEXT_BUDGET,
    contains: Contains = contains_by_offset,
) -> bool:
    """True when the passages that fit in ``budget`` characters hold a gold answer."""
    return any(contains(s, article_id, golds) for s in within_budget(spans, budget))


def quote_contains_gold(quotes: Sequence[str], golds: Sequence[Gold]) -> bool:
    """True when any cited quote contains any gold answer text (case and spacing ignored)."""
    answers = [normalize_text(g.text) for g in golds if g.text.strip()]
    return any(a in normalize_text(q) for q in quotes for a in answers)


def rate(flags: Sequence[bool]) -> float:
    """Share of true values (0.0 for none)."""
    return sum(flags) / len(flags) if flags else 0.0


def percentile(values: Sequence[float], q: float) -> float:
    """Nearest-rank percentile (``q`` in 0..100): always one of the measured values."""
    if not values:
        return math.nan
    ordered = sorted(values)
    index = max(0, math.ceil(q / 100 * len(ordered)) - 1)
    return ordered[min(index, len(ordered) - 1)]


def chars_per_second(characters: int, seconds: float) -> float:
    """Ingest throughput; infinite for an instant (cached) ingest."""
    return characters / seconds if seconds > 0 else math.inf


def answered_rate(scores: Sequence[float], threshold: float) -> float:
    """Share of questions the answerer would answer: best sentence score at or above ``threshold``."""
    return rate([s >= threshold for s in scores])


@dataclass(frozen=True)
class CurvePoint:
    """One threshold of the trade-off: answered rate per question group, and a balance figure."""

    threshold: float
    answered: Mapping[str, float]

    def abstained(self, group: str) -> float:
        """Abstain rate of a group."""
        return 1.0 - self.answered[group]


def tradeoff(groups: Mapping[str, Sequence[float]], thresholds: Sequence[float]) -> list[CurvePoint]:
    """Answered rate of every group at every threshold."""
    return [
        CurvePoint(t, {name: answered_rate(scores, t) for name, scores in groups.items()}) for t in thresholds
    ]


def best_point(points: Sequence[CurvePoint], answer_group: str, abstain_group: str) -> CurvePoint | None:
    """The threshold that maximises the worse of answering ``answer_group`` and abstaining on
    ``abstain_group``; ties go to the lower threshold (answering more)."""
    if not points:
        return None
    return max(
        points, key=lambda p: (min(p.answered[answer_group], p.abstained(abstain_group)), -p.threshold)
    )


def thresholds(low: float, high: float, step: float) -> list[float]:
    """Evenly spaced thresholds from ``low`` to ``high`` inclusive, rounded for display."""
    count = round((high - low) / step)
    return [round(low + i * step, 4) for i in range(count + 1)]
