"""The library tab's layout and events: add files or pasted text, list, search and delete articles."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import gradio as gr

from ui.chat import Chat
from ui.chat_tab import HIDDEN, QUICK, ChatView
from ui.library import COLUMNS, FILE_TYPES, Library

Refresh = Callable[[str, list[str] | None], tuple[Any, ...]]


def build_library_tab(demo: gr.Blocks, library: Library, chat: Chat, view: ChatView) -> None:
    """The library; it refreshes the list, the pickers and the chat's examples on load and on change."""
    with gr.Row(equal_height=False):
        with gr.Column(min_width=300):
            gr.Markdown("### Add files")
            files = gr.File(
                file_count="multiple", file_types=FILE_TYPES, elem_id="upload",
                label="Articles: .txt .md .html .json .jsonl .pdf",
            )  # fmt: skip
            upload = gr.Button("Add files", variant="primary", elem_id="add-files")
        with gr.Column(min_width=300):
            gr.Markdown("### Paste an article")
            title = gr.Textbox(label="Title", elem_id="paste-title")
            url = gr.Textbox(label="Link (optional)", placeholder="https://…", elem_id="paste-url")
            published = gr.Textbox(
                label="Published (optional)", placeholder="YYYY-MM-DD", elem_id="paste-date"
            )
            text = gr.Textbox(label="Text", lines=6, elem_id="paste-text")
            add = gr.Button("Add article", variant="primary", elem_id="add-article")
    status = gr.Markdown(elem_id="library-status")
    gr.Markdown("### Articles")
    search = gr.Textbox(
        label="Search the list", placeholder="Words from a title, source or id", elem_id="search"
    )
    table = gr.Dataframe(headers=COLUMNS, interactive=False, wrap=True, elem_id="articles")
    with gr.Row(equal_height=True):
        target = gr.Dropdown(choices=[], label="Article to delete", elem_id="delete-choice", scale=3)
        delete = gr.Button("Delete…", variant="stop", elem_id="delete", scale=1, min_width=100)
    with gr.Row(visible=False) as confirm_row:
        confirm = gr.Markdown(elem_id="confirm-text")
        yes = gr.Button("Yes, delete", variant="stop", elem_id="confirm-delete", min_width=100)
        no = gr.Button("Cancel", elem_id="cancel-delete", min_width=100)

    refresh = refresher(library, chat)
    views = [table, target, view.scope, view.chatbot]
    upload.click(library.upload, files, status, **HIDDEN).then(
        refresh, [search, view.scope], views, **QUICK
    ).then(lambda: None, None, files, **QUICK)
    add.click(library.paste, [title, url, published, text], status, **HIDDEN).then(
        refresh, [search, view.scope], views, **QUICK
    )
    search.change(library.table, search, table, **QUICK)
    table.select(picked_row, None, target, **QUICK)
    delete.click(ask_to_delete(library), target, [confirm, confirm_row], **QUICK)
    yes.click(library.delete, target, status, **HIDDEN).then(
        lambda: gr.update(visible=False), None, confirm_row, **QUICK
    ).then(refresh, [search, view.scope], views, **QUICK)
    no.click(lambda: gr.update(visible=False), None, confirm_row, **QUICK)
    demo.load(refresh, [search, view.scope], views, **QUICK)


def refresher(library: Library, chat: Chat) -> Refresh:
    """Fresh article list, delete picker, search scope (minus deleted articles) and example questions."""

    def refresh(query: str, scope: list[str] | None) -> tuple[Any, ...]:
        choices = library.choices()
        ids = {article_id for _, article_id in choices}
        return (
            library.table(query),
            gr.update(choices=choices, value=None),
            gr.update(choices=choices, value=[i for i in scope or [] if i in ids]),
            gr.update(examples=chat.examples() or None),
        )

    return refresh


def ask_to_delete(library: Library) -> Callable[[str | None], tuple[str, Any]]:
    """Show the confirmation for the chosen article (or say to choose one)."""

    def ask(article_id: str | None) -> tuple[str, Any]:
        if not article_id:
            return "⚠️ Choose an article first: pick it above or click its row.", gr.update(visible=True)
        return library.confirm_text(article_id), gr.update(visible=True)

    return ask


def picked_row(event: gr.SelectData) -> str:
    """The id of the clicked row of the article list (the last column)."""
    row = event.row_value or []
    return str(row[-1]) if row else ""
