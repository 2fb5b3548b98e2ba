"""The library tab's callbacks: upload, paste, list and search, delete with confirmation, refresh."""

from __future__ import annotations

import datetime as dt
import html
import re
from pathlib import Path
from typing import Any

import pytest

from rag import Assistant
from rag.types import StoredArticle
from tests.test_ui import XSS
from ui.library import Library, choice_label, pasted_article
from ui.library_html import (
    LIST_LIMIT,
    ListFilter,
    matches,
    render_list,
    render_reader,
    select_articles,
    source_name,
)
from ui.library_tab import ask_to_delete, refresher

READ_BUTTON = re.compile(r'<button type="button" class="read" data-article="([^"]*)">(.*?)</button>')


def titles(listing: str) -> list[str]:
    """The titles an article list shows, as a reader sees them."""
    return [html.unescape(title) for _, title in READ_BUTTON.findall(listing)]


def stored(title: str, published: dt.date | None, added_day: int = 1, **kw: Any) -> StoredArticle:
    """A stored article with defaults for what a test does not care about."""
    fields: dict[str, Any] = {
        "id": title.lower(), "url": "", "source": "/tmp/gradio/x/file.md", "chunks": 2, "content_hash": "h",
    }  # fmt: skip
    fields.update(kw)
    return StoredArticle(title=title, published=published, added_at=dt.datetime(2024, 1, added_day), **fields)


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
    listing = Library(hash_assistant).listing()
    assert titles(listing) == ["Lanterns"]
    assert "Published 2024-03-02" in listing and "lanterns.md" in listing and str(tmp_path) not in listing
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


