"""Saved conversations and answer feedback, in one SQLite file in the data folder.

Every row carries an ``owner`` (an opaque string the shell derives from the API key, "" without
keys), and every read and write names it: a conversation is invisible to other owners, as if
it did not exist. Answers are stored whole (text, citations with their offsets, passages), so a
reopened conversation shows the same clickable citations. Feedback keeps its own copy of the
question, settings, answer and cited passages: it outlives the conversation it came from, as
material for tuning the answerer (``rag feedback export``).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import os
import sqlite3
import threading
import uuid
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from rag.errors import InputError, NotFoundError, StoreError
from rag.types import Answer, Citation, Conversation, DateWindow, Exchange, Feedback, Passage

FILE_NAME = "conversations.sqlite3"
TITLE_CHARS = 80
_SCHEMA = """
CREATE TABLE IF NOT EXISTS conversations (
    id TEXT PRIMARY KEY,
    owner TEXT NOT NULL,
    title TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_by_owner ON conversations(owner, updated_at);
CREATE TABLE IF NOT EXISTS exchanges (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    conversation_id TEXT NOT NULL REFERENCES conversations(id) ON DELETE CASCADE,
    question TEXT NOT NULL,
    answer TEXT NOT NULL,
    settings TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS exchanges_by_conversation ON exchanges(conversation_id, id);
CREATE TABLE IF NOT EXISTS feedback (
    exchange_id INTEGER PRIMARY KEY,
    owner TEXT NOT NULL,
    rating INTEGER NOT NULL,
    note TEXT NOT NULL,
    record TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
"""
# A conversation's row with its number of exchanges, as ``_conversation`` reads it.
_CONVERSATIONS = (
    "SELECT c.id, c.title, c.created_at, c.updated_at, "
    "(SELECT count(*) FROM exchanges e WHERE e.conversation_id = c.id) FROM conversations c"
)


class ConversationStore:
    """Conversations and feedback of every owner; one connection, shared by threads under a lock."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._conn: sqlite3.Connection | None = None

    def create(self, owner: str, title: str) -> Conversation:
        """A new, empty conversation named ``title`` (shortened to one line)."""
        now = _now()
        conversation = Conversation(uuid.uuid4().hex, clean_title(title), now, now)
        with self._write() as db:
            db.execute(
                "INSERT INTO conversations (id, owner, title, created_at, updated_at) VALUES (?, ?, ?, ?, ?)",
                (conversation.id, owner, conversation.title, _iso(now), _iso(now)),
            )
        return conversation

    def recent(self, owner: str) -> list[Conversation]:
        """The owner's conversations, the most recently used first (without their exchanges)."""
        rows = self._read(
            f"{_CONVERSATIONS} WHERE c.owner = ? ORDER BY c.updated_at DESC, c.rowid DESC", (owner,)
        )
        return [_conversation(row) for row in rows]

    def get(self, owner: str, conversation_id: str) -> Conversation:
        """One conversation with its exchanges, oldest first."""
        head = self._head(owner, conversation_id)
        rows = self._read(
            "SELECT e.id, e.question, e.answer, e.settings, e.created_at, f.rating, f.note FROM exchanges e "
            "LEFT JOIN feedback f ON f.exchange_id = e.id WHERE e.conversation_id = ? ORDER BY e.id",
            (conversation_id,),
        )
        exchanges = tuple(_exchange(row) for row in rows)
        return dataclasses.replace(head, exchanges=exchanges, size=len(exchanges))

    def append(
        self, owner: str, conversation_id: str, question: str, answer: Answer, settings: Mapping[str, object]
    ) -> Exchange:
        """Add a question and its answer to the conversation, which becomes the most recent."""
        self._head(owner, conversation_id)
        now = _now()
        with self._write() as db:
            cursor = db.execute(
                "INSERT INTO exchanges (conversation_id, question, answer, settings, created_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (conversation_id, question, _dump(answer), _dump(dict(settings)), _iso(now)),
            )
            db.execute("UPDATE conversations SET updated_at = ? WHERE id = ?", (_iso(now), conversation_id))
        return Exchange(int(cursor.lastrowid or 0), question, answer, dict(settings), now)

    def rename(self, owner: str, conversation_id: str, title: str) -> Conversation:
        """Give the conversation a new title (its place in the list does not change)."""
        self._head(owner, conversation_id)
        with self._write() as db:
            db.execute(
                "UPDATE conversations SET title = ? WHERE id = ?", (clean_title(title), conversation_id)
            )
        return self._head(owner, conversation_id)

    def delete(self, owner: str, conversation_id: str) -> None:
        """Remove the conversation and its exchanges (feedback given on them is kept)."""
        self._head(owner, conversation_id)
        with self._write() as db:
            db.execute("DELETE FROM exchanges WHERE conversation_id = ?", (conversation_id,))
            db.execute("DELETE FROM conversations WHERE id = ?", (conversation_id,))

    def rate(
        self, owner: str, exchange_id: int, rating: int, note: str = "", conversation_id: str | None = None
    ) -> Feedback:
        """Record (or change) the owner's verdict on one answer, with a copy of what was judged.

        With ``conversation_id``, the answer must belong to that conversation.
        """
        if rating not in (1, -1):
            raise InputError("Feedback is a rating of 1 (good answer) or -1 (bad answer).")
        exchange, found_in = self._exchange(owner, exchange_id)
        if conversation_id is not None and found_in != conversation_id:
            raise NotFoundError(f"No answer with id {exchange_id} in conversation {conversation_id!r}.")
        record = _dump(feedback_record(exchange, found_in))
        now = _iso(_now())
        with self._write() as db:
            db.execute(
                "INSERT INTO feedback (exchange_id, owner, rating, note, record, created_at, updated_at) "
                "VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT (exchange_id) DO UPDATE SET "
                "rating = excluded.rating, note = excluded.note, updated_at = excluded.updated_at",
                (exchange_id, owner, rating, note.strip(), record, now, now),
            )
        return Feedback(rating, note.strip())

    def feedback(self) -> Iterator[dict[str, Any]]:
        """Every feedback record of every owner, oldest first: what `rag feedback export` writes."""
        rows = self._read(
            "SELECT exchange_id, owner, rating, note, record, created_at, updated_at FROM feedback "
            "ORDER BY created_at, exchange_id",
            (),
        )
        for exchange_id, owner, rating, note, record, created_at, updated_at in rows:
            yield {
                "exchange_id": exchange_id, "owner": owner, "rating": rating, "note": note,
                "created_at": created_at, "updated_at": updated_at, **_linked(json.loads(record)),
            }  # fmt: skip

    def close(self) -> None:
        """Close the database file (it reopens on next use)."""
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def _head(self, owner: str, conversation_id: str) -> Conversation:
        rows = self._read(f"{_CONVERSATIONS} WHERE c.id = ? AND c.owner = ?", (conversation_id, owner))
        if not rows:
            raise NotFoundError(
                f"No conversation with id {conversation_id!r}: it was deleted, or belongs to someone else."
            )
        return _conversation(rows[0])

    def _exchange(self, owner: str, exchange_id: int) -> tuple[Exchange, str]:
        rows = self._read(
            "SELECT e.id, e.question, e.answer, e.settings, e.created_at, NULL, NULL, c.id FROM exchanges e "
            "JOIN conversations c ON c.id = e.conversation_id WHERE e.id = ? AND c.owner = ?",
            (exchange_id, owner),
        )
        if not rows:
            raise NotFoundError(f"No answer with id {exchange_id} in your conversations.")
        return _exchange(rows[0][:7]), str(rows[0][7])

    def _read(self, sql: str, args: tuple[object, ...]) -> list[tuple[Any, ...]]:
        with self._lock, _failures():
            return self._db().execute(sql, args).fetchall()

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        with self._lock, _failures():
            db = self._db()
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def _db(self) -> sqlite3.Connection:
        if self._conn is None:
            self._conn = _open(self.path)
        return self._conn


@contextmanager
def _failures() -> Iterator[None]:
    """SQLite failures (disk full, unreadable file) as the library's StoreError, with what to check."""
    try:
        yield
    except (sqlite3.Error, OSError) as error:
        raise StoreError(
            f"The conversation store failed ({error}): check the data folder's disk and permissions."
        ) from error


def clean_title(title: str) -> str:
    """A title on one line, at most ``TITLE_CHARS`` characters; InputError when nothing is left."""
    text = " ".join(title.split())
    if not text:
        raise InputError("A conversation title cannot be empty.")
    return text if len(text) <= TITLE_CHARS else text[: TITLE_CHARS - 1].rstrip() + "…"


def feedback_record(exchange: Exchange, conversation_id: str) -> dict[str, Any]:
    """What a feedback row keeps of the answer it judges: question, settings, answer and cited passages."""
    answer = exchange.answer
    return {
        "conversation_id": conversation_id,
        "question": exchange.question,
        "settings": dict(exchange.settings),
        "answer": answer.text,
        "abstained": answer.abstained,
        "citations": [_plain(c) for c in answer.citations],
        "passages": [_plain(p) for p in answer.passages],
    }


def answer_to_json(answer: Answer) -> dict[str, Any]:
    """An Answer as plain JSON values (dates as ISO strings)."""
    return dict(_plain(answer))


def answer_from_json(data: Mapping[str, Any]) -> Answer:
    """The Answer ``answer_to_json`` wrote; fields this version does not know are ignored."""
    known = _known(Answer, data)
    known["citations"] = tuple(_rebuild(Citation, c) for c in data.get("citations", ()))
    known["passages"] = tuple(_rebuild(Passage, p) for p in data.get("passages", ()))
    known["notes"] = tuple(data.get("notes", ()))
    window = data.get("date_window")
    known["date_window"] = _window(window) if isinstance(window, Mapping) else None
    return Answer(**known)


def _window(data: Mapping[str, Any]) -> DateWindow:
    known = _known(DateWindow, data)
    for name in ("as_of", "start", "end"):
        known[name] = dt.date.fromisoformat(str(known[name])) if known.get(name) else None
    return DateWindow(**known)


def _linked(record: dict[str, Any]) -> dict[str, Any]:
    """A feedback record with null for a missing link: records saved before links were None said ""."""
    for source in [*record.get("citations", ()), *record.get("passages", ())]:
        source["url"] = source.get("url") or None
    return record


def _rebuild(kind: type[Any], data: Mapping[str, Any]) -> Any:
    known = _known(kind, data)
    known["url"] = known.get("url") or None  # answers saved before links were None said ""
    if known.get("published"):
        known["published"] = dt.date.fromisoformat(str(known["published"]))
    return kind(**known)


def _known(kind: type[Any], data: Mapping[str, Any]) -> dict[str, Any]:
    names = {f.name for f in dataclasses.fields(kind)}
    return {k: v for k, v in data.items() if k in names}


def _plain(value: Any) -> Any:
    return json.loads(json.dumps(dataclasses.asdict(value), default=_iso_value))


def _iso_value(value: object) -> str:
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    raise TypeError(f"cannot store {type(value).__name__}")


def _dump(value: object) -> str:
    data = answer_to_json(value) if isinstance(value, Answer) else value
    return json.dumps(data, ensure_ascii=False, default=_iso_value)


def _conversation(row: tuple[Any, ...]) -> Conversation:
    id_, title, created_at, updated_at, size = row
    return Conversation(str(id_), str(title), _time(created_at), _time(updated_at), size=int(size))


def _exchange(row: tuple[Any, ...]) -> Exchange:
    id_, question, answer, settings, created_at, rating, note = row
    feedback = Feedback(int(rating), str(note or "")) if rating is not None else None
    return Exchange(
        int(id_), str(question), answer_from_json(json.loads(answer)), json.loads(settings), _time(created_at),
        feedback,
    )  # fmt: skip


def _open(path: Path) -> sqlite3.Connection:
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    # Conversations are private: the file is readable by its owner only, from the first byte.
    os.close(os.open(path, os.O_CREAT | os.O_RDWR, 0o600))
    conn = sqlite3.connect(path, timeout=30, check_same_thread=False, isolation_level=None)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=NORMAL")  # in WAL mode: no fsync per answer saved, still consistent
    conn.execute("PRAGMA foreign_keys=ON")
    conn.executescript(_SCHEMA)
    return conn


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _iso(moment: dt.datetime) -> str:
    return moment.isoformat(timespec="microseconds")


def _time(text: object) -> dt.datetime:
    return dt.datetime.fromisoformat(str(text))
