"""The app's stylesheet and page-wide script (copy buttons, citations, answer actions), loaded once.

`gr.mount_gradio_app` replaces the css and js a Blocks was built with, so they travel in a
`gr.HTML` whose ``js_on_load`` adds them to the page once. The script's ``trigger`` calls are the
component's events: ``click`` rates an answer, ``select`` opens a cited article (``ui/app.py``).
"""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

CSS_PATH = Path(__file__).with_name("app.css")
SCRIPT_PATH = Path(__file__).with_name("app.js")


def assets() -> gr.HTML:
    """An invisible component that installs the stylesheet and the script, and sends their events."""
    css = json.dumps(CSS_PATH.read_text(encoding="utf-8"))
    script = SCRIPT_PATH.read_text(encoding="utf-8").replace("CSS_TEXT", css)
    return gr.HTML("", js_on_load=script, visible="hidden", elem_id="rag-assets")
