"""`rag doctor` finds every kind of disagreement between Chroma and the catalogue, and repairs it.

Each test damages a real store (real embedded Chroma, real SQLite) the way a crash or a
stray tool could, then checks what a user would notice: the report names the damage,
searches miss the damaged article, and after ``--repair`` searches find it again.
These tests are about storage bookkeeping, not ranking, so they use the model-free hash
embedding (``embedding_backend="hash"``), a real deterministic embedder chosen by settings.
"""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import numpy as np

from rag import Article, Assistant, SearchFilter, Settings
from rag.types import Chunk

ROOT = Path(__file__).resolve().parent.parent

HARBOUR = Article(
    id="harbour",
    title="Storm floods the harbour",
    text="A storm flooded the harbour overnight. Fishing boats were torn from their moorings. "
    "The harbour master said repairs would take weeks.",
)
BRIDGE = Article(
    id="bridge",
    title="Mayor opens the bridge",
    text="The mayor opened the new suspension bridge on Monday. Cyclists crossed it first.",
)


def _stored(assistant: Assistant) -> Assistant:
    report = assistant.ingest([HARBOUR, BRIDGE])
    assert report.ok and sorted(report.added) == ["bridge", "harbour"]
    assert assistant.doctor().ok
    return assistant


def _sql(assistant: Assistant, statement: str, *params: object) -> None:
    """Damage the catalogue from outside, as another tool or a torn disk would."""
    assistant.store.catalog.close()
    with sqlite3.connect(assistant.settings.catalog_path) as conn:
        conn.execute(statement, params)


def _dense_hits(assistant: Assistant, question: str) -> set[str]:
    vector = assistant.embedder.embed_query(question)
    return {p.article_id for p in assistant.store.dense_search(vector, 5, SearchFilter())}


def _lexical_hits(assistant: Assistant, question: str) -> set[str]:
    return {p.article_id for p in assistant.store.lexical_search(question, 5, SearchFilter())}


def test_consistent_store_reports_ok_with_counts(hash_assistant: Assistant) -> None:
    found = _stored(hash_assistant).doctor()
    assert found.ok and found.problems() == []
    assert (found.articles, found.chunks) == (2, found.vectors)
    assert found.chunks >= 2


def test_missing_vectors_are_reported_and_reembedded(hash_assistant: Assistant) -> None:
    assistant = _stored(hash_assistant)
    lost = sorted(assistant.store.rows.chunk_ids("harbour"))
    before = assistant.store.dense.ids()
    assistant.store.dense.delete(lost)
    assert "harbour" not in _dense_hits(assistant, "storm flooded the harbour")

    found = assistant.doctor()
    assert not found.ok
    assert found.only_lexical == set(lost) and found.missing_vectors == ("harbour",)
    assert any("without vectors" in line and "harbour" in line for line in found.problems())

    after = assistant.doctor(repair=True)
    assert after.ok and assistant.store.dense.ids() == before
    assert "harbour" in _dense_hits(assistant, "storm flooded the harbour")


def test_reembedded_vectors_equal_those_of_a_fresh_ingest(hash_assistant: Assistant, tmp_path: Path) -> None:
    """Repair must write the same vectors ingest would, or rankings drift after a repair."""
    assistant = _stored(hash_assistant)
    ids = sorted(assistant.store.rows.chunk_ids())
    fresh = assistant.store.dense._call(lambda c: c.get(ids=ids, include=["embeddings"]))
    assistant.store.dense.delete(ids)
    assert assistant.doctor(repair=True).ok
    repaired = assistant.store.dense._call(lambda c: c.get(ids=ids, include=["embeddings"]))
    by_id = dict(zip(fresh["ids"], fresh["embeddings"], strict=True))
    for chunk_id, vector in zip(repaired["ids"], repaired["embeddings"], strict=True):
        assert np.allclose(vector, by_id[chunk_id], atol=1e-6)


def test_orphan_vectors_are_invisible_then_dropped(hash_assistant: Assistant) -> None:
    assistant = _stored(hash_assistant)
    ghost = Chunk("ghost:1", "ghost", 0, 0, 20, "Ghosts haunt the pier")
    assistant.store.dense.upsert([ghost], assistant.embedder.embed_documents([ghost.text]), None)
    assert "ghost" not in _dense_hits(assistant, "ghosts haunt the pier")

    found = assistant.doctor()
    assert found.only_dense == {"ghost:1"} and not found.ok
    assert assistant.doctor(repair=True).ok
    assert "ghost:1" not in assistant.store.dense.ids()


def test_missing_and_wrong_full_text_rows_are_rebuilt(hash_assistant: Assistant) -> None:
    assistant = _stored(hash_assistant)
    bridge_ids = sorted(assistant.store.rows.chunk_ids("bridge"))
    _sql(
        assistant,
        "DELETE FROM chunks_fts WHERE rowid IN (SELECT rowid FROM chunks WHERE article_id = 'bridge')",
    )
    _sql(
        assistant,
        "UPDATE chunks_fts SET text = 'unrelated words' WHERE rowid IN "
        "(SELECT rowid FROM chunks WHERE article_id = 'harbour')",
    )
    assert _lexical_hits(assistant, "suspension bridge") == set()
    assert _lexical_hits(assistant, "harbour") == set()

    found = assistant.doctor()
    assert not found.ok and set(bridge_ids) <= found.fts_mismatched
    assert found.fts_mismatched == assistant.store.rows.chunk_ids()
    assert assistant.doctor(repair=True).ok
    assert _lexical_hits(assistant, "suspension bridge") == {"bridge"}
    assert _lexical_hits(assistant, "harbour master") == {"harbour"}


