"""A huge single-article upload against a real `rag serve` with the real model: done within two
minutes, the server under 2 GB, and other questions answered within 5 s all along.

The server's memory is its peak resident set (VmHWM in /proc), so the figure is the server's alone.
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest

from rag import Article, Assistant, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.serve_process import Serving, serving

pytestmark = pytest.mark.slow
STORY = "The harbour of Westport reopened on Monday after a storm closed it for a week."
QUESTION = {"question": "When did the harbour of Westport reopen?"}
SENTENCE = "The committee of the harbour town met on Tuesday to discuss the ferry timetable and the budget"
UPLOAD_SECONDS = 120
ANSWER_SECONDS = 5
PEAK_RSS_MB = 2048


def peak_rss_mb(pid: int) -> float:
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


def report_text(chars: int) -> str:
    """A long report of distinct sentences in paragraphs, ``chars`` characters or a little more."""
    parts, size, n = ["Harbour committee report\n\n"], 0, 0
    while size < chars:
        parts.append(f"{SENTENCE} number {n}.{chr(10) * 2 if n % 8 == 7 else ' '}")
        size, n = size + len(parts[-1]), n + 1
    return "".join(parts)


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[Serving]:
    """`rag serve` with default settings over one article."""
    data = tmp_path_factory.mktemp("big-upload")
    seeding = Assistant(Settings(data_dir=data), embedder=minilm)
    assert seeding.ingest([Article(title="Harbour reopens", text=STORY)]).ok
    seeding.close()
    with serving(data, RAG_LOG_LEVEL="warning") as running:
        yield running
        assert "Traceback" not in running.log.read_text(), running.log.read_text()


@dataclass
class Upload:
    """One upload run while questions are asked: its response, duration and the slowest answer."""

    response: httpx.Response | None = None
    seconds: float = 0.0
    answers: list[float] = field(default_factory=list)


def upload_while_asking(served: Serving, name: str, body: bytes) -> Upload:
    result = Upload()

    def send() -> None:
        started = time.monotonic()
        files = [("files", (name, body, "application/octet-stream"))]
        result.response = httpx.post(
            served.base + "/v1/articles/upload", files=files, timeout=UPLOAD_SECONDS * 3
        )
        result.seconds = time.monotonic() - started

    sender = threading.Thread(target=send)
    sender.start()
    with httpx.Client(base_url=served.base, timeout=60) as client:
        while sender.is_alive():
            started = time.monotonic()
            answer = client.post("/v1/ask", json=QUESTION)
            result.answers.append(time.monotonic() - started)
            assert answer.status_code == 200 and "Monday" in answer.json()["text"], answer.text
            time.sleep(0.5)
    sender.join()
    return result


@pytest.mark.parametrize(
    ("name", "body"),
    [
        ("report.txt", report_text(12_000_000).encode()),
        ("report.jsonl", json.dumps({"title": "Report", "text": report_text(12_000_000)}).encode() + b"\n"),
    ],
    ids=["txt", "jsonl"],
)
def test_a_12_mb_article_is_refused_quickly_and_the_server_keeps_answering(
    served: Serving, name: str, body: bytes
) -> None:
    assert len(body) > 12_000_000
    result = upload_while_asking(served, name, body)
    assert result.response is not None and result.response.status_code == 200, result.response
    [failure] = result.response.json()["failures"]
    assert (
        "over the 500,000-character limit" in failure["reason"]
        and "RAG_MAX_ARTICLE_CHARS" in failure["reason"]
    )
    assert result.seconds < UPLOAD_SECONDS
    assert max(result.answers, default=0) < ANSWER_SECONDS, result.answers
    assert peak_rss_mb(served.proc.pid) < PEAK_RSS_MB
    print(f"{name}: {len(body):,} bytes refused in {result.seconds:.1f} s; slowest answer meanwhile "
          f"{max(result.answers, default=0):.2f} s; server peak {peak_rss_mb(served.proc.pid):.0f} MB")  # fmt: skip


def test_a_long_article_within_the_limit_is_embedded_while_questions_are_answered(served: Serving) -> None:
    body = report_text(150_000).encode()
    result = upload_while_asking(served, "long-report.txt", body)
    assert result.response is not None and len(result.response.json()["added"]) == 1, result.response.text
    assert max(result.answers) < ANSWER_SECONDS, result.answers
    assert peak_rss_mb(served.proc.pid) < PEAK_RSS_MB
    [article_id] = result.response.json()["added"]
    stored = httpx.get(f"{served.base}/v1/articles/{article_id}").json()
    assert len(stored["text"]) > 140_000 and stored["chunks"] > 300, stored["chunks"]  # whole, every chunk
    print(f"{len(body):,} characters added in {result.seconds:.1f} s; {len(result.answers)} answers meanwhile, "
          f"slowest {max(result.answers):.2f} s; server peak {peak_rss_mb(served.proc.pid):.0f} MB")  # fmt: skip
