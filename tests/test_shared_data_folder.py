"""One data folder, many processes: `rag ingest`, a re-ingest and `rag delete` in another terminal
while `rag serve` runs on the same folder, as a user does it.

Every change must reach each of the server's search paths within five seconds, filtered and not:
the catalogue (the article list), BM25 (in memory, and FTS5 with ``RAG_LEXICAL_INDEX=sqlite``) and
the dense search in embedded Chroma. No request may fail with a 5xx on the way. The processes use
the model-free hash embedding: this is about what one process sees of another's writes, not about
answer quality, and it keeps each CLI start short.

Which path found a passage is told by the question: ``zorblax`` and ``quillfeather`` are words
only the test article holds (BM25 finds them, and its weight puts them first), while
``PARAPHRASE`` shares no word with any article, so only the dense search can return it.
"""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.embedding import HashEmbedder
from rag.settings import Settings
from rag.types import SearchFilter
from tests.serve_process import Serving, eventually, serving
from vectorstore import open_store

RAG = Path(sys.executable).with_name("rag")
ENV = {"RAG_EMBEDDING_BACKEND": "hash", "RAG_LOG_LEVEL": "warning"}
BASE = [
    {"id": "harbour", "title": "Westport harbour reopens", "published": "2024-02-01",
     "text": "The harbour of Westport reopened on Monday after a storm closed it for a week."},
    {"id": "ferry", "title": "Ferry timetable",
     "text": "The ferry to Northholm leaves at nine every day from the eastern quay."},
]  # fmt: skip
KEEPER = {
    "id": "keeper", "title": "Quenby retires", "published": "2031-03-14",
    "text": "Marisol Quenby tended the Harbourview lighthouse for forty years and retired on Friday. "
    "Sailors remember the zorblax lantern she polished.",
}  # fmt: skip
KEEPER_CHANGED = {
    **KEEPER,
    "text": "Marisol Quenby, keeper of the Harbourview lighthouse, retired and paints quillfeather ships.",
}
PARAPHRASE = "Which beacon attendant stopped working after four decades?"


