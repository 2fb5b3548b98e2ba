"""`python -m bench`: run the SQuAD 2.0 benchmark, write the JSON results and the markdown report."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import math
import os
import platform
import shlex
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

RESULTS = Path(__file__).resolve().parent / "results" / "latest.json"


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    """The command line: output paths and sample sizes."""
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--out", type=Path, help="write the markdown report here (default: stdout)")
    parser.add_argument("--json", type=Path, default=RESULTS, help="raw results file (default: %(default)s)")
    parser.add_argument(
        "--from-json", type=Path, help="only re-render the report from an earlier run's results file"
    )
    parser.add_argument("--limit", type=int, help="answerable questions for retrieval metrics (default: all)")
    parser.add_argument(
        "--answer-limit", type=int, default=1000, help="questions per answer group (default: %(default)s)"
    )
    parser.add_argument(
        "--latency-limit", type=int, default=200, help="questions timed per call (default: %(default)s)"
    )
    parser.add_argument(
        "--articles",
        type=int,
        help="index only the first N articles and ask only their questions (default: all)",
    )
    parser.add_argument(
        "--compare-dtype",
        choices=["bfloat16", "float32"],
        help="also ingest with this model dtype and report its speed and retrieval deltas against float32",
    )
    parser.add_argument(
        "--quick",
        action="store_true",
        help="a smoke run for iterating: --articles 4 --limit 300 --answer-limit 100 --latency-limit 30",
    )
    args = parser.parse_args(argv)
    if args.quick:
        args.articles = args.articles or 4
        args.limit = args.limit or 300
        args.answer_limit = min(args.answer_limit, 100)
        args.latency_limit = min(args.latency_limit, 30)
    return args


def machine() -> dict[str, Any]:
    """Cores, CPU model and Python version, for the report's header."""
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    return {"nproc": os.cpu_count(), "cpu": cpu, "python": platform.python_version()}


def _finite(value: Any) -> Any:
    """JSON has no infinities: they become null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def main(argv: list[str] | None = None) -> int:
    """Run every phase, then write the results and the report."""
    argv = sys.argv[1:] if argv is None else argv
    args = parse_args(argv)
    # The model is bundled; never let a library reach for the hub, and keep tokenizers quiet.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    from bench.report import render
    from bench.run import Limits, run
    from bench.squad import first_articles, load_squad
    from bench.targets import check

    if args.from_json:
        return _write_report(render(json.loads(args.from_json.read_text())), args.out)
    limit = args.limit
    limits = Limits(
        retrieval=limit,
        answers=min(args.answer_limit, limit) if limit else args.answer_limit,
        latency=min(args.latency_limit, limit) if limit else args.latency_limit,
        compare_dtype=args.compare_dtype,
    )
    started = time.monotonic()
    with tempfile.TemporaryDirectory(prefix="rag-bench-") as workdir:
        results = run(first_articles(load_squad(), args.articles), limits, Path(workdir))
    results.update(
        date=dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        machine=machine(),
        command=shlex.join([".venv/bin/python", "-m", "bench", *argv]),
        elapsed_s=time.monotonic() - started,
    )
    results["targets"] = check(results)
    args.json.parent.mkdir(parents=True, exist_ok=True)
    args.json.write_text(json.dumps(_finite(results), indent=2) + "\n")
    print(f"results: {args.json}", file=sys.stderr)
    return _write_report(render(_finite(results)), args.out)


def _write_report(report: str, out: Path | None) -> int:
    if out:
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_text(report)
    else:
        sys.stdout.write(report)
    print(f"report: {out or 'stdout'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
