"""Run in a child process by test_persistence: ingest (optionally) and print top results as JSON."""

from __future__ import annotations

import json
import sys
from pathlib import Path

from rag import Article, Assistant, Settings

QUERIES = [f"report number {n} about harbour {n % 7}" for n in range(0, 600, 37)]


def articles(n: int) -> list[Article]:
    """Synthetic articles of many short sentences, so they make many small chunks."""
    out = []
    for a in range(n):
        sentences = [
            f"Report number {a * 30 + s} about harbour {s % 7} and river {a % 11}." for s in range(30)
        ]
        out.append(Article(id=f"art{a}", title=f"Report {a}", text=" ".join(sentences)))
    return out


def main(data_dir: str, mode: str) -> None:
    """``mode`` is ``ingest`` (ingest, then query) or ``query`` (query only)."""
    assistant = Assistant(Settings(data_dir=Path(data_dir), embedding_backend="hash", chunk_tokens=16))
    if mode == "ingest":
        assistant.ingest(articles(160))
    top = {q: [p.chunk_id for p in assistant.retrieve(q, k=5)] for q in QUERIES}
    chunks = assistant.store.catalog.count()[1]
    print(json.dumps({"chunks": chunks, "vectors": assistant.store.dense.count(), "top": top}))


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
