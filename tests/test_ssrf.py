"""URL ingestion cannot reach internal services, however the address is spelt or reached.

A real HTTP server listens on every local IPv4 address (0.0.0.0) and records each request it gets,
with the local address the connection arrived at. Every refusal is checked twice: the loader says
why, and the server saw no request. Redirect and rebinding cases use the production address policy
with exactly one exception, the server's own 127.0.0.1, injected as the ``policy`` argument, so the
first hop can reach the test server while every other internal address stays refused. Nothing here
needs the internet: IP literals and ``localhost`` resolve locally, other names by injected resolvers.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from rag.errors import FetchError
from rag.loaders import load_sources, load_url
from rag.loaders.web import address_problem, check_url, fetch_url, resolve_host
from rag.settings import Settings
from rag.types import Article, Failure

PAGE = b"Internal report\n\nThe secret budget of the harbour authority is 12 million euros."
SERVER_ADDRESS = "127.0.0.1"


@dataclass
class Recorder:
    """Every (local address, path) the test server was asked for."""

    requests: list[tuple[str, str]] = field(default_factory=list)

    def paths(self) -> list[str]:
        """Only the paths, in order."""
        return [path for _, path in self.requests]


@dataclass(frozen=True)
class Internal:
    """The internal test server: its port and what it received."""

    port: int
    seen: Recorder


def _handler(seen: Recorder) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        """`/go?<url>` redirects (302, or 307 under `/go307`); anything else is the internal page."""

        def do_GET(self) -> None:
            """Record the request, then answer it."""
            local = str(self.connection.getsockname()[0])
            seen.requests.append((local, self.path.split("?", 1)[0]))
            if self.path.startswith(("/go?", "/go307?")):
                self.send_response(307 if self.path.startswith("/go307") else 302)
                self.send_header("Location", self.path.split("?", 1)[1])
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            body = PAGE + f"\n\nServed on {local} for {self.headers['Host']}.".encode()
            self.send_response(200)
            self.send_header("Content-Type", "text/plain; charset=utf-8")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: object) -> None:
            """Quiet."""

    return Handler


@pytest.fixture(scope="module")
def server() -> Iterator[Internal]:
    """A server on every local IPv4 address, as an internal service on the same host would be."""
    seen = Recorder()
    httpd = ThreadingHTTPServer(("0.0.0.0", 0), _handler(seen))
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield Internal(int(httpd.server_address[1]), seen)
    httpd.shutdown()
    httpd.server_close()


@pytest.fixture
def internal(server: Internal) -> Internal:
    """The server with an empty request record."""
    server.seen.requests.clear()
    return server


def only_the_test_server(address: str) -> str:
    """The production policy, except that the test server's own address counts as public."""
    return "" if address == SERVER_ADDRESS else address_problem(address)


DEFAULTS = Settings(fetch_timeout=5)

# --- spellings of internal addresses, resolved for real ---------------------------------------------

SPELLINGS = [
    "127.0.0.1", "127.0.0.2", "127.1", "2130706433", "0x7f000001", "017700000001", "0177.0.0.1",
    "0x7f.0.0.1", "0x7f.1", "localhost", "0.0.0.0", "0", "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]",
    "[0:0:0:0:0:ffff:127.0.0.1]", "[2002:7f00:1::1]",
]  # fmt: skip


@pytest.mark.parametrize("host", SPELLINGS)
def test_every_spelling_of_this_machine_is_refused_before_connecting(internal: Internal, host: str) -> None:
    url = f"http://{host}:{internal.port}/secret"
    [failure] = load_sources([url], DEFAULTS)
    assert isinstance(failure, Failure)
    refused = failure.reason.startswith(f"Refused to fetch {url}: address ") and any(
        word in failure.reason for word in ("is loopback", "is unspecified")
    )
    assert refused or failure.reason.startswith(f"Not a valid URL: {url!r}"), failure.reason
    assert internal.seen.requests == []


@pytest.mark.parametrize("host", ["2130706433", "0x7f.1", "017700000001", "127.1"])
def test_the_odd_spellings_do_reach_the_server_when_private_urls_are_allowed(
    internal: Internal, host: str
) -> None:
    """The control for the test above: these spellings really mean this machine."""
    article = load_url(f"http://{host}:{internal.port}/secret", Settings(allow_private_urls=True))
    assert "secret budget" in article.text
    assert internal.seen.paths() == ["/secret"]


@pytest.mark.parametrize(
    ("url", "problem"),
    [
        ("http://10.0.0.1/", "private"), ("http://10.255.255.254/", "private"),
        ("http://172.16.0.1/", "private"), ("http://172.31.255.255/", "private"),
        ("http://192.168.0.1/", "private"), ("http://192.168.255.255/", "private"),
        ("http://169.254.169.254/latest/meta-data/", "a cloud metadata endpoint"),
        ("http://169.254.170.2/v2/credentials", "a cloud metadata endpoint"),
        ("http://100.100.100.200/latest/meta-data/", "a cloud metadata endpoint"),
        ("http://[fd00:ec2::254]/latest/meta-data/", "a cloud metadata endpoint"),
        ("http://[::ffff:169.254.169.254]/", "a cloud metadata endpoint"),
        ("http://[::ffff:a9fe:a9fe]/", "a cloud metadata endpoint"),
        ("http://[2002:a9fe:a9fe::]/", "a cloud metadata endpoint"),
        ("http://2852039166/", "a cloud metadata endpoint"),
        ("http://0xa9.0xfe.0xa9.0xfe/", "a cloud metadata endpoint"),
        ("http://0251.0376.0251.0376/", "a cloud metadata endpoint"),
        ("http://169.254.1.1/", "link-local"), ("http://[fe80::1]/", "link-local"),
        ("http://[fc00::1]/", "private"), ("http://[fd12:3456::1]/", "private"),
        ("http://[::ffff:10.0.0.1]/", "private"), ("http://[::]/", "unspecified"),
        ("http://[64:ff9b::a9fe:a9fe]/", "reserved"),
        ("http://user:pass@10.0.0.1/", "private"), ("http://news.example@10.0.0.1/", "private"),
        ("http://10.0.0.1#@news.example/", "private"), ("HTTP://10.0.0.1/", "private"),
    ],
)  # fmt: skip
def test_private_link_local_and_metadata_addresses_are_refused(url: str, problem: str) -> None:
    expected = f"is {problem} \\(set RAG_ALLOW_PRIVATE_URLS=true to allow\\)|^Not a valid URL"
    with pytest.raises(FetchError, match=expected):
        fetch_url(url, DEFAULTS)


