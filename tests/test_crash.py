"""Crash consistency: `rag ingest` killed with SIGKILL at 20 random moments loses and duplicates nothing.

A driver process (tests/crash_driver.py) forks one child per round; the kill loop is
tests/kill_rounds.py (shared with the server-mode test). The child runs
`rag doctor` on what the previous kill left, re-runs the killed ingest to completion,
verifies the store, then starts ingesting the next version of a 300-article archive of
Markdown files (the first run adds them all; later ones update six and skip the rest) and
is killed at a moment drawn from a seeded RNG: mostly after a random number of article
writes plus a fraction of one write, sometimes at a random time after start-up (opening
Chroma, reading files). Right after each kill the test reads the catalogue to
record which articles were committed; after the re-run it checks that every one of them
is still there, that every article is stored exactly once with the text of the version
just ingested, that Chroma and the full-text index hold the same chunk ids, that a sample
of vectors is found by dense search, and that `rag doctor` reports the store consistent.

This test is about storage, not semantics: it uses the model-free hash embedding
(``RAG_EMBEDDING_BACKEND=hash``), a real deterministic embedder chosen by settings, with
the real embedded Chroma and the real SQLite catalogue.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

from tests.crash_driver import N_ARTICLES, digest
from tests.kill_rounds import Driver, expected, kill_rounds, report, written


def _committed(data: Path, check: bool = True) -> dict[str, str]:
    """What the catalogue holds (right after a kill: checking that no article is half written)."""
    conn = sqlite3.connect(data / "catalog.sqlite3", timeout=30)
    try:
        rows = conn.execute(
            "SELECT a.url, a.text, a.n_chunks, (SELECT COUNT(*) FROM chunks c WHERE c.article_id = a.id), "
            "(SELECT COUNT(*) FROM chunks c JOIN chunks_fts f ON f.rowid = c.rowid WHERE c.article_id = a.id) "
            "FROM articles a"
        ).fetchall()
    finally:
        conn.close()
    for url, _, n_chunks, chunk_rows, fts_rows in rows if check else ():
        assert n_chunks == chunk_rows == fts_rows, f"{url} is half written"
    urls = [r[0] for r in rows]
    assert len(urls) == len(set(urls)), "an article is stored twice"
    return {url: digest(text) for url, text, *_ in rows}


def _check_rerun(record: dict[str, Any], version: int, committed: dict[str, str]) -> None:
    """After a kill during ``version`` and its re-run: nothing lost, nothing doubled, indexes agree."""
    assert record["rerun_exit"] == 0, record["rerun_out"]
    assert record["stored"] == expected(version), "articles missing, doubled or with the wrong text"
    assert record["articles"] == N_ARTICLES
    assert set(committed) <= set(record["stored"]), "an article committed before the kill was lost"
    old, new = (expected(version - 1) if version else {}), expected(version)
    assert all(text in (old.get(url), new[url]) for url, text in committed.items()), "a mixed version"
    assert record["same_ids"] and record["consistent"], record["problems"]
    assert record["sample_found"] == record["sample"] > 0, "vectors missing from dense search"
    assert record["doctor_after_exit"] == 0


def _new_written(data: Path, version: int) -> int:
    """How many articles the running ingest has committed in their new version so far."""
    try:
        return written(_committed(data, check=False), version)
    except sqlite3.Error:  # the catalogue is still being created
        return 0


def test_sigkill_during_ingest_loses_nothing(tmp_path: Path) -> None:
    data = tmp_path / "data"
    kills, runs = kill_rounds(
        tmp_path,
        Driver(tmp_path),
        _check_rerun,
        committed_now=lambda: _committed(data) if (data / "catalog.sqlite3").exists() else {},
        written_so_far=lambda version: _new_written(data, version),
    )
    report(kills, runs, "crash", "doctor findings")
