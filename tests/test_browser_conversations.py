"""Saved conversations in the real browser, on a server with API keys: kept across a reload and a server
restart with their citations still clickable, listed newest first, renamed, deleted, and each key's
own (a user name is tied to the key it signed in with; the REST API sees the same conversations).
Without keys (as `make run` serves), the browser's own conversation is kept across both too.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.browser_support import ANSWER_MS, ask, check_axe, seeded_server
from tests.browser_support import browser as browser  # the fixtures: one chromium per module
from tests.browser_support import chromium as chromium
from tests.serve_process import serving

pytestmark = pytest.mark.slow

ANN, BEN = "ann-key-0123456789abcdef", "ben-key-0123456789abcdef"
FIRST, FOLLOW_UP = "Who is Rodion Miroshnik?", "And what did he say?"
ZELENSKIY = "What did Ukrainian President Volodymyr Zelenskiy rule out?"
KEYS = {"RAG_API_KEYS": f"{ANN},{BEN}"}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The data folder the server (and its restart) serves."""
    return tmp_path_factory.mktemp("conversations")


class Server:
    """A `rag serve` over the seed (with ``env`` settings), which a test may restart on the same port."""

    def __init__(self, data_dir: Path, embedder: SentenceTransformerEmbedder, **env: str) -> None:
        self.data_dir, self.env = data_dir, env
        self._stack = ExitStack()
        self.running = self._stack.enter_context(seeded_server(data_dir, embedder, **env))
        self.base, self.port = self.running.base, self.running.port

    def restart(self) -> None:
        """Stop the server and start it again on the same port: the browser keeps its origin and storage."""
        self._stack.close()
        self._stack = ExitStack()
        self.running = self._stack.enter_context(
            serving(self.data_dir, port=self.port, log=self.data_dir / "restart.log", **self.env)
        )

    def close(self) -> None:
        """Stop the server."""
        self._stack.close()


@pytest.fixture(scope="module")
def server(chromium: str, data_dir: Path, minilm: SentenceTransformerEmbedder) -> Iterator[Server]:
    """`rag serve` over the seed, with two API keys."""
    running = Server(data_dir, minilm, **KEYS)
    yield running
    running.close()


def signed_in(browser: Any, base: str, user: str, key: str, context: Any = None) -> Any:
    """A tab signed in to the chat UI as ``user`` with ``key`` (in ``context``, else a fresh profile)."""
    tab = (context or browser.new_context(viewport={"width": 1280, "height": 800})).new_page()
    tab.dialogs = []
    tab.goto(base + "/")
    log_in(tab, user, key)
    return tab


def log_in(tab: Any, user: str, key: str) -> None:
    """Fill in Gradio's login form and wait for the chat."""
    tab.get_by_label("username").fill(user)
    tab.get_by_label("password").fill(key)
    tab.get_by_role("button", name="Login").click()
    tab.wait_for_selector("#question textarea")


def api_titles(base: str, key: str) -> list[str]:
    """The conversation titles `GET /v1/conversations` gives ``key``."""
    response = httpx.get(f"{base}/v1/conversations", headers={"Authorization": f"Bearer {key}"})
    return [str(c["title"]) for c in response.json()]


def listed(tab: Any) -> list[str]:
    """The titles in the sidebar, top to bottom."""
    return [str(t) for t in tab.locator("#conversations .title").all_inner_texts()]


def cited_source_opens(tab: Any, answer_index: int = 0) -> None:
    """Clicking the answer's first [n] opens its source with the quote highlighted."""
    answer = tab.locator("#chat .answer").nth(answer_index)
    answer.locator("a.cite").first.click()
    source = answer.locator("details.source").first
    assert source.evaluate("d => d.open")
    assert "Miroshnik" in source.locator("mark").inner_text()


def test_a_conversation_survives_reload_and_restart(browser: Any, server: Server) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 800})
    tab = signed_in(browser, server.base, "ann", ANN, context)
    ask(tab, FIRST)
    tab.wait_for_function("() => document.querySelector('#conversations').innerText.includes('Miroshnik')")
    assert listed(tab) == [FIRST]
    check_axe(tab, "the chat with the conversation sidebar")

    tab.reload()
    tab.wait_for_function("() => document.querySelectorAll('#chat .answer').length === 1", timeout=ANSWER_MS)
    cited_source_opens(tab, 0)
    assert "aria-current" in tab.locator("#conversations button.open-conversation").first.evaluate(
        "b => b.outerHTML"
    )

    server.restart()
    tab.goto(server.base + "/")
    log_in(tab, "ann", ANN)  # sign-in sessions end with the process
    tab.wait_for_function("() => document.querySelectorAll('#chat .answer').length === 1", timeout=ANSWER_MS)
    cited_source_opens(tab, 0)
    # The follow-up still reads the reopened conversation (alone it would find nothing to go on).
    again = ask(tab, FOLLOW_UP)
    assert again.locator("a.cite").count() >= 1 and "Miroshnik" in again.inner_text(), again.inner_text()
    context.close()


