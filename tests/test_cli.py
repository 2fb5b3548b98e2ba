"""The `rag` command run as a user would, in a subprocess, with its exit codes."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from rag import Answer, Assistant, Settings
from rag.types import Citation

ROOT = Path(__file__).resolve().parent.parent


def rag(*args: str, data_dir: Path, **settings: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "HF_HUB_OFFLINE": "1", "RAG_DATA_DIR": str(data_dir), **settings}
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
    # One bar, in articles: no model-loading bar, no empty 0/0 bar before the total is known.
    assert "Loading weights" not in first.stderr and "0/0" not in first.stderr, first.stderr
    assert "1/1" in first.stderr and "articles/s" in first.stderr
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


def test_k_outside_1_to_50_is_refused_not_replaced(tmp_path: Path) -> None:
    # -k 0 silently asked with the default k; -k 500 retrieved 500 passages.
    for k in ("0", "-3", "51"):
        result = rag(
            "ask", "-k", k, "Who is Rodion Miroshnik?", data_dir=tmp_path, RAG_EMBEDDING_BACKEND="hash"
        )
        assert result.returncode == 2, result.stderr
        assert (
            result.stderr.strip()
            == f"error: k, the number of passages, must be a whole number from 1 to 50 (got {k})."
        ), k


def test_json_output_gives_a_missing_link_as_null(tmp_path: Path) -> None:
    # `rag ask --json` and `rag articles --json` said "url": "" where the HTTP API says null.
    story = tmp_path / "story.md"
    story.write_text("# Flood\n\nThe river rose two metres overnight in the town of Elm.\n", encoding="utf-8")
    linked = tmp_path / "linked.md"
    linked.write_text("---\nurl: https://example.org/mill\n---\n# Mill\n\nThe old mill reopened on Friday.\n")
    data, hashed = tmp_path / "d", {"RAG_EMBEDDING_BACKEND": "hash"}
    assert rag("ingest", str(story), str(linked), data_dir=data, **hashed).returncode == 0
    listed = {
        a["title"]: a["url"] for a in json.loads(rag("articles", "--json", data_dir=data, **hashed).stdout)
    }
    assert listed == {"Flood": None, "Mill": "https://example.org/mill"}
    answer = json.loads(
        rag("ask", "--json", "How far did the river in Elm rise?", data_dir=data, **hashed).stdout
    )
    links = {p["title"]: p["url"] for p in answer["passages"]}
    assert links["Flood"] is None and all(c["url"] == links[c["title"]] for c in answer["citations"])


def test_an_empty_folder_says_no_articles_were_found(tmp_path: Path) -> None:
    # It said "0 added, 0 updated, 0 unchanged, 1 failed" under a 1/1 articles bar: a folder is no article.
    empty = tmp_path / "empty"
    (empty / "pictures").mkdir(parents=True)
    (empty / "pictures" / "cat.jpg").write_bytes(b"not an article")
    alone = rag("ingest", str(empty), data_dir=tmp_path / "d", RAG_EMBEDDING_BACKEND="hash")
    assert alone.returncode == 2, alone.stderr
    assert alone.stdout == "" and "failed" not in alone.stderr and "Ingesting" not in alone.stderr
    assert alone.stderr.strip() == f"error: No articles found in {empty}: folder has no supported files " + (
        "(.htm, .html, .json, .jsonl, .markdown, .md, .pdf, .txt)."
    )
    story = tmp_path / "story.md"
    story.write_text("# Flood\n\nThe river rose two metres overnight in the town.\n", encoding="utf-8")
    mixed = rag("ingest", str(empty), str(story), data_dir=tmp_path / "d", RAG_EMBEDDING_BACKEND="hash")
    assert mixed.returncode == 0, mixed.stderr
    lines = mixed.stdout.splitlines()
    assert lines[0] == "1 added, 0 updated, 0 unchanged, 0 failed", lines
    assert lines[1].startswith(f"  no articles found in {empty}: folder has no supported files"), lines


def test_feedback_export_writes_one_json_line_per_rating(tmp_path: Path) -> None:
    data = tmp_path / "data"
    assistant = Assistant(Settings(data_dir=data, embedding_backend="hash"))
    chat = assistant.conversations.create("", "Q")
    for rating in (1, -1):
        cited = Citation(1, "a1", "Flood", "", None, "The river rose.", 0, 15)
        answer = Answer(f"A {rating}.", citations=(cited,))
        exchange = assistant.conversations.append("", chat.id, "Q", answer, {"k": 3})
        assistant.conversations.rate("", exchange.id, rating, note=f"note {rating}")
    assistant.close()
    out = tmp_path / "feedback.jsonl"
    written = rag("feedback", "export", "--out", str(out), data_dir=data)
    assert written.returncode == 0 and "2 ratings written" in written.stderr
    records = [json.loads(line) for line in out.read_text(encoding="utf-8").splitlines()]
    assert [(r["rating"], r["note"], r["answer"], r["settings"]) for r in records] == [
        (1, "note 1", "A 1.", {"k": 3}),
        (-1, "note -1", "A -1.", {"k": 3}),
    ]
    # An article without a link exports url null, as the HTTP API and `rag ask --json` give it.
    assert [c["url"] for r in records for c in r["citations"]] == [None, None]
    printed = rag("feedback", "export", data_dir=data)
    assert [json.loads(line) for line in printed.stdout.splitlines()] == records


def test_listing_into_a_pipe_that_closes_early_ends_quietly(tmp_path: Path) -> None:
    data = tmp_path / "data"
    many = tmp_path / "many.jsonl"
    records = (
        json.dumps({"title": f"Story number {i}", "text": f"Story {i} happened."}) for i in range(1500)
    )
    many.write_text("\n".join(records), encoding="utf-8")
    assert rag("ingest", str(many), data_dir=data, RAG_EMBEDDING_BACKEND="hash").returncode == 0
    command = f"{sys.executable} -m ui.cli articles | head -n 1"
    env = {**os.environ, "RAG_DATA_DIR": str(data), "RAG_EMBEDDING_BACKEND": "hash"}
    piped = subprocess.run(
        ["bash", "-c", f"set -o pipefail; {command}"], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=120, check=False,
    )  # fmt: skip
    assert len(piped.stdout.splitlines()) == 1 and "Story number" in piped.stdout
    assert piped.stderr == "", piped.stderr  # no BrokenPipeError traceback
    assert piped.returncode == 141  # what the shell reports for a command SIGPIPE ended


def test_serve_on_a_busy_port_says_so_in_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = rag("serve", "--port", str(port), data_dir=tmp_path / "data")
    assert result.returncode == 3
    assert result.stdout == "" and result.stderr.count("\n") == 1, result.stderr
    assert (
        result.stderr.startswith(f"error: Port {port} on 127.0.0.1 is in use") and "--port" in result.stderr
    )


def test_articles_json_is_what_the_http_api_lists(tmp_path: Path) -> None:
    # It printed the library's dataclass: "added_at" with a space, an empty "text" and the content hash.
    from ui.api.schemas import ArticleSummary

    story = tmp_path / "story.md"
    story.write_text(
        "---\ndate: 2024-03-02\n---\n# Flood\n\nThe river rose two metres in Elm.\n", encoding="utf-8"
    )
    data, hashed = tmp_path / "d", {"RAG_EMBEDDING_BACKEND": "hash"}
    assert rag("ingest", str(story), data_dir=data, **hashed).returncode == 0
    listed = json.loads(rag("articles", "--json", data_dir=data, **hashed).stdout)
    assistant = Assistant(Settings(data_dir=data, embedding_backend="hash"))
    try:
        served = [ArticleSummary.model_validate(a).model_dump(mode="json") for a in assistant.articles()]
    finally:
        assistant.close()
    assert listed == served
    assert listed[0]["published"] == "2024-03-02" and "T" in listed[0]["added_at"] and "text" not in listed[0]


def test_counts_of_one_are_singular(tmp_path: Path) -> None:
    """`rag articles` said '1 chunks' for a short article and `rag doctor` '1 articles, 1 chunks'."""
    story = tmp_path / "story.md"
    story.write_text("# Flood\n\nThe river rose two metres in Elm.\n", encoding="utf-8")
    data, hashed = tmp_path / "d", {"RAG_EMBEDDING_BACKEND": "hash"}
    assert rag("ingest", str(story), data_dir=data, **hashed).returncode == 0
    listed = rag("articles", data_dir=data, **hashed).stdout
    assert "  1 chunk  Flood" in listed and "chunks" not in listed, listed
    checked = rag("doctor", data_dir=data, **hashed).stdout
    assert checked.startswith("1 article, 1 chunk, 1 vector.\n"), checked


@pytest.mark.parametrize(("command", "said"), [("ask", "in quotes"), ("delete", "rag articles")])
def test_positional_arguments_say_what_they_take(tmp_path: Path, command: str, said: str) -> None:
    """`rag ask --help` listed a bare "question" and `rag delete --help` a bare "article_id"."""
    shown = rag(command, "--help", data_dir=tmp_path)
    assert shown.returncode == 0 and said in shown.stdout, shown.stdout


@pytest.mark.parametrize(
    "command", [["articles"], ["ask", "Anything?"], ["delete", "x"], ["doctor"], ["feedback", "export"]]
)
def test_a_mistyped_data_folder_is_an_error_and_is_not_created(tmp_path: Path, command: list[str]) -> None:
    """`rag articles --data-dir typo` made an empty archive at typo and printed 'No articles yet'."""
    typo = tmp_path / "dtaa"
    result = rag(*command, data_dir=typo, RAG_EMBEDDING_BACKEND="hash")
    assert result.returncode == 2 and f"No data folder at {typo}" in result.stderr, result.stderr
    assert not typo.exists()
