"""The answerers and how settings choose them: extractive quotes by default, a language model on request.

An answerer writes the Answer from what retrieval found; the condenser chosen beside it turns a
follow-up question into a standalone search query before retrieval.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Protocol

from rag.embedding import Embedder
from rag.errors import ConfigError
from rag.extractive import ExtractiveAnswerer
from rag.query import search_query
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
    extractive = ExtractiveAnswerer(embedder, settings.max_answer_sentences, settings.min_relevance)
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
    """With `llm`, the chat model rewrites follow-ups; otherwise the rule in ``rag.query`` does."""
    if settings.answerer == "llm":
        from rag.generative import GenerativeAnswerer

        if isinstance(answerer, GenerativeAnswerer):
            return answerer.condense
    return search_query
