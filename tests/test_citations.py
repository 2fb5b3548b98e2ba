"""The citation format: markers, renumbering, pages, plain-text source lists and chat turns."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest

from rag.citations import (
    ABSTAIN_TEXT,
    CLOSEST_SOURCES,
    answer_of_plain,
    chat_turns,
    citation_for,
    cited,
    find_markers,
    incomplete_tail,
    leading_markers,
    marker_numbers,
    message_text,
    page_of,
    plain_answer,
    quoted,
    renumber,
    replace_markers,
    source_list,
    strip_markers,
    with_pages,
)
from rag.types import Answer, Citation, Passage


def passage(text: str = "Alpha one. Beta two.", start: int = 100, **kw: Any) -> Passage:
    fields: dict[str, Any] = {"article_id": "a", "title": "Title", "url": "", "published": None, "score": 0.5}
    return Passage(text=text, start=start, end=start + len(text), **(fields | kw))


def cite(index: int, article_id: str = "a", start: int = 0, **kw: Any) -> Citation:
    fields: dict[str, Any] = {
        "title": "Title",
        "url": "",
        "published": None,
        "quote": "Quoted.",
        "end": start + 7,
    }
    return Citation(index=index, article_id=article_id, start=start, **(fields | kw))


@pytest.mark.parametrize(
    ("text", "numbers", "stripped"),
    [
        ("Plain.", (), "Plain."),
        ("One [1]. Two [2][3].", (1, 2, 3), "One. Two."),
        ("Run [1, 3] and [2] [4].", (1, 3, 2, 4), "Run and."),
        ("Not a marker [a] or [].", (), "Not a marker [a] or []."),
    ],
)
def test_markers_are_read_and_stripped(text: str, numbers: tuple[int, ...], stripped: str) -> None:
    assert marker_numbers(text) == numbers
    assert strip_markers(text) == stripped


def test_single_markers_are_found_and_replaced() -> None:
    text = cited("Sentence.", 2) + " Then [10]."
    assert text == "Sentence. [2] Then [10]."
    assert find_markers(text) == [(10, 13, 2), (19, 23, 10)]
    assert replace_markers(text, lambda n: f"<{n}>") == "Sentence. <2> Then <10>."


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("A [2]. B [1, 2].", "A [1]. B [2][1]."),
        ("A [9]. B [2].", "A. B [1]."),  # 9 is unknown: dropped with the space before it
        ("A [2][2] [2].", "A [1]."),
    ],
)
def test_renumbering_by_first_appearance(text: str, expected: str) -> None:
    order: dict[int, int] = {}

    def number(n: int) -> int | None:
        return order.setdefault(n, len(order) + 1) if n in (1, 2) else None

    assert renumber(text, number) == expected


@pytest.mark.parametrize(
    ("text", "held"),
    [("Done.", ""), ("Almost [", " ["), ("Run [1, ", " [1, "), ("Cited [1]", " [1]"), ("x" + " " * 50, "")],
)
def test_an_unfinished_marker_is_held_back(text: str, held: str) -> None:
    assert text[incomplete_tail(text) :] == held


def test_leading_markers_belong_to_the_sentence_before() -> None:
    assert leading_markers(" [1][2] Next.") == ((1, 2), " Next.")
    assert leading_markers("Next [1].") == ((), "Next [1].")


def test_a_citation_quotes_its_passage_in_article_offsets() -> None:
    found = citation_for(3, passage(), 111, 120)
    assert (found.index, found.quote, found.start, found.end) == (3, "Beta two.", 111, 120)


def test_pages_come_from_the_page_offsets() -> None:
    assert page_of(0, ()) is None
    assert [page_of(o, (0, 50, 90)) for o in (0, 49, 50, 95)] == [1, 1, 2, 3]
    answer = Answer("A [1]. B [2].", citations=(cite(1, "pdf", start=60), cite(2, "txt")))
    paged = with_pages(answer, {"pdf": (0, 50, 90), "txt": ()})
    assert [c.page for c in paged.citations] == [2, None]
    assert with_pages(answer, {"txt": ()}) is answer


def test_plain_text_lists_sources_and_reads_back_as_the_answer() -> None:
    answer = Answer(
        "It rained [1].",
        citations=(cite(1, title="Storm", url="https://x.test/s", published=dt.date(2024, 5, 1), page=3),),
    )
    reply = plain_answer(answer)
    assert (
        reply
        == 'It rained [1].\n\nSources:\n[1] Storm (2024-05-01), page 3 <https://x.test/s>\n    "Quoted."'
    )
    assert answer_of_plain(reply) == "It rained [1]."


@pytest.mark.parametrize(
    ("quote", "shown"),
    [
        ("Quoted.", '"Quoted."'),
        ('"It is toxic," he said.', '"It is toxic," he said.'),  # direct speech keeps its own marks only
        ("“Never,” she said.", "“Never,” she said."),
    ],
)
def test_quotes_are_quoted_once(quote: str, shown: str) -> None:
    assert quoted(quote) == shown
    assert source_list(Answer("x [1]", citations=(cite(1, quote=quote),))).endswith("\n    " + shown)


def test_an_abstention_lists_the_closest_sources() -> None:
    long = "word " * 60
    passages = tuple(passage(long if i == 0 else "Short.", title=f"T{i}") for i in range(5))
    answer = Answer(ABSTAIN_TEXT, abstained=True, passages=passages)
    listing = source_list(answer)
    assert listing.startswith("Closest sources:\n- T0\n") and listing.count("\n- ") == CLOSEST_SOURCES
    assert "…" in listing and "T3" not in listing and "[1]" not in listing
    assert answer_of_plain(plain_answer(answer)) == ABSTAIN_TEXT
    assert source_list(Answer("Nothing.", abstained=True)) == ""


def failed(reply: str) -> str | None:
    """A reply reader for which an error notice is a failed turn."""
    return None if reply.startswith("⚠️") else answer_of_plain(reply)


def test_turns_from_role_messages_gradio_and_openai() -> None:
    reply = plain_answer(Answer("It is. [1]", citations=(cite(1),)))
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "First?"},
        {"role": "assistant", "content": reply},
        {"role": "user", "content": [{"type": "text", "text": "Broken?"}]},
        {"role": "assistant", "content": "⚠️ The question is empty."},
        {"role": "user", "content": [{"type": "image_url", "image_url": {"url": "x"}}, {"type": "text", "text": "Second?"}]},
        {"role": "tool", "content": "ignored"},
        {"role": "assistant", "content": [{"type": "text", "text": "Plain."}]},
        {"role": "user", "content": "Unanswered?"},
    ]  # fmt: skip
    assert chat_turns(messages, failed) == [("First?", "It is. [1]"), ("Second?", "Plain.")]
    assert chat_turns(messages[:3]) == [("First?", "It is. [1]")]


def test_turns_from_gradio_pairs() -> None:
    pairs: list[list[Any]] = [
        ["First?", 'One [1].\n\nSources:\n[1] T\n    "q"'],
        [("/tmp/picture.png",), None],  # a file the user sent: no text
        ["Second?", "⚠️ Something failed."],
        [None, "A greeting with no question."],
        ["Third?", "Three."],
        ["Pending?", None],
    ]
    assert chat_turns(pairs, failed) == [("First?", "One [1]."), ("Third?", "Three.")]


def test_message_text_keeps_only_text_parts() -> None:
    assert message_text([{"type": "file", "file": {"path": "/x"}}, {"type": "text", "text": "hi"}]) == "hi"
    assert message_text([{"type": "text", "text": "a"}, [{"type": "text", "text": "b"}]]) == "a\nb"
    assert message_text(None) == "" and message_text({"type": "text"}) == ""