def rag(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    """The `rag` command in its own process, as a second terminal runs it."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **ENV}
    done = subprocess.run(
        [str(RAG), *args, "--data-dir", str(data_dir)], env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stdout + done.stderr
    return done


def write_jsonl(path: Path, *records: dict[str, str]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in records))
    return path


class Client:
    """The running server's REST API; any 5xx fails the test at once."""

    def __init__(self, base: str) -> None:
        self.base = base

    def request(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        response = httpx.request(method, self.base + path, timeout=60, **kwargs)
        assert response.status_code < 500, f"{method} {path} {kwargs}: {response.status_code} {response.text}"
        return response

    def ids(self) -> set[str]:
        return {a["id"] for a in self.request("GET", "/v1/articles").json()}

    def retrieve(self, question: str, **filters: Any) -> list[dict[str, Any]]:
        response = self.request("POST", "/v1/retrieve", json={"question": question, "k": 50, **filters})
        assert response.status_code == 200, response.text
        return list(response.json())

    def top(self, question: str, **filters: Any) -> str | None:
        found = self.retrieve(question, **filters)
        return found[0]["article_id"] if found else None

    def texts_of(self, article_id: str, question: str, **filters: Any) -> list[str]:
        return [p["text"] for p in self.retrieve(question, **filters) if p["article_id"] == article_id]


@pytest.fixture(scope="module", params=["memory", "sqlite"])
def server(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[tuple[Client, Path]]:
    """`rag serve` on a folder the CLI filled first, with its BM25 ranking in memory or in FTS5."""
    root = tmp_path_factory.mktemp(f"shared-{request.param}")
    data = root / "data"
    rag("ingest", str(write_jsonl(root / "base.jsonl", *BASE)), data_dir=data)
    env = {**ENV, "RAG_LEXICAL_INDEX": request.param}
    with serving(data, log=root / "serve.log", **env) as running:
        client = Client(running.base)
        _ready(client, running, request.param)
        yield client, data


def _ready(client: Client, running: Serving, keyword_index: str) -> None:
    """Wait until the server answers searches with the BM25 index under test."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        ready = httpx.get(running.base + "/readyz", timeout=30)
        if ready.status_code == 200 and ready.json().get("keyword_index") == keyword_index:
            return
        time.sleep(0.2)
    pytest.fail(f"rag serve never reported keyword_index={keyword_index}: {running.log.read_text()}")


def test_cli_adds_changes_and_deletes_reach_every_search_path_of_a_running_server(
    server: tuple[Client, Path], tmp_path: Path
) -> None:
    client, data = server
    assert client.top(PARAPHRASE) in {"harbour", "ferry"}  # the server has searched its dense index already

    rag("ingest", str(write_jsonl(tmp_path / "more.jsonl", KEEPER)), data_dir=data)
    eventually(client.ids, lambda ids: "keeper" in ids)
    eventually(lambda: client.top("zorblax"), lambda top: top == "keeper")
    eventually(lambda: client.texts_of("keeper", PARAPHRASE), lambda texts: len(texts) > 0)
    eventually(lambda: client.texts_of("keeper", PARAPHRASE, article_ids=["keeper"]), lambda t: len(t) > 0)
    dated = {"published_from": "2031-03-01", "published_to": "2031-03-31"}
    eventually(lambda: client.texts_of("keeper", PARAPHRASE, **dated), lambda texts: len(texts) > 0)

    rag("ingest", str(write_jsonl(tmp_path / "more.jsonl", KEEPER_CHANGED)), data_dir=data)
    eventually(
        lambda: client.request("GET", "/v1/articles/keeper").json()["text"], lambda t: "quillfeather" in t
    )
    eventually(lambda: client.top("quillfeather"), lambda top: top == "keeper")
    eventually(
        lambda: [p for p in client.retrieve("zorblax") if "zorblax" in p["text"]], lambda hits: not hits
    )
    changed = [KEEPER_CHANGED["text"]]
    eventually(lambda: client.texts_of("keeper", PARAPHRASE), lambda texts: texts == changed)
    eventually(lambda: client.texts_of("keeper", PARAPHRASE, article_ids=["keeper"]), lambda t: t == changed)
    eventually(lambda: client.texts_of("keeper", PARAPHRASE, **dated), lambda texts: texts == changed)

    rag("delete", "keeper", data_dir=data)
    eventually(lambda: client.request("GET", "/v1/articles/keeper").status_code, lambda status: status == 404)
    eventually(client.ids, lambda ids: ids == {"harbour", "ferry"})
    eventually(lambda: client.texts_of("keeper", "quillfeather"), lambda texts: not texts)
    eventually(lambda: client.texts_of("keeper", PARAPHRASE), lambda texts: not texts)
    eventually(lambda: client.retrieve(PARAPHRASE, article_ids=["keeper"]), lambda found: not found)
    eventually(lambda: client.texts_of("keeper", PARAPHRASE, **dated), lambda texts: not texts)


def test_two_ingests_at_once_each_report_what_they_did_and_leave_every_vector_findable(
    tmp_path: Path,
) -> None:
    """Two `rag ingest` runs at once: each writes its own file and both the same one.

    Embedded Chroma corrupts its vector index when two processes write it unsynchronised (queries then
    fail with "Error finding id"), and before each write checked again, both runs reported the shared
    articles as added.
    """
    shared = [{"id": f"note-{n}", "title": f"Note {n}", "text": f"Harbour note number {n} about tides."} for n in range(6)]  # fmt: skip
    own = {side: [_note(side, n) for n in range(30)] for side in ("left", "right")}
    data = tmp_path / "data"
    env = {**os.environ, "HF_HUB_OFFLINE": "1", **ENV}
    runs = []
    for side, records in own.items():
        files = [
            write_jsonl(tmp_path / f"{side}.jsonl", *records),
            write_jsonl(tmp_path / f"shared-{side}.jsonl", *shared),
        ]
        command = [str(RAG), "ingest", *map(str, files), "--data-dir", str(data)]
        runs.append(
            subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        )
    outputs = [run.communicate(timeout=300) for run in runs]
    assert [run.returncode for run in runs] == [0, 0], outputs
    reported = [_counts(out) for out, _ in outputs]
    assert [r["added"] + r["updated"] + r["unchanged"] for r in reported] == [36, 36], outputs
    assert sum(r["added"] + r["updated"] for r in reported) == 66, outputs
    assert sum(r["unchanged"] for r in reported) == 6, outputs
    assert "Consistent" in rag("doctor", data_dir=data).stdout
    # A later process finds every article through Chroma's filtered search (what the corruption broke).
    found = rag("ask", "--json", "quay tides", data_dir=data)
    assert json.loads(found.stdout)["passages"]
    store = open_store(Settings(data_dir=data, embedding_backend="hash"))
    vector = HashEmbedder().embed_query("writer reports item on the quay")
    for article_id in [r["id"] for records in own.values() for r in records] + [r["id"] for r in shared]:
        hits = store.dense_search(vector, 5, SearchFilter(article_ids=(article_id,)))
        assert [p.article_id for p in hits] == [article_id]
    store.close()


def _note(side: str, n: int) -> dict[str, str]:
    return {
        "id": f"{side}-{n}",
        "title": f"{side} {n}",
        "text": f"Writer {side} reports item {n} on the quay.",
    }


def _counts(output: str) -> dict[str, int]:
    """The numbers of `rag ingest`'s summary line ("3 added, 0 updated, 1 unchanged, 0 failed")."""
    summary = next(line for line in output.splitlines() if " added, " in line)
    return {word: int(number) for number, word in (part.split() for part in summary.split(", "))}


def test_the_data_folder_is_private_to_its_owner(tmp_path: Path) -> None:
    data = tmp_path / "data"
    rag("ingest", str(write_jsonl(tmp_path / "base.jsonl", *BASE)), data_dir=data)
    rag("ask", "When does the ferry leave?", data_dir=data)
    rag("delete", "ferry", data_dir=data)
    opened = [data, *data.rglob("*")]
    assert len(opened) > 5  # the catalogue, Chroma's files and the model cache at least
    loose = {
        str(p.relative_to(tmp_path)): oct(stat.S_IMODE(p.stat().st_mode))
        for p in opened
        if stat.S_IMODE(p.stat().st_mode) & 0o077
    }
    assert loose == {}
