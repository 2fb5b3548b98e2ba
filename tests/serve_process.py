"""`rag serve` in its own process on a free loopback port, as a user starts it, for end-to-end tests."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from tests.live_server import free_port

ROOT = Path(__file__).resolve().parent.parent
T = TypeVar("T")
START_SECONDS = 180


@dataclass(frozen=True)
class Serving:
    """A running `rag serve`: its base URL (no trailing slash), port, log file and process."""

    base: str
    port: int
    log: Path
    proc: subprocess.Popen[bytes]


@contextmanager
def serving(
    data_dir: Path, *, cwd: Path = ROOT, log: Path | None = None, port: int | None = None, **env: str
) -> Iterator[Serving]:
    """Serve ``data_dir`` until the block ends, then stop the server (killed if it does not stop in 30 s).

    ``cwd`` is the server's working directory (what relative paths sent to it resolve against);
    ``log`` its log file (``data_dir/serve.log`` by default); ``port`` a fixed port (a restart on
    the same one keeps the browser's origin); ``env`` adds environment variables (``RAG_*`` settings).
    """
    environment = {
        **os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False", **env,
    }  # fmt: skip
    port = port or free_port()
    log = log or data_dir / "serve.log"
    command = [sys.executable, "-m", "ui.cli", "serve", "--port", str(port), "--data-dir", str(data_dir)]
    with log.open("wb") as out:
        proc = subprocess.Popen(command, cwd=cwd, env=environment, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(base, proc, log)
        yield Serving(base, port, log, proc)
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@contextmanager
def serve_process(
    data_dir: Path, *, cwd: Path = ROOT, log: Path | None = None, **env: str
) -> Iterator[tuple[str, Path]]:
    """Serve ``data_dir`` until the block ends; yields the base URL (no trailing slash) and the log file.

    The options are those of ``serving``.
    """
    with serving(data_dir, cwd=cwd, log=log, **env) as running:
        yield running.base, running.log


def wait_until_healthy(base: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    """Poll /healthz until the server answers; fail with its log if it exits or never answers."""
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"rag serve exited with {proc.returncode}:\n{log.read_text()}")
        try:
            if httpx.get(base.rstrip("/") + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    pytest.fail(f"rag serve did not become healthy:\n{log.read_text()}")


def eventually(probe: Callable[[], T], ok: Callable[[T], bool], seconds: float = 5.0) -> T:
    """Poll ``probe`` until ``ok`` holds of its result, failing after ``seconds``."""
    deadline = time.monotonic() + seconds
    while True:
        result = probe()
        if ok(result) or time.monotonic() > deadline:
            assert ok(result), f"not within {seconds} s: {result!r}"
            return result
        time.sleep(0.1)
