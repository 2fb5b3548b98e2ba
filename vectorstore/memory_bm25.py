"""BM25 over the catalogue's chunks, held in memory and kept in step through a change log.

FTS5 ranks well but slowly: ``bm25()`` looks up each matching row's length in a B-tree, so
its cost grows with the rows a question's words match; here the same ranking runs on NumPy
arrays (``vectorstore.postings``; docs/benchmarks-scale.md has both speeds).

The arrays are built from the FTS5 table's own text in a background thread; until they are
ready (or for a question word FTS5 would read as a phrase) ``vectorstore.fulltext`` asks FTS5
as before. Filters by article and date are masks over the rows, applied after scoring, as
FTS5's SQL does. Every insert and delete of a chunk row appends to ``chunk_changes`` (SQLite
triggers), so each search first applies what any process changed since (one indexed read,
usually empty) and never ranks a chunk that is gone or misses one just stored.
"""

from __future__ import annotations

import contextlib
import ctypes
import gc
import logging
import threading
import time
from collections.abc import Callable, Iterator, Mapping, Sequence

from rag.types import SearchFilter
from vectorstore.postings import Row, State, Terms

# Seconds before a failed build is tried again.
RETRY_SECONDS = 60.0

_log = logging.getLogger(__name__)


# A change as the log holds it: (seq, chunk rowid, 1 when added, 0 when removed, or REBUILD).
Change = tuple[int, int, int]
# Logged when the full-text rows were rewritten without their chunk rows changing (rag doctor).
REBUILD = 2


class Source:
    """What the index reads from the catalogue (``vectorstore.fulltext.FullTextIndex`` provides it)."""

    def __init__(
        self,
        snapshot: Callable[[], tuple[int, Iterator[Sequence[Row]]]],
        changes: Callable[[int], tuple[int, list[Change]]],
        rows: Callable[[Sequence[int]], list[Row]],
    ) -> None:
        self.snapshot = snapshot  # the last change's seq, and every row in batches
        self.changes = changes  # (the last seq logged, the changes logged after a seq)
        self.rows = rows  # these rowids' rows (those still stored)


class MemoryBM25:
    """The in-memory index of one catalogue: built once in the background, then kept in step."""

    def __init__(self, source: Source, tokenize: str) -> None:
        self.source = source
        self.tokenize = tokenize
        self._state: State | None = None
        self._lock = threading.Lock()
        self._building: threading.Thread | None = None
        self.failed: BaseException | None = None
        self._failed_at: float | None = None

    @property
    def ready(self) -> bool:
        return self._state is not None

    def start(self) -> None:
        """Begin building in a background thread (once; again a minute after a failure)."""
        with self._lock:
            if self._state is not None or (self._building is not None and self._building.is_alive()):
                return
            if self._failed_at is not None and time.monotonic() - self._failed_at < RETRY_SECONDS:
                return  # a broken build is not retried (and logged) on every search
            self._building = threading.Thread(target=self._build, name="bm25-build", daemon=True)
            self._building.start()

    def wait(self, timeout: float | None = None) -> bool:
        """Block until built (for benchmarks and tests); True when ready."""
        thread = self._building
        if thread is not None:
            thread.join(timeout)
        return self.ready

    def search(
        self,
        words: Sequence[str],
        limit: int,
        choose: Callable[[Sequence[str], Mapping[str, int], int], Sequence[str]],
        where: SearchFilter | None = None,
    ) -> list[tuple[int, float]] | None:
        """Top (rowid, score), or None when FTS5 must answer: before the build ends, or for a phrase.

        ``choose`` picks the words worth ranking from the rows holding each and the rows in all.
        """
        if self._state is None:
            self.start()
            return None
        with self._lock:
            state = self._catch_up()
            if state is not None:
                return self._top(state, words, limit, choose, where)
        self.start()  # the log moved past the index: build it again, FTS5 answers meanwhile
        return None

    @staticmethod
    def _top(
        state: State,
        words: Sequence[str],
        limit: int,
        choose: Callable[[Sequence[str], Mapping[str, int], int], Sequence[str]],
        where: SearchFilter | None,
    ) -> list[tuple[int, float]] | None:
        if any(len(state.terms.of(w)) != 1 for w in words):
            return None  # "under_score" is an FTS5 phrase; positions are not kept here
        postings = state.postings(words)
        chosen = choose(words, {w: len(postings[w][0]) for w in words}, state.live)
        allowed = None
        if where is not None and not where.is_empty:
            allowed = state.allowed(where.article_ids, where.published_from, where.published_to, where.as_of)
        return state.top({w: postings[w] for w in chosen}, limit, allowed)

    def _catch_up(self) -> State | None:
        """Apply the logged changes; the caller holds the lock. None when a rebuild is needed."""
        state = self._state
        if state is None:  # another search found the log moved past it
            return None
        high, changes = self.source.changes(state.seq)
        gap = bool(changes) and changes[0][0] != state.seq + 1
        if high < state.seq or gap or any(kind == REBUILD for _, _, kind in changes):
            # The catalogue was replaced, or pruned its log past us: start again.
            _log.info("The full-text index changed wholesale or moved past the in-memory one; rebuilding it")
            self._state = None
            return None
        if changes:
            # Only each row's last change matters: the text read now is its current one.
            last = {rowid: bool(added) for _, rowid, added in changes}
            rows = self.source.rows([r for r, added in last.items() if added])
            found = {row.rowid for row in rows}
            state.remove([r for r in last if r not in found])
            state.add(rows)
            state.seq = changes[-1][0]
        return state

    def _build(self) -> None:
        enabled = gc.isenabled()
        gc.disable()  # millions of short-lived strings: collection cycles would dominate the build
        try:
            seq, batches = self.source.snapshot()
            state = State(seq, Terms(self.tokenize))
            for batch in batches:
                state.add(batch, refresh=False)
            state.compact()
            with self._lock:
                self._state = state
                self.failed = None
            _give_back_memory()
            _log.info("In-memory BM25 index ready: %d chunks, %d terms", state.live, len(state.terms.ids))
        except Exception as exc:  # searches keep using FTS5; the next search tries again
            _log.warning("In-memory BM25 index not built (%s); using SQLite's full-text search", exc)
            self.failed = exc
            self._failed_at = time.monotonic()
        finally:
            if enabled:
                gc.enable()


def _give_back_memory() -> None:
    """Return the build's freed heap to the system (glibc keeps it otherwise)."""
    with contextlib.suppress(OSError, AttributeError):  # not glibc: reused, just not returned
        ctypes.CDLL("libc.so.6").malloc_trim(0)
