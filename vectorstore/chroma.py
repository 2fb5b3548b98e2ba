"""One Chroma client (embedded files or a server) with timeouts, and its errors named for users.

Chroma's HTTP client waits forever by default, so a server that accepts connections but
stops answering would hang a chat turn; here every request has a deadline, and any failure
to reach the server becomes ``StoreUnavailableError`` (retried on the next call, so the
assistant recovers by itself once the server is back).

Reads are retried a few times on Chroma's ``InternalError``: a filtered query that runs while
another thread or replica deletes vectors can fail with "Error finding id" (the metadata filter
saw an id the vector index no longer has); a repeat succeeds (docs/scaling.md has the measurement).
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

if TYPE_CHECKING:
    from chromadb.api import ClientAPI
    from chromadb.api.models.Collection import Collection

T = TypeVar("T")
# Establishing a TCP connection on a healthy network takes milliseconds; waiting longer only
# delays the "unavailable" message.
_CONNECT_TIMEOUT = 3.0
# Seconds to wait before each repeat of a read that hit a transient internal error.
_READ_RETRY_DELAYS = (0.02, 0.08, 0.3)
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

    def call(self, name: str, space: str, action: Callable[[Collection], T]) -> T:
        """Run ``action`` on collection ``name`` (created with ``space`` distance when missing)."""
        return self._run(name, space, action, retry=False)

    def read(self, name: str, space: str, action: Callable[[Collection], T]) -> T:
        """Like ``call`` for an action that only reads, so may run again after a transient error."""
        return self._run(name, space, action, retry=True)

    def _run(self, name: str, space: str, action: Callable[[Collection], T], retry: bool) -> T:
        attempt = 0
        while True:
            collection = None
            try:
                collection = self._collection(name, space)
                return action(collection)
            except StoreError:
                raise
            except Exception as exc:  # Chroma raises many unrelated types; name them for the user.
                if retry and attempt < len(_READ_RETRY_DELAYS) and is_transient(exc):
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
        """Release the client (for embedded Chroma, its files); the next call opens it again."""
        with self._lock:
            client, self._client = self._client, None
            self._collections.clear()
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
            try:
                collection = self._get_client().get_or_create_collection(
                    name,
                    configuration=cast(
                        Any, {"hnsw": {"space": space, "ef_construction": 200, "ef_search": 200}}
                    ),
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
                self.path.mkdir(parents=True, exist_ok=True)
                self._client = chromadb.PersistentClient(path=str(self.path), settings=chroma_settings)
        return self._client

    def _check_answers(self) -> None:
        """Fail fast on a silent server: the client's constructor talks to it without any timeout."""
        import httpx

        timeout = httpx.Timeout(self.timeout, connect=min(self.timeout, _CONNECT_TIMEOUT))
        httpx.get(self.url.rstrip("/") + "/api/v2/heartbeat", timeout=timeout).raise_for_status()


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
