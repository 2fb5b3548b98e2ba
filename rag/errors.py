"""Errors the library raises, each with a message that says what to do next.

    RagError
    ├── ConfigError          a setting is invalid or an optional extra is missing
    ├── InputError           the caller's input is unusable (empty question, bad filter)
    │   └── LoadError        one article source cannot be read or parsed
    │       └── FetchError   a URL cannot be fetched or is not allowed
    ├── NotFoundError        no article (or conversation) has the given id
    ├── EmptyIndexError      nothing has been ingested yet
    └── StoreError           the vector store or lexical index failed
        └── StoreUnavailableError  a Chroma server cannot be reached

Shells map these onto exit codes, HTTP statuses and UI messages.
"""

from __future__ import annotations


class RagError(Exception):
    """Root of every error this project raises on purpose."""


class ConfigError(RagError):
    """A setting is invalid, or an optional dependency it needs is missing."""


class InputError(RagError):
    """The caller gave input the assistant cannot use."""


class LoadError(InputError):
    """An article source could not be read or parsed."""


class FetchError(LoadError):
    """A URL could not be fetched, or fetching it is not allowed."""


class NotFoundError(RagError):
    """No stored article (or saved conversation) has the requested id."""


class EmptyIndexError(RagError):
    """A question was asked before any article was ingested."""

    def __init__(self, message: str = "No articles indexed yet: run `rag ingest seeds/` first.") -> None:
        super().__init__(message)


class StoreError(RagError):
    """The vector store or the lexical index failed."""


class StoreUnavailableError(StoreError):
    """The Chroma server could not be reached."""
