"""A test double of an OpenAI-compatible chat server: scripted replies over real HTTP on loopback.

``ScriptedChatServer`` serves ``POST /v1/chat/completions`` (plain JSON, or SSE chunks when the
request says ``"stream": true``) from a background thread on a free 127.0.0.1 port. It answers
with the scripted ``Reply`` objects in order and records every request body it received, so tests
run the real ``ChatOpenAI`` client, the real openai SDK and real httpx against it.
"""

from __future__ import annotations

import contextlib
import json
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass(frozen=True)
class Reply:
    """One scripted response: a chat completion, an HTTP error, or a raw (garbage) body."""

    content: str = ""
    status: int = 200
    delay: float = 0.0  # seconds to wait before answering (a slow model)
    chunks: tuple[str, ...] = ()  # how a streamed reply is cut; default: word by word
    chunk_delay: float = 0.0
    raw: str | None = None  # sent as-is instead of a JSON completion
    headers: dict[str, str] = field(default_factory=dict)
    # Writes the content from the request body, for replies that depend on the prompt
    # (e.g. citing whichever source number the retriever gave an article).
    compose: Callable[[dict[str, Any]], str] | None = None

    def text(self, body: dict[str, Any]) -> str:
        """The reply's content for this request."""
        return self.compose(body) if self.compose else self.content

    def pieces(self, body: dict[str, Any]) -> list[str]:
        """The streamed deltas of the content."""
        if self.chunks:
            return list(self.chunks)
        words = self.text(body).split(" ")
        return [w if i == 0 else " " + w for i, w in enumerate(words)]


class ScriptedChatServer:
    """The test double; use as a context manager, ``base_url`` is what ChatOpenAI needs."""

    def __init__(self, replies: list[Reply] | None = None) -> None:
        self.replies: list[Reply] = list(replies or [])
        self.requests: list[dict[str, Any]] = []
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever, args=(0.05,), name="chat-double", daemon=True
        )

    @property
    def port(self) -> int:
        """The free port the server bound."""
        return int(self._httpd.server_address[1])

    @property
    def base_url(self) -> str:
        """``http://127.0.0.1:<port>/v1``, the setting an OpenAI client takes."""
        return f"http://127.0.0.1:{self.port}/v1"

    def script(self, *replies: Reply) -> None:
        """Queue more replies."""
        with self._lock:
            self.replies.extend(replies)

    def next_reply(self, body: dict[str, Any]) -> Reply:
        """Record the request and hand out the next scripted reply (a 500 once the script runs out)."""
        with self._lock:
            self.requests.append(body)
            if self.replies:
                return self.replies.pop(0)
        return Reply(
            status=500, raw=json.dumps({"error": {"message": "ScriptedChatServer: script exhausted"}})
        )

    def __enter__(self) -> ScriptedChatServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


def _handler_for(server: ScriptedChatServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, format: str, *args: Any) -> None:  # keep pytest output clean
            pass

        def do_POST(self) -> None:
            if self.path.rstrip("/") != "/v1/chat/completions":
                self._send(404, json.dumps({"error": {"message": f"no route {self.path}"}}))
                return
            length = int(self.headers.get("Content-Length", "0"))
            body = json.loads(self.rfile.read(length) or b"{}")
            reply = server.next_reply(body)
            time.sleep(reply.delay)
            # The client may have given up (a timeout under test): nothing left to tell it.
            with contextlib.suppress(BrokenPipeError, ConnectionResetError):
                self._answer(reply, body)

        def _answer(self, reply: Reply, body: dict[str, Any]) -> None:
            if reply.raw is not None or reply.status != 200:
                error = json.dumps({"error": {"message": f"scripted status {reply.status}"}})
                self._send(reply.status, reply.raw if reply.raw is not None else error, reply.headers)
            elif body.get("stream"):
                self._stream(reply, body)
            else:
                self._send(200, json.dumps(_completion(reply.text(body), str(body.get("model", "")))))

        def _send(self, status: int, text: str, headers: dict[str, str] | None = None) -> None:
            data = text.encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            for name, value in (headers or {}).items():
                self.send_header(name, value)
            self.end_headers()
            self.wfile.write(data)

        def _stream(self, reply: Reply, body: dict[str, Any]) -> None:
            self.send_response(200)
            self.send_header("Content-Type", "text/event-stream")
            self.send_header("Cache-Control", "no-cache")
            self.end_headers()  # HTTP/1.0: the body ends when the connection closes
            for event in _sse_events(reply, body):
                self.wfile.write(event.encode())
                self.wfile.flush()
                time.sleep(reply.chunk_delay)

    return Handler


def _completion(content: str, model: str) -> dict[str, Any]:
    return {
        "id": "chatcmpl-double",
        "object": "chat.completion",
        "created": int(time.time()),
        "model": model,
        "choices": [
            {"index": 0, "message": {"role": "assistant", "content": content}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 1, "completion_tokens": 1, "total_tokens": 2},
    }


def _sse_events(reply: Reply, body: dict[str, Any]) -> Iterator[str]:
    model = str(body.get("model", ""))

    def chunk(delta: dict[str, str], finish: str | None) -> str:
        payload = {
            "id": "chatcmpl-double",
            "object": "chat.completion.chunk",
            "created": int(time.time()),
            "model": model,
            "choices": [{"index": 0, "delta": delta, "finish_reason": finish}],
        }
        return f"data: {json.dumps(payload)}\n\n"

    yield chunk({"role": "assistant", "content": ""}, None)
    for piece in reply.pieces(body):
        yield chunk({"content": piece}, None)
    yield chunk({}, "stop")
    yield "data: [DONE]\n\n"


_SOURCE_BLOCK = re.compile(r'<source id="(\d+)"[^>]*>\n(.*?)\n</source>', re.DOTALL)


def user_text(body: dict[str, Any]) -> str:
    """The last user message of a recorded request."""
    return next(str(m["content"]) for m in reversed(body["messages"]) if m["role"] == "user")


def sources_in(body: dict[str, Any]) -> dict[int, str]:
    """Source number -> text of each ``<source>`` block the request's user message holds."""
    return {int(n): text for n, text in _SOURCE_BLOCK.findall(user_text(body))}


def source_with(body: dict[str, Any], needle: str) -> int:
    """The number of the source whose text contains ``needle``."""
    return next(n for n, text in sources_in(body).items() if needle in text)
