"""HTTP errors in one JSON shape, ``{"error": {"type", "message"}}``, for library and framework errors.

The shape is OpenAI's, so OpenAI clients show our messages too. User mistakes are 4xx; a 5xx means
the server itself failed and is logged with the request id the client got back.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel
from starlette.exceptions import HTTPException

from rag.errors import EmptyIndexError, InputError, NotFoundError, RagError, StoreUnavailableError

logger = logging.getLogger(__name__)

# Most specific first: the first class an error is an instance of decides its status.
_RAG_STATUSES: tuple[tuple[type[RagError], int, str], ...] = (
    (NotFoundError, 404, "not_found"),
    (EmptyIndexError, 409, "empty_index"),
    (InputError, 400, "invalid_input"),
    (StoreUnavailableError, 503, "store_unavailable"),
)
# The library's own words name `rag ingest`; an HTTP client adds articles through the API.
NO_ARTICLES = (
    "No articles indexed yet: add some with POST /v1/articles or POST /v1/articles/upload, then ask again."
)
_HTTP_TYPES = {
    400: "bad_request",
    401: "unauthorized",
    404: "not_found",
    405: "method_not_allowed",
    413: "too_large",
    415: "unsupported_media_type",
    429: "too_many_requests",
    503: "unavailable",
}


class ErrorDetail(BaseModel):
    """What went wrong: a stable machine-readable ``type`` and a message saying what to do."""

    type: str
    message: str


class ErrorResponse(BaseModel):
    """The body of every error response."""

    error: ErrorDetail


def error_response(
    status: int, kind: str, message: str, headers: Mapping[str, str] | None = None
) -> JSONResponse:
    """A JSON error response in the one shape clients parse."""
    body = ErrorResponse(error=ErrorDetail(type=kind, message=message))
    return JSONResponse(body.model_dump(), status_code=status, headers=headers)


def request_id_of(request: Request) -> str:
    """The id the request-context middleware gave this request ("-" outside it)."""
    return str(getattr(request.state, "request_id", "-"))


def install_error_handlers(app: FastAPI) -> None:
    """Translate library errors, HTTP errors and validation failures into the JSON error shape."""
    app.add_exception_handler(RagError, _rag_error)  # type: ignore[arg-type]
    app.add_exception_handler(HTTPException, _http_error)  # type: ignore[arg-type]
    app.add_exception_handler(RequestValidationError, _validation_error)  # type: ignore[arg-type]


async def _rag_error(request: Request, exc: RagError) -> JSONResponse:
    for cls, status, kind in _RAG_STATUSES:
        if isinstance(exc, cls):
            return error_response(status, kind, NO_ARTICLES if cls is EmptyIndexError else str(exc))
    # ConfigError and StoreError: the server is misconfigured or its storage failed.
    logger.error("request_id=%s %s: %s", request_id_of(request), type(exc).__name__, exc)
    return error_response(500, "server_error", f"{exc} (request id {request_id_of(request)})")


async def _http_error(request: Request, exc: HTTPException) -> JSONResponse:
    kind = _HTTP_TYPES.get(exc.status_code, "http_error")
    return error_response(exc.status_code, kind, str(exc.detail), headers=exc.headers)


async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
    errors = list(exc.errors())
    if _whole_body_refused(errors) and not _is_json(request.headers.get("content-type", "")):
        sent = request.headers.get("content-type") or "no Content-Type"
        message = f"body: send it as JSON with the header Content-Type: application/json (it came as {sent})."
        return error_response(422, "validation_error", message)
    return error_response(422, "validation_error", describe_validation(errors))


def _whole_body_refused(errors: list[Any]) -> bool:
    """True when the body as a whole had the wrong shape, as a JSON body sent as form data has."""
    return any(
        e.get("type") in _SHAPE_ERRORS and [p for p in e.get("loc", ()) if not _branch_name(p)] == ["body"]
        for e in errors
    )


def _is_json(content_type: str) -> bool:
    media = content_type.split(";", 1)[0].strip().lower()
    return media == "application/json" or media.endswith("+json")


# What a union branch says when the input has the other branch's shape (an object sent where a list
# could go): noise next to the real problem in the branch that matched the shape.
_SHAPE_ERRORS = frozenset({"list_type", "model_type", "model_attributes_type", "dict_type"})


def describe_validation(errors: Any) -> str:
    """One line per problem, naming where in the request it is ("body.k: ...").

    A body that may be one item or a list of them (``POST /v1/articles``) is checked against both;
    only the shape that was sent is reported, and without pydantic's branch names in the path
    ("body.text", "body.1.text", not "body.ArticleIn.text; body.list[ArticleIn]: ...").
    """
    errors = list(errors)
    if any(e.get("type") not in _SHAPE_ERRORS for e in errors):
        errors = [e for e in errors if e.get("type") not in _SHAPE_ERRORS or not _in_union(e)]
    lines = []
    for error in errors:
        if error.get("type") == "json_invalid":  # its path ends in a character position, not a field
            problem = (error.get("ctx") or {}).get("error", "")
            at = error.get("loc", ("body", "?"))[-1]
            lines.append(f"body: not valid JSON at character {at}" + (f" ({problem})." if problem else "."))
            continue
        where = ".".join(str(part) for part in error.get("loc", ()) if not _branch_name(part))
        lines.append(f"{where}: {error.get('msg', 'invalid')}")
    if len(lines) > 1:
        lines = [line.rstrip(".") for line in lines]
    return "; ".join(lines) or "The request is invalid."


def _in_union(error: Mapping[str, Any]) -> bool:
    return any(_branch_name(part) for part in error.get("loc", ()))


def _branch_name(part: object) -> bool:
    """pydantic names a union's branches in the error path ("ArticleIn", "list[ArticleIn]"); fields are
    snake_case, so a capital or a bracket marks a branch."""
    return isinstance(part, str) and bool(part) and (part[0].isupper() or "[" in part)


_DESCRIPTIONS = {
    400: "The input cannot be used (empty question, bad filter, unreadable article).",
    401: "Missing or wrong API key.",
    404: "No article has this id.",
    409: "No articles are indexed yet.",
    413: "The request is larger than the server accepts.",
    422: "The request does not match the schema.",
    429: "Too many ingests are running; retry later.",
    503: "Not ready, or the vector store cannot be reached.",
}


def error_docs(*statuses: int) -> dict[int | str, dict[str, Any]]:
    """OpenAPI entries for these error statuses, all with the ErrorResponse body."""
    return {status: {"model": ErrorResponse, "description": _DESCRIPTIONS[status]} for status in statuses}
