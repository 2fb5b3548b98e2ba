"""The library tab's layout and events: add files or pasted text, list and filter articles, read one, delete."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import gradio as gr

from ui.chat import example_questions
from ui.chat_tab import ChatView, example_updates
from ui.events import HIDDEN, QUICK, event_data
from ui.library import FILE_TYPES, Library
from ui.library_html import ORDERS

Refresh = Callable[..., tuple[Any, ...]]
# A click on a title opens the article (the id travels with the event); the reader scrolls to its
# first highlighted passage, or its title, whenever it shows another article.
LIST_SCRIPT = """
element.addEventListener('click', (event) => {
  const read = event.target instanceof Element ? event.target.closest('button.read') : null;
  if (read) trigger('select', {article_id: read.dataset.article});
});
"""
READER_SCRIPT = """
const show = () => {
  const title = element.querySelector('#reader-title');
  const mark = element.querySelector('mark');
  if (mark) mark.scrollIntoView({block: 'center'}); else if (title) title.scrollIntoView({block: 'start'});
  if (title) title.focus({preventScroll: true});
};
watch('value', show);
requestAnimationFrame(show);
"""


@dataclass(frozen=True)
class ReaderView:
    """The reader's components, which the chat's "open in article" links also fill."""

    html: gr.HTML
    opened: gr.State
    browser: gr.Column
    panel: gr.Column


def build_library_tab(demo: gr.Blocks, library: Library, view: ChatView) -> ReaderView:
    """The library; it refreshes the list, the search scope and the chat's examples on load and on change."""
    with (
        gr.Accordion("Add articles", open=True, elem_id="add-articles") as adding,
        gr.Row(equal_height=False),
    ):
        with gr.Column(min_width=280):
            gr.HTML("<h2>Add files</h2>", js_on_load=None, elem_classes="section-heading")
            files = gr.File(
                file_count="multiple", file_types=FILE_TYPES, elem_id="upload",
                label="Articles: .txt .md .html .json .jsonl .pdf",
            )  # fmt: skip
            upload = gr.Button("Add files", variant="primary", elem_id="add-files")
        with gr.Column(min_width=280):
            gr.HTML("<h2>Paste an article</h2>", js_on_load=None, elem_classes="section-heading")
            title = gr.Textbox(label="Title", elem_id="paste-title")
            url = gr.Textbox(label="Link (optional)", placeholder="https://…", elem_id="paste-url")
            published = gr.Textbox(
                label="Published (optional)", placeholder="YYYY-MM-DD or 7 Dec 2026", elem_id="paste-date"
            )
            text = gr.Textbox(label="Text", lines=6, elem_id="paste-text")
            add = gr.Button("Add article", variant="primary", elem_id="add-article")
    status = gr.Markdown(elem_id="library-status")
    with gr.Column(elem_id="article-browser") as browser:
        gr.HTML("<h2>Articles</h2>", js_on_load=None, elem_classes="section-heading")
        with gr.Row(elem_id="list-filters"):
            search = gr.Textbox(
                label="Filter by words", placeholder="Words from a title, source or id", elem_id="search",
                min_width=200, scale=2,
            )  # fmt: skip
            since = gr.Textbox(
                label="Published from",
                placeholder="YYYY-MM-DD or 7 Dec 2026",
                elem_id="list-from",
                min_width=130,
            )
            until = gr.Textbox(
                label="Published to", placeholder="YYYY-MM-DD or 7 Dec 2026", elem_id="list-to", min_width=130
            )
            order = gr.Dropdown(ORDERS, value=ORDERS[0][1], label="Sort", elem_id="list-order", min_width=240)
        articles = gr.HTML(js_on_load=LIST_SCRIPT, elem_id="articles")
    with gr.Column(visible=False, elem_id="reader-panel") as panel:
        with gr.Row():
            back = gr.Button("← Back to the list", elem_id="reader-back", size="sm", scale=0, min_width=160)
            delete = gr.Button(
                "Delete this article…", variant="stop", elem_id="delete", size="sm", scale=0, min_width=160
            )
        with gr.Row(visible=False, elem_id="confirm-row") as confirm_row:
            confirm = gr.Markdown(elem_id="confirm-text")
            yes = gr.Button("Yes, delete", variant="stop", elem_id="confirm-delete", scale=0, min_width=120)
            no = gr.Button("Cancel", elem_id="cancel-delete", scale=0, min_width=100)
        reader = gr.HTML(js_on_load=READER_SCRIPT, elem_id="reader")
    opened = gr.State("")
    reading = ReaderView(reader, opened, browser, panel)

    filters: list[Any] = [search, since, until, order]
    refresh: Any = {
        "fn": refresher(library),
        "inputs": [*filters, view.scope],
        "outputs": [articles, view.scope, *view.examples],
        **QUICK,
    }
    # Unpreprocessed: gr.File's preprocessing leaves an empty temp file per file (Gradio 6.31).
    upload.click(library.receive, files, status, api_name="upload", preprocess=False, **HIDDEN).then(
        **refresh
    ).then(lambda: None, None, files, **QUICK)
    add.click(library.paste, [title, url, published, text], status, **HIDDEN).then(**refresh)
    gr.on([f.change for f in filters], library.listing, filters, articles, **QUICK)
    articles.select(opener(library), None, reader_outputs(reading), **QUICK)
    back.click(close_reader, None, [browser, panel, confirm_row], **QUICK)
    delete.click(ask_to_delete(library), opened, [confirm, confirm_row], **QUICK)
    no.click(lambda: gr.update(visible=False), None, confirm_row, **QUICK)
    yes.click(library.delete, opened, status, **HIDDEN).then(
        close_reader, None, [browser, panel, confirm_row], **QUICK
    ).then(**refresh)
    # The add forms make way for the list once there is one, in the same update as the list: folded in
    # a later step they closed under a reader (or a browser test) already filling them in.
    demo.load(opening(refresher(library), library), refresh["inputs"], [*refresh["outputs"], adding], **QUICK)
    return reading


