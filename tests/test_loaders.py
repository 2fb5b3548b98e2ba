"""Loading articles from files and folders: every format, and every way a file can be bad."""

from __future__ import annotations

import datetime as dt
import json
import random
from pathlib import Path

import pytest
from reportlab.lib.pagesizes import A4
from reportlab.pdfgen import canvas

from rag.days import parse_date
from rag.loaders import SUPPORTED_EXTENSIONS, iter_folder, load_sources
from rag.loaders.article import title_from_name
from rag.loaders.markdown import markdown_to_text
from rag.loaders.pdf import join_pages
from rag.settings import Settings
from rag.types import Article, Failure

SEED = Path(__file__).resolve().parent.parent / "seeds" / "000_e9d55681bf2b99fb.txt"
SEED_TITLE = "Russia says co-existence not possible with Ukraine's current 'regime'"
SEED_NOISE = ("Award Banner", "PHOTO: Reuters file", "ALSO READ", "best viewed")

STORY = (
    "The harbour bridge reopened to traffic on Tuesday after eight months of repairs.",
    "Engineers replaced corroded steel cables and resurfaced the entire deck, officials said.",
    '"We are delighted that commuters can finally use the crossing again," Mayor Alan Smith said.',
)

NEWS_PAGE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Harbour bridge reopens after repairs | The Daily Ledger</title>
<meta property="og:title" content="Harbour bridge reopens after repairs">
<meta property="article:published_time" content="2023-11-21T10:00:00Z">
<link rel="canonical" href="https://news.example.com/2023/11/harbour-bridge-reopens">
<script>var tracker = "TRACKING_SCRIPT_SECRET"; window.dataLayer = [];</script>
<style>.nav { color: red; }</style>
</head><body>
<div id="cookie-banner" class="cookie-consent">We use cookies to improve your experience.
 <button>Accept all cookies</button></div>
<header><div class="logo">The Daily Ledger</div>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li><li><a href="/more">Navigation Extra Link</a></li></ul></nav></header>
<main><article>
<h1>Harbour bridge reopens after repairs</h1>
<p class="byline">By Jane Doe</p>
<p>The harbour bridge reopened to traffic on Tuesday after eight months of repairs.</p>
<p>Engineers replaced corroded steel cables and resurfaced the entire deck, officials said.</p>
<p>"We are delighted that commuters can finally use the crossing again," Mayor Alan Smith said.</p>
<p>Traffic officials expect congestion on the ring road to ease by about a third now that the bridge
 carries cars again, according to a report published by the transport department last week.</p>
