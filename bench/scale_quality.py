"""Answer quality of the extractive answerer's speed options on SQuAD 2.0 dev, one cached index.

`python -m bench.scale_quality --embedded stored,all,8,6` retrieves once per question and lets
each variant answer the same passages, so the variants differ only in the answerer: ``stored``
scores every sentence with the vectors pooled at ingest from its chunk's own forward pass (the
default path); a number (or ``all``) ignores them and embeds that many candidate sentences
separately per answer. The index is built once under ``.bench-cache/``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from bench.metrics import quote_contains_gold, rate
from bench.ours import MemoEmbedder, to_articles
from bench.squad import SquadQuestion, load_squad, sample
from rag import Assistant, Settings
from rag.answerers import extractive_from_settings
from rag.candidates import candidates, shortlist
from rag.extractive import ExtractiveAnswerer
from rag.sentence_embedder import SentenceTransformerEmbedder
from rag.terms import content_terms
from rag.types import AnswerRequest, Question

CACHE = Path(".bench-cache")


def squad_assistant(cache: Path, embedder: MemoEmbedder) -> Assistant:
    """An Assistant over every SQuAD dev article; later runs skip the articles already stored
    (and re-embed them all when the ingest fingerprint changed)."""
    settings = Settings(data_dir=cache / "squad-index")
    assistant = Assistant(settings, embedder=embedder)
    report = assistant.ingest(to_articles(load_squad().articles))
    if report.failures:
        raise RuntimeError(f"ingest failed: {report.failures}")
    return assistant


def requests(assistant: Assistant, questions: Sequence[SquadQuestion]) -> list[AnswerRequest]:
    """What the answerer receives for each question (retrieval runs once for all variants)."""
    return [assistant.prepare.invoke(Question(q.question)) for q in questions]


def evaluate(
    answerer: ExtractiveAnswerer, reqs: Sequence[AnswerRequest], answerable: Sequence[SquadQuestion]
) -> dict[str, float]:
    """Quote-contains-gold over the answerable questions and abstention over the unanswerable ones."""
    answers = [answerer.answer(r) for r in reqs]
    n = len(answerable)
    ok = [
        not a.abstained and quote_contains_gold([c.quote for c in a.citations], q.answers)
        for a, q in zip(answers[:n], answerable, strict=True)
    ]
    return {
        "quote_contains_gold": rate(ok),
        "answered": rate([not a.abstained for a in answers[:n]]),
        "unanswerable_abstained": rate([a.abstained for a in answers[n:]]),
    }


def main(argv: Sequence[str] | None = None) -> int:
    """Print one line per variant."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale_quality", description=__doc__)
    parser.add_argument(
        "--embedded", default="stored,all,8", help="comma-separated variants: 'stored', 'all' or a cap"
    )
    parser.add_argument("--limit", type=int, default=1000, help="questions per group (default 1000)")
    parser.add_argument("--out", type=Path, default=None, help="also write the table as markdown here")
    args = parser.parse_args(argv)
    import torch

    torch.set_num_threads(1)  # a shared two-core machine: a second torch thread spins on the busy core
    memo = MemoEmbedder(SentenceTransformerEmbedder(Settings().embedding_model))
    assistant = squad_assistant(CACHE, memo)
    squad = load_squad()
    answerable = sample(squad.answerable, args.limit)
    unanswerable = sample(squad.unanswerable, args.limit)
    questions = [*answerable, *unanswerable]
    memo.embed_documents([q.question for q in questions])  # one batched pass instead of 2,000 small ones
    reqs = requests(assistant, questions)
    memo.embed_documents([c.text for r in reqs for c in candidates(r.passages)])
    settings = assistant.settings
    rows = []
    bare = [replace(r, sentence_vectors={}) for r in reqs]
    for cap in args.embedded.split(","):
        limit = None if cap in ("all", "stored") else int(cap)
        answerer = extractive_from_settings(settings, memo, limit)
        result = evaluate(answerer, reqs if cap == "stored" else bare, answerable)
        embedded = (
            0
            if cap == "stored"
            else sum(
                len(shortlist(candidates(r.passages), content_terms(r.search_query), limit)) for r in reqs
            )
        )
        rows.append(
            f"| {cap} | {embedded / len(reqs):.1f} | {result['quote_contains_gold']:.3f} | "
            f"{result['answered']:.3f} | {result['unanswerable_abstained']:.3f} |"
        )
        print(rows[-1], flush=True)
    table = [
        f"`python -m bench.scale_quality {' '.join(argv if argv is not None else sys.argv[1:])}` "
        f"({len(answerable)} answerable and {len(unanswerable)} unanswerable SQuAD 2.0 dev questions, "
        "the same retrieved passages for every row):",
        "",
        "| sentence vectors (cap) | embedded per question | quote contains gold | answered | unanswerable abstained |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
    ]
    if args.out:
        args.out.write_text("\n".join(table))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
