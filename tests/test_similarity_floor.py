"""The quoted sentence must be close to the question: the trained selector alone answers some
questions about subjects the archive never covers, since it learnt only from indexed articles."""

from __future__ import annotations

from pathlib import Path

import pytest

from rag import Answer, Assistant, Settings
from rag.answerers import similarity_floor
from rag.sentence_embedder import SentenceTransformerEmbedder

# Asked of an archive of eight encyclopedic articles (the oil crisis, the Yuan dynasty, the Normans...)
# that never mention physics. Without the floor the selector quotes the Mongol forces' "unit" of Alans.
# (Until f5ec218 this was a steam engine's pressure question, now refused by the "what is the X" check
# before the floor is reached.)
OFF_INDEX = "What is the unit of force?"
# Asked as "the name of the <role> who ...": a "who" question, answered by the sentence naming Kublai Khan
# (which never calls him a ruler: the "name of the X" check once asked for the word "ruler" and abstained).
IN_INDEX = "What was the name of the Mongol ruler who founded the Yuan dynasty?"


@pytest.fixture
def archive(squad_archive: Path) -> Path:
    """The encyclopedic archive (``conftest.squad_archive``), shared with the other tests that ask it."""
    return squad_archive


def ask(data: Path, embedder: SentenceTransformerEmbedder, question: str, floor: float | None) -> Answer:
    """The assistant's answer over the archive in ``data``."""
    assistant = Assistant(Settings(data_dir=data, min_sentence_similarity=floor), embedder=embedder)
    try:
        return assistant.ask(question)
    finally:
        assistant.close()


def test_a_question_about_a_subject_the_archive_lacks_abstains(
    archive: Path, minilm: SentenceTransformerEmbedder
) -> None:
    assert not ask(archive, minilm, OFF_INDEX, floor=0.0).abstained  # what the selector alone does
    assert ask(archive, minilm, OFF_INDEX, floor=None).abstained
    answer = ask(archive, minilm, IN_INDEX, floor=None)
    assert answer.citations and "Kublai Khan" in answer.citations[0].quote, answer.text


def test_the_floor_follows_the_embedding_backend_unless_set() -> None:
    assert similarity_floor(Settings()) == 0.2
    assert similarity_floor(Settings(embedding_backend="hash")) == 0.0
    assert similarity_floor(Settings(embedding_backend="hash", min_sentence_similarity=0.5)) == 0.5
