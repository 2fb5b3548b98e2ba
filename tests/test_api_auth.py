"""API keys, the UI login, loopback-only binding without keys, and CORS."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from gradio_client import Client
from openai import OpenAI

from rag import Assistant, ConfigError, Settings
from tests.live_server import live_server
from ui.api.auth import is_valid_key
from ui.server import check_exposure, is_loopback

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"
KEYS = ("first-key-0123456789", "second-key-0123456789")


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    settings = Settings(
        data_dir=tmp_path_factory.mktemp("auth"), embedding_backend="hash", api_keys=KEYS,
        cors_origins=("https://news.example",), auth_failures_per_minute=1000,
    )  # fmt: skip
    assistant = Assistant(settings)
    assert assistant.ingest([SEED]).ok
    with live_server(assistant) as url:
        yield url
    assistant.close()


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/articles"),
        ("POST", "/v1/ask"),
        ("POST", "/v1/chat/completions"),
        ("GET", "/v1/models"),
        ("GET", "/readyz"),
        ("DELETE", "/v1/articles/x"),
    ],
)
@pytest.mark.parametrize(
    "header", [None, "Bearer wrong-key", "Basic Zmlyc3Qta2V5", "Bearer first-key-0123456789-x"]
)
def test_api_routes_need_a_valid_key(base: str, method: str, path: str, header: str | None) -> None:
    headers = {"Authorization": header} if header else {}
    response = httpx.request(method, base + path, headers=headers, json={"question": "x"})
    assert response.status_code == 401
    assert response.json()["error"]["type"] == "unauthorized"
    assert response.headers["www-authenticate"] == "Bearer"


@pytest.mark.parametrize("key", KEYS)
def test_any_configured_key_opens_the_api(base: str, key: str) -> None:
    headers = {"Authorization": f"Bearer {key}"}
    assert httpx.get(base + "/v1/articles", headers=headers).status_code == 200
    answer = httpx.post(
        base + "/v1/ask", headers=headers, json={"question": "Who is Rodion Miroshnik?"}, timeout=60
    )
    assert answer.status_code == 200 and "[1]" in answer.json()["text"]


def test_healthz_and_docs_need_no_key(base: str) -> None:
    assert httpx.get(base + "/healthz").json() == {"status": "ok"}
    assert httpx.get(base + "/docs").status_code == 200
    schema = httpx.get(base + "/openapi.json").json()
    assert "HTTPBearer" in schema["components"]["securitySchemes"]


def test_openai_client_with_and_without_the_key(base: str) -> None:
    with (
        OpenAI(base_url=base + "/v1", api_key="wrong", max_retries=0) as bad,
        pytest.raises(openai.AuthenticationError),
    ):
        bad.models.list()
    with OpenAI(base_url=base + "/v1", api_key=KEYS[1], max_retries=0) as good:
        assert [m.id for m in good.models.list()] == ["article-rag"]


def test_the_ui_asks_for_a_key_as_password(base: str) -> None:
    assert httpx.get(base + "/config").status_code == 401
    with pytest.raises(ValueError, match="Could not login"):
        Client(base + "/", auth=("anyone", "wrong"), verbose=False)
    ui = Client(base + "/", auth=("anyone", KEYS[0]), verbose=False)
    try:
        reply = ui.predict("Who is Rodion Miroshnik?", api_name="/chat")
    finally:
        ui.close()
    assert "Miroshnik" in reply and "[1]" in reply


def test_cors_allows_only_the_configured_origins(base: str) -> None:
    preflight = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "authorization"}
    allowed = httpx.options(base + "/v1/ask", headers={"Origin": "https://news.example", **preflight})
    assert allowed.headers["access-control-allow-origin"] == "https://news.example"
    other = httpx.options(base + "/v1/ask", headers={"Origin": "https://evil.example", **preflight})
    assert "access-control-allow-origin" not in other.headers


def test_cors_is_off_by_default(tmp_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path, embedding_backend="hash"))
    with live_server(assistant) as url:
        response = httpx.get(url + "/v1/articles", headers={"Origin": "https://news.example"})
    assistant.close()
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers


def test_keys_are_compared_whole() -> None:
    assert is_valid_key(KEYS[0], KEYS) and is_valid_key(KEYS[1], KEYS)
    assert not any(is_valid_key(k, KEYS) for k in ("", "first", KEYS[0] + " ", KEYS[0].upper()))
    assert not is_valid_key("anything", ())


def test_keys_and_origins_come_from_comma_separated_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RAG_API_KEYS", " one-0123456789abcdef, two-0123456789abcdef ,,")
    monkeypatch.setenv("RAG_CORS_ORIGINS", "https://a.example,https://b.example")
    settings = Settings()
    assert [k.get_secret_value() for k in settings.api_keys] == [
        "one-0123456789abcdef",
        "two-0123456789abcdef",
    ]
    assert settings.cors_origins == ("https://a.example", "https://b.example")
    assert "one-" not in repr(settings)


@pytest.mark.parametrize(
    ("host", "loopback"),
    [("127.0.0.1", True), ("127.0.0.2", True), ("::1", True), ("localhost", True),
     ("0.0.0.0", False), ("::", False), ("192.168.1.5", False), ("example.org", False)],
)  # fmt: skip
def test_is_loopback(host: str, loopback: bool) -> None:
    assert is_loopback(host) is loopback


def test_an_open_server_stays_on_loopback_unless_told() -> None:
    check_exposure(Settings(), "127.0.0.1")
    check_exposure(Settings(api_keys=KEYS), "0.0.0.0")
    check_exposure(Settings(allow_remote=True), "0.0.0.0")
    with pytest.raises(ConfigError, match=r"RAG_API_KEYS.*--allow-remote"):
        check_exposure(Settings(), "0.0.0.0")
