"""Saved conversations and feedback: owners kept apart, answers stored whole, feedback outliving its chat."""

from __future__ import annotations

import dataclasses
import datetime as dt
import stat
from pathlib import Path

import pytest

from rag import Answer, Assistant, Citation, DateWindow, InputError, NotFoundError, Passage
from rag.conversations import ConversationStore, answer_from_json, answer_to_json, clean_title

QUOTE = "The festival drew 48,000 visitors."
CITATION = Citation(1, "a1", "Lanterns", "https://example.com/l", dt.date(2024, 3, 2), QUOTE, 10, 44, page=2)
PASSAGE = Passage("a1", "Lanterns", None, None, QUOTE, 10, 44, 0.9, "c1", 0.8, 3.5)
ANSWER = Answer(f"{QUOTE} [1]", (CITATION,), passages=(PASSAGE,), question="How many?", notes=("n",))
SETTINGS = {"k": 6, "article_ids": ["a1"]}


@pytest.fixture
def store(tmp_path: Path) -> ConversationStore:
    """A store in a fresh data folder."""
    return ConversationStore(tmp_path / "data" / "conversations.sqlite3")


def test_answers_round_trip_with_citations_dates_and_passages() -> None:
    assert answer_from_json(answer_to_json(ANSWER)) == ANSWER
    # A field a later version adds (or one an earlier one had) does not break reading.
    assert answer_from_json({**answer_to_json(ANSWER), "future": 1}) == ANSWER


def test_answers_round_trip_with_their_date_window() -> None:
    window = DateWindow(dt.date(2024, 5, 15), dt.date(2024, 3, 1), dt.date(2024, 3, 31), "filter", "in March")
    dated = dataclasses.replace(ANSWER, date_window=window)
    assert answer_from_json(answer_to_json(dated)) == dated
    today = dataclasses.replace(ANSWER, date_window=DateWindow(dt.date(2024, 5, 15)))  # no period
    assert answer_from_json(answer_to_json(today)) == today


def test_a_conversation_keeps_its_exchanges_in_order_and_moves_to_the_top(store: ConversationStore) -> None:
    first = store.create("", "How many visitors came?")
    second = store.create("", "Second chat")
    store.append("", first.id, "How many visitors came?", ANSWER, SETTINGS)
    store.append("", first.id, "And who made the lanterns?", Answer("Not found.", abstained=True), {"k": 3})
    assert [c.id for c in store.recent("")] == [first.id, second.id]  # the one used last comes first
    got = store.get("", first.id)
    assert [e.question for e in got.exchanges] == ["How many visitors came?", "And who made the lanterns?"]
    assert got.exchanges[0].answer == ANSWER and got.exchanges[0].settings == SETTINGS
    assert got.turns() == [
        ("How many visitors came?", ANSWER.text),
        ("And who made the lanterns?", "Not found."),
    ]
    assert got.size == 2 and store.recent("")[0].size == 2


def test_owners_never_see_each_others_conversations(store: ConversationStore) -> None:
    mine = store.create("key-a", "Mine")
    store.append("key-a", mine.id, "q", ANSWER, {})
    assert store.recent("key-b") == [] and store.recent("") == []
    for call in (
        lambda: store.get("key-b", mine.id),
        lambda: store.rename("key-b", mine.id, "stolen"),
        lambda: store.delete("key-b", mine.id),
        lambda: store.append("key-b", mine.id, "q", ANSWER, {}),
        lambda: store.rate("key-b", store.get("key-a", mine.id).exchanges[0].id, 1),
    ):
        with pytest.raises(NotFoundError):
            call()
    assert store.get("key-a", mine.id).title == "Mine"


def test_rename_and_delete(store: ConversationStore) -> None:
    chat = store.create("", "Old")
    assert store.rename("", chat.id, "  New\n name ").title == "New name"
    with pytest.raises(InputError):
        store.rename("", chat.id, "   ")
    store.delete("", chat.id)
    assert store.recent("") == []
    with pytest.raises(NotFoundError):
        store.get("", chat.id)


@pytest.mark.parametrize(
    ("title", "expected"),
    [("  Who is\nRodion?  ", "Who is Rodion?"), ("x" * 100, "x" * 79 + "…"), ("ok", "ok")],
)
def test_titles_are_one_short_line(title: str, expected: str) -> None:
    assert clean_title(title) == expected


def test_feedback_keeps_question_settings_and_cited_passages_after_the_chat_is_gone(
    store: ConversationStore,
) -> None:
    chat = store.create("key-a", "How many?")
    exchange = store.append("key-a", chat.id, "How many?", ANSWER, SETTINGS)
    store.rate("key-a", exchange.id, -1, "too short")
    store.rate("key-a", exchange.id, 1, "  fine after all ")  # a second verdict replaces the first
    assert store.get("key-a", chat.id).exchanges[0].feedback is not None
    assert store.get("key-a", chat.id).exchanges[0].feedback.rating == 1  # type: ignore[union-attr]
    with pytest.raises(InputError):
        store.rate("key-a", exchange.id, 5)
    store.delete("key-a", chat.id)
    [record] = list(store.feedback())
    assert record["rating"] == 1 and record["note"] == "fine after all" and record["owner"] == "key-a"
    assert record["question"] == "How many?" and record["settings"] == SETTINGS
    assert record["answer"] == ANSWER.text and record["citations"][0]["quote"] == QUOTE
    assert record["citations"][0]["published"] == "2024-03-02" and record["passages"][0]["score"] == 0.9


def test_the_file_is_private_and_survives_reopening(tmp_path: Path) -> None:
    path = tmp_path / "data" / "conversations.sqlite3"
    store = ConversationStore(path)
    chat = store.create("", "Kept")
    store.append("", chat.id, "q", ANSWER, {})
    store.close()
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert ConversationStore(path).get("", chat.id).exchanges[0].answer == ANSWER


def test_the_assistant_keeps_conversations_in_its_data_folder(hash_assistant: Assistant) -> None:
    chat = hash_assistant.conversations.create("", "Hello")
    assert (hash_assistant.settings.data_dir / "conversations.sqlite3").exists()
    hash_assistant.close()
    assert hash_assistant.conversations.recent("")[0].id == chat.id
