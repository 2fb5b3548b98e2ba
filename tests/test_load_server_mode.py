"""Concurrency in server mode: 50 clients ask replica A while a writer ingests and deletes through replica B.

Part of `make test` since the cause of its one HTTP 500 (1 run in 5) was found: replica
threads racing to open the Chroma client after a failed call, fixed in vectorstore/chroma.py
and pinned by tests/test_chroma_connection.py (see docs/reliability.md, "Server mode"). On a
5xx it prints replica A's ERROR log lines: ``pytest -q -s tests/test_load_server_mode.py``.

The same load as tests/test_load.py (its clients, writer, ledger and summary are imported, not
copied), but the store is a real `chroma run` server (tests/chroma_server.py) and there are two
`rag serve` processes with their own data folders pointing at it (``RAG_CHROMA_URL``), as an
operator runs replicas. The 50 question clients talk to replica A; the writer uploads, ingests,
edits and deletes rotating stories through replica B, so A's cache takes B's changes from the
server's article records while it answers. Both replicas embed with the bundled MiniLM: the
check that questions about the staying stories are answered from those stories is semantic.

Checked afterwards, as in the embedded test: no 5xx and no failed request on A, every citation
quotes a text its article really had (rotating stories that A saw only through syncing included),
the writer's operations on B all succeeded, no client hung (no deadlock), both replicas still
answer and their logs have no traceback; and, once the writer has stopped, both replicas list
exactly the staying stories (every rotating story B deleted is gone from A too).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.chroma_server import ChromaServer
from tests.serve_process import serve_process
from tests.test_load import (
    REQUEST_TIMEOUT,
    STAYING,
    Ledger,
    check_load,
    load_staying,
    run_load,
    summary,
)

pytestmark = pytest.mark.slow
SYNC_SECONDS = 30.0  # how long A may take to show B's last delete once the load has stopped


@pytest.fixture(scope="module")
def replicas(tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[tuple[str, Path]]]:
    """A real `chroma run` and two `rag serve` replicas on it; yields each replica's URL and log file."""
    chroma = ChromaServer(tmp_path_factory.mktemp("chroma") / "db").start()
    env = {"RAG_CHROMA_URL": chroma.url, "RAG_COLLECTION": "load", "RAG_LOG_LEVEL": "warning"}
    try:
        with (
            serve_process(tmp_path_factory.mktemp("replica-a"), **env) as a,
            serve_process(tmp_path_factory.mktemp("replica-b"), **env) as b,
        ):
            yield [a, b]
    finally:
        chroma.stop()


def _article_ids(base: str) -> list[str]:
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        return sorted(a["id"] for a in client.get("/v1/articles").json())


def _eventually_lists(base: str, expected: list[str]) -> list[str]:
    deadline = time.monotonic() + SYNC_SECONDS
    while (ids := _article_ids(base)) != expected and time.monotonic() < deadline:
        time.sleep(0.5)
    return ids


def test_fifty_clients_ask_one_replica_while_another_writes(
    replicas: list[tuple[str, Path]], capsys: pytest.CaptureFixture[str]
) -> None:
    (reader, reader_log), (writer, writer_log) = replicas
    ledger = Ledger()
    expected = load_staying(reader, ledger)
    run = run_load(reader, writer, ledger)
    with capsys.disabled():
        print(
            "\nserver mode, readers on replica A, writer on replica B\n"
            + summary(run.outcomes, run.elapsed, run.cycles)
        )
    logged = [line for line in reader_log.read_text(errors="replace").splitlines() if "ERROR" in line]
    check_load(run, ledger, expected, logged)

    staying_ids = sorted(expected.values())
    assert _eventually_lists(reader, staying_ids) == staying_ids
    assert _eventually_lists(writer, staying_ids) == staying_ids
    for base in (reader, writer):  # both replicas still answer
        with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
            final = client.post("/v1/ask", json={"question": STAYING[0].question})
        assert final.status_code == 200 and "14 million crowns" in final.json()["text"]
    for log_file in (reader_log, writer_log):
        log_text = log_file.read_text(errors="replace")
        assert "Traceback" not in log_text and "unhandled error" not in log_text, log_text[-3000:]
