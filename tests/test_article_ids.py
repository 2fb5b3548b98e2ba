"""Article ids go into URL paths: ones that cannot be fetched or deleted back are refused at ingest."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from rag import Article, Assistant
from rag.types import article_id_problem
from tests.live_server import live_server

TEXT = "The ferry to Lonsdale left on time on Monday."
BAD_IDS = [
    "../../x",
    "a/b",
    "..",
    "a\\b",
    "x..y",
    "tab\there",
    "new\nline",
    "nul\x00",
    "esc\x1b[31m",
    "del\x7f",
]
GOOD_IDS = ["museum", "e9d55681bf2b99fb", "2024-03-01.harbour", "ID:42", "Ärzte_ü-1", "a.b.c", "42"]


@pytest.mark.parametrize("article_id", BAD_IDS)
def test_unusable_ids_are_a_failure_of_that_article_alone(hash_assistant: Assistant, article_id: str) -> None:
    report = hash_assistant.ingest(
        [Article(title="Bad id", text=TEXT, id=article_id), Article(title="Good", text=TEXT, id="good")]
    )
    assert report.added == ["good"]
    assert len(report.failures) == 1 and "Article id" in report.failures[0].reason
    assert [a.id for a in hash_assistant.articles()] == ["good"]


def test_a_record_with_an_unusable_id_fails_alone(hash_assistant: Assistant, tmp_path: Path) -> None:
    records = tmp_path / "records.jsonl"
    lines = [{"id": "../../etc", "title": "A", "text": TEXT}, {"id": "fine", "title": "B", "text": TEXT}]
    records.write_text("\n".join(json.dumps(r) for r in lines), encoding="utf-8")
    report = hash_assistant.ingest([records])
    assert report.added == ["fine"] and len(report.failures) == 1
    assert "'/'" in report.failures[0].reason


def test_the_api_refuses_unusable_ids_and_serves_usual_ones(hash_assistant: Assistant) -> None:
    with live_server(hash_assistant) as base:
        for article_id in BAD_IDS:
            refused = httpx.post(base + "/v1/articles", json={"title": "T", "text": TEXT, "id": article_id})
            assert refused.status_code == 400, (article_id, refused.text)
            assert refused.json()["error"]["type"] == "invalid_input"
        for article_id in GOOD_IDS:
            added = httpx.post(base + "/v1/articles", json={"title": "T", "text": TEXT, "id": article_id})
            assert added.json()["added"] == [article_id], added.text
            assert httpx.get(f"{base}/v1/articles/{article_id}").json()["id"] == article_id
            assert httpx.delete(f"{base}/v1/articles/{article_id}").status_code == 204
        assert httpx.get(base + "/v1/articles").json() == []


@pytest.mark.parametrize("article_id", [*GOOD_IDS, "", "x" * 128])
def test_usual_ids_have_no_problem(article_id: str) -> None:
    assert article_id_problem(article_id) == ""


def test_long_ids_are_refused() -> None:
    assert "128" in article_id_problem("x" * 129)
