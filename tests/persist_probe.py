"""Run in a child process by test_persistence: ingest (optionally) and print top results as JSON."""

from __future__ import annotations

import json
import random
import sys
from pathlib import Path

from rag import Article, Assistant, SearchFilter, Settings

N_ARTICLES = 160
SENTENCES = 30


def _sentence(rng: random.Random) -> str:
    # Distinct vocabularies per sentence keep similarity scores apart, so rankings have no ties.
    return "Report " + " ".join(f"w{rng.randrange(4000)}" for _ in range(10)) + "."


def articles() -> list[Article]:
    """Synthetic articles of many short sentences, so they make many small chunks."""
    rng = random.Random(7)
    return [
        Article(id=f"art{a}", title=f"Report {a}", text=" ".join(_sentence(rng) for _ in range(SENTENCES)))
        for a in range(N_ARTICLES)
    ]


def queries() -> list[str]:
    """Half of the words of every 150th sentence."""
    sentences = [s for a in articles() for s in a.text.split(". ")]
    return [" ".join(s.split()[1:6]) for s in sentences[::150]]


def main(data_dir: str, mode: str) -> None:
    """``mode`` is ``ingest`` (ingest, then query) or ``query`` (query only)."""
    assistant = Assistant(Settings(data_dir=Path(data_dir), embedding_backend="hash", chunk_tokens=16))
    if mode == "ingest":
        assistant.ingest(articles())
    top = {q: [p.chunk_id for p in assistant.retrieve(q, k=5)] for q in queries()}
    embedder = assistant.embedder
    dense = {q: assistant.store.dense.search(embedder.embed_query(q), 10, SearchFilter()) for q in queries()}
    chunks = assistant.store.rows.count()[1]
    print(
        json.dumps({"chunks": chunks, "vectors": assistant.store.dense.count(), "top": top, "dense": dense})
    )


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2])
