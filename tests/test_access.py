"""Access with API keys set: no route gives data away without a key, Gradio's file routes serve
nothing of the server's, crafted UI events cannot ingest server files, keys never reach the log,
and `rag serve` listens on loopback only.

One real `rag serve` process (hash embedding: these tests are about who may read what, not about
answers) holds a canary article; every route of the app is called without a key and the canary
must never come back. Its whole log (debug level) is searched for the keys at the end.
"""

from __future__ import annotations

import json
import re
import socket
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file
from starlette.routing import BaseRoute, Mount, Route

from rag import Article, Assistant, Settings
from tests.serve_process import serving
from ui.server import create_app

ROOT = Path(__file__).resolve().parent.parent
KEY = "k3y-Zq81-canary-secret"
OTHER_KEY = "second-Kx7-canary-secret"
CANARY = "Quillon Marbleworth"
STORY = f"{CANARY} won the harbour regatta on Sunday. The race around the northern pier took four hours."
# Routes that answer without a key by design: pages and assets of the login screen, liveness,
# the API description, and Gradio's session helpers, none of which holds article data.
PUBLIC = {
    "/", "/healthz", "/docs", "/docs/oauth2-redirect", "/openapi.json", "/favicon.ico", "/theme.css",
    "/robots.txt", "/manifest.json", "/gradio_api/theme.css", "/gradio_api/user", "/gradio_api/user/",
    "/gradio_api/token", "/gradio_api/token/", "/gradio_api/app_id", "/gradio_api/app_id/",
    "/gradio_api/startup-events", "/logout", "/gradio_api/runs", "/gradio_api/runs/",
}  # fmt: skip
# Streams that stay open by design (a session heartbeat); they carry no data.
NEVER_ENDING = {"/gradio_api/heartbeat/{session_hash}"}


@dataclass(frozen=True)
class Served:
    """The running server: URL, port, log file and a file outside the app's folders."""

    base: str
    port: int
    log: Path
    secret: Path


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    """`rag serve` with two keys, debug logging, and a secret file next to (not in) its data."""
    data = tmp_path_factory.mktemp("access")
    secret = tmp_path_factory.mktemp("elsewhere") / "payroll.md"
    secret.write_text(f"# Payroll\n\nThe payroll of {CANARY} is confidential: 91,000 euros a year.\n")
    seeding = Assistant(Settings(data_dir=data / "data", embedding_backend="hash"))
    assert seeding.ingest([Article(title=f"{CANARY} wins", text=STORY)]).ok
    seeding.close()
    env = {
        "RAG_EMBEDDING_BACKEND": "hash", "RAG_API_KEYS": f"{KEY},{OTHER_KEY}", "RAG_LOG_LEVEL": "debug",
        "RAG_AUTH_FAILURES_PER_MINUTE": "1000",  # these tests try wrong keys on purpose, many times
    }  # fmt: skip
    # Run from the folder holding the data folder and the log, so relative paths sent to the
    # server ("serve.log", "data/catalog.sqlite3") name real files.
    with serving(data / "data", cwd=data, log=data / "serve.log", **env) as running:
        yield Served(running.base, running.port, running.log, secret)


@pytest.fixture
def session(served: Served) -> Iterator[httpx.Client]:
    """A browser-like client logged in to the UI with a key (the password)."""
    with httpx.Client(base_url=served.base, timeout=30) as client:
        assert client.post("/login", data={"username": "anyone", "password": KEY}).json() == {"success": True}
        yield client


def all_routes() -> list[tuple[str, str]]:
    """Every (method, path) the app serves, Gradio's included, read from the app itself."""
    assistant = Assistant(
        Settings(data_dir=Path(tempfile.mkdtemp(prefix="rag-routes-")), embedding_backend="hash")
    )
    try:
        return sorted(set(_walk(create_app(assistant).routes, "")))
    finally:
        assistant.close()


def _walk(routes: list[BaseRoute], prefix: str) -> Iterator[tuple[str, str]]:
    for route in routes:
        if isinstance(route, Mount):
            yield from _walk(route.routes, prefix + route.path)
        elif isinstance(route, Route):
            yield from ((m, prefix + route.path) for m in sorted(route.methods or ()) if m != "HEAD")
        elif hasattr(route, "original_router"):  # FastAPI's wrapper of an included router
            yield from _walk(route.original_router.routes, prefix)


ROUTES = all_routes()


