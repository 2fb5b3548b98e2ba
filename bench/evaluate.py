"""Running questions through a system and recording, per question, what the metrics need.

Records keep enough of each question (ranks, scores, quotes) for the report to show
failure examples and for the abstention threshold to be swept offline.
"""

from __future__ import annotations

import sys
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

import numpy as np

from bench.metrics import (
    NO_SCORE,
    Span,
    contains_by_offset,
    contains_by_text,
    first_hit,
    hit_at,
    mrr_at,
    quote_contains_gold,
    rate,
    recalled,
)
from bench.ours import to_span
from bench.squad import SquadQuestion
from rag import Answer, Assistant
from rag.extractive import ExtractiveAnswerer

Search = Callable[[str], list[Span]]
_STARTED = time.monotonic()


def log(message: str) -> None:
    """Progress on stderr, stamped with seconds since the run began."""
    print(f"[{time.monotonic() - _STARTED:7.1f}s] {message}", file=sys.stderr, flush=True)


@dataclass(frozen=True)
class RetrievalRecord:
    """Where one question's gold answer turned up in one system's ranking."""

    question_id: str
    article_id: str
    rank: int | None  # offset rule
    text_rank: int | None  # text rule, for comparison
    recalled: bool  # offset rule, within the context budget
    text_recalled: bool
    article_hits: int  # passages of the question's own article among those returned
    top: Span | None


@dataclass(frozen=True)
class AnswerRecord:
    """One question's extractive answer: whether it answered, how well, and its best score."""

    question_id: str
    answered: bool
    best: float
    quote_ok: bool
    violations: int  # citations whose quote is not the article text at their offsets
    quotes: tuple[str, ...]
    cited_articles: tuple[str, ...]
    gold_in_passages: bool  # a retrieved passage holds a gold answer (offset rule)
    gold_sentence_rank: int | None  # 1-based rank of the best-scored sentence holding a gold answer


def evaluate_retrieval(
    questions: Sequence[SquadQuestion], search: Search, label: str
) -> list[RetrievalRecord]:
    """Search every question and locate its gold answers in the ranking."""
    records = []
    for i, q in enumerate(questions, start=1):
        spans = search(q.question)
        records.append(
            RetrievalRecord(
                question_id=q.id,
                article_id=q.article_id,
                rank=first_hit(spans, q.article_id, q.answers, contains_by_offset),
                text_rank=first_hit(spans, q.article_id, q.answers, contains_by_text),
                recalled=recalled(spans, q.article_id, q.answers, contains=contains_by_offset),
                text_recalled=recalled(spans, q.article_id, q.answers, contains=contains_by_text),
                article_hits=sum(s.article_id == q.article_id for s in spans),
                top=spans[0] if spans else None,
            )
        )
        _tick(label, i, len(questions))
    return records


def evaluate_answers(
    assistant: Assistant,
    answerer: ExtractiveAnswerer,
    questions: Sequence[SquadQuestion],
    texts: Mapping[str, str],
    label: str,
) -> list[AnswerRecord]:
    """Ask every question, then re-score the answer's passages to learn the best sentence score
    (what the floor is compared to) and where the gold sentence ranked."""
    records = []
    for i, q in enumerate(questions, start=1):
        answer = assistant.ask(q.question)
        vector = np.asarray(assistant.embedder.embed_query(answer.search_query))
        stored = assistant.store.sentence_vectors([p.chunk_id for p in answer.passages])
        ranked, confidence = answerer.assess(
            answer.search_query, answerer.similar(answer.search_query, vector, answer.passages, stored)
        )
        records.append(
            AnswerRecord(
                question_id=q.id,
                answered=not answer.abstained,
                best=confidence if ranked else NO_SCORE,
                quote_ok=quote_contains_gold([c.quote for c in answer.citations], q.answers),
                violations=offset_violations(answer, texts),
                quotes=tuple(c.quote for c in answer.citations),
                cited_articles=tuple(c.article_id for c in answer.citations),
                gold_in_passages=any(
                    contains_by_offset(to_span(p), q.article_id, q.answers) for p in answer.passages
                ),
                gold_sentence_rank=first_hit(
                    [Span(c.passage.article_id, c.start, c.end, c.text) for c in ranked],
                    q.article_id,
                    q.answers,
                ),
            )
        )
        _tick(label, i, len(questions))
    return records


def offset_violations(answer: Answer, texts: Mapping[str, str]) -> int:
    """Citations whose quote differs from the stored article text at the cited offsets."""
    return sum(c.quote != texts.get(c.article_id, "")[c.start : c.end] for c in answer.citations)


def time_calls(call: Callable[[str], object], inputs: Sequence[str]) -> list[float]:
    """Wall-clock seconds of each call, one input at a time."""
    seconds = []
    for text in inputs:
        started = time.perf_counter()
        call(text)
        seconds.append(time.perf_counter() - started)
    return seconds


def summarize_retrieval(records: Sequence[RetrievalRecord]) -> dict[str, float | int]:
    """Hit@1/3/5, MRR@10 and recall within the context budget (offset rule; text rule alongside)."""
    ranks = [r.rank for r in records]
    return {
        "questions": len(records),
        "hit@1": hit_at(ranks, 1),
        "hit@3": hit_at(ranks, 3),
        "hit@5": hit_at(ranks, 5),
        "mrr@10": mrr_at(ranks, 10),
        "recall@2000": rate([r.recalled for r in records]),
        "hit@10": hit_at(ranks, 10),
        "text_rule_hit@1": hit_at([r.text_rank for r in records], 1),
        "text_rule_recall@2000": rate([r.text_recalled for r in records]),
        "top_from_right_article": rate(
            [r.top is not None and r.top.article_id == r.article_id for r in records]
        ),
    }


def summarize_answers(records: Sequence[AnswerRecord], floor: float) -> dict[str, float | int]:
    """Answered rate, quote accuracy (over all and over answered questions) and violations."""
    answered = [r for r in records if r.answered]
    return {
        "questions": len(records),
        "answered": rate([r.answered for r in records]),
        "abstained": 1.0 - rate([r.answered for r in records]),
        "quote_contains_gold": rate([r.answered and r.quote_ok for r in records]),
        "quote_contains_gold_when_answered": rate([r.quote_ok for r in answered]),
        "offset_violations": sum(r.violations for r in records),
        "citations": sum(len(r.quotes) for r in records),
        "score_floor_mismatches": sum(r.answered != (r.best >= floor) for r in records),
    }


def _tick(label: str, done: int, total: int) -> None:
    if done == total or done % 250 == 0:
        log(f"{label}: {done}/{total}")
