"""The in-memory BM25 index ranks exactly as SQLite's FTS5 does, and follows every change.

Each test compares, on a real catalogue file, the in-memory ranking with the FTS5 ranking of
the same catalogue (a second ``FullTextIndex`` on the file with the in-memory index off): the same
chunks in the same order with the same scores, after ingests, updates that reuse rowids,
deletes, compaction, writes by another process and a pruned change log.
"""

from __future__ import annotations

import datetime as dt
import random
import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from rag.types import Article, Chunk, SearchFilter
from vectorstore.catalog import CatalogFile
from vectorstore.fulltext import FullTextIndex
from vectorstore.journal import WriteJournal
from vectorstore.postings import Row, State, Terms
from vectorstore.rows import ArticleRows

WORDS = (
    "bridge bridges bridged harbour storm storms flooded flooding mayor council councils assembly "
    "assemblies Besançon Atatürk café cafés façade 1998 2024 42 river rivers warsaw university "
    "universities founded founding election elections won winning treaty signed signing pears "
    "apples orchard orchards farmers farming tonnes strike strikes bakery workers ds as x9 e-mail "
    "under_score naïve résumé MIXED Case"
).split()
EVERYTHING = SearchFilter()
QUESTIONS = (
    "Which bridge flooded in the storm?",
    "How many farmers grow pears in the orchards?",
    "When was the university in Besançon founded?",
    "Who won the 1998 election?",
    "Was the assembly treaty signed by the council?",
    "cafe facade resume naive",
    "Atatürk and the workers' strike at the bakery",
    "under_score e-mail x9",
    "storms storm flooding",  # two words, one term: FTS5 scores it once per word
)


def text_of(rng: random.Random, sentences: int) -> str:
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randint(4, 14))).capitalize() + "."
        for _ in range(sentences)
    )


def article(aid: str, text: str, published: dt.date | None = None) -> tuple[Article, list[Chunk]]:
    chunks: list[Chunk] = []
    start = 0
    for seq, end in enumerate(i + 1 for i, ch in enumerate(text) if ch == "."):
        piece = text[start:end]
        lead = len(piece) - len(piece.lstrip())
        chunks.append(
            Chunk(f"{aid}:{seq}:{hash(text) & 0xFFFFF}", aid, seq, start + lead, end, piece.strip())
        )
        start = end
    return Article(id=aid, title=aid, text=text, published=published), chunks


class Catalog:
    """One process's view of a catalogue file: its rows and its full-text (BM25) index."""

    def __init__(self, path: Path, memory_bm25: bool = False) -> None:
        self.file = CatalogFile(path)
        self.rows = ArticleRows(self.file)
        self.index = FullTextIndex(self.file, memory_bm25)


def write(catalog: Catalog, aid: str, text: str, published: dt.date | None = None) -> None:
    art, chunks = article(aid, text, published)
    _, stale = catalog.rows.replace(art, chunks, str(hash(text)))
    WriteJournal(catalog.file).settle(sorted(stale))


def ranked(catalog: Catalog, question: str, where: SearchFilter = EVERYTHING) -> list[tuple[str, float]]:
    return [(p.chunk_id, p.score) for p in catalog.index.search(question, 30, where)]


def same_ranking(memory: Catalog, fts: Catalog, where: SearchFilter = EVERYTHING) -> None:
    """Every question ranks the same chunks, in the same order, with the same scores, both ways."""
    assert memory.index.memory is not None and memory.index.memory.wait(60), (
        memory.index.memory and memory.index.memory.failed
    )
    for question in QUESTIONS:
        got, expected = ranked(memory, question, where), ranked(fts, question, where)
        assert expected or where != EVERYTHING, f"the corpus should answer {question!r} lexically"
        # Exactly equal, not approximately: an answer given while FTS5 still ranks must equal the
        # same answer once the index is built (Assistant.chain.invoke(q) == Assistant.ask(q)).
        assert [s for _, s in got] == [s for _, s in expected], question
        assert groups(got) == groups(expected), question


