"""The app's stylesheet and its page-wide scripts (copy buttons, opening a cited source), loaded once.

`gr.mount_gradio_app` replaces the css and js a Blocks was built with, so they travel in a
`gr.HTML` whose ``js_on_load`` adds them to the page once.
"""

from __future__ import annotations

import json
from pathlib import Path

import gradio as gr

CSS_PATH = Path(__file__).with_name("app.css")

# A click on `[n]` (or Enter on it) opens the source with that id inside the same answer (never another
# answer's), scrolls to it and moves focus to it; capture phase, so the chat does not treat it as a link.
_SCRIPT = """
if (!document.getElementById('rag-style')) {
  const style = document.createElement('style');
  style.id = 'rag-style';
  style.textContent = CSS_TEXT;
  document.head.appendChild(style);
}
if (!window.ragSidebar) {
  // The conversation sidebar covers the whole screen on phones: there it starts closed, and closes
  // again once a conversation is chosen; wider screens keep it open beside the chat.
  window.ragSidebar = true;
  const phone = window.matchMedia('(max-width: 768px)');
  window.ragCloseSidebarOnPhone = (tries = 100) => {
    if (!phone.matches) return;
    const bar = document.getElementById('sidebar');
    const toggle = bar ? bar.querySelector('.toggle-button') : null;
    if (!toggle) { if (tries > 0) setTimeout(() => window.ragCloseSidebarOnPhone(tries - 1), 20); return; }
    if (bar.classList.contains('open')) toggle.click();
  };
  window.ragCloseSidebarOnPhone();
  document.addEventListener('click', (event) => {
    const target = event.target instanceof Element ? event.target : null;
    if (target && target.closest('#sidebar button.open-conversation, #new-chat')) window.ragCloseSidebarOnPhone(0);
  });
}
if (!window.ragCopy) {
  // Any button with data-copy puts that text on the clipboard and says so in its label for a moment.
  window.ragCopy = true;
  document.addEventListener('click', (event) => {
    const button = event.target instanceof Element ? event.target.closest('button[data-copy]') : null;
    if (!button) return;
    event.preventDefault();
    event.stopPropagation();
    const label = button.textContent;
    const done = (word) => {
      button.textContent = word;
      setTimeout(() => { button.textContent = label; }, 1500);
    };
    navigator.clipboard.writeText(button.dataset.copy || '').then(() => done('Copied'), () => done('Copy failed'));
  }, true);
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
  // Escape inside an opened source closes it and puts focus back on the marker that opened it.
  document.addEventListener('keydown', (event) => {
    const source = event.key === 'Escape' && event.target instanceof Element
      ? event.target.closest('.answer details.source[open]') : null;
    if (!source) return;
    event.preventDefault();
    event.stopPropagation();
    source.open = false;
    const answer = source.closest('.answer');
    const marker = answer && Array.from(answer.querySelectorAll('a.cite'))
      .find((a) => a.getAttribute('href') === '#' + source.id);
    (marker || source.querySelector('summary')).focus();
  }, true);
}
"""


def assets() -> gr.HTML:
    """An invisible component that installs the stylesheet and the citation script."""
    script = _SCRIPT.replace("CSS_TEXT", json.dumps(CSS_PATH.read_text(encoding="utf-8")))
    return gr.HTML("", js_on_load=script, visible="hidden", elem_id="rag-assets")
