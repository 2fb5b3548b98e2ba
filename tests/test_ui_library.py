"""The library tab's callbacks: upload, paste, list and search, delete with confirmation, refresh."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from rag import Assistant
from rag.types import StoredArticle
from tests.test_ui import XSS
from ui.chat import Chat
from ui.library import Library, article_row, choice_label, matches, pasted_article, source_name
from ui.library_tab import ask_to_delete, picked_row, refresher

NOTE = "---\ntitle: Lanterns\nurl: https://example.com/l\npublished: 2024-03-02\n---\n\nThe festival drew 48,000 visitors.\n"


class Recorder:
    """A stand-in for gr.Progress that keeps what it was told."""

    def __init__(self) -> None:
        self.calls: list[tuple[Any, str | None]] = []

    def __call__(self, progress: Any, desc: str | None = None, **_: Any) -> None:
        self.calls.append((progress, desc))


def test_upload_ingests_files_reports_progress_and_each_failure(
    hash_assistant: Assistant, tmp_path: Path
) -> None:
    good = tmp_path / "lanterns.md"
    good.write_text(NOTE, encoding="utf-8")
    bad = tmp_path / "broken.pdf"
    bad.write_bytes(b"not a pdf")
    empty = tmp_path / "empty.txt"
    empty.write_text("   ", encoding="utf-8")
    progress = Recorder()
    status = Library(hash_assistant).upload([str(good), str(bad), str(empty)], progress)  # type: ignore[arg-type]
    assert status.startswith("⚠️ 1 added") and "2 failed" in status
    assert "**broken.pdf**:" in status and "**empty.txt**:" in status and str(tmp_path) not in status
    assert progress.calls and progress.calls[-1][0] == (3, 3)
    assert any("lanterns.md" in (desc or "") for _, desc in progress.calls)
    [row] = Library(hash_assistant).table()
    assert row[:4] == ["Lanterns", "lanterns.md", "2024-03-02", 1]
    assert Library(hash_assistant).upload([str(good)]).startswith("✅ 0 added, 0 updated, 1 unchanged")


def test_upload_without_files_asks_for_them(hash_assistant: Assistant) -> None:
    assert Library(hash_assistant).upload([]) == "⚠️ Choose one or more files first."
    assert Library(hash_assistant).upload(None).startswith("⚠️")


def test_pasted_article_is_answerable_at_once(hash_assistant: Assistant) -> None:
    status = Library(hash_assistant).paste(
        "Lighthouse", "https://example.com/x", "2024-05-01", "The keeper counted forty ships."
    )
    assert status.startswith("✅ 1 added")
    [article] = hash_assistant.articles()
    assert (article.title, article.url, article.published, article.source) == (
        "Lighthouse", "https://example.com/x", dt.date(2024, 5, 1), "pasted",
    )  # fmt: skip
    answer = hash_assistant.ask("How many ships did the keeper count?")
    assert "forty ships" in answer.text and answer.citations


@pytest.mark.parametrize(
    ("title", "url", "published", "text", "message"),
    [
        ("T", "", "", "  ", "Paste the article's text first."),
        (" ", "", "", "Text.", "Give the article a title."),
        ("T", "javascript:alert(1)", "", "Text.", "The link must be an http(s) URL, or left empty."),
        ("T", "", "21/11/2023", "Text.", "Write the published date as YYYY-MM-DD, or leave it empty."),
    ],
)
def test_paste_form_errors_are_friendly(
    hash_assistant: Assistant, title: str, url: str, published: str, text: str, message: str
) -> None:
    assert Library(hash_assistant).paste(title, url, published, text) == f"⚠️ {message}"
    assert hash_assistant.articles() == []


def test_hostile_title_is_escaped_in_status_and_kept_as_text_in_the_list(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    assert library.paste(XSS, "", "", "The keeper counted forty ships.").startswith("✅")
    [row] = library.table()
    assert row[0] == XSS  # the table shows cells as text
    [(label, article_id)] = library.choices()
    assert label.startswith(XSS)
    assert "<img" not in library.confirm_text(article_id) and "&lt;img" in library.confirm_text(article_id)
    assert "<img" not in library.delete(article_id)


def test_search_filters_the_list(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    library.paste("Harbour lanterns", "", "", "The festival drew 48,000 visitors.")
    library.paste("Lighthouse keeper", "", "", "The keeper counted forty ships.")
    assert [r[0] for r in library.table("lantern")] == ["Harbour lanterns"]
    assert [r[0] for r in library.table("KEEPER lighthouse")] == ["Lighthouse keeper"]
    assert len(library.table("")) == len(library.table(None)) == 2
    assert library.table("nothing-like-this") == []


def test_delete_asks_first_then_removes_the_article_from_answers(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    library.paste("Lighthouse", "", "", "The keeper counted forty ships in the harbour.")
    library.paste("Bakery", "", "", "The bakery sold two hundred loaves on Monday.")
    target = next(i for label, i in library.choices() if label.startswith("Lighthouse"))
    question, row = ask_to_delete(library)(target)
    assert "Delete **Lighthouse** and its 1 chunks?" in question and row["visible"] is True
    assert library.delete(target) == "Deleted **Lighthouse**."
    assert [r[0] for r in library.table()] == ["Bakery"]
    answer = hash_assistant.ask("How many ships did the keeper count?")
    assert "forty" not in answer.text and all(c.title != "Lighthouse" for c in answer.citations)


def test_delete_errors_are_friendly(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    assert library.delete(None) == "⚠️ Choose an article to delete first."
    assert library.delete("missing").startswith("⚠️ No article with id")
    assert ask_to_delete(library)(None)[0].startswith("⚠️ Choose an article first")
    assert library.confirm_text("missing").startswith("⚠️ No article")


def test_refresh_updates_list_pickers_scope_and_examples(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    library.paste("Lighthouse", "", "", "The keeper counted forty ships.")
    [(_, kept)] = library.choices()
    rows, target, scope, chatbot = refresher(library, Chat(hash_assistant))("", [kept, "deleted-id"])
    assert [r[0] for r in rows] == ["Lighthouse"]
    assert target["choices"] == scope["choices"] == library.choices() and target["value"] is None
    assert scope["value"] == [kept]  # a deleted article drops out of the selection
    assert chatbot["examples"] == [{"text": "What does the article “Lighthouse” report?"}]


def test_clicking_a_row_picks_its_article() -> None:
    event = gr.SelectData(None, {"index": [0, 1], "value": "x", "row_value": ["T", "s", "", 1, "", "abc"]})
    assert picked_row(event) == "abc"


def test_row_helpers() -> None:
    stored = StoredArticle(
        id="a1", title="  Two\nlines ", url="https://example.com/a", published=None, source="/tmp/gradio/x/file.md",
        chunks=2, added_at=dt.datetime(2024, 1, 2, 3, 4), content_hash="h",
    )  # fmt: skip
    assert article_row(stored) == ["  Two\nlines ", "file.md", "", 2, "2024-01-02 03:04", "a1"]
    assert choice_label(stored) == "Two lines (a1)"
    assert matches(stored, "two A1") and not matches(stored, "three")
    assert (
        source_name("https://example.com/a/b") == "https://example.com/a/b"
        and source_name("pasted") == "pasted"
    )
    assert pasted_article("T", " https://example.com ", "", "x").url == "https://example.com"


def test_upload_outside_a_request_needs_no_progress_bar(hash_assistant: Assistant, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    assert Library(hash_assistant).upload([str(note)]).startswith("✅ 1 added")
