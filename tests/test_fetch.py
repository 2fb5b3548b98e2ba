"""Fetching URLs against a real local HTTP server, and the SSRF address policy, table-driven."""

from __future__ import annotations

import datetime as dt
import io
import re
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from reportlab.pdfgen import canvas

from rag.errors import FetchError
from rag.loaders import load_sources, load_url
from rag.loaders.web import address_problem, check_url, fetch_url
from rag.settings import Settings
from rag.types import Article, Failure

STORY = (
    "The harbour bridge reopened to traffic on Tuesday after eight months of repairs.",
    "Engineers replaced corroded steel cables and resurfaced the entire deck, officials said.",
    '"We are delighted that commuters can finally use the crossing again," Mayor Alan Smith said.',
)
PAGE = f"""<!DOCTYPE html><html><head><meta charset="utf-8">
<title>Harbour bridge reopens | The Daily Ledger</title>
<meta property="og:title" content="Harbour bridge reopens">
<meta property="article:published_time" content="2023-11-21T10:00:00Z">
<script>var SCRIPT_TEXT = 1;</script></head><body>
<nav><a href="/">Home</a> <a href="/world">World</a></nav>
<article><h1>Harbour bridge reopens</h1>{"".join(f"<p>{s}</p>" for s in STORY)}
<p>Traffic officials expect congestion on the ring road to ease by about a third now that the bridge
carries cars again, according to a report published by the transport department last week.</p></article>
<footer>Copyright 2023 The Daily Ledger</footer></body></html>""".encode()
SLEEP_SECONDS = 2.0


def _pdf_bytes() -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for line in STORY[:2]:
        pdf.drawString(72, 770, line)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


class Handler(BaseHTTPRequestHandler):
    """Routes for every fetch scenario; paths say what they do."""

    def do_GET(self) -> None:
        """Answer by path: pages, redirects, oversize and slow responses."""
        path = self.path
        if path == "/article":
            self._send(200, "text/html; charset=utf-8", PAGE)
        elif path.startswith("/redirect/"):
            left = int(path.rsplit("/", 1)[1])
            self._redirect("/article" if left <= 1 else f"/redirect/{left - 1}")
        elif path == "/to-ftp":
            self._redirect("ftp://example.com/secret.txt")
        elif path == "/host":
            self._send(
                200, "text/plain", f"Host header\n\nThe request named {self.headers['Host']}.".encode()
            )
        elif path == "/text":
            self._send(200, "text/plain; charset=utf-8", ("Plain bridge story\n\n" + STORY[0]).encode())
        elif path == "/report.pdf":
            self._send(200, "application/pdf", _pdf_bytes())
        elif path == "/image":
            self._send(200, "image/png", b"\x89PNG\r\n\x1a\n")
        elif path == "/big":
            self._send(200, "text/html", b"<p>" + b"x" * 5000 + b"</p>")
        elif path == "/big-unsized":
            self._send(200, "text/html", b"<p>" + b"x" * 5000 + b"</p>", sized=False)
        elif path == "/slow":
            time.sleep(SLEEP_SECONDS)
            self._send(200, "text/html", PAGE)
        else:
            self._send(404, "text/plain", b"not found")

    def _send(self, status: int, content_type: str, body: bytes, sized: bool = True) -> None:
        try:
            self.send_response(status)
            self.send_header("Content-Type", content_type)
            if sized:
                self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up on purpose (time or size limit)

    def _redirect(self, location: str) -> None:
        self.send_response(302)
        self.send_header("Location", location)
        self.send_header("Content-Length", "0")
        self.end_headers()

    def log_message(self, format: str, *args: object) -> None:
        """Keep test output quiet."""


