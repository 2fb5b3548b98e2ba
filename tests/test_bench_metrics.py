"""The benchmark's pure metrics, table-driven, plus the gold-offset mapping they rely on."""

from __future__ import annotations

import math

import pytest

from bench.metrics import (
    NO_SCORE,
    Span,
    answered_rate,
    best_point,
    chars_per_second,
    contains_by_offset,
    contains_by_text,
    first_hit,
    hit_at,
    mrr_at,
    normalize_text,
    percentile,
    quote_contains_gold,
    rate,
    recalled,
    thresholds,
    tradeoff,
    within_budget,
)
from bench.squad import Gold, SquadQuestion, normalize_paragraph, sample

GOLD = (Gold(100, 110, "Rollo Duke"),)


def span(start: int, end: int, article: str = "a", text: str | None = None) -> Span:
    return Span(article, start, end, text if text is not None else "x" * (end - start))


@pytest.mark.parametrize(
    ("passage", "expected"),
    [
        (span(90, 120), True),
        (span(100, 110), True),  # exactly the answer
        (span(101, 120), False),  # cuts the answer's start
        (span(90, 109), False),  # cuts the answer's end
        (span(90, 120, article="b"), False),  # same offsets, other article
    ],
)
def test_contains_by_offset(passage: Span, expected: bool) -> None:
    assert contains_by_offset(passage, "a", GOLD) is expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("In 911 ROLLO   duke of Normandy", True),  # case and spacing ignored
        ("Rollo, Duke", False),
        ("", False),
    ],
)
def test_contains_by_text_ignores_offsets_and_article(text: str, expected: bool) -> None:
    assert contains_by_text(Span("other", 0, len(text), text), "a", GOLD) is expected


def test_first_hit_is_one_based_and_none_when_missing() -> None:
    spans = [span(0, 50), span(200, 300), span(95, 115)]
    assert first_hit(spans, "a", GOLD) == 3
    assert first_hit(spans[:2], "a", GOLD) is None
    assert first_hit([], "a", GOLD) is None


@pytest.mark.parametrize(
    ("k", "expected"),
    [(1, 0.25), (3, 0.5), (5, 0.75), (10, 0.75)],
)
def test_hit_at(k: int, expected: float) -> None:
    assert hit_at([1, 3, 5, None], k) == pytest.approx(expected)


def test_mrr_counts_ranks_beyond_k_as_zero() -> None:
    assert mrr_at([1, 2, None, 11], k=10) == pytest.approx((1 + 0.5) / 4)
    assert mrr_at([], k=10) == 0.0


def test_within_budget_stops_before_the_passage_that_overflows() -> None:
    spans = [span(0, 800), span(1000, 1900), span(2000, 2400), span(3000, 3100)]
    taken = within_budget(spans, 2000)
    assert [s.start for s in taken] == [0, 1000]  # 800 + 900 = 1700; + 400 would be 2100


def test_within_budget_allows_exactly_the_budget() -> None:
    spans = [span(0, 1000), span(1000, 2000), span(5000, 5001)]
    assert len(within_budget(spans, 2000)) == 2


def test_within_budget_truncates_a_long_first_passage() -> None:
    first = Span("a", 500, 3500, "y" * 3000)
    (taken,) = within_budget([first, span(0, 10)], 2000)
    assert (taken.start, taken.end, len(taken.text)) == (500, 2500, 2000)


def test_within_budget_of_nothing() -> None:
    assert within_budget([], 2000) == []


@pytest.mark.parametrize(
    ("spans", "expected"),
    [
        ([span(90, 120)], True),
        ([span(200, 1700), span(1700, 2300), span(90, 120)], False),  # the hit falls outside the budget
        ([Span("a", 0, 3000, "z" * 3000)], True),  # cut to [0, 2000): still holds [100, 110)
        ([Span("a", 0, 3000, "z" * 3000)], True),
        ([], False),
    ],
)
def test_recalled(spans: list[Span], expected: bool) -> None:
    assert recalled(spans, "a", GOLD, 2000) is expected


def test_recall_misses_an_answer_cut_off_by_the_truncation() -> None:
    late = (Gold(2500, 2510, "late"),)
    assert not recalled([Span("a", 0, 3000, "z" * 3000)], "a", late, 2000)


