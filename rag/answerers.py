"""The answerers and how settings choose them: extractive quotes by default, a language model on request.

An answerer writes the Answer from what retrieval found; the condenser chosen beside it turns a
follow-up question into a standalone search query before retrieval.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from rag.embedding import Embedder
from rag.errors import ConfigError
from rag.extractive import MAX_EMBEDDED, ExtractiveAnswerer
from rag.follow_ups import search_query
from rag.settings import Settings
from rag.types import Answer, AnswerRequest, StreamEvent, Turn

Condense = Callable[[str, tuple[Turn, ...]], str]
"""Rewrites a follow-up question, with the conversation, into a standalone search query."""


class Answerer(Protocol):
    """Writes an Answer from retrieved passages."""

    name: str

    def answer(self, request: AnswerRequest) -> Answer:
        """The whole answer at once."""
        ...

    def stream(self, request: AnswerRequest) -> Iterator[StreamEvent]:
        """Text pieces as they are produced, then one event with the finished Answer."""
        ...


def answerer_from_settings(settings: Settings, embedder: Embedder) -> Answerer:
    """The answerer ``settings.answerer`` names; `llm` needs a base URL to talk to."""
    extractive = extractive_from_settings(settings, embedder)
    if settings.answerer == "extractive":
        return extractive
    if not settings.llm_base_url.strip():
        raise ConfigError(
            "RAG_ANSWERER=llm needs RAG_LLM_BASE_URL, the OpenAI-compatible API root "
            "(e.g. https://api.openai.com/v1 or http://localhost:11434/v1 for Ollama); see docs/llm.md."
        )
    from rag.generative import GenerativeAnswerer  # langchain_openai loads only when an LLM is asked for

    return GenerativeAnswerer.from_settings(settings, extractive)


def condenser_from_settings(settings: Settings, answerer: Answerer) -> Condense:
    """With `llm`, the chat model rewrites follow-ups; otherwise the rule in ``rag.follow_ups`` does."""
    if settings.answerer == "llm":
        from rag.generative import GenerativeAnswerer

        if isinstance(answerer, GenerativeAnswerer):
            return answerer.condense
    return search_query


# With the bundled all-MiniLM-L6-v2: on SQuAD 2.0 dev (8 articles indexed, 250 questions each way)
# questions about the other 8 abstained 0.63 -> 0.74 and those about indexed ones were answered
# 0.940 -> 0.936; python -m bench.news is unchanged. 0.25 and 0.3 abstain more off the index (0.81,
# 0.86) but lose news questions ("What position does Rodion Miroshnik hold?" at 0.3).
MINILM_SIMILARITY_FLOOR = 0.2


def extractive_from_settings(
    settings: Settings, embedder: Embedder, max_embedded: int | None = MAX_EMBEDDED
) -> ExtractiveAnswerer:
    """The extractive answerer as ``settings`` configure it (the benchmarks build theirs here too)."""
    return ExtractiveAnswerer(
        embedder, settings.max_answer_sentences, settings.min_relevance, max_embedded,
        min_similarity=similarity_floor(settings),
    )  # fmt: skip


def similarity_floor(settings: Settings) -> float:
    """The quoted sentence's least similarity to the question: the setting, else the backend's default."""
    if settings.min_sentence_similarity is not None:
        return settings.min_sentence_similarity
    return MINILM_SIMILARITY_FLOOR if settings.embedding_backend == "sentence-transformers" else 0.0
