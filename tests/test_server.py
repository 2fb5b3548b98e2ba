"""The HTTP shell for real: `rag serve` on a free loopback port, asked through `gradio_client`."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
import uvicorn
from gradio_client import Client

from rag import Assistant, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.serve_process import wait_until_healthy
from ui.server import ChatServer, create_app, public_url

ROOT = Path(__file__).resolve().parent.parent
SEED_SENTENCE = (
    '"The current regime (in Kyiv) is absolutely toxic, we do not see any options for co-existence '
    'with it at the moment," Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow.'
)


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def listening_addresses(port: int) -> set[str]:
    """Local IPv4 addresses with a socket listening on ``port``, read from /proc (Linux only)."""
    table = Path("/proc/net/tcp")
    if not table.exists():
        pytest.skip("needs /proc/net/tcp")
    found = set()
    for line in table.read_text().splitlines()[1:]:
        local, state = line.split()[1], line.split()[3]
        address, hex_port = local.split(":")
        if state == "0A" and int(hex_port, 16) == port:
            found.add(socket.inet_ntoa(bytes.fromhex(address)[::-1]))
    return found


@pytest.fixture(scope="module")
def seeded_dir(tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder) -> Path:
    """A data folder holding the seed article, embedded with the real model."""
    data_dir = tmp_path_factory.mktemp("served")
    assistant = Assistant(Settings(data_dir=data_dir), embedder=minilm)
    try:
        assert assistant.ingest([ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"]).ok
    finally:
        assistant.close()
    return data_dir


@dataclass(frozen=True)
class Served:
    """A running `rag serve`: its URL, its process and the file its output goes to."""

    base: str
    proc: subprocess.Popen[bytes]
    log: Path


@pytest.fixture(scope="module")
def served(seeded_dir: Path) -> Iterator[Served]:
    """`rag serve` started as a user would, without --host, on a free port; stopped with Ctrl+C.

    The last test of this module stops it and checks how it went.
    """
    port = free_port()
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HF_HUB_OFFLINE": "1", "GRADIO_ANALYTICS_ENABLED": "False"}
    command = [sys.executable, "-m", "ui.cli", "serve", "--data-dir", str(seeded_dir), "--port", str(port)]
    log = seeded_dir / "serve.log"
    with log.open("wb") as out:  # a file, not a pipe: a full pipe would block the server
        proc = subprocess.Popen(command, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        wait_until_healthy(base, proc, log)
        yield Served(base, proc, log)
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
            try:
                proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()


@pytest.mark.slow
def test_serve_binds_loopback_only_by_default(served: Served) -> None:
    port = int(served.base.rsplit(":", 1)[1].strip("/"))
    assert listening_addresses(port) == {"127.0.0.1"}


@pytest.mark.slow
def test_serve_answers_pages_and_health(served: Served) -> None:
    base = served.base
    page = httpx.get(base, timeout=10)
    assert page.status_code == 200
    assert "text/html" in page.headers["content-type"] and "gradio" in page.text.lower()
    assert httpx.get(base + "healthz", timeout=10).json() == {"status": "ok"}


@pytest.mark.slow
def test_serve_answers_through_gradio_client(served: Served) -> None:
    client = Client(served.base, verbose=False)
    fresh = Client(served.base, verbose=False)
    try:
        job = client.submit("Who is Rodion Miroshnik?", api_name="/chat")
        reply = job.result(timeout=120)
        follow_up = client.predict("And what did he say?", api_name="/chat")
        # A history and k given explicitly, by a client whose session has asked nothing yet.
        history = [["Who is Rodion Miroshnik?", reply]]
        explicit = fresh.predict("And what did he say?", history, 2, api_name="/chat")
    finally:
        client.close()
        fresh.close()
    assert isinstance(reply, str)
    assert "[1]" in reply and SEED_SENTENCE in reply and "\n\nSources:\n[1] " in reply
    assert "&#" not in reply and "&quot;" not in reply and "**" not in reply  # plain text, no entities
    streamed = job.outputs()
    assert streamed[-1] == reply and "Sources:" not in streamed[0]  # text first, sources at the end
    assert "[1]" in follow_up and "Miroshnik" in follow_up  # the session's history carried "he"
    assert "[1]" in explicit and "Miroshnik" in explicit and "[3]" not in explicit


@pytest.mark.slow
def test_a_k_out_of_range_is_a_clear_reply_not_a_server_traceback(served: Served) -> None:
    # Gradio's own bounds on the k input raised before the callback: the caller got "Value 0.0 is
    # less than minimum value 1." and the server log a traceback.
    client = Client(served.base, verbose=False)
    try:
        replies = {
            repr(k): client.predict("Who is Rodion Miroshnik?", [], k, api_name="/chat")
            for k in (0, 51, 2.5, "six")
        }
        fine = client.predict("Who is Rodion Miroshnik?", [], 50, api_name="/chat")
    finally:
        client.close()
    for k, reply in replies.items():
        assert reply == f"⚠️ k, the number of passages, must be a whole number from 1 to 50 (got {k}).", reply
    assert "[1]" in fine and "Miroshnik" in fine
    assert "Traceback" not in served.log.read_text()


@pytest.mark.slow
def test_serve_logs_its_url_and_stops_cleanly_on_ctrl_c(served: Served) -> None:
    served.proc.send_signal(signal.SIGINT)
    served.proc.wait(timeout=30)
    log = served.log.read_text()
    # uvicorn stops gracefully, then re-raises the Ctrl+C, which `rag` reports as 130 (128 + SIGINT).
    assert served.proc.returncode in (0, 130), log
    assert "Application shutdown complete" in log
    assert "ERROR" not in log, log  # no stream was cancelled mid-way: open sessions were ended first
    assert f"Serving the chat UI on {served.base}" in log
    assert "Articles indexed: 1" in log
    assert "Traceback" not in log
    assert "Loading weights" not in log  # the model loader's progress bar is not server output


def test_create_app_in_a_thread_answers_and_stops_promptly(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path, embedding_backend="hash"))
    assert assistant.ingest([ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"]).ok
    # No grace period: only ending the sessions' heartbeat streams lets this stop in time.
    config = uvicorn.Config(create_app(assistant), host="127.0.0.1", port=free_port(), log_level="warning")
    server = ChatServer(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 30
        while not server.started and thread.is_alive() and time.monotonic() < deadline:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{config.port}/"
        assert httpx.get(base + "healthz").json() == {"status": "ok"}
        api = httpx.get(base + "config").json()
        assert any(d.get("api_name") == "chat" for d in api["dependencies"])
        client = Client(base, verbose=False)
        reply = client.predict("Who is Rodion Miroshnik?", api_name="/chat")
        client.close()
        assert "[1]" in reply and "Miroshnik" in reply
    finally:
        started = time.monotonic()
        server.should_exit = True
        thread.join(timeout=15)
        assistant.close()
    assert not thread.is_alive()
    assert time.monotonic() - started < 5  # plain uvicorn waits ~15 s for the heartbeat to notice


@pytest.mark.parametrize(
    ("host", "url"),
    [
        ("127.0.0.1", "http://127.0.0.1:7860/"),
        ("::1", "http://[::1]:7860/"),
        ("0.0.0.0", "http://0.0.0.0:7860/"),
    ],
)
def test_public_url(host: str, url: str) -> None:
    assert public_url(host, 7860) == url
