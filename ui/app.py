"""The Gradio chat: questions go to `Assistant.stream`, answers come back with their cited sources."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import gradio as gr

from rag.assistant import Assistant
from rag.errors import RagError
from rag.types import Turn
from ui.render import answer_text_of, render_answer, render_error, render_partial

TITLE = "Article assistant"
DESCRIPTION = "Ask about the ingested articles. Every claim is quoted from an article and numbered [n]."
# The seed corpus (`rag ingest seeds/`) answers these.
DEFAULT_EXAMPLES = (
    "Who is Rodion Miroshnik?",
    "What did Russia say about co-existence with Ukraine's government?",
    "Why did the ICC issue an arrest warrant for Putin?",
)

ChatHistory = Sequence[Mapping[str, Any]]
ChatFn = Callable[[str, ChatHistory], Iterator[str]]


def build_app(assistant: Assistant, examples: Sequence[str] = DEFAULT_EXAMPLES) -> gr.Blocks:
    """The chat UI over ``assistant``; its streaming endpoint is also the API's `/chat`."""
    chatbot = gr.Chatbot(
        label="Answers", scale=1, latex_delimiters=[], buttons=["copy"],
        placeholder="Ask a question about your articles.",
    )  # fmt: skip
    return gr.ChatInterface(
        chat_fn(assistant), chatbot=chatbot, examples=list(examples) or None, title=TITLE,
        description=DESCRIPTION, api_name="chat", analytics_enabled=False, cache_examples=False,
    )  # fmt: skip


def chat_fn(assistant: Assistant) -> ChatFn:
    """The chat callback: streams the answer's text, then the answer with its sources."""

    def respond(message: str, history: ChatHistory) -> Iterator[str]:
        """Markdown of the answer so far; a library error becomes a message instead of a traceback."""
        text = ""
        try:
            for event in assistant.stream(message, turns_from_history(history)):
                if event.answer is not None:
                    yield render_answer(event.answer)
                else:
                    text += event.delta
                    yield render_partial(text)
        except RagError as error:
            yield render_error(error)

    return respond


def turns_from_history(history: ChatHistory) -> list[Turn]:
    """Earlier (question, answer text) pairs from Gradio's chat messages, skipping failed turns."""
    turns: list[Turn] = []
    question: str | None = None
    for message in history:
        text = message_text(message.get("content"))
        if message.get("role") == "user":
            question = text
        elif message.get("role") == "assistant" and question is not None:
            answer = answer_text_of(text)
            if answer is not None:
                turns.append((question, answer))
            question = None
    return turns


def message_text(content: object) -> str:
    """The text of a message's content, which Gradio gives as a string or a list of parts."""
    if isinstance(content, str):
        return content
    if isinstance(content, Sequence):
        return "\n".join(text for part in content if (text := message_text(part)))
    if isinstance(content, Mapping) and content.get("type") == "text":
        return str(content.get("text", ""))
    return ""  # files and components carry no text
