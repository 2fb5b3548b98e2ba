"""`rag serve` on the IPv6 loopback: written as a user would (`::1` or `[::1]`), it binds and answers."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ui.server import bind_address

ROOT = Path(__file__).resolve().parent.parent


def _ipv6_loopback_port() -> int:
    try:
        with socket.socket(socket.AF_INET6) as s:
            s.bind(("::1", 0))
            return int(s.getsockname()[1])
    except OSError:
        pytest.skip("this machine has no IPv6 loopback")


@pytest.mark.parametrize("host", ["::1", "[::1]"])
def test_serve_binds_the_ipv6_loopback(host: str, tmp_path: Path) -> None:
    port = _ipv6_loopback_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "RAG_EMBEDDING_BACKEND": "hash"}
    env.pop("RAG_API_KEYS", None)
    env.pop("RAG_ALLOW_REMOTE", None)
    command = [sys.executable, "-m", "ui.cli", "serve", "--host", host, "--port", str(port)]
    log = tmp_path / "serve.log"
    with log.open("wb") as out:
        proc = subprocess.Popen(
            [*command, "--data-dir", str(tmp_path / "data")], env=env, stdout=out, stderr=out
        )
    try:
        deadline, answer = time.monotonic() + 120, None
        while answer is None and proc.poll() is None and time.monotonic() < deadline:
            try:
                answer = httpx.get(f"http://[::1]:{port}/v1/articles", timeout=2)
            except httpx.TransportError:
                time.sleep(0.3)
        assert answer is not None, f"exit code {proc.poll()}:\n{log.read_text()}"
        assert answer.status_code == 200 and answer.json() == []
        assert f"Serving the chat UI on http://[::1]:{port}/" in log.read_text()
    finally:
        proc.terminate()
        proc.wait(timeout=30)


@pytest.mark.parametrize(
    ("written", "bound"),
    [("::1", "::1"), ("[::1]", "::1"), (" 127.0.0.1 ", "127.0.0.1"), ("localhost", "localhost")],
)
def test_bind_address(written: str, bound: str) -> None:
    assert bind_address(written) == bound
