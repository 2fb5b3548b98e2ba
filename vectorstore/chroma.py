"""One Chroma client (embedded files or a server) with timeouts, and its errors named for users.

Chroma's HTTP client waits forever by default, so a server that accepts connections but
stops answering would hang a chat turn; here every request has a deadline, and any failure
to reach the server becomes ``StoreUnavailableError`` (retried on the next call, so the
assistant recovers by itself once the server is back).

Reads are retried a few times on Chroma's ``InternalError``: a filtered query that runs while
another thread or replica deletes vectors can fail with "Error finding id" (the metadata filter
saw an id the vector index no longer has); a repeat succeeds (docs/scaling.md has the measurement).

Embedded Chroma is shared by every process that opens the data folder (a running server, `rag
ingest` in another terminal, a script): writes take turns through ``vectorstore.writer_lock``,
and a client that missed another process's write is opened again before it reads or writes.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar, cast
from urllib.parse import urlparse

from rag.errors import StoreError, StoreUnavailableError
from vectorstore.files import keep_private, private_file
from vectorstore.writer_lock import WriterLock

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

T = TypeVar("T")
# Establishing a TCP connection on a healthy network takes milliseconds; waiting longer only
# delays the "unavailable" message.
_CONNECT_TIMEOUT = 3.0
# Seconds to wait before each repeat of a read that hit a transient internal error.
_READ_RETRY_DELAYS = (0.02, 0.08, 0.3)
# A client that missed other processes' writes is reopened at most this often for searches (each
# reopen loads the whole vector index); a read that fails meanwhile reopens it at once.
FOLLOW_SECONDS = 1.0
_log = logging.getLogger(__name__)


class ChromaConnection:
    """Opens the client lazily, hands out collections, and maps failures onto ``StoreError``s.

    Safe to share between threads: the client and each collection are opened once, under a
    lock, while the Chroma operations themselves run concurrently and unlocked.
    """

    def __init__(self, path: Path | None = None, url: str = "", timeout: float = 10.0) -> None:
        self.path = path
        self.url = url
        self.timeout = timeout
        self._client: ClientAPI | None = None
        self._collections: dict[str, Collection] = {}
        # Guards opening and closing. Threads that queued behind an attempt to open that failed
        # raise its error rather than each waiting out the timeout in turn (a frozen server).
        self._lock = threading.Lock()
        self._failures = 0
        self._last_failure: BaseException | None = None
        # Embedded folders: the lock writers share, and its write count when our client last caught up
        # (-1: not opened under the lock yet). ``_generation`` counts reopens, for reads racing one.
        self.writers = (
            WriterLock(path.with_name(path.name + ".lock")) if path is not None and not url else None
        )
        self._seen = -1
        self._followed_at = 0.0
        self._generation = 0

    def call(self, name: str, space: str, action: Callable[[Collection], T]) -> T:
        """Run ``action``, a write, on collection ``name`` (created with ``space`` distance when missing)."""
        if self.writers is None or self.path is None:
            return self._run(name, space, action, reading=False)
        with self.writers.held():
            try:
                return self._run(name, space, action, reading=False)
            finally:
                keep_private(self.path)

    def read(self, name: str, space: str, action: Callable[[Collection], T]) -> T:
        """Like ``call`` for an action that only reads, so may run again after a transient error."""
        return self._run(name, space, action, reading=True)

    def _start_write(self, name: str, space: str) -> None:
        """Catch up before writing (the caller holds the writers' lock), and count the write."""
        assert self.writers is not None
        if self.writers.count() != self._seen:
            self._reopen(name, space)
        # Counted before writing: a reader whose query fails meanwhile waits for us, then reopens.
        self._seen = self.writers.add_write()

    def _follow(self, name: str, space: str, now: bool) -> None:
        """Reopen a client that missed other processes' writes.

        At most once a second, and not while another process writes (searches go on with what they
        have), unless ``now``: after a failed read, or before the first.
        """
        assert self.writers is not None
        if self.writers.count() == self._seen:
            return
        now = now or self._seen < 0
        if not now and time.monotonic() - self._followed_at < FOLLOW_SECONDS:
            return
        with self.writers.held(wait=now) as holding:
            if holding and self.writers.count() != self._seen:
                self._reopen(name, space)

    def _reopen(self, name: str, space: str) -> None:
        """A fresh embedded client that has replayed every write so far; the caller holds the writers' lock.

        Opening replays the writes this process missed into its copy of the vector index, which can
        also save that index to disk: hence under the lock, and at once rather than at the first search.
        """
        assert self.writers is not None
        count = self.writers.count()
        with self._lock:
            self._release_client()
            collection = self._open_collection(name, space)
        collection.get(limit=1, include=["embeddings"])  # loads the index (and replays) now
        self._seen, self._followed_at = count, time.monotonic()

    def _run(self, name: str, space: str, action: Callable[[Collection], T], reading: bool) -> T:
        attempt = 0
        while True:
            collection = None
            generation = self._generation
            try:
                if self.writers is not None and reading:
                    # After a failure at once: another process's write may explain it.
                    self._follow(name, space, now=attempt > 0)
                elif self.writers is not None:
                    self._start_write(name, space)
                collection = self._collection(name, space)
                return action(collection)
            except StoreError:
                raise
            except Exception as exc:  # Chroma raises many unrelated types; name them for the user.
                reopened = self._generation != generation  # another thread replaced the client under us
                if reading and attempt < len(_READ_RETRY_DELAYS) and (is_transient(exc) or reopened):
                    _log.info("Chroma read failed (%s); trying again", exc)
                    time.sleep(_READ_RETRY_DELAYS[attempt])
                    attempt += 1
                    continue
                if collection is not None and self._collections.get(name) is collection:
                    # Reopened next time (a thread may have done so already).
                    self._collections.pop(name, None)
                if self.url and is_unreachable(exc):
                    raise StoreUnavailableError(
                        f"The article store (Chroma server at {self.url}) is unavailable ({_reason(exc)}). "
                        "Nothing is lost: retry in a moment; the assistant reconnects by itself."
                    ) from exc
                raise StoreError(f"Chroma operation failed: {exc}") from exc

    def close(self) -> None:
        """Release the client (for embedded Chroma, its files, once a write in progress ends); the next call opens it again."""
        if self.writers is None:
            with self._lock:
                self._release_client()
            return
        with self.writers.held(), self._lock:  # the lock file stays open: other threads may be counting
            self._release_client()

    def _release_client(self) -> None:
        """Close the client; the caller holds ``self._lock``. Reads still running on it finish first."""
        client, self._client = self._client, None
        self._collections.clear()
        self._seen, self._generation = -1, self._generation + 1
        close = getattr(client, "close", None)  # Chroma's Client has it; its ClientAPI type does not say so
        if close is not None:
            close()

    def _collection(self, name: str, space: str) -> Collection:
        collection = self._collections.get(name)
        if collection is not None:
            return collection
        failures = self._failures
        with self._lock:
            collection = self._collections.get(name)
            if collection is not None:
                return collection
            if self._failures != failures and self._last_failure is not None:
                raise self._last_failure  # failed while this thread waited for the lock
            return self._open_collection(name, space)

    def _open_collection(self, name: str, space: str) -> Collection:
        """Get or create collection ``name``, opening the client if needed; the caller holds ``self._lock``."""
        try:
            collection = self._get_client().get_or_create_collection(
                name,
                configuration=cast(Any, {"hnsw": {"space": space, "ef_construction": 200, "ef_search": 200}}),
                embedding_function=None,
            )
        except Exception as exc:
            self._failures += 1
            self._last_failure = exc
            raise
        self._collections[name] = collection
        return collection

    def _get_client(self) -> ClientAPI:
        """The client, opened on first use; the caller holds ``self._lock``."""
        if self._client is None:
            import chromadb
            from chromadb.config import Settings as ChromaSettings

            chroma_settings = ChromaSettings(anonymized_telemetry=False, allow_reset=False)
            if self.url:
                self._check_answers()
                parsed = urlparse(self.url)
                client = chromadb.HttpClient(
                    host=parsed.hostname or "localhost",
                    port=parsed.port or (443 if parsed.scheme == "https" else 8000),
                    ssl=parsed.scheme == "https",
                    settings=chroma_settings,
                )
                _set_timeout(client, self.timeout)
                self._client = client
            else:
                assert self.path is not None
                private_file(self.path / "chroma.sqlite3")  # Chroma would create it readable by all
                self._client = chromadb.PersistentClient(path=str(self.path), settings=chroma_settings)
        return self._client

    def _check_answers(self) -> None:
        """Fail fast on a silent server: the client's constructor talks to it without any timeout."""
        import httpx

        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, _CONNECT_TIMEOUT))
        httpx.get(self.url.rstrip("/") + "/api/v2/heartbeat", timeout=timeout).raise_for_status()


