"""The chat's HTML answers: linked markers, sources with the quote in its paragraph, escaping, debug view."""

from __future__ import annotations

import datetime as dt
import html
import re

import pytest

from rag import Answer, EmptyIndexError, InputError
from tests.test_ui import XSS, cite, passage
from ui.answer_html import (
    NOT_FOUND,
    SEARCHING,
    render_answer_html,
    render_error_html,
    render_searching,
    render_stopped,
    render_streaming,
)
from ui.excerpt import Excerpt, paragraph_around

ARTICLE = "First paragraph here.\n\nBefore it. The quoted sentence. After it.\n\nLast paragraph."


def test_markers_link_to_the_sources_of_the_same_answer() -> None:
    answer = Answer(
        text="One. [1] Two. [2] Not a source. [7]",
        citations=(cite(1, title="A"), cite(2, title="B")),
    )
    out = render_answer_html(answer, "k1", {})
    assert re.findall(r'<a class="cite" href="#src-k1-(\d)"', out) == ["1", "2"]
    assert re.findall(r'<details class="source" id="src-k1-(\d)"', out) == ["1", "2"]
    assert "Not a source. [7]" in out  # a number without a source stays plain text
    assert "\n" not in out  # one HTML block for the chat's markdown renderer


def test_source_shows_title_date_link_page_and_highlighted_quote_in_its_paragraph() -> None:
    start = ARTICLE.index("The quoted")
    end = start + len("The quoted sentence.")
    citation = cite(
        1, title="Title", url="https://example.com/a?x=1&y=2", quote="The quoted sentence.",
        start=start, end=end, published=dt.date(2023, 11, 21), page=3,
    )  # fmt: skip
    out = render_answer_html(
        Answer(text="Q. [1]", citations=(citation,)), "k", {1: paragraph_around(ARTICLE, start, end)}
    )
    assert '<span class="title">Title</span><span class="meta"> · 2023-11-21 · page 3</span>' in out
    assert '<a href="https://example.com/a?x=1&amp;y=2" target="_blank" rel="noopener noreferrer">' in out
    assert "Before it. <mark>The quoted sentence.</mark> After it." in out


def test_missing_excerpt_shows_the_quote_alone() -> None:
    out = render_answer_html(Answer(text="Q. [1]", citations=(cite(1, quote="Alone."),)), "k", {})
    assert "<blockquote><mark>Alone.</mark></blockquote>" in out


@pytest.mark.parametrize(
    "text", [XSS, "<script>alert(1)</script>", '"><svg onload=alert(1)>', "[x](javascript:a)"]
)
def test_article_strings_are_inert(text: str) -> None:
    citation = cite(1, title=text, url="javascript:alert(1)", quote=text)
    answer = Answer(text=f"{text} [1]", citations=(citation,), passages=(passage(title=text, text=text),))
    out = render_answer_html(answer, "k", {1: Excerpt(text, text, text)})
    assert "<img" not in out and "<script" not in out and "<svg" not in out
    assert "javascript:alert" not in out and 'href="javascript' not in out  # the bad URL is not a link
    assert "&lt;" in out or "&#91;" in out


def test_abstention_is_a_notice_with_closest_sources_not_an_answer() -> None:
    answer = Answer(
        text="I could not find that.",
        abstained=True,
        passages=tuple(passage(title=f"P{i}", text=f"Text {i}.") for i in range(5)),
    )
    out = render_answer_html(answer, "k", {})
    assert out.startswith('<div class="answer abstained"><p class="notice"><strong>' + NOT_FOUND)
    assert "Closest sources" in out and 'class="cite"' not in out
    assert [f"P{i}" for i in range(3)] == re.findall(r'<span class="title">(P\d)</span>', out)