def test_two_pastes_under_one_title_are_two_articles_and_a_repaste_is_none(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    assert library.paste("Notes", "", "", "The keeper counted forty ships.").startswith("✅ 1 added")
    assert library.paste("Notes", "", "", "The ferry leaves at nine.").startswith("✅ 1 added")
    assert library.paste("Notes", "", "", "The ferry leaves at nine.").startswith(
        "✅ 0 added, 0 updated, 1 unchanged"
    )
    assert titles(library.listing()) == ["Notes", "Notes"]
    texts = sorted(hash_assistant.article(a.id).text for a in hash_assistant.articles())
    assert texts == ["The ferry leaves at nine.", "The keeper counted forty ships."]
    # the same story again with its date added is that article, dated
    dated = library.paste("Notes", "", "2024-05-01", "The ferry leaves at nine.")
    assert dated.startswith("✅ 0 added, 1 updated") and len(hash_assistant.articles()) == 2


@pytest.mark.parametrize(
    ("title", "url", "published", "text", "message"),
    [
        ("T", "", "", "  ", "Paste the article's text first."),
        (" ", "", "", "Text.", "Give the article a title."),
        ("T", "javascript:alert(1)", "", "Text.", "The link must be an http(s) URL, or left empty."),
        (
            "T",
            "",
            "21/11/",
            "Text.",
            "Cannot read the published date '21/11/': write it like 2026-12-07 or 7 Dec 2026.",
        ),
        (
            "T",
            "",
            "07/12/2026",
            "Text.",
            "The published date '07/12/2026' could be either of two days: write it like 2026-12-07 or 7 Dec 2026.",
        ),
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
    listing = library.listing()
    assert titles(listing) == [XSS] and "<img" not in listing  # shown as text
    [(label, article_id)] = library.choices()
    assert label.startswith(XSS)
    assert "<img" not in library.confirm_text(article_id) and "&lt;img" in library.confirm_text(article_id)
    assert "<img" not in library.delete(article_id)


def test_search_filters_the_list(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    library.paste("Harbour lanterns", "", "", "The festival drew 48,000 visitors.")
    library.paste("Lighthouse keeper", "", "", "The keeper counted forty ships.")
    assert titles(library.listing("lantern")) == ["Harbour lanterns"]
    assert titles(library.listing("KEEPER lighthouse")) == ["Lighthouse keeper"]
    assert len(titles(library.listing(""))) == len(titles(library.listing(None))) == 2
    assert titles(library.listing("nothing-like-this")) == []
    assert "No article matches." in library.listing("nothing-like-this")


def test_delete_asks_first_then_removes_the_article_from_answers(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    library.paste("Lighthouse", "", "", "The keeper counted forty ships in the harbour.")
    library.paste("Bakery", "", "", "The bakery sold two hundred loaves on Monday.")
    target = next(i for label, i in library.choices() if label.startswith("Lighthouse"))
    question, row = ask_to_delete(library)(target)
    assert "Delete **Lighthouse** and its 1 chunk?" in question and row["visible"] is True
    assert library.delete(target) == "Deleted **Lighthouse**."
    assert titles(library.listing()) == ["Bakery"]
    answer = hash_assistant.ask("How many ships did the keeper count?")
    assert "forty" not in answer.text and all(c.title != "Lighthouse" for c in answer.citations)


def test_delete_errors_are_friendly(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    assert library.delete(None) == "⚠️ Choose an article to delete first."
    assert library.delete("missing").startswith("⚠️ No article with id")
    assert ask_to_delete(library)(None)[0].startswith("⚠️ No article")
    assert library.confirm_text("missing").startswith("⚠️ No article")


def test_refresh_updates_list_scope_and_examples(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    library.paste("Lighthouse", "", "", "The keeper counted forty ships.")
    [(_, kept)] = library.choices()
    listing, scope, *examples = refresher(library)("", "", "", "published-desc", [kept, "deleted-id"])
    assert titles(listing) == ["Lighthouse"]
    assert scope["choices"] == library.choices()
    assert scope["value"] == [kept]  # a deleted article drops out of the selection
    assert examples[0] == {
        "__type__": "update",
        "value": "What does the article “Lighthouse” report?",
        "visible": True,
    }
    assert all(e["visible"] is False for e in examples[1:])


DAY = dt.date(2024, 3, 2)
ARTICLES = [
    stored("Undated", None, added_day=5),
    stored("Old", dt.date(2020, 1, 1), added_day=3),
    stored("Middle", DAY, added_day=4, url="https://example.com/middle"),
    stored("New", dt.date(2025, 6, 30), added_day=1),
]


@pytest.mark.parametrize(
    ("where", "expected"),
    [
        (ListFilter(), ["New", "Middle", "Old", "Undated"]),  # undated last
        (ListFilter(order="published-asc"), ["Old", "Middle", "New", "Undated"]),
        (ListFilter(order="added-desc"), ["Undated", "Middle", "Old", "New"]),
        (ListFilter(published_from=DAY), ["New", "Middle"]),  # a date bound leaves out undated ones
        (ListFilter(published_to=DAY), ["Middle", "Old"]),
        (ListFilter(published_from=DAY, published_to=DAY), ["Middle"]),
        (ListFilter(query="example.com"), ["Middle"]),  # words match the URL, source and id too
        (ListFilter(query="file.md new"), ["New"]),
    ],
)
def test_the_list_filters_by_words_and_dates_and_sorts(where: ListFilter, expected: list[str]) -> None:
    assert [a.title for a in select_articles(ARTICLES, where)] == expected


def test_bad_filter_dates_say_how_to_write_them(hash_assistant: Assistant) -> None:
    library = Library(hash_assistant)
    library.paste("Lighthouse", "", "2 Mar 2024", "The keeper counted forty ships.")
    listing = library.listing("", "2024-13-01", "")
    assert "Cannot read the “Published from” date '2024-13-01'" in html.unescape(listing)
    assert titles(listing) == ["Lighthouse"]  # the list stays
    assert "could be either of two days" in library.listing("", "", "03/02/2024")


def test_filter_dates_the_wrong_way_round_say_so_as_the_chat_does(hash_assistant: Assistant) -> None:
    # It listed "0 of 1 articles. No article matches.", as if the library held nothing in the range.
    library = Library(hash_assistant)
    library.paste("Lighthouse", "", "2 Mar 2024", "The keeper counted forty ships.")
    listing = html.unescape(library.listing("", "2024-06-01", "2024-05-01"))
    assert "The published dates are the wrong way round" in listing and "swap them" in listing
    assert titles(listing) == ["Lighthouse"]  # the list stays


def test_filter_dates_are_read_as_the_paste_form_reads_them(hash_assistant: Assistant) -> None:
    """ "2 Mar 2024" went into the paste form but the filter boxes took only YYYY-MM-DD."""
    library = Library(hash_assistant)
    library.paste("Lighthouse", "", "2 Mar 2024", "The keeper counted forty ships.")
    assert titles(library.listing("", "2 Mar 2024", "2024/03/02")) == ["Lighthouse"]
    assert titles(library.listing("", "3 Mar 2024", "")) == []


def test_each_entry_shows_title_date_source_and_a_copyable_id() -> None:
    listing = render_list(ARTICLES, len(ARTICLES))
    assert "4 articles" in listing
    assert titles(listing) == ["Undated", "Old", "Middle", "New"]
    assert 'class="copy-id copy" value="middle"' in listing and "<code>middle</code>" in listing
    assert "Published 2024-03-02" in listing and "Published no date" in listing
    assert "file.md" in listing and "/tmp/gradio" not in listing  # files by name


def test_long_lists_are_cut_and_say_how_to_narrow_them() -> None:
    many = [stored(f"A{i}", None) for i in range(LIST_LIMIT + 5)]
    listing = render_list(many, len(many) + 3)
    assert len(titles(listing)) == LIST_LIMIT and f"The first {LIST_LIMIT} of {LIST_LIMIT + 5}" in listing
    assert "No articles yet" in render_list([], 0)


def test_the_reader_shows_the_whole_text_with_cited_spans_marked() -> None:
    text = "First <b>sentence</b>. Second sentence.\n\nThird one."
    article = stored("Reader <i>", DAY, text=text)
    shown = render_reader(article, [(23, 39), (0, 5), (3, 10), (47, 999)])
    assert "<b>" not in shown and "<i>" not in shown and "&lt;b&gt;" in shown
    assert "<mark>First &lt;b&gt;s</mark>" in shown  # overlapping spans merge
    assert "<mark>Second sentence.</mark>" in shown and "<mark>one.</mark>" in shown  # clipped to the text
    assert "3 cited passages highlighted" in render_reader(article, [(0, 1), (2, 3), (4, 5)])
    assert "<mark>" not in render_reader(article)


def test_row_helpers() -> None:
    article = stored("  Two\nlines ", None, id="a1")
    assert choice_label(article) == "Two lines (a1)"
    assert matches(article, "two A1") and not matches(article, "three")
    assert (
        source_name("https://example.com/a/b") == "https://example.com/a/b"
        and source_name("pasted") == "pasted"
    )
    assert pasted_article("T", " https://example.com ", "", "x").url == "https://example.com"


def test_upload_outside_a_request_needs_no_progress_bar(hash_assistant: Assistant, tmp_path: Path) -> None:
    note = tmp_path / "note.md"
    note.write_text(NOTE, encoding="utf-8")
    assert Library(hash_assistant).upload([str(note)]).startswith("✅ 1 added")
