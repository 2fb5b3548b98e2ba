"""A sentence is quoted only when its article is about the question's subject (rag.subjects)."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Assistant, Settings
from rag.extractive import terms_of
from rag.quotes import said_in
from rag.sentence_embedder import SentenceTransformerEmbedder
from rag.subjects import about_subject, anchored, another_kind

TOYOTA = (
    "Japanese imports, primarily the Toyota Corona and the Honda Civic, all had four cylinder engines that"
    " were more fuel efficient than the typical American V8 and six cylinder engines."
)
BRIDGE = (
    "Harbourside bridge to close for six months of repairs\n"
    "The repairs will cost an estimated 14.5 million dollars, most of it paid by the regional government."
)
RECALL = "Sales of the range fell 18 percent last year, as shoppers turned from plant-based meals."


@pytest.mark.parametrize(
    ("question", "article", "another"),
    [
        # the noun said only as another kind of it, the question's kind nowhere
        ("Who invented the steam engine?", TOYOTA, True),
        ("What fuel did early steam engines burn?", TOYOTA, True),
        ("Who drove the fire engine?", "Six cylinder engines were fitted.", True),
        # neither noun said at all
        ("Who invented the steam engine?", BRIDGE, True),
        # the noun said bare may be the asked one in other words; the question's kind said is that kind
        ("By what percentage did the vegan range decline?", RECALL, False),
        ("Who drove the fire engine?", "Fourteen fire engines were sent.", False),
        ("Who built the steam engine?", "The first steam engines burned coal.", False),
        # one noun, or words that say what happened to it, ask no kind
        ("Where was the motorist killed?", "A 67-year-old man died when a tree fell on his car.", False),
        ("How long was the polluted stretch of river?", "an 11-kilometre stretch of the river", False),
    ],
)
def test_a_noun_said_only_of_another_kind_is_another_thing(
    question: str, article: str, another: bool
) -> None:
    terms = terms_of(question)
    assert another_kind(question, article, said_in(article, terms)) is another


@pytest.mark.parametrize(
    ("question", "article", "anchor"),
    [
        # what "how much" asks for (a cost) says nothing of what costs it
        ("How much will the tunnel cost?", BRIDGE, False),
        ("How much did the new iPhone cost?", BRIDGE, False),
        ("How much did the satellite launch cost?", BRIDGE, False),
        ("How much will the repairs cost?", BRIDGE, True),
        ("How much will the bridge works cost?", BRIDGE, True),
        # a question with nothing but what it asks for has no subject to miss
        ("How much will it cost?", BRIDGE, True),
    ],
)
def test_a_question_says_something_its_article_says(question: str, article: str, anchor: bool) -> None:
    terms = terms_of(question)
    assert anchored(terms, said_in(article, terms)) is anchor


def test_names_anchor_a_question_to_their_article() -> None:
    # the names are checked against the article elsewhere (rag.quotes.about_asked): not again here
    question = "Which breakaway administration did Miroshnik serve in?"
    sentence = "Miroshnik, a former official in the self-styled separatist administration, accused Kyiv."
    assert about_subject(question, terms_of(question), sentence, sentence)
    question = "How much will the tunnel cost?"
    assert not about_subject(question, terms_of(question), BRIDGE.splitlines()[1], BRIDGE)


@pytest.fixture
def archive(squad_archive: Path) -> Path:
    """The encyclopedic archive (``conftest.squad_archive``), shared with the other tests that ask it."""
    return squad_archive


def test_a_question_about_a_subject_no_article_covers_abstains(
    archive: Path, minilm: SentenceTransformerEmbedder
) -> None:
    """The oil crisis's Japanese imports with "four cylinder engines" were quoted for the steam engine
    (confidence 0.34, similarity 0.29: over both floors)."""
    assistant = Assistant(Settings(data_dir=archive), embedder=minilm)
    try:
        assert assistant.ask("Who invented the steam engine?").abstained
        assert assistant.ask("What fuel did early steam engines burn?").abstained
        assert not assistant.ask("What did Japanese imports have that American cars lacked?").abstained
    finally:
        assistant.close()
