"""API keys: a bearer token for the HTTP API, the same keys as passwords for the chat UI."""

from __future__ import annotations

import hmac
import math
import time
from collections import deque
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from rag.settings import Settings
from ui.api.errors import error_response
from ui.api.owners import LoginOwners

_bearer = HTTPBearer(auto_error=False, description="One of the keys in RAG_API_KEYS.")
Credentials = HTTPAuthorizationCredentials | None


def key_values(settings: Settings) -> tuple[str, ...]:
    """The configured keys in clear text (empty entries ignored)."""
    return tuple(v for key in settings.api_keys if (v := key.get_secret_value()))


def is_valid_key(candidate: str, keys: tuple[str, ...]) -> bool:
    """True when ``candidate`` is one of ``keys``, in time that does not depend on where they differ."""
    matched = False
    for key in keys:  # no early exit: every key is compared
        matched |= hmac.compare_digest(candidate.encode(), key.encode())
    return matched


def require_key(settings: Settings) -> Callable[[Credentials], Awaitable[None]]:
    """A route dependency that lets a request through only with a valid bearer key (always, without keys)."""
    keys = key_values(settings)

    async def check(credentials: Annotated[Credentials, Depends(_bearer)]) -> None:
        """401 with a message naming the header to send."""
        if keys and (credentials is None or not is_valid_key(credentials.credentials, keys)):
            raise HTTPException(
                401,
                "Missing or wrong API key: send `Authorization: Bearer <key>` with a key from RAG_API_KEYS.",
                headers={"WWW-Authenticate": "Bearer"},
            )

    return check


def ui_login(settings: Settings, owners: LoginOwners) -> Callable[[str, str], bool] | None:
    """Gradio's login check: a user name, and an API key as the password; None without keys.

    The name is tied to the key (``owners``), so a saved conversation is seen only with its key.
    """
    keys = key_values(settings)
    if not keys:
        return None
    return lambda username, password: is_valid_key(password, keys) and owners.bind(username, password)


LOGIN_PATHS = ("/login", "/login/")
WINDOW_SECONDS = 60.0
# Past this many clients with recent failures the quietest are forgotten, so memory stays bounded.
_MAX_CLIENTS = 10_000


class FailedAuthLimiter:
    """At most ``per_minute`` failed attempts per client in any minute; then it must wait."""

    def __init__(self, per_minute: int, clock: Callable[[], float] = time.monotonic) -> None:
        self.per_minute = per_minute
        self.clock = clock
        self._failures: dict[str, deque[float]] = {}

    def wait_seconds(self, client: str) -> int:
        """Seconds until ``client`` may try again (0: now)."""
        failures = self._recent(client)
        if len(failures) < self.per_minute:
            return 0
        return max(1, math.ceil(failures[0] + WINDOW_SECONDS - self.clock()))

    def failed(self, client: str) -> None:
        """Count one failed attempt of ``client``."""
        if client not in self._failures and len(self._failures) >= _MAX_CLIENTS:
            del self._failures[next(iter(self._failures))]
        self._recent(client).append(self.clock())

    def _recent(self, client: str) -> deque[float]:
        failures = self._failures.setdefault(client, deque())
        while failures and failures[0] <= self.clock() - WINDOW_SECONDS:
            failures.popleft()
        return failures


class AuthThrottleMiddleware:
    """Answers 429 (with Retry-After) to a client that keeps presenting wrong keys or passwords.

    Only requests that carry credentials count and are held back (an API key, a UI login), so a
    blocked client can still load the login page; a 401 to them, or a refused login, is a failure.
    """

    def __init__(self, app: ASGIApp, limiter: FailedAuthLimiter) -> None:
        self.app = app
        self.limiter = limiter

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _presents_credentials(scope):
            await self.app(scope, receive, send)
            return
        client = scope["client"][0] if scope.get("client") else "-"
        wait = self.limiter.wait_seconds(client)
        if wait:
            message = f"Too many failed authentication attempts: retry in {wait} s with a valid key."
            await error_response(429, "too_many_requests", message, {"Retry-After": str(wait)})(
                scope, receive, send
            )
            return
        login = scope["path"] in LOGIN_PATHS

        async def send_counted(message: Message) -> None:
            if message["type"] == "http.response.start":
                status = int(message["status"])
                if status == 401 or (login and status in (400, 403)):
                    self.limiter.failed(client)
            await send(message)

        await self.app(scope, receive, send_counted)


def _presents_credentials(scope: Scope) -> bool:
    if scope["path"] in LOGIN_PATHS and scope["method"] == "POST":
        return True
    return "authorization" in Headers(scope=scope)
