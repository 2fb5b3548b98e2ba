"""PDF articles: the text layer page by page, with where each page starts so citations can name it."""

from __future__ import annotations

import io
import re
from dataclasses import dataclass

from pypdf import PdfReader
from pypdf.errors import PyPdfError
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NumberObject

from rag.cleaning import clean_article_text
from rag.errors import LoadError
from rag.types import Article

from .article import check_length, title_from_name

PAGE_SEPARATOR = "\n\n"
_PLACEHOLDER_TITLES = re.compile(
    r"^(?:untitled|document\d*|microsoft word\b.*|.*\.(?:docx?|pdf|odt|tex))$", re.IGNORECASE
)
# Damaged PDFs make pypdf fail in many ways besides its own errors; all mean "cannot read this file".
# Text PDFs unpack to a few times their size; the floor lets small files with dense pages through.
_CONTENT_RATIO = 20
_CONTENT_FLOOR_BYTES = 512_000
_PDF_ERRORS = (PyPdfError, ValueError, KeyError, IndexError, TypeError, AttributeError, RecursionError)


@dataclass(frozen=True)
class PdfLimits:
    """How much of a PDF is read: at most ``pages`` pages and ``chars`` characters of text."""

    pages: int
    chars: int


def article_from_pdf(data: bytes, source: str, name: str, limits: PdfLimits, url: str = "") -> Article:
    """The text of a PDF with ``page_starts``; raises LoadError for unreadable, scanned or too long PDFs."""
    if b"%PDF-" not in data[:1024]:
        raise LoadError("is not a PDF (it has no %PDF header), although it is named or served as one")
    title, pages = _read_pdf(data, limits)
    if not any(page.strip() for page in pages):
        raise LoadError("has no text layer (scanned PDF?): run OCR on it first, e.g. with ocrmypdf")
    first = clean_article_text(pages[0], title=title)
    title = first.title or title_from_name(name)
    # Later pages get the title so the cleaner only drops running headers, never detects a new headline.
    cleaned = [first.text] + [clean_article_text(page, title=title).text for page in pages[1:]]
    text, starts = join_pages(cleaned)
    if not text:
        raise LoadError("has no text (nothing is left once page boilerplate is removed)")
    return Article(title=title, text=text, url=url or None, source=source, page_starts=starts)


def join_pages(pages: list[str]) -> tuple[str, tuple[int, ...]]:
    """Join page texts with blank lines; one start offset per page, empty pages included."""
    text = ""
    starts: list[int] = []
    for page in pages:
        if page and text:
            text += PAGE_SEPARATOR
        starts.append(len(text))
        text += page
    return text, tuple(starts)


def _read_pdf(data: bytes, limits: PdfLimits) -> tuple[str, list[str]]:
    """The single call into pypdf: the document title and the raw text of every page."""
    try:
        reader = PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):
            raise LoadError("is password-protected: save an unlocked copy and retry")
        title = reader.metadata.title if reader.metadata else None
        if (pages := count_pages(reader, limits.pages)) > limits.pages:
            raise LoadError(
                f"has {pages:,} pages, over the {limits.pages:,}-page limit "
                "(split it, or raise RAG_MAX_PDF_PAGES to allow)"
            )
        _check_content_size(reader, len(data))
        return _useful_title(str(title or "")), _page_texts(reader, limits.chars)
    except _PDF_ERRORS as err:
        raise LoadError(f"is not a readable PDF: {err}") from err


def count_pages(reader: PdfReader, limit: int) -> int:
    """The document's page count when it is within ``limit``, else a count over it, found by
    reading at most ``limit`` + 1 page objects (pypdf's own count reads them all: 79 s for 100,000)."""
    root = reader.root_object.get("/Pages")
    root = root.get_object() if root is not None else None
    if not isinstance(root, DictionaryObject):
        raise LoadError("is not a readable PDF: it has no page tree")
    declared = root.get("/Count")
    if isinstance(declared, NumberObject) and int(declared) > limit:  # an honest huge PDF says so at its root
        return int(declared)
    count, seen, stack = 0, set[int](), [root]
    while stack and count <= limit:
        kids = stack.pop().get("/Kids")
        kids = kids.get_object() if kids is not None else None
        for kid in kids if isinstance(kids, ArrayObject) else ():
            if isinstance(kid, IndirectObject):
                if kid.idnum in seen:
                    continue  # a page tree that loops back on itself
                seen.add(kid.idnum)
            node = kid.get_object()
            if isinstance(node, DictionaryObject) and "/Kids" in node:
                stack.append(node)
            else:
                count += 1
            if count > limit:
                break
    return count


def _page_texts(reader: PdfReader, max_chars: int) -> list[str]:
    """Each page's text, stopping as soon as the whole is over the per-article limit."""
    pages: list[str] = []
    total = 0
    for page in reader.pages:
        pages.append(page.extract_text() or "")
        total += len(pages[-1])
        if total > max_chars:
            check_length(total, max_chars, read_so_far=True)
    return pages


def _check_content_size(reader: PdfReader, file_bytes: int) -> None:
    """Refuse page contents far larger than the file: text extraction costs ~10 s of CPU per MB,
    and a few KB of compressed zeros or repeated operators can unpack to many MB (a PDF bomb)."""
    budget = _CONTENT_FLOOR_BYTES + _CONTENT_RATIO * file_bytes
    total = 0
    for page in reader.pages:
        contents = page.get_contents()
        total += len(contents.get_data()) if contents is not None else 0
        if total > budget:
            raise LoadError(
                f"unpacks to at least {total:,} bytes of page content from a {file_bytes:,}-byte file: "
                "refused as a likely decompression bomb"
            )


def _useful_title(title: str) -> str:
    """The metadata title unless it is a tool's placeholder ("untitled", "Microsoft Word - a.docx")."""
    title = title.strip()
    return "" if _PLACEHOLDER_TITLES.match(title) else title
