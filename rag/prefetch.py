"""Run an iterator in a background thread, a bounded number of items ahead of its consumer.

Ingest uses it to parse the next files while the current batch is embedded: the model
releases the GIL, so reading and cleaning overlap with it. The queue is bounded, so memory
holds at most ``depth`` items however many files there are, and the consumer always sees
the producer's items, or its exception, in order.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Iterable, Iterator
from types import TracebackType
from typing import Generic, TypeVar

T = TypeVar("T")

# How often a blocked producer checks whether the consumer has gone away.
_POLL_SECONDS = 0.1


class _End:
    """Marks the end of the stream; carries the producer's exception, if it raised one."""

    def __init__(self, error: BaseException | None = None) -> None:
        self.error = error


class Prefetch(Generic[T]):
    """A context manager yielding ``items`` in order, produced by a daemon thread.

    Leaving the ``with`` block early (an exception in the consumer, a ``break``) stops the
    producer at its next item instead of letting it read everything that is left.
    """

    def __init__(self, items: Iterable[T], depth: int = 4) -> None:
        if depth < 1:
            raise ValueError("depth must be at least 1")
        self._items = items
        self._queue: queue.Queue[T | _End] = queue.Queue(maxsize=depth)
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._produce, name="rag-prefetch", daemon=True)

    def __enter__(self) -> Iterator[T]:
        self._thread.start()
        return self._consume()

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self._stop.set()
        self._thread.join()

    def _produce(self) -> None:
        try:
            for item in self._items:
                if not self._put(item):
                    return
        except BaseException as error:  # handed to the consumer, which re-raises it
            self._put(_End(error))
            return
        self._put(_End())

    def _put(self, item: T | _End) -> bool:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=_POLL_SECONDS)
                return True
            except queue.Full:
                continue
        return False

    def _consume(self) -> Iterator[T]:
        while True:
            item = self._queue.get()
            if isinstance(item, _End):
                if item.error is not None:
                    raise item.error
                return
            yield item
