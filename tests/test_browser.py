"""End to end in a real browser: `rag serve` driven by Debian's chromium through Playwright.

Citations open their highlighted sources, follow-ups get their own, uploads are answerable until
deleted, hostile titles stay text. The README's screenshots are taken here: into docs/ with
`make screenshots` (SCREENSHOTS_DIR=docs), into a temporary folder otherwise, so a test run leaves
the checkout as it found it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.browser_support import (
    ANSWER_MS,
    PHONE,
    ROOT,
    ask,
    close_page,
    open_add_forms,
    open_page,
    open_tab,
    seeded_server,
)
from tests.browser_support import browser as browser  # the fixtures: one chromium per module
from tests.browser_support import chromium as chromium
from tests.browser_support import page as page  # a fresh tab on base_url

SEED_SENTENCE = (
    '"The current regime (in Kyiv) is absolutely toxic, we do not see any options for co-existence '
    'with it at the moment," Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow.'
)
XSS = "<img src=x onerror=alert(1)>"
LANTERN = """---
title: Harbour lantern festival draws record crowds
url: https://example.com/news/lantern-festival
published: 2024-03-02
---

The harbour lantern festival drew a record crowd of 48,000 visitors on Saturday night.

Organisers said the lanterns were made from recycled paper by local schoolchildren.
"""
pytestmark = pytest.mark.slow

__all__ = ["ask", "open_tab"]  # used by the hostile-article tests


@pytest.fixture(scope="module")
def base_url(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[str]:
    """`rag serve` over the seed article."""
    with seeded_server(tmp_path_factory.mktemp("browser"), minilm) as running:
        yield running.base + "/"


@pytest.fixture
def shots(tmp_path: Path) -> Path:
    """Where screenshots go: SCREENSHOTS_DIR (relative to the checkout) when set, else a temp folder."""
    return ROOT / os.environ["SCREENSHOTS_DIR"] if os.environ.get("SCREENSHOTS_DIR") else tmp_path


def test_cited_answer_opens_its_highlighted_source(page: Any, shots: Path) -> None:
    # An earlier conversation, so the README screenshot shows the sidebar with more than one.
    ask(page, "When did Putin send troops into Ukraine?")
    page.click("#new-chat")
    page.wait_for_function("() => !document.querySelector('#chat .answer')")
    answer = ask(page, "Who is Rodion Miroshnik?")
    assert "[1]" in answer.locator(".answer-text").inner_text()
    source = answer.locator("details.source").first
    assert not source.evaluate("d => d.open")
    answer.locator("a.cite", has_text="[1]").first.click()
    assert source.evaluate("d => d.open")
    assert source.locator("mark").inner_text() == SEED_SENTENCE
    assert "Putin sent troops" in source.locator("blockquote").inner_text()  # the paragraph around it
    assert not answer.locator("details.debug").evaluate("d => d.open")  # debug view collapsed
    page.mouse.move(0, 0)
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    page.wait_for_timeout(1300)  # the opened source's highlight flash fades
    page.screenshot(path=str(shots / "screenshot.png"))
    assert (shots / "screenshot.png").stat().st_size > 10_000


def test_phone_screenshot(browser: Any, base_url: str, shots: Path) -> None:
    phone = open_page(browser, base_url, PHONE, device_scale_factor=2, is_mobile=True, has_touch=True)
    answer = ask(phone, "Who is Rodion Miroshnik?")
    answer.locator("a.cite").first.click()
    assert answer.locator("details.source").first.evaluate("d => d.open")
    phone.evaluate("() => document.activeElement && document.activeElement.blur()")
    phone.wait_for_timeout(1300)
    phone.screenshot(path=str(shots / "screenshot-phone.png"), full_page=True)
    assert (shots / "screenshot-phone.png").stat().st_size > 10_000
    close_page(phone)


def test_each_answer_cites_its_own_sources(page: Any) -> None:
    first = ask(page, "Who is Rodion Miroshnik?")
    second = ask(page, "And what did he say?")
    assert page.locator("#chat .answer").count() == 2
    assert "Miroshnik" in second.inner_text()
    # Every [n] points at the n-th listed source of its own answer, never another answer's.
    for answer in (first, second):
        pairs = answer.evaluate(
            "a => Array.from(a.querySelectorAll('a.cite')).map(c => {"
            " const n = Number(c.textContent.replace(/\\D/g, ''));"
            " const items = a.querySelectorAll('ol.sources > li > details.source');"
            " return [n, c.getAttribute('href').slice(1), items[n - 1] ? items[n - 1].id : null]; })"
        )
        assert pairs and all(href == listed for _, href, listed in pairs), pairs
    first_ids = set(first.evaluate("a => Array.from(a.querySelectorAll('details.source')).map(d => d.id)"))
    second_ids = set(second.evaluate("a => Array.from(a.querySelectorAll('details.source')).map(d => d.id)"))
    assert first_ids.isdisjoint(second_ids)  # fresh citations for the follow-up
    second.locator("a.cite").first.click()
    assert second.locator("details.source").first.evaluate("d => d.open")
    assert not first.locator("details.source").first.evaluate("d => d.open")
    page.click("#new-chat")
    page.wait_for_function("() => !document.querySelector('#chat .answer')")


def test_uploaded_article_is_answerable_until_deleted(page: Any, tmp_path: Path) -> None:
    upload = tmp_path / "lantern.md"
    upload.write_text(LANTERN, encoding="utf-8")
    open_tab(page, "Library")
    open_add_forms(page)
    page.set_input_files("#upload input[type=file]", str(upload))
    page.click("#add-files")
    page.wait_for_selector("#library-status :text('1 added')", timeout=ANSWER_MS)
    page.wait_for_selector("#articles :text('Harbour lantern festival draws record crowds')")
    row = page.locator("#articles li.article-row", has_text="Harbour lantern festival").first
    assert row.locator(".source").inner_text() == "lantern.md"  # its file name, not the upload's temp path

    open_tab(page, "Chat")
    answer = ask(page, "How many visitors came to the harbour lantern festival?")
    assert "48,000" in answer.locator(".answer-text").inner_text()
    answer.locator("a.cite").first.click()
    source = answer.locator("details.source").first
    assert "Harbour lantern festival" in source.locator("summary").inner_text()
    assert "2024-03-02" in source.locator("summary").inner_text()
    assert source.locator("a[href='https://example.com/news/lantern-festival']").count() == 1

    open_tab(page, "Library")
    page.fill("#search textarea, #search input", "lantern")
    page.locator("#articles button.read", has_text="Harbour lantern festival draws record crowds").click()
    page.wait_for_selector("#reader :text('Organisers said the lanterns')")
    page.click("#delete")
    page.wait_for_selector("#confirm-text :text('Harbour lantern festival')")
    page.click("#confirm-delete")
    page.wait_for_selector("#library-status :text('Deleted')")
    page.wait_for_selector("#articles", state="visible")  # back to the list
    page.fill("#search textarea, #search input", "")
    page.wait_for_function(
        "() => !document.querySelector('#articles').innerText.includes('lantern festival')"
    )

    open_tab(page, "Chat")
    after = ask(page, "How many visitors came to the harbour lantern festival?")
    assert "48,000" not in after.inner_text()
    assert "lantern festival" not in after.inner_text().lower()


def test_hostile_title_is_shown_as_text_and_runs_nothing(page: Any) -> None:
    open_tab(page, "Library")
    open_add_forms(page)
    page.fill("#paste-title textarea, #paste-title input", XSS)
    page.fill("#paste-url textarea, #paste-url input", "javascript:alert(2)")
    page.fill("#paste-text textarea", "The lighthouse keeper counted forty ships in the harbour on Sunday.")
    page.click("#add-article")
    page.wait_for_selector("#library-status :text('link must be an http')")  # a bad link is refused
    page.fill("#paste-url textarea, #paste-url input", "")
    page.click("#add-article")
    page.wait_for_selector("#library-status :text('1 added')", timeout=ANSWER_MS)
    page.wait_for_selector(f"#articles :text('{XSS}')")

    open_tab(page, "Chat")
    answer = ask(page, "How many ships did the lighthouse keeper count?")
    answer.locator("a.cite").first.click()
    assert answer.locator("details.source summary .title").first.inner_text() == XSS
    assert page.locator("img[src='x']").count() == 0
    assert re.search(r"forty ships", answer.inner_text())
    page.wait_for_timeout(300)  # give any injected handler the chance to fire: the fixture checks dialogs


def test_answer_actions_copy_rate_with_a_note_and_ask_again(browser: Any, base_url: str) -> None:
    tab = open_page(browser, base_url, permissions=["clipboard-read", "clipboard-write"])
    ask(tab, "Who is Rodion Miroshnik?")
    bar = tab.locator("#chat .actions").last
    bar.locator("button.copy").click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied.startswith(SEED_SENTENCE + " [1]\n\nSources:\n[1] Russia says co-existence"), copied
    assert f"\n    {SEED_SENTENCE}" in copied and '""' not in copied  # the quote, quoted once

    bar.locator("button.rate", has_text="Bad").click()
    tab.wait_for_selector("#feedback-row", state="visible")
    tab.fill("#feedback-note textarea, #feedback-note input", "Says what he said, not who he is.")
    tab.click("#save-note")
    tab.wait_for_selector("#feedback-row", state="hidden")
    exchange = int(str(bar.get_attribute("id")).removeprefix("exchange-"))
    saved = [
        e
        for c in httpx.get(f"{base_url}v1/conversations").json()
        for e in httpx.get(f"{base_url}v1/conversations/{c['id']}").json()["exchanges"]
        if e["id"] == exchange
    ]
    assert saved[0]["feedback"] == {"rating": -1, "note": "Says what he said, not who he is."}

    bar.locator("button.ask-again").click()
    tab.wait_for_function("() => document.querySelectorAll('#chat .answer:not(.pending)').length === 2")
    questions = tab.locator("#chat .user-row, #chat .message.user").all_inner_texts()
    assert [q.strip() for q in questions][-2:] == ["Who is Rodion Miroshnik?"] * 2, questions
    close_page(tab)


def test_a_source_copies_its_quote_and_opens_its_article_with_the_quote_marked(
    browser: Any, base_url: str
) -> None:
    tab = open_page(browser, base_url, permissions=["clipboard-read", "clipboard-write"])
    answer = ask(tab, "Who is Rodion Miroshnik?")
    answer.locator("a.cite").first.click()
    source = answer.locator("details.source").first
    source.locator("button.copy").click()
    copied = tab.evaluate("navigator.clipboard.readText()")
    assert copied.startswith("[1] Russia says co-existence") and copied.endswith(f"\n    {SEED_SENTENCE}"), (
        copied
    )

    source.locator("button.open-article").click()
    tab.wait_for_selector("#reader mark")
    assert tab.locator("#reader mark").all_inner_texts() == [SEED_SENTENCE]
    assert (
        "Putin sent troops into Ukraine" in tab.locator("#reader .article-text").inner_text()
    )  # the whole text
    assert tab.get_by_role("tab", name="Library").get_attribute("aria-selected") == "true"
    mark = tab.locator("#reader mark").bounding_box()
    assert mark and 0 <= mark["y"] <= 800  # scrolled to the quote
    tab.click("#reader-back")
    tab.wait_for_selector("#articles button.read")
    close_page(tab)


def test_closest_sources_show_a_snippet_each(page: Any) -> None:
    answer = ask(page, "What is the recipe for banana bread?")
    snippets = answer.locator("ul.closest summary .snippet").all_inner_texts()
    assert len(snippets) == 3 and len(set(snippets)) == 3, snippets  # same title, told apart by their text
    assert all(0 < len(s) <= 161 for s in snippets)
