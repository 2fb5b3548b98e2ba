"""`/v1/conversations` against a real server: saved chats per API key, follow-ups, renames, feedback."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag import Assistant, Settings
from tests.live_server import live_server
from tests.test_api import error_of

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"
ALICE, BOB = "alice-key-0123456789", "bob-key-0123456789ab"


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """A server over the seed article with two API keys."""
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("conv"), embedding_backend="hash", api_keys=(ALICE, BOB)
    )
    assistant = Assistant(settings)
    assert assistant.ingest([SEED]).ok
    with live_server(assistant) as url:
        yield url
    assistant.close()


def client(base: str, key: str) -> httpx.Client:
    """An HTTP client sending ``key``."""
    return httpx.Client(base_url=base, headers={"Authorization": f"Bearer {key}"}, timeout=60)


def test_a_conversation_is_asked_in_listed_renamed_rated_and_deleted(base: str) -> None:
    with client(base, ALICE) as alice:
        made = alice.post("/v1/conversations", json={"title": "Who is Rodion Miroshnik?"})
        assert made.status_code == 201, made.text
        chat = made.json()
        assert chat["title"] == "Who is Rodion Miroshnik?" and chat["exchange_count"] == 0
        first = alice.post(
            f"/v1/conversations/{chat['id']}/ask", json={"question": "Who is Rodion Miroshnik?", "k": 4}
        )
        assert first.status_code == 200, first.text
        assert first.json()["answer"]["citations"] and first.json()["settings"]["k"] == 4
        # The follow-up reads the saved exchange: alone it would have nothing to go on.
        second = alice.post(f"/v1/conversations/{chat['id']}/ask", json={"question": "And what did he say?"})
        assert "Miroshnik" in second.json()["answer"]["text"], second.text
        other = alice.post("/v1/conversations", json={"title": "Another"}).json()
        listed = alice.get("/v1/conversations").json()
        assert [c["id"] for c in listed][:2] == [other["id"], chat["id"]]  # most recently used first

        detail = alice.get(f"/v1/conversations/{chat['id']}").json()
        assert [e["question"] for e in detail["exchanges"]] == [
            "Who is Rodion Miroshnik?",
            "And what did he say?",
        ]
        cited = detail["exchanges"][0]["answer"]["citations"][0]
        assert cited["quote"] and cited["end"] > cited["start"]
        exchange = detail["exchanges"][0]["id"]
        rated = alice.put(
            f"/v1/conversations/{chat['id']}/exchanges/{exchange}/feedback",
            json={"rating": -1, "note": "too long"},
        )
        assert rated.json() == {"rating": -1, "note": "too long"}
        assert alice.get(f"/v1/conversations/{chat['id']}").json()["exchanges"][0]["feedback"]["rating"] == -1

        renamed = alice.patch(f"/v1/conversations/{chat['id']}", json={"title": "Miroshnik"})
        assert renamed.json()["title"] == "Miroshnik"
        assert alice.delete(f"/v1/conversations/{chat['id']}").status_code == 204
        gone = alice.get(f"/v1/conversations/{chat['id']}")
        assert gone.status_code == 404 and error_of(gone)["type"] == "not_found"


def test_asking_in_a_conversation_as_of_a_day_hides_later_articles_and_saves_the_day(base: str) -> None:
    with client(base, ALICE) as alice:
        chat = alice.post("/v1/conversations", json={"title": "Before the seed"}).json()
        ask = f"/v1/conversations/{chat['id']}/ask"
        # The seed article is dated 2023-11-21: asked as of 1 November 2023 it was not yet published.
        before = alice.post(ask, json={"question": "Who is Rodion Miroshnik?", "as_of": "2023-11-01"})
        assert before.status_code == 200, before.text
        assert before.json()["answer"]["date_window"]["as_of"] == "2023-11-01"
        assert before.json()["answer"]["citations"] == [], before.text
        assert before.json()["settings"]["as_of"] == "2023-11-01"
        after = alice.post(ask, json={"question": "Who is Rodion Miroshnik?", "as_of": "2023-11-22"})
        assert after.json()["answer"]["citations"], after.text
        wrong = alice.post(ask, json={"question": "Who is Rodion Miroshnik?", "as_of": "yesterday"})
        assert wrong.status_code == 422 and "Cannot read the date" in error_of(wrong)["message"], wrong.text
        saved = alice.get(f"/v1/conversations/{chat['id']}").json()["exchanges"]
        assert [e["settings"]["as_of"] for e in saved] == ["2023-11-01", "2023-11-22"]


def test_each_key_sees_only_its_own_conversations(base: str) -> None:
    with client(base, ALICE) as alice, client(base, BOB) as bob:
        chat = alice.post("/v1/conversations", json={"title": "Private"}).json()
        asked = alice.post(
            f"/v1/conversations/{chat['id']}/ask", json={"question": "Who is Rodion Miroshnik?"}
        )
        exchange = asked.json()["id"]
        assert chat["id"] not in [c["id"] for c in bob.get("/v1/conversations").json()]
        attempts: list[tuple[str, str, dict[str, Any] | None]] = [
            ("GET", f"/v1/conversations/{chat['id']}", None),
            ("PATCH", f"/v1/conversations/{chat['id']}", {"title": "mine now"}),
            ("DELETE", f"/v1/conversations/{chat['id']}", None),
            ("POST", f"/v1/conversations/{chat['id']}/ask", {"question": "Who is Rodion Miroshnik?"}),
            ("PUT", f"/v1/conversations/{chat['id']}/exchanges/{exchange}/feedback", {"rating": 1}),
        ]
        for method, path, body in attempts:
            response = bob.request(method, path, json=body)
            assert response.status_code == 404, (method, path, response.text)
        assert alice.get(f"/v1/conversations/{chat['id']}").json()["title"] == "Private"
        assert httpx.get(f"{base}/v1/conversations").status_code == 401


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("POST", "/v1/conversations", {"title": ""}, 422),
        ("POST", "/v1/conversations", {"title": "   "}, 400),
        ("POST", "/v1/conversations", {"title": "x", "extra": 1}, 422),
        ("GET", "/v1/conversations/nope", None, 404),
        ("POST", "/v1/conversations/nope/ask", {"question": "Who?"}, 404),
    ],
)
def test_mistakes_are_clear_4xx(base: str, method: str, path: str, body: Any, status: int) -> None:
    with client(base, ALICE) as alice:
        response = alice.request(method, path, json=body)
    assert response.status_code == status, response.text
    error_of(response)


def test_feedback_must_name_an_answer_of_that_conversation(base: str) -> None:
    with client(base, ALICE) as alice:
        one = alice.post("/v1/conversations", json={"title": "One"}).json()
        two = alice.post("/v1/conversations", json={"title": "Two"}).json()
        exchange = alice.post(
            f"/v1/conversations/{one['id']}/ask", json={"question": "Who is Rodion Miroshnik?"}
        )
        path = f"/v1/conversations/{two['id']}/exchanges/{exchange.json()['id']}/feedback"
        assert alice.put(path, json={"rating": 1}).status_code == 404
        bad = alice.put(path.replace(two["id"], one["id"]), json={"rating": 5})
        assert bad.status_code == 422 and "rating" in error_of(bad)["message"]


def test_without_keys_everyone_shares_one_list(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path / "data", embedding_backend="hash"))
    with live_server(assistant) as url:
        made = httpx.post(f"{url}/v1/conversations", json={"title": "Open"})
        assert made.status_code == 201
        assert [c["title"] for c in httpx.get(f"{url}/v1/conversations").json()] == ["Open"]
    assistant.close()
