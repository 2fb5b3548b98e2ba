"""The Gradio app: a chat tab with its settings, a library tab, and the `/chat` API endpoint."""

from __future__ import annotations

import gradio as gr

from rag.assistant import Assistant
from ui.assets import assets
from ui.chat import Chat, api_chat, chat_fn
from ui.chat_tab import build_chat_tab
from ui.library import Library
from ui.library_tab import build_library_tab

__all__ = [
    "DESCRIPTION",
    "TITLE",
    "add_chat_api",
    "build_app",
    "chat_fn",
]

TITLE = "Article assistant"
DESCRIPTION = "Ask about the ingested articles. Every claim quotes an article and is numbered [n]: click it to see the source."


def build_app(assistant: Assistant) -> gr.Blocks:
    """The whole UI over ``assistant``; its `/chat` endpoint is also part of the HTTP API."""
    chat = Chat(assistant)
    demo = gr.Blocks(title=TITLE, analytics_enabled=False)
    with demo:
        assets()
        gr.Markdown(f"# {TITLE}\n{DESCRIPTION}")
        with gr.Tabs():
            with gr.Tab("Chat", id="chat-tab"):
                view = build_chat_tab(chat, assistant.settings)
            with gr.Tab("Library", id="library-tab", elem_id="library-tab"):
                build_library_tab(demo, Library(assistant), chat, view)
        add_chat_api(assistant)
    return demo


def add_chat_api(assistant: Assistant) -> None:
    """`/chat` for programs (gradio_client): a question in, markdown out, history kept per session."""
    with gr.Row(visible=False):
        message, reply, trigger = gr.Textbox(), gr.Textbox(), gr.Button()
    history = gr.State([])
    trigger.click(api_chat(assistant), [message, history], [reply, history], api_name="chat")
