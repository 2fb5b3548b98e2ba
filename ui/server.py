"""One process, one port: the Gradio chat mounted in FastAPI, with a health check, run by uvicorn."""

from __future__ import annotations

import copy
import logging
import socket
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI
from gradio.routes import App as GradioApp
from starlette.routing import Mount

from rag.assistant import Assistant
from rag.settings import Settings
from ui.app import build_app

logger = logging.getLogger(__name__)
# A backstop for streams still running at Ctrl+C (an answer half-sent): they get this long to finish.
SHUTDOWN_GRACE_SECONDS = 3


def create_app(assistant: Assistant) -> FastAPI:
    """The HTTP app: `GET /healthz` for probes and the chat UI (and its API) at `/`."""
    app = FastAPI(title="article-rag", docs_url=None, redoc_url=None)

    @app.get("/healthz")
    def healthz() -> dict[str, str]:
        """Liveness probe; answers without touching the model or the store."""
        return {"status": "ok"}

    # Mounted last: a mount at "/" would otherwise swallow the routes declared after it.
    gr.mount_gradio_app(app, build_app(assistant), path="/", footer_links=["api"])
    return app


def serve(settings: Settings, host: str, port: int) -> None:
    """Serve the chat on ``host:port`` until interrupted, with the model loaded before the first question."""
    assistant = Assistant(settings)
    try:
        # Building the Config sets up logging, so our messages share uvicorn's format.
        config = uvicorn.Config(
            create_app(assistant), host=host, port=port, log_config=_log_config(),
            timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS,
        )  # fmt: skip
        warm_up(assistant)
        logger.info("Serving the chat UI on %s", public_url(host, port))
        ChatServer(config).run()
    finally:
        assistant.close()


class ChatServer(uvicorn.Server):
    """Uvicorn that ends Gradio's session heartbeats when stopping, as `gr.Blocks.launch` does.

    Each open browser tab holds a heartbeat stream that never finishes on its own; left open,
    it would hold up Ctrl+C until the grace period ran out and then be cancelled with a traceback.
    """

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """Tell the mounted Gradio apps to close their streams, then shut down as usual."""
        for route in getattr(self.config.app, "routes", ()):
            if isinstance(route, Mount) and isinstance(route.app, GradioApp):
                route.app.stop_event.set()
        await super().shutdown(sockets)


def warm_up(assistant: Assistant) -> None:
    """Load the embedding model and open the store now, so the first question is answered quickly."""
    assistant.embedder.embed_query("warm up")
    count = len(assistant.articles())
    if count:
        logger.info("Articles indexed: %d", count)
    else:
        logger.warning("No articles indexed yet: run `rag ingest seeds/` first.")


def public_url(host: str, port: int) -> str:
    """The URL a browser opens for ``host:port`` (IPv6 addresses in brackets)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _log_config() -> dict[str, Any]:
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["ui"] = {"handlers": ["default"], "level": "INFO", "propagate": False}
    return config
