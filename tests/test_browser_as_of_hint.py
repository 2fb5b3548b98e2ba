"""The "Answer as of" box says what it does: empty hides nothing (a story dated ahead stays findable,
as docs/dates.md says), a day hides what was published after it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

import pytest

from rag import Article
from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.browser_support import ask, close_page, open_page, seeded_server
from tests.browser_support import browser as browser  # the fixtures: one chromium per module
from tests.browser_support import chromium as chromium

pytestmark = pytest.mark.slow

AHEAD = Article(
    title="Ferry terminal opening set",
    id="ferry-terminal",
    published=dt.date.today() + dt.timedelta(days=3),  # dated ahead, as a newsroom in a later time zone does
    text="The new Skerrow ferry terminal will open to passengers on a Saturday in spring, the port said.",
)


@pytest.fixture(scope="module")
def base_url(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[str]:
    with seeded_server(tmp_path_factory.mktemp("as-of-hint"), minilm, AHEAD) as running:
        yield running.base + "/"


def test_empty_answer_as_of_hides_nothing_and_says_so(browser: Any, base_url: str) -> None:
    tab = open_page(browser, base_url)
    hint = tab.locator("#as-of").inner_text()
    answer = ask(tab, "When will the Skerrow ferry terminal open?")
    assert "Ferry terminal opening set" in answer.inner_text()  # empty: the story dated ahead is found
    assert "hides nothing" in hint and "Later articles are hidden" not in hint, hint
    tab.fill("#as-of textarea, #as-of input", dt.date.today().isoformat())
    hidden = ask(tab, "When will the Skerrow ferry terminal open?")
    assert "Ferry terminal opening set" not in hidden.inner_text()  # a day hides what came after it
    close_page(tab)
