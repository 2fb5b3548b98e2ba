"""One writer at a time on an embedded Chroma folder, across processes, and a count of their writes.

Embedded Chroma keeps each collection's vector index in the memory of every process that opened
it. A process never sees vectors another one wrote until it opens the folder again, and two
processes that both write corrupt it (measured, docs/reliability.md). So every write holds an
exclusive ``flock`` on ``<folder>.lock`` and first counts itself in that file; a process whose
Chroma client was opened before the count moved opens it again, under the same lock, before it
reads (so it sees the new vectors) or writes (so it never writes over them).
"""

from __future__ import annotations

import fcntl
import os
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from rag.errors import StoreError
from vectorstore.files import private_dir

# Seconds a process waits for another one's write before giving up with a clear error: far longer
# than a batch of writes takes, so only a stuck process makes anyone wait that long.
WAIT_SECONDS = 120.0


class WriterLock:
    """The lock file of one Chroma folder: an exclusive lock, and the number of writes made under it."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._thread = threading.RLock()  # flock is per process: threads take turns here first
        self._fd: int | None = None
        self._depth = 0  # held() calls of the holding thread: the file stays locked until the outermost ends

    def count(self) -> int:
        """Writes made so far by any process (read without the lock: a torn read only costs a reopen)."""
        raw = os.pread(self._file(), 32, 0).strip()
        return int(raw) if raw.isdigit() else 0

    @contextmanager
    def held(self, wait: bool = True) -> Iterator[bool]:
        """Hold the lock: no other process or thread writes or reopens meanwhile (nested calls are free).

        Yields True while holding it; with ``wait=False`` it yields False at once when another holds it.
        Waiting gives up after ``WAIT_SECONDS`` with a ``StoreError`` that says why.
        """
        if not (self._thread.acquire(timeout=WAIT_SECONDS) if wait else self._thread.acquire(blocking=False)):
            if wait:
                raise self._busy()
            yield False
            return
        try:
            fd = self._file()
            if self._depth == 0 and not self._lock(fd, wait):
                yield False
                return
            self._depth += 1
            try:
                yield True
            finally:
                self._depth -= 1
                if self._depth == 0:
                    fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            self._thread.release()

    def _lock(self, fd: int, wait: bool) -> bool:
        deadline = time.monotonic() + WAIT_SECONDS
        delay = 0.001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return True
            except BlockingIOError:
                if not wait:
                    return False
                if time.monotonic() > deadline:
                    raise self._busy() from None
                time.sleep(delay)
                delay = min(2 * delay, 0.02)

    def _busy(self) -> StoreError:
        return StoreError(
            f"The data folder {self.path.parent} is busy: another process has been writing it for over "
            f"{WAIT_SECONDS:.0f} s. Try again once that ingest has finished."
        )

    def add_write(self) -> int:
        """Count one more write (the caller holds the lock); returns the new count."""
        count = self.count() + 1
        os.pwrite(self._file(), str(count).ljust(20).encode(), 0)
        return count

    def close(self) -> None:
        """Close the lock file (reopened on next use)."""
        with self._thread:
            if self._fd is not None:
                os.close(self._fd)
                self._fd = None

    def _file(self) -> int:
        fd = self._fd
        if fd is None:
            with self._thread:
                if self._fd is None:
                    try:
                        private_dir(self.path.parent)
                        self._fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o600)
                    except OSError as exc:
                        raise StoreError(f"Cannot open the store's lock file {self.path}: {exc}") from exc
                fd = self._fd
        return fd
