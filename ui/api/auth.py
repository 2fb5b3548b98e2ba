"""API keys: a bearer token for the HTTP API, the same keys as passwords for the chat UI."""

from __future__ import annotations

import hmac
from collections.abc import Awaitable, Callable
from typing import Annotated

from fastapi import Depends
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from starlette.exceptions import HTTPException

from rag.settings import Settings

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


def ui_login(settings: Settings) -> Callable[[str, str], bool] | None:
    """Gradio's login check: any user name, and an API key as the password; None without keys."""
    keys = key_values(settings)
    if not keys:
        return None
    return lambda _username, password: is_valid_key(password, keys)
