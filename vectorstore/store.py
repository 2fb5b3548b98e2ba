"""ArticleStore: the catalogue and the dense index kept consistent, behind one small API.

Write order makes crashes harmless: vectors are upserted first (invisible until their
chunk rows exist), the catalogue then commits the new version in one transaction, and
only after that are the old version's vectors deleted. Deleting runs the other way round.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace

import numpy as np

from rag.settings import Settings
from rag.types import Article, Chunk, Passage, SearchFilter, StoredArticle
from vectorstore.catalog import Catalog
from vectorstore.dense import DenseIndex


@dataclass(frozen=True)
class Consistency:
    """Chunk ids present in only one of the two indexes."""

    only_dense: frozenset[str]
    only_lexical: frozenset[str]

    @property
    def ok(self) -> bool:
        """True when both indexes hold the same chunks."""
        return not self.only_dense and not self.only_lexical


class ArticleStore:
    """Stores articles, their chunks and vectors; searches them densely and lexically."""

    def __init__(self, catalog: Catalog, dense: DenseIndex) -> None:
        self.catalog = catalog
        self.dense = dense

    @classmethod
    def from_settings(cls, settings: Settings) -> ArticleStore:
        """Embedded Chroma under the data folder, or the Chroma server the settings name."""
        if settings.chroma_url:
            from vectorstore.shared import SharedArticleStore  # it builds on this class

            return SharedArticleStore.from_settings(settings)
        return cls(Catalog(settings.catalog_path), DenseIndex(settings.collection, settings.chroma_path))

    def content_hash(self, article_id: str) -> str | None:
        """Hash of the stored version, to skip unchanged articles before embedding."""
        return self.catalog.content_hash(article_id)

    def write(
        self, article: Article, chunks: Sequence[Chunk], vectors: np.ndarray, content_hash: str
    ) -> None:
        """Store a new or changed article so that readers see the old or the new version, never a mix."""
        old = self.catalog.chunk_ids(article.id)
        self.dense.upsert(chunks, vectors, article.published)
        self.catalog.replace(article, chunks, content_hash)
        stale = old - {c.id for c in chunks}
        if stale:
            self.dense.delete(sorted(stale))

    def delete(self, article_id: str) -> bool:
        """Remove an article everywhere; False when it was not stored."""
        if not self.catalog.exists(article_id):
            return False
        ids = self.catalog.delete(article_id)
        self.dense.delete(sorted(ids))
        return True

    def articles(self) -> list[StoredArticle]:
        """All stored articles, newest first."""
        return self.catalog.articles()

    def article(self, article_id: str) -> StoredArticle | None:
        """One stored article with its text."""
        return self.catalog.article(article_id)

    def dense_search(self, vector: np.ndarray, limit: int, where: SearchFilter) -> list[Passage]:
        """Nearest visible chunks, scored by cosine similarity."""
        hits = self.dense.search(vector, limit, where)
        found = self.catalog.passages([h[0] for h in hits])
        return [_scored(found[i], s) for i, s in hits if i in found]

    def lexical_search(self, question: str, limit: int, where: SearchFilter) -> list[Passage]:
        """BM25 top chunks."""
        return self.catalog.search(question, limit, where)

    def check(self) -> Consistency:
        """Compare the chunk ids of both indexes."""
        lexical = self.catalog.chunk_ids()
        dense = self.dense.ids()
        return Consistency(only_dense=frozenset(dense - lexical), only_lexical=frozenset(lexical - dense))

    def repair(self) -> Consistency:
        """Drop vectors no article owns; report chunks whose vectors are missing (re-ingest fixes them)."""
        found = self.check()
        if found.only_dense:
            self.dense.delete(sorted(found.only_dense))
        return found

    def close(self) -> None:
        """Release the catalogue connection."""
        self.catalog.close()


def _scored(passage: Passage, score: float) -> Passage:
    return replace(passage, score=score, dense_score=score)
