"""Server mode: each replica's catalogue is a cache of the server's article records, refreshed before reads.

In server mode each process keeps its own SQLite catalogue (with the full-text index) but
the Chroma server is the source of truth. Before a read, at most once per ``interval``
seconds, the cache asks the server which records changed since its last look (a query on
the records' ``changed`` stamp, so its cost follows the number of changes, not of articles)
and copies new versions in and drops deleted ones. A full comparison of every id and hash
runs on the first read and every ``FULL_SYNC_SECONDS``, which also repairs anything a
clock difference between machines made the incremental query miss.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence

from vectorstore.records import ArticleRecords, Header, Record
from vectorstore.rows import ArticleRows, StoredVersion

FULL_SYNC_SECONDS = 60.0
# Incremental queries look this far before the last one started: writes in flight then, and
# writers whose clocks run a little behind ours, are still caught.
_OVERLAP_SECONDS = 30.0


class ReplicaCache:
    """Keeps one replica's catalogue rows in step with the server's article records."""

    def __init__(self, rows: ArticleRows, records: ArticleRecords, interval: float = 1.0) -> None:
        self.rows = rows
        self.records = records
        self.interval = interval
        self._sync_lock = threading.Lock()
        # Monotonic seconds: when the cache was last known fresh, and last fully compared.
        self._checked_at: float | None = None
        self._full_at: float | None = None
        # Wall-clock seconds, comparable with the writers' ``changed`` stamps: records changed
        # at or after this (less the overlap) may be new to us.
        self._cursor = 0.0

    def refresh(self, full: bool = False) -> None:
        """Pull what changed on the server, unless that was done less than ``interval`` ago."""
        if not full and self._fresh():
            return
        with self._sync_lock:
            if not full and self._fresh():
                return  # another thread synced while this one waited
            started, wall = time.monotonic(), time.time()
            due = self._full_at is None or started - self._full_at >= FULL_SYNC_SECONDS
            if full or due:
                self._apply(self.records.headers(), complete=True)
                self._full_at = started
            else:
                self._apply(self.records.headers(self._cursor - _OVERLAP_SECONDS), complete=False)
            self._cursor = wall
            self._checked_at = started

    def _fresh(self) -> bool:
        return self._checked_at is not None and time.monotonic() - self._checked_at < self.interval

    def _apply(self, headers: Sequence[Header], complete: bool) -> None:
        local = self.rows.hashes()
        live = {h.id: h.content_hash for h in headers if not h.deleted}
        stale = [i for i, digest in live.items() if local.get(i) != digest]
        gone = [h.id for h in headers if h.deleted and h.id in local]
        if complete:
            gone = [i for i in local if i not in live]
        if stale:
            found = self.records.get(stale)
            self.rows.put_versions([_version(found[i]) for i in stale if i in found])
        if gone:
            self.rows.drop(gone)


def _version(record: Record) -> StoredVersion:
    return (record.article, record.chunks, record.content_hash, record.added_at, record.updated_at)
