"""Failure examples and loss breakdowns: what a person tuning retrieval or answering reads first."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from bench.evaluate import AnswerRecord, RetrievalRecord
from bench.metrics import NO_SCORE
from bench.squad import SquadQuestion, SquadSet

SHOWN = 8
SNIPPET = 200


def retrieval_failures(
    questions: Sequence[SquadQuestion],
    records: Mapping[str, Sequence[RetrievalRecord]],
    texts: Mapping[str, str],
) -> dict[str, Any]:
    """Where our budget recall loses: not found at all, found too low, or the wrong article on top."""
    ours, base = records["ours"], records["baseline"]
    misses = [(q, r, b) for q, r, b in zip(questions, ours, base, strict=True) if not r.recalled]
    breakdown = {
        "ours_misses": len(misses),
        "not_in_top10": sum(r.rank is None for _, r, _ in misses),
        "in_top10_beyond_budget": sum(r.rank is not None for _, r, _ in misses),
        "top_passage_wrong_article": sum(
            r.top is not None and r.top.article_id != q.article_id for q, r, _ in misses
        ),
        "baseline_recalled_these": sum(b.recalled for _, _, b in misses),
        "baseline_misses_ours_recalled": sum(
            b.recalled is False and r.recalled for r, b in zip(ours, base, strict=True)
        ),
    }
    shown = [
        {
            "question": q.question,
            "article": q.article_id,
            "gold": q.answers[0].text,
            "gold_context": _around(texts[q.article_id], q.answers[0].start, q.answers[0].end),
            "ours_first_hit_rank": r.rank,
            "ours_top": _snippet(r),
            "baseline_recalled": b.recalled,
        }
        for q, r, b in misses[:SHOWN]
    ]
    return {"retrieval_breakdown": breakdown, "retrieval_misses": shown}


def answer_failures(squad: SquadSet, records: Mapping[str, Sequence[AnswerRecord]]) -> dict[str, Any]:
    """Wrong quotes, needless abstentions, and answers given where none exists."""
    by_id = {q.id: q for q in squad.questions}
    return {
        "answer_breakdown": answer_breakdown(records["answerable"]),
        "wrong_quotes": [
            _answer_row(by_id[r.question_id], r)
            for r in records["answerable"]
            if r.answered and not r.quote_ok
        ][:SHOWN],
        "in_index_abstentions": [
            _answer_row(by_id[r.question_id], r) for r in records["in_index"] if not r.answered
        ][:SHOWN],
        "out_of_index_answered": [
            _answer_row(by_id[r.question_id], r) for r in records["out_of_index"] if r.answered
        ][:SHOWN],
        "unanswerable_answered": [
            _answer_row(by_id[r.question_id], r) for r in records["unanswerable"] if r.answered
        ][:SHOWN],
    }


def answer_breakdown(records: Sequence[AnswerRecord]) -> dict[str, int]:
    """Why answerable questions miss: abstention, retrieval, or sentence choice (and how close it was)."""
    misses = [r for r in records if not (r.answered and r.quote_ok)]
    chosen = [r for r in misses if r.answered and r.gold_in_passages]
    return {
        "questions": len(records),
        "quote_misses": len(misses),
        "abstained": sum(not r.answered for r in misses),
        "gold_not_in_retrieved_passages": sum(r.answered and not r.gold_in_passages for r in misses),
        "gold_retrieved_but_not_in_a_candidate_sentence": sum(r.gold_sentence_rank is None for r in chosen),
        "gold_sentence_ranked_2_or_3": sum(r.gold_sentence_rank in (2, 3) for r in chosen),
        "gold_sentence_ranked_4_to_10": sum(4 <= (r.gold_sentence_rank or 0) <= 10 for r in chosen),
        "gold_sentence_ranked_below_10": sum((r.gold_sentence_rank or 0) > 10 for r in chosen),
        "gold_sentence_ranked_1_yet_missed": sum(r.gold_sentence_rank == 1 for r in chosen),
    }


def _answer_row(q: SquadQuestion, r: AnswerRecord) -> dict[str, Any]:
    return {
        "question": q.question,
        "article": q.article_id,
        "gold": q.answers[0].text if q.answers else None,
        "best_score": None if r.best == NO_SCORE else round(r.best, 4),
        "quote": r.quotes[0] if r.quotes else None,
        "cited_article": r.cited_articles[0] if r.cited_articles else None,
        "gold_in_passages": r.gold_in_passages,
        "gold_sentence_rank": r.gold_sentence_rank,
    }


def _snippet(record: RetrievalRecord) -> dict[str, Any] | None:
    if record.top is None:
        return None
    return {"article": record.top.article_id, "start": record.top.start, "text": record.top.text[:SNIPPET]}


def _around(text: str, start: int, end: int, margin: int = 90) -> str:
    left = max(0, start - margin)
    return f"{text[left:start]}[[{text[start:end]}]]{text[end : end + margin]}"