@pytest.mark.parametrize(
    ("quotes", "expected"),
    [
        (["He was the first  rollo\nduke of Normandy."], True),
        (["Something else.", "The ROLLO DUKE."], True),
        (["Rollo was a duke."], False),
        ([], False),
    ],
)
def test_quote_contains_gold(quotes: list[str], expected: bool) -> None:
    assert quote_contains_gold(quotes, GOLD) is expected


def test_quote_contains_gold_ignores_empty_gold() -> None:
    assert not quote_contains_gold(["anything"], (Gold(0, 0, " "),))


def test_normalize_text() -> None:
    assert normalize_text("  A\tB \n\n c ") == "a b c"


def test_rates_and_throughput() -> None:
    assert rate([True, False, True, True]) == 0.75
    assert rate([]) == 0.0
    assert chars_per_second(1000, 2.0) == 500.0
    assert math.isinf(chars_per_second(1000, 0.0))


@pytest.mark.parametrize(
    ("q", "expected"),
    [(50, 5.0), (99, 10.0), (100, 10.0), (0, 1.0), (10, 1.0), (11, 2.0)],
)
def test_percentile_nearest_rank(q: float, expected: float) -> None:
    assert percentile([float(v) for v in range(10, 0, -1)], q) == expected


def test_percentile_of_nothing_is_nan() -> None:
    assert math.isnan(percentile([], 50))


def test_answered_rate_counts_the_floor_itself_as_answered() -> None:
    assert answered_rate([0.2, 0.35, 0.5, NO_SCORE], 0.35) == 0.5


def test_tradeoff_and_best_point() -> None:
    groups = {"inside": [0.6, 0.5, 0.45, 0.3], "outside": [0.1, 0.2, 0.32, 0.4]}
    points = tradeoff(groups, [0.3, 0.35, 0.45, 0.55])
    assert [p.answered["inside"] for p in points] == [1.0, 0.75, 0.75, 0.25]
    assert [p.abstained("outside") for p in points] == [0.5, 0.75, 1.0, 1.0]
    best = best_point(points, "inside", "outside")
    # 0.35 and 0.45 both reach min(...) = 0.75; the lower floor wins the tie.
    assert best is not None and best.threshold == 0.35
    assert best_point([], "inside", "outside") is None


def test_best_point_prefers_the_lower_threshold_on_ties() -> None:
    points = tradeoff({"in": [0.9], "out": [0.1]}, [0.2, 0.3])
    best = best_point(points, "in", "out")
    assert best is not None and best.threshold == 0.2


def test_thresholds_are_inclusive_and_rounded() -> None:
    assert thresholds(0.2, 0.3, 0.025) == [0.2, 0.225, 0.25, 0.275, 0.3]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("a  b\u00a0 c", "a b c"),
        ("  lead and trail  ", "lead and trail"),
        ("zero\u200bwidth", "zerowidth"),
        ("line\nbreak", "line break"),
    ],
)
def test_normalize_paragraph(raw: str, expected: str) -> None:
    text, mapping = normalize_paragraph(raw)
    assert text == expected
    assert len(mapping) == len(raw) + 1 and mapping[-1] == len(text)


def test_normalize_paragraph_maps_answer_offsets() -> None:
    raw = "  The   Normans  were in   Normandy. "
    text, mapping = normalize_paragraph(raw)
    start = raw.index("Normandy")
    assert text[mapping[start] : mapping[start + len("Normandy")]] == "Normandy"


def test_sample_is_deterministic_and_nested() -> None:
    questions = [SquadQuestion(f"q{i}", "?", "a", (), False) for i in range(50)]
    small, large = sample(questions, 10), sample(list(reversed(questions)), 20)
    assert small == large[:10]
    assert len(sample(questions, None)) == 50


def test_best_point_raises_the_floor_when_that_costs_no_answers() -> None:
    points = tradeoff({"in": [0.9, 0.8], "out": [0.1, 0.5]}, [0.3, 0.6])
    best = best_point(points, "in", "out")
    assert best is not None and best.threshold == 0.6