def groups(hits: list[tuple[str, float]]) -> list[set[str]]:
    """Chunk ids by score, best first; FTS5 orders equal scores arbitrarily, so each tie is a set.

    The last group is cut by the limit and may hold any of its tied chunks: it is left out.
    """
    found: list[set[str]] = []
    last = None
    for chunk_id, score in hits:
        if last is None or abs(score - last) > 1e-6 * abs(last):
            found.append(set())
        found[-1].add(chunk_id)
        last = score
    return found[:-1]


def built(pair: tuple[Catalog, Catalog], **articles: str) -> tuple[Catalog, Catalog]:
    """``pair`` once the other catalogue stored ``articles`` and the in-memory index is built."""
    memory, fts = pair
    for aid, text in articles.items():
        write(fts, aid, text)
    memory.index.warm()
    assert memory.index.memory is not None and memory.index.memory.wait(60)
    return memory, fts


@pytest.fixture
def pair(tmp_path: Path) -> tuple[Catalog, Catalog]:
    path = tmp_path / "catalog.sqlite3"
    return Catalog(path, memory_bm25=True), Catalog(path)


def test_ranks_as_fts5_does(pair: tuple[Catalog, Catalog]) -> None:
    memory, fts = pair
    rng = random.Random(1)
    for n in range(40):
        published = None if n % 4 == 0 else dt.date(2024, 1, 1) + dt.timedelta(days=n)
        write(fts, f"a{n}", text_of(rng, rng.randint(1, 6)), published)
    memory.index.warm()
    same_ranking(memory, fts)
    spring = dt.date(2024, 1, 20)
    filters = [
        SearchFilter(article_ids=("a1", "a4", "a7", "a30", "missing")),
        SearchFilter(published_from=spring),
        SearchFilter(published_to=spring),  # undated articles are left out, as in SQL
        SearchFilter(as_of=spring),  # undated articles stay
        SearchFilter(("a0", "a21", "a22"), spring, spring + dt.timedelta(days=10)),
    ]
    for where in filters:
        same_ranking(memory, fts, where)
        assert {p.article_id for p in memory.index.search("bridge storm pears", 30, where)} <= {
            p.article_id for p in fts.index.search("bridge storm pears", 1000, where)
        }


def test_the_first_search_is_answered_by_fts5_while_the_index_builds(pair: tuple[Catalog, Catalog]) -> None:
    memory, fts = pair
    write(fts, "a", "The storm flooded the harbour.")
    assert memory.index.memory is not None and not memory.index.memory.ready
    assert [p.article_id for p in memory.index.search("storm", 5, SearchFilter())] == ["a"]
    assert memory.index.memory.wait(60)


def test_follows_updates_deletes_and_reused_rowids(pair: tuple[Catalog, Catalog]) -> None:
    memory, fts = pair
    rng = random.Random(2)
    for n in range(20):
        write(fts, f"a{n}", text_of(rng, 3))
    memory.index.warm()
    same_ranking(memory, fts)
    for step in range(120):  # enough changes to compact the in-memory arrays several times
        aid = f"a{rng.randrange(25)}"
        if rng.random() < 0.25:
            fts.rows.delete(aid)
        else:
            write(memory if step % 2 else fts, aid, text_of(rng, rng.randint(1, 5)))
        if step % 10 == 0:
            same_ranking(memory, fts)
    # The newest article's rows get the highest rowids; deleting it and writing another reuses them.
    top = fts.file.query("SELECT article_id FROM chunks ORDER BY rowid DESC LIMIT 1")[0][0]
    before = fts.file.query("SELECT MAX(rowid) FROM chunks")[0][0]
    fts.rows.delete(top)
    write(fts, "fresh", "Bridges bridged the river in Warsaw. The council signed.")
    assert fts.file.query("SELECT MAX(rowid) FROM chunks")[0][0] <= before + 1
    same_ranking(memory, fts)
    assert memory.index.search("bridges warsaw", 3, SearchFilter())[0].article_id == "fresh"


def test_words_gone_from_the_catalogue_are_gone_from_the_index(pair: tuple[Catalog, Catalog]) -> None:
    memory, fts = built(pair, a="Orchard farmers picked pears.", b="The storm flooded the harbour.")
    write(fts, "a", "Orchard farmers picked apples.")  # written by the other "process"
    assert [p.text for p in memory.index.search("pears", 5, SearchFilter())] == []
    assert [p.text for p in memory.index.search("apples", 5, SearchFilter())] == [
        "Orchard farmers picked apples."
    ]
    fts.rows.delete("b")
    assert memory.index.search("storm harbour", 5, SearchFilter()) == []


