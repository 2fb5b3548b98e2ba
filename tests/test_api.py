"""The REST API under `/v1` against a real server: every route, its errors and its limits."""

from __future__ import annotations

import json
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rag import Assistant, Settings
from rag.embedding import HashEmbedder
from rag.types import Answer, AnswerRequest, StreamEvent
from tests.live_server import live_server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"
QUESTION = "Who is Rodion Miroshnik?"
STORY = (
    "The harbour of Westport reopened on Monday after a storm closed it for a week. "
    "Mayor Ines Halvorsen said the repairs to the northern pier cost 2 million euros. "
    "Fishing boats returned to the harbour the same afternoon."
)


def error_of(response: httpx.Response) -> dict[str, str]:
    """The `error` object every failure carries, checked for its shape."""
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"type", "message"}, body
    assert body["error"]["message"]
    return dict(body["error"])


def sse_events(text: str) -> list[tuple[str, str]]:
    """(event, data) pairs of a Server-Sent Events body."""
    events = []
    for block in text.strip().split("\n\n"):
        fields = dict(line.split(": ", 1) for line in block.splitlines())
        events.append((fields["event"], fields["data"]))
    return events


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over the seed article, with small limits to test them cheaply."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("api"), embedding_backend="hash", max_request_bytes=20_000,
        max_upload_bytes=30_000, max_upload_total_bytes=50_000, max_upload_files=3,
    )  # fmt: skip
    assistant = Assistant(settings)
    assert assistant.ingest([SEED]).ok
    with live_server(assistant) as url:
        yield url
    assistant.close()


@pytest.fixture
def client(base: str) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=base, timeout=60) as c:
        yield c


def test_health_and_readiness(client: httpx.Client) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    ready = client.get("/readyz").json()
    assert {k: ready[k] for k in ("status", "articles")} == {"status": "ready", "articles": 1}
    assert ready["keyword_index"] in ("memory", "building")  # building only in the first seconds


def test_ask_returns_a_cited_answer(client: httpx.Client) -> None:
    response = client.post("/v1/ask", json={"question": QUESTION, "k": 4})
    assert response.status_code == 200, response.text
    answer = response.json()
    assert set(answer) == {
        "text",
        "abstained",
        "citations",
        "passages",
        "notes",
        "date_window",
        "search_query",
    }
    assert answer["search_query"] == QUESTION
    assert not answer["abstained"] and "[1]" in answer["text"]
    text = client.get(f"/v1/articles/{answer['citations'][0]['article_id']}").json()["text"]
    for c in answer["citations"]:
        assert text[c["start"] : c["end"]] == c["quote"]
        assert set(c) == {
            "index", "article_id", "title", "url", "published", "quote", "start", "end", "page",
            "answer_start", "answer_end",
        }  # fmt: skip
        if c["answer_start"] is not None:  # the short answer lies inside the quote
            assert c["start"] <= c["answer_start"] < c["answer_end"] <= c["end"]


def test_ask_reads_history_and_filters(client: httpx.Client) -> None:
    history = [[QUESTION, "He is a Russian ambassador [1]."]]
    follow_up = client.post("/v1/ask", json={"question": "What did he say?", "history": history})
    assert follow_up.status_code == 200 and "Miroshnik" in follow_up.json()["text"]
    # What the follow-up was searched as, as the chat's "Retrieval details" and `rag ask --json` show it.
    assert follow_up.json()["search_query"] == "What did Rodion Miroshnik say?"
    elsewhere = client.post("/v1/ask", json={"question": QUESTION, "article_ids": ["no-such-article"]})
    assert elsewhere.status_code == 200 and elsewhere.json()["abstained"]
    dated = client.post("/v1/retrieve", json={"question": QUESTION, "published_from": "2999-01-01"})
    assert dated.status_code == 200 and dated.json() == []


@pytest.mark.parametrize("path", ["/v1/ask", "/v1/ask/stream", "/v1/retrieve"])
def test_a_reversed_date_range_is_a_400_that_says_so(client: httpx.Client, path: str) -> None:
    """It was a 200 answering 'The articles do not mention "Rodion" or "Miroshnik"', which they do."""
    body = {"question": QUESTION, "published_from": "2025-01-01", "published_to": "2024-01-01"}
    response = client.post(path, json=body)
    assert response.status_code == 400, response.text
    assert "wrong way round" in error_of(response)["message"]


