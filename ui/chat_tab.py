"""The chat tab's layout and events: the chat, its input row, and the settings column."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import gradio as gr

from rag.settings import Settings
from ui.chat import Chat, check_question, start_turn, stop_turn

PLACEHOLDER = "Ask a question about your articles, or pick an example below."
MAX_K = 20
# Only `/chat` is meant for programs; the UI's own events stay off the API page.
HIDDEN: Any = {"api_visibility": "undocumented"}
QUICK: Any = {"queue": False, **HIDDEN}
# Gradio runs an event's validator only in its queue; no limit, so one user's turn never waits for another's.
CHECKED: Any = {"concurrency_limit": None, **HIDDEN}


@dataclass(frozen=True)
class ChatView:
    """The chat components the library tab refreshes after articles are added or deleted."""

    chatbot: gr.Chatbot
    scope: gr.Dropdown


@dataclass(frozen=True)
class _Turn:
    """What one turn reads and writes, and the callback that answers it."""

    respond: Any
    question: gr.Textbox
    chatbot: gr.Chatbot
    turns: gr.State
    pending: gr.State
    k: gr.Slider
    scope: gr.Dropdown
    ask: gr.Button
    stop: gr.Button


def build_chat_tab(chat: Chat, settings: Settings) -> ChatView:
    """The chat with its input row, and the settings column beside it (below it on narrow screens)."""
    with gr.Row(equal_height=False):
        with gr.Column(scale=3, min_width=320):
            chatbot = gr.Chatbot(
                label="Answers", elem_id="chat", height=600, latex_delimiters=[], buttons=[],
                placeholder=PLACEHOLDER,
            )  # fmt: skip
            question = gr.Textbox(
                label="Question", show_label=False, placeholder="Type a question and press Enter",
                elem_id="question", max_lines=4, autofocus=True,
            )  # fmt: skip
            with gr.Row():
                ask = gr.Button("Ask", variant="primary", elem_id="ask", min_width=80)
                stop = gr.Button("Stop", variant="stop", visible=False, elem_id="stop", min_width=80)
                clear = gr.Button("Clear chat", elem_id="clear", min_width=80)
        with gr.Column(scale=1, min_width=240):
            k, scope = build_settings(settings)
    turn = _Turn(chat.respond, question, chatbot, gr.State([]), gr.State(""), k, scope, ask, stop)
    asked = gr.on(
        [question.submit, ask.click], start_turn, [question, chatbot], _shown(turn),
        validator=check_question, **CHECKED,
    )  # fmt: skip
    answering = [
        wire_turn(asked, turn),
        wire_turn(chatbot.example_select(start_example, chatbot, _shown(turn), **QUICK), turn),
    ]
    stop.click(stop_turn, chatbot, chatbot, cancels=answering, **QUICK).then(
        _buttons(answering=False), None, [ask, stop], **QUICK
    )
    clear.click(
        lambda: ([], [], ""), None, [chatbot, turn.turns, turn.pending], cancels=answering, **QUICK
    ).then(_buttons(answering=False), None, [ask, stop], **QUICK)
    return ChatView(chatbot, scope)


def build_settings(settings: Settings) -> tuple[gr.Slider, gr.Dropdown]:
    """The answer mode, the number of sources and which articles to search."""
    gr.Markdown("### Settings")
    gr.Markdown(mode_text(settings), elem_id="answer-mode")
    k = gr.Slider(1, MAX_K, value=min(settings.top_k, MAX_K), step=1, label="Number of sources (k)")
    scope = gr.Dropdown(
        choices=[], multiselect=True, label="Articles to search", elem_id="scope",
        info="Leave empty to search all articles.",
    )  # fmt: skip
    return k, scope


def wire_turn(shown: Any, turn: _Turn) -> Any:
    """After the question is shown: swap Ask for Stop, stream the answer, swap back."""
    buttons = [turn.ask, turn.stop]
    answer = shown.success(_buttons(answering=True), None, buttons, **QUICK).then(
        turn.respond, [turn.pending, turn.chatbot, turn.turns, turn.k, turn.scope], [turn.chatbot, turn.turns],
        show_progress="hidden", **HIDDEN,
    )  # fmt: skip
    answer.then(_buttons(answering=False), None, buttons, **QUICK)
    return answer


def start_example(messages: list[dict[str, Any]] | None, event: gr.SelectData) -> tuple[str, Any, str]:
    """Ask the example question that was clicked."""
    return start_turn(str(event.value.get("text", "")), messages)


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
    return lambda: (gr.update(visible=not answering), gr.update(visible=answering))
