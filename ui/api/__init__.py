"""The HTTP API served beside the chat UI: REST under `/v1`, an OpenAI-compatible chat, health probes."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from rag.assistant import Assistant
from rag.settings import Settings
from ui.api.errors import install_error_handlers
from ui.api.middleware import REQUEST_ID_HEADER, BodyLimitMiddleware, RequestContextMiddleware
from ui.api.openai_compat import openai_router
from ui.api.routes import api_router, fallback_router, health_router

__all__ = ["install_api"]


def install_api(app: FastAPI, assistant: Assistant) -> None:
    """Add the API routes, error handlers and middleware to ``app`` (before Gradio is mounted at "/")."""
    settings = assistant.settings
    install_error_handlers(app)
    app.add_middleware(BodyLimitMiddleware, limit_of=lambda path: body_limit(path, settings))
    app.include_router(health_router(assistant, settings))
    app.include_router(api_router(assistant, settings))
    app.include_router(openai_router(assistant, settings))
    app.include_router(fallback_router())
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware, allow_origins=list(settings.cors_origins), allow_methods=["GET", "POST", "DELETE"],
            allow_headers=["Authorization", "Content-Type", REQUEST_ID_HEADER], expose_headers=[REQUEST_ID_HEADER],
        )  # fmt: skip
    app.add_middleware(RequestContextMiddleware)  # outermost: it also times and logs CORS answers


UPLOAD_PATH = "/v1/articles/upload"
# Gradio limits each file (max_file_size) and the count (1,000), not the request: 1,000 files just
# under the per-file limit would be 20 GB on disk, so its upload route shares the API's total.
GRADIO_UPLOAD_PATH = "/gradio_api/upload"


def body_limit(path: str, settings: Settings) -> int | None:
    """The largest request body ``path`` accepts: uploads get their own limit, Gradio's other paths none."""
    if path in (UPLOAD_PATH, GRADIO_UPLOAD_PATH):
        return settings.max_upload_total_bytes
    return settings.max_request_bytes if path.startswith("/v1/") or path == "/readyz" else None
