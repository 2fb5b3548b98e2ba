"""`/chat` for programs (gradio_client): a question in, the cited answer out as plain text.

The reply is what the CLI prints: the answer with its `[n]` markers, then its numbered sources,
as text (no HTML or markdown escapes). It streams: the text first, then the whole reply. Optional
inputs: `history`, earlier exchanges as [question, answer] pairs or role/content messages (without
one, the session's own earlier exchanges are the history), and `k`, the number of sources.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

import gradio as gr

from rag.assistant import Assistant
from rag.citations import answer_of_plain, chat_turns, plain_answer
from rag.errors import InputError, RagError
from rag.settings import MAX_K

ERROR_PREFIX = "⚠️ "
History = Sequence[Mapping[str, Any] | Sequence[Any]]
ChatFn = Callable[..., Iterator[str]]
Session = list[dict[str, str]]


def chat_fn(assistant: Assistant) -> ChatFn:
    """The API callback: streams the answer's text, then the answer with its sources, as plain text."""

    def respond(message: str, history: History | None = None, k: object = None) -> Iterator[str]:
        """The reply so far; a library error becomes a message instead of a traceback."""
        text = ""
        try:
            turns = chat_turns(history or [], answer_of_reply)
            for event in assistant.stream(message, turns, k=whole_k(k)):
                if event.answer is not None:
                    yield plain_answer(event.answer)
                else:
                    text += event.delta
                    yield text
        except RagError as error:
            yield ERROR_PREFIX + str(error)

    return respond


def whole_k(k: object) -> int | None:
    """The number of sources a program sent (None: the setting's); InputError for text or a fraction.

    Its range is the Assistant's to check: the component's own bounds raised before our callback
    ran, which logged a traceback and told the caller "Value 0.0 is less than minimum value 1."
    """
    if k is None:
        return None
    if isinstance(k, bool) or not isinstance(k, int | float) or not math.isfinite(k) or k != int(k):
        raise InputError(f"k, the number of passages, must be a whole number from 1 to {MAX_K} (got {k!r}).")
    return int(k)


def answer_of_reply(reply: str) -> str | None:
    """The answer text of a reply (for follow-ups); None for an error, which is not a turn."""
    return None if reply.startswith(ERROR_PREFIX) else answer_of_plain(reply)


def add_chat_api(assistant: Assistant) -> None:
    """The hidden components and event behind `/chat`."""
    with gr.Row(visible=False):
        message = gr.Textbox(label="message")
        history = gr.JSON([], label="history")
        k = gr.Number(assistant.settings.top_k, label="k", info=f"Sources to retrieve, 1 to {MAX_K}")
        reply, trigger = gr.Textbox(label="reply"), gr.Button()
    session = gr.State([])
    trigger.click(
        with_session(chat_fn(assistant)), [message, history, k, session], [reply, session], api_name="chat",
        api_visibility="public",
    )  # fmt: skip


def with_session(respond: ChatFn) -> Callable[[str, Any, object, Session], Iterator[tuple[str, Session]]]:
    """``respond`` with the session's exchanges as the history when the caller gives none."""

    def chat(message: str, history: Any, k: object, session: Session) -> Iterator[tuple[str, Session]]:
        """Stream replies; the finished exchange is added to the session's history."""
        reply = ""
        for reply in respond(message, history or session, k):
            yield reply, session
        yield reply, [*session, {"role": "user", "content": message}, {"role": "assistant", "content": reply}]

    return chat
