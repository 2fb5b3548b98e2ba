"""Crash consistency: `rag ingest` killed with SIGKILL at 20 random moments loses and duplicates nothing.

A driver process (tests/crash_driver.py) forks one child per round. The child runs
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

import contextlib
import functools
import json
import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path
from typing import Any

from tests.crash_driver import N_ARTICLES, article_body, digest, url_of, write_version

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20
SEED = 7_2026


class Driver:
    """The forking driver process, spoken to one JSON line at a time."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_EMBEDDING_BACKEND": "hash"}
        self.stderr = (workdir / "driver.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "tests.crash_driver"], cwd=ROOT, env=env, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=self.stderr,
        )  # fmt: skip

    def start(self, name: str, data: Path, rerun: Path | None, nxt: Path | None) -> tuple[int, Path]:
        """Fork a round; returns the child's pid and the file it writes its results to."""
        result = self.workdir / f"{name}.jsonl"
        command = {
            "data": str(data), "rerun": str(rerun) if rerun else None, "next": str(nxt) if nxt else None,
            "result": str(result), "log": str(self.workdir / f"{name}.log"),
        }  # fmt: skip
        assert self.proc.stdin is not None
        self.proc.stdin.write(json.dumps(command) + "\n")
        self.proc.stdin.flush()
        return int(self._reply()["pid"]), result

    def wait(self) -> int:
        """The child's wait status, once it has died or finished."""
        return int(self._reply()["status"])

    def close(self) -> None:
        """Stop the driver."""
        assert self.proc.stdin is not None
        self.proc.stdin.close()
        self.proc.wait(timeout=30)
        self.stderr.close()

    def _reply(self) -> dict[str, Any]:
        assert self.proc.stdout is not None
        line = self.proc.stdout.readline()
        assert line, (self.workdir / "driver.log").read_text()[-3000:]
        return dict(json.loads(line))


def _lines(result: Path, log: Path, want: int) -> list[str]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        lines = result.read_text().splitlines() if result.exists() else []
        if len(lines) >= want:
            return lines
        time.sleep(0.01)
    raise AssertionError(f"child stalled: {log.read_text()[-3000:] if log.exists() else 'no log'}")


@functools.cache
def _expected(version: int) -> dict[str, str]:
    return {url_of(i): digest(article_body(i, version)) for i in range(N_ARTICLES)}


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
    assert record["stored"] == _expected(version), "articles missing, doubled or with the wrong text"
    assert record["articles"] == N_ARTICLES
    assert set(committed) <= set(record["stored"]), "an article committed before the kill was lost"
    old, new = (_expected(version - 1) if version else {}), _expected(version)
    assert all(text in (old.get(url), new[url]) for url, text in committed.items()), "a mixed version"
    assert record["same_ids"] and record["consistent"], record["problems"]
    assert record["sample_found"] == record["sample"] > 0, "vectors missing from dense search"
    assert record["doctor_after_exit"] == 0


def _new_written(data: Path, version: int) -> int:
    """How many articles the running ingest has committed in their new version so far."""
    try:
        return _written(_committed(data, check=False), version)
    except sqlite3.Error:  # the catalogue is still being created
        return 0


def _kill_moment(rng: random.Random, data: Path, version: int, run_seconds: float) -> tuple[str, float]:
    """Wait for a random moment of the run: mostly after a random number of writes, sometimes at a random time.

    ``run_seconds`` is how long an uninterrupted run took on this machine, so random times
    land inside a run on fast and slow machines alike.
    """
    if rng.random() < 0.25:
        delay = rng.uniform(0.0, 0.9 * run_seconds)
        time.sleep(delay)
        return "time", delay
    target = rng.randrange(len(_changing(version)))
    deadline = time.monotonic() + 120
    while _new_written(data, version) < target and time.monotonic() < deadline:
        time.sleep(0.005)
    delay = rng.uniform(0.0, 0.05)  # within the next article's write on a loaded or an idle machine
    time.sleep(delay)
    return f"after {target} writes", delay


def test_sigkill_during_ingest_loses_nothing(tmp_path: Path) -> None:
    rng = random.Random(SEED)
    driver = Driver(tmp_path)
    data = tmp_path / "data"
    folders = [write_version(tmp_path / "archive-v0", 0)]
    kills: list[dict[str, Any]] = []
    committed: dict[str, str] = {}
    run_seconds = 2.0  # until a run finishes before its kill and shows how long runs take here
    try:
        while len(kills) < KILLS:
            version = len(folders) - 1
            assert version < 3 * KILLS, "too many runs finished before their kill"
            pid, result = driver.start(
                f"round{version}", data, folders[version - 1] if version else None, folders[version]
            )
            lines = _lines(result, tmp_path / f"round{version}.log", 2)
            if version:
                _after_rerun(json.loads(lines[0]), version - 1, committed, kills)
            how, delay = _kill_moment(rng, data, version, run_seconds)
            with contextlib.suppress(ProcessLookupError):  # it finished first: reaped already
                os.kill(pid, signal.SIGKILL)  # until the driver reaps it, the child is at worst a zombie
            status = driver.wait()
            committed = _committed(data) if (data / "catalog.sqlite3").exists() else {}
            if os.WIFSIGNALED(status):
                kills.append(
                    {"version": version, "how": how, "delay": delay, "written": _written(committed, version)}
                )
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


def _changing(version: int) -> list[str]:
    """URLs whose text the ingest of ``version`` changes (all of them for the first)."""
    new, old = _expected(version), _expected(version - 1) if version else {}
    return [url for url in new if new[url] != old.get(url)]


def _written(committed: dict[str, str], version: int) -> int:
    """Articles the killed run had committed in their new version."""
    new = _expected(version)
    return sum(1 for url in _changing(version) if committed.get(url) == new[url])


def _report(kills: list[dict[str, Any]], runs: int) -> None:
    """The figures docs/reliability.md quotes (shown with ``pytest -s``)."""
    found: Counter[str] = Counter()
    for kill in kills:  # what `rag doctor` said right after the kill, before the re-run
        lines = kill.get("doctor", "").splitlines()
        found.update(line.strip().split(" ", 1)[1].split(":")[0] for line in lines if line.startswith("  "))
    print(
        f"\ncrash: {len(kills)} kills over {runs} runs of {N_ARTICLES} articles; "
        f"moments: {[(k['how'], round(k['delay'], 2), k['written']) for k in kills]}; "
        f"doctor findings (kills affected): {dict(found) or 'none'}"
    )
