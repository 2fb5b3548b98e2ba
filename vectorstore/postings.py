"""The in-memory BM25 index's data: SQLite's terms, NumPy postings, and FTS5's scoring on them.

Rows are chunks by number; each term's postings list the rows holding it with their term
frequencies, in compressed (CSR) arrays. Scores follow FTS5's ``bm25()``: same k1, b and idf
floor, and words become terms through SQLite's own tokenizer, so both indexes agree term for
term. ``vectorstore.memory_bm25`` builds a ``State`` and keeps it in step with the catalogue.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import sqlite3
import threading
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from itertools import chain
from typing import NamedTuple

import numpy as np

# FTS5's bm25() constants, and its floor for the idf of a term in over half of the rows.
K1 = 1.2
B = 0.75
IDF_FLOOR = 1e-6
# Token characters as FTS5's unicode61 sees them (letters and digits; "_" separates).
_TOKEN = re.compile(r"[^\W_]+")
# Compact (rebuild the arrays without dead rows) once changes reach this share of the rows.
_COMPACT_SHARE = 0.25


class Row(NamedTuple):
    """One full-text row with what filters ask of it (None for a row without a chunk or a date)."""

    rowid: int
    text: str
    article_id: str | None
    published: str | None  # ISO date


_NO_DATE = -1  # ordinal of a row without a published date: never inside a date range


class Terms:
    """Words to FTS5 terms, as the catalogue's tokenizer makes them (stemmed, diacritics folded).

    SQLite is asked itself, through a private in-memory FTS5 table, once per new word: Python
    Porter stemmers differ from SQLite's on about 1% of words ("assembly", "ds"), and a term the
    two indexes spell differently would never match.
    """

    def __init__(self, tokenize: str) -> None:
        self._db = sqlite3.connect(":memory:", check_same_thread=False)
        self._db.execute(f"CREATE VIRTUAL TABLE words USING fts5(w, tokenize = '{tokenize}')")
        self._db.execute("CREATE VIRTUAL TABLE word_terms USING fts5vocab(words, instance)")
        self.ids: dict[str, int] = {}  # term -> term id
        self.of_word: dict[str, tuple[int, ...]] = {}  # word -> its term ids
        self._lock = threading.Lock()

    def learn(self, words: Iterable[str]) -> None:
        """Tokenize the words not seen before, in one batch."""
        with self._lock:
            new = [w for w in set(words) if w not in self.of_word]
            if not new:
                return
            self._db.execute("DELETE FROM words")
            self._db.executemany("INSERT INTO words (rowid, w) VALUES (?, ?)", enumerate(new))
            found: dict[int, list[int]] = {}
            for term, row in self._db.execute("SELECT term, doc FROM word_terms ORDER BY doc, offset"):
                found.setdefault(row, []).append(self.ids.setdefault(term, len(self.ids)))
            for row, word in enumerate(new):
                self.of_word[word] = tuple(found.get(row, ()))

    def of(self, word: str) -> tuple[int, ...]:
        """The term ids of one word (learning it when new)."""
        if word not in self.of_word:
            self.learn([word])
        return self.of_word[word]


@dataclass(frozen=True)
class Postings:
    """Which rows hold each term, and how often: compressed rows (CSR) by term id."""

    starts: np.ndarray  # int64, one more than the terms it covers
    docs: np.ndarray  # int32 row numbers
    tfs: np.ndarray  # float32 term frequencies

    @classmethod
    def of(cls, terms: np.ndarray, docs: np.ndarray, tfs: np.ndarray, n_terms: int) -> Postings:
        order = np.argsort(terms, kind="stable")  # rows stay in order within a term
        counts = np.bincount(terms, minlength=n_terms)
        starts = np.zeros(n_terms + 1, dtype=np.int64)
        np.cumsum(counts, out=starts[1:])
        return cls(starts, docs[order].astype(np.int32), tfs[order].astype(np.float32))

    @classmethod
    def empty(cls) -> Postings:
        return cls(np.zeros(1, np.int64), np.zeros(0, np.int32), np.zeros(0, np.float32))

    def of_term(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        if term + 1 >= len(self.starts):
            return self.docs[:0], self.tfs[:0]
        start, end = self.starts[term], self.starts[term + 1]
        return self.docs[start:end], self.tfs[start:end]

    def triples(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """(term, row, tf) arrays, as ``of`` takes them."""
        terms = np.repeat(np.arange(len(self.starts) - 1, dtype=np.int32), np.diff(self.starts))
        return terms, self.docs, self.tfs


def tokenized(texts: Sequence[str], terms: Terms) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(term, text number, tf) triples for ``texts``, and each text's length in tokens."""
    words = [_TOKEN.findall(t.lower()) for t in texts]
    terms.learn(chain.from_iterable(words))
    per_word = [terms.of_word[w] for w in chain.from_iterable(words)]
    sizes = np.fromiter(map(len, per_word), np.int64, len(per_word))
    flat = np.fromiter(chain.from_iterable(per_word), np.int64, int(sizes.sum()))
    word_text = np.repeat(np.arange(len(texts)), [len(w) for w in words])
    token_text = np.repeat(word_text, sizes)
    lengths = np.bincount(token_text, minlength=len(texts))
    key, tf = np.unique(flat * len(texts) + token_text, return_counts=True)
    return (
        (key // len(texts)).astype(np.int32),
        (key % len(texts)).astype(np.int32),
        tf.astype(np.float32),
        lengths,
    )


class State:
    """One in-memory index: rows (chunks) by number, their lengths, and postings.

    Rows added after the last compaction sit in ``recent`` postings, small and rebuilt on
    each change; removed rows are only marked dead until compaction drops them.
    """

    def __init__(self, seq: int, terms: Terms) -> None:
        self.seq = seq  # the last change applied
        self.terms = terms
        self.rowids = np.zeros(0, np.int64)
        self.lengths = np.zeros(0, np.float64)
        self.alive = np.zeros(0, bool)
        self.article = np.zeros(0, np.int32)  # index into article_ids; -1 for a row without a chunk
        self.published = np.zeros(0, np.int32)  # date ordinal, _NO_DATE when undated
        self.article_ids: list[str] = []
        self.article_index: dict[str, int] = {}
        self.row_of: dict[int, int] = {}
        self.base = Postings.empty()
        self.recent = Postings.empty()
        self._recent: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
        self.live = 0
        self.live_length = 0.0
        self.dead = 0

    def add(self, rows: Sequence[Row], refresh: bool = True) -> None:
        """Index these rows (a rowid already present is replaced)."""
        rowids = [r.rowid for r in rows]
        self.remove([r for r in rowids if r in self.row_of])
        if not rows:
            return
        terms, docs, tfs, lengths = tokenized([r.text for r in rows], self.terms)
        first = len(self.rowids)
        docs = docs + np.int32(first)
        self.rowids = np.concatenate([self.rowids, np.asarray(rowids, np.int64)])
        self.lengths = np.concatenate([self.lengths, lengths.astype(np.float64)])
        self.alive = np.concatenate([self.alive, np.ones(len(rows), bool)])
        articles = [-1 if r.article_id is None else self._article(r.article_id) for r in rows]
        self.article = np.concatenate([self.article, np.asarray(articles, np.int32)])
        self.published = np.concatenate([self.published, _ordinals([r.published for r in rows])])
        self.row_of.update(zip(rowids, range(first, first + len(rows)), strict=True))
        self.live += len(rows)
        self.live_length += float(lengths.sum())
        self._recent.append((terms, docs, tfs))
        if refresh:
            self._refresh_recent()

    def _article(self, article_id: str) -> int:
        index = self.article_index.get(article_id)
        if index is None:
            index = self.article_index[article_id] = len(self.article_ids)
            self.article_ids.append(article_id)
        return index

    def allowed(
        self,
        article_ids: Sequence[str],
        published_from: dt.date | None,
        published_to: dt.date | None,
        as_of: dt.date | None = None,
    ) -> np.ndarray | None:
        """Which rows a filter lets through (as the FTS5 query's SQL conditions would), or None for all."""
        mask: np.ndarray | None = None
        if article_ids:
            wanted = [self.article_index[a] for a in article_ids if a in self.article_index]
            mask = np.isin(self.article, np.asarray(wanted, np.int32))
        if published_from is not None:
            after = self.published >= published_from.toordinal()
            mask = after if mask is None else mask & after
        if published_to is not None:
            before = (self.published <= published_to.toordinal()) & (self.published != _NO_DATE)
            mask = before if mask is None else mask & before
        if as_of is not None:
            known = (self.published <= as_of.toordinal()) | (self.published == _NO_DATE)
            mask = known if mask is None else mask & known
        return mask

    def remove(self, rowids: Iterable[int]) -> None:
        """Mark rows dead (unknown rowids are ignored)."""
        for rowid in rowids:
            row = self.row_of.pop(rowid, None)
            if row is not None and self.alive[row]:
                self.alive[row] = False
                self.live -= 1
                self.live_length -= float(self.lengths[row])
                self.dead += 1

    def compact(self) -> None:
        """Fold recent rows into the base postings and drop dead rows."""
        parts = [self.base.triples(), *self._recent]
        terms = np.concatenate([p[0] for p in parts])
        docs = np.concatenate([p[1] for p in parts])
        tfs = np.concatenate([p[2] for p in parts])
        parts = []
        self._recent = []
        keep = self.alive[docs] if len(docs) else np.zeros(0, bool)
        new_number = (np.cumsum(self.alive) - 1).astype(np.int32)
        terms, docs, tfs = terms[keep], new_number[docs[keep]], tfs[keep]
        self.rowids = self.rowids[self.alive]
        self.lengths = self.lengths[self.alive]
        self.article = self.article[self.alive]
        self.published = self.published[self.alive]
        self.alive = np.ones(len(self.rowids), bool)
        self.row_of = dict(zip(self.rowids.tolist(), range(len(self.rowids)), strict=True))
        self.base = Postings.of(terms, docs, tfs, len(self.terms.ids))
        self._recent = []
        self.recent = Postings.empty()
        self.dead = 0

    def needs_compaction(self) -> bool:
        recent = sum(len(p[1]) for p in self._recent)
        return recent + self.dead > _COMPACT_SHARE * max(len(self.base.docs), 1) + 1000

    def _refresh_recent(self) -> None:
        if self.needs_compaction():
            self.compact()
            return
        terms = np.concatenate([p[0] for p in self._recent])
        docs = np.concatenate([p[1] for p in self._recent])
        tfs = np.concatenate([p[2] for p in self._recent])
        self.recent = Postings.of(terms, docs, tfs, len(self.terms.ids))

    def postings(self, words: Sequence[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Each single-term word's live rows and term frequencies, gathered once per search."""
        return {w: self._live_docs(self.terms.of(w)[0]) for w in words}

    def top(
        self,
        postings: Mapping[str, tuple[np.ndarray, np.ndarray]],
        limit: int,
        allowed: np.ndarray | None = None,
    ) -> list[tuple[int, float]]:
        """(rowid, BM25 score) of the best ``limit`` rows for an OR of the words, best first.

        Each word counts, as each is its own phrase in FTS5's query: "storm storms" scores the
        term "storm" twice there, and so here. ``allowed`` (a mask over rows) filters the
        result only: as in FTS5, idf and the average length count every row.
        """
        if self.live == 0 or limit <= 0:
            return []
        avgdl = self.live_length / self.live
        scores = np.zeros(len(self.rowids), np.float64)
        hit = np.zeros(len(self.rowids), bool)
        for docs, tfs in postings.values():
            if not docs.size:
                continue
            idf = math.log((self.live - docs.size + 0.5) / (docs.size + 0.5))
            idf = max(idf, IDF_FLOOR)
            norm = K1 * (1 - B + B * self.lengths[docs] / avgdl)
            # In float64 and in the order FTS5 computes: float32 arithmetic left scores 1e-7 apart from FTS5's,
            # so an answer given before the index was built differed from the same answer after.
            tf = tfs.astype(np.float64)
            scores[docs] += idf * ((tf * (K1 + 1)) / (tf + norm))  # grouped as in fts5_aux.c
            hit[docs] = True
        if allowed is not None:
            hit &= allowed
        found = np.flatnonzero(hit)
        if len(found) > limit:
            found = found[np.argpartition(-scores[found], limit - 1)[:limit]]
        # Best first; equal scores by rowid, so a tie always comes out the same way (FTS5's varies).
        found = found[np.lexsort((self.rowids[found], -scores[found]))]
        return [(int(self.rowids[d]), float(scores[d])) for d in found]

    def _live_docs(self, term: int) -> tuple[np.ndarray, np.ndarray]:
        parts = [self.base.of_term(term), self.recent.of_term(term)]
        docs = np.concatenate([p[0] for p in parts])
        tfs = np.concatenate([p[1] for p in parts])
        if self.dead:
            keep = self.alive[docs]
            docs, tfs = docs[keep], tfs[keep]
        return docs, tfs


def _ordinals(dates: Sequence[str | None]) -> np.ndarray:
    """ISO dates as day ordinals (``_NO_DATE`` for none), each distinct date parsed once."""
    known: dict[str | None, int] = {None: _NO_DATE}
    for d in dates:
        if d not in known:
            known[d] = dt.date.fromisoformat(d).toordinal() if d else _NO_DATE
    return np.fromiter((known[d] for d in dates), np.int32, len(dates))
