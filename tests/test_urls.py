"""Article links: only http(s) URLs are stored, whichever way an article comes in."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Article, Assistant
from rag.errors import InputError
from rag.urls import check_article_url, is_web_url


@pytest.mark.parametrize(
    ("url", "ok"),
    [
        ("https://example.com/news/1", True),
        ("HTTP://EXAMPLE.COM", True),
        ("https://example.com/a b", True),  # sloppy but harmless
        ("javascript:alert(1)", False),
        ("JavaScript:alert(1)", False),
        ("java\tscript:alert(1)", False),  # browsers drop the tab and run it
        ("\x01javascript:alert(1)", False),
        ("data:text/html,<script>alert(1)</script>", False),
        ("vbscript:msgbox(1)", False),
        ("file:///etc/passwd", False),
        ("//example.com/x", False),
        ("/news/1", False),
        ("http://", False),
        ("https://[::1", False),
    ],
)
def test_only_http_urls_with_a_host_are_web_urls(url: str, ok: bool) -> None:
    assert is_web_url(url) is ok


def test_check_says_none_for_no_link_and_trims_spaces_and_refuses_the_rest() -> None:
    assert (
        check_article_url("") is None and check_article_url(" \n") is None and check_article_url(None) is None
    )
    assert check_article_url("  https://example.com/x \n") == "https://example.com/x"
    with pytest.raises(InputError, match="not an http"):
        check_article_url("javascript:alert(1)")


def test_ingest_refuses_an_article_with_a_script_link_and_stores_nothing(hash_assistant: Assistant) -> None:
    """Storage bookkeeping only, so the hash embedding does."""
    report = hash_assistant.ingest(
        [
            Article(title="Bad link", text="The ferry left at noon.", url="javascript:alert(1)"),
            Article(title="Good link", text="The ferry came back at six.", url="https://example.com/f"),
        ]
    )
    assert len(report.added) == 1 and len(report.failures) == 1
    assert "javascript:alert(1)" in report.failures[0].reason and "http(s)" in report.failures[0].reason
    assert [a.url for a in hash_assistant.articles()] == ["https://example.com/f"]


def test_a_markdown_file_with_a_script_link_is_a_per_file_failure(
    hash_assistant: Assistant, tmp_path: Path
) -> None:
    """Front matter is where a file's link comes from; the hash embedding suffices for bookkeeping."""
    bad = tmp_path / "bad.md"
    bad.write_text("---\ntitle: Trap\nurl: javascript:alert(document.cookie)\n---\n\nText here.\n")
    good = tmp_path / "good.md"
    good.write_text("---\ntitle: Fine\nurl: https://example.com/fine\n---\n\nOther text here.\n")
    report = hash_assistant.ingest([tmp_path])
    assert len(report.added) == 1
    assert len(report.failures) == 1 and report.failures[0].source.endswith("bad.md")
    assert [a.title for a in hash_assistant.articles()] == ["Fine"]
