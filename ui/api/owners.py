"""Who owns a saved conversation: a hash of the API key that made it ("" when the server has no keys).

The HTTP API knows the key of every request. The chat UI signs in with a user name and a key as the
password but later only sees the user name, so each name is tied to the key it first signed in
with (until the server restarts, when every session signs in again): another key cannot take it.
"""

from __future__ import annotations

import hashlib
import threading


def key_owner(key: str) -> str:
    """The owner id of ``key``: a hash, so neither the store nor its backups hold the key."""
    return hashlib.sha256(key.encode()).hexdigest()[:32] if key else ""


class LoginOwners:
    """The owner id of each user name signed in to the chat UI."""

    def __init__(self) -> None:
        self._owners: dict[str, str] = {}
        self._lock = threading.Lock()

    def bind(self, username: str, key: str) -> bool:
        """Tie ``username`` to ``key``; False when another key holds it already."""
        with self._lock:
            return self._owners.setdefault(username, key_owner(key)) == key_owner(key)

    def owner(self, username: str | None) -> str:
        """The owner id of a signed-in user name ("" without sign-in, as without keys)."""
        with self._lock:
            return self._owners.get(username or "", "")
