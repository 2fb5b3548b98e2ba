"""Scrape-noise removal: the seed article's noise goes, every story sentence stays."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag.cleaning import clean_article_text, is_noise_line, normalize
from rag.sentences import split_sentences

TITLE = "Russia says co-existence not possible with Ukraine's current 'regime'"


def _story_sentences(raw: str) -> list[str]:
    """Sentences of the story paragraphs of the raw seed file (the dateline paragraph onwards)."""
    body = normalize(raw)
    start = body.index("MOSCOW - ")
    end = body.index("ALSO READ")
    part = body[start:end]
    return [part[s:e] for s, e in split_sentences(part)]


def test_seed_keeps_every_story_sentence(seed_path: Path) -> None:
    raw = seed_path.read_text(encoding="utf-8")
    cleaned = clean_article_text(raw)
    sentences = _story_sentences(raw)
    assert len(sentences) >= 14
    for sentence in sentences:
        assert sentence in cleaned.text
    assert "Russian President Vladimir Putin speaks after signing" in cleaned.text  # the caption itself


def test_seed_drops_noise_and_keeps_headline_once_as_title(seed_path: Path) -> None:
    cleaned = clean_article_text(seed_path.read_text(encoding="utf-8"))
    assert cleaned.title == TITLE
    for noise in ("Award Banner", TITLE, "PHOTO: Reuters file", "ALSO READ", "best viewed", "\u00a0"):
        assert noise not in cleaned.text


@pytest.mark.parametrize(
    "line",
    [
        "PHOTO: AFP",
        "Photo by Jane Doe / Getty Images",
        "FILE PHOTO: a tank in Kyiv",
        "READ MORE: Markets fall",
        "Related: Election results",
        "Advertisement",
        "© 2024 Example Media. All rights reserved.",
        "We use cookies to improve your experience.",
        "Sign up for our daily newsletter",
        "Follow us on X and Facebook",
    ],
)
def test_noise_lines(line: str) -> None:
    assert is_noise_line(line)


@pytest.mark.parametrize(
    "line",
    [
        "The photo agency said on Monday that it would appoint a new editor.",
        "Related parties were not named in the filing, the regulator said.",
        "Watchdogs said the copyright case would be heard next year.",
        "Moscow denies the allegations.",
    ],
)
def test_story_sentences_are_not_noise(line: str) -> None:
    assert not is_noise_line(line)


def test_repeated_short_labels_dropped_but_repeated_sentences_kept() -> None:
    raw = "Menu\nMain headline of the day\nMenu\n\nIt rained. It rained.\n\nIt rained.\n\nIt rained."
    cleaned = clean_article_text(raw)
    assert "Menu" not in cleaned.text
    assert cleaned.title == "Main headline of the day"
    assert cleaned.text.count("It rained.") == 4


def test_given_title_is_kept_and_removed_from_body() -> None:
    cleaned = clean_article_text("My Title\n\nBody sentence one.", title="My Title")
    assert cleaned.title == "My Title"
    assert cleaned.text == "Body sentence one."


def test_article_starting_with_a_sentence_has_no_detected_title() -> None:
    cleaned = clean_article_text("The council met on Monday. It voted to raise taxes.")
    assert cleaned.title == ""
    assert cleaned.text.startswith("The council met")