def test_the_route_list_covers_the_api_the_ui_and_gradio_files() -> None:
    paths = {path for _, path in ROUTES}
    assert {
        "/v1/ask",
        "/v1/chat/completions",
        "/v1/articles/upload",
        "/config",
        "/gradio_api/queue/join",
    } <= paths
    assert {"/gradio_api/upload", "/gradio_api/file={path_or_url:path}", "/gradio_api/info"} <= paths
    assert len(ROUTES) > 80


@pytest.mark.parametrize(("method", "path"), [r for r in ROUTES if r[1] not in NEVER_ENDING])
def test_no_route_gives_data_away_without_a_key(served: Served, method: str, path: str) -> None:
    url = served.base + re.sub(r"\{[^}]+\}", "1", path).replace("file=1", f"file={served.secret}")
    question = "Who won the harbour regatta?"
    body = {"question": question, "data": [question], "session_hash": "s", "fn_index": 0, "messages": []}
    response = httpx.request(method, url, json=body, timeout=30, follow_redirects=False)
    assert CANARY not in response.text and "confidential" not in response.text
    assert response.status_code < 500, response.text
    if response.status_code < 400 and path not in PUBLIC:
        pytest.fail(f"{method} {path} answered {response.status_code} without a key: {response.text[:200]}")


@pytest.mark.parametrize(
    "path",
    [
        "/v1/articles", "/config", "/gradio_api/info", "/gradio_api/openapi.json", "/gradio_api/queue/status",
        "/gradio_api/file=/etc/passwd",
    ],
)  # fmt: skip
@pytest.mark.parametrize(
    "header", ["Bearer wrong", f"Bearer {KEY}x", f"Basic {KEY}", KEY, f"Bearer {KEY[:-1]}"]
)
def test_wrong_or_malformed_keys_open_nothing(served: Served, path: str, header: str) -> None:
    response = httpx.get(served.base + path, headers={"Authorization": header}, cookies={"access-token": KEY})
    assert response.status_code == 401 and CANARY not in response.text


def test_both_keys_open_the_api(served: Served) -> None:
    for key in (KEY, OTHER_KEY):
        listed = httpx.get(served.base + "/v1/articles", headers={"Authorization": f"Bearer {key}"})
        assert listed.status_code == 200 and CANARY in listed.text


def test_the_api_description_is_public_and_holds_no_data(served: Served) -> None:
    """/docs and /openapi.json describe the routes (the code is public anyway), never the articles."""
    for path in ("/docs", "/openapi.json"):
        response = httpx.get(served.base + path)
        assert response.status_code == 200 and CANARY not in response.text
    schema = httpx.get(served.base + "/openapi.json").json()
    assert schema["components"]["securitySchemes"]["HTTPBearer"]["scheme"] == "bearer"


# --- Gradio's file routes and events, logged in ------------------------------------------------------


def test_gradio_file_routes_serve_nothing_of_the_server(served: Served, session: httpx.Client) -> None:
    data = served.log.parent / "data"
    paths = [
        "/etc/passwd", str(served.secret), str(data / "catalog.sqlite3"), "serve.log", "data/catalog.sqlite3",
        "../../../../etc/passwd", "%2e%2e/%2e%2e/%2e%2e/etc/passwd", f"/tmp/gradio/../..{served.secret}",
        str(ROOT / "pyproject.toml"), "..%2f..%2f..%2fetc%2fpasswd",
    ]  # fmt: skip
    for path in paths:
        for route in ("/gradio_api/file=", "/gradio_api/file/"):
            response = session.get(route + path, follow_redirects=False)
            assert response.status_code in (403, 404), (
                route + path,
                response.status_code,
                response.text[:200],
            )
            assert "root:x:0" not in response.text and "confidential" not in response.text


def test_gradio_file_route_does_not_redirect_to_internal_urls(session: httpx.Client) -> None:
    """Gradio < 6.20 redirected `/gradio_api/file=<url>` anywhere (CVE-2026-59806)."""
    for url in ("http://169.254.169.254/latest/meta-data/", "https://evil.example/phish"):
        response = session.get("/gradio_api/file=" + url, follow_redirects=False)
        assert response.status_code not in (301, 302, 303, 307, 308), response.headers


