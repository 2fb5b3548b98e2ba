"""The browser chat's callbacks: start, stream, follow up, abstain, stop, errors, examples, scope."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import gradio as gr
import pytest

from rag import Article, Assistant, Settings
from rag.types import Turn
from tests.test_ui import SEED_SENTENCE
from ui.answer_html import SEARCHING
from ui.chat import Chat, example_questions, start_turn, stop_turn, with_reply
from ui.chat_tab import mode_text

SEED_TITLE = "Russia says co-existence not possible with Ukraine's current 'regime'"


def run_turn(chat: Chat, question: str, messages: list[dict[str, Any]], turns: list[Turn], **kw: Any):
    """What the browser does for one turn: show the question, then stream the answer into the chat."""
    box, shown, pending = start_turn(question, messages)
    assert box == "" and pending == question and SEARCHING in shown[-1]["content"]
    outputs = list(chat.respond(pending, shown, turns, kw.get("k", 6), kw.get("article_ids", [])))
    assert outputs, "the callback yielded nothing"
    return outputs


def test_answer_streams_then_shows_linked_sources_with_the_paragraph(seeded: Assistant) -> None:
    outputs = run_turn(Chat(seeded), "Who is Rodion Miroshnik?", [], [])
    *partials, (messages, turns) = outputs
    assert all('class="answer pending"' in m[-1]["content"] for m, _ in partials)
    html = messages[-1]["content"]
    assert [m["role"] for m in messages] == ["user", "assistant"]
    assert re.search(r'<a class="cite" href="#src-(\w+)-1"', html)
    assert f"<mark>{SEED_SENTENCE}</mark>" in html
    assert "Putin sent troops into Ukraine" in html  # the paragraph before the quote
    assert f'<span class="title">{SEED_TITLE}</span>' in html
    assert '<details class="debug">' in html
    assert turns == [("Who is Rodion Miroshnik?", turns[0][1])] and "[1]" in turns[0][1]


def test_follow_up_uses_the_turns_and_gets_fresh_source_ids(seeded: Assistant) -> None:
    chat = Chat(seeded)
    messages, turns = run_turn(chat, "Who is Rodion Miroshnik?", [], [])[-1]
    alone = run_turn(chat, "And what did he say?", [], [])[-1][0][-1]["content"]
    messages, turns = run_turn(chat, "And what did he say?", messages, turns)[-1]
    assert "abstained" in alone  # nothing to go on without the earlier question
    assert len(messages) == 4 and len(turns) == 2
    first, second = messages[1]["content"], messages[3]["content"]
    assert "Miroshnik" in second and 'class="cite"' in second
    ids = [set(re.findall(r'id="(src-[^"]+)"', m)) for m in (first, second)]
    assert ids[0] and ids[1] and ids[0].isdisjoint(ids[1])


def test_unanswerable_question_abstains_with_closest_sources(seeded: Assistant) -> None:
    messages, turns = run_turn(Chat(seeded), "What is the recipe for banana bread?", [], [])[-1]
    html = messages[-1]["content"]
    assert html.startswith('<div class="answer abstained">') and "Closest sources" in html
    assert 'class="cite"' not in html
    assert len(turns) == 1  # an abstention is still part of the conversation


def test_errors_become_friendly_messages(hash_assistant: Assistant) -> None:
    messages, turns = run_turn(Chat(hash_assistant), "Who is Rodion Miroshnik?", [], [])[-1]
    html = messages[-1]["content"]
    assert 'class="answer error"' in html and "No articles yet" in html and "Traceback" not in html
    # It said "run `rag ingest seeds/` first", a shell command, to someone in a browser.
    assert "Library tab" in html and "rag ingest" not in html
    assert turns == []
    with pytest.raises(gr.Error):
        start_turn("   ", [])


def test_question_too_long_is_a_friendly_message(tmp_path: Path, seed_path: Path) -> None:
    assistant = Assistant(Settings(data_dir=tmp_path, embedding_backend="hash", max_question_chars=10))
    assert assistant.ingest([seed_path]).ok
    html = run_turn(Chat(assistant), "x" * 50, [], [])[-1][0][-1]["content"]
    assistant.close()
    assert 'class="answer error"' in html


def test_article_selection_limits_the_search(seeded: Assistant) -> None:
    other = seeded.ingest(
        [_article("Lanterns", "The harbour lantern festival drew 48,000 visitors on Saturday.")]
    )
    chat = Chat(seeded)
    scoped = run_turn(
        chat, "How many visitors came to the lantern festival?", [], [], article_ids=other.added
    )
    assert "48,000" in scoped[-1][0][-1]["content"]
    seed_id = next(a.id for a in seeded.articles() if a.id not in other.added)
    elsewhere = run_turn(
        chat, "How many visitors came to the lantern festival?", [], [], article_ids=[seed_id]
    )
    assert "48,000" not in elsewhere[-1][0][-1]["content"]


def test_k_sets_how_many_passages_are_retrieved(seeded: Assistant) -> None:
    html = run_turn(Chat(seeded), "Who is Rodion Miroshnik?", [], [], k=2)[-1][0][-1]["content"]
    assert "Retrieval details (2 passages)" in html


def test_stop_marks_only_a_pending_answer() -> None:
    _, shown, _ = start_turn("Q?", [])
    stopped = stop_turn(with_reply(shown, '<div class="answer pending"><p>Half</p></div>'))
    assert "Stopped." in stopped[-1]["content"] and "Half" in stopped[-1]["content"]
    done = with_reply(shown, '<div class="answer"><p>Done.</p></div>')
    assert stop_turn(done) == done
    assert stop_turn([]) == [] and stop_turn(None) == []


def test_examples_come_from_the_newest_titles(seeded: Assistant) -> None:
    assert Chat(seeded).examples() == [{"text": f"What does the article “{SEED_TITLE}” report?"}]
    articles = seeded.articles() * 5
    assert len(example_questions(articles)) == 1  # one per title
    assert example_questions([]) == []


def test_example_question_is_answered_from_its_article(seeded: Assistant) -> None:
    question = Chat(seeded).examples()[0]["text"]
    html = run_turn(Chat(seeded), question, [], [])[-1][0][-1]["content"]
    assert 'class="cite"' in html and SEED_TITLE in html


def test_mode_text_names_the_current_mode() -> None:
    assert "extractive" in mode_text(Settings(embedding_backend="hash"))
    llm = Settings(answerer="llm", llm_base_url="http://127.0.0.1:9/v1", llm_model="m1")
    assert "generative" in mode_text(llm) and "`m1`" in mode_text(llm)


def _article(title: str, text: str) -> Article:
    return Article(title=title, text=text, url="https://example.com/lanterns")
