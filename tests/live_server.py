"""A real uvicorn server on a free loopback port, in a background thread, for HTTP tests."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import uvicorn

from rag import Article, Assistant, Settings
from ui.server import ChatServer, create_app


def free_port() -> int:
    """A port nothing listens on right now."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@contextmanager
def live_server(assistant: Assistant) -> Iterator[str]:
    """The app of ``assistant`` served until the block ends; yields its base URL (no trailing slash)."""
    config = uvicorn.Config(
        create_app(assistant), host="127.0.0.1", port=free_port(), log_level="warning", access_log=False
    )
    server = ChatServer(config)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout=15)


@contextmanager
def serving_articles(data_dir: Path, articles: list[Article], **settings: Any) -> Iterator[str]:
    """``live_server`` over a fresh data folder holding ``articles`` (hash embedding: for tests about
    requests, not answers); ``settings`` are further Settings fields."""
    assistant = Assistant(Settings(data_dir=data_dir, embedding_backend="hash", **settings))
    try:
        assert assistant.ingest(articles).ok
        with live_server(assistant) as url:
            yield url
    finally:
        assistant.close()
