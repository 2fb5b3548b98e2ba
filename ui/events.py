"""How the UI's events are registered, and what custom HTML components send with theirs."""

from __future__ import annotations

from typing import Any

import gradio as gr

# Only `/chat` is meant for programs; the UI's own events stay off the API page.
HIDDEN: Any = {"api_visibility": "undocumented"}
# Quick steps (showing, hiding, re-rendering) skip the queue, so they never wait behind an answer,
# and show no progress: Gradio would dim their outputs to 20% opacity while they run and fade them
# back in, a flicker on every click (and text under AA contrast for an instant).
QUICK: Any = {"queue": False, "show_progress": "hidden", **HIDDEN}


def event_data(event: gr.EventData) -> dict[str, Any]:
    """The payload a custom HTML component sent with its event (empty when it sent none)."""
    data = getattr(event, "_data", None)
    return data if isinstance(data, dict) else {}
