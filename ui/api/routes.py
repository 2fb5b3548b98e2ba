"""The REST API under `/v1` and the health probes: each route parses, calls the Assistant, formats.

The Assistant is synchronous (model inference, SQLite, Chroma), so every call runs in the
threadpool and the event loop stays free for other requests and for Gradio.
"""

from __future__ import annotations

import json
import threading
from collections.abc import AsyncIterator, Iterator
from contextlib import contextmanager
from typing import Annotated, Any

from fastapi import APIRouter, Depends, File, Request, Response, UploadFile
from fastapi.responses import StreamingResponse
from starlette.concurrency import run_in_threadpool
from starlette.exceptions import HTTPException

from rag.assistant import Assistant
from rag.errors import RagError
from rag.settings import Settings
from rag.types import StreamEvent, Upload
from ui.api.auth import require_key
from ui.api.errors import ErrorDetail, ErrorResponse, error_docs
from ui.api.safe_markdown import StreamNeutraliser
from ui.api.schemas import (
    AnswerOut,
    ArticleDetail,
    ArticleIn,
    ArticleSummary,
    AskRequest,
    Health,
    IngestReportOut,
    PassageOut,
    RetrieveRequest,
)
from ui.api.streaming import SSE_RESPONSE, in_threadpool, sse, start


def health_router(assistant: Assistant, settings: Settings) -> APIRouter:
    """`/healthz` (the process answers) and `/readyz` (it can answer questions)."""
    router = APIRouter(tags=["health"])

    @router.get("/healthz", response_model_exclude_none=True)
    async def healthz() -> Health:
        """Liveness: answers without touching the model or the store, and without a key."""
        return Health(status="ok")

    @router.get("/readyz", dependencies=[Depends(require_key(settings))], responses=error_docs(401, 503))
    async def readyz() -> Health:
        """Readiness: the embedding model answers and both indexes can be read; else 503 and why."""
        try:
            stored = await run_in_threadpool(assistant.ready)
        except RagError as exc:
            raise HTTPException(503, f"Not ready: {exc}") from exc
        return Health(status="ready", articles=stored.articles, keyword_index=stored.keyword_index)

    return router


def api_router(assistant: Assistant, settings: Settings) -> APIRouter:
    """Questions, searches and article management under `/v1`, behind the API key when one is set."""
    router = APIRouter(
        prefix="/v1", dependencies=[Depends(require_key(settings))], responses=error_docs(401, 413, 422, 503),
    )  # fmt: skip
    ingests = IngestSlots(settings.max_concurrent_ingests)

    @router.post("/ask", tags=["answers"], responses=error_docs(400, 409))
    async def ask(body: AskRequest) -> AnswerOut:
        """A cited answer: every [n] in `text` is a quote in `citations`."""
        answer = await run_in_threadpool(assistant.ask, body.question, body.history, **_filters(body))
        return AnswerOut.model_validate(answer)

    @router.post(
        "/ask/stream", tags=["answers"], responses={**SSE_RESPONSE, **error_docs(400, 409)},
        response_class=StreamingResponse,
    )  # fmt: skip
    async def ask_stream(body: AskRequest) -> StreamingResponse:
        """The answer as Server-Sent Events: `delta` events ({"text"}), one `answer` event (the
        AnswerOut JSON), then `done`; a failure mid-way is an `error` event instead."""
        events = await start(assistant.stream(body.question, body.history, **_filters(body)))
        return StreamingResponse(_answer_events(events), media_type="text/event-stream")

    @router.post("/retrieve", tags=["answers"], responses=error_docs(400, 409))
    async def retrieve(body: RetrieveRequest) -> list[PassageOut]:
        """The passages an answer would be drawn from, best first, with their scores."""
        passages = await run_in_threadpool(assistant.retrieve, body.question, **_filters(body))
        return [PassageOut.model_validate(p) for p in passages]

    @router.get("/articles", tags=["articles"])
    async def list_articles() -> list[ArticleSummary]:
        """Stored articles, newest first, without their text."""
        return [ArticleSummary.model_validate(a) for a in await run_in_threadpool(assistant.articles)]

    @router.get("/articles/{article_id}", tags=["articles"], responses=error_docs(404))
    async def get_article(article_id: str) -> ArticleDetail:
        """One article with its cleaned text (citation offsets point into it)."""
        return ArticleDetail.model_validate(await run_in_threadpool(assistant.article, article_id))

    @router.post("/articles", tags=["articles"], responses=error_docs(400, 429))
    async def add_articles(body: ArticleIn | list[ArticleIn]) -> IngestReportOut:
        """Ingest articles given as JSON; unchanged ones are skipped, failures are reported."""
        articles = [item.to_article() for item in (body if isinstance(body, list) else [body])]
        with ingests.hold():
            report = await run_in_threadpool(assistant.ingest, articles)
        return IngestReportOut.model_validate(report)

    @router.post(
        "/articles/upload", tags=["articles"], responses=error_docs(400, 429),
        form_limits={"max_files": settings.max_upload_files},
    )  # fmt: skip
    async def upload_articles(files: Annotated[list[UploadFile], File()]) -> IngestReportOut:
        """Ingest uploaded files (.txt, .md, .html, .pdf, .json, .jsonl); failures name the file."""
        _check_sizes(files, settings.max_upload_bytes)
        uploads = [Upload(f.filename or "", f.file) for f in files]
        with ingests.hold():
            report = await run_in_threadpool(assistant.ingest, uploads)
        return IngestReportOut.model_validate(report)

    @router.delete("/articles/{article_id}", tags=["articles"], status_code=204, responses=error_docs(404))
    async def delete_article(article_id: str) -> Response:
        """Remove an article, its chunks and its vectors."""
        await run_in_threadpool(assistant.delete, article_id)
        return Response(status_code=204)

    return router


