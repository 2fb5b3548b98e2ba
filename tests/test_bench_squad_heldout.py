"""bench.squad_heldout: what it counts, on a small archive (hash embedding: the counting is the point)."""

from __future__ import annotations

from pathlib import Path

from bench.squad import Gold, SquadQuestion
from bench.squad_heldout import measure
from rag import Article, Assistant, Settings

TEXT = "The harbour of Westport reopened on Monday after a storm. The ferry leaves at nine every day."


def _question(qid: str, text: str, gold: str = "") -> SquadQuestion:
    start = TEXT.find(gold)
    golds = (Gold(start, start + len(gold), gold),) if gold else ()
    return SquadQuestion(qid, text, "a", golds, not gold)


def test_each_answerable_question_counts_once_and_gold_only_when_quoted(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path, embedding_backend="hash"))
    assert assistant.ingest([Article(title="Westport", text=TEXT, id="a")]).ok
    questions = [
        _question("1", "When did the harbour of Westport reopen?", "Monday"),
        _question("2", "When does the ferry leave every day?", "the moon"),  # answered, gold not quoted
        _question("3", "What is the recipe for banana bread?"),  # unanswerable, off topic
    ]
    figures = measure(assistant, questions)
    assistant.close()
    assert (figures["answerable"], figures["unanswerable"]) == (2, 1)
    assert figures["answerable_answered"] == 1.0
    assert figures["answerable_quote_contains_gold"] == 0.5
    assert figures["unanswerable_abstained"] == 1.0
