"""Crash consistency in server mode: `rag ingest` against a `chroma run` server, killed 20 times.

The embedded test (tests/test_crash.py) in server mode: ``RAG_CHROMA_URL`` points every
command at a real `chroma run` (tests/chroma_server.py), so the Chroma server holds the vectors
and the article records, and the data folder holds only a replica's cache. A forking driver
(tests/crash_driver_server.py) runs each round: report with `rag doctor`, re-run the killed
ingest, `rag doctor --repair` while no ingest runs, check, then start the next version of the
300-article archive, which the test kills with SIGKILL at a moment drawn from a seeded RNG
(mostly after a random number of article writes plus a fraction of one, sometimes at a random
time after start-up).

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

import contextlib
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.chroma_server import ChromaServer
from tests.crash_driver import N_ARTICLES, digest, write_version
from tests.test_crash import ROOT, SEED, Driver, _changing, _expected, _lines
from vectorstore.chroma import ChromaConnection
from vectorstore.records import ArticleRecords

KILLS = 20
COLLECTION = "crash"
pytestmark = pytest.mark.slow


class ServerDriver(Driver):
    """The forking driver of tests/crash_driver_server.py, with every command pointed at ``url``."""

    def __init__(self, workdir: Path, url: str) -> None:
        self.workdir = workdir
        env = {
            **os.environ, "HF_HUB_OFFLINE": "1", "RAG_EMBEDDING_BACKEND": "hash", "RAG_CHROMA_URL": url,
            "RAG_COLLECTION": COLLECTION, "ANONYMIZED_TELEMETRY": "False",
        }  # fmt: skip
        self.stderr = (workdir / "driver.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_driver_server"], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
        )  # fmt: skip


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
    new = _expected(version)
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
    return sum(1 for url in _changing(version) if texts.get(url) == new[url])


def _kill_moment(rng: random.Random, data: Path, version: int, run_seconds: float) -> tuple[str, float]:
    """Mostly after a random number of writes plus a fraction of one, sometimes at a random time."""
    if rng.random() < 0.25:
        delay = rng.uniform(0.0, 0.9 * run_seconds)
        time.sleep(delay)
        return "time", delay
    target = rng.randrange(len(_changing(version)))
    deadline = time.monotonic() + 120
    while _cache_written(data, version) < target and time.monotonic() < deadline:
        time.sleep(0.005)
    delay = rng.uniform(0.0, 0.05)
    time.sleep(delay)
    return f"after {target} writes", delay


def _check_rerun(record: dict[str, Any], version: int, committed: dict[str, str]) -> None:
    """After a kill during ``version``, its re-run and a repair: nothing lost or doubled, ids agree."""
    assert record["rerun_exit"] == 0, record["rerun_out"]
    assert record["repair_exit"] == 0, record["repair_out"]
    assert record["stored"] == _expected(version), "articles missing, doubled or with the wrong text"
    assert record["articles"] == N_ARTICLES
    assert set(committed) <= set(record["stored"]), "an article committed before the kill was lost"
    old, new = (_expected(version - 1) if version else {}), _expected(version)
    assert all(text in (old.get(url), new[url]) for url, text in committed.items()), "a mixed version"
    assert record["same_ids"] and record["consistent"], record["problems"]
    assert record["sample_found"] == record["sample"] > 0, "vectors missing from dense search"
    assert record["fresh_stored"] == record["stored"], "a fresh replica sees other articles"
    assert record["doctor_after_exit"] == 0


def test_sigkill_during_server_mode_ingest_loses_nothing(tmp_path: Path, chroma: ChromaServer) -> None:
    rng = random.Random(SEED)
    driver = ServerDriver(tmp_path, chroma.url)
    data = tmp_path / "data"
    folders = [write_version(tmp_path / "archive-v0", 0)]
    kills: list[dict[str, Any]] = []
    committed: dict[str, str] = {}
    run_seconds = 2.0  # until a run finishes before its kill and shows how long runs take here
    try:
        while len(kills) < KILLS:
            version = len(folders) - 1
            assert version < 3 * KILLS, "too many runs finished before their kill"
            rerun = folders[version - 1] if version else None
            pid, result = driver.start(f"round{version}", data, rerun, folders[version])
            lines = _lines(result, tmp_path / f"round{version}.log", 2)
            if version:
                _after_rerun(json.loads(lines[0]), version - 1, committed, kills)
            how, delay = _kill_moment(rng, data, version, run_seconds)
            with contextlib.suppress(ProcessLookupError):  # it finished first: reaped already
                os.kill(pid, signal.SIGKILL)
            status = driver.wait()
            committed = _committed(chroma.url)
            if os.WIFSIGNALED(status):
                new = _expected(version)
                written = sum(1 for url in _changing(version) if committed.get(url) == new[url])
                kills.append({"version": version, "how": how, "delay": delay, "written": written})
            else:
                assert status == 0, (tmp_path / f"round{version}.log").read_text()[-3000:]
                run_seconds = json.loads(result.read_text().splitlines()[-1])["seconds"]
            folders.append(write_version(tmp_path / f"archive-v{version + 1}", version + 1))

        driver.start("final", data, folders[-2], None)
        assert driver.wait() == 0, (tmp_path / "final.log").read_text()[-3000:]
        final = json.loads((tmp_path / "final.jsonl").read_text().splitlines()[0])
        _after_rerun(final, len(folders) - 2, committed, kills)
    finally:
        driver.close()
    _report(kills, len(folders) - 1)


def _after_rerun(
    record: dict[str, Any], version: int, committed: dict[str, str], kills: list[dict[str, Any]]
) -> None:
    _check_rerun(record, version, committed)
    if kills and kills[-1]["version"] == version:
        kills[-1]["doctor"] = record["doctor_out"]


def _report(kills: list[dict[str, Any]], runs: int) -> None:
    """The figures docs/reliability.md quotes (shown with ``pytest -s``)."""
    found: Counter[str] = Counter()
    for kill in kills:  # what `rag doctor` said right after the kill, before the re-run
        lines = kill.get("doctor", "").splitlines()
        found.update(line.strip().split(" ", 1)[1].split(":")[0] for line in lines if line.startswith("  "))
    print(
        f"\ncrash (server mode): {len(kills)} kills over {runs} runs of {N_ARTICLES} articles; "
        f"moments: {[(k['how'], round(k['delay'], 2), k['written']) for k in kills]}; "
        f"doctor findings before repair (kills affected): {dict(found) or 'none'}"
    )
