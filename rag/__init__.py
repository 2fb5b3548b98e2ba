"""article-rag: ask questions about your articles and get answers that quote their sources.

``Assistant`` is imported on first access: ``import rag`` (and so every ``rag.*`` submodule,
the CLI included) then costs only the light types, errors and settings.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

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
]


def __getattr__(name: str) -> object:
    if name == "Assistant":
        from rag.assistant import Assistant

        return Assistant
    raise AttributeError(f"module 'rag' has no attribute {name!r}")
