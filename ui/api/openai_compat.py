"""An OpenAI-compatible face: `POST /v1/chat/completions` (streamed or not) and `GET /v1/models`.

Any OpenAI client or chat front-end can talk to the assistant: the last user message is the
question, earlier user/assistant pairs are the history. The reply's content is the cited answer
followed by its numbered source list; the citations are also in an extra top-level `citations`
field (in the final chunk when streaming). Sampling options a client sends are accepted and ignored.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Literal

from fastapi import APIRouter, Depends
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from rag.assistant import Assistant
from rag.citations import chat_turns, message_text, plain_answer, source_list
from rag.errors import InputError, RagError
from rag.settings import Settings
from rag.types import Answer, StreamEvent, Turn
from ui.api.auth import require_key
from ui.api.errors import ErrorDetail, ErrorResponse, error_docs
from ui.api.schemas import CitationOut
from ui.api.streaming import SSE_RESPONSE, in_threadpool, start

MODEL_ID = "article-rag"


class ContentPart(BaseModel):
    """One part of a message's content; only `text` parts carry anything the assistant reads."""

    model_config = ConfigDict(extra="allow")
    type: str
    text: str = ""


class ChatMessage(BaseModel):
    """A message of the conversation; system and tool messages are ignored."""

    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[ContentPart] | None = None


class ChatCompletionRequest(BaseModel):
    """OpenAI's request; options other than `messages` and `stream` are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(default=MODEL_ID, description=f"Any name; the reply always comes from {MODEL_ID!r}.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False


class AssistantMessage(BaseModel):
    """The reply."""

    role: Literal["assistant"] = "assistant"
    content: str


class Choice(BaseModel):
    """The one reply."""

    index: int = 0
    message: AssistantMessage
    finish_reason: Literal["stop"] = "stop"


class ChatCompletion(BaseModel):
    """OpenAI's `chat.completion`, plus `citations`."""

    id: str
    object: Literal["chat.completion"] = "chat.completion"
    created: int
    model: str = MODEL_ID
    choices: list[Choice]
    citations: list[CitationOut] = Field(description="Extra field: the sources the [n] markers point to.")


class Delta(BaseModel):
    """A piece of the streamed reply."""

    role: Literal["assistant"] | None = None
    content: str | None = None


class ChunkChoice(BaseModel):
    """The reply's piece in a chunk."""

    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None


class ChatCompletionChunk(BaseModel):
    """OpenAI's `chat.completion.chunk`; the last one also carries `citations`."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str = MODEL_ID
    choices: list[ChunkChoice]
    citations: list[CitationOut] | None = None


class ModelCard(BaseModel):
    """The one model this server offers."""

    id: str = MODEL_ID
    object: Literal["model"] = "model"
    created: int = 0
    owned_by: str = "article-rag"


class ModelList(BaseModel):
    """OpenAI's model list."""

    object: Literal["list"] = "list"
    data: list[ModelCard]


def openai_router(assistant: Assistant, settings: Settings) -> APIRouter:
    """The OpenAI-compatible routes under `/v1`, behind the same key as the rest of the API."""
    router = APIRouter(
        prefix="/v1", tags=["openai"], dependencies=[Depends(require_key(settings))],
        responses=error_docs(400, 401, 409, 413, 422),
    )  # fmt: skip

    @router.get("/models")
    async def models() -> ModelList:
        """The one model, for clients that list models before chatting."""
        return ModelList(data=[ModelCard()])

    @router.post("/chat/completions", response_model=ChatCompletion, responses=SSE_RESPONSE)
    async def chat_completions(body: ChatCompletionRequest) -> Any:
        """The cited answer to the last user message, as a completion or (`stream`) as chunks."""
        question, turns = conversation(body.messages)
        reply_id, created = f"chatcmpl-{uuid.uuid4().hex}", int(time.time())
        if body.stream:
            events = await start(assistant.stream(question, turns))
            return StreamingResponse(_chunks(events, reply_id, created), media_type="text/event-stream")
        answer = await run_in_threadpool(assistant.ask, question, turns)
        message = AssistantMessage(content=plain_answer(answer))
        return ChatCompletion(
            id=reply_id, created=created, choices=[Choice(message=message)], citations=_cited(answer)
        )

    return router


def conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[Turn]]:
    """The last user message as the question, and earlier (user, assistant) pairs as the history."""
    chat = [m.model_dump() for m in messages if m.role in ("user", "assistant")]
    if not chat or chat[-1]["role"] != "user":
        raise InputError("The last message must be the user's: it is the question to answer.")
    return message_text(chat[-1]["content"]), chat_turns(chat[:-1])


async def _chunks(events: Iterator[StreamEvent], reply_id: str, created: int) -> AsyncIterator[str]:
    def chunk(delta: Delta, answer: Answer | None = None) -> str:
        choice = ChunkChoice(delta=delta, finish_reason="stop" if answer else None)
        body = ChatCompletionChunk(
            id=reply_id, created=created, choices=[choice], citations=_cited(answer) if answer else None
        )
        return f"data: {body.model_dump_json(exclude_none=True)}\n\n"

    yield chunk(Delta(role="assistant", content=""))
    shown = ""
    try:
        async for event in in_threadpool(events):
            if event.answer is None:
                shown += event.delta
                yield chunk(Delta(content=event.delta))
            else:
                yield chunk(Delta(content=_rest_of(event.answer, shown)))
                yield chunk(Delta(), event.answer)
    except RagError as exc:  # the stream has started: OpenAI clients raise on an `error` payload
        yield f"data: {ErrorResponse(error=ErrorDetail(type='error', message=str(exc))).model_dump_json()}\n\n"
    yield "data: [DONE]\n\n"


def _rest_of(answer: Answer, shown: str) -> str:
    """What the client has not seen yet of the full reply (text already streamed cannot be taken back)."""
    full = plain_answer(answer)
    if full.startswith(shown):
        return full[len(shown) :]
    sources = source_list(answer)
    return f"\n\n{sources}" if sources else ""


def _cited(answer: Answer) -> list[CitationOut]:
    return [CitationOut.model_validate(c) for c in answer.citations]
