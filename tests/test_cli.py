"""The `rag` command run as a user would, in a subprocess, with its exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def rag(*args: str, data_dir: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_DATA_DIR": str(data_dir)}
    return subprocess.run(
        [sys.executable, "-m", "ui.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        check=False,
    )  # fmt: skip


@pytest.mark.slow
def test_cli_round_trip(tmp_path: Path) -> None:
    data = tmp_path / "data"
    empty = rag("ask", "Anything?", data_dir=data)
    assert empty.returncode == 2 and "rag ingest" in empty.stderr

    first = rag("ingest", "seeds/", data_dir=data)
    assert first.returncode == 0, first.stderr
    assert "1 added, 0 updated, 0 unchanged, 0 failed" in first.stdout
    again = rag("ingest", "seeds/", data_dir=data)
    assert "0 added, 0 updated, 1 unchanged, 0 failed" in again.stdout

    asked = rag("ask", "--json", "When did Putin send troops into Ukraine?", data_dir=data)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert not answer["abstained"] and "February 2022" in answer["citations"][0]["quote"]

    plain = rag("ask", "When did Putin send troops into Ukraine?", data_dir=data)
    assert "[1]" in plain.stdout and "Sources:" in plain.stdout

    listed = json.loads(rag("articles", "--json", data_dir=data).stdout)
    assert len(listed) == 1
    article_id = listed[0]["id"]

    assert rag("ask", "   ", data_dir=data).returncode == 2
    assert rag("delete", "no-such-id", data_dir=data).returncode == 2
    deleted = rag("delete", article_id, data_dir=data)
    assert deleted.returncode == 0
    assert "No articles yet" in rag("articles", data_dir=data).stdout


def test_ingest_reports_failures_with_exit_code(tmp_path: Path) -> None:
    bad = tmp_path / "bad.json"
    bad.write_text("{oops", encoding="utf-8")
    result = rag("ingest", str(bad), str(tmp_path / "missing.md"), data_dir=tmp_path / "d")
    assert result.returncode == 2
    assert "2 failed" in result.stdout
    assert "missing.md" in result.stdout and "bad.json" in result.stdout
