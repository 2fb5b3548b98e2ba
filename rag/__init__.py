"""article-rag: ask questions about your articles and get answers that quote their sources."""

from __future__ import annotations

from rag.assistant import Assistant
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
from rag.types import (
    Answer,
    Article,
    Chunk,
    Citation,
    Failure,
    IngestReport,
    Passage,
    SearchFilter,
    StoredArticle,
    StreamEvent,
    Turn,
)

__all__ = [
    "Answer",
    "Article",
    "Assistant",
    "Chunk",
    "Citation",
    "ConfigError",
    "EmptyIndexError",
    "Failure",
    "FetchError",
    "IngestReport",
    "InputError",
    "LoadError",
    "NotFoundError",
    "Passage",
    "RagError",
    "SearchFilter",
    "Settings",
    "StoreError",
    "StoreUnavailableError",
    "StoredArticle",
    "StreamEvent",
    "Turn",
]
