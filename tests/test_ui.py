"""The chat shell: escaping what the chat renders, and the `/chat` API's plain-text replies."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from rag import Article, Assistant, Citation, Passage, Settings
from rag.citations import ABSTAIN_TEXT, CLOSEST_HEADING, SOURCES_HEADING, chat_turns, message_text
from ui.app import build_app, chat_fn
from ui.chat_api import ERROR_PREFIX, answer_of_reply
from ui.escaping import escape_answer, escape_text, safe_url

XSS = "<img src=x onerror=alert(1)>"
SEED_SENTENCE = (
    '"The current regime (in Kyiv) is absolutely toxic, we do not see any options for co-existence '
    'with it at the moment," Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow.'
)


def cite(
    index: int, title: str = "Title", url: str | None = None, quote: str = "A quoted sentence.", **kw: object
) -> Citation:
    """A citation with defaults for the fields a test does not care about."""
    fields: dict[str, object] = {"article_id": f"a{index}", "published": None, "start": 0, "end": len(quote)}
    fields.update(kw)
    return Citation(index=index, title=title, url=url, quote=quote, **fields)  # type: ignore[arg-type]


def passage(title: str = "Title", text: str = "Some passage text.", **kw: object) -> Passage:
    """A passage with defaults for the fields a test does not care about."""
    fields: dict[str, object] = {
        "article_id": "a",
        "url": None,
        "published": None,
        "start": 0,
        "end": len(text),
    }
    fields.update(kw)
    return Passage(title=title, text=text, score=0.5, **fields)  # type: ignore[arg-type]


def markdown_html(markdown: str) -> str:
    """The HTML a CommonMark renderer makes of chat markdown, to check what would reach the page."""
    markdown_it = pytest.importorskip("markdown_it")
    return str(markdown_it.MarkdownIt("commonmark").render(markdown))


# ---- rendering -------------------------------------------------------------------------------------


def test_titles_and_quotes_are_html_escaped() -> None:
    escaped = escape_text(f"{XSS} said so.")
    assert "<" not in escaped and escaped.count("&lt;img src=x onerror=alert(1)&gt;") == 1
    html = markdown_html(escaped)
    assert "<img" not in html and "&lt;img src=x onerror=alert(1)&gt;" in html  # shown as text


@pytest.mark.parametrize(
    "text",
    [
        "[click](javascript:alert(1))",
        "![pixel](https://evil.example/track.png)",
        "<script>alert(1)</script>",
        "`code` and *stars* and __under__ and $$x$$ and | pipes |",
        "[1]: javascript:alert(1)",
        "&lt;already escaped&gt;",
    ],
)
def test_article_text_never_becomes_markup(text: str) -> None:
    html = markdown_html(escape_answer(f"{text} [1]"))
    assert "<a " not in html and "<img" not in html and "<script" not in html and "<code" not in html
    assert "<em>" not in html and "[1]" in html


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "  JavaScript:alert(1)",
        "java\tscript:alert(1)",
        "vbscript:msgbox(1)",
        "data:text/html,<script>alert(1)</script>",
        "file:///etc/passwd",
        "ftp://example.com/a",
        "//evil.example/a",
        "http://",
        "http://[::1",
        "",
    ],
)
def test_only_http_urls_become_links(url: str) -> None:
    assert safe_url(url) == ""


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/a", "https://example.com/a"),
        ("HTTP://Example.com/a b", "HTTP://Example.com/a%20b"),
        ("https://example.com/wiki/A_(b)", "https://example.com/wiki/A_%28b%29"),
        ('https://example.com/"><img src=x>', "https://example.com/%22%3E%3Cimg%20src=x%3E"),
        ("https://example.com/é", "https://example.com/%C3%A9"),
    ],
)
def test_links_are_encoded_so_they_cannot_break_out(url: str, expected: str) -> None:
    assert safe_url(url) == expected


def test_markers_are_kept_but_not_as_link_syntax() -> None:
    assert escape_answer("A. [1] B. [12]") == "A. [1] B. [12]"
    assert escape_answer("[1](javascript:x)") == "&#91;1&#93;(javascript:x)"


# ---- history ---------------------------------------------------------------------------------------


def test_turns_pair_questions_with_answer_texts() -> None:
    reply = "It is <big>. [1]\n\nSources:\n[1] Title\n    A quoted sentence."
    history: list[dict[str, Any]] = [
        {"role": "user", "content": "First?"},
        {"role": "assistant", "content": reply},
        {"role": "user", "content": [{"type": "text", "text": "Empty?"}]},
        {"role": "assistant", "content": [{"type": "text", "text": ERROR_PREFIX + "The question is empty."}]},
        {"role": "user", "content": [{"type": "text", "text": "Second?"}]},
        {"role": "assistant", "content": [{"type": "text", "text": "Plain."}]},
        {"role": "user", "content": "Unanswered?"},
    ]
    assert chat_turns(history, answer_of_reply) == [("First?", "It is <big>. [1]"), ("Second?", "Plain.")]
    assert chat_turns([["First?", reply]], answer_of_reply) == [("First?", "It is <big>. [1]")]  # pairs too


def test_message_text_ignores_files() -> None:
    content = [{"type": "file", "file": {"path": "/tmp/x.png"}}, {"type": "text", "text": "hi"}]
    assert message_text(content) == "hi"
    assert message_text(None) == ""


# ---- the chat callback -----------------------------------------------------------------------------


@pytest.fixture
def chat_assistant(tmp_path: Path) -> Iterator[Assistant]:
    """A hash-embedding assistant holding the seed article and one hostile article."""
    assistant = Assistant(Settings(data_dir=tmp_path / "chat", embedding_backend="hash"))
    hostile = Article(
        title=XSS,
        text="The lighthouse keeper counted forty ships in the harbour on Sunday morning.",
        url='https://example.com/ships?q="><script>alert(1)</script>',  # ingest refuses javascript: links
        published=dt.date(2024, 5, 1),
    )
    report = assistant.ingest([Path(__file__).parent.parent / "seeds" / "000_e9d55681bf2b99fb.txt", hostile])
    assert report.ok, report.failures
    yield assistant
    assistant.close()


def test_chat_streams_text_then_the_answer_with_sources(seeded: Assistant) -> None:
    outputs = list(chat_fn(seeded)("Who is Rodion Miroshnik?", []))
    assert len(outputs) >= 2
    *partials, final = outputs
    assert all(SOURCES_HEADING not in p for p in partials)
    assert final.startswith(partials[-1])
    assert SOURCES_HEADING in final and "[1]" in final
    assert SEED_SENTENCE in final
    assert "\n[1] Russia says co-existence not possible with Ukraine's current 'regime'" in final


def test_chat_replies_in_plain_text(chat_assistant: Assistant) -> None:
    final = list(chat_fn(chat_assistant)("How many ships did the lighthouse keeper count?", []))[-1]
    assert "forty ships" in final and "[1]" in final
    assert f"[1] {XSS} (2024-05-01)" in final  # the title as written: plain text, no entities
    assert "&lt;" not in final and "&#" not in final and "**" not in final


def test_k_sets_how_many_passages_are_searched(seeded: Assistant) -> None:
    few = list(chat_fn(seeded)("Who is Rodion Miroshnik?", [], 1))[-1]
    assert few.count("\n[") <= 1 and "[1]" in few


def test_empty_question_gives_a_friendly_message(chat_assistant: Assistant) -> None:
    outputs = list(chat_fn(chat_assistant)("   ", []))
    assert outputs == ["⚠️ The question is empty: type a question about the articles."]


def test_empty_index_says_to_run_ingest(hash_assistant: Assistant) -> None:
    outputs = list(chat_fn(hash_assistant)("Who is Rodion Miroshnik?", []))
    assert len(outputs) == 1
    assert "No articles indexed yet" in outputs[0] and "run `rag ingest seeds/`" in outputs[0]


def test_unanswerable_question_is_shown_as_not_found(chat_assistant: Assistant) -> None:
    final = list(chat_fn(chat_assistant)("What is the recipe for banana bread?", []))[-1]
    assert ABSTAIN_TEXT in final.split("\n\n")[0]
    assert f"\n\n{CLOSEST_HEADING}\n" in final


def test_follow_up_uses_the_earlier_turn(chat_assistant: Assistant) -> None:
    respond = chat_fn(chat_assistant)
    first = list(respond("Who is Rodion Miroshnik?", []))[-1]
    history = [
        {"role": "user", "content": "Who is Rodion Miroshnik?"},
        {"role": "assistant", "content": first},
    ]
    alone = list(respond("And what did he say?", []))[-1]
    follow_up = list(respond("And what did he say?", history))[-1]
    assert ABSTAIN_TEXT in alone  # nothing to go on without the earlier question
    assert ABSTAIN_TEXT not in follow_up
    assert "Miroshnik" in follow_up and "[1]" in follow_up


def test_build_app_is_blocks_with_the_chat_api(chat_assistant: Assistant) -> None:
    app = build_app(chat_assistant)
    assert isinstance(app, gr.Blocks)
    config = app.get_config_file()
    public = [d["api_name"] for d in config["dependencies"] if d.get("api_visibility") == "public"]
    assert public == ["chat"]  # the UI's own events stay off the API page
