"""Article library callbacks: upload files, paste an article, list and filter, read one whole, delete."""

from __future__ import annotations

import contextlib
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import gradio as gr

from rag import parse_day
from rag.assistant import Assistant, checked_range
from rag.errors import RagError
from rag.types import Article, IngestReport, Progress, SearchFilter, StoredArticle, Upload
from ui.escaping import escape_text, safe_url
from ui.library_html import (
    ListFilter,
    Order,
    Span,
    render_list,
    render_reader,
    select_articles,
    source_name,
)
from ui.wording import counted

FILE_TYPES = [".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".pdf"]
PASTED_SOURCE = "pasted"
# Gradio hands an upload its progress bar through a parameter whose default is a gr.Progress.
TRACKER = gr.Progress()


class Library:
    """Library callbacks over one assistant; each returns a short status message in markdown or HTML."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def upload(self, paths: Sequence[str] | None, progress: gr.Progress = TRACKER) -> str:
        """Ingest files on the server, reporting progress in articles and each file that failed."""
        if not paths:
            return "⚠️ Choose one or more files first."
        return self._ingest([Upload(Path(p).name, Path(p).read_bytes()) for p in paths], progress)

    def receive(self, files: Sequence[Mapping[str, Any]] | None, progress: gr.Progress = TRACKER) -> str:
        """The "Add files" event (unpreprocessed FileData): Gradio's copies are read, then deleted,
        since Gradio keeps them forever; and gr.File's own preprocessing leaks an empty temp file each."""
        if not files:
            return "⚠️ Choose one or more files first."
        paths = [str(f["path"]) for f in files]
        try:
            uploads = [
                Upload(str(f.get("orig_name") or Path(f["path"]).name), Path(f["path"]).read_bytes())
                for f in files
            ]
        except OSError:
            return "⚠️ The uploaded files are gone from the server: choose them again."
        finally:
            remove_uploaded(paths)
        return self._ingest(uploads, progress)

    def _ingest(self, uploads: list[Upload], progress: gr.Progress) -> str:

        def report_progress(step: Progress) -> None:
            # In articles: a .jsonl file counts as its records.
            done = (step.done, max(step.total, step.done))
            progress(done, desc=f"Ingesting {source_name(step.current)}", unit="articles")

        try:
            report = self.assistant.ingest(uploads, report_progress)
        except RagError as error:
            return f"⚠️ {escape_text(str(error))}"
        return describe_report(report)

    def paste(self, title: str, url: str, published: str, text: str) -> str:
        """Ingest one article typed or pasted in, with its title, link and date."""
        try:
            article = pasted_article(title, url, published, text)
            report = self.assistant.ingest([article])
        except (RagError, ValueError) as error:
            return f"⚠️ {escape_text(str(error))}"
        return describe_report(report)

    def listing(
        self, query: str | None = "", published_from: str | None = "", published_to: str | None = "",
        order: Order = "published-desc",
    ) -> str:  # fmt: skip
        """The article list as HTML, filtered by words and published dates, in ``order``."""
        articles = self.assistant.articles()
        try:
            dates = SearchFilter(
                published_from=parse_day(published_from, "“Published from” date"),
                published_to=parse_day(published_to, "“Published to” date"),
            )
            checked_range(dates)  # the wrong way round is said, as the chat says it
            where = ListFilter(query or "", dates.published_from, dates.published_to, order)
        except RagError as error:
            return render_list(
                select_articles(articles, ListFilter(query or "", order=order)), len(articles), str(error)
            )
        return render_list(select_articles(articles, where), len(articles))

    def read(self, article_id: str | None, spans: Sequence[Span] = ()) -> str:
        """One article whole as HTML, with ``spans`` highlighted; a friendly notice when it is gone."""
        try:
            return render_reader(self.assistant.article(article_id or ""), spans)
        except RagError as error:
            return f'<p class="list-note" role="alert">⚠️ {escape_text(str(error))}</p>'

    def choices(self) -> list[tuple[str, str]]:
        """(label, id) pairs for pickers, newest article first."""
        return [(choice_label(a), a.id) for a in self.assistant.articles()]

    def confirm_text(self, article_id: str | None) -> str:
        """The question asked before deleting ``article_id``."""
        try:
            found = self.assistant.article(article_id or "")
        except RagError as error:
            return f"⚠️ {escape_text(str(error))}"
        return f"Delete **{escape_text(found.title or 'Untitled')}** and its {counted(found.chunks, 'chunk')}? This cannot be undone."

    def delete(self, article_id: str | None) -> str:
        """Delete the article; answers stop citing it at once."""
        if not article_id:
            return "⚠️ Choose an article to delete first."
        try:
            title = self.assistant.article(article_id).title
            self.assistant.delete(article_id)
        except RagError as error:
            return f"⚠️ {escape_text(str(error))}"
        return f"Deleted **{escape_text(title or 'Untitled')}**."


def remove_uploaded(paths: Sequence[str]) -> None:
    """Delete uploaded files and their folders (Gradio gives each upload a folder named by its hash)."""
    for name in paths:
        path = Path(name)
        path.unlink(missing_ok=True)
        with contextlib.suppress(OSError):  # not empty: the same file is also another upload's
            path.parent.rmdir()


def pasted_article(title: str, url: str, published: str, text: str) -> Article:
    """An Article from the paste form; raises ValueError (InputError for the date, ``rag.parse_day``)
    with a message a user can act on."""
    if not text.strip():
        raise ValueError("Paste the article's text first.")
    if not title.strip():
        raise ValueError("Give the article a title.")
    if url.strip() and not safe_url(url):
        raise ValueError("The link must be an http(s) URL, or left empty.")
    date = parse_day(published, "published date")
    return Article(
        title=title.strip(), text=text, url=url.strip() or None, published=date, source=PASTED_SOURCE
    )


def describe_report(report: IngestReport) -> str:
    """What an ingest did, with one line per input that failed and why."""
    lines = [
        ("✅ " if report.ok else "⚠️ ")
        + report.summary()
        + f" ({counted(report.chunks_written, 'chunk')} written)."
    ]
    lines += [f"- **{escape_text(source_name(f.source))}**: {escape_text(f.reason)}" for f in report.failures]
    return "\n".join(lines)


def choice_label(article: StoredArticle) -> str:
    """How a picker names an article: its title, and its id to tell namesakes apart."""
    return f"{' '.join(article.title.split()) or 'Untitled'} ({article.id})"
