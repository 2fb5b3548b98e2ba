"""The extractive answerer on the news fixtures, through the library: floors under today's figures.

The fixtures (tests/fixtures/news) are short news stories the selector never saw in training;
`python -m bench.news` prints the same figures for docs/benchmarks.md. Each floor sits a little
under the measured value, so a change that makes answers worse fails here.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from bench.news import FIXTURES, ROOT, evaluate
from rag import Assistant, Settings

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def results(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("news")))
    assert assistant.ingest([str(FIXTURES / "articles"), str(ROOT / "seeds")]).ok
    yield evaluate(assistant, json.loads((FIXTURES / "questions.json").read_text()))
    assistant.close()


@pytest.mark.parametrize(
    ("measure", "floor"),
    [
        ("answerable_cites_expected", 0.88),
        ("answerable_answered", 0.92),
        ("short_answer_highlighted", 0.65),
        ("unanswerable_abstained", 0.40),
        ("multipart_all_parts_quoted", 0.6),
        ("turns_cite_right_sentence", 0.82),
        ("follow_ups_resolved", 0.8),
    ],
)
def test_news_answers_stay_above_their_floor(results: dict[str, Any], measure: str, floor: float) -> None:
    assert results[measure] >= floor, (measure, results[measure], results["failures"])


def test_a_bare_why_after_an_answer_quotes_the_reason_even_from_the_sentence_quoted_before(
    results: dict[str, Any],
) -> None:
    """ "How many jobs will Brightline cut?" then "Why?": the reason is in the sentence already quoted."""
    assert not [t for t in results["failures"]["turns"] if t.startswith("Why? ->")]


def test_the_fixtures_are_as_large_as_the_issue_asks() -> None:
    questions = json.loads((FIXTURES / "questions.json").read_text())
    assert len(list((FIXTURES / "articles").glob("*.md"))) >= 30
    assert len(questions["conversations"]) >= 30
    assert all(2 <= len(turns) <= 3 for turns in questions["conversations"])
    assert any(t.get("follow_up") is False for turns in questions["conversations"] for t in turns)
    assert Path(ROOT / "seeds").is_dir()
