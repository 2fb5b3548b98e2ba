"""An empty question in the real browser: a friendly hint, no red error badges, and nothing in the log."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from rag import Article, Assistant, Settings
from tests.serve_process import Serving, serving
from tests.test_browser import browser as browser  # the fixtures: one chromium per module
from tests.test_browser import chromium as chromium
from ui.chat import EMPTY_QUESTION

pytestmark = pytest.mark.slow
STORY = "The harbour of Westport reopened on Monday after a storm closed it for a week."


@pytest.fixture(scope="module")
def served(chromium: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Serving]:
    data = tmp_path_factory.mktemp("empty-question")
    seeding = Assistant(Settings(data_dir=data, embedding_backend="hash"))
    assert seeding.ingest([Article(title="Harbour reopens", text=STORY)]).ok
    seeding.close()
    with serving(data, RAG_EMBEDDING_BACKEND="hash") as running:
        yield running


@pytest.fixture
def page(browser: Any, served: Serving) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    tab = context.new_page()
    tab.goto(served.base + "/")
    tab.wait_for_selector("#question textarea")
    yield tab
    context.close()


def visible_errors(page: Any) -> list[str]:
    """Texts of visible elements that announce an error (Gradio's toasts and status badges)."""
    return list(
        page.evaluate(
            """() => Array.from(document.querySelectorAll('body *'))
                .filter(e => e.offsetParent !== null && e.children.length === 0
                    && /^\\s*error\\s*$/i.test(e.textContent))
                .map(e => e.outerHTML)"""
        )
    )


@pytest.mark.parametrize("typed", ["", "   ", "\n"])
def test_an_empty_question_gets_a_hint_not_an_error(page: Any, served: Serving, typed: str) -> None:
    before = served.log.read_text()
    page.fill("#question textarea", typed)
    page.click("#question textarea")
    page.keyboard.press("Enter")
    page.get_by_text(EMPTY_QUESTION).first.wait_for(state="visible", timeout=10_000)
    page.wait_for_timeout(1000)  # let any late error badge appear
    assert visible_errors(page) == []
    assert page.locator("#chat .message").count() == 0  # nothing was asked
    page.click("#ask")
    page.wait_for_timeout(1000)
    assert visible_errors(page) == []
    logged = served.log.read_text()[len(before) :]
    assert "status=500" not in logged and "Traceback" not in logged and "Error" not in logged, logged
    # The chat still answers a real question afterwards.
    page.fill("#question textarea", "When did the harbour of Westport reopen?")
    page.keyboard.press("Enter")
    page.wait_for_selector("#chat .answer:not(.pending)", timeout=60_000)
    assert "Monday" in page.locator("#chat .answer").last.inner_text()
    assert not page.get_by_text(EMPTY_QUESTION).first.is_visible()  # the hint went with the empty box