def test_ask_stream_sends_deltas_then_the_answer_then_done(client: httpx.Client) -> None:
    response = client.post("/v1/ask/stream", json={"question": QUESTION})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/event-stream")
    events = sse_events(response.text)
    names = [name for name, _ in events]
    assert names[-2:] == ["answer", "done"] and set(names[:-2]) == {"delta"}
    answer = json.loads(events[-2][1])
    assert "".join(json.loads(data)["text"] for _, data in events[:-2]) == answer["text"]
    assert answer["citations"] and "[1]" in answer["text"]


def test_stream_errors_before_the_stream_are_statuses(client: httpx.Client) -> None:
    response = client.post("/v1/ask/stream", json={"question": "   "})
    assert response.status_code == 400 and error_of(response)["type"] == "invalid_input"


def test_retrieve_returns_scored_passages_best_first(client: httpx.Client) -> None:
    passages = client.post("/v1/retrieve", json={"question": QUESTION, "k": 3}).json()
    assert 1 <= len(passages) <= 3
    scores = [p["score"] for p in passages]
    assert scores == sorted(scores, reverse=True)
    assert {"article_id", "title", "text", "start", "end", "score"} <= set(passages[0])


def test_articles_can_be_added_read_listed_and_deleted(client: httpx.Client) -> None:
    article = {
        "title": "Westport harbour reopens",
        "text": STORY,
        "published": "2024-03-04",
        "id": "westport",
    }
    report = client.post("/v1/articles", json=article).json()
    assert report == {"added": ["westport"], "updated": [], "unchanged": [], "failures": []}
    assert client.post("/v1/articles", json=[article]).json()["unchanged"] == ["westport"]
    listed = {a["id"]: a for a in client.get("/v1/articles").json()}
    assert listed["westport"]["published"] == "2024-03-04" and "text" not in listed["westport"]
    detail = client.get("/v1/articles/westport").json()
    assert "Ines Halvorsen" in detail["text"] and detail["chunks"] >= 1
    answer = client.post("/v1/ask", json={"question": "Who is the mayor of Westport?"}).json()
    # The new article is what answers, or (the hash embedding is no judge of relevance) the closest source.
    sources = [c["article_id"] for c in answer["citations"]] or [
        p["article_id"] for p in answer["passages"][:1]
    ]
    assert "westport" in sources, answer["text"]
    assert client.delete("/v1/articles/westport").status_code == 204
    assert client.get("/v1/articles/westport").status_code == 404
    assert error_of(client.delete("/v1/articles/westport"))["type"] == "not_found"


def test_an_article_without_a_link_has_a_null_url_everywhere(client: httpx.Client) -> None:
    # The article list and detail said "" where passages and citations said null.
    article = {"title": "Westport pier", "text": STORY, "id": "unlinked", "url": None}
    assert client.post("/v1/articles", json=article).json()["added"] == ["unlinked"]
    listed = {a["id"]: a for a in client.get("/v1/articles").json()}
    assert listed["unlinked"]["url"] is None
    assert client.get("/v1/articles/unlinked").json()["url"] is None
    passages = client.post(
        "/v1/retrieve", json={"question": "Ines Halvorsen pier", "article_ids": ["unlinked"]}
    )
    assert [p["url"] for p in passages.json()] == [None]
    linked = {**article, "id": "linked", "url": "https://example.org/westport"}
    assert client.post("/v1/articles", json=linked).json()["added"] == ["linked"]
    assert client.get("/v1/articles/linked").json()["url"] == "https://example.org/westport"
    for article_id in ("unlinked", "linked"):
        assert client.delete(f"/v1/articles/{article_id}").status_code == 204


def test_two_articles_under_one_title_without_links_are_both_kept(client: httpx.Client) -> None:
    # The second took the first's id (derived from the title alone) and replaced it.
    first = {"title": "Harbour notes", "text": STORY}
    second = {"title": "Harbour notes", "text": "The ferry to Eastport now leaves at nine every morning."}
    added = [client.post("/v1/articles", json=a).json()["added"] for a in (first, second)]
    assert len(added[0]) == len(added[1]) == 1 and added[0] != added[1]
    assert client.post("/v1/articles", json=second).json()["unchanged"] == added[1]  # no duplicate
    ids = [a["id"] for a in client.get("/v1/articles").json() if a["title"] == "Harbour notes"]
    assert sorted(ids) == sorted(added[0] + added[1])
    assert "Halvorsen" in client.get(f"/v1/articles/{added[0][0]}").json()["text"]
    for article_id in ids:
        assert client.delete(f"/v1/articles/{article_id}").status_code == 204


