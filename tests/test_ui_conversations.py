"""The chat's saved conversations and answer actions: each answer saved, reopened whole, rated, per owner."""

from __future__ import annotations

import html
import re
from typing import Any

import gradio as gr
import pytest

from rag import Answer, Assistant, Citation
from rag.types import Feedback
from tests.test_ui import SEED_SENTENCE
from ui.answer_html import attribute
from ui.api.owners import LoginOwners, key_owner
from ui.chat import Chat, start_turn
from ui.message_actions import render_actions
from ui.sidebar import RATED, Conversations, render_conversations

ANN = gr.Request(username="ann")
QUESTION = "Who is Rodion Miroshnik?"


@pytest.fixture
def conversations(seeded: Assistant) -> Conversations:
    """Sidebar callbacks over the seed, with "ann" signed in with one key and "ben" with another."""
    owners = LoginOwners()
    assert owners.bind("ann", "ann-key-0123456789") and owners.bind("ben", "ben-key-0123456789")
    return Conversations(seeded, Chat(seeded), owners)


def turn(conversations: Conversations, question: str, conversation_id: str = "", request: Any = ANN) -> Any:
    """One chat turn as the browser runs it; the last step's outputs."""
    _, shown, pending = start_turn(question, [])
    *_, last = conversations.respond(pending, shown, [], 6, [], None, None, None, conversation_id, request)
    return last


def test_an_answer_is_saved_in_a_new_conversation_named_after_its_question(
    conversations: Conversations,
) -> None:
    messages, turns, conversation_id, listing = turn(conversations, QUESTION)
    assert conversation_id and turns == [(QUESTION, turns[0][1])]
    assert 'class="actions" id="exchange-' in messages[-1]["content"]
    assert f">{html.escape(QUESTION)}</span>" in listing and 'aria-current="true"' in listing
    # A second question in the same conversation joins it.
    *_, same, _ = turn(conversations, "And what did he say?", conversation_id)
    assert same == conversation_id
    [saved] = conversations.store.recent(key_owner("ann-key-0123456789"))
    assert saved.title == QUESTION and saved.size == 2


def test_a_reopened_conversation_shows_its_answers_with_sources_and_ratings(
    conversations: Conversations,
) -> None:
    _, _, conversation_id, _ = turn(conversations, QUESTION)
    exchange = conversations.store.get(key_owner("ann-key-0123456789"), conversation_id).exchanges[0]
    conversations.store.rate(key_owner("ann-key-0123456789"), exchange.id, 1)
    messages, turns, opened, _, title = conversations.open(conversation_id, ANN)
    assert opened == conversation_id and title["value"] == QUESTION
    assert [m["role"] for m in messages] == ["user", "assistant"] and turns[0][0] == QUESTION
    assert f"<mark>{SEED_SENTENCE}</mark>" in messages[1]["content"]  # the source, highlighted again
    assert re.search(r'<a class="cite" href="#src-\w+-1"', messages[1]["content"])
    assert 'class="action rate chosen" value="1"' in messages[1]["content"]


def test_another_owner_cannot_open_rename_or_delete_it(conversations: Conversations) -> None:
    ben = gr.Request(username="ben")
    _, _, conversation_id, _ = turn(conversations, QUESTION)
    assert conversations.open(conversation_id, ben)[:3] == ([], [], "")  # a fresh chat instead
    assert conversations.rename(conversation_id, "Mine", ben)[1].startswith("⚠️ No conversation")
    assert conversations.delete(conversation_id, ben)[-1].startswith("⚠️ No conversation")
    assert "No saved conversations yet" in conversations.listing("", ben)
    assert conversations.open(conversation_id, ANN)[2] == conversation_id


def test_rename_and_delete(conversations: Conversations) -> None:
    _, _, conversation_id, _ = turn(conversations, QUESTION)
    listing, status = conversations.rename(conversation_id, "  Miroshnik\n", ANN)
    assert status == "Renamed to “Miroshnik”." and ">Miroshnik</span>" in listing
    assert conversations.rename("", "x", ANN)[1].startswith("Ask a question first")
    assert conversations.rename(conversation_id, "  ", ANN)[1].startswith("⚠️")
    messages, turns, opened, listing, status = conversations.delete(conversation_id, ANN)
    assert (messages, turns, opened, status) == ([], [], "", "Conversation deleted.")
    assert "No saved conversations yet" in listing


def test_rating_from_the_toolbar_then_a_note(conversations: Conversations) -> None:
    messages, *_ = turn(conversations, QUESTION)
    exchange = re.search(r'id="exchange-(\d+)"', messages[-1]["content"])
    assert exchange
    event = gr.EventData(None, {"exchange": exchange.group(1), "rating": "-1"})
    row, pending, status = conversations.rate(event, ANN)
    assert row["visible"] and pending == (int(exchange.group(1)), -1) and status == RATED
    assert conversations.save_note(pending, "Not who he is.", ANN) == (
        {"__type__": "update", "visible": False},
        "",
        "",
    )
    [record] = list(conversations.store.feedback())
    assert (record["rating"], record["note"], record["question"]) == (-1, "Not who he is.", QUESTION)
    assert record["citations"][0]["quote"] == SEED_SENTENCE and record["settings"] == {
        "k": 6,
        "article_ids": [],
    }
    # A forged event (not a number, or another owner's answer) is a message, not a traceback.
    assert conversations.rate(gr.EventData(None, {"exchange": "x"}), ANN)[2].startswith("⚠️")
    assert conversations.rate(event, gr.Request(username="ben"))[2].startswith("⚠️ No answer")


def test_toolbar_buttons_carry_the_text_they_act_on() -> None:
    answer = Answer(
        '"Toxic," he said. [1]', (Citation(1, "a", "T <b>", "", None, '"Toxic," he said.', 0, 17),)
    )
    toolbar = render_actions("Who <said> it?", answer, 7, Feedback(-1))
    assert "\n" not in toolbar  # one HTML block for the chat's markdown
    assert 'id="exchange-7"' in toolbar and 'class="action rate chosen" value="-1"' in toolbar
    assert 'value="Who &lt;said&gt; it?"' in toolbar and "<b>" not in toolbar
    copy = re.search(r'class="action copy" value="([^"]*)"', toolbar)
    assert copy and html.unescape(copy.group(1)).startswith('"Toxic," he said. [1]\n\nSources:\n[1] T <b>')
    assert "rate" not in render_actions("q", answer, None)  # an unsaved answer cannot be rated
    assert attribute('a\r\n"b"') == "a&#10;&quot;b&quot;"


def test_the_list_marks_the_open_conversation(conversations: Conversations) -> None:
    _, _, first, _ = turn(conversations, QUESTION)
    _, _, second, _ = turn(conversations, "<b>Bold</b> question")
    listing = render_conversations(conversations.store.recent(key_owner("ann-key-0123456789")), first)
    assert listing.index("&lt;b&gt;Bold") < listing.index(html.escape(QUESTION))  # newest first
    assert (
        listing.count('aria-current="true"') == 1 and f'data-conversation="{first}" aria-current' in listing
    )
    assert second in listing
