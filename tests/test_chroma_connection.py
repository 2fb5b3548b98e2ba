"""ChromaConnection under concurrency: many threads on a fresh connection open one client, once.

The server threads of `rag serve` share one connection; its client and collections are made
on first use. Every thread here starts its first call at the same moment (a barrier), on a
real embedded Chroma and on a real `chroma run` server, and all of them must succeed on the
same client and the same collection object. While the server does not answer, threads that
queued behind a failing attempt to open the collection share its failure instead of each
waiting out the timeout in turn.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from rag.errors import StoreError, StoreUnavailableError
from tests.chroma_server import ChromaServer
from vectorstore.chroma import ChromaConnection

THREADS = 50


class CountingConnection(ChromaConnection):
    """A real ChromaConnection that notes each time it opens a Chroma client."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.opened: list[object] = []  # list.append is atomic, so racing openers are all counted

    def _get_client(self) -> Any:
        if self._client is None:
            self.opened.append(object())
        return super()._get_client()


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "db").start()
    yield server
    server.stop()


def all_at_once(work: Callable[[], Any], threads: int = THREADS) -> tuple[list[Any], list[BaseException]]:
    """Run ``work`` in ``threads`` threads released together; their results and their exceptions."""
    barrier = threading.Barrier(threads)
    results: list[Any] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def run() -> None:
        barrier.wait()
        try:
            result = work()
        except BaseException as exc:  # reported to the test
            with lock:
                errors.append(exc)
        else:
            with lock:
                results.append(result)

    workers = [threading.Thread(target=run) for _ in range(threads)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(timeout=120)
    assert not any(w.is_alive() for w in workers), "a thread is still waiting"
    return results, errors


def concurrent_first_calls(connection: CountingConnection) -> None:
    """``THREADS`` simultaneous first calls all succeed on one client and one collection."""
    results, errors = all_at_once(lambda: connection.call("race", "cosine", lambda c: (c, c.count())))
    assert errors == []
    assert len(results) == THREADS
    assert len(connection.opened) == 1
    assert {id(collection) for collection, _ in results} == {id(connection._collections["race"])}
    assert {count for _, count in results} == {0}


def test_concurrent_first_calls_embedded(tmp_path: Path) -> None:
    connection = CountingConnection(tmp_path / "chroma")
    try:
        concurrent_first_calls(connection)
    finally:
        connection.close()


def test_concurrent_first_calls_server(chroma: ChromaServer) -> None:
    connection = CountingConnection(url=chroma.url, timeout=30)
    try:
        concurrent_first_calls(connection)
    finally:
        connection.close()


def test_reopens_after_close_while_threads_call(tmp_path: Path) -> None:
    """Closing while other threads call leaves no broken state: later calls open a new client."""
    connection = ChromaConnection(tmp_path / "chroma")
    connection.call(
        "closing",
        "cosine",
        lambda c: c.upsert(ids=["a"], embeddings=np.array([[1.0, 0.0]], dtype=np.float32)),
    )
    stop = threading.Event()

    def closer() -> None:
        while not stop.is_set():
            connection.close()
            time.sleep(0.005)

    thread = threading.Thread(target=closer)
    thread.start()
    try:
        results, errors = all_at_once(
            lambda: connection.call("closing", "cosine", lambda c: c.count()), threads=20
        )
    finally:
        stop.set()
        thread.join()
    # A call can meet a client closed under it (that fails as a StoreError), never anything else.
    assert all(isinstance(e, StoreError) for e in errors), errors
    assert set(results) <= {1}
    assert connection.call("closing", "cosine", lambda c: c.count()) == 1
    connection.close()


def test_frozen_server_failure_is_shared(chroma: ChromaServer) -> None:
    """Threads queued behind a timed-out attempt fail with it, not one timeout after another."""
    connection = ChromaConnection(url=chroma.url, timeout=1)
    connection.call("warm", "cosine", lambda c: c.count())  # the client exists; the collection below does not
    chroma.freeze()
    try:
        start = time.monotonic()
        results, errors = all_at_once(
            lambda: connection.call("frozen", "cosine", lambda c: c.count()), threads=10
        )
        elapsed = time.monotonic() - start
    finally:
        chroma.thaw()
    assert results == []
    assert len(errors) == 10 and all(isinstance(e, StoreUnavailableError) for e in errors), errors
    assert elapsed < 5, f"{elapsed:.1f} s: the threads waited out the timeout one after another"
    assert connection.call("frozen", "cosine", lambda c: c.count()) == 0  # and it heals
    connection.close()


class FailingFirst:
    """A read on the real collection that first raises what Chroma raised in the CI load test.

    Chroma 1.5 fails a filtered query now and then while another thread or replica deletes
    vectors ("Error finding id"); repeating the query succeeds. The race needs seconds of churn
    to show, so these tests raise Chroma's own error type at the boundary instead.
    """

    def __init__(self, failures: int, error: Exception | None = None) -> None:
        from chromadb.errors import InternalError

        self.failures = failures
        self.error = error or InternalError("Error executing plan: Internal error: Error finding id")
        self.attempts = 0

    def __call__(self, collection: Any) -> int:
        self.attempts += 1
        if self.attempts <= self.failures:
            raise self.error
        return int(collection.count())


def test_reads_are_repeated_after_a_transient_internal_error(tmp_path: Path) -> None:
    connection = ChromaConnection(tmp_path / "chroma")
    connection.call("retry", "cosine", lambda c: c.upsert(ids=["a"], embeddings=np.ones((1, 2), np.float32)))
    read = FailingFirst(failures=2)
    assert connection.read("retry", "cosine", read) == 1
    assert read.attempts == 3
    connection.close()


def test_a_lasting_internal_error_still_fails_the_read(tmp_path: Path) -> None:
    connection = ChromaConnection(tmp_path / "chroma")
    read = FailingFirst(failures=100)
    with pytest.raises(StoreError, match="Error finding id"):
        connection.read("retry", "cosine", read)
    assert read.attempts == 4  # the first try and three repeats, then the user hears of it
    connection.close()


def test_writes_and_other_errors_are_not_repeated(tmp_path: Path) -> None:
    connection = ChromaConnection(tmp_path / "chroma")
    write = FailingFirst(failures=1)
    with pytest.raises(StoreError):
        connection.call("retry", "cosine", write)  # call() is for writes: never run twice by us
    assert write.attempts == 1
    bad = FailingFirst(failures=1, error=ValueError("n_results must be positive"))
    with pytest.raises(StoreError, match="n_results"):
        connection.read("retry", "cosine", bad)
    assert bad.attempts == 1
    connection.close()
