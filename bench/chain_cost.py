"""`python -m bench.chain_cost`: what running answers through the LangChain chain costs per question.

``Assistant.ask`` (the chain: condense | retrieve | answer) is timed against calling the same three
step functions directly, in interleaved pairs on one archive (the seed plus 20 short dated
articles, in a temporary folder), so machine load hits both alike; the paired difference is
LangChain's own cost. Results go to docs/benchmarks-answer-speed.md by hand.
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from rag import Answer, Article, Assistant, Settings

ROOT = Path(__file__).resolve().parent.parent
QUESTIONS = [
    "When did Putin send troops into Ukraine?",
    "Who issued an arrest warrant for Putin?",
    "What is the boiling point of mercury?",
    "How much did the pier repairs cost?",
]


def harbour(i: int) -> Article:
    """One short dated article of a recurring story."""
    text = (
        f"The harbour of Westport reopened on day {i} after a storm closed it. "
        f"Mayor Ines Halvorsen said repairs to pier {i} cost {i + 2} million euros. "
        "Fishing boats returned to the docks in the afternoon, and the ferry resumed service."
    )
    return Article(id=f"h{i}", title=f"Harbour report {i}", text=text, published=dt.date(2024, 1, 1 + i))


def direct(assistant: Assistant) -> Callable[[str], Answer]:
    """The chain's three step functions called one after the other, without LangChain."""
    condense, retrieve, answer = assistant.chain.steps  # type: ignore[attr-defined]
    return lambda question: answer._answer(retrieve.func(condense.func(question)))  # type: ignore[no-any-return]


def main(argv: list[str] | None = None) -> None:
    """Print p50 of ask, of the direct calls, and of their paired difference, in ms."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pairs", type=int, default=600, help="interleaved (chain, direct) pairs")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as folder:
        assistant = Assistant(Settings(data_dir=Path(folder)))
        assistant.ingest([ROOT / "seeds", *(harbour(i) for i in range(20))])
        plain = direct(assistant)
        assistant.warm_up()
        for question in QUESTIONS * 3:
            assistant.ask(question)
            plain(question)
        chain, raw = [], []
        for i in range(args.pairs):
            question = QUESTIONS[i % len(QUESTIONS)]
            started = time.perf_counter()
            assistant.ask(question)
            chain.append(time.perf_counter() - started)
            started = time.perf_counter()
            plain(question)
            raw.append(time.perf_counter() - started)
        assistant.close()
    differences = [a - b for a, b in zip(chain, raw, strict=True)]
    print(
        f"ask p50 {statistics.median(chain) * 1000:.2f} ms, direct p50 {statistics.median(raw) * 1000:.2f} ms, "
        f"paired difference p50 {statistics.median(differences) * 1000:.3f} ms ({args.pairs} pairs)"
    )


if __name__ == "__main__":
    main()
