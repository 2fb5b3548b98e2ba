"""`python -m bench.news`: the extractive answerer on news it was not trained on.

Ingests the news fixtures (tests/fixtures/news/articles) and the seed article into a fresh
index and asks every question of tests/fixtures/news/questions.json through the library:
answerable questions (does a quote hold the expected sentence, and is the short answer the
highlighted one?), on-topic questions the articles do not answer (abstained?), multi-part
and comparison questions (one quote per part), and two- and three-turn conversations
(every turn cites the right sentence, or abstains when it should; follow-ups resolved and
fresh questions left alone). Prints JSON; ``python -m bench`` puts it in docs/benchmarks.md.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures" / "news"


def cites(answer: Any, expect: str | list[str] | None) -> bool:
    """True when the answer does what the fixture expects: quotes ``expect`` (any one of a list of
    them), or abstains for None."""
    if expect is None:
        return bool(answer.abstained)
    options = [expect] if isinstance(expect, str) else expect
    return not answer.abstained and any(e in c.quote for c in answer.citations for e in options)


def highlighted(answer: Any, expect: str, short: str) -> bool:
    """True when the citation quoting ``expect`` marks a short answer that contains ``short``."""
    for c in answer.citations:
        start, end = getattr(c, "answer_start", None), getattr(c, "answer_end", None)
        if expect in c.quote and start is not None and end is not None:
            phrase = c.quote[start - c.start : end - c.start]
            if short in phrase or (phrase in short and len(phrase) >= len(short) / 2):
                return True
    return False


def evaluate(assistant: Any, questions: dict[str, Any]) -> dict[str, Any]:
    """Every group's rates, and the failures by name, from one assistant over the fixtures."""
    answerable = [(q, assistant.ask(q["question"])) for q in questions["answerable"]]
    with_short = [(q, a) for q, a in answerable if "answer" in q]
    unanswerable = [assistant.ask(q["question"]) for q in questions["unanswerable"]]
    multipart = [(q, assistant.ask(q["question"])) for q in questions["multipart"] + questions["comparison"]]
    turns = list(_conversations(assistant, questions["conversations"]))
    follow = [(t, a) for t, a in turns if "follow_up" in t]
    return {
        "answerable": len(answerable),
        "answerable_cites_expected": _rate([cites(a, q["expect"]) for q, a in answerable]),
        "answerable_answered": _rate([not a.abstained for _, a in answerable]),
        "short_answer_highlighted": _rate([highlighted(a, q["expect"], q["answer"]) for q, a in with_short]),
        "unanswerable": len(unanswerable),
        "unanswerable_abstained": _rate([a.abstained for a in unanswerable]),
        "multipart": len(multipart),
        "multipart_all_parts_quoted": _rate([all(cites(a, e) for e in q["expect"]) for q, a in multipart]),
        "multipart_parts_quoted": _rate([cites(a, e) for q, a in multipart for e in q["expect"]]),
        "conversations": len(questions["conversations"]),
        "conversation_turns": len(turns),
        "turns_cite_right_sentence": _rate([cites(a, t["expect"]) for t, a in turns]),
        "follow_ups_resolved": _rate(
            [(a.search_query != t["question"]) == t["follow_up"] for t, a in follow]
        ),
        "failures": {
            "answerable": [q["question"] for q, a in answerable if not cites(a, q["expect"])],
            "unanswerable": [
                q["question"]
                for q, a in zip(questions["unanswerable"], unanswerable, strict=True)
                if not a.abstained
            ],
            "multipart": [q["question"] for q, a in multipart if not all(cites(a, e) for e in q["expect"])],
            "turns": [f"{t['question']} -> {a.search_query}" for t, a in turns if not cites(a, t["expect"])],
            "follow_ups": [
                f"{t['question']} -> {a.search_query}"
                for t, a in follow
                if (a.search_query != t["question"]) != t["follow_up"]
            ],
        },
    }


def _conversations(assistant: Any, conversations: Sequence[list[dict[str, Any]]]) -> Any:
    """Each turn with its answer, asked with the earlier turns of its conversation as history."""
    for turns in conversations:
        history: list[tuple[str, str]] = []
        for turn in turns:
            answer = assistant.ask(turn["question"], history=history)
            yield turn, answer
            history.append((turn["question"], answer.text))


def _rate(flags: Sequence[bool]) -> float:
    return sum(flags) / len(flags) if flags else 0.0


def run(workdir: Path) -> dict[str, Any]:
    """Index the fixtures and the seed in ``workdir`` and evaluate every question."""
    from rag import Assistant, Settings

    assistant = Assistant(Settings(data_dir=workdir))
    report = assistant.ingest([str(FIXTURES / "articles"), str(ROOT / "seeds")])
    if not report.ok:
        raise RuntimeError(f"ingest failed: {report.failures}")
    try:
        return evaluate(assistant, json.loads((FIXTURES / "questions.json").read_text()))
    finally:
        assistant.close()


def main(argv: list[str] | None = None) -> int:
    """Run once and print the results as JSON."""
    parser = argparse.ArgumentParser(prog="python -m bench.news", description=__doc__)
    parser.add_argument("--out", type=Path, help="also write the JSON here")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    with tempfile.TemporaryDirectory(prefix="rag-news-") as workdir:
        results = run(Path(workdir))
    text = json.dumps(results, indent=1)
    if args.out:
        args.out.write_text(text + "\n")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
