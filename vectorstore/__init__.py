"""Storage of articles and chunks: Chroma for vectors, SQLite for the catalogue and BM25."""

from __future__ import annotations

from vectorstore.catalog import Catalog
from vectorstore.dense import DenseIndex
from vectorstore.store import ArticleStore

__all__ = ["ArticleStore", "Catalog", "DenseIndex"]
