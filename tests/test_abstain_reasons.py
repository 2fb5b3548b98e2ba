"""The one-line reason an abstention gives names the question's words a reader would look for, never
its function words or linking verbs ("until", "stay"), with the real model over a real ingest."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Article, Assistant, Settings
from rag.abstentions import abstain_reason
from rag.extractive import terms_of
from rag.sentence_embedder import SentenceTransformerEmbedder

BRIDGE = Path(__file__).resolve().parent / "fixtures" / "stories" / "bridge.md"


@pytest.fixture(scope="module")
def bridge(
    tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder
) -> Iterator[Assistant]:
    """The bridge story (a closure for repairs; nothing on tolls, lights or nights), ingested."""
    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("reasons")), embedder=minilm)
    assert assistant.ingest([BRIDGE]).ok
    yield assistant
    assistant.close()


def listed(reason: str) -> tuple[list[str], list[str]]:
    """The words a reason says the articles mention, and those it says they do not."""
    reason = reason.split(".")[0]
    if reason.startswith("The articles do not mention "):
        return [], re.findall(r'"([^"]+)"', reason)
    found, _, missing = reason.partition(" but not ")
    return re.findall(r'"([^"]+)"', found), re.findall(r'"([^"]+)"', missing)


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Until when is the Old Mill crossing toll-free?", ["toll"]),  # said: 'but not "Until" or "toll"'
        ("Will the bridge stay open at night?", ["night"]),  # said: 'but not "stay" or "night"'
        ("Does the council plan to get the tolls back?", ["plan", "tolls"]),  # "get", "back" were listed
        ("Did anyone object to the plan?", ["object", "plan"]),  # and "anyone"
    ],
)
def test_the_reason_lists_no_function_word_as_missing(
    bridge: Assistant, question: str, missing: list[str]
) -> None:
    answer = bridge.ask(question)
    assert answer.abstained, answer.text
    mentioned, unmentioned = listed(answer.text.split("\n")[0])
    assert unmentioned == missing, answer.text
    assert not {"Until", "stay", "get", "back", "anyone"} & set(mentioned)


def test_the_reason_never_says_a_word_the_article_has_is_missing(
    tmp_path: Path, minilm: SentenceTransformerEmbedder
) -> None:
    # "Tickets cost 12 euros." is too short to be quoted, and the reason, read from the quotable
    # sentences only, said 'The articles mention "Westport" and "ferry" but not "tickets" or "cost"'.
    assistant = Assistant(Settings(data_dir=tmp_path / "data"), embedder=minilm)
    text = "The Westport ferry now leaves at nine every morning, the operator said. Tickets cost 12 euros."
    assert assistant.ingest([Article(title="Ferry news", text=text)]).ok
    answer = assistant.ask("How much do tickets for the Westport ferry cost?")
    assistant.close()
    if answer.abstained:
        assert not {"tickets", "cost"} & set(listed(answer.text)[1]), answer.text


@pytest.mark.parametrize(
    ("question", "missing"),
    [
        ("Won't the bridge's lights be fixed?", ["lights", "fixed"]),  # "Won't" was listed
        ("Please tell me about the tolls", ["tolls"]),
        ("Whats the toll?", ["toll"]),
        ("I want to know the toll price", ["toll"]),  # "price" is said otherwise: "cost"
        ("Is it true that tolls rise?", ["tolls", "rise"]),
    ],
)
def test_courtesies_and_contractions_are_no_missing_words(question: str, missing: list[str]) -> None:
    said = [BRIDGE.read_text(encoding="utf-8").split("---", 2)[2]]
    assert listed(abstain_reason(question, terms_of(question), said))[1] == missing
