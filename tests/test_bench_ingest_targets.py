"""The benchmark's ingest verdicts: speed against the same-run baseline, quality against float32."""

from __future__ import annotations

from typing import Any

import pytest

from bench.report import _dtypes
from bench.squad import SquadArticle, SquadQuestion, SquadSet, first_articles
from bench.targets import ingest_targets


def _results(
    ours_cps: float, base_cps: float, dtype: str, rows: dict[str, dict[str, float]]
) -> dict[str, Any]:
    return {
        "ingest": {"ours": {"chars_per_s": ours_cps, "dtype": dtype}, "baseline": {"chars_per_s": base_cps}},
        "dtype": {"ours": dtype, "rows": rows},
    }


ROW = {"chars_per_s": 1000.0, "hit@5": 0.941, "recall@2000": 0.936}


@pytest.mark.parametrize(
    ("ours", "base", "passed", "shown"),
    [
        (40_000.0, 10_000.0, True, "4.00x"),
        (39_900.0, 10_000.0, False, "3.99x"),
        (9_491.0, 9_747.0, False, "0.97x"),
    ],
)
def test_ingest_speed_needs_four_times_the_baseline(
    ours: float, base: float, passed: bool, shown: str
) -> None:
    speed, _ = ingest_targets(_results(ours, base, "float32", {"float32": ROW}))
    assert speed.passed is passed
    assert speed.value.startswith(shown)


@pytest.mark.parametrize(
    ("hit5", "recall", "passed"),
    [(0.937, 0.931, True), (0.935, 0.936, False), (0.941, 0.930, False), (0.946, 0.941, True)],
)
def test_bf16_quality_must_stay_within_half_a_point_of_float32(
    hit5: float, recall: float, passed: bool
) -> None:
    rows = {"bfloat16": {**ROW, "hit@5": hit5, "recall@2000": recall}, "float32": ROW}
    _, quality = ingest_targets(_results(3.0, 1.0, "bfloat16", rows))
    assert quality.passed is passed
    assert "bfloat16" in quality.name and "reference" not in quality.value


def test_float32_ingest_is_its_own_reference_and_says_so() -> None:
    _, quality = ingest_targets(_results(1.0, 1.0, "float32", {"float32": ROW}))
    assert quality.passed
    assert quality.value == "hit@5 +0.000, recall@2000 +0.000 (float32 is the reference)"


def test_report_lists_each_dtype_with_its_delta_against_float32() -> None:
    rows = {"float32": ROW, "bfloat16": {**ROW, "chars_per_s": 80.0, "hit@5": 0.939}}
    text = _dtypes({"dtype": {"ours": "float32", "rows": rows}})
    assert "| float32 (ours) | 1,000 | 0.941 | +0.000 |" in text
    assert "| bfloat16 | 80 | 0.939 | -0.002 |" in text


def test_first_articles_keeps_only_their_questions() -> None:
    articles = tuple(SquadArticle(f"a{i}", f"A{i}", "text") for i in range(3))
    questions = tuple(SquadQuestion(f"q{i}", "?", f"a{i % 3}", (), False) for i in range(9))
    small = first_articles(SquadSet(articles, questions), 2)
    assert [a.id for a in small.articles] == ["a0", "a1"]
    assert {q.article_id for q in small.questions} == {"a0", "a1"} and len(small.questions) == 6
    assert first_articles(SquadSet(articles, questions), None).questions == questions
