"""Fuzzing the file loaders: random and near-valid inputs give an Article or a Failure, never a crash.

Each property runs the real loader on a real file (``load_file``, as `rag ingest` and the upload
route do). Run with ``--hypothesis-show-statistics`` to see how many inputs each property tried.
"""

from __future__ import annotations

import io
import json
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from reportlab.pdfgen import canvas

from rag.errors import RagError
from rag.loaders import load_file
from rag.settings import Settings
from rag.types import Article, Failure

EXAMPLES = 150
FUZZ = settings(
    max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)  # fmt: skip
EXTENSIONS = (".txt", ".md", ".html", ".json", ".jsonl", ".pdf")
SETTINGS = Settings(max_file_bytes=2_000_000)
FOLDER = Path(tempfile.mkdtemp(prefix="rag-fuzz-"))

words = st.text(st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=40)
prose = st.lists(
    st.sampled_from(["The", "mayor", "said", "on", "Monday", "that", "**bold**", "[a](b)", "<b>", "&amp;",
                     "\n", "\n\n", "# ", "---", "*", "_", "![x](y)", "\x00", "\ufeff", "Photo:", "é", "😀"])
    | words,
    max_size=60,
).map(" ".join)  # fmt: skip


def loaded(name: str, data: bytes) -> list[Article | Failure]:
    """What the loader makes of ``data`` saved as ``name``; a RagError counts as a clear failure."""
    path = FOLDER / name
    path.write_bytes(data)
    try:
        items = load_file(path, SETTINGS)
    except RagError as err:
        return [Failure(name, str(err))]
    finally:
        path.unlink()
    for item in items:
        assert isinstance(item, (Article, Failure)), item
        if isinstance(item, Article):
            assert item.text.strip() and item.title.strip()
        else:
            assert item.reason
    return items


@pytest.mark.parametrize("extension", EXTENSIONS)
@FUZZ
@given(data=st.binary(max_size=4096))
def test_random_bytes_under_any_extension(extension: str, data: bytes) -> None:
    loaded("random" + extension, data)


@FUZZ
@given(text=prose, encoding=st.sampled_from(["utf-8", "utf-8-sig", "utf-16", "cp1252", "latin-1"]))
def test_near_valid_text_in_any_encoding(text: str, encoding: str) -> None:
    loaded("story.txt", text.encode(encoding, errors="replace"))


yaml_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | words,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(words, inner, max_size=4),
    max_leaves=10,
)
front_matter_line = st.sampled_from(["title", "url", "published", "date", "id", "link", "- item", "&a", "*a"]).flatmap(
    lambda key: yaml_value.map(lambda value: f"{key}: {json.dumps(value)}")
) | words  # fmt: skip


@FUZZ
@given(lines=st.lists(front_matter_line, max_size=6), body=prose, fenced=st.booleans())
def test_near_valid_markdown(lines: list[str], body: str, fenced: bool) -> None:
    head = "---\n" + "\n".join(lines) + ("\n---\n" if fenced else "\n")
    loaded("story.md", (head + body).encode())


tags = st.sampled_from(["p", "div", "article", "h1", "title", "script", "style", "table", "td", "meta", "a",
                        "html", "body", "head", "svg", "iframe", "noscript", "main", "time", "br"])  # fmt: skip
html_node = st.recursive(
    prose.map(lambda t: t.replace("<", "&lt;")) | words,
    lambda inner: st.tuples(tags, st.lists(inner, max_size=4), st.booleans()).map(
        lambda t: f"<{t[0]} class='x' onload=\"y\">{''.join(t[1])}" + (f"</{t[0]}>" if t[2] else "")
    ),
    max_leaves=25,
)


@FUZZ
@given(page=html_node, depth=st.integers(0, 3000))
def test_near_valid_html_including_deep_nesting(page: str, depth: int) -> None:
    loaded("page.html", ("<div>" * depth + page + "</div>" * (depth // 2)).encode())


json_value = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False) | words | prose,
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(
        st.sampled_from(["title", "text", "content", "body", "url", "published", "date", "id", "articles",
                         "items", "data"]) | words, inner, max_size=5),
    max_leaves=20,
)  # fmt: skip


@FUZZ
@given(value=json_value, depth=st.integers(0, 200_000), cut=st.integers(0, 50))
def test_near_valid_json_including_deep_nesting_and_truncation(value: object, depth: int, cut: int) -> None:
    text = "[" * depth + json.dumps(value) + "]" * depth
    loaded("records.json", text[: len(text) - cut].encode())


@FUZZ
@given(lines=st.lists(json_value.map(json.dumps) | words | st.just("[" * 100_000), max_size=8))
def test_near_valid_jsonl(lines: list[str]) -> None:
    loaded("records.jsonl", "\n".join(lines).encode())


def _pdf(pages: list[str]) -> bytes:
    buffer = io.BytesIO()
    pdf = canvas.Canvas(buffer)
    for page in pages:
        pdf.drawString(72, 770, page)
        pdf.showPage()
    pdf.save()
    return buffer.getvalue()


VALID_PDF = _pdf(["The harbour reopened on Monday, the mayor said.", "Boats returned the same day."])


@FUZZ
@given(
    flips=st.lists(st.tuples(st.integers(0, len(VALID_PDF) - 1), st.integers(0, 255)), max_size=20),
    cut=st.integers(0, len(VALID_PDF)),
)
def test_damaged_pdfs(flips: list[tuple[int, int]], cut: int) -> None:
    data = bytearray(VALID_PDF)
    for position, value in flips:
        data[position] = value
    loaded("report.pdf", bytes(data[: len(data) - cut]))


def test_the_valid_seeds_of_the_fuzzers_load() -> None:
    """The near-valid generators start from inputs that really load, so they probe the parsers deeply."""
    [pdf] = loaded("report.pdf", VALID_PDF)
    assert isinstance(pdf, Article) and len(pdf.page_starts) == 2
    record = {"title": "Harbour", "text": "The harbour reopened on Monday, the mayor said."}
    [article] = loaded("records.json", json.dumps(record).encode())
    assert isinstance(article, Article) and article.title == "Harbour"