def test_ingest_failures_are_reported_not_raised(client: httpx.Client) -> None:
    bad = {"title": "Bad link", "text": STORY, "url": "javascript:alert(1)"}
    report = client.post("/v1/articles", json=[bad]).json()
    assert report["added"] == [] and len(report["failures"]) == 1
    assert "http" in report["failures"][0]["reason"]


def test_upload_saves_under_safe_names_and_ingests(client: httpx.Client, tmp_path: Path) -> None:
    files = [
        ("files", ("../../escape attempt.txt", b"Orchard Lane Bakery\n\n" + STORY.encode(), "text/plain")),
        ("files", ("notes.exe", b"MZ binary", "application/octet-stream")),
    ]
    response = client.post("/v1/articles/upload", files=files)
    assert response.status_code == 200, response.text
    report = response.json()
    assert len(report["added"]) == 1
    assert report["failures"] == [{"source": "notes.exe", "reason": report["failures"][0]["reason"]}]
    assert "unsupported file type .exe" in report["failures"][0]["reason"]
    stored = client.get(f"/v1/articles/{report['added'][0]}").json()
    assert stored["source"] == "escape_attempt.txt" and stored["title"] == "Orchard Lane Bakery"
    assert not (ROOT.parent / "escape attempt.txt").exists()
    assert client.delete(f"/v1/articles/{report['added'][0]}").status_code == 204


@pytest.mark.parametrize(
    ("body", "said"),
    [
        ({"title": "T", "text": ""}, "body.text: String should have at least 1 character"),
        ({"title": "T"}, "body.text: Field required"),
        (
            [{"title": "T", "text": "x"}, {"title": "T", "text": ""}],
            "body.1.text: String should have at least 1 character",
        ),
        (
            {"title": "T", "text": "x", "published": "32/13/2024"},
            "body.published: Cannot read the date '32/13/2024': write it like 2026-12-07 or 7 Dec 2026.",
        ),
    ],
)
def test_a_bad_article_is_described_in_the_shape_that_was_sent(
    client: httpx.Client, body: object, said: str
) -> None:
    """One article or a list of them is accepted; the error was about both ('body.ArticleIn.text: ...;
    body.list[ArticleIn]: Input should be a valid list' for one article with empty text)."""
    response = client.post("/v1/articles", json=body)
    assert response.status_code == 422
    assert error_of(response)["message"] == said


def test_upload_failure_names_the_json_record_that_failed(client: httpx.Client) -> None:
    lines = [{"title": "Good", "text": STORY}, {"title": "Empty", "text": ""}]
    body = "".join(json.dumps(line) + "\n" for line in lines).encode()
    report = client.post(
        "/v1/articles/upload", files=[("files", ("my feed.jsonl", body, "application/x-ndjson"))]
    )
    assert report.status_code == 200, report.text
    assert [f["source"] for f in report.json()["failures"]] == ["my_feed.jsonl#2"]
    for article_id in report.json()["added"]:
        assert client.delete(f"/v1/articles/{article_id}").status_code == 204


def test_uploaded_records_sharing_a_title_are_both_kept_as_the_cli_keeps_them(
    client: httpx.Client, tmp_path: Path
) -> None:
    lines = [{"title": "Council update", "text": STORY}, {"title": "Council update", "text": STORY.upper()}]
    body = "".join(json.dumps(line) + "\n" for line in lines).encode()
    report = client.post(
        "/v1/articles/upload", files=[("files", ("feed.jsonl", body, "application/x-ndjson"))]
    )
    assert report.status_code == 200, report.text
    added = report.json()["added"]
    assert len(set(added)) == 2 and report.json()["unchanged"] == [], report.json()
    assert [client.get(f"/v1/articles/{i}").json()["source"] for i in added] == [
        "json:feed.jsonl#1",
        "json:feed.jsonl#2",
    ]
    (tmp_path / "feed.jsonl").write_bytes(body)
    other = Assistant(Settings(data_dir=tmp_path / "data", embedding_backend="hash"))
    try:
        assert other.ingest([tmp_path / "feed.jsonl"]).added == added  # the same ids from a file on disk
    finally:
        other.close()
    for article_id in added:
        assert client.delete(f"/v1/articles/{article_id}").status_code == 204


