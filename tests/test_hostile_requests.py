"""Hostile requests against a real `rag serve` process: each gets a clear 4xx or a per-file failure,
nothing is written outside the upload's temporary folder, memory stays bounded, and the server keeps
answering questions afterwards.

The server runs as its own process so its peak memory (VmHWM in /proc) is the server's alone. It uses
the hash embedding: these tests are about request handling and storage, not answer quality, and the
model-free embedding keeps start-up to seconds and the memory figure about the requests.
"""

from __future__ import annotations

import functools
import gzip
import io
import json
import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from rag import Article, Assistant, Settings
from rag.loaders.markdown import markdown_to_text, split_h1
from rag.uploads import safe_name
from tests.pdf_files import pdf_document
from tests.serve_process import serving

STORY = (
    "The harbour of Westport reopened on Monday after a storm closed it for a week. "
    "Mayor Ines Halvorsen said the repairs to the northern pier cost 2 million euros."
)
TEXT_FILE = ("Harbour update\n\n" + STORY).encode()
SAFE_NAME = re.compile(r"^[A-Za-z0-9._-]+$")
MAX_UPLOAD_BYTES = 2_000_000
MAX_FILES = 50
MAX_TOTAL_BYTES = 5_000_000
PEAK_RSS_LIMIT_MB = 1500


@dataclass(frozen=True)
class Server:
    """A running `rag serve`: its URL, process id and peak memory once started (MB)."""

    base: str
    pid: int
    started_mb: float


def peak_rss_mb(pid: int) -> float:
    """The most memory the process has held so far (VmHWM), in MB."""
    status = Path(f"/proc/{pid}/status").read_text()
    return int(re.search(r"VmHWM:\s+(\d+) kB", status).group(1)) / 1024  # type: ignore[union-attr]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Server]:
    """`rag serve` over one article, with a 2 MB upload limit so the oversize cases stay cheap."""
    data = tmp_path_factory.mktemp("hostile")
    seeding = Assistant(Settings(data_dir=data, embedding_backend="hash"))
    assert seeding.ingest([Article(title="Harbour reopens", text=STORY)]).ok
    seeding.close()
    with serving(
        data, cwd=data, RAG_EMBEDDING_BACKEND="hash", RAG_MAX_UPLOAD_BYTES=str(MAX_UPLOAD_BYTES),
        RAG_MAX_UPLOAD_FILES=str(MAX_FILES), RAG_MAX_UPLOAD_TOTAL_BYTES=str(MAX_TOTAL_BYTES),
        RAG_LOG_LEVEL="warning",
    ) as running:  # fmt: skip
        yield Server(running.base, running.proc.pid, peak_rss_mb(running.proc.pid))
        assert running.proc.poll() is None, running.log.read_text()
        assert "Traceback" not in running.log.read_text(), running.log.read_text()


@pytest.fixture
def client(server: Server) -> Iterator[httpx.Client]:
    """A client of the server; after each test the server must still answer a normal question."""
    with httpx.Client(base_url=server.base, timeout=120) as c:
        yield c
        answer = c.post("/v1/ask", json={"question": "What did Mayor Ines Halvorsen say about the pier?"})
        assert answer.status_code == 200, answer.text
        assert "Halvorsen" in answer.text


def upload(client: httpx.Client, *files: tuple[str, bytes]) -> httpx.Response:
    """POST files to the upload route as a browser form would."""
    return client.post(
        "/v1/articles/upload", files=[("files", (n, d, "application/octet-stream")) for n, d in files]
    )


def failure_reasons(response: httpx.Response) -> dict[str, str]:
    """Source name to reason, for a successful upload whose files all failed."""
    assert response.status_code == 200, response.text
    report = response.json()
    assert report["added"] == [] and report["updated"] == []
    return {f["source"]: f["reason"] for f in report["failures"]}


def error_type(response: httpx.Response) -> str:
    """The `error.type` of a JSON error response."""
    return str(response.json()["error"]["type"])


# --- file names ---------------------------------------------------------------------------------


def test_traversal_and_absolute_upload_names_are_sanitised(client: httpx.Client, tmp_path: Path) -> None:
    target = tmp_path / "escaped"
    names = [
        f"../../../../../../..{target}/one.txt", f"{target}/two.txt", "C:\\Windows\\Temp\\three.txt",
        "....//....//four.txt", "five\x00.txt", ".hidden.txt", "%2e%2e%2fsix.txt", "é" * 300 + ".txt", "日本.txt",
    ]  # fmt: skip
    files = ((name, f"Harbour update {n}\n\n{STORY}".encode()) for n, name in enumerate(names))
    response = upload(client, *files)
    assert response.status_code == 200, response.text
    report = response.json()
    assert len(report["added"]) == len(names) and report["failures"] == [], report
    for article_id in report["added"]:
        source = client.get(f"/v1/articles/{article_id}").json()["source"]
        assert SAFE_NAME.match(source) and ".." not in source and len(source) <= 115, source
        assert client.delete(f"/v1/articles/{article_id}").status_code == 204
    assert not target.exists()


