"""The project's benchmark targets, checked against a run's raw results."""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

RECALL_MIN = 0.93
RECALL_MARGIN = 0.08
QUOTE_MIN = 0.80
ABSTAIN_MIN = 0.90
ANSWER_MIN = 0.90
INGEST_RATIO_MIN = 4.0
DTYPE_DELTA_MAX = 0.005


@dataclass(frozen=True)
class Target:
    """One target: what is measured, the bar, the value and the verdict."""

    name: str
    bar: str
    value: str
    passed: bool


def check(results: dict[str, Any]) -> list[dict[str, Any]]:
    """Every target's verdict, in the order the report lists them."""
    ours = results["retrieval"]["ours"]["recall@2000"]
    base = results["retrieval"]["baseline"]["recall@2000"]
    answers = results["answers"]
    quote = answers["answerable"]["quote_contains_gold"]
    abstain = answers["out_of_index"]["abstained"]
    answered = answers["in_index"]["answered"]
    violations = sum(int(group["offset_violations"]) for group in answers.values())
    found = [
        Target("recall@2000", f">= {RECALL_MIN:.2f}", f"{ours:.3f}", ours >= RECALL_MIN),
        Target(
            "recall@2000 over baseline",
            f">= baseline + {RECALL_MARGIN:.2f} ({base + RECALL_MARGIN:.3f})",
            f"{ours:.3f} vs {base:.3f} ({ours - base:+.3f})",
            ours >= base + RECALL_MARGIN,
        ),
        Target("quote contains gold (answerable)", f">= {QUOTE_MIN:.2f}", f"{quote:.3f}", quote >= QUOTE_MIN),
        Target(
            "out-of-index abstain, with in-index answered",
            f">= {ABSTAIN_MIN:.2f} and >= {ANSWER_MIN:.2f}",
            f"{abstain:.3f} and {answered:.3f}",
            abstain >= ABSTAIN_MIN and answered >= ANSWER_MIN,
        ),
        Target("quote/offset violations", "== 0", str(violations), violations == 0),
        *ingest_targets(results),
    ]
    return [asdict(t) for t in found]


def ingest_targets(results: dict[str, Any]) -> list[Target]:
    """Ingest speed against the same-run baseline, and retrieval quality against float32 weights."""
    ingest = results["ingest"]
    ratio = ingest["ours"]["chars_per_s"] / ingest["baseline"]["chars_per_s"]
    speed = Target(
        "ingest chars/s over the LangChain tutorial pipeline",
        f">= {INGEST_RATIO_MIN:.0f}x",
        f"{ratio:.2f}x ({ingest['ours']['chars_per_s']:,.0f} vs {ingest['baseline']['chars_per_s']:,.0f})",
        ratio >= INGEST_RATIO_MIN,
    )
    rows = results["dtype"]["rows"]
    ours, reference = rows[results["dtype"]["ours"]], rows["float32"]
    deltas = {key: ours[key] - reference[key] for key in ("hit@5", "recall@2000")}
    same = results["dtype"]["ours"] == "float32"
    quality = Target(
        f"ingest dtype ({results['dtype']['ours']}) vs float32: hit@5, recall@2000",
        f"within {DTYPE_DELTA_MAX}",
        ", ".join(f"{k} {v:+.3f}" for k, v in deltas.items())
        + (" (float32 is the reference)" if same else ""),
        all(abs(v) <= DTYPE_DELTA_MAX + 1e-9 for v in deltas.values()),  # "within" includes the bound,
    )
    return [speed, quality]