def test_full_text_rows_without_chunks_are_removed(hash_assistant: Assistant) -> None:
    assistant = _stored(hash_assistant)
    _sql(assistant, "INSERT INTO chunks_fts (rowid, text) VALUES (999999, 'stray zeppelin')")
    found = assistant.doctor()
    assert found.fts_orphans == 1 and not found.ok
    assert any("without a chunk" in line for line in found.problems())
    assert assistant.doctor(repair=True).ok


def test_chunk_rows_of_a_vanished_article_are_dropped_with_their_vectors(hash_assistant: Assistant) -> None:
    assistant = _stored(hash_assistant)
    orphans = assistant.store.rows.chunk_ids("bridge")
    _sql(assistant, "DELETE FROM articles WHERE id = 'bridge'")
    found = assistant.doctor()
    assert found.orphan_chunks == orphans and not found.ok
    assert assistant.doctor(repair=True).ok
    assert assistant.store.dense.ids().isdisjoint(orphans)
    assert [a.id for a in assistant.articles()] == ["harbour"]


def test_exact_duplicates_keep_the_oldest_copy(hash_assistant: Assistant) -> None:
    assistant = _stored(hash_assistant)
    copy = Article(id="harbour-copy", title=HARBOUR.title, text=HARBOUR.text)
    assert assistant.ingest([copy]).added == ["harbour-copy"]
    found = assistant.doctor()
    assert found.duplicates == (("harbour", "harbour-copy"),)
    assert any("duplicate" in line and "harbour-copy" in line for line in found.problems())
    assert assistant.doctor(repair=True).ok
    assert sorted(a.id for a in assistant.articles()) == ["bridge", "harbour"]


def _leave_vector_of_a_killed_writer(assistant: Assistant) -> None:
    dead = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"], capture_output=True, text=True
    )
    dead_pid = int(dead.stdout)
    half = Chunk("half:1", "half", 0, 0, 12, "Half written")
    assistant.store.dense.upsert([half], assistant.embedder.embed_documents([half.text]), None)
    _sql(assistant, "INSERT INTO pending_vectors VALUES (?, ?)", "half:1", dead_pid)
    assert assistant.doctor().only_dense == {"half:1"}


def test_vectors_left_by_a_killed_writer_are_removed_by_the_next_write(hash_assistant: Assistant) -> None:
    assistant = _stored(hash_assistant)
    _leave_vector_of_a_killed_writer(assistant)

    assistant.ingest([Article(id="later", title="Later", text="Another article arrives later.")])
    assert "half:1" not in assistant.store.dense.ids()
    assert assistant.doctor().ok


def test_rerunning_an_ingest_that_changes_nothing_still_removes_a_killed_writers_vectors(
    hash_assistant: Assistant,
) -> None:
    # The kill can land after the last article committed but before its old vectors were
    # deleted: the re-run then finds every article unchanged and writes nothing at all.
    assistant = _stored(hash_assistant)
    _leave_vector_of_a_killed_writer(assistant)

    report = assistant.ingest([HARBOUR, BRIDGE])
    assert sorted(report.unchanged) == ["bridge", "harbour"] and not report.added
    assert "half:1" not in assistant.store.dense.ids()
    assert assistant.doctor().ok


def test_vectors_of_a_live_writer_are_not_reported(hash_assistant: Assistant) -> None:
    """Another process part-way through a write owns its not-yet-visible vectors: not damage."""
    assistant = _stored(hash_assistant)
    pending = Chunk("busy:1", "busy", 0, 0, 12, "Being written")
    assistant.store.journal.expect([pending.id])
    assistant.store.dense.upsert([pending], assistant.embedder.embed_documents([pending.text]), None)
    found = assistant.doctor()
    assert found.ok and found.in_flight == 1
    assert "busy:1" in assistant.store.dense.ids()


def _rag(data_dir: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "HF_HUB_OFFLINE": "1",
        "RAG_DATA_DIR": str(data_dir),
        "RAG_EMBEDDING_BACKEND": "hash",
    }
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip


def test_cli_reports_then_repairs_with_exit_codes(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assistant = _stored(Assistant(Settings(data_dir=data, embedding_backend="hash")))
    assistant.store.dense.delete(sorted(assistant.store.rows.chunk_ids("bridge")))
    assistant.close()

    found = _rag(data, "doctor")
    assert found.returncode == 1, found.stderr
    assert "chunks without vectors" in found.stdout and "bridge" in found.stdout
    assert "rag doctor --repair" in found.stderr

    repaired = _rag(data, "doctor", "--repair")
    assert repaired.returncode == 0, repaired.stderr
    assert "Repaired: 2 articles" in repaired.stdout

    clean = _rag(data, "doctor")
    assert clean.returncode == 0 and "Consistent" in clean.stdout