def _queue_call(session: httpx.Client, fn_index: int, trigger: int, data: list[object]) -> dict[str, object]:
    """Run one UI event the way the browser does (join the queue, read the stream): its final message."""
    session_hash = f"h{time.monotonic_ns()}"
    joined = session.post(
        "/gradio_api/queue/join",
        json={"data": data, "fn_index": fn_index, "trigger_id": trigger, "session_hash": session_hash, "event_data": None},
    )  # fmt: skip
    assert joined.status_code == 200, joined.text
    with session.stream("GET", "/gradio_api/queue/data", params={"session_hash": session_hash}) as stream:
        for line in stream.iter_lines():
            message = json.loads(line[len("data: ") :]) if line.startswith("data: ") else {}
            if message.get("msg") == "process_completed":
                return dict(message)
    pytest.fail("the event never completed")


def _upload_event(session: httpx.Client) -> tuple[int, int]:
    config = session.get("/config").json()
    dependency = next(d for d in config["dependencies"] if d.get("api_name") == "upload")
    return int(dependency["id"]), int(dependency["targets"][0][0])


def test_a_crafted_ui_event_cannot_ingest_a_server_file(served: Served, session: httpx.Client) -> None:
    """Gradio checks that a file named in an event was uploaded through it only once the app counts as
    launched, which mounting it in FastAPI does not do by itself (ui/server.py switches it on)."""
    fn_index, trigger = _upload_event(session)
    for path in (str(served.secret), "/etc/hostname.txt", str(served.log.parent / "serve.log")):
        file = {"path": path, "orig_name": "story.md", "meta": {"_type": "gradio.FileData"}}
        result = _queue_call(session, fn_index, trigger, [[file]])
        assert result["success"] is False, result
    listed = httpx.get(served.base + "/v1/articles", headers={"Authorization": f"Bearer {KEY}"}).json()
    assert [a["title"] for a in listed] == [f"{CANARY} wins"]


def test_a_real_ui_upload_still_works(served: Served, tmp_path: Path) -> None:
    story = tmp_path / "lighthouse.md"
    story.write_text(
        "# Lighthouse relit\n\nThe old lighthouse on Skerry Point was relit on Friday evening.\n"
    )
    # A user name stays tied to the key it first signed in with ("anyone" has KEY), so a name of its own.
    client = Client(served.base + "/", auth=("uploader", OTHER_KEY), verbose=False)
    try:
        status = client.predict([handle_file(str(story))], api_name="/upload")
    finally:
        client.close()
    assert str(status).startswith("✅ 1 added"), status
    headers = {"Authorization": f"Bearer {KEY}"}
    [added] = [
        a
        for a in httpx.get(served.base + "/v1/articles", headers=headers).json()
        if "Lighthouse" in a["title"]
    ]
    assert httpx.delete(f"{served.base}/v1/articles/{added['id']}", headers=headers).status_code == 204


# --- binding and logs (last: they look at everything above) -------------------------------------------


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a socket listening on ``port`` (IPv4 and IPv6), from /proc."""
    found = set()
    for table, family in (("/proc/net/tcp", socket.AF_INET), ("/proc/net/tcp6", socket.AF_INET6)):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.split(":")
            if state == "0A" and int(hex_port, 16) == port:
                raw = bytes.fromhex(address)
                words = b"".join(raw[i : i + 4][::-1] for i in range(0, len(raw), 4))
                found.add(socket.inet_ntop(family, words))
    return found


def test_serve_listens_on_loopback_only(served: Served) -> None:
    assert listening_addresses(served.port) == {"127.0.0.1"}


def test_keys_never_reach_the_log(served: Served) -> None:
    attempts = [
        {"Authorization": f"Bearer {KEY}"}, {"Authorization": f"Bearer {OTHER_KEY}x"},
        {"Authorization": f"Basic {KEY}"}, {"Cookie": f"access-token={KEY}"},
    ]  # fmt: skip
    for headers in attempts:
        httpx.get(f"{served.base}/v1/articles?api_key={KEY}", headers=headers)
        httpx.post(f"{served.base}/v1/ask?key={KEY}", headers=headers, json={"question": KEY * 3})
    httpx.post(served.base + "/login", data={"username": KEY, "password": KEY})
    httpx.post(served.base + "/login", data={"username": "x", "password": KEY + "wrong"})
    time.sleep(0.5)  # the log file is written by another process
    log = served.log.read_text(errors="replace")
    assert "method=GET path=/v1/articles status=200" in log  # the log does record requests
    assert "canary-secret" not in log
