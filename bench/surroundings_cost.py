"""`python -m bench.surroundings_cost`: what reading the sentences around the passages costs per question.

On the scale benchmark's index (``python -m bench.scale`` builds it under ``.bench-cache/scale``), each
question is retrieved once; then the store's read of the passages' surroundings is timed, and the
answer is timed in interleaved pairs from the same passages without them and with them (the sentence
cache cleared before each, so every answer embeds what it must). Results go to
docs/benchmarks-answer-speed.md by hand.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path

from bench.squad import load_squad, sample
from rag import Assistant, Question, Settings
from rag.types import AnswerRequest


def timed(call: Callable[[], object]) -> float:
    """Milliseconds one call takes."""
    began = time.perf_counter()
    call()
    return (time.perf_counter() - began) * 1000


def summary(name: str, ms: list[float]) -> str:
    """p50, p99 and mean of ``ms``, in one line."""
    ordered = sorted(ms)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return f"{name}: p50 {statistics.median(ordered):.2f} ms, p99 {p99:.2f} ms, mean {statistics.fmean(ordered):.2f} ms"


def main(argv: list[str] | None = None) -> None:
    """Print the surroundings read, the answer without and with them, and the paired difference."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path(".bench-cache/scale/index-100000"))
    parser.add_argument("--questions", type=int, default=200, help="SQuAD questions timed")
    args = parser.parse_args(argv)
    assistant = Assistant(Settings(data_dir=args.index))
    questions = [q.question for q in sample(load_squad().answerable, args.questions)]
    requests = [assistant.prepare.invoke(Question(q)) for q in questions]
    store, answerer = assistant.store, assistant.answerer

    def bare(r: AnswerRequest) -> AnswerRequest:
        return replace(
            r, surroundings={}, sentence_vectors=store.sentence_vectors([p.chunk_id for p in r.passages])
        )

    def answer(r: AnswerRequest) -> float:
        answerer.vectors.clear()  # type: ignore[attr-defined]
        return timed(lambda: answerer.answer(r))

    def reading(r: AnswerRequest) -> float:
        ids = [p.chunk_id for p in r.passages]
        return timed(lambda: store.surroundings(ids))

    read = [reading(r) for r in requests]
    without, with_ = zip(*((answer(bare(r)), answer(r)) for r in requests), strict=True)
    print(summary("surroundings read", read))
    print(summary("answer without surroundings", list(without)))
    print(summary("answer with surroundings", list(with_)))
    print(summary("paired difference", [w - o for w, o in zip(with_, without, strict=True)]))
    assistant.close()


if __name__ == "__main__":
    main()