</article></main>
<aside class="related"><h3>Related stories</h3><ul><li><a href="/x">Tram line delayed again</a></li></ul></aside>
<footer><p>Copyright 2023 The Daily Ledger. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
<script>console.log("FOOTER_SCRIPT_TEXT");</script>
</body></html>
"""


def load(*sources: str | Path | Article, settings: Settings | None = None) -> list[Article | Failure]:
    """Everything the loader yields for ``sources``, as a list."""
    return list(load_sources(sources, settings or Settings()))


def load_one(source: str | Path | Article) -> Article:
    """The single article a source must yield."""
    [item] = load(source)
    assert isinstance(item, Article), item
    return item


def fail_one(source: str | Path | Article, settings: Settings | None = None) -> Failure:
    """The single failure a source must yield."""
    [item] = load(source, settings=settings)
    assert isinstance(item, Failure), item
    return item


def write(path: Path, content: str | bytes) -> Path:
    """Write text (UTF-8) or bytes to ``path``, creating folders."""
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, bytes):
        path.write_bytes(content)
    else:
        path.write_text(content, encoding="utf-8")
    return path


def make_pdf(path: Path, pages: list[list[str]], title: str = "") -> Path:
    """A real PDF with a text layer, one list of lines per page."""
    pdf = canvas.Canvas(str(path), pagesize=A4)
    if title:
        pdf.setTitle(title)
    for lines in pages:
        for row, line in enumerate(lines):
            pdf.drawString(72, 770 - 18 * row, line)
        pdf.showPage()
    pdf.save()
    return path


# --- the seed article ---------------------------------------------------------------------------


def test_seed_article_loads_clean() -> None:
    article = load_one(SEED)
    assert article.title == SEED_TITLE
    assert article.source == str(SEED)
    assert article.id == ""
    assert SEED_TITLE not in article.text
    for noise in SEED_NOISE:
        assert noise not in article.text
    raw = SEED.read_text(encoding="utf-8").splitlines()
    story = [line.strip() for line in raw if line.strip() and line.strip() != SEED_TITLE]
    story = [line for line in story if not any(noise in line for noise in SEED_NOISE)]
    assert len(story) == 11  # the photo caption and ten story paragraphs
    for paragraph in story:
        assert paragraph in article.text


# --- plain text ---------------------------------------------------------------------------------


def test_txt_with_headline(tmp_path: Path) -> None:
    path = write(tmp_path / "bridge.txt", "Harbour bridge reopens\n\n" + "\n\n".join(STORY))
    article = load_one(path)
    assert article.title == "Harbour bridge reopens"
    assert article.text == "\n\n".join(STORY)
    assert article.published is None


def test_txt_without_headline_falls_back_to_file_name(tmp_path: Path) -> None:
    article = load_one(write(tmp_path / "city_news-bridge.txt", "\n\n".join(STORY)))
    assert article.title == "city news bridge"
    assert article.text.startswith(STORY[0])


def test_txt_published_line_dates_the_article(tmp_path: Path) -> None:
    path = write(tmp_path / "a.txt", "Harbour bridge reopens\nPublished: Nov 21, 2023\n\n" + STORY[0])
    article = load_one(path)
    assert article.published == dt.date(2023, 11, 21)
    assert "Published" not in article.text
    assert article.text == STORY[0]


# --- markdown -----------------------------------------------------------------------------------


def test_markdown_front_matter(tmp_path: Path) -> None:
    text = (
        "---\ntitle: Harbour bridge reopens\nurl: https://news.example.com/bridge\n"
        "published: 2023-11-21\nid: bridge-2023\n---\n\n"
        "# A heading the front matter overrides\n\n"
        f"{STORY[0]}\n\n## Reaction\n\n{STORY[1]} See [the statement](https://example.com/s).\n"
    )
    article = load_one(write(tmp_path / "bridge.md", text))
    assert article.title == "Harbour bridge reopens"
    assert article.url == "https://news.example.com/bridge"
    assert article.published == dt.date(2023, 11, 21)
    assert article.id == "bridge-2023"
    assert STORY[0] in article.text
    assert f"{STORY[1]} See the statement." in article.text
    assert "#" not in article.text and "](" not in article.text
    assert "Reaction" in article.text


def test_markdown_without_front_matter_uses_first_heading(tmp_path: Path) -> None:
    text = f"# Harbour **bridge** reopens\n\n{STORY[0]}\n\n![a photo](img.png)\n\n{STORY[2]}\n"
    article = load_one(write(tmp_path / "notes.markdown", text))
    assert article.title == "Harbour bridge reopens"
    assert article.text == f"{STORY[0]}\n\n{STORY[2]}"
    assert article.published is None and article.url is None and article.id == ""


def test_markdown_date_key_and_datetime(tmp_path: Path) -> None:
    text = f"---\ntitle: T\ndate: 2023-11-21T10:00:00Z\n---\n{STORY[0]}\n"
    assert load_one(write(tmp_path / "d.md", text)).published == dt.date(2023, 11, 21)


def test_markdown_bad_front_matter_fails_clearly(tmp_path: Path) -> None:
    failure = fail_one(write(tmp_path / "bad.md", f"---\ntitle: [unclosed\n---\n{STORY[0]}\n"))
    assert "front matter" in failure.reason


@pytest.mark.parametrize(
    ("markdown", "text"),
    [
        ("## Section ##", "Section"),
        ("### Learning C#", "Learning C#"),
        ("See [the report](https://x.org/r) now.", "See the report now."),
        ("A [ref link][1] here.\n\n[1]: https://x.org", "A ref link here.\n\n"),
        ("![chart](c.png)Numbers rose.", "Numbers rose."),
        ("It was **very** _odd_ and *rare*.", "It was very _odd_ and rare."),
        ("Prices: 2 * 3 * 4 stay.", "Prices: 2 * 3 * 4 stay."),
        ("Before\n\n---\n\nAfter", "Before\n\n\n\nAfter"),
        ("#hashtag stays", "#hashtag stays"),
    ],
)
def test_markdown_to_text(markdown: str, text: str) -> None:
    assert markdown_to_text(markdown) == text


# --- HTML ---------------------------------------------------------------------------------------


def test_html_news_page(tmp_path: Path) -> None:
    article = load_one(write(tmp_path / "page.html", NEWS_PAGE))
    assert article.title == "Harbour bridge reopens after repairs"
    assert article.url == "https://news.example.com/2023/11/harbour-bridge-reopens"
    assert article.published == dt.date(2023, 11, 21)
    for sentence in STORY:
        assert sentence in article.text
    assert "according to a report published by the transport department" in article.text
    for chrome in (
        "TRACKING_SCRIPT_SECRET",
        "FOOTER_SCRIPT_TEXT",
        "Navigation Extra",
        "cookies",
        "Copyright",
    ):
        assert chrome not in article.text
    assert "Harbour bridge reopens after repairs" not in article.text
    assert "\n\n" in article.text  # paragraphs stay apart


def test_html_without_article_text_fails(tmp_path: Path) -> None:
    failure = fail_one(
        write(tmp_path / "empty.htm", "<html><head><title>x</title></head><body></body></html>")
    )
    assert "no article text" in failure.reason


# --- JSON and JSON Lines ------------------------------------------------------------------------


def test_json_list_of_records(tmp_path: Path) -> None:
    records = [
        {
            "title": "Bridge reopens",
            "text": STORY[0],
            "url": "https://n.example/1",
            "published": "2023-11-21",
        },
        {"title": "Cables replaced", "content": STORY[1], "date": "21 Nov 2023", "id": 42},
        {"title": "Mayor pleased", "body": STORY[2], "published_at": "not a date"},
        {"title": "No text here"},
        "just a string",
    ]
    path = write(tmp_path / "items.json", json.dumps(records))
    first, second, third, no_text, not_object = load(path)
    assert isinstance(first, Article) and isinstance(second, Article) and isinstance(third, Article)
    assert (first.title, first.text, first.url, first.published) == (
        "Bridge reopens",
        STORY[0],
        "https://n.example/1",
        dt.date(2023, 11, 21),
    )
    assert first.source == f"json:{path}#1"
    assert (second.id, second.published, second.text) == ("42", dt.date(2023, 11, 21), STORY[1])
    assert third.published is None and third.text == STORY[2]
    assert isinstance(no_text, Failure) and no_text.source == f"json:{path}#4"
    assert "has no text" in no_text.reason
    assert isinstance(not_object, Failure) and "not an object" in not_object.reason


@pytest.mark.parametrize("key", ["articles", "items", "data"])
def test_json_object_with_list(tmp_path: Path, key: str) -> None:
    path = write(
        tmp_path / "feed.json", json.dumps({"source": "feed", key: [{"title": "T", "text": STORY[0]}]})
    )
    assert load_one(path).text == STORY[0]


def test_json_single_record_without_title(tmp_path: Path) -> None:
    article = load_one(write(tmp_path / "one_story.json", json.dumps({"text": STORY[0]})))
    assert article.title == "one story #1"


def test_json_malformed_names_the_line(tmp_path: Path) -> None:
    failure = fail_one(write(tmp_path / "bad.json", '[\n{"title": "x",\n"text": }\n]'))
    assert failure.source == str(tmp_path / "bad.json")
    assert "not valid JSON" in failure.reason and "line 3" in failure.reason


def test_json_empty_list_fails(tmp_path: Path) -> None:
    assert "no records" in fail_one(write(tmp_path / "none.json", "[]")).reason


def test_jsonl_bad_line_does_not_stop_the_others(tmp_path: Path) -> None:
    lines = [
        json.dumps({"title": "Bridge reopens", "text": STORY[0]}),
        '{"title": "broken", "text": ',
        "",
        json.dumps({"title": "Mayor pleased", "text": STORY[2], "published": "2023-11-21T10:00:00Z"}),
    ]
    path = write(tmp_path / "feed.jsonl", "\n".join(lines))
    first, broken, last = load(path)
    assert isinstance(first, Article) and first.source == f"json:{path}#1"
    assert isinstance(broken, Failure)
    assert broken.source == f"json:{path}#2" and "line 2" in broken.reason
    assert isinstance(last, Article) and last.source == f"json:{path}#4"
    assert last.published == dt.date(2023, 11, 21)


# --- PDF ----------------------------------------------------------------------------------------


def test_pdf_pages_and_offsets(tmp_path: Path) -> None:
    page_one = ["Harbour bridge reopens", STORY[0]]
    page_two = [STORY[1], "Work on the tram line starts in spring."]
    article = load_one(make_pdf(tmp_path / "report.pdf", [page_one, page_two]))
    assert article.title == "Harbour bridge reopens"
    assert len(article.page_starts) == 2 and article.page_starts[0] == 0
    second = article.page_starts[1]
    assert article.text[: second - 2] == STORY[0]
    assert article.text[second - 2 : second] == "\n\n"
    assert article.text[second:].startswith(STORY[1])
    assert article.text.endswith("Work on the tram line starts in spring.")


def test_pdf_metadata_title_wins(tmp_path: Path) -> None:
    article = load_one(make_pdf(tmp_path / "r.pdf", [[STORY[0]], [STORY[1]]], title="Bridge report"))
    assert article.title == "Bridge report"
    assert article.text == f"{STORY[0]}\n\n{STORY[1]}"
    assert article.page_starts == (0, len(STORY[0]) + 2)


def test_pdf_without_text_layer(tmp_path: Path) -> None:
    failure = fail_one(make_pdf(tmp_path / "scan.pdf", [[], []]))
    assert "no text layer (scanned PDF?)" in failure.reason


def test_pdf_that_is_not_a_pdf(tmp_path: Path) -> None:
    assert "is not a PDF" in fail_one(write(tmp_path / "fake.pdf", STORY[0])).reason


def test_pdf_that_is_damaged(tmp_path: Path) -> None:
    assert "not a readable PDF" in fail_one(write(tmp_path / "broken.pdf", b"%PDF-1.4\ngarbage")).reason


@pytest.mark.parametrize(
    ("pages", "text", "starts"),
    [
        (["ab", "cd"], "ab\n\ncd", (0, 4)),
        (["ab", "", "cd"], "ab\n\ncd", (0, 2, 4)),
        (["", "ab"], "ab", (0, 0)),
        (["ab", ""], "ab", (0, 2)),
        ([], "", ()),
    ],
)
def test_join_pages(pages: list[str], text: str, starts: tuple[int, ...]) -> None:
    assert join_pages(pages) == (text, starts)


# --- folders, paths, given articles -------------------------------------------------------------


def test_folder_is_recursive_sorted_and_skips_hidden_and_unsupported(tmp_path: Path) -> None:
    write(tmp_path / "b.txt", "Second story\n\n" + STORY[1])
    write(tmp_path / "a.txt", "First story\n\n" + STORY[0])
    write(tmp_path / "sub" / "c.md", "# Third story\n\n" + STORY[2])
    write(tmp_path / "sub" / "deeper" / "d.jsonl", json.dumps({"title": "Fourth", "text": STORY[0]}))
    write(tmp_path / ".hidden" / "e.txt", "Hidden\n\n" + STORY[0])
    write(tmp_path / ".f.txt", "Hidden file\n\n" + STORY[0])
    write(tmp_path / "notes.docx", b"PK\x03\x04 not loaded")
    write(tmp_path / "README", "no extension")
    items = load(tmp_path)
    assert all(isinstance(item, Article) for item in items)
    assert [item.source for item in items] == [
        str(tmp_path / "a.txt"),
        str(tmp_path / "b.txt"),
        str(tmp_path / "sub" / "c.md"),
        f"json:{tmp_path / 'sub' / 'deeper' / 'd.jsonl'}#1",
    ]
    assert [item.title for item in items if isinstance(item, Article)] == [
        "First story",
        "Second story",
        "Third story",
        "Fourth",
    ]


def test_folder_source_keeps_the_path_as_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path / "news" / "x" / "a.txt", "A story\n\n" + STORY[0])
    monkeypatch.chdir(tmp_path)
    assert load_one("news/").source == "news/x/a.txt"


def test_iter_folder_lists_only_supported(tmp_path: Path) -> None:
    for name in ("a.TXT", "b.pdf", "c.exe", "d.htm"):
        write(tmp_path / name, "x")
    assert [path.name for path in iter_folder(tmp_path)] == ["a.TXT", "b.pdf", "d.htm"]
    assert ".txt" in SUPPORTED_EXTENSIONS


def test_empty_folder_fails(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    assert "no supported files" in fail_one(tmp_path / "empty").reason


def test_missing_path() -> None:
    # `rag ingest` printed the path twice: "failed: /no/such/place.txt: No such file or folder: /no/such/place.txt".
    failure = fail_one("/no/such/place.txt")
    assert failure == Failure("/no/such/place.txt", "no such file or folder (check the path)")


def test_unsupported_file_named_explicitly(tmp_path: Path) -> None:
    assert "unsupported file type .docx" in fail_one(write(tmp_path / "a.docx", "text")).reason


def test_other_url_schemes_are_refused() -> None:
    assert "only http:// and https://" in fail_one("ftp://example.com/a.txt").reason


def test_one_bad_source_does_not_stop_the_rest(tmp_path: Path) -> None:
    good = write(tmp_path / "good.txt", "Good story\n\n" + STORY[0])
    bad = write(tmp_path / "bad.txt", b"\x00\x01\x02")
    kinds = [type(item) for item in load(bad, "/missing", good)]
    assert kinds == [Failure, Failure, Article]


def test_given_article_is_cleaned_and_keeps_its_identity() -> None:
    given = Article(
        title="Bridge reopens",
        text="Award Banner\nAward Banner\nBridge reopens\n"
        + STORY[0]
        + "\nPHOTO: Reuters file\nALSO READ: more",
        id="b-1",
        url="https://n.example/b",
        published=dt.date(2023, 11, 21),
        source="api",
    )
    article = load_one(given)
    assert article == Article(
        title="Bridge reopens",
        text=STORY[0],
        id="b-1",
        url="https://n.example/b",
        published=dt.date(2023, 11, 21),
        source="api",
    )


def test_given_article_without_title_gets_one() -> None:
    assert load_one(Article(title="", text="Bridge reopens\n\n" + STORY[0])).title == "Bridge reopens"
    assert load_one(Article(title="", text=STORY[0], source="feed")).title == "feed"


def test_given_pdf_article_keeps_its_page_offsets() -> None:
    given = Article(title="Report", text="Award Banner\n\nAward Banner\n\nStory.", page_starts=(0, 14))
    assert load_one(given) == given


def test_given_empty_article_fails() -> None:
    failure = fail_one(
        Article(title="Nothing", text="Award Banner\nAward Banner\nThis website is best viewed in Chrome.")
    )
    assert failure.source == "Nothing" and "has no text" in failure.reason


# --- bad files ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name", ["empty.txt", "empty.md", "empty.json", "empty.html", "empty.pdf", "blank.txt"]
)
def test_empty_file(tmp_path: Path, name: str) -> None:
    failure = fail_one(write(tmp_path / name, "  \n\n " if name == "blank.txt" else b""))
    assert "has no text" in failure.reason


def test_only_boilerplate_has_no_text(tmp_path: Path) -> None:
    failure = fail_one(
        write(tmp_path / "chrome.txt", "PHOTO: Reuters\nThis website is best viewed in Chrome.")
    )
    assert "has no text" in failure.reason


def test_binary_file_with_nul_bytes(tmp_path: Path) -> None:
    failure = fail_one(write(tmp_path / "blob.txt", b"abc\x00\x00\x01def" * 50))
    assert "binary" in failure.reason and "NUL" in failure.reason


def test_random_bytes_fail_clearly(tmp_path: Path) -> None:
    data = random.Random(7).randbytes(4000).replace(b"\x00", b"\x01")
    assert "binary" in fail_one(write(tmp_path / "noise.md", data)).reason


def test_cp1252_text_decodes(tmp_path: Path) -> None:
    data = "Caf\xe9 owners said prices rose \u201csharply\u201d this year.".encode("cp1252")
    article = load_one(write(tmp_path / "cafe.txt", data))
    assert article.text == "Café owners said prices rose “sharply” this year."


def test_utf8_with_bom_and_utf16_decode(tmp_path: Path) -> None:
    assert load_one(write(tmp_path / "bom.txt", b"\xef\xbb\xbf" + STORY[0].encode())).text == STORY[0]
    assert load_one(write(tmp_path / "wide.txt", STORY[0].encode("utf-16"))).text == STORY[0]


def test_file_lying_about_its_type(tmp_path: Path) -> None:
    pdf = make_pdf(tmp_path / "real.pdf", [[STORY[0]]])
    failure = fail_one(write(tmp_path / "story.txt", pdf.read_bytes()))
    assert "is a PDF, not a .txt file" in failure.reason
    assert "ZIP" in fail_one(write(tmp_path / "story.html", b"PK\x03\x04rest")).reason


def test_oversize_file(tmp_path: Path) -> None:
    failure = fail_one(
        write(tmp_path / "big.txt", "Big story\n\n" + STORY[0] * 10), Settings(max_file_bytes=100)
    )
    assert "over the 100-byte limit" in failure.reason and "RAG_MAX_FILE_BYTES" in failure.reason


# --- small pure helpers -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2023-11-21", dt.date(2023, 11, 21)),
        ("2023-11-21T10:00:00Z", dt.date(2023, 11, 21)),
        ("2023-11-21T23:30:00-05:00", dt.date(2023, 11, 21)),
        ("21 Nov 2023", dt.date(2023, 11, 21)),
        ("Nov 21, 2023", dt.date(2023, 11, 21)),
        ("Tue, 21 Nov 2023 10:00:00 GMT", dt.date(2023, 11, 21)),
        (dt.date(2023, 11, 21), dt.date(2023, 11, 21)),
        (dt.datetime(2023, 11, 21, 10, 0), dt.date(2023, 11, 21)),
        ("2023", None),
        ("Nov 2023", None),
        ("Tuesday", None),
        ("yesterday-ish", None),
        ("", None),
        (None, None),
        (20231121, None),
    ],
)
def test_parse_date(value: object, expected: dt.date | None) -> None:
    assert parse_date(value) == expected


@pytest.mark.parametrize(
    ("name", "title"),
    [
        ("city_news-bridge.txt", "city news bridge"),
        ("2023__report.md", "2023 report"),
        ("harbour-bridge-reopens", "harbour bridge reopens"),
        ("data/items.json", "items"),
    ],
)
def test_title_from_name(name: str, title: str) -> None:
    assert title_from_name(name) == title
