"""Bounded inputs: an article over the character limit, or a PDF over the page limit, fails alone with
the setting to raise; the rest of the ingest goes on, and stored sources name files, not server paths."""

from __future__ import annotations

import json
import time
import zlib
from pathlib import Path

import pytest

from rag import Article, Assistant, Settings
from rag.loaders import load_file
from rag.loaders.article import source_label
from rag.types import Failure
from tests.pdf_files import pdf_document

STORY = "The harbour of Westport reopened on Monday after a storm closed it for a week. "
LIMIT = 2_000


@pytest.fixture
def limited(tmp_path: Path) -> Assistant:
    assistant = Assistant(
        Settings(
            data_dir=tmp_path / "data", embedding_backend="hash", max_article_chars=LIMIT, max_pdf_pages=10
        )
    )
    yield assistant
    assistant.close()


def pdf_with_pages(
    pages: int, line: bytes = b"The harbour reopened on Monday.", count: int | None = None
) -> bytes:
    """A PDF of ``pages`` pages that all show ``line`` (one shared content stream); its page tree
    declares ``count`` pages (the truth by default)."""
    stream = zlib.compress(b"BT /F1 12 Tf 72 700 Td (%s) Tj ET\n" % line)
    kids = b" ".join(b"%d 0 R" % (5 + n) for n in range(pages))
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [%s] /Count %d >>" % (kids, pages if count is None else count),
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
    ]
    page = b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 3 0 R /Resources << /Font << /F1 4 0 R >> >> >>"
    objects += [page] * pages
    return pdf_document(objects)


def test_a_file_over_the_character_limit_fails_alone(limited: Assistant, tmp_path: Path) -> None:
    (tmp_path / "long.txt").write_text("Long report\n\n" + STORY * 40, encoding="utf-8")
    (tmp_path / "short.txt").write_text("Short report\n\n" + STORY, encoding="utf-8")
    (tmp_path / "long.md").write_text("# Long\n\n" + STORY * 40, encoding="utf-8")
    report = limited.ingest([tmp_path / "long.txt", tmp_path / "short.txt", tmp_path / "long.md"])
    assert len(report.added) == 1 and len(report.failures) == 2
    for failure in report.failures:
        assert f"over the {LIMIT:,}-character limit per article" in failure.reason
        assert "RAG_MAX_ARTICLE_CHARS" in failure.reason


def test_a_record_over_the_limit_fails_alone(limited: Assistant, tmp_path: Path) -> None:
    records = [
        {"id": "long", "title": "Long", "text": STORY * 40},
        {"id": "short", "title": "Short", "text": STORY},
    ]
    (tmp_path / "records.jsonl").write_text("\n".join(json.dumps(r) for r in records), encoding="utf-8")
    (tmp_path / "records.json").write_text(json.dumps({"articles": records[:1]}), encoding="utf-8")
    report = limited.ingest([tmp_path / "records.jsonl", tmp_path / "records.json"])
    assert report.added == ["short"]
    assert [f.source.rsplit("/", 1)[-1] for f in report.failures] == ["records.jsonl#1", "records.json#1"]
    assert all("RAG_MAX_ARTICLE_CHARS" in f.reason for f in report.failures)


def test_articles_handed_in_directly_are_held_to_the_limit(limited: Assistant) -> None:
    report = limited.ingest(
        [Article(title="Long", text=STORY * 40), Article(title="Short", text=STORY, id="s")]
    )
    assert report.added == ["s"] and "RAG_MAX_ARTICLE_CHARS" in report.failures[0].reason


@pytest.mark.parametrize(("declared", "shown"), [(None, "100,000"), (1, "2,001")])
def test_a_pdf_over_the_page_limit_is_refused_before_extraction(
    tmp_path: Path, declared: int | None, shown: str
) -> None:
    path = tmp_path / "huge.pdf"
    path.write_bytes(pdf_with_pages(100_000, count=declared))  # declaring 1: its page tree lies
    started = time.monotonic()
    [failure] = load_file(path, Settings(max_pdf_pages=2000))
    elapsed = time.monotonic() - started
    assert isinstance(failure, Failure), failure
    assert f"has {shown} pages, over the 2,000-page limit" in failure.reason, failure.reason
    assert "RAG_MAX_PDF_PAGES" in failure.reason
    print(
        f"100,000-page PDF ({path.stat().st_size:,} bytes, declaring {declared}) refused in {elapsed:.2f} s"
    )


def test_a_pdf_within_the_limits_loads_and_one_over_them_fails(limited: Assistant, tmp_path: Path) -> None:
    (tmp_path / "ten.pdf").write_bytes(pdf_with_pages(10))
    (tmp_path / "eleven.pdf").write_bytes(pdf_with_pages(11))
    (tmp_path / "wordy.pdf").write_bytes(pdf_with_pages(5, b"The harbour reopened on Monday. " * 20))
    report = limited.ingest([tmp_path / "ten.pdf", tmp_path / "eleven.pdf", tmp_path / "wordy.pdf"])
    assert len(report.added) == 1, report
    reasons = sorted(f.reason for f in report.failures)
    assert "over the 10-page limit" in reasons[0] and "RAG_MAX_ARTICLE_CHARS" in reasons[1], reasons
    assert reasons[1].startswith("is over ")  # extraction stopped at the limit: the rest is never read


def test_stored_sources_name_files_not_server_paths(hash_assistant: Assistant, tmp_path: Path) -> None:
    folder = tmp_path / "private" / "reports"
    folder.mkdir(parents=True)
    (folder / "harbour.txt").write_text("Harbour news\n\n" + STORY, encoding="utf-8")
    (folder / "records.jsonl").write_text(
        json.dumps({"title": "Ferry", "text": STORY + "Ferry."}), encoding="utf-8"
    )
    report = hash_assistant.ingest([folder])
    assert len(report.added) == 2, report
    sources = sorted(a.source for a in hash_assistant.articles())
    assert sources == ["harbour.txt", "json:records.jsonl#1"]
    assert all(str(tmp_path) not in hash_assistant.article(a).text for a in report.added)


def test_a_file_name_that_is_not_utf8_is_shown_with_a_replacement_character(
    hash_assistant: Assistant, tmp_path: Path
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    with open(
        bytes(folder) + b"/caf\xe9 notes.txt", "w", encoding="utf-8"
    ) as file:  # Latin-1 bytes in the name
        file.write("the bell rang twelve times on sunday and nobody came.\n")
    report = hash_assistant.ingest([folder])
    assert len(report.added) == 1 and not report.failures, report
    [stored] = hash_assistant.articles()
    assert stored.source == "caf\ufffd notes.txt" and stored.title == "caf\ufffd notes"


@pytest.mark.parametrize(
    ("source", "label"),
    [
        ("/srv/data/in/a.txt", "a.txt"), ("in/a.txt", "a.txt"), ("a.txt", "a.txt"),
        ("/tmp/gradio/0f3a9c/lantern.md", "lantern.md"), ("json:/srv/in/r.jsonl#12", "json:r.jsonl#12"),
        ("https://example.com/news/a.html", "https://example.com/news/a.html"), ("pasted", "pasted"), ("", ""),
    ],
)  # fmt: skip
def test_source_label(source: str, label: str) -> None:
    assert source_label(source) == label
