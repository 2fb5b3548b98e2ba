"""`rag ask` ranks exactly as `rag serve` does, though it takes BM25 from FTS5 instead of building the in-memory index."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from rag import Assistant, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.serve_process import serving
from tests.test_chain import settled
from tests.test_cli import rag
from tests.test_generative import BRIDGE, ENVOY, FESTIVAL, INJECTION
from ui.cli import one_shot

QUESTIONS = [
    "When did Putin send troops into Ukraine?",
    "Who issued an arrest warrant for Putin?",
    "What does Russia say about co-existence with the regime in Kyiv?",
    "How much did the bridge repairs cost?",
    "When do festival tickets go on sale?",
    "Who was appointed water envoy?",
    "bridge toll maintenance",
    "What is the boiling point of mercury?",
]


@pytest.mark.slow
def test_the_one_shot_cli_ranks_as_the_server(
    tmp_path: Path, minilm: SentenceTransformerEmbedder, seed_path: Path
) -> None:
    server_settings = Settings(data_dir=tmp_path / "data")
    assert server_settings.lexical_index == "memory"
    server = Assistant(server_settings, embedder=minilm)
    assert server.ingest([seed_path, BRIDGE, FESTIVAL, ENVOY, INJECTION]).ok
    settled(server)
    cli_settings = one_shot(Settings(data_dir=tmp_path / "data"))
    cli = Assistant(cli_settings, embedder=minilm)
    assert (cli_settings.lexical_index, cli_settings.query_runtime) == (
        "sqlite",
        server_settings.query_runtime,
    )
    assert cli.ready().keyword_index == "sqlite"
    for question in QUESTIONS:
        served, asked = server.retrieve(question), cli.retrieve(question)
        assert [p.chunk_id for p in asked] == [p.chunk_id for p in served], question
        for a, s in zip(asked, served, strict=True):
            assert (a.score, a.dense_score, a.lexical_score) == pytest.approx(
                (s.score, s.dense_score, s.lexical_score), rel=1e-6, abs=1e-6
            ), question
        answered, cli_answer = server.ask(question), cli.ask(question)
        assert (cli_answer.text, cli_answer.citations) == (answered.text, answered.citations), question
    server.close()
    cli.close()


def test_a_chosen_keyword_index_is_kept(tmp_path: Path) -> None:
    chosen = Settings(data_dir=tmp_path, lexical_index="memory")
    assert one_shot(chosen).lexical_index == "memory"
    assert one_shot(Settings(data_dir=tmp_path)).lexical_index == "sqlite"


@pytest.mark.slow
def test_rag_ask_answers_as_rag_serve_in_their_own_processes(
    tmp_path: Path, minilm: SentenceTransformerEmbedder, seed_path: Path
) -> None:
    """The commands as users run them, each building its model and store from the same settings:
    the same passages in the same order with the same fused scores, and the same quotes."""
    data = tmp_path / "data"
    writer = Assistant(Settings(data_dir=data), embedder=minilm)
    assert writer.ingest([seed_path, BRIDGE, FESTIVAL, ENVOY, INJECTION]).ok
    writer.close()

    def kept(answer: dict[str, Any]) -> tuple[Any, ...]:
        passages = [(p["article_id"], p["start"], p["end"], p["score"]) for p in answer["passages"]]
        return (
            answer["abstained"],
            passages,
            [(c["article_id"], c["start"], c["end"]) for c in answer["citations"]],
        )

    questions = QUESTIONS[1::3]  # an answer, a date, an abstention; each `rag ask` a fresh process
    with serving(data) as served:
        answers = [
            httpx.post(f"{served.base}/v1/ask", json={"question": q}, timeout=120).json() for q in questions
        ]
    for question, answer in zip(questions, answers, strict=True):
        asked = rag("ask", "--json", question, data_dir=data)
        assert asked.returncode == 0, asked.stderr
        assert kept(json.loads(asked.stdout)) == kept(answer), question
