"""The chat a new user first sees, before any article is added: no bare "Try:", a pointer to the library."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from tests.browser_support import ask, close_page, open_add_forms, open_page, open_tab
from tests.browser_support import browser as browser  # the fixtures: one chromium per module
from tests.browser_support import chromium as chromium
from tests.browser_support import page as page  # a fresh tab on base_url
from tests.serve_process import serving

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base_url(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """`rag serve` over an empty data folder (the model-free embedding: nothing here is about answers)."""
    with serving(tmp_path_factory.mktemp("empty"), RAG_EMBEDDING_BACKEND="hash") as running:
        yield running.base + "/"


def test_an_empty_archive_shows_no_examples_and_points_to_the_library(
    page: Any, browser: Any, base_url: str
) -> None:
    # The examples row said "Try:" with nothing after it, and asking said "run `rag ingest seeds/` first".
    page.wait_for_timeout(1000)  # the page's load event has filled (or not) the examples
    assert not page.locator("#examples").is_visible()
    answer = ask(page, "When does the ferry leave?")
    assert "Library tab" in answer.inner_text() and "rag ingest" not in answer.inner_text()

    open_tab(page, "Library")
    open_add_forms(page)
    page.locator("#paste-title input, #paste-title textarea").first.fill("Ferry timetable")
    page.locator("#paste-text textarea").fill("The first ferry to Lonsdale leaves at 7 a.m. on weekdays.")
    page.click("#add-article")
    page.wait_for_function("() => document.querySelector('#library-status')?.innerText.includes('1 added')")
    fresh = open_page(browser, base_url)  # examples are for a chat's first question: a new visitor's
    try:
        fresh.wait_for_selector("#examples button.example", state="visible")
        assert fresh.locator("#examples .examples-label").is_visible()
    finally:
        close_page(fresh)
