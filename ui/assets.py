"""The chat's stylesheet and its one script (opening a cited source), loaded by an invisible component.

`gr.mount_gradio_app` replaces the css and js a Blocks was built with, so they travel in a
`gr.HTML` whose ``js_on_load`` adds them to the page once.
"""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

CSS_PATH = Path(__file__).with_name("app.css")

# A click on `[n]` opens the source with that id inside the same answer (never another answer's),
# scrolls to it and moves focus to it; capture phase, so the chat does not treat it as a link.
_SCRIPT = """
if (!document.getElementById('rag-style')) {
  const style = document.createElement('style');
  style.id = 'rag-style';
  style.textContent = CSS_TEXT;
  document.head.appendChild(style);
}
if (!window.ragCitations) {
  window.ragCitations = true;
  document.addEventListener('click', (event) => {
    const link = event.target instanceof Element ? event.target.closest('a.cite') : null;
    const answer = link ? link.closest('.answer') : null;
    if (!answer) return;
    event.preventDefault();
    event.stopPropagation();
    const id = (link.getAttribute('href') || '').slice(1);
    const source = Array.from(answer.querySelectorAll('details.source')).find((d) => d.id === id);
    if (!source) return;
    source.open = true;
    source.classList.remove('flash');
    void source.offsetWidth;
    source.classList.add('flash');
    source.scrollIntoView({block: 'nearest'});
    const summary = source.querySelector('summary');
    if (summary) summary.focus({preventScroll: true});
  }, true);
}
"""


def assets() -> gr.HTML:
    """An invisible component that installs the stylesheet and the citation script."""
    script = _SCRIPT.replace("CSS_TEXT", json.dumps(CSS_PATH.read_text(encoding="utf-8")))
    return gr.HTML("", js_on_load=script, visible="hidden", elem_id="rag-assets")
