"""Turning what a user points at (files, folders, URLs, ready Articles) into clean ``Article``s.

Every input yields its articles or a ``Failure`` saying why not; one bad input never stops the rest.
"""

from __future__ import annotations

import dataclasses
import os
import re
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from rag.errors import FetchError, LoadError
from rag.settings import Settings
from rag.types import Article, Failure

from .article import build_article, check_length, title_from_name
from .files import article_from_text, decode_text, read_file, sniff_kind
from .html import article_from_html
from .markdown import article_from_markdown
from .pdf import PdfLimits, article_from_pdf
from .records import load_json, load_jsonl
from .web import AddressPolicy, Fetched, Resolver, address_problem, fetch_url, resolve_host

__all__ = [
    "NO_SUPPORTED_FILES",
    "SUPPORTED_EXTENSIONS",
    "iter_folder",
    "load_file",
    "load_source",
    "load_sources",
    "load_url",
]

SUPPORTED_EXTENSIONS = (".htm", ".html", ".json", ".jsonl", ".markdown", ".md", ".pdf", ".txt")
NO_SUPPORTED_FILES = f"folder has no supported files ({', '.join(SUPPORTED_EXTENSIONS)})"
_URL = re.compile(r"^https?://", re.IGNORECASE)
_OTHER_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*://", re.IGNORECASE)
_HTML_TYPES = frozenset({"text/html", "application/xhtml+xml", ""})

Loaded = Article | Failure


def load_sources(sources: Iterable[str | Path | Article], settings: Settings) -> Iterator[Loaded]:
    """Load every source in order, yielding each article or the reason a source failed."""
    for source in sources:
        yield from load_source(source, settings)


def load_source(source: str | Path | Article, settings: Settings) -> Iterator[Loaded]:
    """One source: an Article is re-cleaned, an http(s) string is fetched, anything else is a path."""
    if isinstance(source, Article):
        yield _clean_given(source)
    elif isinstance(source, str) and _URL.match(source):
        yield _guarded(source, lambda: load_url(source, settings))
    elif isinstance(source, str) and _OTHER_SCHEME.match(source):
        yield Failure(source, "only http:// and https:// URLs can be fetched")
    else:
        yield from _load_path(Path(source), settings)


def load_file(path: Path, settings: Settings) -> list[Loaded]:
    """All articles in one file (several for JSON), or a Failure naming what is wrong with it."""
    try:
        return _read_articles(path, settings)
    except LoadError as err:
        return [Failure(str(path), str(err))]


def load_url(
    url: str, settings: Settings, resolve: Resolver = resolve_host, policy: AddressPolicy = address_problem
) -> Article:
    """Fetch ``url`` safely and load it as HTML, plain text or PDF; raises FetchError or LoadError.

    ``resolve`` and ``policy`` decide which addresses a host name means and which may be connected to.
    """
    fetched = fetch_url(url, settings, resolve, policy)
    name = _name_of_url(fetched.url)
    kind = fetched.content_type
    if kind == "" and fetched.body.lstrip().startswith(b"%PDF-"):
        kind = "application/pdf"
    if kind in _HTML_TYPES:
        return article_from_html(_html_input(fetched), source=url, fallback_title=name, url=fetched.url)
    if kind == "text/plain":
        return article_from_text(_decode_fetched(fetched), source=url, name=name, url=fetched.url)
    if kind == "application/pdf":
        return article_from_pdf(
            fetched.body, source=url, name=name, url=fetched.url, limits=pdf_limits(settings)
        )
    raise FetchError(f"Cannot load {url}: its content type {kind} is not HTML, plain text or PDF")


def iter_folder(folder: Path) -> Iterator[Path]:
    """Supported files under ``folder``, recursively and sorted, skipping hidden files and folders."""
    for root, dirs, files in os.walk(folder):
        dirs[:] = sorted(name for name in dirs if not name.startswith("."))
        for name in sorted(files):
            if not name.startswith(".") and Path(name).suffix.lower() in SUPPORTED_EXTENSIONS:
                yield Path(root) / name


def _load_path(path: Path, settings: Settings) -> Iterator[Loaded]:
    if not path.exists():
        yield Failure(str(path), "no such file or folder (check the path)")  # the report names the path
    elif path.is_dir():
        found = False
        for file in iter_folder(path):
            found = True
            yield from load_file(file, settings)
        if not found:
            yield Failure(str(path), NO_SUPPORTED_FILES)
    else:
        yield from load_file(path, settings)


def _read_articles(path: Path, settings: Settings) -> list[Loaded]:
    source, extension = str(path), path.suffix.lower()
    if extension not in SUPPORTED_EXTENSIONS:
        shown = extension or "(no extension)"
        raise LoadError(f"unsupported file type {shown}: supported are {', '.join(SUPPORTED_EXTENSIONS)}")
    data = read_file(path, settings.max_file_bytes)
    if not data:
        raise LoadError("file is empty (has no text)")
    if extension == ".pdf":
        return [article_from_pdf(data, source=source, name=path.name, limits=pdf_limits(settings))]
    kind = sniff_kind(data)
    if kind:
        raise LoadError(f"is {kind}, not a {extension} file: rename or convert it")
    text = decode_text(data)
    if not text.strip():
        raise LoadError("file is empty (has no text)")
    if extension == ".json":
        return list(load_json(text, source, settings.max_article_chars))
    if extension == ".jsonl":
        return list(load_jsonl(text, source, settings.max_article_chars))
    check_length(len(text), settings.max_article_chars)
    if extension in (".md", ".markdown"):
        return [article_from_markdown(text, source=source, name=path.name)]
    if extension in (".html", ".htm"):
        return [article_from_html(text, source=source, fallback_title=title_from_name(path.name))]
    return [article_from_text(text, source=source, name=path.name)]


def pdf_limits(settings: Settings) -> PdfLimits:
    """The page and character limits a PDF is read within."""
    return PdfLimits(pages=settings.max_pdf_pages, chars=settings.max_article_chars)


def _clean_given(article: Article) -> Loaded:
    """Clean a caller's Article; PDF-derived ones keep their text so ``page_starts`` stay true."""
    if article.page_starts:
        return article
    source = article.source or article.url or article.title or "article"
    try:
        cleaned = build_article(
            article.text,
            source=article.source,
            title=article.title,
            url=article.url,
            fallback_title=article.title or article.source or article.url or "Untitled article",
        )
    except LoadError as err:
        return Failure(source, str(err))
    published = article.published or cleaned.published
    return dataclasses.replace(article, title=cleaned.title, text=cleaned.text, published=published)


def _guarded(source: str, load: Callable[[], Article]) -> Loaded:
    try:
        return load()
    except LoadError as err:
        return Failure(source, str(err))


def _name_of_url(url: str) -> str:
    path = url.split("?", 1)[0].split("#", 1)[0].rstrip("/")
    segment = path.rsplit("/", 1)[-1] if path.count("/") > 2 else ""
    return title_from_name(segment) or path.split("//", 1)[-1]


def _html_input(fetched: Fetched) -> str | bytes:
    """Decode with the server's charset when it names one; otherwise trafilatura reads the <meta> charset."""
    if not fetched.charset:
        return fetched.body
    try:
        return fetched.body.decode(fetched.charset, errors="replace")
    except LookupError:
        return fetched.body


def _decode_fetched(fetched: Fetched) -> str:
    if fetched.charset:
        try:
            return fetched.body.decode(fetched.charset)
        except (LookupError, UnicodeDecodeError):
            pass
    return decode_text(fetched.body)
