"""One benchmark run, phase by phase: ingest, retrieval, answers, abstention, latency.

Every phase returns plain dicts that go straight into ``bench/results/latest.json`` and
the markdown report, so the report never computes anything the JSON does not hold.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

from bench.baseline import TutorialBaseline
from bench.baseline import to_span as document_span
from bench.evaluate import (
    AnswerRecord,
    RetrievalRecord,
    evaluate_answers,
    evaluate_retrieval,
    log,
    summarize_answers,
    summarize_retrieval,
    time_calls,
)
from bench.examples import answer_failures, retrieval_failures
from bench.metrics import (
    NO_SCORE,
    Span,
    best_point,
    chars_per_second,
    contains_by_offset,
    percentile,
    rate,
    thresholds,
    tradeoff,
)
from bench.news import run as news_run
from bench.ours import MemoEmbedder, build_assistant, to_articles, to_span
from bench.squad import SquadArticle, SquadQuestion, SquadSet, sample, split_articles
from rag import Assistant, SearchFilter
from rag.extractive import ExtractiveAnswerer
from rag.sentence_embedder import Dtype, SentenceTransformerEmbedder, resolve_dtype
from rag.settings import BUNDLED_MODEL, Settings

RETRIEVE_K = 10
# Articles each system ingests per turn when the two alternate (see ``ingest``).
INGEST_TURN = 2
CURVE = thresholds(0.05, 0.60, 0.025)
# The settings that move these numbers; RAG_* variables change them for a run, as everywhere.
TUNING = (
    "chunk_tokens",
    "top_k",
    "candidates",
    "fusion",
    "rrf_k",
    "lexical_weight",
    "max_per_article",
    "max_answer_sentences",
    "min_relevance",
)


@dataclass(frozen=True)
class Limits:
    """How many questions each phase uses (None: all)."""

    retrieval: int | None
    answers: int
    latency: int
    compare_dtype: str | None = None


@dataclass
class Systems:
    """The indexes built for the run, shared by the phases."""

    real: SentenceTransformerEmbedder
    memo: MemoEmbedder
    ours: Assistant
    baseline: TutorialBaseline
    texts: dict[str, str]


def ingest(squad: SquadSet, workdir: Path) -> tuple[Systems, dict[str, Any]]:
    """Index all articles in both systems, timing each after its model and its store are loaded.

    Ours embeds articles in the dtype the library would pick here (``embedding_dtype``). The
    two systems take turns, a few articles at a time, so a neighbour's load on this shared
    machine slows both alike instead of whichever happened to run while it was busy.
    """
    real = SentenceTransformerEmbedder(BUNDLED_MODEL)
    real.embed_query("warm up")
    dtype = resolve_dtype(Settings().embedding_dtype)
    document_embedder = (
        real if dtype == "float32" else SentenceTransformerEmbedder(BUNDLED_MODEL, dtype=dtype)
    )
    document_embedder.embed_documents(["warm up"])
    memo = MemoEmbedder(document_embedder)
    ours = build_assistant(workdir / "full", memo)
    ours.store.dense.count()  # opens Chroma, as the baseline's constructor does before its timing
    baseline = TutorialBaseline(BUNDLED_MODEL, workdir / "baseline")
    baseline.warm_up()
    seconds = {"ours": 0.0, "baseline": 0.0}
    written = baseline_chunks = 0
    for start in range(0, len(squad.articles), INGEST_TURN):
        group = squad.articles[start : start + INGEST_TURN]
        log(f"ingesting articles {start + 1}-{start + len(group)} into ours ({dtype}), then the baseline")
        began = time.perf_counter()
        report = ours.ingest(to_articles(group))
        seconds["ours"] += time.perf_counter() - began
        if not report.ok:
            raise RuntimeError(f"ingest failed: {report.failures}")
        written += report.chunks_written
        began = time.perf_counter()
        baseline_chunks += baseline.ingest(group)
        seconds["baseline"] += time.perf_counter() - began
    texts = {a.id: ours.article(a.id).text for a in squad.articles}
    chars = sum(len(a.text) for a in squad.articles)
    result: dict[str, Any] = {
        "characters": chars,
        "ours": {**_ingest_row(chars, seconds["ours"], written), "dtype": dtype},
        "baseline": _ingest_row(chars, seconds["baseline"], baseline_chunks),
    }
    result["ratio"] = result["ours"]["chars_per_s"] / result["baseline"]["chars_per_s"]
    return Systems(real, memo, ours, baseline, texts), result


def _ingest_row(chars: int, seconds: float, chunks: int) -> dict[str, float | int]:
    return {"seconds": seconds, "chars_per_s": chars_per_second(chars, seconds), "chunks": chunks}


def alignment(squad: SquadSet, texts: dict[str, str]) -> dict[str, int]:
    """How many articles are stored exactly as passed, and how many gold spans line up."""
    golds = [(q.article_id, g) for q in squad.answerable for g in q.answers]
    return {
        "articles": len(squad.articles),
        "articles_stored_verbatim": sum(texts[a.id] == a.text for a in squad.articles),
        "gold_spans": len(golds),
        "gold_spans_aligned": sum(texts[aid][g.start : g.end] == g.text for aid, g in golds),
    }


def retrieval(
    systems: Systems, questions: Sequence[SquadQuestion]
) -> tuple[dict[str, Any], dict[str, list[RetrievalRecord]]]:
    """Hit@k, MRR and budget recall for ours and the baseline, plus diagnostic variants of ours:
    without the diversity cap, and each of its two searches alone."""
    ours = systems.ours
    uncapped_settings = ours.settings.model_copy(update={"max_per_article": RETRIEVE_K})
    uncapped = Assistant(uncapped_settings, store=ours.store, embedder=systems.memo)
    runs = {
        "ours": lambda q: [to_span(p) for p in ours.retrieve(q, k=RETRIEVE_K)],
        "baseline": lambda q: systems.baseline.search(q, RETRIEVE_K),
        "ours_max_per_article_10": lambda q: [to_span(p) for p in uncapped.retrieve(q, k=RETRIEVE_K)],
        "ours_dense_only": lambda q: [
            to_span(p)
            for p in ours.store.dense_search(systems.memo.embed_query(q), RETRIEVE_K, SearchFilter())
        ],
        "ours_bm25_only": lambda q: [
            to_span(p) for p in ours.store.lexical_search(q, RETRIEVE_K, SearchFilter())
        ],
    }
    records = {name: evaluate_retrieval(questions, search, name) for name, search in runs.items()}
    summary: dict[str, Any] = {name: summarize_retrieval(recs) for name, recs in records.items()}
    summary["chunk_ceiling"] = chunk_ceiling(systems, questions)
    return summary, records


def dtype_quality(
    squad: SquadSet,
    questions: Sequence[SquadQuestion],
    ours: dict[str, Any],
    dtypes: Sequence[Dtype],
    workdir: Path,
) -> dict[str, Any]:
    """Ingest speed, hit@5 and recall@2000 of ours with articles embedded in each other dtype.

    Each variant gets its own index and a fresh embedder (no memo), so its ingest is timed like
    ours; questions are embedded by the float32 query encoder in every variant, as in the library.
    """
    rows = {ours["dtype"]: {key: ours[key] for key in ("chars_per_s", "hit@5", "recall@2000")}}
    for dtype in dtypes:
        embedder = SentenceTransformerEmbedder(BUNDLED_MODEL, dtype=dtype)
        embedder.embed_documents(["warm up"])
        variant = build_assistant(workdir / f"dtype-{dtype}", embedder)
        variant.store.dense.count()
        log(f"ingesting {len(squad.articles)} articles with {dtype} weights")
        started = time.perf_counter()
        report = variant.ingest(to_articles(squad.articles))
        seconds = time.perf_counter() - started
        records = evaluate_retrieval(questions, _searcher(variant), f"ours {dtype}")
        summary = summarize_retrieval(records)
        rows[dtype] = {
            "chars_per_s": chars_per_second(report.characters, seconds),
            "hit@5": summary["hit@5"],
            "recall@2000": summary["recall@2000"],
        }
        variant.close()
    return {"ours": ours["dtype"], "rows": rows}


def _searcher(assistant: Assistant) -> Callable[[str], list[Span]]:
    return lambda q: [to_span(p) for p in assistant.retrieve(q, k=RETRIEVE_K)]


def chunk_ceiling(systems: Systems, questions: Sequence[SquadQuestion]) -> dict[str, float]:
    """Share of questions with a gold answer inside one whole chunk: the most any ranking can reach."""
    rows = systems.ours.store.rows
    chunks: dict[str, dict[str, list[Span]]] = {"ours": {}, "baseline": {}}
    for article_id in systems.texts:
        found = rows.passages(sorted(rows.chunk_ids(article_id)))
        chunks["ours"][article_id] = [to_span(p) for p in found.values()]
    stored = [SquadArticle(aid, aid, text) for aid, text in systems.texts.items()]
    for document in systems.baseline.split(stored):
        span = document_span(document)
        chunks["baseline"].setdefault(span.article_id, []).append(span)
    return {
        name: rate(
            [
                any(contains_by_offset(s, q.article_id, q.answers) for s in by_article.get(q.article_id, []))
                for q in questions
            ]
        )
        for name, by_article in chunks.items()
    }


def answers(systems: Systems, squad: SquadSet, n: int) -> dict[str, list[AnswerRecord]]:
    """Extractive answers on the full index: answerable questions, then SQuAD 2.0's unanswerable ones."""
    ours = systems.ours
    return {
        group: evaluate_answers(ours, _answerer(ours), sample(questions, n), systems.texts, group)
        for group, questions in (("answerable", squad.answerable), ("unanswerable", squad.unanswerable))
    }


