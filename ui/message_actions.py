"""The toolbar under an answer: copy it with its numbered sources, ask its question again, rate it.

The chat sanitises its HTML (data-* and aria-* attributes are removed), so each button carries
what it acts on in its ``value`` and the toolbar its exchange id in its ``id``; ``ui/app.js`` reads
them. Values are escaped, and their newlines written as ``&#10;``: a literal newline would end the
HTML block in the chat's markdown.
"""

from __future__ import annotations

from rag.citations import plain_answer
from rag.types import Answer, Feedback
from ui.answer_html import attribute

RATINGS = ((1, "Good answer"), (-1, "Bad answer"))


def render_actions(
    question: str, answer: Answer, exchange_id: int | None, feedback: Feedback | None = None
) -> str:
    """The toolbar for a saved answer (rating needs its ``exchange_id``; without one it is left out)."""
    buttons = [
        _button("copy", plain_answer(answer), "Copy answer", "Copy the answer with its numbered sources"),
        _button("ask-again", question, "Ask again", "Ask this question again with the current settings"),
    ]
    if exchange_id is not None:
        chosen = feedback.rating if feedback else None
        buttons += [
            _button(f"rate{' chosen' if value == chosen else ''}", str(value), label, "Rate this answer")
            for value, label in RATINGS
        ]
    toolbar_id = f' id="exchange-{exchange_id}"' if exchange_id is not None else ""
    return f'<div class="actions"{toolbar_id} role="group">{"".join(buttons)}</div>'


def _button(kind: str, value: str, label: str, title: str) -> str:
    return f'<button type="button" class="action {kind}" value="{attribute(value)}" title="{title}">{label}</button>'
