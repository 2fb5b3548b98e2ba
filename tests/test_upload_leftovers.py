"""Uploads leave nothing behind on the server's disk: not after they are ingested, not when refused.

A real `rag serve` gets its own temporary folders (TMPDIR for Python's, GRADIO_TEMP_DIR for
Gradio's), so whatever an upload writes there can be listed afterwards.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest
from gradio_client import Client, handle_file

from rag import Article, Assistant, Settings
from tests.serve_process import Serving, eventually, serving

STORY = "The harbour of Westport reopened on Monday after a storm closed it for a week."
MAX_FILE = 2_000_000
MAX_TOTAL = 5_000_000
CHUNK = 64 * 1024


@dataclass(frozen=True)
class Served:
    """The running server and the folders it may write temporary files to."""

    running: Serving
    temp_dirs: tuple[Path, ...]

    @property
    def base(self) -> str:
        return self.running.base


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Served]:
    root = tmp_path_factory.mktemp("leftovers")
    data, python_temp, gradio_temp = root / "data", root / "tmp", root / "gradio"
    python_temp.mkdir()
    seeding = Assistant(Settings(data_dir=data, embedding_backend="hash"))
    assert seeding.ingest([Article(title="Harbour reopens", text=STORY)]).ok
    seeding.close()
    with serving(
        data, RAG_EMBEDDING_BACKEND="hash", RAG_MAX_UPLOAD_BYTES=str(MAX_FILE),
        RAG_MAX_UPLOAD_TOTAL_BYTES=str(MAX_TOTAL), TMPDIR=str(python_temp), GRADIO_TEMP_DIR=str(gradio_temp),
    ) as running:  # fmt: skip
        yield Served(running, (python_temp, gradio_temp))
        assert "Traceback" not in running.log.read_text(), running.log.read_text()


def leftovers(served: Served) -> list[str]:
    """Files under the server's temporary folders (Gradio's example and theme caches aside)."""
    return sorted(
        os.path.join(folder, name)
        for temp in served.temp_dirs
        for folder, _, names in os.walk(temp)
        for name in names
    )


def chunked_form(files: list[tuple[str, int]], boundary: str = "leftover-test") -> Iterator[bytes]:
    """A multipart form with these (name, size) files, sent in chunks without a Content-Length."""
    for name, size in files:
        yield (
            f'--{boundary}\r\nContent-Disposition: form-data; name="files"; filename="{name}"\r\n'
            "Content-Type: text/plain\r\n\r\nReport\n\n"
        ).encode()
        sent = 0
        while sent < size:
            piece = min(CHUNK, size - sent)
            yield (b"The committee met on Tuesday. " * (piece // 30 + 1))[:piece]
            sent += piece
        yield b"\r\n"
    yield f"--{boundary}--\r\n".encode()


@pytest.mark.parametrize("path", ["/gradio_api/upload", "/v1/articles/upload"])
@pytest.mark.parametrize(
    "files",
    [[("big.txt", 19_000_000)], [("a.txt", 1_900_000), ("b.txt", 1_900_000), ("c.txt", 1_900_000)]],
    ids=["one-19MB-file", "three-files-over-the-total"],
)
def test_a_refused_chunked_upload_leaves_no_partial_files(
    served: Served, path: str, files: list[tuple[str, int]]
) -> None:
    assert leftovers(served) == []
    response = httpx.post(
        served.base + path, content=chunked_form(files), timeout=120,
        headers={"Content-Type": "multipart/form-data; boundary=leftover-test"},
    )  # fmt: skip
    assert response.status_code == 413, response.text
    assert "limit" in response.text or "maximum allowed size" in response.text  # ours, or Gradio's per file
    assert leftovers(served) == []


def test_a_file_over_gradios_own_limit_leaves_nothing(served: Served) -> None:
    body = {"files": ("big.txt", b"Report\n\n" + b"x" * (MAX_FILE + 10), "text/plain")}
    response = httpx.post(served.base + "/gradio_api/upload", files=body, timeout=60)
    assert response.status_code == 413, response.text
    assert leftovers(served) == []


def test_an_ingested_ui_upload_is_removed(served: Served, tmp_path: Path) -> None:
    story = tmp_path / "lighthouse.md"
    story.write_text(
        "# Lighthouse relit\n\nThe old lighthouse on Skerry Point was relit on Friday evening.\n"
    )
    client = Client(served.base + "/", verbose=False)
    try:
        status = client.predict([handle_file(str(story))], api_name="/upload")
    finally:
        client.close()
    assert str(status).startswith("✅ 1 added"), status
    assert leftovers(served) == []


def test_an_api_upload_is_removed(served: Served) -> None:
    files = [
        ("files", ("mill.txt", b"Mill news\n\nThe old mill reopened as a museum on Friday.", "text/plain"))
    ]
    response = httpx.post(served.base + "/v1/articles/upload", files=files, timeout=60)
    assert len(response.json()["added"]) == 1, response.text
    assert leftovers(served) == []


def test_an_upload_no_event_uses_is_deleted_after_its_time_and_at_shutdown(tmp_path: Path) -> None:
    # Gradio kept such files for good (not even a restart removed them): posted by a script, or
    # chosen in the library and never added, they piled up in its temporary folder.
    data, gradio_temp = tmp_path / "data", tmp_path / "gradio"
    data.mkdir()
    note = {"files": ("note.txt", b"Notes\n\nThe ferry timetable changes in May.", "text/plain")}

    def uploaded() -> list[str]:
        return sorted(str(p) for p in gradio_temp.rglob("*") if p.is_file())

    with serving(
        data, RAG_EMBEDDING_BACKEND="hash", RAG_UPLOAD_TTL_SECONDS="2", GRADIO_TEMP_DIR=str(gradio_temp)
    ) as quick:
        paths = httpx.post(quick.base + "/gradio_api/upload", files=note, timeout=60).json()
        assert uploaded() == paths and len(paths) == 1
        eventually(uploaded, lambda left: left == [], seconds=30)
    with serving(
        data, log=tmp_path / "patient.log", RAG_EMBEDDING_BACKEND="hash", GRADIO_TEMP_DIR=str(gradio_temp)
    ) as patient:
        paths = httpx.post(patient.base + "/gradio_api/upload", files=note, timeout=60).json()
        assert uploaded() == paths  # an hour to add it to the library (the default)
    assert uploaded() == []  # the server stopped: nobody can add it any more
    for log in (quick.log, patient.log):
        assert "Traceback" not in log.read_text()
