"""A vector Chroma's HNSW graph never reaches is still found by a search filtered to its article or day.

After two `rag ingest` runs into one folder, a fresh process rebuilt the graph from Chroma's log on
parallel threads and, under load, one article's only vector had no links to it: the filtered
search for that article came back empty (tests/test_shared_data_folder.py, about 1 run in 20).
That race cannot be timed from a test, so this one builds a graph that is sparse enough to leave
vectors unreachable every time: a collection with two links per node (``max_neighbors``), created
through Chroma's own API before the store opens the folder, and vectors written one at a time.
A search filtered to articles ranks their few vectors without the graph; one filtered to a day
asks the graph first and, finding fewer than it asked for, ranks what the filter allows.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chromadb
import numpy as np
from chromadb.config import Settings as ChromaSettings

from rag.settings import Settings
from rag.types import Article, Chunk, SearchFilter
from vectorstore import open_store

ARTICLES = 150


def test_every_article_is_found_by_searches_filtered_to_it_or_its_day_even_where_the_graph_misses_it(
    tmp_path: Path,
) -> None:
    settings = Settings(data_dir=tmp_path / "data", embedding_backend="hash")
    client = chromadb.PersistentClient(
        path=str(settings.chroma_path), settings=ChromaSettings(anonymized_telemetry=False)
    )
    client.create_collection(
        settings.collection,
        configuration={"hnsw": {"space": "cosine", "max_neighbors": 2, "ef_construction": 200}},
        embedding_function=None,
    )
    client.close()
    vectors = np.random.default_rng(5).normal(size=(ARTICLES, 32)).astype(np.float32)
    store = open_store(settings)
    for n, vector in enumerate(vectors):
        article = Article(id=f"a{n}", title=f"A {n}", text=f"Article {n}.", published=_day(n))
        store.write(article, [Chunk(f"a{n}:0", article.id, 0, 0, 11, article.text)], vector[None, :], f"h{n}")
    query = vectors.mean(axis=0)

    def chroma_finds(article_id: str) -> bool:
        found = store.dense.connection.read(
            store.dense.collection_name,
            "cosine",
            lambda c: c.query(query_embeddings=[query], n_results=5, where={"article_id": article_id}),
        )
        return bool(found["ids"][0])

    unreachable = [f"a{n}" for n in range(ARTICLES) if not chroma_finds(f"a{n}")]
    # The case under test: without it this test would pass whatever the store did.
    assert unreachable, (
        "Chroma now reaches every vector of this graph: pick data that leaves some unreachable"
    )
    for n in range(ARTICLES):
        expected = float(vectors[n] @ query / np.linalg.norm(vectors[n]) / np.linalg.norm(query))
        for where in (
            SearchFilter(article_ids=(f"a{n}",)),
            SearchFilter(published_from=_day(n), published_to=_day(n)),
        ):
            hits = store.dense_search(query, 5, where)
            assert [(p.article_id, p.chunk_id) for p in hits] == [(f"a{n}", f"a{n}:0")], where
            assert abs(hits[0].score - expected) < 1e-5
    store.close()


def _day(n: int) -> dt.date:
    return dt.date(2024, 1, 1) + dt.timedelta(days=n)


def test_a_search_filtered_to_an_article_that_is_not_stored_finds_nothing(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path / "data", embedding_backend="hash"))
    article = Article(id="kept", title="Kept", text="Kept article.")
    store.write(article, [Chunk("kept:0", "kept", 0, 0, 13, article.text)], np.ones((1, 32), np.float32), "h")
    assert store.dense_search(np.ones(32, np.float32), 5, SearchFilter(article_ids=("gone",))) == []
    store.close()
