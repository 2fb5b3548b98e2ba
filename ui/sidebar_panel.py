"""The conversation sidebar's layout and events: new chat, the saved conversations, rename and delete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ui.chat_tab import ChatView
from ui.events import HIDDEN, QUICK, event_data
from ui.sidebar import Conversations

# The open conversation's id, kept in the browser's localStorage under a fixed key so that a reload
# or a server restart finds it. The "secret" only obfuscates: the id opens nothing without its owner.
OPEN_CONVERSATION: Any = {"storage_key": "article-rag-conversation", "secret": "article-rag"}


@dataclass(frozen=True)
class SidebarView:
    """The conversation sidebar's components."""

    conversation: gr.BrowserState
    listing: gr.HTML
    new_chat: gr.Button
    title: gr.Textbox
    rename: gr.Button
    delete: gr.Button
    confirm: gr.Row
    yes: gr.Button
    no: gr.Button
    status: gr.Markdown


# A click on a conversation in the list opens it (its id travels with the event).
LIST_SCRIPT = """
element.addEventListener('click', (event) => {
  const item = event.target instanceof Element ? event.target.closest('button.open-conversation') : null;
  if (item) trigger('select', {conversation_id: item.dataset.conversation});
});
"""


def build_sidebar() -> SidebarView:
    """The saved conversations: new chat, the list (newest first), and renaming or deleting the open one."""
    conversation = gr.BrowserState("", **OPEN_CONVERSATION)
    gr.HTML("<h2>Conversations</h2>", js_on_load=None, elem_classes="section-heading")
    new_chat = gr.Button("New chat", elem_id="new-chat", size="sm")
    listing = gr.HTML(js_on_load=LIST_SCRIPT, elem_id="conversations")
    with gr.Accordion("Rename or delete this conversation", open=False, elem_id="conversation-tools"):
        title = gr.Textbox(label="Title", elem_id="conversation-title", max_lines=1)
        rename = gr.Button("Rename", elem_id="rename-conversation", size="sm")
        delete = gr.Button("Delete conversation…", variant="stop", elem_id="delete-conversation", size="sm")
        with gr.Row(visible=False, elem_id="confirm-conversation-row") as confirm:
            yes = gr.Button(
                "Yes, delete it", variant="stop", elem_id="confirm-delete-conversation", size="sm"
            )
            no = gr.Button("Cancel", elem_id="cancel-delete-conversation", size="sm")
    status = gr.Markdown(elem_id="conversation-status")
    return SidebarView(conversation, listing, new_chat, title, rename, delete, confirm, yes, no, status)


def wire_sidebar(
    demo: gr.Blocks, conversations: Conversations, sidebar: SidebarView, view: ChatView, tabs: gr.Tabs
) -> None:
    """Open the remembered conversation on load; open, start, rename and delete conversations on request."""
    shown = [view.chatbot, view.turns, sidebar.conversation, sidebar.listing, sidebar.title]
    settle = [view.examples_row, *view.buttons]
    demo.load(conversations.open, sidebar.conversation, shown, **QUICK).then(
        _settled, view.chatbot, settle, **QUICK
    )
    sidebar.listing.select(
        opener(conversations), None, [*shown, tabs], cancels=list(view.answering), **QUICK
    ).then(_settled, view.chatbot, settle, **QUICK)
    sidebar.new_chat.click(
        opener(conversations, fresh=True), None, [*shown, tabs], cancels=list(view.answering), **QUICK
    ).then(_settled, view.chatbot, settle, **QUICK)
    sidebar.rename.click(
        conversations.rename,
        [sidebar.conversation, sidebar.title],
        [sidebar.listing, sidebar.status],
        **QUICK,
    )
    sidebar.delete.click(lambda: gr.update(visible=True), None, sidebar.confirm, **QUICK)
    sidebar.no.click(lambda: gr.update(visible=False), None, sidebar.confirm, **QUICK)
    removed = [view.chatbot, view.turns, sidebar.conversation, sidebar.listing, sidebar.status]
    sidebar.yes.click(
        conversations.delete, sidebar.conversation, removed, cancels=list(view.answering), **QUICK
    ).then(
        lambda: (gr.update(visible=False), gr.update(value="")),
        None,
        [sidebar.confirm, sidebar.title],
        **QUICK,
    ).then(_settled, view.chatbot, settle, **QUICK)


def wire_feedback(conversations: Conversations, assets: gr.HTML, view: ChatView) -> None:
    """A rating from an answer's toolbar (an event of the page script's component) is saved; a note may follow."""
    feedback = view.feedback
    assets.click(conversations.rate, None, [feedback.row, feedback.pending, feedback.status], **HIDDEN)
    saved = [feedback.row, feedback.note, feedback.status]
    gr.on(
        [feedback.save.click, feedback.note.submit],
        conversations.save_note,
        [feedback.pending, feedback.note],
        saved,
        **HIDDEN,
    )
    feedback.close.click(lambda: (gr.update(visible=False), "", ""), None, saved, **QUICK)


def opener(
    conversations: Conversations, fresh: bool = False
) -> Callable[[gr.EventData, gr.Request], tuple[Any, ...]]:
    """Open the conversation clicked in the list (or, ``fresh``, a new one), in the chat tab."""

    def open_clicked(event: gr.EventData, request: gr.Request) -> tuple[Any, ...]:
        conversation_id = "" if fresh else str(event_data(event).get("conversation_id", ""))
        return (*conversations.open(conversation_id, request), gr.update(selected="chat-tab"))

    return open_clicked


def _settled(messages: list[Any] | None) -> tuple[Any, ...]:
    # Examples only for an empty chat; Ask back in place of Stop whatever was cancelled.
    return gr.update(visible=not messages), gr.update(visible=True), gr.update(visible=False)
