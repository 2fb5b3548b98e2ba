"""What other web pages can do to a server running on this machine: nothing they are not allowed.

A real uvicorn server (hash embedding: the tests are about who may do what, not answers) is
reached only on 127.0.0.1; the Host header plays the foreign names a DNS-rebinding page would
send, and the Origin / Sec-Fetch-Site headers the pages a browser would name. Every state-changing
route (the API's, the multipart upload, Gradio's upload, queue and login) is tried cross-site.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from rag import Article, Settings
from tests.live_server import serving_articles
from ui.api.guard import WebPolicy, host_name, same_origin, same_site_cookie

STORY = "The harbour of Westport reopened on Monday after a storm closed it for a week."
KEY = "guard-test-key-0123456789"
EVIL = "https://evil.example"
TRUSTED = "https://news.example"
PUBLIC_HOST = "rag.example.com"


@dataclass(frozen=True)
class Served:
    """A running server: its URL, its port and the id of the article it holds."""

    base: str
    port: int
    article_id: str


def _served(tmp_path: Path, **settings: object) -> Iterator[Served]:
    with serving_articles(
        tmp_path, [Article(title="Harbour reopens", text=STORY, id="harbour")], **settings
    ) as base:
        yield Served(base, int(urlsplit(base).port or 0), "harbour")


@pytest.fixture(scope="module")
def open_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """No keys (the default), one trusted origin, and a public name as behind a reverse proxy."""
    yield from _served(
        tmp_path_factory.mktemp("guard"), cors_origins=(TRUSTED,), allowed_hosts=(PUBLIC_HOST,)
    )


@pytest.fixture(scope="module")
def keyed_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """With an API key, so the UI has a login and sets its cookies."""
    yield from _served(tmp_path_factory.mktemp("guard-keys"), api_keys=(KEY,))


def own_origin(served: Served) -> str:
    return f"http://127.0.0.1:{served.port}"


# --- Host names (DNS rebinding) ------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/v1/articles", "/v1/articles/harbour", "/", "/config", "/healthz", "/docs"]
)
@pytest.mark.parametrize("host", ["evil.example", "evil.example:7860", "127.0.0.1.nip.io", "localhost.evil"])
def test_a_foreign_host_name_gets_nothing(open_server: Served, path: str, host: str) -> None:
    response = httpx.get(open_server.base + path, headers={"Host": host})
    assert response.status_code == 400, response.text
    assert response.json()["error"]["type"] == "host_not_allowed"
    assert "RAG_ALLOWED_HOSTS" in response.json()["error"]["message"]
    assert STORY not in response.text


def test_a_foreign_host_cannot_delete(open_server: Served) -> None:
    response = httpx.delete(open_server.base + "/v1/articles/harbour", headers={"Host": "evil.example"})
    assert response.status_code == 400
    assert httpx.get(open_server.base + "/v1/articles/harbour").status_code == 200


@pytest.mark.parametrize("name", ["localhost", "127.0.0.1", "[::1]", "LOCALHOST", "localhost.", PUBLIC_HOST])
def test_loopback_names_and_listed_hosts_are_answered(open_server: Served, name: str) -> None:
    for host in (name, f"{name}:{open_server.port}"):
        response = httpx.get(open_server.base + "/v1/articles", headers={"Host": host})
        assert response.status_code == 200, (host, response.text)
        assert response.json()[0]["id"] == "harbour"
    assert (
        httpx.get(open_server.base + "/", headers={"Host": f"localhost:{open_server.port}"}).status_code
        == 200
    )


def test_the_policy_reads_the_bound_host_and_the_settings() -> None:
    policy = WebPolicy.from_settings(Settings(host="10.1.2.3", allowed_hosts=("Rag.Example.com",)))
    assert all(policy.allows_host(h) for h in ("10.1.2.3:7860", "rag.example.com", "[::1]:1", "localhost"))
    assert not any(policy.allows_host(h) for h in ("10.1.2.4", "evil.example", "", "[::1", "example.com"))
    everywhere = WebPolicy.from_settings(Settings(host="0.0.0.0"))
    assert everywhere.allows_host("192.168.1.5:7860") and everywhere.allows_host("[fe80::1]:7860")
    assert not everywhere.allows_host("evil.example")
    assert WebPolicy.from_settings(Settings(allowed_hosts=("*",))).allows_host("anything.example")


@pytest.mark.parametrize(
    ("origin", "host", "same"),
    [
        ("http://127.0.0.1:7860", "127.0.0.1:7860", True),
        ("http://localhost:7860", "LOCALHOST:7860", True),
        ("https://rag.example.com", "rag.example.com", True),
        ("http://[::1]:7860", "[::1]:7860", True),
        ("http://127.0.0.1:8000", "127.0.0.1:7860", False),
        ("http://localhost:7860", "127.0.0.1:7860", False),
        ("https://rag.example.com:8443", "rag.example.com", False),
        ("https://evil.example", "rag.example.com", False),
        ("null", "127.0.0.1:7860", False),
        ("http://127.0.0.1:99999", "127.0.0.1:7860", False),
    ],
)
def test_same_origin(origin: str, host: str, same: bool) -> None:
    assert same_origin(origin, host) is same


def test_host_name() -> None:
    assert [host_name(h) for h in ("LocalHost:80", "[::1]:7860", "::1", "rag.example.com.", "[::1")] == [
        "localhost", "::1", "::1", "rag.example.com", "",
    ]  # fmt: skip


# --- cross-site writes (CSRF) -----------------------------------------------------------------------

CROSS_SITE = [
    {"Origin": EVIL},
    {"Origin": "http://127.0.0.1:1"},  # another server on this machine: same site, other origin
    {"Origin": "http://localhost:1", "Sec-Fetch-Site": "same-site"},
    {"Origin": "null"},  # a sandboxed frame or a file:// page
    {"Sec-Fetch-Site": "cross-site"},
]


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_delete_is_refused(open_server: Served, headers: dict[str, str]) -> None:
    response = httpx.delete(open_server.base + "/v1/articles/harbour", headers=headers)
    assert response.status_code == 403, response.text
    assert response.json()["error"]["type"] == "cross_site_refused"
    assert "RAG_CORS_ORIGINS" in response.json()["error"]["message"]
    assert httpx.get(open_server.base + "/v1/articles/harbour").status_code == 200


@pytest.mark.parametrize("headers", CROSS_SITE)
def test_a_cross_site_multipart_upload_is_refused(open_server: Served, headers: dict[str, str]) -> None:
    files = [("files", ("planted.txt", b"Planted story\n\nThe planted sentence is here.", "text/plain"))]
    response = httpx.post(open_server.base + "/v1/articles/upload", files=files, headers=headers)
    assert response.status_code == 403, response.text
    titles = [a["title"] for a in httpx.get(open_server.base + "/v1/articles").json()]
    assert "Planted story" not in titles


@pytest.mark.parametrize(
    "path", ["/gradio_api/upload", "/gradio_api/queue/join", "/gradio_api/run/predict", "/login", "/v1/ask"]
)
def test_gradio_and_api_routes_refuse_cross_site_posts(open_server: Served, path: str) -> None:
    files = [("files", ("a.txt", b"text", "text/plain"))]
    response = httpx.post(open_server.base + path, files=files, headers={"Origin": EVIL})
    assert response.status_code == 403, response.text


def test_own_origin_and_trusted_origins_may_write(open_server: Served) -> None:
    article = {
        "title": "Ferry fares",
        "text": "Ferry tickets rose to eleven crowns on Monday.",
        "id": "ferry",
    }
    for origin in (own_origin(open_server), TRUSTED):
        added = httpx.post(open_server.base + "/v1/articles", json=article, headers={"Origin": origin})
        assert added.status_code == 200, added.text
        deleted = httpx.delete(open_server.base + "/v1/articles/ferry", headers={"Origin": origin})
        assert deleted.status_code == 204
    same_site = {"Origin": own_origin(open_server), "Sec-Fetch-Site": "same-origin"}
    asked = httpx.post(
        open_server.base + "/v1/ask", json={"question": "When did the harbour reopen?"}, headers=same_site
    )
    assert asked.status_code == 200
    # Clients that are not browsers (curl, SDKs) send neither header.
    assert httpx.post(open_server.base + "/v1/retrieve", json={"question": "harbour"}).status_code == 200


# --- CORS -----------------------------------------------------------------------------------------

PREFLIGHT = {"Access-Control-Request-Method": "POST", "Access-Control-Request-Headers": "content-type"}


@pytest.mark.parametrize("host", ["127.0.0.1", PUBLIC_HOST])
@pytest.mark.parametrize("origin", [EVIL, "http://localhost:1", "null"])
@pytest.mark.parametrize("path", ["/config", "/gradio_api/info", "/v1/articles", "/gradio_api/queue/join"])
def test_cors_never_grants_a_stranger(open_server: Served, host: str, origin: str, path: str) -> None:
    headers = {"Origin": origin, "Host": host}
    for response in (
        httpx.get(open_server.base + path, headers=headers),
        httpx.options(open_server.base + path, headers={**headers, **PREFLIGHT}),
    ):
        assert "access-control-allow-origin" not in response.headers, (response.request, response.headers)
        assert "access-control-allow-credentials" not in response.headers
    preflight = httpx.options(open_server.base + path, headers={**headers, **PREFLIGHT})
    assert preflight.status_code == 403


def test_a_trusted_origin_may_read_without_credentials(open_server: Served) -> None:
    preflight = httpx.options(open_server.base + "/v1/ask", headers={"Origin": TRUSTED, **PREFLIGHT})
    assert preflight.status_code == 204
    assert preflight.headers["access-control-allow-origin"] == TRUSTED
    assert "POST" in preflight.headers["access-control-allow-methods"]
    listed = httpx.get(open_server.base + "/v1/articles", headers={"Origin": TRUSTED})
    assert listed.headers["access-control-allow-origin"] == TRUSTED
    assert "access-control-allow-credentials" not in listed.headers
    assert "origin" in listed.headers["vary"].lower()


# --- cookies and frames ---------------------------------------------------------------------------


def _login_cookies(served: Served, **headers: str) -> list[str]:
    response = httpx.post(
        served.base + "/login", data={"username": "reader", "password": KEY}, headers=headers
    )
    assert response.json() == {"success": True}, response.text
    return response.headers.get_list("set-cookie")


def attributes(cookie: str) -> set[str]:
    """A Set-Cookie value's attributes, lower-case, without the name=value pair."""
    return {part.strip().lower() for part in cookie.split(";")[1:]}