# Chroma keeps one client state per embedded folder and process, so we keep one connection per
# folder: reopening it then reopens it for every store of the process on that folder.
_FOLDERS: dict[Path, ChromaConnection] = {}
_FOLDERS_LOCK = threading.Lock()


def folder_connection(path: Path) -> ChromaConnection:
    """This process's connection to the embedded Chroma folder ``path``."""
    key = path.resolve()
    with _FOLDERS_LOCK:
        if key not in _FOLDERS:
            _FOLDERS[key] = ChromaConnection(path)
        return _FOLDERS[key]


def is_unreachable(exc: BaseException) -> bool:
    """True when ``exc`` means the server could not be reached or did not answer in time."""
    import httpx

    if isinstance(exc, (httpx.TransportError, ConnectionError, TimeoutError)):
        return True
    if isinstance(exc, httpx.HTTPStatusError):  # a proxy in front of a stopped server
        return exc.response.status_code in (502, 503, 504)
    text = f"{type(exc).__name__} {exc}".lower()
    return any(word in text for word in ("could not connect", "unavailable", "timeout", "timed out"))


def is_transient(exc: BaseException) -> bool:
    """True for Chroma's internal errors, which a read that races a delete can raise once."""
    from chromadb.errors import InternalError

    return isinstance(exc, InternalError)


def _reason(exc: BaseException) -> str:
    import httpx

    if isinstance(exc, httpx.TimeoutException):
        return "no answer in time"
    if isinstance(exc, httpx.ConnectError):
        return "connection refused"
    return str(exc) or type(exc).__name__


def _set_timeout(client: Any, seconds: float) -> None:
    """Give the HTTP client's session a deadline (Chroma 1.x creates it with ``timeout=None``)."""
    import httpx

    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.timeout = httpx.Timeout(seconds, connect=min(seconds, _CONNECT_TIMEOUT))