def test_new_chat_list_order_rename_and_delete(browser: Any, server: Server) -> None:
    tab = signed_in(browser, server.base, "ann2", ANN)
    tab.click("#new-chat")
    tab.wait_for_function("() => !document.querySelector('#chat .answer')")
    ask(tab, ZELENSKIY)
    tab.wait_for_function("() => document.querySelector('#conversations').innerText.includes('Zelenskiy')")
    titles = listed(tab)
    assert titles[:2] == [ZELENSKIY, FIRST]  # newest first

    tab.locator("#conversations button.open-conversation", has_text=FIRST).click()
    tab.wait_for_function("() => document.querySelectorAll('#chat .answer').length === 2", timeout=ANSWER_MS)
    tab.locator("#conversation-tools").get_by_text("Rename or delete this conversation").click()
    box = "#conversation-title input, #conversation-title textarea"
    # The accordion renders its box after the click opens it (the fresh-clone CI on 5152be9 read it before:
    # querySelector gave null and the wait threw instead of waiting). The opened conversation's title
    # fills the box: typing before it arrives would be overwritten.
    tab.wait_for_selector(box, state="visible")
    tab.wait_for_function("([box, t]) => document.querySelector(box)?.value === t", arg=[box, FIRST])
    tab.fill(box, "Miroshnik's remarks")
    tab.click("#rename-conversation")
    tab.wait_for_function(
        "() => document.querySelector('#conversation-status').innerText.includes('Renamed')"
        " || document.querySelector('#conversation-status').innerText.includes('⚠')"
    )
    status = tab.locator("#conversation-status").inner_text()
    assert "Renamed to “Miroshnik's remarks”" in status, status
    tab.wait_for_function(
        "() => document.querySelector('#conversations').innerText.includes(\"Miroshnik's remarks\")"
    )
    tab.click("#delete-conversation")
    tab.click("#confirm-delete-conversation")
    tab.wait_for_function("() => !document.querySelector('#conversations').innerText.includes('remarks')")
    assert tab.locator("#chat .answer").count() == 0  # the chat starts afresh
    assert len(listed(tab)) == len(titles) - 1
    tab.context.close()


def test_each_key_sees_only_its_own_conversations(browser: Any, server: Server) -> None:
    ben = signed_in(browser, server.base, "ben", BEN)
    ben.wait_for_selector("#conversations .list-note")  # nothing of Ann's
    assert listed(ben) == []
    ask(ben, FIRST)
    ben.wait_for_function("() => document.querySelectorAll('#conversations .title').length === 1")
    ben.context.close()
    # The REST API with each key lists that key's conversations, the UI's included.
    assert api_titles(server.base, BEN) == [FIRST]
    assert api_titles(server.base, ANN) == [ZELENSKIY]  # Ann's first one was deleted in the test before
    # A user name stays with the key it signed in with: Ben's key cannot take "ann".
    intruder = browser.new_context().new_page()
    intruder.goto(server.base + "/")
    intruder.get_by_label("username").fill("ann")
    intruder.get_by_label("password").fill(BEN)
    intruder.get_by_role("button", name="Login").click()
    intruder.wait_for_selector("text=Incorrect Credentials")
    intruder.context.close()


def test_without_api_keys_the_browser_keeps_its_conversation_across_reload_and_restart(
    browser: Any, tmp_path: Path, minilm: SentenceTransformerEmbedder
) -> None:
    """As `make run` serves it: no keys, no sign-in; the browser's own conversation comes back."""
    server = Server(tmp_path, minilm)
    try:
        tab = browser.new_context(viewport={"width": 1280, "height": 800}).new_page()
        tab.goto(server.base + "/")
        tab.wait_for_selector("#question textarea")
        ask(tab, FIRST)
        tab.wait_for_function(
            "() => document.querySelector('#conversations').innerText.includes('Miroshnik')"
        )
        for step in ("reload", "restart"):
            if step == "restart":
                server.restart()
            tab.goto(server.base + "/")
            tab.wait_for_function(
                "() => document.querySelectorAll('#chat .answer').length === 1", timeout=ANSWER_MS
            )
            cited_source_opens(tab, 0)
            assert listed(tab) == [FIRST], step
        tab.context.close()
    finally:
        server.close()
