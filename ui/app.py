"""The Gradio app: a chat tab with its settings, a library tab, and the `/chat` API endpoint."""

from __future__ import annotations

import html

import gradio as gr

from rag.assistant import Assistant
from ui.api.owners import LoginOwners
from ui.assets import assets
from ui.chat import Chat
from ui.chat_api import add_chat_api, chat_fn
from ui.chat_tab import build_chat_tab
from ui.events import QUICK
from ui.library import Library
from ui.library_tab import build_library_tab, cited_opener, reader_outputs
from ui.sidebar import Conversations
from ui.sidebar_panel import build_sidebar, wire_feedback, wire_sidebar

__all__ = [
    "DESCRIPTION",
    "TITLE",
    "add_chat_api",
    "build_app",
    "chat_fn",
]

TITLE = "Article assistant"
DESCRIPTION = "Ask about the ingested articles. Every claim quotes an article and is numbered [n]: click it to see the source."


def build_app(assistant: Assistant, owners: LoginOwners | None = None) -> gr.Blocks:
    """The whole UI over ``assistant``; its `/chat` endpoint is also part of the HTTP API.

    ``owners`` tells whose conversations a signed-in user name sees (with API keys).
    """
    chat = Chat(assistant)
    conversations = Conversations(assistant, chat, owners or LoginOwners())
    ttl = assistant.settings.upload_ttl_seconds
    # Gradio keeps every file uploaded to it, used or not, unless told to sweep: a file chosen in
    # the library and never added, or posted to /gradio_api/upload by hand, stayed on disk for good.
    demo = gr.Blocks(title=TITLE, analytics_enabled=False, delete_cache=(sweep_interval(ttl), ttl))
    with demo:
        page_script = assets()
        with gr.Sidebar(label="Conversations", elem_id="sidebar", width=260):
            sidebar = build_sidebar()
        header()
        with gr.Tabs() as tabs:
            with gr.Tab("Chat", id="chat-tab"):
                view = build_chat_tab(
                    conversations, assistant.settings, sidebar.conversation, sidebar.listing
                )
            with gr.Tab("Library", id="library-tab", elem_id="library-tab"):
                library = Library(assistant)
                reading = build_library_tab(demo, library, view)
        wire_sidebar(demo, conversations, sidebar, view, tabs)
        wire_feedback(conversations, page_script, view)
        page_script.select(cited_opener(library), None, [tabs, *reader_outputs(reading)], **QUICK)
        add_chat_api(assistant)
    return demo


def sweep_interval(ttl: int) -> int:
    """How often to look for expired uploads: a file outlives its ``ttl`` by at most a tenth of it (5 min at most)."""
    return max(1, min(ttl // 10, 300))


def header() -> gr.HTML:
    """The page's one-line title and what the app does: short, so the question box fits the first screen."""
    text = f'<header class="app-header"><h1>{TITLE}</h1><p>{html.escape(DESCRIPTION)}</p></header>'
    return gr.HTML(text, js_on_load=None, elem_id="app-header")
