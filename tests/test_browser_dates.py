"""The date controls in real Chromium: "Answer as of" and the published range shape the answer."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.browser_support import ask, open_add_forms, open_tab, seeded_server
from tests.browser_support import browser as browser  # the fixtures: one chromium per module
from tests.browser_support import chromium as chromium
from tests.browser_support import page as page  # a fresh tab on base_url

ARCHIVE = Path(__file__).parent / "fixtures" / "dated" / "articles"
BRIDGE = "What is the latest on the Harbour Bridge?"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base_url(
    chromium: str, tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[str]:
    """`rag serve` over the seed and the dated Riverton archive."""
    with seeded_server(
        tmp_path_factory.mktemp("browser-dates"), minilm, *sorted(ARCHIVE.iterdir())
    ) as running:
        yield running.base + "/"


def set_day(page: Any, elem_id: str, day: str) -> None:
    """Type a day into one of the settings' date boxes, as a person would, and leave the box."""
    box = page.locator(f"#{elem_id} textarea, #{elem_id} input").first
    box.fill(day)
    box.press("Tab")


def sources(answer: Any) -> list[str]:
    """The answer's sources as shown: title and date."""
    return [s.inner_text() for s in answer.locator("details.source summary").all()]


def test_date_boxes_are_labelled_and_say_the_format(page: Any) -> None:
    for name in ("Answer as of", "Published from", "Published to"):
        box = page.get_by_label(name)
        assert box.is_visible() and box.get_attribute("placeholder") == "YYYY-MM-DD or 7 Dec 2026"


def test_empty_as_of_answers_as_of_today(page: Any) -> None:
    answer = ask(page, BRIDGE)
    assert "Harbour Bridge fully reopens" in sources(answer)[0]


def test_answer_as_of_an_earlier_day_knows_only_what_was_published_by_then(page: Any) -> None:
    set_day(page, "as-of", "2024-09-01")
    answer = ask(page, BRIDGE)
    shown = sources(answer)
    assert "Harbour Bridge repairs to cost $7.2 million" in shown[0]
    assert all(" · 2024-" not in s or s.split(" · ")[1][:10] <= "2024-09-01" for s in shown)
    debug = answer.locator("details.debug .dates").text_content()
    assert debug.startswith("Dates: as of 2024-09-01;") and "asks for the latest" in debug


def test_published_range_bounds_the_sources(page: Any) -> None:
    set_day(page, "published-from", "2024-10-01")
    set_day(page, "published-to", "2024-10-31")
    answer = ask(page, "What happened to the Harbour Bridge?")
    dates = [s.split(" · ")[1][:10] for s in sources(answer)]
    assert dates and all("2024-10-01" <= d <= "2024-10-31" for d in dates)


def test_unreadable_day_is_answered_with_the_format(page: Any) -> None:
    set_day(page, "as-of", "next Tuesday-ish")
    answer = ask(page, BRIDGE)
    assert "error" in (answer.get_attribute("class") or "")
    assert (
        "Cannot read the “Answer as of” date 'next Tuesday-ish': write it like 2026-12-07"
        in answer.inner_text()
    )


def test_the_paste_form_reads_a_date_as_people_write_it(page: Any, base_url: str) -> None:
    # "7 Dec 2026" and "2026/12/07" were refused: only YYYY-MM-DD went in.
    open_tab(page, "Library")
    open_add_forms(page)
    page.fill("#paste-title textarea, #paste-title input", "Lighthouse relit")
    page.fill("#paste-text textarea", "The old lighthouse on Skerry Point was relit on Monday evening.")
    status = page.locator("#library-status")
    for typed, shown in [
        ("07/12/2026", "could be either of two days: write it like 2026-12-07 or 7 Dec 2026"),
        ("Dec 2026", "Cannot read the published date 'Dec 2026': write it like 2026-12-07 or 7 Dec 2026."),
        ("7 Dec 2026", "1 added"),
    ]:
        page.fill("#paste-date textarea, #paste-date input", typed)
        page.click("#add-article")
        page.wait_for_selector(f"#library-status :text({shown!r})")
    assert status.inner_text().startswith("✅")
    page.fill("#search textarea, #search input", "Lighthouse relit")
    row = page.locator("#articles li.article-row", has_text="Lighthouse relit")
    row.filter(has_text="2026-12-07").wait_for()
    article_id = row.locator("button.read").get_attribute("data-article")
    httpx.delete(
        f"{base_url}v1/articles/{article_id}", timeout=30
    ).raise_for_status()  # as it was for the rest
