"""Process-level measurements for the scale benchmark: cold start, memory and HTTP throughput.

Everything runs as a user would run it: a fresh `rag ask` process, a real `rag serve`
(uvicorn) on a free loopback port, and concurrent HTTP clients.
"""

from __future__ import annotations

import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

RAG = [sys.executable, "-m", "ui.cli"]
ENV = {**os.environ, "HF_HUB_OFFLINE": "1", "TOKENIZERS_PARALLELISM": "false"}


def cold_ask_seconds(data_dir: Path, question: str, runs: int = 3) -> list[float]:
    """Wall time of fresh `rag ask` processes, first byte of Python to printed answer."""
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        done = subprocess.run(
            [*RAG, "ask", "--data-dir", str(data_dir), question], capture_output=True, text=True, env=ENV
        )
        times.append(time.perf_counter() - started)
        if done.returncode != 0:
            raise RuntimeError(f"rag ask failed: {done.stderr[-500:]}")
    return times


def free_port() -> int:
    """A loopback port nothing listens on."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Server:
    """A running `rag serve` and how long it took to be ready."""

    process: subprocess.Popen[bytes]
    url: str
    ready_seconds: float
    started: float  # perf_counter() when the process was launched

    def keyword_index_seconds(self, timeout: float = 300.0) -> float:
        """Seconds from start until /readyz says BM25 ranks in memory."""
        deadline = time.perf_counter() + timeout
        while time.perf_counter() < deadline:
            if httpx.get(self.url + "/readyz", timeout=30).json().get("keyword_index") == "memory":
                return time.perf_counter() - self.started
            time.sleep(0.1)
        raise RuntimeError("the in-memory BM25 index was not built in time")

    def rss_mb(self) -> tuple[float, float]:
        """Current and peak resident memory of the server process, in MB."""
        fields = dict(
            line.split(":", 1) for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines()
        )
        return _kb(fields["VmRSS"]) / 1024, _kb(fields["VmHWM"]) / 1024


def _kb(value: str) -> float:
    return float(value.strip().split()[0])


@contextmanager
def serving(data_dir: Path, timeout: float = 120.0) -> Iterator[Server]:
    """`rag serve` on a free port, timed until /readyz answers 200; stopped afterwards."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    started = time.perf_counter()
    process = subprocess.Popen(
        [*RAG, "serve", "--data-dir", str(data_dir), "--port", str(port), "--log-level", "warning"],
        env=ENV, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        ready = _wait_ready(url, process, started + timeout)
        yield Server(process, url, ready - started, started)
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def _wait_ready(url: str, process: subprocess.Popen[bytes], deadline: float) -> float:
    while time.perf_counter() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"rag serve exited with {process.returncode}")
        try:
            if httpx.get(url + "/readyz", timeout=5).status_code == 200:
                return time.perf_counter()
        except httpx.HTTPError:
            pass
        time.sleep(0.05)
    raise RuntimeError("rag serve was not ready in time")


@dataclass(frozen=True)
class Load:
    """Answers per second and latency seen by ``clients`` concurrent clients."""

    clients: int
    answers: int
    errors: int
    seconds: float
    p50_ms: float
    p99_ms: float

    @property
    def per_second(self) -> float:
        """Successful answers per second."""
        return self.answers / self.seconds


def throughput(url: str, questions: Sequence[str], clients: int, seconds: float) -> Load:
    """``clients`` threads posting /v1/ask back to back for ``seconds``."""
    latencies: list[float] = []
    errors = [0]
    lock = threading.Lock()
    stop = time.perf_counter() + seconds

    def client(offset: int) -> None:
        with httpx.Client(base_url=url, timeout=120) as http:
            i = offset
            while time.perf_counter() < stop:
                began = time.perf_counter()
                response = http.post("/v1/ask", json={"question": questions[i % len(questions)]})
                took = time.perf_counter() - began
                with lock:
                    if response.status_code == 200:
                        latencies.append(took)
                    else:
                        errors[0] += 1
                i += clients

    started = time.perf_counter()
    threads = [threading.Thread(target=client, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    ordered = sorted(latencies) or [0.0]
    return Load(
        clients, len(latencies), errors[0], elapsed,
        1000 * statistics.median(ordered), 1000 * ordered[min(len(ordered) - 1, int(0.99 * len(ordered)))],
    )  # fmt: skip