@pytest.mark.parametrize(
    ("files", "status"),
    [
        ([("a.txt", 31_000)], 413),  # one file over max_upload_bytes
        ([("a.txt", 29_000), ("b.txt", 29_000)], 413),  # the request over max_upload_total_bytes
        ([(f"{n}.txt", 10) for n in range(4)], 400),  # more files than max_upload_files
    ],
)
def test_upload_limits(client: httpx.Client, files: list[tuple[str, int]], status: int) -> None:
    parts = [("files", (name, b"x" * size, "text/plain")) for name, size in files]
    response = client.post("/v1/articles/upload", files=parts)
    assert response.status_code == status
    assert error_of(response)["type"] in ("too_large", "bad_request")


def test_oversized_json_bodies_are_refused(client: httpx.Client) -> None:
    big = {"title": "Big", "text": "word " * 5000}
    declared = client.post("/v1/articles", json=big)
    assert declared.status_code == 413 and "20,000-byte limit" in error_of(declared)["message"]
    chunked = client.post(
        "/v1/articles", content=iter([json.dumps(big).encode()]), headers={"content-type": "application/json"}
    )
    assert chunked.status_code == 413 and error_of(chunked)["type"] == "too_large"


@pytest.mark.parametrize(
    ("body", "status", "kind"),
    [
        (b"{not json", 422, "validation_error"),
        (b'{"question": 5}', 422, "validation_error"),
        (b'{"question": "x", "kk": 3}', 422, "validation_error"),
        (b'{"question": "x", "k": 0}', 422, "validation_error"),
        (b'{"question": "x", "published_from": "yesterday"}', 422, "validation_error"),
        (b'{"question": "   "}', 400, "invalid_input"),
        (b'{"question": "?"}', 400, "invalid_input"),
        (json.dumps({"question": "why " * 600}).encode(), 400, "invalid_input"),
    ],
)
def test_malformed_requests_are_4xx_with_a_json_error(
    client: httpx.Client, body: bytes, status: int, kind: str
) -> None:
    response = client.post("/v1/ask", content=body, headers={"content-type": "application/json"})
    assert response.status_code == status
    assert error_of(response)["type"] == kind


def test_a_body_that_is_not_json_says_where_it_breaks(client: httpx.Client) -> None:
    # It said "body.17: JSON decode error": the 17 was a character position, read as a field.
    sent = b'{"question": "x",}'
    response = client.post("/v1/ask", content=sent, headers={"content-type": "application/json"})
    assert error_of(response)["message"] == (
        "body: not valid JSON at character 17 (Expecting property name enclosed in double quotes)."
    )


@pytest.mark.parametrize("content_type", [None, "application/x-www-form-urlencoded", "text/plain"])
def test_a_json_body_sent_without_its_content_type_is_told_to_name_it(
    client: httpx.Client, content_type: str | None
) -> None:
    # `curl -d '{...}'` without -H: it said "body: Input should be a valid dictionary or object ...".
    headers = {"content-type": content_type} if content_type else {}
    response = client.post("/v1/ask", content=b'{"question": "Who is Miroshnik?"}', headers=headers)
    assert response.status_code == 422
    message = error_of(response)["message"]
    assert "Content-Type: application/json" in message and "dictionary" not in message


def test_validation_errors_name_the_field(client: httpx.Client) -> None:
    response = client.post("/v1/articles", json={"title": "No text"})
    assert response.status_code == 422 and "body" in error_of(response)["message"]
    assert "text" in error_of(response)["message"]


def test_unknown_routes_and_methods_use_the_error_shape(client: httpx.Client) -> None:
    assert client.get("/v1/articles/nope").status_code == 404
    assert error_of(client.put("/v1/articles/nope"))["type"] == "not_found"
    assert "No API route" in error_of(client.get("/v1/nothing-here"))["message"]