def out_of_index(
    systems: Systems, squad: SquadSet, n: int, workdir: Path
) -> tuple[dict[str, list[AnswerRecord]], dict[str, list[str]]]:
    """Index half of the articles; ask about both halves (answer one, abstain on the other)."""
    indexed, held_out = split_articles(squad.articles)
    half = build_assistant(workdir / "half", systems.memo)
    log(f"ingesting {len(indexed)} articles into the half index")
    report = half.ingest(to_articles(indexed))
    if not report.ok:
        raise RuntimeError(f"ingest failed: {report.failures}")
    inside = {a.id for a in indexed}
    groups = {
        "in_index": [q for q in squad.answerable if q.article_id in inside],
        "out_of_index": [q for q in squad.answerable if q.article_id not in inside],
    }
    records = {
        group: evaluate_answers(half, _answerer(half), sample(qs, n), systems.texts, group)
        for group, qs in groups.items()
    }
    split = {"indexed": sorted(inside), "held_out": sorted(a.id for a in held_out)}
    half.close()
    return records, split


def _answerer(assistant: Assistant) -> ExtractiveAnswerer:
    if not isinstance(assistant.answerer, ExtractiveAnswerer):
        raise TypeError("the benchmark scores the extractive answerer")
    return assistant.answerer


def curve(records: dict[str, list[AnswerRecord]]) -> dict[str, Any]:
    """Answer and abstain rates at each relevance floor, from each question's best sentence score."""
    scores = {group: [r.best for r in recs] for group, recs in records.items()}
    points = tradeoff(scores, CURVE)
    correct = [r.quote_ok for r in records["answerable"]]
    rows = [
        {
            "threshold": p.threshold,
            "in_index_answered": p.answered["in_index"],
            "out_of_index_abstained": p.abstained("out_of_index"),
            "unanswerable_abstained": p.abstained("unanswerable"),
            "answerable_answered": p.answered["answerable"],
            "answerable_quote_contains_gold": rate(
                [ok and s >= p.threshold for ok, s in zip(correct, scores["answerable"], strict=True)]
            ),
        }
        for p in points
    ]
    best_oov = best_point(points, "in_index", "out_of_index")
    best_unans = best_point(points, "answerable", "unanswerable")
    return {
        "rows": rows,
        "best_out_of_index": best_oov.threshold if best_oov else None,
        "best_unanswerable": best_unans.threshold if best_unans else None,
        "best_scores": {g: _score_quantiles(s) for g, s in scores.items()},
    }


