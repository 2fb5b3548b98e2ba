"""`/v1/conversations`: saved chats for API users, each key seeing only its own.

A conversation is asked in with `POST /v1/conversations/{id}/ask`: its earlier exchanges are the
history a follow-up reads, and the new exchange is saved. Feedback on an answer goes to
`PUT .../exchanges/{exchange_id}/feedback`. Another key's conversation is a 404, as if absent.
"""

from __future__ import annotations

import datetime as dt
from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Path, Response
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from rag.assistant import Assistant
from rag.settings import Settings
from rag.types import Conversation, Exchange
from ui.api.auth import require_key
from ui.api.errors import error_docs
from ui.api.owners import key_owner
from ui.api.schemas import AnswerOut, RetrieveRequest

_MAX_TITLE = 200
# The same scheme as the other routes' (`require_key` checks the key; here it is only hashed).
_bearer = HTTPBearer(auto_error=False, description="One of the keys in RAG_API_KEYS.")
Key = Annotated[HTTPAuthorizationCredentials | None, Depends(_bearer)]
# SQLite row ids are signed 64-bit: a larger number is a 422 here, not an OverflowError (500) there.
ExchangeId = Annotated[int, Path(ge=1, le=2**63 - 1)]
_MAX_NOTE = 2000


class _In(BaseModel):
    model_config = ConfigDict(extra="forbid")


class TitleIn(_In):
    """A conversation's title (one line; long titles are shortened)."""

    title: str = Field(min_length=1, max_length=_MAX_TITLE)


class FeedbackIn(_In):
    """A verdict on one answer: 1 good, -1 bad, with an optional note."""

    rating: Literal[1, -1]
    note: str = Field(default="", max_length=_MAX_NOTE)


class _Out(BaseModel):
    model_config = ConfigDict(from_attributes=True)


class FeedbackOut(_Out):
    """The verdict recorded for an answer."""

    rating: int
    note: str


class ExchangeOut(_Out):
    """One question of a conversation, its answer and the search settings it was asked with."""

    id: int
    question: str
    answer: AnswerOut
    settings: dict[str, Any]
    created_at: dt.datetime
    feedback: FeedbackOut | None


class ConversationOut(_Out):
    """A saved conversation, titled by its first question unless renamed."""

    id: str
    title: str
    created_at: dt.datetime
    updated_at: dt.datetime
    exchange_count: int = Field(validation_alias="size", description="How many questions it holds.")


class ConversationDetail(ConversationOut):
    """A saved conversation with its exchanges (question, answer, settings, verdict), oldest first."""

    exchanges: list[ExchangeOut]


def conversations_router(assistant: Assistant, settings: Settings) -> APIRouter:
    """The conversation routes, behind the API key when one is set."""
    router = APIRouter(
        prefix="/v1/conversations", tags=["conversations"], dependencies=[Depends(require_key(settings))],
        responses=error_docs(401, 413, 422, 503),
    )  # fmt: skip
    store = assistant.conversations

    def owner_of(key: Key) -> str:
        # Checked by `require_key` already: here only hashed. Without keys everyone is "".
        return key_owner(key.credentials) if settings.api_keys and key else ""

    @router.get("")
    async def list_conversations(key: Key) -> list[ConversationOut]:
        """Your conversations, the most recently used first."""
        return [_summary(c) for c in await run_in_threadpool(store.recent, owner_of(key))]

    @router.post("", status_code=201, responses=error_docs(400))
    async def create_conversation(body: TitleIn, key: Key) -> ConversationOut:
        """Start an empty conversation."""
        return _summary(await run_in_threadpool(store.create, owner_of(key), body.title))

    @router.get("/{conversation_id}", responses=error_docs(404))
    async def get_conversation(conversation_id: str, key: Key) -> ConversationDetail:
        """One conversation with every question, answer (with citations) and verdict."""
        found = await run_in_threadpool(store.get, owner_of(key), conversation_id)
        return ConversationDetail.model_validate(found)

    @router.patch("/{conversation_id}", responses=error_docs(400, 404))
    async def rename_conversation(conversation_id: str, body: TitleIn, key: Key) -> ConversationOut:
        """Give a conversation a new title."""
        return _summary(await run_in_threadpool(store.rename, owner_of(key), conversation_id, body.title))

    @router.delete("/{conversation_id}", status_code=204, responses=error_docs(404))
    async def delete_conversation(conversation_id: str, key: Key) -> Response:
        """Delete a conversation and its exchanges (feedback given on them is kept)."""
        await run_in_threadpool(store.delete, owner_of(key), conversation_id)
        return Response(status_code=204)

    @router.post("/{conversation_id}/ask", responses=error_docs(400, 404, 409))
    async def ask_in_conversation(conversation_id: str, body: RetrieveRequest, key: Key) -> ExchangeOut:
        """Ask a question that follows on from the conversation; the exchange is saved in it."""
        return ExchangeOut.model_validate(
            await run_in_threadpool(_ask, assistant, owner_of(key), conversation_id, body)
        )

    @router.put("/{conversation_id}/exchanges/{exchange_id}/feedback", responses=error_docs(400, 404))
    async def rate_answer(
        conversation_id: str, exchange_id: ExchangeId, body: FeedbackIn, key: Key
    ) -> FeedbackOut:
        """Say whether an answer was good (1) or bad (-1), with an optional note."""
        verdict = await run_in_threadpool(
            store.rate, owner_of(key), exchange_id, body.rating, body.note, conversation_id
        )
        return FeedbackOut.model_validate(verdict)

    return router


def _ask(assistant: Assistant, owner: str, conversation_id: str, body: RetrieveRequest) -> Exchange:
    history = assistant.conversations.get(owner, conversation_id).turns()
    as_of = body.as_of
    answer = assistant.ask(body.question, history, k=body.k, where=body.where(), as_of=as_of)
    search: dict[str, Any] = {
        "k": body.k, "article_ids": body.article_ids, "as_of": as_of,
        "published_from": body.published_from, "published_to": body.published_to,
    }  # fmt: skip
    saved = {
        key: (value.isoformat() if isinstance(value, dt.date) else value) for key, value in search.items()
    }
    return assistant.conversations.append(owner, conversation_id, body.question, answer, saved)


def _summary(conversation: Conversation) -> ConversationOut:
    return ConversationOut.model_validate(conversation)