def test_each_source_copies_its_quote_and_opens_its_article_at_the_cited_spans() -> None:
    answer = Answer(
        text="One. [1] Two. [2] Three. [3]",
        citations=(
            cite(1, article_id="a<1>", start=5, end=9, quote='"Q1," said <b>.'),
            cite(2, article_id="b", start=0, end=3),
            cite(3, article_id="a<1>", start=20, end=30),
        ),
    )
    out = render_answer_html(answer, "k", {})
    opens = [html.unescape(v) for v in re.findall(r'class="action open-article" value="([^"]*)"', out)]
    assert opens == [
        "5-9,20-30 a<1>",
        "0-3 b",
        "5-9,20-30 a<1>",
    ]  # every span the answer cites in that article
    copies = [html.unescape(v) for v in re.findall(r'class="action copy" value="([^"]*)"', out)]
    assert copies[0] == '[1] Title\n    "Q1," said <b>.' and "<b>" not in out and "\n" not in out


def test_closest_sources_show_a_snippet_and_open_their_passage() -> None:
    long = "word " * 60
    answer = Answer(text="No.", abstained=True, passages=(passage(text=long, start=100, end=400),))
    out = render_answer_html(answer, "k", {})
    snippet = re.search(r'<span class="snippet">([^<]*)</span>', out)
    assert snippet and snippet.group(1).endswith("…") and len(snippet.group(1)) <= 161
    assert 'class="action open-article" value="100-400 a"' in out and 'class="action copy"' not in out


def test_debug_view_lists_scores_collapsed() -> None:
    scored = passage(title="T", text="Passage.", dense_score=0.81234, lexical_score=3.5)
    answer = Answer(
        text="A. [1]", citations=(cite(1),), passages=(scored,), search_query="who <b>", notes=("n1",)
    )
    out = render_answer_html(answer, "k", {})
    debug = out[out.index('<details class="debug">') :]
    assert debug.startswith('<details class="debug"><summary>Retrieval details (1 passage)</summary>')
    assert "<td>0.500</td><td>0.812</td><td>3.500</td>" in debug
    assert "who &lt;b&gt;" in debug and "n1" in debug


def test_progress_states() -> None:
    assert SEARCHING in render_searching() and 'role="status"' in render_searching()
    partial = render_streaming("So far <b> [1]")
    assert "So far &lt;b&gt; [1]" in partial and "cite" not in partial
    stopped = render_stopped(partial)
    assert 'class="answer stopped"' in stopped and "Stopped." in stopped and "So far" in stopped
    done = render_answer_html(Answer(text="Done."), "k", {})
    assert render_stopped(done) == done


def test_errors_are_friendly_notices() -> None:
    out = render_error_html(EmptyIndexError())
    assert 'role="alert"' in out and "<code>rag ingest seeds/</code>" in out
    assert "&lt;b&gt;" in render_error_html(InputError("<b>"))


@pytest.mark.parametrize(
    ("start_word", "before", "after"),
    [
        ("The quoted", "Before it. ", " After it."),
        ("First", "", "\n\nBefore it. The quoted sentence. After it."),
    ],
)
def test_paragraph_around(start_word: str, before: str, after: str) -> None:
    start = ARTICLE.index(start_word)
    end = ARTICLE.index(".", start) + 1
    excerpt = paragraph_around(ARTICLE, start, end, limit=400)
    assert excerpt.quote == ARTICLE[start:end]
    if start_word == "The quoted":  # short paragraph: its neighbours come along
        assert excerpt.before == "First paragraph here.\n\n" + before
        assert excerpt.after == after + "\n\nLast paragraph."
    else:
        assert excerpt.before == before and excerpt.after == after


def test_paragraph_around_trims_long_text_at_words() -> None:
    text = "word " * 300 + "QUOTE." + " tail" * 300
    start = text.index("QUOTE")
    excerpt = paragraph_around(text, start, start + 6, limit=50)
    assert excerpt.before.startswith("…") and excerpt.after.endswith("…")
    assert len(excerpt.before) <= 51 and len(excerpt.after) <= 51
    with pytest.raises(ValueError):
        paragraph_around(text, 5, 2)
