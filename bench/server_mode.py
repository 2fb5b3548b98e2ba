"""`python -m bench.server_mode`: server mode against embedded mode, measured side by side.

Starts its own `chroma run` in a temporary folder, ingests the first N SQuAD articles once
embedded and once through the server (same embedder, same process), and prints the figures
docs/scaling.md quotes: ingest characters per second, query latency, how long another
replica takes to see a new article, sync costs, and bytes per chunk on disk.
"""

from __future__ import annotations

import argparse
import functools
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import httpx

from bench.squad import load_squad
from rag import Article, Assistant, Settings
from rag.embedding import Embedder, embedder_from_settings
from vectorstore.server_store import ServerArticleStore

Row = Callable[[str, str], None]


def main(argv: list[str] | None = None) -> None:
    """Run the measurements and print them as a markdown table."""
    parser = argparse.ArgumentParser(prog="python -m bench.server_mode", description=__doc__)
    parser.add_argument(
        "--articles", type=int, default=8, help="SQuAD articles ingested (default: %(default)s)"
    )
    parser.add_argument("--queries", type=int, default=100, help="questions timed (default: %(default)s)")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    squad = load_squad()
    articles = [Article(id=a.id, title=a.title, text=a.text) for a in squad.articles[: args.articles]]
    ids = {a.id for a in articles}
    questions = [q.question for q in squad.answerable if q.article_id in ids][: args.queries]
    embedder = embedder_from_settings(Settings())
    embedder.embed_documents(["warm up"])
    chars = sum(len(a.text) for a in articles)
    print(f"{len(articles)} articles, {chars:,} characters, {len(questions)} questions\n")
    print("| Measure | Value |\n|---|---|", flush=True)
    with tempfile.TemporaryDirectory() as tmp:
        measure(Path(tmp), articles, questions, embedder, _print_row)


def _print_row(name: str, value: str) -> None:
    print(f"| {name} | {value} |", flush=True)


def measure(
    root: Path, articles: list[Article], questions: list[str], embedder: Embedder, report: Row
) -> None:
    """Every figure, reported as a (name, formatted value) row as soon as it is known."""
    chars = sum(len(a.text) for a in articles)
    embedded = Assistant(Settings(data_dir=root / "embedded"), embedder=embedder)
    seconds = _timed(lambda: embedded.ingest(articles))
    chunks = embedded.store.stats().chunks
    report("Chunks", str(chunks))
    report("Ingest, embedded Chroma (chars/s)", f"{chars / seconds:,.0f}")
    report("Chroma files per chunk, embedded (bytes)", f"{_size(root / 'embedded' / 'chroma') / chunks:,.0f}")
    sqlite_bytes = _size(root / "embedded" / "catalog.sqlite3")
    report("SQLite catalogue + FTS5 per chunk (bytes)", f"{sqlite_bytes / chunks:,.0f}")
    _latencies(report, "embedded", embedded, questions)
    embedded.close()
    server_dir = root / "server"
    with ChromaRun(server_dir) as run:
        url = run.url
        a = Assistant(Settings(data_dir=root / "a", chroma_url=url), embedder=embedder)
        seconds = _timed(lambda: a.ingest(articles))
        report("Ingest through a Chroma server (chars/s)", f"{chars / seconds:,.0f}")
        server_bytes = _size(server_dir)
        report(
            "Chroma server files per chunk, vectors + article records (bytes)",
            f"{server_bytes / chunks:,.0f}",
        )
        b = Assistant(Settings(data_dir=root / "b", chroma_url=url), embedder=embedder)
        full_ms = _timed(b.articles) * 1000
        report(f"First full sync of a new replica, {len(articles)} articles (ms)", f"{full_ms:,.0f}")
        report("Incremental sync, nothing changed (ms, median of 50)", _sync_cost(b))
        report("New article visible on another replica (s)", f"{_propagation(a, b):.2f}")
        _latencies(report, "server", a, questions)
        a.close()
        b.close()


def _latencies(report: Row, mode: str, assistant: Assistant, questions: list[str]) -> None:
    for q in questions[:3]:
        assistant.ask(q)
    calls: list[tuple[str, Callable[[str], object]]] = [
        ("retrieve", assistant.retrieve),
        ("ask", assistant.ask),
    ]
    for name, call in calls:
        times = sorted(_timed(functools.partial(call, q)) * 1000 for q in questions)
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        report(f"`{name}` {mode}, p50 / p95 (ms)", f"{statistics.median(times):.1f} / {p95:.1f}")


def _sync_cost(assistant: Assistant) -> str:
    store = assistant.store
    assert isinstance(store, ServerArticleStore)
    times = []
    for _ in range(50):
        store.cache._checked_at = None  # force a round trip each time
        times.append(_timed(store.cache.refresh) * 1000)
    return f"{statistics.median(times):.1f}"


def _propagation(a: Assistant, b: Assistant) -> float:
    b.articles()
    article = Article(id="fresh", title="Fresh news", text="The Westport ferry now leaves at nine every day.")
    started = time.monotonic()
    a.ingest([article])
    while "fresh" not in {x.id for x in b.articles()}:
        time.sleep(0.01)
    return time.monotonic() - started


def _timed(call: Callable[[], object]) -> float:
    started = time.perf_counter()
    call()
    return time.perf_counter() - started


def _size(path: Path) -> int:
    if path.is_file():
        return sum(p.stat().st_size for p in path.parent.glob(path.name + "*"))  # with -wal, -shm
    return sum(p.stat().st_size for p in path.rglob("*") if p.is_file())


class ChromaRun:
    """`chroma run` on a free port with its data in ``path``, for the duration of a with-block."""

    def __init__(self, path: Path) -> None:
        self.path = path
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = int(s.getsockname()[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> ChromaRun:
        chroma = Path(sys.executable).with_name("chroma")
        self.process = subprocess.Popen(
            [str(chroma), "run", "--path", str(self.path), "--host", "127.0.0.1", "--port", str(self.port)],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            try:
                if httpx.get(self.url + "/api/v2/heartbeat", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("chroma run did not start")

    def __exit__(self, *exc: object) -> None:
        assert self.process is not None
        self.process.terminate()
        self.process.wait(timeout=30)


if __name__ == "__main__":
    main()
