"""An OpenAI-compatible face: `POST /v1/chat/completions` (streamed or not) and `GET /v1/models`.

Any OpenAI client or chat front-end can talk to the assistant: the last user message is the
question, earlier user/assistant pairs are the history. The reply's content is the cited answer
followed by its numbered source list. Each ``[n]`` of the answer is a `url_citation` annotation
(OpenAI's convention for cited replies): its position in the content, the article's title and
link (the article's URL, else this server's `/v1/articles/{id}`). A streamed reply comes in
several pieces; its last chunk carries the annotations in its delta. `usage` counts tokens with
the embedding model's tokenizer. The citations are also in an extra top-level `citations` field.
An extra `as_of` field (a day, like 2024-05-01) answers as of that day. Sampling options a client
sends are accepted and ignored.
"""

from __future__ import annotations

import re
import time
import uuid
from collections.abc import AsyncIterator, Iterator, Sequence
from typing import Any, Literal
from urllib.parse import quote

from fastapi import APIRouter, Depends, Request
from fastapi.responses import StreamingResponse
from pydantic import BaseModel, ConfigDict, Field
from starlette.concurrency import run_in_threadpool

from rag.assistant import Assistant
from rag.citations import (
    TEXT_PARTS,
    answer_of_plain,
    chat_turns,
    find_markers,
    message_text,
    plain_answer,
    source_list,
)
from rag.errors import InputError, RagError
from rag.settings import Settings
from rag.types import Answer, Citation, StreamEvent, Turn
from ui.api.auth import require_key
from ui.api.errors import ErrorDetail, ErrorResponse, error_docs
from ui.api.safe_markdown import StreamNeutraliser, neutralise
from ui.api.schemas import AS_OF_HELP, CitationOut, Day, Encodable
from ui.api.streaming import SSE_RESPONSE, in_threadpool, start

MODEL_ID = "article-rag"
# A streamed reply is sent in pieces of about this many characters, cut between words.
PIECE_CHARS = 24
_WORDS = re.compile(r"\S+\s*|\s+")


class ContentPart(BaseModel):
    """One part of a message's content; only text parts (`text`, `input_text`) carry anything the assistant reads."""

    model_config = ConfigDict(extra="allow")
    type: str
    text: str = ""


class ChatMessage(BaseModel):
    """A message of the conversation; system and tool messages are ignored."""

    model_config = ConfigDict(extra="allow")
    role: str
    content: str | list[ContentPart] | None = None


class StreamOptions(BaseModel):
    """What a streamed reply adds: `include_usage` sends a last chunk with the token counts."""

    model_config = ConfigDict(extra="allow")
    include_usage: bool = False


class ChatCompletionRequest(Encodable):
    """OpenAI's request; options other than `messages`, `stream` and `stream_options` are accepted and ignored."""

    model_config = ConfigDict(extra="allow")
    model: str = Field(default=MODEL_ID, description=f"Any name; the reply always comes from {MODEL_ID!r}.")
    messages: list[ChatMessage] = Field(min_length=1, max_length=200)
    stream: bool = False
    stream_options: StreamOptions | None = None
    as_of: Day = Field(default=None, description="Extra field: " + AS_OF_HELP, examples=["2024-05-01"])


class UrlCitation(BaseModel):
    """Where a marker is in the content (`end_index` exclusive), and the article it cites."""

    start_index: int
    end_index: int
    title: str
    url: str


class Annotation(BaseModel):
    """One cited `[n]` of the reply, as OpenAI's cited replies mark theirs."""

    type: Literal["url_citation"] = "url_citation"
    url_citation: UrlCitation


class Usage(BaseModel):
    """Tokens in (all messages) and out (the reply), by the embedding model's tokenizer."""

    prompt_tokens: int
    completion_tokens: int
    total_tokens: int


class AssistantMessage(BaseModel):
    """The reply, with an annotation per cited marker."""

    role: Literal["assistant"] = "assistant"
    content: str
    annotations: list[Annotation] = Field(default_factory=list)


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
    usage: Usage
    citations: list[CitationOut] = Field(description="Extra field: the sources the [n] markers point to.")


class Delta(BaseModel):
    """A piece of the streamed reply; the last one has the annotations instead."""

    role: Literal["assistant"] | None = None
    content: str | None = None
    annotations: list[Annotation] | None = None


class ChunkChoice(BaseModel):
    """The reply's piece in a chunk."""

    index: int = 0
    delta: Delta
    finish_reason: Literal["stop"] | None = None


class ChatCompletionChunk(BaseModel):
    """OpenAI's `chat.completion.chunk`; the last one also carries `citations`, a usage one only `usage`."""

    id: str
    object: Literal["chat.completion.chunk"] = "chat.completion.chunk"
    created: int
    model: str = MODEL_ID
    choices: list[ChunkChoice]
    citations: list[CitationOut] | None = None
    usage: Usage | None = None


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
    async def chat_completions(body: ChatCompletionRequest, request: Request) -> Any:
        """The cited answer to the last user message, as a completion or (`stream`) as chunks."""
        question, turns = conversation(body.messages)
        as_of = body.as_of
        reply = Reply(
            f"chatcmpl-{uuid.uuid4().hex}", int(time.time()), assistant, body, str(request.base_url)
        )
        if body.stream:
            events = await start(assistant.stream(question, turns, as_of=as_of))
            return StreamingResponse(_chunks(events, reply), media_type="text/event-stream")
        answer = await run_in_threadpool(assistant.ask, question, turns, as_of=as_of)
        content = neutralise(plain_answer(answer))
        message = AssistantMessage(content=content, annotations=reply.annotations(content, answer))
        return ChatCompletion(
            id=reply.id, created=reply.created, choices=[Choice(message=message)], citations=_cited(answer),
            usage=await run_in_threadpool(reply.usage, content),
        )  # fmt: skip

    return router