@pytest.mark.parametrize(
    ("given", "safe"),
    [
        ("../../etc/passwd.txt", "passwd.txt"), ("/abs/path/story.MD", "story.md"),
        ("C:\\Users\\a\\notes.txt", "notes.txt"), ("..", "upload-3"), ("", "upload-3"),
        (".hidden.txt", "hidden.txt"), ("日本.txt", "upload-3.txt"), ("Ökonomie heute.pdf", "konomie_heute.pdf"),
        ("a\x00b.json", "a_b.json"), ("x." + "y" * 50, "x.yyyyyyyyyy"), ("no-extension", "no-extension"),
        ("report.p d f", "report.pdf"), ("-rf .txt", "rf.txt"),
    ],
)  # fmt: skip
def test_safe_name(given: str, safe: str) -> None:
    assert safe_name(given, 3) == safe


# --- files that lie about their type, and bombs ---------------------------------------------------


@functools.cache
def _zip_bomb() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("story.txt", bytes(20_000_000))
    return buffer.getvalue()


def _pdf_with_content(content: bytes) -> bytes:
    """A one-page PDF whose page content stream is ``content``, Flate-compressed."""
    stream = zlib.compress(content, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R"
        b" /Resources << /Font << /F1 5 0 R >> >> >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    return pdf_document(objects)


LINE = b"BT /F1 12 Tf 72 700 Td (The harbour reopened on Monday.) Tj ET\n"


def test_a_pdf_with_text_loads() -> None:
    """The bomb below is built like a real PDF: with a normal amount of content it does load."""
    from rag.loaders.pdf import PdfLimits, article_from_pdf

    loaded = article_from_pdf(_pdf_with_content(LINE * 3), "s", "n.pdf", PdfLimits(10, 10_000))
    assert "The harbour reopened on Monday." in loaded.text


@pytest.mark.parametrize(
    ("name", "data", "reason"),
    [
        ("report.pdf", b"<html><body><p>" + STORY.encode() + b"</p></body></html>", "is not a PDF"),
        ("records.json", bytes(range(256)) * 64, "binary file"),
        ("story.txt", b"\x89PNG\r\n\x1a\n" + bytes(1000), "is a PNG image, not a .txt file"),
        ("story.html", _zip_bomb(), "is a ZIP archive"),
        ("archive.zip", _zip_bomb(), "unsupported file type .zip"),
        ("story.md", gzip.compress(bytes(20_000_000), 1), "is a gzip archive"),
        ("bomb.pdf", _pdf_with_content(LINE * 50_000), "decompression bomb"),
        ("zeros.pdf", _pdf_with_content(bytes(80_000_000)), "not a readable PDF"),
        ("nul.txt", TEXT_FILE + b"\x00" * 10, "NUL bytes"),
        ("deep.json", b"[" * 500_000 + b"]" * 500_000, "nested too deeply"),
        ("deep.jsonl", b'{"text": ' * 200_000, "line 1 "),
    ],
)  # fmt: skip
def test_lying_and_bomb_files_fail_alone(client: httpx.Client, name: str, data: bytes, reason: str) -> None:
    assert len(data) < MAX_UPLOAD_BYTES
    reasons = failure_reasons(upload(client, (name, data)))
    shown = name + "#1" if name.endswith(".jsonl") else name  # a JSON Lines failure names its line
    assert list(reasons) == [shown] and reason in reasons[shown], reasons


def test_deeply_nested_html_is_read_or_refused_without_a_crash(client: httpx.Client) -> None:
    page = b"<html><body>" + b"<div><span>" * 150_000 + STORY.encode() + b"</span></div>" * 1000
    response = upload(client, ("deep.html", page))
    assert response.status_code == 200, response.text
    report = response.json()
    assert len(report["added"]) + len(report["failures"]) == 1
    for article_id in report["added"]:
        client.delete(f"/v1/articles/{article_id}")


def test_pathological_markdown_is_ingested(client: httpx.Client) -> None:
    body = b"Harbour news\n\n" + STORY.encode() + b"\n\n" + b"**x " * 25_000 + b"\n" + b"[[" * 25_000
    response = upload(client, ("slow.md", body))
    assert response.status_code == 200 and len(response.json()["added"]) == 1, response.text
    client.delete(f"/v1/articles/{response.json()['added'][0]}")


@pytest.mark.timeout(60)  # a hang guard, not a speed target: the old patterns took hours on these
@pytest.mark.parametrize("unit", ["**x ", "__a ", "[a](", "[a][", "![", "[", "# ", "*a "])
def test_markdown_patterns_never_backtrack_quadratically(unit: str) -> None:
    """Each of these, 256 KB on one line, once took minutes to hours (regex backtracking)."""
    line = unit * (256_000 // len(unit))
    for text in (line, "# " + line, "[" + line, "**" + line):
        assert len(markdown_to_text(text)) <= len(text)
        heading, body = split_h1(text)
        assert len(heading) + len(body) <= len(text)


def test_malformed_utf8_in_a_file_is_read_as_windows_1252(client: httpx.Client) -> None:
    response = upload(client, ("odd.txt", TEXT_FILE + b" Caf\xe9 \xc3\x28 \xff."))
    assert response.status_code == 200 and len(response.json()["added"]) == 1, response.text
    client.delete(f"/v1/articles/{response.json()['added'][0]}")


# --- sizes and counts -----------------------------------------------------------------------------


def test_a_huge_file_is_413_before_it_is_ingested(client: httpx.Client) -> None:
    response = upload(client, ("huge.txt", TEXT_FILE + b" more" * (MAX_UPLOAD_BYTES // 5)))
    assert response.status_code == 413 and error_type(response) == "too_large"
    assert "RAG_MAX_UPLOAD_BYTES" in response.json()["error"]["message"]


def test_thousands_of_tiny_files_are_refused_whole(client: httpx.Client) -> None:
    before = client.get("/v1/articles").json()
    response = upload(client, *((f"{n}.txt", f"Tiny {n}\n\n{STORY}".encode()) for n in range(5000)))
    assert response.status_code == 400 and "Maximum number of files is 50" in response.text
    assert client.get("/v1/articles").json() == before


def test_the_file_limit_itself_is_accepted(client: httpx.Client) -> None:
    response = upload(client, *((f"{n}.txt", b"") for n in range(MAX_FILES)))
    assert len(failure_reasons(response)) == MAX_FILES


@pytest.mark.parametrize(
    ("body", "headers", "status"),
    [
        (json.dumps({"question": "why " * 5000}).encode(), {}, 400),  # over RAG_MAX_QUESTION_CHARS
        (json.dumps({"question": "x" * 2_000_000}).encode(), {}, 413),  # over RAG_MAX_REQUEST_BYTES
        (b"[" * 900_000, {}, 400),  # nested past the JSON parser's recursion limit
        (b'{"question": "caf\xc3\x28 \xff"}', {}, 400),  # not UTF-8
        (gzip.compress(b'{"question": "' + b" " * 20_000_000 + b'x"}'), {"Content-Encoding": "gzip"}, 400),
        (b'{"question": "harbour", "history": [' + b'["a", "b"],' * 60 + b'["a", "b"]]}', {}, 422),
    ],
    ids=["long-question", "huge-body", "deep-json", "bad-utf8", "gzip-bomb", "long-history"],
)
def test_hostile_question_bodies_get_a_clear_4xx(
    client: httpx.Client, body: bytes, headers: dict[str, str], status: int
) -> None:
    response = client.post("/v1/ask", content=body, headers={"Content-Type": "application/json", **headers})
    assert response.status_code == status, response.text
    assert response.json()["error"]["message"]


def test_nul_bytes_in_a_question_are_harmless(client: httpx.Client) -> None:
    response = client.post("/v1/ask", json={"question": "Halvorsen\x00 pier\x00"})
    assert response.status_code == 200 and response.json()["passages"], response.text


def test_a_gradio_upload_over_the_size_limit_is_refused(client: httpx.Client) -> None:
    big = b"x" * (MAX_UPLOAD_BYTES + 1000)
    response = client.post("/gradio_api/upload", files=[("files", ("big.txt", big, "text/plain"))])
    assert response.status_code == 413, response.text


@pytest.mark.parametrize("route", ["/v1/articles/upload", "/gradio_api/upload"])
def test_many_files_each_under_the_limit_are_refused_by_their_total(client: httpx.Client, route: str) -> None:
    """Gradio limits the size of each file and their number (1,000), not the request as a whole."""
    part = b"x" * (MAX_UPLOAD_BYTES - 1000)
    response = client.post(route, files=[("files", (f"{n}.txt", part, "text/plain")) for n in range(3)])
    assert response.status_code == 413 and error_type(response) == "too_large"
    assert f"{MAX_TOTAL_BYTES:,}-byte limit" in response.text


def test_peak_memory_of_the_server_stays_bounded(server: Server, capsys: pytest.CaptureFixture[str]) -> None:
    """Runs last in this module: the server's peak over every hostile request above."""
    peak = peak_rss_mb(server.pid)
    with capsys.disabled():
        print(
            f"\n[hostile requests] server peak RSS {peak:.0f} MB (after start-up {server.started_mb:.0f} MB)"
        )
    assert peak < PEAK_RSS_LIMIT_MB
