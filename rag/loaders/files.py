"""Reading files safely: size limit, binary detection, text decoding, and plain-text articles."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

from rag.days import parse_date
from rag.errors import LoadError
from rag.types import Article

from .article import build_article, title_from_name

# Signatures of formats people most often save under a wrong extension.
_MAGIC = (
    (b"%PDF-", "a PDF"),
    (b"PK\x03\x04", "a ZIP archive (Word, EPUB, ...)"),
    (b"\x89PNG", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"{\\rtf", "an RTF document"),
)
_CONTROL = (frozenset(range(0x20)) - {0x09, 0x0A, 0x0B, 0x0C, 0x0D}) | {0x7F}
_MAX_CONTROL_RATIO = 0.02
_DATE_LINE = re.compile(r"^(?:published|date|posted|updated)\s*:\s*(.+)$", re.IGNORECASE)
_DATE_LINE_WINDOW = 5


def read_file(path: Path, max_bytes: int) -> bytes:
    """Read a whole file, refusing it before reading when it is over the size limit."""
    try:
        size = path.stat().st_size
        if size > max_bytes:
            limit = f"the {max_bytes:,}-byte limit (raise RAG_MAX_FILE_BYTES to allow)"
            raise LoadError(f"file is {size:,} bytes, over {limit}")
        return path.read_bytes()
    except OSError as err:
        raise LoadError(f"could not be read: {err.strerror or err}") from err


def sniff_kind(data: bytes) -> str:
    """Name the binary format ``data`` starts with, or "" when it has no known signature."""
    head = data.lstrip()[:16]
    return next((name for magic, name in _MAGIC if head.startswith(magic)), "")


def decode_text(data: bytes) -> str:
    """Decode file bytes as UTF-8 (BOM or not), then cp1252 only if the bytes look like text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as err:
            raise LoadError("starts like UTF-16 text but cannot be decoded as UTF-16") from err
    if b"\x00" in data:
        raise LoadError("looks like a binary file (it contains NUL bytes), not text")
    if not _looks_like_text(data):
        raise LoadError("looks like a binary file (too many control characters), not text")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp1252")
    except UnicodeDecodeError as err:
        raise LoadError("is neither UTF-8 nor Windows-1252 text: save it as UTF-8 and retry") from err


def _looks_like_text(data: bytes) -> bool:
    sample = data[:65536]
    controls = sum(1 for byte in sample if byte in _CONTROL)
    return controls <= _MAX_CONTROL_RATIO * max(len(sample), 1)


def article_from_text(text: str, source: str, name: str, url: str = "") -> Article:
    """A plain-text article: headline detected by the cleaner, a leading "Published: ..." line read."""
    body, published = _split_date_line(text)
    return build_article(
        body, source=source, url=url, published=published, fallback_title=title_from_name(name)
    )


def _split_date_line(text: str) -> tuple[str, dt.date | None]:
    """Take a labelled date line off the top, so it dates the article instead of being quoted."""
    lines = text.splitlines()
    for index, line in enumerate(lines[:_DATE_LINE_WINDOW]):
        match = _DATE_LINE.match(line.strip())
        if match and (published := parse_date(match.group(1))):
            return "\n".join(lines[:index] + lines[index + 1 :]), published
    return text, None
