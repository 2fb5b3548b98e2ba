"""Text a browser can hold but Unicode cannot, typed into the chat: a clear hint, never an "Error" badge.

A lone surrogate (half of a UTF-16 pair, left by a broken paste or a script) is a valid JavaScript
string; Gradio's queue could not send it back to the page, so the turn died with "Error" on the
chat and the question box and a traceback in the server log.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.browser_support import ask, close_page, open_page, seeded_server
from tests.browser_support import browser as browser  # the fixtures: one chromium per module
from tests.browser_support import chromium as chromium

pytestmark = pytest.mark.slow

# Sets a box's value as a paste would, without the keyboard (which cannot type half a character).
TYPE_IN = """([selector, text]) => {
  const box = document.querySelector(selector);
  box.value = text;
  box.dispatchEvent(new Event('input', {bubbles: true}));
}"""


@pytest.fixture(scope="module")
def served(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[tuple[str, Path]]:
    """`rag serve` over the seed: its URL and its log."""
    with seeded_server(tmp_path_factory.mktemp("bad-text"), minilm) as running:
        yield running.base + "/", running.log


def test_a_lone_surrogate_in_the_question_gets_a_hint_and_the_chat_goes_on(
    browser: Any, served: tuple[str, Path]
) -> None:
    base_url, log = served
    tab = open_page(browser, base_url)
    tab.evaluate(TYPE_IN, ["#question textarea", "Who is Rodion \ud800 Miroshnik?"])
    tab.locator("#question textarea").press("Enter")
    tab.wait_for_function("() => /not valid Unicode/.test(document.querySelector('#question').innerText)")
    assert tab.locator("#chat .answer").count() == 0
    assert [t for t in tab.locator(".toast-body").all_inner_texts() if "Error" in t] == []
    answer = ask(tab, "Who is Rodion Miroshnik?")  # the same tab still answers
    assert "Miroshnik" in answer.inner_text()
    assert "Traceback" not in log.read_text()
    close_page(tab)
