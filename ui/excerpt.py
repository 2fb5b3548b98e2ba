"""The paragraph around a quoted sentence, cut from the article text so the quote can be shown in place."""

from __future__ import annotations

from dataclasses import dataclass

# How much of an unbroken text (a PDF page, a one-line scrape) is kept on each side of the quote.
CONTEXT_CHARS = 400
# A quote that is (nearly) its whole paragraph, as in one-sentence news paragraphs, is shown with
# the paragraphs on either side so there is something around it.
MIN_CONTEXT_CHARS = 120
PARAGRAPH_BREAK = "\n\n"


@dataclass(frozen=True)
class Excerpt:
    """A quote with the text before and after it in its paragraph; ``quote`` is verbatim."""

    before: str
    quote: str
    after: str


def paragraph_around(text: str, start: int, end: int, limit: int = CONTEXT_CHARS) -> Excerpt:
    """The paragraph (blank-line separated) holding ``text[start:end]``, trimmed to ``limit`` per side.

    When the paragraph is little more than the quote, its neighbours come along.
    """
    if not 0 <= start <= end <= len(text):
        raise ValueError(f"span {start}:{end} is outside a text of {len(text)} characters")
    begin, finish = _paragraph_start(text, start), _paragraph_end(text, end)
    if (start - begin) + (finish - end) < MIN_CONTEXT_CHARS:
        begin = _paragraph_start(text, max(begin - len(PARAGRAPH_BREAK), 0))
        finish = _paragraph_end(text, min(finish + len(PARAGRAPH_BREAK), len(text)))
    before, after = text[begin:start], text[end:finish]
    return Excerpt(_keep_end(before, limit), text[start:end], _keep_start(after, limit))


def _paragraph_start(text: str, at: int) -> int:
    found = text.rfind(PARAGRAPH_BREAK, 0, at)
    return 0 if found < 0 else found + len(PARAGRAPH_BREAK)


def _paragraph_end(text: str, at: int) -> int:
    found = text.find(PARAGRAPH_BREAK, at)
    return len(text) if found < 0 else found


def _keep_end(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    tail = text[-limit:]
    cut = tail.find(" ")
    return "…" + (tail[cut + 1 :] if 0 <= cut < limit // 2 else tail)


def _keep_start(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    head = text[:limit]
    cut = head.rfind(" ")
    return (head[:cut] if cut > limit // 2 else head) + "…"
