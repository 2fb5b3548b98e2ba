"""Scrape-noise removal: turns a scraped page's text into the story's text and its headline.

The rules are general, not tuned to one site: lines repeated verbatim, photo credits,
"read more" teasers, and boilerplate footers (browser notices, cookies, copyright,
newsletter and social prompts) are dropped; story sentences are never touched.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass

_CREDIT = re.compile(
    r"^(?:(?:file\s+|st\s+|afp\s+|reuters\s+)?(?:photos?|pictures?|images?|video|graphics?|illustration)"
    r"|credits?|source|caption)\s*(?::|/|by\b|-)",
    re.IGNORECASE,
)
# Phrases that only ever introduce a teaser, and labels that count only when they stand alone
# or before a separator ("Related: ...", but not "Related parties were ...").
_TEASER = re.compile(
    r"^(?:also\s+read|read\s+(?:more|also|next)|see\s+also|more\s+on\s+this(?:\s+topic)?)\b"
    r"|^(?:related(?:\s+(?:stories|articles|news|coverage))?|recommended(?:\s+for\s+you)?|watch|listen|"
    r"top\s+stories|trending|most\s+read|don'?t\s+miss|advertisement|sponsored)\s*(?:[:\-–—|]|$)",
    re.IGNORECASE,
)
_BOILERPLATE = re.compile(
    r"best\s+viewed|latest\s+versions?\s+of\s+(?:web\s+)?browsers?|enable\s+javascript|"
    r"(?:we|this\s+site)\s+uses?\s+cookies|cookie\s+(?:policy|settings)|all\s+rights\s+reserved|"
    r"^©|^copyright\b|terms\s+(?:of\s+(?:use|service)|&\s+conditions)|privacy\s+policy|"
    r"sign\s+up\s+for\s+(?:our|the)\b.*newsletter|subscribe\s+(?:to|now)\b|follow\s+us\s+on|"
    r"share\s+this\s+(?:article|story)|download\s+(?:our|the)\s+app|click\s+here\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.!?…][\"'”’)\]]*$")
_MAX_NOISE_WORDS = 30


@dataclass(frozen=True)
class CleanText:
    """Cleaned article text and the headline found in it (empty when none)."""

    title: str
    text: str


def normalize(raw: str) -> str:
    """Unify line endings, odd spaces and Unicode forms; keep paragraph breaks."""
    text = unicodedata.normalize("NFC", raw.replace("\r\n", "\n").replace("\r", "\n"))
    text = text.replace("\u00a0", " ").replace("\u200b", "").replace("\ufeff", "")
    text = re.sub(r"[ \t\f\v]+", " ", text)
    lines = [line.strip() for line in text.split("\n")]
    return re.sub(r"\n{3,}", "\n\n", "\n".join(lines)).strip()


def is_noise_line(line: str) -> bool:
    """True for a short line that is a credit, a teaser or site boilerplate."""
    if len(line.split()) > _MAX_NOISE_WORDS:
        return False
    return bool(_CREDIT.match(line) or _TEASER.match(line) or _BOILERPLATE.search(line))


def clean_article_text(raw: str, title: str = "") -> CleanText:
    """Remove scrape noise from ``raw`` and find its headline when ``title`` is not given.

    The headline is the first line that is neither noise nor a repeated short label and
    does not read as a sentence; every copy of it leaves the body, since it becomes the title.
    """
    lines = normalize(raw).split("\n")
    counts = Counter(line for line in lines if line)
    kept = [line for line in lines if not line or not _is_dropped(line, counts[line])]
    if not title:
        title = _find_headline(kept)
    if title:
        kept = [line for line in kept if line != title]
    body = re.sub(r"\n{3,}", "\n\n", "\n".join(kept)).strip()
    return CleanText(title=title.strip(), text=body)


def _is_dropped(line: str, count: int) -> bool:
    if is_noise_line(line):
        return True
    # A short label repeated verbatim ("Award Banner", "Advertisement") is page chrome.
    return count > 1 and len(line.split()) <= 3 and not _SENTENCE_END.search(line)


def _find_headline(lines: list[str]) -> str:
    for line in lines:
        if not line:
            continue
        words = len(line.split())
        if 2 <= words <= 25 and not _SENTENCE_END.search(line):
            return line
        return ""
    return ""
