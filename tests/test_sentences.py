"""Sentence splitting: spans are exact and abbreviations do not end sentences."""

from __future__ import annotations

import pytest

from rag.sentences import split_sentences


def _texts(text: str) -> list[str]:
    return [text[s:e] for s, e in split_sentences(text)]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("One. Two!  Three?", ["One.", "Two!", "Three?"]),
        ("Mr. Smith met Dr. Jones. They talked.", ["Mr. Smith met Dr. Jones.", "They talked."]),
        ("Troops left on Nov. 21. Talks began.", ["Troops left on Nov. 21.", "Talks began."]),
        ("The U.S. Army left. Then it rained.", ["The U.S. Army left.", "Then it rained."]),
        ('"It is over," he said. "We won."', ['"It is over," he said.', '"We won."']),
        ("Growth was 3.5 percent. Prices rose.", ["Growth was 3.5 percent.", "Prices rose."]),
        ("J. K. Rowling wrote it. Fans cheered.", ["J. K. Rowling wrote it.", "Fans cheered."]),
        ("Headline here\nBody starts. Body ends.", ["Headline here", "Body starts.", "Body ends."]),
        ("lower case. continues here", ["lower case. continues here"]),
        ("", []),
        ("   \n\n  ", []),
    ],
)
def test_split_sentences(text: str, expected: list[str]) -> None:
    assert _texts(text) == expected


def test_spans_are_trimmed_and_ordered() -> None:
    text = "  First one.   Second one.\n\n  Third one.  "
    spans = split_sentences(text)
    assert all(not text[s].isspace() and not text[e - 1].isspace() for s, e in spans)
    assert spans == sorted(spans)