@pytest.fixture(scope="module")
def base() -> Iterator[str]:
    """The base URL of a local HTTP server running in a thread for this module."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


ALLOW = Settings(allow_private_urls=True)


# --- fetching from the local server -------------------------------------------------------------


def test_page_loads_with_title_date_and_text(base: str) -> None:
    article = load_url(f"{base}/article", ALLOW)
    assert article.title == "Harbour bridge reopens"
    assert article.published == dt.date(2023, 11, 21)
    assert article.source == f"{base}/article"
    assert article.url == f"{base}/article"
    for sentence in STORY:
        assert sentence in article.text
    assert "SCRIPT_TEXT" not in article.text and "Home" not in article.text


def test_loopback_is_refused_by_default(base: str) -> None:
    with pytest.raises(FetchError, match="is loopback") as raised:
        fetch_url(f"{base}/article", Settings())
    assert "RAG_ALLOW_PRIVATE_URLS=true" in str(raised.value)
    [failure] = load_sources([f"{base}/article"], Settings())
    assert isinstance(failure, Failure)
    assert failure.source == f"{base}/article"
    assert failure.reason.startswith(f"Refused to fetch {base}/article: address 127.0.0.1 is loopback")


def test_redirect_chain_is_followed(base: str) -> None:
    fetched = fetch_url(f"{base}/redirect/3", ALLOW)
    assert fetched.url == f"{base}/article"
    assert fetched.content_type == "text/html" and fetched.charset == "utf-8"
    article = load_url(f"{base}/redirect/5", ALLOW)
    assert article.source == f"{base}/redirect/5" and article.url == f"{base}/article"


def test_too_many_redirects(base: str) -> None:
    with pytest.raises(FetchError, match="more than 5 redirects"):
        fetch_url(f"{base}/redirect/6", ALLOW)


def test_each_redirect_hop_is_checked_again(base: str) -> None:
    with pytest.raises(
        FetchError, match=re.escape("Refused to fetch ftp://example.com/secret.txt: only http and https")
    ):
        fetch_url(f"{base}/to-ftp", ALLOW)


def test_redirect_to_a_refused_address_after_an_allowed_hop() -> None:
    # The first hop's name resolves (by the injected resolver) to a public address, the redirect
    # target to the metadata endpoint; with private URLs off the second hop must be refused.
    def resolve(host: str, port: int) -> list[str]:
        return {"news.test": ["93.184.216.34"]}.get(host, [host])

    first = check_url("http://news.test/story", False, resolve)
    assert first.addresses == ("93.184.216.34",)
    second = str(first.url.join("http://169.254.169.254/latest/meta-data/"))
    with pytest.raises(FetchError, match=re.escape("169.254.169.254 is a cloud metadata endpoint")):
        check_url(second, False, resolve)


def test_connection_goes_to_the_checked_address_under_the_original_name(base: str) -> None:
    port = base.rsplit(":", 1)[1]
    # 127.0.0.2 has no server: the next checked address is tried, never a fresh DNS answer.
    article = load_url(
        f"http://news.test:{port}/host", ALLOW, resolve=lambda host, p: ["127.0.0.2", "127.0.0.1"]
    )
    assert article.text == f"The request named news.test:{port}."


def test_oversize_page_fails(base: str) -> None:
    small = Settings(allow_private_urls=True, max_fetch_bytes=1000)
    for path in ("/big", "/big-unsized"):
        with pytest.raises(FetchError, match="larger than the 1,000-byte limit"):
            fetch_url(f"{base}{path}", small)


def test_slow_server_times_out(base: str) -> None:
    started = time.monotonic()
    [failure] = load_sources([f"{base}/slow"], Settings(allow_private_urls=True, fetch_timeout=0.5))
    assert isinstance(failure, Failure)
    assert failure.reason == f"Timed out fetching {base}/slow after 0.5s"
    assert time.monotonic() - started < SLEEP_SECONDS


def test_plain_text_and_pdf_responses(base: str) -> None:
    text = load_url(f"{base}/text", ALLOW)
    assert (text.title, text.text) == ("Plain bridge story", STORY[0])
    pdf = load_url(f"{base}/report.pdf", ALLOW)
    assert isinstance(pdf, Article) and len(pdf.page_starts) == 2
    assert pdf.text == f"{STORY[0]}\n\n{STORY[1]}" and pdf.title == "report"


def test_other_content_types_and_errors_fail_clearly(base: str) -> None:
    with pytest.raises(FetchError, match="content type image/png is not HTML, plain text or PDF"):
        load_url(f"{base}/image", ALLOW)
    with pytest.raises(FetchError, match="answered HTTP 404"):
        fetch_url(f"{base}/missing", ALLOW)


def test_unreachable_server_fails_clearly() -> None:
    with pytest.raises(FetchError, match=re.escape("Could not fetch http://127.0.0.1:9/")):
        fetch_url("http://127.0.0.1:9/", ALLOW)


# --- the address policy, without a network ------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "problem"),
    [
        ("127.0.0.1", "loopback"),
        ("127.1.2.3", "loopback"),
        ("::1", "loopback"),
        ("::ffff:127.0.0.1", "loopback"),
        ("10.0.0.1", "private"),
        ("172.16.0.1", "private"),
        ("192.168.1.1", "private"),
        ("fd12::1", "private"),
        ("169.254.169.254", "a cloud metadata endpoint"),
        ("fd00:ec2::254", "a cloud metadata endpoint"),
        ("169.254.1.1", "link-local"),
        ("fe80::1", "link-local"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("100.64.0.1", "not publicly routable"),
        ("8.8.8.8", ""),
        ("93.184.216.34", ""),
        ("2001:4860:4860::8888", ""),
    ],
)
def test_address_problem(address: str, problem: str) -> None:
    assert address_problem(address) == problem


RESOLVER = {
    "news.test": ["93.184.216.34"],
    "evil.test": ["10.0.0.5"],
    "mixed.test": ["93.184.216.34", "127.0.0.1"],
    "v6.test": ["2001:4860:4860::8888", "8.8.8.8"],
}


def fake_resolve(host: str, port: int) -> list[str]:
    """Answers from the table above; IP literals resolve to themselves, like getaddrinfo."""
    return RESOLVER.get(host, [host])


@pytest.mark.parametrize(
    ("url", "allow_private", "error"),
    [
        ("http://news.test/a", False, ""),
        ("https://v6.test:8443/a", False, ""),
        ("http://evil.test/a", False, "address 10.0.0.5 is private"),
        ("http://mixed.test/a", False, "address 127.0.0.1 is loopback"),
        ("http://169.254.169.254/latest/meta-data/", False, "is a cloud metadata endpoint"),
        ("http://[::1]:8000/", False, "address ::1 is loopback"),
        ("http://evil.test/a", True, ""),
        ("http://127.0.0.1/", True, ""),
        ("file:///etc/passwd", True, "only http and https"),
        ("gopher://news.test/", False, "only http and https"),
    ],
)
def test_check_url(url: str, allow_private: bool, error: str) -> None:
    if error:
        with pytest.raises(FetchError, match=re.escape(error)):
            check_url(url, allow_private, fake_resolve)
    else:
        hop = check_url(url, allow_private, fake_resolve)
        assert hop.addresses == tuple(fake_resolve(hop.url.host, 0))
