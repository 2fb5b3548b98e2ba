"""Pure helpers shared by answerers: numbering citations and the wording of an abstention."""

from __future__ import annotations

import bisect
from collections.abc import Mapping, Sequence
from dataclasses import replace

from rag.types import Answer, Citation, Passage

ABSTAIN_TEXT = (
    "I could not find the answer to that in the articles. The closest sources are listed below; "
    "try rephrasing, or add articles that cover it."
)


def page_of(offset: int, page_starts: Sequence[int]) -> int | None:
    """1-based page holding ``offset`` in a PDF's text, or None for other articles."""
    if not page_starts:
        return None
    return bisect.bisect_right(list(page_starts), offset) or 1


def citation_for(index: int, passage: Passage, start: int, end: int) -> Citation:
    """A citation quoting ``[start, end)`` of the passage's article (offsets are article offsets)."""
    quote = passage.text[start - passage.start : end - passage.start]
    return Citation(
        index=index, article_id=passage.article_id, title=passage.title, url=passage.url,
        published=passage.published, quote=quote, start=start, end=end,
    )  # fmt: skip


def with_pages(answer: Answer, page_starts: Mapping[str, Sequence[int]]) -> Answer:
    """The answer with each citation's PDF page filled in from its article's page offsets."""
    if not any(page_starts.get(c.article_id) for c in answer.citations):
        return answer
    cited = tuple(
        replace(c, page=page_of(c.start, page_starts.get(c.article_id, ()))) for c in answer.citations
    )
    return replace(answer, citations=cited)


def format_sources(citations: Sequence[Citation]) -> str:
    """A numbered source list for plain-text outputs (CLI, chat clients)."""
    lines = []
    for c in citations:
        date = f" ({c.published.isoformat()})" if c.published else ""
        date += f", page {c.page}" if c.page else ""
        link = f" <{c.url}>" if c.url else ""
        lines.append(f'[{c.index}] {c.title}{date}{link}\n    "{c.quote}"')
    return "\n".join(lines)
