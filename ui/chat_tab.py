"""The chat tab's layout and events: the chat, its input row, example questions and the settings column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag.settings import Settings
from ui.chat import EXAMPLE_COUNT, check_question, start_turn, stop_turn
from ui.events import HIDDEN, QUICK
from ui.sidebar import Conversations

PLACEHOLDER = "Ask a question about your articles, or pick an example below."
MAX_K = 20
# The chat fills the window's height minus the header, tabs, input row and examples above and below it
# (measured at 1280x800); phones drop the fixed height in app.css so only the page scrolls.
CHAT_HEIGHT = "calc(100dvh - 270px)"
CHAT_MIN_HEIGHT = 260
# Gradio runs an event's validator only in its queue; no limit, so one user's turn never waits for another's.
CHECKED: Any = {"concurrency_limit": None, **HIDDEN}


@dataclass(frozen=True)
class ChatView:
    """The chat components other parts refresh: the library (scope, examples) and the sidebar."""

    chatbot: gr.Chatbot
    turns: gr.State
    scope: gr.Dropdown
    examples: tuple[gr.Button, ...]
    examples_row: gr.Row
    answering: tuple[Any, ...]
    buttons: tuple[gr.Button, gr.Button]  # Ask, and Stop in its place while answering
    feedback: FeedbackView


@dataclass(frozen=True)
class FeedbackView:
    """The row that opens after an answer is rated, for an optional note."""

    row: gr.Row
    note: gr.Textbox
    save: gr.Button
    close: gr.Button
    status: gr.Markdown
    pending: gr.State  # (exchange id, rating) the note belongs to


@dataclass(frozen=True)
class SearchControls:
    """The settings column's inputs that shape a search (more filters join here)."""

    k: gr.Slider
    scope: gr.Dropdown
    as_of: gr.Textbox
    published_from: gr.Textbox
    published_to: gr.Textbox


@dataclass(frozen=True)
class _Turn:
    """What one turn reads and writes, and the callback that answers it."""

    respond: Any
    question: gr.Textbox
    chatbot: gr.Chatbot
    turns: gr.State
    pending: gr.State
    controls: SearchControls
    conversation: gr.BrowserState
    listing: gr.HTML
    ask: gr.Button
    stop: gr.Button
    examples: gr.Row


def build_chat_tab(
    conversations: Conversations, settings: Settings, conversation: gr.BrowserState, listing: gr.HTML
) -> ChatView:
    """The chat with its input row, and the settings column beside it (below it on narrow screens).

    Each answer is saved in the ``conversation`` open in the browser, and the sidebar's ``listing`` follows.
    """
    with gr.Row(equal_height=False, elem_id="chat-layout"):
        with gr.Column(scale=3, min_width=320, elem_id="chat-column"):
            chatbot = gr.Chatbot(
                label="Conversation", show_label=False, elem_id="chat", height=CHAT_HEIGHT, min_height=CHAT_MIN_HEIGHT,
                latex_delimiters=[], buttons=[], placeholder=PLACEHOLDER, feedback_options=None,
            )  # fmt: skip
            with gr.Row(equal_height=True, elem_id="ask-row"):
                question = gr.Textbox(
                    label="Question", show_label=False, placeholder="Type a question and press Enter",
                    elem_id="question", max_lines=4, autofocus=True, scale=5, container=False,
                )  # fmt: skip
                ask = gr.Button("Ask", variant="primary", elem_id="ask", scale=0, min_width=72)
                stop = gr.Button("Stop", variant="stop", visible=False, elem_id="stop", scale=0, min_width=72)
            with gr.Row(visible=False, equal_height=True, elem_id="feedback-row") as feedback_row:
                note = gr.Textbox(
                    label="Add a note to your rating (optional)", elem_id="feedback-note", max_lines=3, scale=4,
                    placeholder="What was good or wrong about this answer?",
                )  # fmt: skip
                save_note = gr.Button("Save note", elem_id="save-note", size="sm", scale=0, min_width=100)
                close_note = gr.Button("Close", elem_id="close-note", size="sm", scale=0, min_width=80)
            feedback_status = gr.Markdown(elem_id="feedback-status")
            with gr.Row(elem_id="examples") as examples_row:
                gr.HTML('<span class="examples-label">Try:</span>', js_on_load=None, scale=0, min_width=0)
                examples = tuple(
                    gr.Button("", size="sm", visible=False, elem_classes="example", scale=0, min_width=0)
                    for _ in range(EXAMPLE_COUNT)
                )
        with gr.Column(scale=1, min_width=240, elem_id="settings"):
            controls = build_settings(settings)
    turn = _Turn(
        conversations.respond, question, chatbot, gr.State([]), gr.State(""), controls, conversation, listing,
        ask, stop, examples_row,
    )  # fmt: skip
    asked = gr.on(
        [question.submit, ask.click], start_turn, [question, chatbot], _shown(turn),
        validator=check_question, **CHECKED,
    )  # fmt: skip
    answering = (
        wire_turn(asked, turn),
        *(wire_turn(b.click(start_turn, [b, chatbot], _shown(turn), **QUICK), turn) for b in examples),
    )
    stop.click(stop_turn, chatbot, chatbot, cancels=list(answering), **QUICK).then(
        _buttons(answering=False), None, [ask, stop], **QUICK
    )
    feedback = FeedbackView(feedback_row, note, save_note, close_note, feedback_status, gr.State(None))
    return ChatView(
        chatbot, turn.turns, controls.scope, examples, examples_row, answering, (ask, stop), feedback
    )


