"""The write journal: chunk ids whose vectors may sit in Chroma without a chunk row.

A writer journals ids before upserting their vectors and forgets them once their rows
commit; a replaced or deleted version's ids stay journalled until their vectors are gone.
Each entry is tagged with the writing process, so when that process dies part-way the next
writer (``ArticleStore.clean_up_after_crashes``) deletes what it left behind.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import Iterable, Sequence

from vectorstore.catalog import CatalogFile


class WriteJournal:
    """The ``pending_vectors`` table of one catalogue."""

    def __init__(self, catalog: CatalogFile) -> None:
        self.catalog = catalog

    def expect(self, chunk_ids: Sequence[str]) -> None:
        """Journal chunk ids whose vectors are about to be written before their rows commit."""
        with self.catalog.transaction() as conn:
            record(conn, chunk_ids)

    def settle(self, chunk_ids: Sequence[str]) -> None:
        """Forget journalled chunk ids once their vectors are gone (or their rows are visible)."""
        with self.catalog.transaction() as conn:
            forget(conn, chunk_ids)

    def pending(self) -> tuple[set[str], set[str]]:
        """Journalled chunk ids without a row: those of live writers, and those of dead ones."""
        rows = self.catalog.query(
            "SELECT chunk_id, owner FROM pending_vectors WHERE chunk_id NOT IN (SELECT id FROM chunks)"
        )
        live = {owner for owner in {r[1] for r in rows} if _alive(owner)}
        return {r[0] for r in rows if r[1] in live}, {r[0] for r in rows if r[1] not in live}


def record(conn: sqlite3.Connection, chunk_ids: Iterable[str]) -> None:
    """Journal ids as this process's, inside the caller's transaction."""
    conn.executemany(
        "INSERT OR REPLACE INTO pending_vectors VALUES (?, ?)", [(i, os.getpid()) for i in chunk_ids]
    )


def forget(conn: sqlite3.Connection, chunk_ids: Iterable[str]) -> None:
    """Drop ids from the journal, inside the caller's transaction."""
    conn.executemany("DELETE FROM pending_vectors WHERE chunk_id = ?", [(i,) for i in chunk_ids])


def _alive(pid: int) -> bool:
    """Whether a process with this id exists; a reused id errs on the safe side (kept pending)."""
    if pid == os.getpid():
        return True
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
