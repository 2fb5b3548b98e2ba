"""A fresh `rag ask` loads only what answering needs: no torch, sentence-transformers or Gradio.

Each of those costs a second or more to import, so a user waiting on a one-shot `rag ask` would
notice them; which modules a process loaded is behaviour, so it is checked here instead of timing
anything. Answering does need LangChain's runnables (every answer runs through the chain) and
onnxruntime (the query encoder the server uses, so `rag ask` ranks as the server does); listing
articles needs neither.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from rag import Assistant

HEAVY = ("torch", "sentence_transformers", "transformers", "gradio", "trafilatura", "pypdf")
ANSWERING = ("langchain_core", "onnxruntime")

_PROBE = """
import json, sys
from ui.cli import main
code = main(sys.argv[1:])
heavy = [m for m in {heavy!r} if m in sys.modules]
print("\\n" + json.dumps({{"code": code, "heavy": heavy}}))
"""


def run_probe(*args: str) -> tuple[str, dict[str, object]]:
    """Run the CLI in a fresh interpreter; its output and the heavy modules it imported."""
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", _PROBE.format(heavy=HEAVY + ANSWERING), *args],
        capture_output=True, text=True, timeout=120, env=env, check=False,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    *output, last = done.stdout.rstrip("\n").split("\n")
    return "\n".join(output), json.loads(last)


def test_rag_ask_and_articles_answer_without_heavy_imports(seeded: Assistant) -> None:
    data_dir = str(seeded.settings.data_dir)
    seeded.close()
    output, probe = run_probe("ask", "--data-dir", data_dir, "When did Putin send troops into Ukraine?")
    assert probe == {"code": 0, "heavy": list(ANSWERING)}
    assert "February 2022" in output and "[1]" in output
    output, probe = run_probe("articles", "--data-dir", data_dir)
    assert probe == {"code": 0, "heavy": []} and "chunks" in output


def test_reading_a_typed_date_loads_no_article_reader(tmp_path: Path) -> None:
    """The paste form reads its date with rag.parse_day beside an Assistant: that must not load the PDF,
    HTML and web readers."""
    code = (
        "import sys; from rag import Assistant, Settings, parse_day; "
        f"Assistant(Settings(data_dir={str(tmp_path)!r})); day = parse_day('7 Dec 2026'); "
        "print(day, sorted(m for m in ('pypdf', 'trafilatura', 'httpx', 'rag.loaders') if m in sys.modules))"
    )
    env = {**os.environ, "HF_HUB_OFFLINE": "1"}
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, timeout=120, env=env, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == ["2026-12-07", "[]"]