# --- host names that resolve to internal addresses -------------------------------------------------

NAMES = {
    "intranet.test": ["10.0.0.5"],
    "metadata.test": ["169.254.169.254"],
    "loop.test": ["127.0.0.1"],
    "v6loop.test": ["::1"],
    "mapped.test": ["::ffff:192.168.1.1"],
    "ula.test": ["fd00::5"],
    "mixed.test": ["93.184.216.34", "10.0.0.5"],
    "public.test": ["93.184.216.34"],
}


def resolve_names(host: str, port: int) -> list[str]:
    """A DNS that answers from NAMES, and asks the real resolver about IP literals and localhost."""
    return NAMES[host] if host in NAMES else resolve_host(host, port)


@pytest.mark.parametrize("host", [name for name in NAMES if name != "public.test"])
def test_names_resolving_to_internal_addresses_are_refused(host: str) -> None:
    with pytest.raises(
        FetchError, match=r"Refused to fetch .* is (private|loopback|a cloud metadata endpoint)"
    ):
        check_url(f"http://{host}/story", False, resolve_names)
    assert check_url("http://public.test/story", False, resolve_names).addresses == ("93.184.216.34",)


# --- redirects --------------------------------------------------------------------------------------


def _via(internal: Internal, target: str, code: int = 302) -> str:
    return f"http://{SERVER_ADDRESS}:{internal.port}/{'go307' if code == 307 else 'go'}?{target}"


@pytest.mark.parametrize("code", [302, 307])
@pytest.mark.parametrize(
    ("target", "problem"),
    [
        ("http://169.254.169.254/latest/meta-data/iam/security-credentials/", "a cloud metadata endpoint"),
        ("http://127.0.0.2:{port}/secret", "loopback"),
        ("http://2130706434:{port}/secret", "loopback"),
        ("http://[::ffff:127.0.0.2]:{port}/secret", "loopback"),
        ("http://0.0.0.0:{port}/secret", "unspecified"),
        ("http://intranet.test:{port}/secret", "private"),
        ("http://10.0.0.1/admin", "private"),
    ],
)
def test_redirects_to_internal_addresses_are_refused(
    internal: Internal, target: str, problem: str, code: int
) -> None:
    target = target.format(port=internal.port)
    with pytest.raises(FetchError, match=f"Refused to fetch .*is {problem}"):
        fetch_url(_via(internal, target, code), DEFAULTS, resolve_names, only_the_test_server)
    assert internal.seen.paths() == ["/go307" if code == 307 else "/go"]


def test_a_redirect_to_an_allowed_address_is_followed(internal: Internal) -> None:
    """The control for the test above: the redirect is followed when its target is allowed."""
    target = f"http://{SERVER_ADDRESS}:{internal.port}/secret"
    article = load_url(_via(internal, target), DEFAULTS, resolve_names, only_the_test_server)
    assert "secret budget" in article.text
    assert internal.seen.paths() == ["/go", "/secret"]


# --- DNS rebinding ----------------------------------------------------------------------------------


class Rebinding:
    """A DNS that answers the checked, allowed address first and an internal one ever after."""

    def __init__(self) -> None:
        self.calls = 0

    def __call__(self, host: str, port: int) -> list[str]:
        """First 127.0.0.1 (allowed by the test policy), then 127.0.0.2 (refused)."""
        self.calls += 1
        return [SERVER_ADDRESS] if self.calls == 1 else ["127.0.0.2"]


def test_the_connection_goes_to_the_address_that_was_checked(internal: Internal) -> None:
    dns = Rebinding()
    article = load_url(f"http://rebind.test:{internal.port}/page", DEFAULTS, dns, only_the_test_server)
    assert isinstance(article, Article)
    assert f"Served on {SERVER_ADDRESS} for rebind.test:{internal.port}." in article.text
    assert dns.calls == 1
    assert internal.seen.requests == [(SERVER_ADDRESS, "/page")]


def test_each_redirect_hop_is_resolved_and_checked_again(internal: Internal) -> None:
    dns = Rebinding()
    start = f"http://rebind.test:{internal.port}/go?http://rebind.test:{internal.port}/secret"
    with pytest.raises(FetchError, match=r"address 127\.0\.0\.2 is loopback"):
        fetch_url(start, DEFAULTS, dns, only_the_test_server)
    assert dns.calls == 2
    assert internal.seen.paths() == ["/go"]


def test_private_urls_setting_opens_internal_addresses_on_purpose(internal: Internal) -> None:
    article = load_url(f"http://localhost:{internal.port}/secret", Settings(allow_private_urls=True))
    assert "secret budget" in article.text
