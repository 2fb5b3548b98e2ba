"""Choosing the answerer from settings: extractive quotes by default, a language model on request."""

from __future__ import annotations

from rag.chain import Answerer
from rag.embedding import Embedder
from rag.errors import ConfigError
from rag.extractive import ExtractiveAnswerer
from rag.settings import Settings


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
