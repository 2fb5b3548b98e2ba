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
    tab.wait_for_selector("#examples button.example")  # the page's load events are done
    tab.evaluate(TYPE_IN, ["#question textarea", "Who is Rodion \ud800 Miroshnik?"])
    tab.locator("#question textarea").press("Enter")
    tab.wait_for_function("() => /Unicode|question/.test(document.querySelector('#question').innerText)")
    assert "not valid Unicode" in tab.locator("#question").inner_text()
    assert tab.locator("#chat .answer").count() == 0
    assert [t for t in tab.locator(".toast-body").all_inner_texts() if "Error" in t] == []
    answer = ask(tab, "Who is Rodion Miroshnik?")  # the same tab still answers
    assert "Miroshnik" in answer.inner_text()
    assert "Traceback" not in log.read_text()
    close_page(tab)


def test_a_lone_surrogate_in_a_title_or_a_rating_note_is_refused_with_a_message(
    browser: Any, served: tuple[str, Path]
) -> None:
    base_url, log = served
    tab = open_page(browser, base_url)
    ask(tab, "Who is Rodion Miroshnik?")
    # The conversation exists once it is listed (its id comes with the list, after the answer is saved):
    # a rename before that is told to ask a question first.
    tab.wait_for_function("() => document.querySelector('#conversations').innerText.includes('Miroshnik')")
    tab.locator("#conversation-tools").get_by_text("Rename or delete this conversation").click()
    tab.wait_for_selector("#conversation-title textarea, #conversation-title input", state="visible")
    tab.evaluate(TYPE_IN, ["#conversation-title textarea, #conversation-title input", "Miroshnik \ud800"])
    tab.click("#rename-conversation")
    # a message (the refusal, a warning, "ask a question first", "Renamed"), not the pending event's
    # elapsed time ("0.0s"), which is what the fresh-clone CI on f35a43a read
    try:
        tab.wait_for_function(
            "() => /Unicode|⚠|question|Renamed|rror/.test(document.querySelector('#conversation-status').innerText)"
        )
    finally:
        status = tab.locator("#conversation-status").inner_text()
        print("conversation status after Rename:", repr(status))
    assert "not valid Unicode" in status, status
    assert "Who is Rodion Miroshnik?" in tab.locator("#conversations").inner_text()  # the old title stays

    tab.locator("#chat .actions").last.locator("button.rate", has_text="Bad").click()
    tab.wait_for_selector("#feedback-row", state="visible")
    tab.evaluate(TYPE_IN, ["#feedback-note textarea", "Says \ud800 nothing"])
    tab.click("#save-note")
    tab.wait_for_function(
        "() => /not valid Unicode/.test(document.querySelector('#feedback-status').innerText)"
    )
    assert tab.locator("#feedback-row").is_visible()  # the note can be retyped
    assert [t for t in tab.locator(".toast-body").all_inner_texts() if "Error" in t] == []
    assert "Traceback" not in log.read_text()
    close_page(tab)