def test_the_login_cookie_is_same_site_lax(keyed_server: Served) -> None:
    cookies = _login_cookies(keyed_server)
    assert len(cookies) == 2, cookies
    assert all(attributes(c) == {"httponly", "path=/", "samesite=lax"} for c in cookies), cookies


def test_the_login_cookie_is_secure_behind_https(keyed_server: Served) -> None:
    # uvicorn believes X-Forwarded-Proto from a loopback proxy (RAG_TRUSTED_PROXIES).
    cookies = _login_cookies(keyed_server, **{"X-Forwarded-Proto": "https", "X-Forwarded-For": "203.0.113.9"})
    assert len(cookies) == 2, cookies
    assert all(attributes(c) == {"httponly", "path=/", "samesite=lax", "secure"} for c in cookies), cookies


def test_a_logged_in_browser_session_still_works(keyed_server: Served) -> None:
    with httpx.Client(base_url=keyed_server.base) as client:
        assert client.get("/config").status_code == 401
        client.post("/login", data={"username": "reader", "password": KEY}).raise_for_status()
        assert client.get("/config").status_code == 200


@pytest.mark.parametrize(
    ("method", "path", "headers"),
    [
        ("GET", "/", {}), ("GET", "/v1/articles", {}), ("GET", "/healthz", {}), ("GET", "/docs", {}),
        ("GET", "/config", {}), ("GET", "/v1/nothing", {}), ("GET", "/v1/articles", {"Host": "evil.example"}),
        ("DELETE", "/v1/articles/x", {"Origin": EVIL}), ("OPTIONS", "/v1/ask", {"Origin": EVIL, **PREFLIGHT}),
    ],
)  # fmt: skip
def test_every_response_forbids_framing(
    open_server: Served, method: str, path: str, headers: dict[str, str]
) -> None:
    response = httpx.request(method, open_server.base + path, headers=headers)
    assert response.headers["x-frame-options"] == "DENY"
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"


@pytest.mark.parametrize(
    ("cookie", "secure", "expected"),
    [
        ("a=1; HttpOnly; Path=/; SameSite=none; Secure", False, "a=1; HttpOnly; Path=/; SameSite=Lax"),
        ("a=1; HttpOnly; Path=/; SameSite=lax", True, "a=1; HttpOnly; Path=/; SameSite=Lax; Secure"),
        ("a=1", False, "a=1; SameSite=Lax"),
    ],
)
def test_same_site_cookie(cookie: str, secure: bool, expected: str) -> None:
    assert same_site_cookie(cookie, secure) == expected
