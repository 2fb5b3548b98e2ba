"""Answers other clients can render: a hostile article's markup is inert in every answer text the API
sends, rendered by a real markdown renderer with raw HTML on and link checks off, as a careless client would.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from html.parser import HTMLParser
from typing import Any

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st
from markdown_it import MarkdownIt

from rag import Article
from rag.citations import marker_numbers
from tests.live_server import serving_articles
from ui.api.safe_markdown import StreamNeutraliser, neutralise

HOSTILE = (
    "The Brackwater museum shows a whale skeleton that is 19 metres long <img src=x onerror=alert('img')>. "
    "Visitors can read [the guide](javascript:alert('link')) at the door <script>alert('script')</script>. "
    "Tickets are sold at ![the kiosk](javascript:alert('image')) beside the whale skeleton.\n\n"
    "[1]: javascript:alert('definition')\n\n"
    "The skeleton hangs above <a href=\"javascript:alert('a')\" onclick=\"alert('click')\">the hall</a> "
    "since 1920, the whale skeleton curator said."
)
QUESTION = "How long is the whale skeleton in the Brackwater museum?"
# What must never come out of a rendered answer: any tag but these, any on* attribute, any non-http(s) link.
ALLOWED_TAGS = {
    "p",
    "a",
    "em",
    "strong",
    "code",
    "pre",
    "br",
    "ul",
    "ol",
    "li",
    "blockquote",
    "h1",
    "h2",
    "hr",
}


def careless_renderer() -> MarkdownIt:
    """CommonMark with raw HTML allowed and every link target accepted (markdown-it refuses javascript: itself)."""
    md = MarkdownIt("commonmark", {"html": True})
    md.validateLink = lambda url: True  # type: ignore[method-assign]
    return md


class _Elements(HTMLParser):
    """The elements of an HTML fragment with their attributes, as a browser would parse them."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, attrs))


def dangers(markdown: str) -> list[str]:
    """What a browser would run or follow in ``markdown`` once rendered by the careless renderer."""
    parser = _Elements()
    parser.feed(careless_renderer().render(markdown))
    found: list[str] = []
    for tag, attrs in parser.found:
        found += [f"<{tag}>"] if tag not in ALLOWED_TAGS else []
        found += [f"{name}=" for name, _ in attrs if name.startswith("on")]
        found += [
            v for n, v in attrs if n in ("href", "src") and not (v or "").startswith(("http://", "https://"))
        ]
    return found


def test_the_renderer_finds_the_dangers_of_the_raw_text() -> None:
    """The check can fail: the article text as stored runs scripts once rendered."""
    assert {"<img>", "<script>"} <= set(dangers(HOSTILE))
    assert "javascript:alert('link')" in dangers(HOSTILE)


@pytest.mark.parametrize(
    ("text", "safe"),
    [
        ("a <img src=x onerror=alert(1)> [1]", "a &lt;img src=x onerror=alert(1)> [1]"),
        ("[x](javascript:alert(1)) [2]", "[x]\\(javascript&#58;alert(1)) [2]"),
        ("![x](data:text/html,hi)", "![x]\\(data:text/html,hi)"),
        ("[x](https://example.com/a) [3][4]", "[x](https://example.com/a) [3][4]"),
        ("[1]: javascript:alert(1)\nAs said [1].", "[1]\\: javascript&#58;alert(1)\nAs said [1]."),
        ("It rose [1]: by 5%.", "It rose [1]: by 5%."),
        ("x < 5 and y > 3 [1]", "x &lt; 5 and y > 3 [1]"),
        ("Plain text [12], nothing else.", "Plain text [12], nothing else."),
    ],
)
def test_neutralise(text: str, safe: str) -> None:
    assert neutralise(text) == safe
    assert dangers(neutralise(text)) == []


RISKY = st.text(alphabet=st.sampled_from(list("<>[]()!:\\/ \n`*&#;\"'=javscriptoe1h2x")), max_size=80)


@given(RISKY, st.lists(st.integers(min_value=1, max_value=12), max_size=20))
def test_neutralised_text_is_inert_keeps_its_markers_and_streams_alike(text: str, cuts: list[int]) -> None:
    safe = neutralise(text)
    assert dangers(safe) == [], (text, safe)
    assert marker_numbers(safe) == marker_numbers(text)
    assert neutralise(safe) == safe  # applying it twice (a stored answer shown again) changes nothing
    stream, sent, at = StreamNeutraliser(), [], 0
    for cut in cuts:
        sent.append(stream.feed(text[at : at + cut]))
        at += cut
    sent += [stream.feed(text[at:]), stream.finish()]
    assert "".join(sent) == safe


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    articles = [Article(title="Brackwater museum", text=HOSTILE, id="museum")]
    with serving_articles(tmp_path_factory.mktemp("markup"), articles) as url:
        yield url


def _sse(response: httpx.Response) -> list[tuple[str, str]]:
    events, name = [], "message"
    for line in response.text.splitlines():
        if line.startswith("event: "):
            name = line[len("event: ") :]
        elif line.startswith("data: "):
            events.append((name, line[len("data: ") :]))
            name = "message"
    return events


def _rest_answer(base: str) -> list[str]:
    answer = httpx.post(base + "/v1/ask", json={"question": QUESTION}, timeout=60).json()
    assert answer["citations"], answer
    return [answer["text"]]


def _rest_stream(base: str) -> list[str]:
    response = httpx.post(base + "/v1/ask/stream", json={"question": QUESTION}, timeout=60)
    events = _sse(response)
    deltas = "".join(json.loads(data)["text"] for name, data in events if name == "delta")
    [final] = [json.loads(data) for name, data in events if name == "answer"]
    assert deltas == final["text"]  # the deltas add up to the answer's (safe) text
    return [deltas, final["text"]]


def _chat(base: str, stream: bool) -> list[str]:
    body: dict[str, Any] = {"model": "article-rag", "messages": [{"role": "user", "content": QUESTION}]}
    response = httpx.post(base + "/v1/chat/completions", json={**body, "stream": stream}, timeout=60)
    if not stream:
        return [response.json()["choices"][0]["message"]["content"]]
    chunks = [json.loads(d) for _, d in _sse(response) if d != "[DONE]"]
    return ["".join(c["choices"][0]["delta"].get("content") or "" for c in chunks if c["choices"])]


@pytest.mark.parametrize(
    "answer_texts",
    [_rest_answer, _rest_stream, lambda base: _chat(base, False), lambda base: _chat(base, True)],
    ids=["ask", "ask-stream", "chat-completions", "chat-completions-stream"],
)
def test_answers_quoting_a_hostile_article_render_inert(base: str, answer_texts: Any) -> None:
    for text in answer_texts(base):
        assert "whale skeleton" in text
        assert marker_numbers(text), text  # the markers survive
        assert dangers(text) == [], text
        assert "<img" not in text and "<script" not in text and "javascript:" not in text.lower()