def test_request_ids_are_echoed_or_made(client: httpx.Client, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.INFO, logger="ui.access"):
        given = client.get("/v1/articles", headers={"X-Request-ID": "trace-42"})
        made = client.get("/v1/articles", headers={"X-Request-ID": "bad id; status=500"})
    assert given.headers["x-request-id"] == "trace-42"
    assert len(made.headers["x-request-id"]) == 32 and made.headers["x-request-id"] != "trace-42"
    lines = [r.getMessage() for r in caplog.records if r.name == "ui.access"]
    assert any(
        "method=GET path=/v1/articles status=200" in line
        and "request_id=trace-42" in line
        and "duration_ms=" in line
        for line in lines
    )


def test_an_empty_index_is_a_409(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path, embedding_backend="hash"))
    with live_server(assistant) as url:
        response = httpx.post(url + "/v1/ask", json={"question": QUESTION})
        listed = httpx.get(url + "/v1/articles")
    assistant.close()
    # It said "run `rag ingest seeds/` first", a command for the server's shell, not for an HTTP client.
    assert response.status_code == 409 and "POST /v1/articles" in error_of(response)["message"]
    assert listed.json() == []


def test_an_unreachable_store_makes_readyz_503(tmp_path: Path) -> None:
    from tests.live_server import free_port

    settings = Settings(
        data_dir=tmp_path, embedding_backend="hash", chroma_url=f"http://127.0.0.1:{free_port()}"
    )
    assistant = Assistant(settings)
    with live_server(assistant) as url:
        response = httpx.get(url + "/readyz", timeout=60)
        assert httpx.get(url + "/healthz").status_code == 200
    assistant.close()
    assert response.status_code == 503 and "Not ready" in error_of(response)["message"]


class BrokenAnswerer:
    """An answerer with a bug: every answer fails with an unexpected exception."""

    name = "broken"

    def answer(self, request: AnswerRequest) -> Answer:
        raise RuntimeError("bug in the answerer")

    def stream(self, request: AnswerRequest) -> Iterator[StreamEvent]:
        raise RuntimeError("bug in the answerer")


def test_a_server_fault_is_a_logged_500_with_the_request_id(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    settings = Settings(data_dir=tmp_path, embedding_backend="hash")
    assistant = Assistant(settings, answerer=BrokenAnswerer())
    assert assistant.ingest([SEED]).ok
    with caplog.at_level(logging.INFO, logger="ui.access"), live_server(assistant) as url:
        response = httpx.post(url + "/v1/ask", json={"question": QUESTION}, headers={"X-Request-ID": "r-500"})
    assistant.close()
    assert response.status_code == 500 and response.headers["x-request-id"] == "r-500"
    error = error_of(response)
    assert error["type"] == "server_error" and "r-500" in error["message"] and "bug" not in error["message"]
    logged = [r for r in caplog.records if r.name == "ui.access" and r.levelno == logging.ERROR]
    assert logged and "request_id=r-500" in logged[0].getMessage() and logged[0].exc_info


class GatedEmbedder(HashEmbedder):
    """A hash embedding that, while ``gate`` is closed, holds every document batch (an ingest in progress)."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()
        self.entered = threading.Event()

    def embed_documents(self, texts: list[str]):  # type: ignore[no-untyped-def]
        self.entered.set()
        self.gate.wait(timeout=30)
        return super().embed_documents(texts)


def test_too_many_concurrent_ingests_get_429(tmp_path: Path) -> None:
    embedder = GatedEmbedder()
    settings = Settings(data_dir=tmp_path, embedding_backend="hash", max_concurrent_ingests=1)
    assistant = Assistant(settings, embedder=embedder)
    article = {"title": "Westport harbour reopens", "text": STORY}
    results: list[httpx.Response] = []
    with live_server(assistant) as url:
        first = threading.Thread(
            target=lambda: results.append(httpx.post(url + "/v1/articles", json=article, timeout=60))
        )
        first.start()
        assert embedder.entered.wait(timeout=30)
        refused = httpx.post(url + "/v1/articles", json=article)
        embedder.gate.set()
        first.join(timeout=30)
        again = httpx.post(url + "/v1/articles", json=article)
    assistant.close()
    assert refused.status_code == 429 and refused.headers["retry-after"] == "5"
    assert "RAG_MAX_CONCURRENT_INGESTS" in error_of(refused)["message"]
    assert results[0].status_code == 200 and len(results[0].json()["added"]) == 1
    assert again.status_code == 200 and len(again.json()["unchanged"]) == 1
