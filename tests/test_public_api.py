"""The names other programs import are pinned: changing them is a deliberate act."""

from __future__ import annotations

import dataclasses
import subprocess
import sys

import rag


def test_public_names() -> None:
    assert rag.__all__ == sorted(rag.__all__)
    assert {"Answer", "Article", "Assistant", "Citation", "Passage", "Settings", "IngestReport"} <= set(
        rag.__all__
    )


def test_shapes_of_public_types() -> None:
    fields = {t.__name__: [f.name for f in dataclasses.fields(t)] for t in (rag.Passage, rag.Citation)}
    assert fields["Passage"][:8] == [
        "article_id",
        "title",
        "url",
        "published",
        "text",
        "start",
        "end",
        "score",
    ]
    assert fields["Citation"][:8] == [
        "index",
        "article_id",
        "title",
        "url",
        "published",
        "quote",
        "start",
        "end",
    ]
    assert {"text", "abstained", "citations"} <= {f.name for f in dataclasses.fields(rag.Answer)}
    assert {"added", "updated", "unchanged", "failures"} <= {
        f.name for f in dataclasses.fields(rag.IngestReport)
    }


def test_importing_rag_loads_no_model_or_database() -> None:
    code = "import rag, sys; print(sorted(m for m in ('torch', 'sentence_transformers', 'chromadb') if m in sys.modules))"
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=120
    )
    assert out.stdout.strip() == "[]"
