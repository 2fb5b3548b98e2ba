"""Article library callbacks: upload files, paste an article, list and search, delete with confirmation."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import gradio as gr

from rag.assistant import Assistant
from rag.errors import RagError
from rag.ingest import Progress
from rag.types import Article, IngestReport, StoredArticle
from ui.render import escape_text, safe_url

FILE_TYPES = [".txt", ".md", ".markdown", ".html", ".htm", ".json", ".jsonl", ".pdf"]
COLUMNS = ["Title", "Source", "Published", "Chunks", "Added", "ID"]
PASTED_SOURCE = "pasted"
# Gradio hands an upload its progress bar through a parameter whose default is a gr.Progress.
TRACKER = gr.Progress()


class Library:
    """Library callbacks over one assistant; each returns a short status message in markdown."""

    def __init__(self, assistant: Assistant) -> None:
        self.assistant = assistant

    def upload(self, paths: Sequence[str] | None, progress: gr.Progress = TRACKER) -> str:
        """Ingest uploaded files, reporting progress per file and each file that failed."""
        if not paths:
            return "⚠️ Choose one or more files first."
        total, started = len(paths), set[str]()

        def report_progress(step: Progress) -> None:
            # Counted by input file: a .jsonl file holds many articles but is one step.
            started.add(step.current)
            progress(
                (min(len(started), total), total), desc=f"Ingesting {source_name(step.current)}", unit="files"
            )

        try:
            report = self.assistant.ingest([Path(p) for p in paths], report_progress)
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

    def table(self, query: str | None = "") -> list[list[object]]:
        """Rows of the article list, newest first, keeping those that match ``query``."""
        return [article_row(a) for a in self.assistant.articles() if matches(a, query or "")]

    def choices(self) -> list[tuple[str, str]]:
        """(label, id) pairs for pickers, newest article first."""
        return [(choice_label(a), a.id) for a in self.assistant.articles()]

    def confirm_text(self, article_id: str | None) -> str:
        """The question asked before deleting ``article_id``."""
        try:
            found = self.assistant.article(article_id or "")
        except RagError as error:
            return f"⚠️ {escape_text(str(error))}"
        return f"Delete **{escape_text(found.title or 'Untitled')}** and its {found.chunks} chunks? This cannot be undone."

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


def pasted_article(title: str, url: str, published: str, text: str) -> Article:
    """An Article from the paste form; raises ValueError with a message a user can act on."""
    if not text.strip():
        raise ValueError("Paste the article's text first.")
    if not title.strip():
        raise ValueError("Give the article a title.")
    if url.strip() and not safe_url(url):
        raise ValueError("The link must be an http(s) URL, or left empty.")
    try:
        date = dt.date.fromisoformat(published.strip()) if published.strip() else None
    except ValueError:
        raise ValueError("Write the published date as YYYY-MM-DD, or leave it empty.") from None
    return Article(title=title.strip(), text=text, url=url.strip(), published=date, source=PASTED_SOURCE)


def describe_report(report: IngestReport) -> str:
    """What an ingest did, with one line per input that failed and why."""
    lines = [
        ("✅ " if report.ok else "⚠️ ") + report.summary() + f" ({report.chunks_written} chunks written)."
    ]
    lines += [f"- **{escape_text(source_name(f.source))}**: {escape_text(f.reason)}" for f in report.failures]
    return "\n".join(lines)


def article_row(article: StoredArticle) -> list[object]:
    """One row of the article list (plain text: the table shows it as written)."""
    published = article.published.isoformat() if article.published else ""
    added = article.added_at.strftime("%Y-%m-%d %H:%M")
    return [article.title, source_name(article.source), published, article.chunks, added, article.id]


def matches(article: StoredArticle, query: str) -> bool:
    """Whether every word of ``query`` occurs in the article's title, source, URL or id."""
    haystack = " ".join([article.title, article.source, article.url, article.id]).casefold()
    return all(word in haystack for word in query.casefold().split())


def choice_label(article: StoredArticle) -> str:
    """How a picker names an article: its title, and its id to tell namesakes apart."""
    return f"{' '.join(article.title.split()) or 'Untitled'} ({article.id})"


def source_name(source: str) -> str:
    """A source as people know it: URLs whole, files by name (not the upload's temporary folder)."""
    return source if "://" in source else Path(source).name or source