def test_rebuilds_when_the_log_was_pruned_past_it(pair: tuple[Catalog, Catalog]) -> None:
    memory, fts = built(pair, a="Orchard farmers picked pears.")
    assert memory.index.memory is not None
    write(fts, "b", "The storm flooded the harbour.")
    fts.file.query("DELETE FROM chunk_changes")  # as the pruning trigger does after 200,000 changes
    write(fts, "c", "The mayor opened the bridge.")
    # The gap sends this search to FTS5 while the index rebuilds; both find every article.
    assert [p.article_id for p in memory.index.search("storm", 5, SearchFilter())] == ["b"]
    assert memory.index.memory.wait(60)
    assert [p.article_id for p in memory.index.search("storm", 5, SearchFilter())] == ["b"]
    assert [p.article_id for p in memory.index.search("mayor bridge", 5, SearchFilter())] == ["c"]


def test_filtered_searches_still_filter(pair: tuple[Catalog, Catalog]) -> None:
    memory, _ = built(pair, a="Storm over the harbour.", b="Storm over the river.")
    only_b = SearchFilter(article_ids=("b",))
    assert [p.article_id for p in memory.index.search("storm", 5, only_b)] == ["b"]


def test_the_change_log_prunes_itself(tmp_path: Path) -> None:
    catalog = Catalog(tmp_path / "catalog.sqlite3")
    write(catalog, "a", "One.")
    with sqlite3.connect(tmp_path / "catalog.sqlite3") as conn:
        conn.execute("UPDATE sqlite_sequence SET seq = 299990 WHERE name = 'chunk_changes'")
    for n in range(12):
        write(catalog, f"b{n}", f"Sentence {n}.")
    low = catalog.file.query("SELECT MIN(seq) FROM chunk_changes")[0][0]
    assert low > 100_000  # entries 200,000 behind the newest were dropped at seq 300,000


def test_terms_are_those_of_sqlite() -> None:
    terms = Terms("porter unicode61 remove_diacritics 2")
    assert terms.of("assembly") == terms.of("assemblies")  # SQLite's Porter, not Snowball's
    assert terms.of("besançon") == terms.of("besancon")
    state = State(0, terms)
    state.add([Row(7, "Bridges were bridged.", "a", None), Row(9, "A bridge.", "b", "2024-05-01")])
    assert [
        rowid for rowid, _ in state.top(state.postings(["bridge"]), 5, state.allowed(("b",), None, None))
    ] == [9]
    assert [rowid for rowid, _ in state.top(state.postings(["bridge"]), 5)] == [7, 9]
    state.remove([7])
    assert [rowid for rowid, _ in state.top(state.postings(["bridge"]), 5)] == [9]


def test_a_new_catalogue_opened_at_once_by_a_build_and_others_opens_for_all(tmp_path: Path) -> None:
    """`rag serve` on a fresh folder starts the build while its first request opens the file.

    Creating the file switches it to WAL, which takes a lock SQLite refuses at once instead of
    waiting: before the fix about one start in six failed with "database is locked" (CI saw it).
    """
    for attempt in range(60):
        path = tmp_path / f"{attempt}" / "catalog.sqlite3"
        building, other = Catalog(path, memory_bm25=True), Catalog(path)
        errors: list[BaseException] = []

        def run(open_it: Callable[[], object], errors: list[BaseException] = errors) -> None:
            try:
                open_it()
            except BaseException as exc:  # reported below
                errors.append(exc)

        threads = [
            threading.Thread(target=run, args=(building.index.warm,)),
            threading.Thread(target=run, args=(lambda c=other: c.rows.count(),)),
            threading.Thread(target=run, args=(lambda c=building: c.rows.count(),)),
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert building.index.memory is not None and building.index.memory.wait(60)
        assert errors == [] and building.index.memory.failed is None, (errors, building.index.memory.failed)
