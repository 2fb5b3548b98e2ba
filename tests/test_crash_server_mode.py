"""Crash consistency in server mode: `rag ingest` against a `chroma run` server, killed 20 times.

The embedded test (tests/test_crash.py) in server mode: ``RAG_CHROMA_URL`` points every
command at a real `chroma run` (tests/chroma_server.py), so the Chroma server holds the vectors
and the article records, and the data folder holds only a replica's cache. A forking driver
(tests/crash_driver_server.py) runs each round: report with `rag doctor`, re-run the killed
ingest, `rag doctor --repair` while no ingest runs, check, then start the next version of the
300-article archive, which the test kills with SIGKILL at a moment drawn from a seeded RNG
(mostly after a random number of article writes plus a fraction of one, sometimes at a random
time after start-up). The kill loop is the embedded test's (tests/kill_rounds.py).

Right after each kill the test reads the server's article records (the commit point in server
mode) to learn which articles were committed. After the re-run it checks that all of them are
still there, that every article is stored exactly once with the text of the version just
ingested, that after the repair the vector ids equal the cache's chunk ids and `rag doctor`
reports the store consistent, that dense search finds a sample of vectors, and that a fresh
replica (a new data folder on the same server) sees exactly the same articles.

A kill in server mode can leave vectors no article record names (upserted before the record,
or an old version's left after it): searches never show them, because what exists is what the
records say, and `rag doctor --repair` removes them. There is no journal of in-flight vectors on
the server, so the repair must run while no ingest is running.

This test is about storage, not semantics: it uses the model-free hash embedding
(``RAG_EMBEDDING_BACKEND=hash``), a real deterministic embedder chosen by settings.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chroma_server import ChromaServer
from tests.crash_driver import digest
from tests.kill_rounds import Driver, changing, expected, kill_rounds, report
from tests.test_crash import _check_rerun as check_embedded_rerun
from vectorstore.chroma import ChromaConnection
from vectorstore.records import ArticleRecords

COLLECTION = "crash"
pytestmark = pytest.mark.slow


def server_driver(workdir: Path, url: str) -> Driver:
    """The forking driver of tests/crash_driver_server.py, with every command pointed at ``url``."""
    env = {"RAG_CHROMA_URL": url, "RAG_COLLECTION": COLLECTION, "ANONYMIZED_TELEMETRY": "False"}
    return Driver(workdir, "tests.crash_driver_server", env)


@pytest.fixture
def chroma(tmp_path: Path) -> Iterator[ChromaServer]:
    """A real `chroma run` server for this test alone."""
    server = ChromaServer(tmp_path / "chroma-db").start()
    yield server
    server.stop()


def _committed(url: str) -> dict[str, str]:
    """URL -> text digest of every article the server's records hold (what a kill cannot take back)."""
    connection = ChromaConnection(url=url, timeout=30)
    try:
        records = ArticleRecords(connection, f"{COLLECTION}_articles")
        live = [h.id for h in records.headers() if not h.deleted]
        found = records.get(live)
    finally:
        connection.close()
    urls = [r.article.url for r in found.values()]
    assert len(urls) == len(set(urls)), "an article is stored twice"
    return {r.article.url: digest(r.article.text) for r in found.values()}


def _cache_written(data: Path, version: int) -> int:
    """How many articles the running ingest has committed in their new version, from its own cache."""
    new = expected(version)
    texts: dict[str, str] = {}
    for cache in (data / "server-cache").glob("*.sqlite3"):
        try:
            conn = sqlite3.connect(f"file:{cache}?mode=ro", uri=True, timeout=5)
            try:
                texts.update(
                    {url: digest(text) for url, text in conn.execute("SELECT url, text FROM articles")}
                )
            finally:
                conn.close()
        except sqlite3.Error:  # being created
            pass
    return sum(1 for url in changing(version) if texts.get(url) == new[url])


def _check_rerun(record: dict[str, Any], version: int, committed: dict[str, str]) -> None:
    """After a kill during ``version``, its re-run and a repair: the embedded test's checks, the
    repair succeeded, and a fresh replica sees the same articles."""
    assert record["repair_exit"] == 0, record["repair_out"]
    check_embedded_rerun(record, version, committed)
    assert record["fresh_stored"] == record["stored"], "a fresh replica sees other articles"


def test_sigkill_during_server_mode_ingest_loses_nothing(tmp_path: Path, chroma: ChromaServer) -> None:
    data = tmp_path / "data"
    kills, runs = kill_rounds(
        tmp_path,
        server_driver(tmp_path, chroma.url),
        _check_rerun,
        committed_now=lambda: _committed(chroma.url),
        written_so_far=lambda version: _cache_written(data, version),
    )
    report(kills, runs, "crash (server mode)", "doctor findings before repair")
