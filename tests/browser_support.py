"""What the browser tests share: Debian's chromium through Playwright, pages, chat steps and axe-core.

Needs `apt-get install chromium` and `pip install playwright axe-playwright-python` (never
`playwright install`; axe-core comes bundled in the Python package, nothing is downloaded).
Without them the tests skip on a laptop and fail in CI (when `CI` is set).
"""

from __future__ import annotations

import os
import shutil
import statistics
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any

import pytest

from rag import Article, Assistant, Settings
from tests.serve_process import Serving, serving

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"
CHROMIUM = os.environ.get("RAG_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking",
    "--disable-component-update", "--disable-sync",
]  # fmt: skip
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 390, "height": 844}
PHONE_WIDTH = 768  # ui/app.js treats narrower screens as phones
SIDEBAR_CLOSED = """() => { const bar = document.getElementById('sidebar');
    return bar && bar.querySelector('.toggle-button') && !bar.classList.contains('open'); }"""
ANSWER_MS = 60_000  # Playwright waits, in milliseconds
# axe-core impacts that fail a test; "moderate" and "minor" ones are reported by axe but allowed.
BLOCKING_IMPACTS = ("serious", "critical")
# Seconds from pressing Enter to a finished answer on screen, per question asked: reported, not asserted.
ANSWER_SECONDS: list[float] = []


@contextmanager
def seeded_server(data_dir: Path, embedder: Any, *sources: Path | Article, **env: str) -> Iterator[Serving]:
    """`rag serve` over a data folder holding the seed (and ``sources``), as a user starts it."""
    assistant = Assistant(Settings(data_dir=data_dir), embedder=embedder)
    try:
        assert assistant.ingest([SEED, *sources]).ok
    finally:
        assistant.close()
    with serving(data_dir, **env) as running:
        yield running


def missing(reason: str) -> None:
    """Skip on a laptop without the browser, fail in CI."""
    if os.environ.get("CI"):
        pytest.fail(f"{reason}: CI must run the browser tests")
    pytest.skip(reason)


@pytest.fixture(scope="module")
def chromium() -> str:
    """The browser binary, checked before any server is started."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        missing("Playwright is not installed (pip install playwright)")
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        missing(f"No chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture(scope="module")
def browser(chromium: str) -> Iterator[Any]:
    """One headless chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        launched = p.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield launched
        launched.close()


@pytest.fixture
def page(browser: Any, base_url: str) -> Iterator[Any]:
    """A fresh tab on the module's ``base_url`` that records every dialog (none may ever open)."""
    tab = open_page(browser, base_url)
    yield tab
    close_page(tab)


def open_page(browser: Any, url: str, viewport: dict[str, int] = DESKTOP, **context: Any) -> Any:
    """A tab in a fresh browser profile on ``url``, once the question box is there; it records dialogs."""
    tab = browser.new_context(viewport=viewport, **context).new_page()
    tab.dialogs = []
    tab.on("dialog", lambda dialog: (tab.dialogs.append(dialog.message), dialog.dismiss()))
    tab.goto(url)
    tab.wait_for_selector("#question textarea")
    if viewport["width"] <= PHONE_WIDTH:
        # The app closes the conversation sidebar on phones once Gradio has mounted it; until then it
        # covers the tabs, and a user (or a test) tapping a tab would hit the sidebar instead.
        tab.wait_for_function(SIDEBAR_CLOSED, timeout=ANSWER_MS)
    return tab


def close_page(page: Any) -> None:
    """Close the tab's profile, after checking no dialog ever opened in it."""
    assert page.dialogs == [], f"a dialog opened: {page.dialogs}"
    page.context.close()


def ask(page: Any, question: str) -> Any:
    """Ask in the chat; return the finished answer (the last one), and record how long it took."""
    before = page.locator("#chat .answer").count()
    page.fill("#question textarea", question)
    page.evaluate("() => { window.ragAskedAt = performance.now(); }")
    page.keyboard.press("Enter")
    elapsed = page.wait_for_function(
        "n => { const a = document.querySelectorAll('#chat .answer')[n];"
        " return a && !a.classList.contains('pending') && performance.now() - window.ragAskedAt; }",
        arg=before,
        timeout=ANSWER_MS,
    ).json_value()
    ANSWER_SECONDS.append(float(elapsed) / 1000)
    return page.locator("#chat .answer").nth(before)


def open_tab(page: Any, name: str) -> None:
    """Switch to the Chat or Library tab."""
    page.get_by_role("tab", name=name).click()


def open_add_forms(page: Any) -> None:
    """In the library, open the "Add articles" section (it folds away once articles are listed)."""
    page.wait_for_selector("#articles .list-count")
    if not page.locator("#add-files").is_visible():
        page.locator("#add-articles").get_by_text("Add articles").first.click()
    page.wait_for_selector("#add-files", state="visible")


# Finite animations and transitions still running (a dropdown's options fading in): infinite ones, a
# spinner's, never end and are left out.
_MOVING = """() => document.getAnimations().filter((a) => a.playState === 'running'
    && a.effect && a.effect.getComputedTiming().iterations !== Infinity).length === 0"""


def settle(page: Any, timeout_ms: int = 5000) -> None:
    """Wait until the page's finite animations and transitions have ended (at most ``timeout_ms``): axe
    read a dropdown option mid-fade on the fresh-clone CI of 71b4dcd (its text at part opacity fails
    the contrast rule), a state no reader looks at."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    with suppress(PlaywrightTimeout):  # axe then reads what is there, as before
        page.wait_for_function(_MOVING, timeout=timeout_ms)


def check_axe(page: Any, where: str) -> None:
    """No serious or critical axe-core violation on the page as it is now (WCAG 2.x A and AA rules)."""
    from axe_playwright_python.sync_playwright import Axe

    settle(page)
    results = Axe().run(page, options={"resultTypes": ["violations"]})
    blocking = [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]
    report = "\n".join(
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:5]}" for v in blocking
    )
    assert not blocking, f"axe-core on {where}:\n{report}"


def answer_time_summary() -> str:
    """One line on how long answers took to show, for the test report."""
    if not ANSWER_SECONDS:
        return ""
    times = sorted(ANSWER_SECONDS)
    return (
        f"browser: {len(times)} answers shown, median {statistics.median(times) * 1000:.0f} ms, "
        f"fastest {times[0] * 1000:.0f} ms, slowest {times[-1] * 1000:.0f} ms (Enter to finished answer)"
    )