def refresher(library: Library) -> Refresh:
    """Fresh article list, search scope (minus deleted articles) and example questions."""

    def refresh(query: str, since: str, until: str, order: Any, scope: list[str] | None) -> tuple[Any, ...]:
        choices = library.choices()
        ids = {article_id for _, article_id in choices}
        return (
            library.listing(query, since, until, order),
            gr.update(choices=choices, value=[i for i in scope or [] if i in ids]),
            *example_updates(example_questions(library.assistant.articles())),
        )

    return refresh


def opening(refresh: Refresh, library: Library) -> Refresh:
    """The library as a page opens: the refreshed list, and the add forms open only while it is empty."""

    def load(*inputs: Any) -> tuple[Any, ...]:
        return (*refresh(*inputs), gr.update(open=not library.choices()))

    return load


def reader_outputs(reading: ReaderView) -> list[Any]:
    """What opening an article updates: the reader, the opened id, and which of list and reader shows."""
    return [reading.html, reading.opened, reading.browser, reading.panel]


def opener(library: Library) -> Callable[[gr.EventData], tuple[Any, ...]]:
    """Open the article whose title was clicked in the list."""

    def open_article(event: gr.EventData) -> tuple[Any, ...]:
        article_id = str(event_data(event).get("article_id", ""))
        return show_article(library, article_id)

    return open_article


def cited_opener(library: Library) -> Callable[[gr.EventData], tuple[Any, ...]]:
    """Open the article a chat source names, in the library tab, its cited spans highlighted."""

    def open_cited(event: gr.EventData) -> tuple[Any, ...]:
        spans, _, article_id = str(event_data(event).get("target", "")).partition(" ")
        return (gr.update(selected="library-tab"), *show_article(library, article_id, parse_spans(spans)))

    return open_cited


def parse_spans(text: str) -> list[tuple[int, int]]:
    """ "10-52,60-90" as character spans; anything malformed is left out."""
    spans = []
    for part in text.split(","):
        start, _, end = part.partition("-")
        if start.isdigit() and end.isdigit():
            spans.append((int(start), int(end)))
    return spans


def show_article(
    library: Library, article_id: str, spans: list[tuple[int, int]] | None = None
) -> tuple[Any, ...]:
    """The reader showing ``article_id`` (with ``spans`` highlighted) in place of the list."""
    return (
        library.read(article_id, spans or ()),
        article_id,
        gr.update(visible=False),
        gr.update(visible=True),
    )


def close_reader() -> tuple[Any, ...]:
    """Back to the list."""
    return gr.update(visible=True), gr.update(visible=False), gr.update(visible=False)


def ask_to_delete(library: Library) -> Callable[[str | None], tuple[str, Any]]:
    """Show the confirmation for the article being read."""

    def ask(article_id: str | None) -> tuple[str, Any]:
        return library.confirm_text(article_id), gr.update(visible=True)

    return ask
