"""The short answer inside a quote, through every door: the library, REST, the OpenAI-compatible
endpoint and the chat UI in real Chromium (bold), plus an abstention that says why."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from rag import Assistant
from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.browser_support import ask, close_page, open_page, seeded_server
from tests.browser_support import browser as browser  # the fixtures: one chromium per module
from tests.browser_support import chromium as chromium

QUESTION = "When did Putin send troops into Ukraine?"
SHORT = "February 2022"
FOLLOW_UP = "And what did Russia say about the ICC's arrest warrant for him?"
pytestmark = pytest.mark.slow


def test_the_library_marks_the_short_answer_in_article_offsets(seeded: Assistant) -> None:
    answer = seeded.ask(QUESTION)
    (first, *_) = answer.citations
    text = seeded.article(first.article_id).text
    assert first.answer_start is not None and first.answer_end is not None
    assert text[first.answer_start : first.answer_end] == SHORT
    assert first.start <= first.answer_start < first.answer_end <= first.end


def test_an_on_topic_question_the_article_does_not_answer_is_abstained_with_a_reason(
    seeded: Assistant,
) -> None:
    answer = seeded.ask("How many Russian soldiers have died in Ukraine according to Miroshnik?")
    assert answer.abstained and not answer.citations
    assert answer.text.startswith("The articles mention")


def test_a_follow_up_is_resolved_and_a_fresh_question_is_not(seeded: Assistant) -> None:
    first = seeded.ask("Who issued an arrest warrant for Putin?")
    assert "International Criminal Court" in first.citations[0].quote
    history = [("Who issued an arrest warrant for Putin?", first.text)]
    follow = seeded.ask("and what did Russia say about that?", history=history)
    assert follow.search_query != "and what did Russia say about that?" and "warrant" in follow.search_query
    assert "has rejected the allegations against Putin" in follow.citations[0].quote
    fresh = seeded.ask(QUESTION, history=history)
    assert fresh.search_query == QUESTION and SHORT in fresh.citations[0].quote


@pytest.fixture(scope="module")
def base(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[str]:
    """`rag serve` over the seed article."""
    with seeded_server(tmp_path_factory.mktemp("short-answer"), minilm) as running:
        yield running.base


def test_rest_and_openai_citations_carry_the_short_answer(base: str) -> None:
    with httpx.Client(base_url=base, timeout=120) as client:
        answer = client.post("/v1/ask", json={"question": QUESTION}).json()
        chat = client.post(
            "/v1/chat/completions",
            json={"model": "article-rag", "messages": [{"role": "user", "content": QUESTION}]},
        ).json()
        text = client.get(f"/v1/articles/{answer['citations'][0]['article_id']}").json()["text"]
    for citation in (answer["citations"][0], chat["citations"][0]):
        assert text[citation["answer_start"] : citation["answer_end"]] == SHORT


def test_the_chat_shows_the_short_answer_in_bold(browser: Any, base: str) -> None:
    page = open_page(browser, base + "/")
    try:
        answer = ask(page, QUESTION)
        strong = answer.locator(".answer-text strong").first
        assert strong.inner_text() == SHORT
        assert int(strong.evaluate("e => getComputedStyle(e).fontWeight")) >= 600
    finally:
        close_page(page)
