"""Adapting the Assistant's synchronous event generator to an async Server-Sent Events body."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any

from starlette.concurrency import iterate_in_threadpool, run_in_threadpool

from rag.types import StreamEvent

SSE_RESPONSE: dict[int | str, dict[str, Any]] = {
    200: {
        "description": "A `text/event-stream` of Server-Sent Events.",
        "content": {
            "text/event-stream": {
                "schema": {
                    "type": "object",
                    "properties": {"event": {"type": "string"}, "data": {"type": "string"}},
                    "required": ["data"],
                }
            }
        },
    }
}
"""The OpenAPI entry of a streaming route's success."""


async def start(events: Iterator[StreamEvent]) -> Iterator[StreamEvent]:
    """Run the stream up to its first event, so a bad question or an empty index raises now,
    while the response can still be a 4xx, rather than in the middle of a 200 stream."""
    first = await run_in_threadpool(next, events, None)
    return iter(()) if first is None else _prepend(first, events)


async def in_threadpool(events: Iterator[StreamEvent]) -> AsyncIterator[StreamEvent]:
    """The events, each computed off the event loop."""
    async for event in iterate_in_threadpool(events):
        yield event


def sse(event: str, data: str) -> str:
    """One Server-Sent Event; ``data`` must be a single line (JSON is)."""
    return f"event: {event}\ndata: {data}\n\n"


def _prepend(first: StreamEvent, rest: Iterator[StreamEvent]) -> Iterator[StreamEvent]:
    yield first
    yield from rest
