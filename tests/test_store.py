"""The store keeps Chroma and the SQLite catalogue/BM25 index consistent, on real Chroma."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace
from pathlib import Path

import numpy as np
import pytest

from rag.embedding import HashEmbedder
from rag.settings import Settings
from rag.types import Article, Chunk, SearchFilter, StoreStats
from vectorstore import ArticleStore, open_store
from vectorstore.fulltext import fts_query, selective_words

EMB = HashEmbedder()


def _article(
    aid: str, text: str, published: dt.date | None = None
) -> tuple[Article, list[Chunk], np.ndarray]:
    article = Article(id=aid, title=aid.title(), text=text, published=published)
    chunks = [Chunk(f"{aid}:{i}-{hash(text) & 0xFFFF}", aid, i, 0, len(text), text) for i in range(1)]
    return article, chunks, EMB.embed_documents([c.text for c in chunks])


@pytest.fixture
def store(tmp_path: Path) -> ArticleStore:
    return open_store(Settings(data_dir=tmp_path))


def test_write_then_search_both_ways(store: ArticleStore) -> None:
    store.write(*_article("bridge", "The mayor opened the new bridge."), content_hash="h1")
    store.write(*_article("storm", "A storm flooded the harbour overnight."), content_hash="h2")
    dense = store.dense_search(EMB.embed_query("storm flooded harbour"), 5, SearchFilter())
    lexical = store.lexical_search("harbour storm", 5, SearchFilter())
    assert dense[0].article_id == "storm" and lexical[0].article_id == "storm"
    assert lexical[0].text == "A storm flooded the harbour overnight."
    assert store.check().ok


def test_rewrite_replaces_old_chunks(store: ArticleStore) -> None:
    store.write(*_article("a", "Old text about apples."), content_hash="h1")
    store.write(*_article("a", "New text about pears."), content_hash="h2")
    assert store.content_hash("a") == "h2"
    assert store.lexical_search("apples", 5, SearchFilter()) == []
    assert store.dense.count() == 1
    assert store.check().ok


def test_delete_removes_everywhere(store: ArticleStore) -> None:
    store.write(*_article("a", "Text about apples."), content_hash="h1")
    assert store.delete("a")
    assert not store.delete("a")
    assert store.articles() == []
    assert store.dense.count() == 0
    assert store.dense_search(EMB.embed_query("apples"), 5, SearchFilter()) == []


def test_filters_by_article_and_date(store: ArticleStore) -> None:
    store.write(*_article("old", "Rates rose sharply.", dt.date(2020, 5, 1)), content_hash="1")
    store.write(*_article("new", "Rates rose again.", dt.date(2024, 5, 1)), content_hash="2")
    store.write(*_article("undated", "Rates rose, undated.", None), content_hash="3")
    vector = EMB.embed_query("rates rose")
    only_new = SearchFilter(published_from=dt.date(2023, 1, 1))
    assert {p.article_id for p in store.dense_search(vector, 5, only_new)} == {"new"}
    assert {p.article_id for p in store.lexical_search("rates", 5, only_new)} == {"new"}
    by_id = SearchFilter(article_ids=("old", "undated"))
    assert {p.article_id for p in store.dense_search(vector, 5, by_id)} == {"old", "undated"}
    assert {p.article_id for p in store.lexical_search("rates", 5, by_id)} == {"old", "undated"}


@pytest.mark.parametrize("lexical_index", ["memory", "sqlite"])
def test_as_of_hides_later_articles_and_keeps_undated(tmp_path: Path, lexical_index: str) -> None:
    store = open_store(Settings(data_dir=tmp_path, lexical_index=lexical_index))
    store.write(*_article("old", "Rates rose sharply.", dt.date(2020, 5, 1)), content_hash="1")
    store.write(*_article("new", "Rates rose again.", dt.date(2024, 5, 1)), content_hash="2")
    store.write(*_article("later", "Rates rose once more.", dt.date(2024, 5, 2)), content_hash="3")
    store.write(*_article("undated", "Rates rose, undated.", None), content_hash="4")
    store.warm()
    assert store.fulltext.memory is None or store.fulltext.memory.wait(60)
    vector = EMB.embed_query("rates rose")
    for as_of, seen in [
        (dt.date(2024, 5, 1), {"old", "new", "undated"}),
        (dt.date(2019, 1, 1), {"undated"}),
        (dt.date(2030, 1, 1), {"old", "new", "later", "undated"}),
    ]:
        where = SearchFilter(as_of=as_of)
        assert {p.article_id for p in store.dense_search(vector, 5, where)} == seen
        assert {p.article_id for p in store.lexical_search("rates", 5, where)} == seen
    window = SearchFilter(published_from=dt.date(2021, 1, 1), as_of=dt.date(2024, 5, 1))
    assert {p.article_id for p in store.dense_search(vector, 5, window)} == {"new"}
    assert {p.article_id for p in store.lexical_search("rates", 5, window)} == {"new"}
    store.close()


def test_orphan_vectors_are_invisible_and_repaired(store: ArticleStore) -> None:
    _, chunks, vectors = _article("ghost", "Half written article about ghosts.")
    store.dense.upsert(chunks, vectors, None)  # as if the process died before the catalogue commit
    assert store.dense_search(EMB.embed_query("ghosts"), 5, SearchFilter()) == []
    assert not store.check().ok
    assert store.repair().only_dense == {chunks[0].id}
    assert store.check().ok


def test_fts_query_quotes_words_and_drops_stopwords() -> None:
    assert fts_query('What is "NEAR" the AND bridge?') == '"near" OR "bridge"'
    assert fts_query("the of a") == ""


def test_common_words_are_left_out_of_large_bm25_searches() -> None:
    rows = {"war": 40_000, "treaty": 900, "signed": 30_000}
    assert selective_words(["war", "treaty", "signed"], rows, 100_000) == ["treaty"]
    # every word common: the two rarest still search
    assert selective_words(["war", "signed", "year"], {**rows, "year": 60_000}, 100_000) == ["signed", "war"]
    # a small archive keeps every word: scoring a few thousand rows is cheap
    assert selective_words(["war", "treaty"], {"war": 900, "treaty": 10}, 1_000) == ["war", "treaty"]


def test_stats_emptiness_and_page_starts_read_the_store(tmp_path: Path) -> None:
    store = open_store(Settings(data_dir=tmp_path, lexical_index="sqlite"))
    assert store.is_empty()
    assert store.stats() == StoreStats(articles=0, chunks=0, vectors=0, keyword_index="sqlite")
    article, chunks, vectors = _article("paged", "First page. Second page.")
    store.write(replace(article, page_starts=(0, 12)), chunks, vectors, content_hash="h1")
    store.write(*_article("plain", "No pages here."), content_hash="h2")
    assert not store.is_empty()
    assert store.stats() == StoreStats(articles=2, chunks=2, vectors=2, keyword_index="sqlite")
    assert store.page_starts(["paged", "plain", "gone"]) == {"paged": (0, 12), "plain": ()}
    store.delete("paged")
    assert store.stats().vectors == 1


def test_a_write_says_what_it_did_to_the_stored_articles(store: ArticleStore) -> None:
    first = _article("a", "Text about apples.")
    assert store.write(*first, content_hash="h1") == "added"
    # The same version again (another process stored it since this one looked): nothing changes.
    assert store.write(*first, content_hash="h1") == "unchanged"
    assert store.write(*_article("a", "Text about pears."), content_hash="h2") == "updated"
    assert [a.content_hash for a in store.articles()] == ["h2"]
    assert store.journal.pending() == (set(), set()) and store.check().ok


def _chunked(aid: str, sentences: list[str]) -> tuple[Article, list[Chunk], np.ndarray]:
    """An article of one chunk per sentence, with its real offsets."""
    text = "\n\n".join(sentences)
    starts = [text.index(s) for s in sentences]
    chunks = [
        Chunk(f"{aid}:{i}", aid, i, at, at + len(s), s)
        for i, (at, s) in enumerate(zip(starts, sentences, strict=True))
    ]
    return Article(id=aid, title=aid, text=text), chunks, EMB.embed_documents(sentences)


def test_surroundings_stretch_each_chunk_over_its_neighbours(store: ArticleStore) -> None:
    article, chunks, vectors = _chunked(
        "bus", ["Route 14 will stop.", '"We are stranded," she said.', "It ends."]
    )
    sentences = {c.id: ([c.start], EMB.embed_documents([c.text])) for c in chunks}
    store.write(article, chunks, vectors, content_hash="h1", sentences=sentences)
    near = store.surroundings(["bus:1", "bus:0", "gone"])
    assert set(near.chunks) == {"bus:1", "bus:0"}
    middle, first = near.chunks["bus:1"], near.chunks["bus:0"]
    assert (middle.start, middle.end) == (0, len(article.text)) and middle.text == article.text
    assert (first.start, first.end) == (0, chunks[1].end)  # nothing before the first chunk
    assert first.text == article.text[first.start : first.end]
    # the vectors are those of the chunks either side: each given chunk's own come with its passage
    assert set(near.sentence_vectors) == {
        ("bus", chunks[0].start),
        ("bus", chunks[1].start),
        ("bus", chunks[2].start),
    }
    assert set(store.surroundings(["bus:0"]).sentence_vectors) == {("bus", chunks[1].start)}
