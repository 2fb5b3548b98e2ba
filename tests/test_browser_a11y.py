"""Accessible and fitted to the screen, checked in Debian's chromium with axe-core.

No serious or critical axe-core violation on the chat (empty, answered with a citation open,
abstaining), the settings and the library (list and reader), at 1280x800 and on a 390x844 phone;
the question box and Ask on the first screen at 1280x800; the chat growing with the window; on a
phone nothing scrolls sideways and nothing scrolls inside the page; a keyboard-only turn.
The library holds 31 articles with long titles, as in the report that found the layout faults.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Iterator
from typing import Any

import pytest

from rag import Article
from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.browser_support import (
    DESKTOP,
    PHONE,
    ask,
    check_axe,
    close_page,
    open_page,
    open_tab,
    seeded_server,
)
from tests.browser_support import browser as browser  # the fixtures: one chromium per module
from tests.browser_support import chromium as chromium

pytestmark = pytest.mark.slow

QUESTION = "Who is Rodion Miroshnik?"
UNANSWERABLE = "What is the recipe for banana bread?"
LONG_TITLE = "Regional council approves the long-debated harbour redevelopment plan after a nine-hour session"
ARTICLES = [
    Article(
        title=f"{LONG_TITLE} (part {i})",
        id=f"harbour-{i:02d}",
        published=dt.date(2024, 1, 1) + dt.timedelta(days=i),
        text=f"The council voted {i} times on the harbour plan before it passed. Residents spoke for hours.",
    )
    for i in range(30)
]
# Elements (other than the page itself) that scroll their own content: each one nests a scroller.
SCROLLERS = """() => Array.from(document.querySelectorAll('body *')).filter((e) => {
  const style = getComputedStyle(e);
  const scrolls = (o) => o === 'auto' || o === 'scroll';
  const box = e.getBoundingClientRect();
  if (box.width === 0 || box.height === 0) return false;
  return (scrolls(style.overflowY) && e.scrollHeight > e.clientHeight + 1)
      || (scrolls(style.overflowX) && e.scrollWidth > e.clientWidth + 1);
}).map((e) => e.tagName + '#' + e.id + '.' + String(e.className).slice(0, 60))"""
SIDEWAYS = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"


@pytest.fixture(scope="module")
def base_url(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[str]:
    """`rag serve` over the seed and 30 articles with long titles."""
    with seeded_server(tmp_path_factory.mktemp("a11y"), minilm, *ARTICLES) as running:
        yield running.base + "/"


@pytest.fixture
def desktop(browser: Any, base_url: str) -> Iterator[Any]:
    """A 1280x800 tab."""
    tab = open_page(browser, base_url, DESKTOP)
    yield tab
    close_page(tab)


@pytest.fixture
def phone(browser: Any, base_url: str) -> Iterator[Any]:
    """A 390x844 phone tab."""
    tab = open_page(browser, base_url, PHONE, is_mobile=True, has_touch=True)
    yield tab
    close_page(tab)


def box(page: Any, selector: str) -> dict[str, float]:
    """Where ``selector`` is on the screen."""
    found = page.locator(selector).first.bounding_box()
    assert found, f"{selector} is not shown"
    return dict(found)


def settled_box(page: Any, selector: str) -> dict[str, float]:
    """Where ``selector`` is once it has stopped moving (the sidebar slides in as the page opens)."""
    last = box(page, selector)
    for _ in range(50):
        page.wait_for_timeout(100)
        now = box(page, selector)
        if now == last:
            break
        last = now
    return last


def test_first_screen_fits_and_passes_axe(desktop: Any) -> None:
    for selector in ("#question textarea", "#ask"):
        where = box(desktop, selector)
        assert where["y"] >= 0 and where["y"] + where["height"] <= DESKTOP["height"], (selector, where)
    assert desktop.get_by_label("Question").count() == 1  # the question box has a label
    assert desktop.evaluate(SIDEWAYS) <= 0
    check_axe(desktop, "the empty chat at 1280x800")


def test_the_chat_grows_with_the_window(browser: Any, base_url: str) -> None:
    heights = []
    for height in (800, 1100):
        tab = open_page(browser, base_url, {"width": 1280, "height": height})
        heights.append(box(tab, "#chat")["height"])
        ask_box = box(tab, "#ask")
        assert ask_box["y"] + ask_box["height"] <= height
        close_page(tab)
    assert heights[1] - heights[0] >= 250, heights  # not a fixed height


def test_answer_with_an_open_citation_and_an_abstention_pass_axe(desktop: Any) -> None:
    answer = ask(desktop, QUESTION)
    answer.locator("a.cite").first.click()
    assert answer.locator("details.source").first.evaluate("d => d.open")
    answer.locator("details.debug summary").click()  # the retrieval details table too
    check_axe(desktop, "an answer with its citation and retrieval details open")
    abstained = ask(desktop, UNANSWERABLE)
    assert abstained.evaluate("a => a.classList.contains('abstained')")
    assert abstained.locator("ul.closest li").count() >= 1
    check_axe(desktop, "an abstention with its closest sources")


def test_settings_and_library_pass_axe(desktop: Any) -> None:
    desktop.locator("#scope input").click()  # the article picker's options open
    desktop.wait_for_selector("#scope ul.options, [role=listbox]")
    check_axe(desktop, "the settings with the article picker open")
    desktop.keyboard.press("Escape")
    open_tab(desktop, "Library")
    desktop.wait_for_selector("#articles button.read")
    check_axe(desktop, "the library list")
    desktop.locator("#articles button.read").first.click()
    desktop.wait_for_selector("#reader #reader-title")
    check_axe(desktop, "the article reader")


def test_every_control_has_a_name(desktop: Any) -> None:
    unnamed = desktop.evaluate(
        """() => Array.from(document.querySelectorAll('input, textarea, select, button'))
          .filter((e) => e.getBoundingClientRect().width > 0 && e.type !== 'hidden' && e.type !== 'file')
          .filter((e) => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')
                         && !e.getAttribute('aria-labelledby') && !(e.textContent || '').trim()
                         && !e.getAttribute('title'))
          .map((e) => e.outerHTML.slice(0, 120))"""
    )
    assert unnamed == []


def test_phone_has_no_sideways_and_no_nested_scrolling(phone: Any) -> None:
    assert phone.evaluate(SIDEWAYS) <= 0
    check_axe(phone, "the empty chat on a phone")
    answer = ask(phone, QUESTION)
    answer.locator("a.cite").first.click()
    answer.locator("details.debug summary").click()
    for _ in range(2):
        ask(phone, QUESTION)  # a conversation longer than the screen
    assert phone.evaluate(SIDEWAYS) <= 0
    assert phone.evaluate(SCROLLERS) == []
    check_axe(phone, "a long conversation on a phone")
    open_tab(phone, "Library")
    phone.wait_for_selector("#articles button.read")
    assert phone.evaluate(SIDEWAYS) <= 0 and phone.evaluate(SCROLLERS) == []
    check_axe(phone, "the library on a phone")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_long_titles_wrap_and_dates_and_ids_stay_on_screen(
    browser: Any, base_url: str, viewport: Any
) -> None:
    tab = open_page(browser, base_url, viewport)
    open_tab(tab, "Library")
    tab.wait_for_selector("#articles button.read")
    rows = tab.locator("#articles li.article-row")
    assert rows.count() == 31
    for index in (0, 30):
        row = rows.nth(index)
        for part in ("button.read", ".published", ".article-id code", "button.copy-id"):
            where = row.locator(part).bounding_box()
            assert where and where["x"] >= 0 and where["x"] + where["width"] <= viewport["width"], (
                part,
                where,
            )
        # Title, dates and id each on a line of their own: Gradio's prose CSS inlines `li > p`, which
        # ran them together ("...(part 29)Published 2024-01-30 · ... 00:06ID harbour-29").
        lines = [row.locator(part).bounding_box() for part in ("button.read", "p.meta", "p.article-id")]
        assert all(lines), lines
        for above, below in itertools.pairwise(lines):
            assert below["y"] >= above["y"] + above["height"] - 1, (index, lines)
    title = rows.first.locator("button.read")
    assert "part 29" in title.inner_text()  # newest first
    if viewport is PHONE:
        assert title.bounding_box()["height"] > 40  # wrapped onto several lines, not cut
    assert tab.evaluate(SIDEWAYS) <= 0
    close_page(tab)


def test_the_sort_choice_is_not_covered_by_its_arrow(desktop: Any) -> None:
    open_tab(desktop, "Library")
    desktop.wait_for_selector("#articles button.read")
    for choice in ("Newest published first", "Oldest published first"):
        desktop.locator("#list-order input").click()
        desktop.get_by_role("option", name=choice).click()
        shown = desktop.locator("#list-order input")
        assert shown.input_value() == choice
        text_end = shown.evaluate(
            """e => { const s = getComputedStyle(e), c = document.createElement('canvas').getContext('2d');
                c.font = s.font; return e.getBoundingClientRect().left + parseFloat(s.paddingLeft)
                + c.measureText(e.value).width; }"""
        )
        arrow = box(desktop, "#list-order .icon-wrap")
        assert text_end <= arrow["x"], (choice, text_end, arrow)


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_the_sidebar_fits_with_its_rename_section_closed_or_open(
    browser: Any, base_url: str, viewport: Any
) -> None:
    # Closed, the section's arrow (turned 90 degrees, as tall as the two-line label) stood 39 px
    # wide and jutted 4 px out: the sidebar got a sideways scroller at 1280x800.
    tab = open_page(browser, base_url, viewport)
    if settled_box(tab, "#sidebar")["x"] < 0:  # mid-slide, a click would shut the sidebar again
        tab.get_by_role("button", name="Toggle Sidebar").click()
        settled_box(tab, "#sidebar")
    section = tab.locator("#conversation-tools")
    label, arrow = section.locator("button.label-wrap"), section.locator("button.label-wrap > .icon")
    centres = []
    for state in ("closed", "open"):
        assert ("open" in (label.get_attribute("class") or "")) is (state == "open")
        tab.wait_for_timeout(300)  # the arrow turns in 0.15 s
        inside, where = box(tab, "#conversation-tools"), arrow.bounding_box()
        assert where["x"] + where["width"] <= inside["x"] + inside["width"], (state, where, inside)
        centres.append(round(where["x"] + where["width"] / 2))
        assert tab.evaluate(SCROLLERS.replace("'body *'", "'#sidebar, #sidebar *'")) == [], state
        assert tab.evaluate(SIDEWAYS) <= 0
        label.click()
    assert centres[0] == centres[1], centres  # the arrow turns in place
    close_page(tab)


def test_keyboard_only_question_citation_and_escape(desktop: Any) -> None:
    desktop.locator("#question textarea").focus()
    desktop.keyboard.type(QUESTION)
    desktop.keyboard.press("Enter")
    desktop.wait_for_selector("#chat .answer a.cite", timeout=60_000)
    for _ in range(40):  # back through the page from the question box to the answer's [1]
        if desktop.evaluate("() => document.activeElement.matches('a.cite')"):
            break
        desktop.keyboard.press("Shift+Tab")
    assert desktop.evaluate("() => document.activeElement.matches('a.cite')"), "Tab never reached a citation"
    marker = desktop.evaluate("() => document.activeElement.getAttribute('href')")
    desktop.keyboard.press("Enter")
    source = desktop.locator(f"details.source{marker}")
    assert source.evaluate("d => d.open")
    assert desktop.evaluate("() => document.activeElement.closest('details.source') !== null")
    desktop.keyboard.press("Escape")
    assert not source.evaluate("d => d.open")
    assert desktop.evaluate("() => document.activeElement.matches('a.cite')")  # back where it was


def test_the_library_filters_by_words_and_dates_sorts_and_copies_an_id(browser: Any, base_url: str) -> None:
    tab = open_page(browser, base_url, DESKTOP, permissions=["clipboard-read", "clipboard-write"])
    open_tab(tab, "Library")
    tab.wait_for_selector("#articles button.read")
    titles = lambda: tab.locator("#articles button.read").all_inner_texts()  # noqa: E731
    tab.fill("#list-from textarea, #list-from input", "2024-01-10")
    tab.fill("#list-to textarea, #list-to input", "2024-01-12")
    tab.wait_for_function("() => document.querySelectorAll('#articles button.read').length === 3")
    assert [t.rsplit("part ", 1)[1] for t in titles()] == ["11)", "10)", "9)"]  # newest first
    tab.locator("#list-order input").click()
    tab.get_by_role("option", name="Oldest published first").click()
    tab.wait_for_function(
        "() => document.querySelector('#articles button.read').innerText.includes('part 9)')"
    )
    assert [t.rsplit("part ", 1)[1] for t in titles()] == ["9)", "10)", "11)"]
    tab.fill("#search textarea, #search input", "part 10")
    tab.wait_for_function("() => document.querySelectorAll('#articles button.read').length === 1")
    tab.locator("#articles button.copy-id").click()
    assert tab.evaluate("navigator.clipboard.readText()") == "harbour-10"  # what `rag delete` takes
    tab.fill("#list-to textarea, #list-to input", "Tuesday")
    tab.wait_for_selector("#articles .list-note[role=alert]")  # a date it cannot read is said, not ignored
    assert (
        "Cannot read the “Published to” date 'Tuesday'"
        in tab.locator("#articles .list-note").first.inner_text()
    )
    close_page(tab)
