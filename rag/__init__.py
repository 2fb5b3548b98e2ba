"""article-rag: ask questions about your articles and get answers that quote their sources.

``Assistant`` (``rag.assistant``) is the one door; the modules behind it, in the order data flows:

- ingesting: ``uploads`` (files users send) -> ``loaders`` (files, folders, URLs to ``Article``s;
  ``cleaning`` strips scrape noise, ``urls`` vets links, ``loaders.dates`` finds publication
  dates in articles, ``days`` reads dates written as text) -> ``ingest`` (the pipeline;
  ``prefetch`` reads ahead) -> ``chunking`` (``sentences``)
  -> ``embedding`` (the model protocol and factory; ``sentence_embedder`` the real model;
  ``bert_encoder`` runs its layers through ``bert_onnx`` or ``bert_numpy``) -> ``vectorstore``.
- answering: ``chain`` (condense | retrieve | answer, as LangChain runnables) -> ``query``
  (question checks, recency), ``follow_ups`` (a follow-up made standalone; ``references`` says what
  its "he", "it", "there" or "then" stands for), ``question_parts`` (several questions in one) and
  ``timeframe`` (dates in questions: ``date_phrases``, ``calendar_words``) -> ``retrieval``
  (dense + BM25 fused; ``date_ranking``) -> ``answerers`` (which one, and the condenser) ->
  ``extractive`` (its ``candidates`` sentences, quoted in the ``ordering`` it gives them and as the
  ``composition`` of the answer; ``answer_kinds``, ``mentions`` and ``lexicon`` read what a question
  asks for and a sentence holds; ``terms`` and ``features`` describe each sentence to the trained ``selector``,
  ``word_vectors`` finds a question's words said otherwise ("empty" for "vacant") and ``equivalences``
  those said in a news word of the same role or event ("chief executive" for "heads"), ``referents``
  the named body "the hospital" stands for; ``quotes`` checks that the chosen one says what is asked
  (``quote_context`` whether it needs the sentence before, ``people`` who it names and quotes,
  ``units`` what its numbers count, ``amounts`` whose its sum of money is, ``asked_time`` its year, tense and event, ``predicates`` what
  happened, yes or no, ``asked_things`` the thing asked about) and ``abstentions`` says why none does;
  ``restrictions`` checks it says what the question pins down, its event, a part alone, a rate, a
  measure, the words someone said; ``revisions`` puts a later report's figure before the one it revises;
  ``counted`` that its number counts what is asked, not the same kind of thing something else befell,
  ``posts`` that a post it names is held at the body asked, and ``subjects`` that its article is
  about the question's subject, not another thing of its kind, and ``focus`` that the story the
  question or the conversation is about goes before another sharing its words; ``claims`` splits a question that checks reports
  against each other and reads the outlets it names, ``relations`` the verb a question asks about) or ``generative`` (``prompting``, ``citecheck``) ->
  ``citations`` (the ``[n]`` format, pages, source lists).
- around them: ``conversations`` (saved chats and feedback), ``textcheck`` (text that cannot be
  stored), and ``types``, ``settings`` and ``errors``, which every module may import.

``Assistant`` is imported on first access: ``import rag`` (and so every ``rag.*`` submodule)
then costs only the light types, errors and settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rag.days import parse_day
from rag.errors import (
    ConfigError,
    EmptyIndexError,
    FetchError,
    InputError,
    LoadError,
    NotFoundError,
    RagError,
    StoreError,
    StoreUnavailableError,
)
from rag.settings import Settings
from rag.timeframe import read_date_window
from rag.types import (
    Answer,
    Article,
    Chunk,
    Citation,
    DateWindow,
    Failure,
    IngestReport,
    Passage,
    Question,
    SearchFilter,
    StoredArticle,
    StreamEvent,
    Turn,
    Upload,
)

if TYPE_CHECKING:
    from rag.assistant import Assistant

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "Chunk",
    "Citation",
    "ConfigError",
    "DateWindow",
    "EmptyIndexError",
    "Failure",
    "FetchError",
    "IngestReport",
    "InputError",
    "LoadError",
    "NotFoundError",
    "Passage",
    "Question",
    "RagError",
    "SearchFilter",
    "Settings",
    "StoreError",
    "StoreUnavailableError",
    "StoredArticle",
    "StreamEvent",
    "Turn",
    "Upload",
    "parse_day",
    "read_date_window",
]


def __getattr__(name: str) -> object:
    if name == "Assistant":
        from rag.assistant import Assistant

        return Assistant
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
