"""The access log cannot be forged: whatever a request path decodes to, it stays one line of one field."""

from __future__ import annotations

import logging
from pathlib import Path

import httpx
import pytest

from rag import Assistant, Settings
from tests.live_server import live_server
from ui.api.middleware import log_safe_path

FORGED = "INFO:     method=GET path=/v1/articles status=200 duration_ms=1.0 request_id=forged"


def test_control_characters_in_paths_cannot_forge_log_lines(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path, embedding_backend="hash"))
    paths = [
        "/v1/x%0a" + FORGED.replace(" ", "%20"), "/v1/x%0d%0a%1b%5b2Kforged", "/v1/x%e2%80%a8forged",
        "/v1/x%20status=200", "/x%00y", "/v1/x%c2%85forged",
    ]  # fmt: skip
    with caplog.at_level(logging.INFO, logger="ui.access"), live_server(assistant) as url:
        for path in paths:
            assert httpx.get(url + path).status_code in (400, 404)
    assistant.close()
    lines = [r.getMessage() for r in caplog.records if r.name == "ui.access"]
    assert len(lines) == len(paths)
    for line in lines:
        assert line.isprintable(), line
        fields = [field.split("=", 1)[0] for field in line.split(" ")]
        assert fields == ["method", "path", "status", "duration_ms", "request_id"], line


def test_log_safe_path_keeps_plain_paths_and_encodes_the_rest() -> None:
    assert log_safe_path("/v1/articles/abc-1_2.3:x") == "/v1/articles/abc-1_2.3:x"
    assert log_safe_path("/v1/a b\nc\x1b%") == "/v1/a%20b%0Ac%1B%25"
    assert log_safe_path("/v1/é\u2028") == "/v1/%C3%A9%E2%80%A8"
