"""A real `chroma run` server on a free loopback port, which tests can stop, freeze and restart."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from tests.live_server import free_port

CHROMA = Path(sys.executable).with_name("chroma")


class ChromaServer:
    """`chroma run --path <path> --port <port>`; restarting keeps both, as an operator would."""

    def __init__(self, path: Path, port: int | None = None) -> None:
        self.path = path
        self.port = port or free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen[bytes] | None = None

    def start(self) -> ChromaServer:
        """Start the server and wait for its heartbeat."""
        log = open(self.path.with_suffix(".log"), "ab")  # noqa: SIM115 - the child writes to it
        self._process = subprocess.Popen(
            [str(CHROMA), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=log, stderr=subprocess.STDOUT, env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + 60
        while not self._answers():
            if self._process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"chroma run did not start; see {self.path.with_suffix('.log')}")
            time.sleep(0.1)
        return self

    def stop(self) -> None:
        """Terminate the server (its data stays on disk)."""
        if self._process is not None:
            self._process.terminate()
            try:
                self._process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
            self._process = None

    def freeze(self) -> None:
        """Stop the process without closing its port: connections open, nothing answers."""
        assert self._process is not None
        self._process.send_signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """Let a frozen server run again."""
        assert self._process is not None
        self._process.send_signal(signal.SIGCONT)

    def _answers(self) -> bool:
        try:
            return httpx.get(self.url + "/api/v2/heartbeat", timeout=1).status_code == 200
        except httpx.HTTPError:
            return False