class Reply:
    """What every part of one reply shares: its id and time, and how to annotate and count it."""

    def __init__(
        self, reply_id: str, created: int, assistant: Assistant, body: ChatCompletionRequest, base_url: str
    ) -> None:
        self.id, self.created = reply_id, created
        self.assistant, self.body, self.base_url = assistant, body, base_url

    def annotations(self, content: str, answer: Answer) -> list[Annotation]:
        """A `url_citation` for each marker of the answer text (the source list after it is not annotated)."""
        cited = {c.index: c for c in answer.citations}
        text = answer_of_plain(content)
        return [
            Annotation(
                url_citation=UrlCitation(start_index=start, end_index=end, title=c.title, url=self.link(c))
            )
            for start, end, n in find_markers(text)
            if (c := cited.get(n)) is not None
        ]

    def link(self, citation: Citation) -> str:
        """The article's own URL, else where this server serves it."""
        return (
            citation.url or f"{self.base_url.rstrip('/')}/v1/articles/{quote(citation.article_id, safe='')}"
        )

    def usage(self, content: str) -> Usage:
        """Token counts of the messages sent and of the reply."""
        sent = sum(self.assistant.count_tokens(message_text(m.content)) for m in self.body.messages)
        made = self.assistant.count_tokens(content)
        return Usage(prompt_tokens=sent, completion_tokens=made, total_tokens=sent + made)

    def chunk(
        self, delta: Delta, answer: Answer | None = None, usage: Usage | None = None, last: bool = False
    ) -> str:
        """One `data:` line of the stream."""
        choices = [] if usage else [ChunkChoice(delta=delta, finish_reason="stop" if last else None)]
        body = ChatCompletionChunk(
            id=self.id, created=self.created, choices=choices, citations=_cited(answer) if answer else None,
            usage=usage,
        )  # fmt: skip
        return f"data: {body.model_dump_json(exclude_none=True)}\n\n"


def conversation(messages: Sequence[ChatMessage]) -> tuple[str, list[Turn]]:
    """The last user message as the question, and earlier (user, assistant) pairs as the history."""
    chat = [m.model_dump() for m in messages if m.role in ("user", "assistant")]
    if not chat or chat[-1]["role"] != "user":
        raise InputError("The last message must be the user's: it is the question to answer.")
    return asked_text(chat[-1]["content"]), chat_turns(chat[:-1])


# What a part the assistant cannot read is called when it is all a question has.
_UNREAD = {"image_url": "Images are", "input_audio": "Audio is", "file": "Files are"}


def asked_text(content: object) -> str:
    """The text of the question's message; InputError when it has parts but none of text (an image
    alone): the user is told it is not read, not that they sent nothing."""
    text = message_text(content)
    if text.strip() or not isinstance(content, list):
        return text
    kinds = [
        str(part.get("type"))
        for part in content
        if isinstance(part, dict) and part.get("type") not in TEXT_PARTS
    ]
    if not kinds:
        return text
    unread = _UNREAD.get(kinds[0], f"{kinds[0]!r} parts are")
    raise InputError(f"{unread} not read, only text: ask the question in words (a text part of the message).")


async def _chunks(events: Iterator[StreamEvent], reply: Reply) -> AsyncIterator[str]:
    yield reply.chunk(Delta(role="assistant", content=""))
    shown, sent, guard = "", "", StreamNeutraliser()  # the raw reply so far, and what the client got of it
    try:
        async for event in in_threadpool(events):
            text = event.delta if event.answer is None else _rest_of(event.answer, shown)
            shown += text
            safe = guard.feed(text) + (guard.finish() if event.answer is not None else "")
            for piece in pieces(safe):
                yield reply.chunk(Delta(content=piece))
            sent += safe
            if event.answer is not None:
                yield reply.chunk(
                    Delta(annotations=reply.annotations(sent, event.answer)), event.answer, last=True
                )
                if reply.body.stream_options and reply.body.stream_options.include_usage:
                    yield reply.chunk(Delta(), usage=await run_in_threadpool(reply.usage, sent))
    except RagError as exc:  # the stream has started: OpenAI clients raise on an `error` payload
        yield f"data: {ErrorResponse(error=ErrorDetail(type='error', message=str(exc))).model_dump_json()}\n\n"
    yield "data: [DONE]\n\n"


def pieces(text: str, size: int = PIECE_CHARS) -> list[str]:
    """``text`` cut between words into pieces of about ``size`` characters (markers stay whole)."""
    out: list[str] = []
    for word in _WORDS.findall(text):
        if out and len(out[-1]) < size:
            out[-1] += word
        else:
            out.append(word)
    return out


def _rest_of(answer: Answer, shown: str) -> str:
    """What the client has not seen yet of the full reply (text already streamed cannot be taken back)."""
    full = plain_answer(answer)
    if full.startswith(shown):
        return full[len(shown) :]
    sources = source_list(answer)
    return f"\n\n{sources}" if sources else ""


def _cited(answer: Answer) -> list[CitationOut]:
    return [CitationOut.model_validate(c) for c in answer.citations]
