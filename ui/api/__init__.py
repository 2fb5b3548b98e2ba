"""The HTTP API served beside the chat UI: REST under `/v1`, an OpenAI-compatible chat, health probes."""

from __future__ import annotations

from fastapi import FastAPI

from rag.assistant import Assistant
from rag.settings import Settings
from ui.api.auth import AuthThrottleMiddleware, FailedAuthLimiter
from ui.api.conversations import conversations_router
from ui.api.errors import install_error_handlers
from ui.api.guard import WebGuardMiddleware, WebPolicy
from ui.api.middleware import BodyLimitMiddleware, RequestContextMiddleware
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
    app.include_router(conversations_router(assistant, settings))
    app.include_router(fallback_router())
    app.add_middleware(AuthThrottleMiddleware, limiter=FailedAuthLimiter(settings.auth_failures_per_minute))
    # Outside Gradio's mount and its CORS middleware: this one has the last word on every response.
    app.add_middleware(WebGuardMiddleware, policy=WebPolicy.from_settings(settings))
    app.add_middleware(RequestContextMiddleware)  # outermost: it also times and logs refusals


UPLOAD_PATH = "/v1/articles/upload"
# Gradio limits each file (max_file_size) and the count (1,000), not the request: 1,000 files just
# under the per-file limit would be 20 GB on disk, so its upload route shares the API's total.
GRADIO_UPLOAD_PATH = "/gradio_api/upload"


def body_limit(path: str, settings: Settings) -> int | None:
    """The largest request body ``path`` accepts: uploads get their own limit, Gradio's other paths none."""
    if path in (UPLOAD_PATH, GRADIO_UPLOAD_PATH):
        return settings.max_upload_total_bytes
    return settings.max_request_bytes if path.startswith("/v1/") or path == "/readyz" else None
