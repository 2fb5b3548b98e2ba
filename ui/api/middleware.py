"""Per-request bookkeeping: a request id, one structured log line, and a JSON 500 for crashes."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable
from urllib.parse import quote

from starlette.datastructures import Headers, MutableHeaders
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ui.api.errors import error_response

logger = logging.getLogger("ui.access")
REQUEST_ID_HEADER = "X-Request-ID"
# A client's id is echoed only when it is short and plain, so it cannot forge log lines.
_CLIENT_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")
# What a path may show as is: printable ASCII without spaces or "%" (so an escape cannot be faked).
_PATH_SAFE = "/!$&'()*+,;=:@-._~"


class RequestContextMiddleware:
    """Gives every HTTP request an id (the client's ``X-Request-ID`` or a new one), echoes it in the
    response, logs one line when it ends, and turns an unhandled exception into a logged JSON 500.

    The log line names method, path, status, duration and id; never headers (the API key is one)
    nor the query string.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request_id = _request_id(scope)
        scope.setdefault("state", {})["request_id"] = request_id
        started, status = time.perf_counter(), 0

        async def send_with_id(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
                MutableHeaders(scope=message)[REQUEST_ID_HEADER] = request_id
            await send(message)

        try:
            await self.app(scope, receive, send_with_id)
        except Exception:
            logger.exception("unhandled error request_id=%s", request_id)
            if not status:  # nothing sent yet: answer with the id the log line carries
                status = 500
                response = error_response(
                    500, "server_error", f"Internal server error (request id {request_id}).",
                    headers={REQUEST_ID_HEADER: request_id},
                )  # fmt: skip
                await response(scope, receive, send)
        finally:
            duration = (time.perf_counter() - started) * 1000
            logger.info(
                "method=%s path=%s status=%d duration_ms=%.1f request_id=%s",
                scope["method"], log_safe_path(scope["path"]), status, duration, request_id,
            )  # fmt: skip


def log_safe_path(path: str) -> str:
    """The path percent-encoded again, so a decoded newline, space or control character cannot forge a log line."""
    return quote(path, safe=_PATH_SAFE)


def _request_id(scope: Scope) -> str:
    for name, value in scope.get("headers", ()):
        if name == b"x-request-id":
            text = str(value.decode("latin-1"))
            if _CLIENT_ID.match(text):
                return text
    return uuid.uuid4().hex


class BodyLimitMiddleware:
    """Refuses request bodies over the limit of their path with a JSON 413, before they are read whole.

    A declared Content-Length over the limit is refused at once; a body that grows past it while
    being read (chunked) stops the read. Paths without a limit (the Gradio app) pass untouched.
    """

    def __init__(self, app: ASGIApp, limit_of: Callable[[str], int | None]) -> None:
        self.app = app
        self.limit_of = limit_of

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        limit = self.limit_of(scope["path"]) if scope["type"] == "http" else None
        if limit is None:
            await self.app(scope, receive, send)
            return
        declared = Headers(scope=scope).get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            await error_response(413, "too_large", _too_large(limit))(scope, receive, send)
            return
        received, over = 0, False
        # A form parser that fails deletes the files it wrote (starlette's and Gradio's both do), but only
        # for its own error: anything else mid-upload left Gradio's partial files in its temp folder.
        multipart = Headers(scope=scope).get("content-type", "").startswith("multipart/form-data")

        async def counted() -> Message:
            nonlocal received, over
            message = await receive()
            received += len(message.get("body", b""))
            if received > limit:
                over = True
                if multipart:
                    raise MultiPartException(_too_large(limit))
                raise HTTPException(413, _too_large(limit))  # FastAPI's JSON body parsing passes it on
            return message

        async def send_refusal(message: Message) -> None:
            """Whatever the app answers once its read was stopped, the client gets the 413 and why."""
            if not over:
                await send(message)
            elif message["type"] == "http.response.start":
                await error_response(413, "too_large", _too_large(limit))(scope, receive, send)

        await self.app(scope, counted, send_refusal)


def _too_large(limit: int) -> str:
    return f"The request body is over the {limit:,}-byte limit of this endpoint."
