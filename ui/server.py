"""One process, one port: the HTTP API and the Gradio chat mounted in one FastAPI app, run by uvicorn."""

from __future__ import annotations

import copy
import errno
import ipaddress
import logging
import socket
from typing import Any

import gradio as gr
import uvicorn
from fastapi import FastAPI
from gradio.routes import App as GradioApp
from starlette.routing import Mount

from rag.assistant import Assistant
from rag.errors import ConfigError, RagError
from rag.settings import Settings
from ui.api import install_api
from ui.api.auth import ui_login
from ui.api.owners import LoginOwners
from ui.app import build_app

logger = logging.getLogger(__name__)
# A backstop for streams still running at Ctrl+C (an answer half-sent): they get this long to finish.
SHUTDOWN_GRACE_SECONDS = 3


def create_app(assistant: Assistant) -> FastAPI:
    """The HTTP app: the API under `/v1`, probes, OpenAPI docs at `/docs`, and the chat UI at `/`."""
    app = FastAPI(
        title="article-rag", version="0.1.0", docs_url="/docs", redoc_url=None,
        description="Cited answers from your articles: every [n] quotes an exact article sentence.",
    )  # fmt: skip
    install_api(app, assistant)
    # Mounted last: a mount at "/" would otherwise swallow the routes declared after it.
    # Gradio's own upload route gets the API's per-file limit (its default is none), and run
    # history stays off: it would offer to copy answers to a Hugging Face bucket.
    owners = LoginOwners()
    demo = build_app(assistant, owners)
    gr.mount_gradio_app(
        app, demo, path="/", footer_links=["api"], auth=ui_login(assistant.settings, owners),
        max_file_size=assistant.settings.max_upload_bytes, run_history=False,
    )  # fmt: skip
    # `launch()` marks the Blocks launched, and only then does Gradio check that a file named in an
    # event's payload was uploaded through it; `mount_gradio_app` does not, so a crafted request
    # could have had the library tab ingest any readable file on the server (tests/test_access.py).
    demo.has_launched = True
    return app


def check_exposure(settings: Settings, host: str) -> None:
    """Refuse to serve an open API beyond this machine: anyone reaching it could read and delete articles."""
    if settings.api_keys or settings.allow_remote or is_loopback(host):
        return
    raise ConfigError(
        f"Refusing to listen on {host} without API keys: set RAG_API_KEYS to protect the server, "
        "or pass --allow-remote (RAG_ALLOW_REMOTE=true) to serve it open on purpose."
    )


def bind_address(host: str) -> str:
    """The address to bind for ``host`` as a user writes it: IPv6 in URL brackets ("[::1]") without them."""
    host = host.strip()
    return host[1:-1] if host.startswith("[") and host.endswith("]") else host


def is_loopback(host: str) -> bool:
    """True for addresses only this machine can reach (127.0.0.0/8, ::1, `localhost`)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:  # a host name: it may resolve to anything
        return False


class ListenError(RagError):
    """The server cannot listen on the address asked for (in use by another program, or not this machine's)."""


def claim(host: str, port: int) -> socket.socket:
    """A socket bound to ``host:port`` before anything slow starts, so a busy port fails at once, in one line."""
    try:
        family, kind, proto, _, address = socket.getaddrinfo(
            host, port, type=socket.SOCK_STREAM, flags=socket.AI_PASSIVE
        )[0]
        sock = socket.socket(family, kind, proto)
    except OSError as exc:
        raise ListenError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from exc
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: restarts need no wait
        sock.bind(address)
    except OSError as exc:
        sock.close()
        if exc.errno == errno.EADDRINUSE:
            raise ListenError(
                f"Port {port} on {host} is in use by another program: stop it, or choose another port "
                "with --port (RAG_PORT)."
            ) from exc
        raise ListenError(f"Cannot listen on {host}:{port}: {exc.strerror or exc}.") from exc
    return sock


def serve(settings: Settings, host: str, port: int) -> None:
    """Serve the chat on ``host:port`` until interrupted, with the model loaded before the first question.

    Raises ListenError, before loading anything, when the address cannot be used.
    """
    host = bind_address(host)
    check_exposure(settings, host)
    sock = claim(host, port)
    # The bound address is one of the Host names the server answers (ui/api/guard.py).
    assistant = Assistant(settings.model_copy(update={"host": host}))
    try:
        # Building the Config sets up logging, so our messages share uvicorn's format.
        # The API logs each request itself (with its id), so uvicorn's access log is off.
        config = uvicorn.Config(
            create_app(assistant), host=host, port=port, log_config=_log_config(settings.log_level),
            log_level=settings.log_level, timeout_graceful_shutdown=SHUTDOWN_GRACE_SECONDS, access_log=False,
            forwarded_allow_ips=list(settings.trusted_proxies),
        )  # fmt: skip
        stored = assistant.warm_up()
        if stored.articles:
            logger.info("Articles indexed: %d", stored.articles)
        else:
            logger.warning("No articles indexed yet: run `rag ingest seeds/` first.")
        logger.info("Serving the chat UI on %s", public_url(host, port))
        logger.info(
            "API docs on %sdocs%s", public_url(host, port), "" if settings.api_keys else " (no API keys set)"
        )
        ChatServer(config).run(sockets=[sock])
    finally:
        sock.close()
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


def public_url(host: str, port: int) -> str:
    """The URL a browser opens for ``host:port`` (IPv6 addresses in brackets)."""
    return f"http://[{host}]:{port}/" if ":" in host else f"http://{host}:{port}/"


def _log_config(level: str = "info") -> dict[str, Any]:
    config = copy.deepcopy(uvicorn.config.LOGGING_CONFIG)
    config["loggers"]["ui"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    config["loggers"]["rag"] = {"handlers": ["default"], "level": level.upper(), "propagate": False}
    return config
