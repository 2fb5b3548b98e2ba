"""Two real `rag serve` processes sharing one real `chroma run`: what an operator of replicas sees.

The processes use the model-free hash embedding (RAG_EMBEDDING_BACKEND=hash): this test is
about articles reaching another process and about outages, not about answer quality, and
two copies of MiniLM would double its start-up time on a two-core machine.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.chroma_server import ChromaServer
from tests.live_server import free_port
from tests.serve_process import eventually

RAG = Path(sys.executable).with_name("rag")
HARBOUR = {
    "id": "harbour",
    "title": "Westport harbour reopens",
    "text": "The harbour of Westport reopened on Monday after a storm closed it for a week. "
    "Mayor Ines Halvorsen said the repairs to the northern pier cost 2 million euros.",
}
FERRY = {
    "id": "ferry",
    "title": "Ferry timetable",
    "text": "The ferry to Northholm leaves at nine every day.",
}


@pytest.fixture(scope="module")
def chroma(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ChromaServer]:
    """The shared Chroma server (stopped and restarted by the outage part of the test)."""
    server = ChromaServer(tmp_path_factory.mktemp("chroma") / "db").start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def replicas(chroma: ChromaServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[list[str]]:
    """Two `rag serve` processes with their own data folders, started together; yields their URLs."""
    env = {
        **os.environ, "HF_HUB_OFFLINE": "1", "RAG_CHROMA_URL": chroma.url, "RAG_COLLECTION": "replicated",
        "RAG_EMBEDDING_BACKEND": "hash", "RAG_CHROMA_TIMEOUT": "5", "RAG_LOG_LEVEL": "warning",
    }  # fmt: skip
    processes, urls = [], []
    for name in ("a", "b"):
        port = free_port()
        data = tmp_path_factory.mktemp(name)
        processes.append(
            subprocess.Popen(
                [str(RAG), "serve", "--data-dir", str(data), "--host", "127.0.0.1", "--port", str(port)],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=open(data / "serve.log", "wb"),  # noqa: SIM115
            )
        )
        urls.append(f"http://127.0.0.1:{port}")
    try:
        for process, url in zip(processes, urls, strict=True):
            _wait_for(process, url)
        yield urls
    finally:
        for process in processes:
            process.terminate()
        for process in processes:
            process.wait(timeout=30)


def _wait_for(process: subprocess.Popen[bytes], url: str) -> None:
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        assert process.poll() is None, "rag serve exited during start-up"
        try:
            if httpx.get(url + "/healthz", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"rag serve at {url} did not start")


def titles(url: str) -> list[str]:
    """Titles the replica at ``url`` lists."""
    return [a["title"] for a in httpx.get(url + "/v1/articles", timeout=30).json()]


def top_article(url: str, question: str) -> str | None:
    """The article of the best passage the replica at ``url`` retrieves."""
    response = httpx.post(url + "/v1/retrieve", json={"question": question, "k": 3}, timeout=30)
    return response.json()[0]["article_id"] if response.status_code == 200 and response.json() else None


def test_an_article_added_through_one_process_is_found_through_the_other(replicas: list[str]) -> None:
    a, b = replicas
    assert httpx.post(a + "/v1/articles", json=[HARBOUR, FERRY], timeout=60).status_code == 200
    eventually(lambda: sorted(titles(b)), lambda t: t == sorted([HARBOUR["title"], FERRY["title"]]))
    assert eventually(lambda: top_article(b, "Halvorsen"), lambda x: x == "harbour") == "harbour"
    assert top_article(b, "Northholm") == "ferry"
    detail = httpx.get(b + "/v1/articles/harbour", timeout=30).json()
    assert detail["text"] == HARBOUR["text"]


def test_a_delete_through_one_process_disappears_from_the_other(replicas: list[str]) -> None:
    a, b = replicas
    httpx.post(a + "/v1/articles", json=FERRY, timeout=60)
    eventually(lambda: titles(b), lambda t: FERRY["title"] in t)
    assert httpx.delete(a + "/v1/articles/ferry", timeout=30).status_code == 204
    eventually(lambda: titles(b), lambda t: FERRY["title"] not in t)
    assert httpx.get(b + "/v1/articles/ferry", timeout=30).status_code == 404


def test_a_store_outage_is_a_503_and_both_processes_recover(
    chroma: ChromaServer, replicas: list[str]
) -> None:
    a, b = replicas
    httpx.post(a + "/v1/articles", json=HARBOUR, timeout=60)
    eventually(lambda: titles(b), lambda t: HARBOUR["title"] in t)
    chroma.stop()
    try:
        for url in replicas:
            response = httpx.post(url + "/v1/retrieve", json={"question": "Halvorsen"}, timeout=30)
            assert response.status_code == 503, response.text
            assert response.json()["error"]["type"] == "store_unavailable"
            assert "unavailable" in response.json()["error"]["message"]
            assert httpx.get(url + "/readyz", timeout=30).status_code == 503
            streamed = httpx.post(url + "/v1/ask/stream", json={"question": "Halvorsen?"}, timeout=30)
            chat = {
                "model": "any",
                "messages": [{"role": "user", "content": "Who is Halvorsen?"}],
                "stream": True,
            }
            completion = httpx.post(url + "/v1/chat/completions", json=chat, timeout=30)
            assert streamed.status_code == completion.status_code == 503  # before any event is sent
            assert httpx.get(url + "/healthz", timeout=30).status_code == 200  # alive, just not ready
    finally:
        chroma.start()  # same port and files, as after a restart
    for url in replicas:
        eventually(lambda u=url: httpx.get(u + "/readyz", timeout=30).status_code, lambda s: s == 200)
        assert top_article(url, "Halvorsen") == "harbour"
    assert httpx.post(b + "/v1/articles", json=FERRY, timeout=60).status_code == 200  # writes work again
    eventually(lambda: titles(a), lambda t: FERRY["title"] in t)
