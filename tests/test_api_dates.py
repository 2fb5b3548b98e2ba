"""as_of through the HTTP doors (real uvicorn, real model) over the dated Riverton archive."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from rag import Assistant, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.live_server import live_server
from tests.test_api import error_of, sse_events

ARCHIVE = Path(__file__).parent / "fixtures" / "dated" / "articles"
BRIDGE = "What is the latest on the Harbour Bridge?"


@pytest.fixture(scope="module")
def client(
    tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[httpx.Client]:
    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("api-dates")), embedder=minilm)
    assert assistant.ingest(sorted(ARCHIVE.iterdir())).ok
    with live_server(assistant) as url, httpx.Client(base_url=url, timeout=60) as http:
        yield http
    assistant.close()


def test_ask_as_of_an_earlier_day_answers_from_what_was_known_then(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": BRIDGE, "as_of": "2024-09-01"}).json()
    assert body["citations"][0]["title"].startswith("Harbour Bridge repairs to cost $7.2 million")
    assert all(c["published"] <= "2024-09-01" for c in body["citations"] + body["passages"] if c["published"])
    window = body["date_window"]
    assert window["as_of"] == "2024-09-01" and window["latest"] and not window["future"]
    assert window["kind"] == "none" and window["start"] is None


def test_ask_without_as_of_is_today(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": BRIDGE}).json()
    assert body["date_window"]["as_of"] == dt.date.today().isoformat()
    assert body["citations"][0]["title"].startswith("Harbour Bridge fully reopens")


def test_answer_from_older_sources_says_how_old(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": BRIDGE, "as_of": "2024-12-31"}).json()
    assert body["text"].endswith("Newest source: 5 Nov 2024.")


def test_named_period_is_in_the_answers_window(client: httpx.Client) -> None:
    question = "What did the mayoral poll in October show?"
    body = client.post("/v1/ask", json={"question": question, "as_of": "2024-12-31"}).json()
    window = body["date_window"]
    assert (window["kind"], window["start"], window["end"], window["phrase"]) == (
        "filter", "2024-10-01", "2024-10-31", "in October",
    )  # fmt: skip
    assert {c["published"] for c in body["citations"]} == {"2024-10-22"}


def test_retrieve_hides_later_articles_and_keeps_undated(client: httpx.Client) -> None:
    found = client.post(
        "/v1/retrieve", json={"question": "When did the Harbour Bridge open?", "as_of": "2024-01-02", "k": 10}
    ).json()
    assert found[0]["title"] == "A short history of the Harbour Bridge" and found[0]["published"] is None
    assert all(p["published"] is None or p["published"] <= "2024-01-02" for p in found)


def test_stream_carries_the_window_and_text_that_adds_up(client: httpx.Client) -> None:
    response = client.post("/v1/ask/stream", json={"question": BRIDGE, "as_of": "2024-12-31"})
    events = sse_events(response.text)
    streamed = "".join(json.loads(data)["text"] for name, data in events if name == "delta")
    answer = json.loads(next(data for name, data in events if name == "answer"))
    assert answer["date_window"]["as_of"] == "2024-12-31"
    assert streamed == answer["text"] and streamed.endswith("Newest source: 5 Nov 2024.")


def test_future_as_of_is_allowed_and_said(client: httpx.Client) -> None:
    body = client.post("/v1/ask", json={"question": BRIDGE, "as_of": "2999-01-01"}).json()
    assert body["date_window"]["future"] is True


@pytest.mark.parametrize(
    ("path", "extra"),
    [
        ("/v1/ask", {"question": BRIDGE}),
        ("/v1/ask/stream", {"question": BRIDGE}),
        ("/v1/retrieve", {"question": BRIDGE}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": BRIDGE}]}),
        ("/v1/chat/completions", {"messages": [{"role": "user", "content": BRIDGE}], "stream": True}),
    ],
)
@pytest.mark.parametrize(
    ("bad", "said"),
    [
        ("yesterday", "Cannot read the date 'yesterday': write it like 2026-12-07 or 7 Dec 2026."),
        ("2024-13-01", "Cannot read the date '2024-13-01'"),
        ("01/05/2024", "The date '01/05/2024' could be either of two days"),
    ],
)
def test_unreadable_as_of_is_a_422_in_the_words_of_every_door(
    client: httpx.Client, path: str, extra: dict[str, object], bad: str, said: str
) -> None:
    response = client.post(path, json={**extra, "as_of": bad})
    assert response.status_code == 422
    assert error_of(response)["message"].startswith(f"body.as_of: {said}"), response.text


@pytest.mark.parametrize("field", ["published_from", "published_to"])
def test_unreadable_published_bound_is_a_422_in_the_same_words(client: httpx.Client, field: str) -> None:
    response = client.post("/v1/retrieve", json={"question": BRIDGE, field: "Dec 2024"})
    assert response.status_code == 422
    assert error_of(response)["message"] == f"body.{field}: Cannot read the date 'Dec 2024': " + (
        "write it like 2026-12-07 or 7 Dec 2026."
    )


def test_days_are_read_as_people_write_them(client: httpx.Client) -> None:
    """'1 Sep 2024' was a 400 here while the paste form took it."""
    body = {"question": BRIDGE, "as_of": "1 Sep 2024", "published_to": "2024/08/31"}
    answer = client.post("/v1/ask", json=body).json()
    assert answer["date_window"]["as_of"] == "2024-09-01"
    assert answer["citations"] and all(c["published"] <= "2024-08-31" for c in answer["citations"])


def test_chat_completions_take_as_of_as_an_extra_field(client: httpx.Client) -> None:
    messages = [{"role": "user", "content": BRIDGE}]
    body = client.post("/v1/chat/completions", json={"messages": messages, "as_of": "2024-10-20"}).json()
    assert body["citations"][0]["title"].startswith("One lane of Harbour Bridge reopens")
    assert all(c["published"] <= "2024-10-20" for c in body["citations"] if c["published"])
    assert "Newest source" not in body["choices"][0]["message"]["content"]  # five days old: still news