def _score_quantiles(scores: Sequence[float]) -> dict[str, float | None]:
    finite = [s for s in scores if s != NO_SCORE]
    return {f"p{q}": (percentile(finite, q) if finite else None) for q in (10, 25, 50, 75, 90)}


def latency(systems: Systems, questions: Sequence[SquadQuestion]) -> dict[str, dict[str, float]]:
    """Per-query seconds, without the memo: ours retrieve and ask, the baseline's similarity search."""
    plain = Assistant(systems.ours.settings, store=systems.ours.store, embedder=systems.real)
    texts = [q.question for q in questions]
    log(f"timing {len(texts)} queries per system")
    runs = {
        "ours_retrieve": time_calls(lambda q: plain.retrieve(q, k=RETRIEVE_K), texts),
        "ours_ask": time_calls(plain.ask, texts),
        "baseline_similarity_search": time_calls(lambda q: systems.baseline.search(q, RETRIEVE_K), texts),
    }
    return {
        name: {"queries": len(s), "p50_ms": 1000 * percentile(s, 50), "p99_ms": 1000 * percentile(s, 99)}
        for name, s in runs.items()
    }


def selector_results() -> dict[str, Any]:
    """The selector's held-out SQuAD half, as its training run wrote it (``make train-selector``)."""
    import json

    from bench.train_selector import RESULTS

    return json.loads(RESULTS.read_text()) if RESULTS.exists() else {}


def run(squad: SquadSet, limits: Limits, workdir: Path) -> dict[str, Any]:
    """Every phase in order; returns the raw results."""
    systems, ingest_result = ingest(squad, workdir)
    results: dict[str, Any] = {"ingest": ingest_result, "alignment": alignment(squad, systems.texts)}
    questions = sample(squad.answerable, limits.retrieval)
    results["retrieval"], retrieval_records = retrieval(systems, questions)
    ours_row = {**results["ingest"]["ours"], **results["retrieval"]["ours"]}
    others = {limits.compare_dtype, "float32"} - {ours_row["dtype"], None}
    results["dtype"] = dtype_quality(squad, questions, ours_row, sorted(others), workdir)  # type: ignore[arg-type]
    answer_records = answers(systems, squad, limits.answers)
    half_records, results["split"] = out_of_index(systems, squad, limits.answers, workdir)
    answer_records.update(half_records)
    floor = systems.ours.settings.min_relevance
    results["answers"] = {g: summarize_answers(recs, floor) for g, recs in answer_records.items()}
    results["curve"] = curve(answer_records)
    results["latency"] = latency(systems, sample(squad.answerable, limits.latency))
    results["selector"] = selector_results()
    log("news fixtures")
    results["news"] = news_run(workdir / "news")
    results["examples"] = {
        **retrieval_failures(questions, retrieval_records, systems.texts),
        **answer_failures(squad, answer_records),
    }
    results["samples"] = {**asdict(limits), "retrieval_questions": len(questions)}
    results["min_relevance"] = floor
    results["settings"] = {key: getattr(systems.ours.settings, key) for key in TUNING}
    systems.ours.close()
    return results
