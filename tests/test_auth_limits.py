"""Keys that resist guessing: short keys are refused at start, and wrong guesses are slowed to a few a minute."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from pydantic import ValidationError

from rag import Assistant, Settings
from tests.live_server import live_server
from ui.api.auth import WINDOW_SECONDS, FailedAuthLimiter
from ui.cli import main

KEY = "limits-test-key-0123456789"
ALLOWED_FAILURES = 3


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("limits"), embedding_backend="hash", api_keys=(KEY,),
        auth_failures_per_minute=ALLOWED_FAILURES,
    )  # fmt: skip
    assistant = Assistant(settings)
    with live_server(assistant) as url:
        yield url
    assistant.close()


def as_client(address: str) -> dict[str, str]:
    """Headers of a request relayed by a loopback reverse proxy for ``address`` (which uvicorn believes)."""
    return {"X-Forwarded-For": address}


def test_wrong_keys_are_slowed_down_per_client(base: str) -> None:
    guesser, bystander = as_client("203.0.113.7"), as_client("203.0.113.8")
    for n in range(ALLOWED_FAILURES):
        wrong = {"Authorization": f"Bearer guess-{n}", **guesser}
        assert httpx.get(base + "/v1/articles", headers=wrong).status_code == 401
    refused = httpx.get(base + "/v1/articles", headers={"Authorization": "Bearer guess-x", **guesser})
    assert refused.status_code == 429, refused.text
    assert 1 <= int(refused.headers["retry-after"]) <= WINDOW_SECONDS
    assert refused.json()["error"]["type"] == "too_many_requests"
    # Even the right key waits: otherwise the 429 would tell a guesser nothing, the 200 everything.
    right = {"Authorization": f"Bearer {KEY}"}
    assert httpx.get(base + "/v1/articles", headers={**right, **guesser}).status_code == 429
    # Another client is not held back, and pages without credentials still load for the guesser.
    assert httpx.get(base + "/v1/articles", headers={**right, **bystander}).status_code == 200
    assert httpx.get(base + "/healthz", headers=guesser).status_code == 200


def test_failed_ui_logins_count_too(base: str) -> None:
    client = as_client("203.0.113.20")
    for n in range(ALLOWED_FAILURES):
        failed = httpx.post(base + "/login", data={"username": "u", "password": f"guess-{n}"}, headers=client)
        assert failed.status_code == 400
    refused = httpx.post(base + "/login", data={"username": "u", "password": KEY}, headers=client)
    assert refused.status_code == 429 and "retry-after" in refused.headers


def test_successful_requests_do_not_count(base: str) -> None:
    client = {"Authorization": f"Bearer {KEY}", **as_client("203.0.113.30")}
    for _ in range(ALLOWED_FAILURES * 3):
        assert httpx.get(base + "/v1/articles", headers=client).status_code == 200


def test_the_limiter_forgets_failures_after_a_minute() -> None:
    now = [1000.0]
    limiter = FailedAuthLimiter(2, clock=lambda: now[0])
    limiter.failed("a")
    now[0] += 30
    limiter.failed("a")
    assert limiter.wait_seconds("a") == 30 and limiter.wait_seconds("b") == 0
    now[0] += 30.5  # the first failure is now over a minute old
    assert limiter.wait_seconds("a") == 0
    limiter.failed("a")
    assert limiter.wait_seconds("a") == 30


@pytest.mark.parametrize("keys", ["k1", "a-long-enough-key-123,short", "fifteen-chars-x"])
def test_short_keys_are_refused_at_start(
    keys: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("RAG_API_KEYS", keys)
    with pytest.raises(ValidationError, match="at least 16"):
        Settings()
    code = main(["serve", "--data-dir", str(tmp_path), "--port", "1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "RAG_API_KEYS" in err and "at least 16" in err and "secrets.token_urlsafe" in err
    assert keys.split(",")[-1] not in err  # the key itself is never printed


def test_keys_of_sixteen_characters_are_accepted() -> None:
    assert len(Settings(api_keys="sixteen-chars-xy").api_keys) == 1  # type: ignore[arg-type]