def build_settings(settings: Settings) -> SearchControls:
    """The answer mode, the number of sources and which articles to search."""
    gr.HTML("<h2>Settings</h2>", js_on_load=None, elem_classes="section-heading")
    gr.Markdown(mode_text(settings), elem_id="answer-mode")
    k = gr.Slider(
        1, MAX_K, value=min(settings.top_k, MAX_K), step=1, label="Number of sources (k)", elem_id="k"
    )
    scope = gr.Dropdown(
        choices=[], multiselect=True, label="Articles to search", elem_id="scope",
        info="Leave empty to search all articles.",
    )  # fmt: skip
    as_of = _day_box(
        "Answer as of", "as-of", "Empty: today, and hides nothing. A day hides articles published after it."
    )
    with gr.Row(elem_id="published-range"):
        start = _day_box("Published from", "published-from", "Empty: no limit.")
        end = _day_box("Published to", "published-to", "Empty: no limit.")
    return SearchControls(k, scope, as_of, start, end)


def _day_box(label: str, elem_id: str, info: str) -> gr.Textbox:
    """A day typed as anywhere else; rag.parse_day reads it as the turn starts, so a wrong entry is
    answered in the chat with the format it needs (Gradio's DateTime box silently kept the old value)."""
    return gr.Textbox(
        label=label,
        info=info,
        placeholder="YYYY-MM-DD or 7 Dec 2026",
        max_lines=1,
        elem_id=elem_id,
        min_width=110,
    )


def example_updates(questions: list[str]) -> list[Any]:
    """The example buttons showing ``questions`` (the unused ones hidden)."""
    shown = questions[:EXAMPLE_COUNT]
    return [
        gr.update(value=shown[i], visible=True) if i < len(shown) else gr.update(value="", visible=False)
        for i in range(EXAMPLE_COUNT)
    ]


def wire_turn(shown: Any, turn: _Turn) -> Any:
    """After the question is shown: swap Ask for Stop, stream and save the answer, swap back."""
    buttons = [turn.ask, turn.stop]
    c = turn.controls
    dates = [c.as_of, c.published_from, c.published_to]
    inputs = [turn.pending, turn.chatbot, turn.turns, c.k, c.scope, *dates, turn.conversation]
    answer = shown.success(_buttons(answering=True), None, [*buttons, turn.examples], **QUICK).then(
        turn.respond, inputs, [turn.chatbot, turn.turns, turn.conversation, turn.listing],
        show_progress="hidden", **HIDDEN,
    )  # fmt: skip
    answer.then(_buttons(answering=False), None, buttons, **QUICK)
    return answer


def mode_text(settings: Settings) -> str:
    """The current answer mode, in words, with how to get the other one."""
    if settings.answerer == "llm":
        return (
            f"**Answer mode:** generative: `{settings.llm_model}` writes the answer from the numbered "
            "sources, and every citation is checked against the articles."
        )
    return (
        "**Answer mode:** extractive: answers quote article sentences word for word. "
        "Generative answers need `RAG_ANSWERER=llm` and `RAG_LLM_BASE_URL` (see docs/llm.md)."
    )


def _shown(turn: _Turn) -> list[Any]:
    return [turn.question, turn.chatbot, turn.pending]


def _buttons(answering: bool) -> Any:
    # While answering, the examples make way for the conversation (a new chat brings them back).
    if answering:
        return lambda: (gr.update(visible=False), gr.update(visible=True), gr.update(visible=False))
    return lambda: (gr.update(visible=True), gr.update(visible=False))
