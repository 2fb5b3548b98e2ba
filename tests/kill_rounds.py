"""The kill loop shared by tests/test_crash.py (embedded) and tests/test_crash_server_mode.py.

A forking driver (tests/crash_driver.py, tests/crash_driver_server.py) runs each round: it
checks what the previous kill left, re-runs the killed ingest, reports on the store, then
starts the next version of the archive, which the loop here kills with SIGKILL at a moment
drawn from a seeded RNG (mostly after a random number of article writes plus a fraction of
one, sometimes at a random time after start-up). The two tests differ only in the driver,
in how they read what is committed and in what they check after each re-run; they pass
those in.
"""

from __future__ import annotations

import contextlib
import functools
import json
import os
import random
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from tests.crash_driver import N_ARTICLES, article_body, digest, url_of, write_version

ROOT = Path(__file__).resolve().parent.parent
KILLS = 20
SEED = 7_2026

Committed = dict[str, str]  # URL -> digest of the stored text
CheckRerun = Callable[[dict[str, Any], int, Committed], None]


class Driver:
    """The forking driver process ``python -m <module>``, spoken to one JSON line at a time."""

    def __init__(
        self, workdir: Path, module: str = "tests.crash_driver", env: Mapping[str, str] | None = None
    ) -> None:
        self.workdir = workdir
        environment = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_EMBEDDING_BACKEND": "hash", **(env or {})}
        self.stderr = (workdir / "driver.log").open("w")
        self.proc = subprocess.Popen(
            [sys.executable, "-m", module], cwd=ROOT, env=environment, text=True,
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


def kill_rounds(
    workdir: Path,
    driver: Driver,
    check_rerun: CheckRerun,
    committed_now: Callable[[], Committed],
    written_so_far: Callable[[int], int],
) -> tuple[list[dict[str, Any]], int]:
    """Kill ``KILLS`` ingest runs, checking each re-run; the kills and the number of runs.

    ``check_rerun(record, version, committed)`` checks a round's report after the re-run of
    ``version``; ``committed_now()`` reads what the store holds right after a kill;
    ``written_so_far(version)`` counts the articles the running ingest has committed in their
    new version (for choosing the kill moment).
    """
    rng = random.Random(SEED)
    data = workdir / "data"
    folders = [write_version(workdir / "archive-v0", 0)]
    kills: list[dict[str, Any]] = []
    committed: Committed = {}
    run_seconds = 2.0  # until a run finishes before its kill and shows how long runs take here

    def after_rerun(record: dict[str, Any], version: int) -> None:
        check_rerun(record, version, committed)
        if kills and kills[-1]["version"] == version:
            kills[-1]["doctor"] = record["doctor_out"]

    try:
        while len(kills) < KILLS:
            version = len(folders) - 1
            assert version < 3 * KILLS, "too many runs finished before their kill"
            rerun = folders[version - 1] if version else None
            pid, result = driver.start(f"round{version}", data, rerun, folders[version])
            lines = _lines(result, workdir / f"round{version}.log", 2)
            if version:
                after_rerun(json.loads(lines[0]), version - 1)
            how, delay = _kill_moment(rng, version, run_seconds, written_so_far)
            with contextlib.suppress(ProcessLookupError):  # it finished first: reaped already
                os.kill(pid, signal.SIGKILL)  # until the driver reaps it, the child is at worst a zombie
            status = driver.wait()
            committed = committed_now()
            if os.WIFSIGNALED(status):
                kills.append(
                    {"version": version, "how": how, "delay": delay, "written": written(committed, version)}
                )
            else:
                assert status == 0, (workdir / f"round{version}.log").read_text()[-3000:]
                run_seconds = json.loads(result.read_text().splitlines()[-1])["seconds"]
            folders.append(write_version(workdir / f"archive-v{version + 1}", version + 1))

        driver.start("final", data, folders[-2], None)
        assert driver.wait() == 0, (workdir / "final.log").read_text()[-3000:]
        final = json.loads((workdir / "final.jsonl").read_text().splitlines()[0])
        after_rerun(final, len(folders) - 2)
    finally:
        driver.close()
    return kills, len(folders) - 1


def _lines(result: Path, log: Path, want: int) -> list[str]:
    deadline = time.monotonic() + 180
    while time.monotonic() < deadline:
        lines = result.read_text().splitlines() if result.exists() else []
        if len(lines) >= want:
            return lines
        time.sleep(0.01)
    raise AssertionError(f"child stalled: {log.read_text()[-3000:] if log.exists() else 'no log'}")


def _kill_moment(
    rng: random.Random, version: int, run_seconds: float, written_so_far: Callable[[int], int]
) -> tuple[str, float]:
    """Wait for a random moment of the run: mostly after a random number of writes, sometimes at a random time.

    ``run_seconds`` is how long an uninterrupted run took on this machine, so random times
    land inside a run on fast and slow machines alike.
    """
    if rng.random() < 0.25:
        delay = rng.uniform(0.0, 0.9 * run_seconds)
        time.sleep(delay)
        return "time", delay
    target = rng.randrange(len(changing(version)))
    deadline = time.monotonic() + 120
    while written_so_far(version) < target and time.monotonic() < deadline:
        time.sleep(0.005)
    delay = rng.uniform(0.0, 0.05)  # within the next article's write on a loaded or an idle machine
    time.sleep(delay)
    return f"after {target} writes", delay


@functools.cache
def expected(version: int) -> dict[str, str]:
    """URL -> text digest of every article in ``version`` of the archive."""
    return {url_of(i): digest(article_body(i, version)) for i in range(N_ARTICLES)}


def changing(version: int) -> list[str]:
    """URLs whose text the ingest of ``version`` changes (all of them for the first)."""
    new, old = expected(version), expected(version - 1) if version else {}
    return [url for url in new if new[url] != old.get(url)]


def written(committed: Committed, version: int) -> int:
    """Articles the killed run had committed in their new version."""
    new = expected(version)
    return sum(1 for url in changing(version) if committed.get(url) == new[url])


def report(kills: list[dict[str, Any]], runs: int, title: str, findings: str) -> None:
    """The figures docs/reliability.md quotes (shown with ``pytest -s``)."""
    found: Counter[str] = Counter()
    for kill in kills:  # what `rag doctor` said right after the kill, before the re-run
        lines = kill.get("doctor", "").splitlines()
        found.update(line.strip().split(" ", 1)[1].split(":")[0] for line in lines if line.startswith("  "))
    print(
        f"\n{title}: {len(kills)} kills over {runs} runs of {N_ARTICLES} articles; "
        f"moments: {[(k['how'], round(k['delay'], 2), k['written']) for k in kills]}; "
        f"{findings} (kills affected): {dict(found) or 'none'}"
    )