def fallback_router() -> APIRouter:
    """A JSON 404 for any other `/v1` path, which the Gradio app mounted at "/" would otherwise answer."""
    router = APIRouter(include_in_schema=False)

    @router.api_route("/v1/{path:path}", methods=["GET", "POST", "PUT", "PATCH", "DELETE"])
    async def unknown(request: Request) -> None:
        """Registered last, so it only sees what no API route took (a wrong path or method)."""
        raise HTTPException(404, f"No API route for {request.method} {request.url.path}: see /docs.")

    return router


class IngestSlots:
    """At most ``limit`` ingests at once; one more is refused (429) rather than queued behind them."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self._free = threading.BoundedSemaphore(limit)

    @contextmanager
    def hold(self) -> Iterator[None]:
        """A slot for the duration of the block, or HTTP 429."""
        if not self._free.acquire(blocking=False):
            raise HTTPException(
                429,
                f"{self.limit} ingest(s) already running: retry when one has finished "
                "(RAG_MAX_CONCURRENT_INGESTS sets the limit).",
                headers={"Retry-After": "5"},
            )
        try:
            yield
        finally:
            self._free.release()


def _filters(body: RetrieveRequest) -> dict[str, Any]:
    return {"k": body.k, "where": body.where(), "as_of": body.as_of}


async def _answer_events(events: Iterator[StreamEvent]) -> AsyncIterator[str]:
    guard = StreamNeutraliser()  # the deltas, joined, are the answer's text as AnswerOut makes it safe
    try:
        async for event in in_threadpool(events):
            text = guard.feed(event.delta) if event.answer is None else guard.finish()
            if text:
                yield sse("delta", json.dumps({"text": text}))
            if event.answer is not None:
                yield sse("answer", AnswerOut.model_validate(event.answer).model_dump_json())
    except RagError as exc:  # the status line is sent already: report it in the stream
        yield sse("error", ErrorResponse(error=ErrorDetail(type="error", message=str(exc))).model_dump_json())
        return
    yield sse("done", "{}")


def _check_sizes(files: list[UploadFile], limit: int) -> None:
    for file in files:
        if file.size is not None and file.size > limit:
            raise HTTPException(
                413,
                f"{file.filename!r} is {file.size:,} bytes; the limit is {limit:,} (RAG_MAX_UPLOAD_BYTES).",
            )
