"""Chunking: whole sentences packed into chunks that fit the embedding model's window."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from dataclasses import dataclass

from rag.sentences import split_sentences
from rag.types import Chunk

TokenCounter = Callable[[str], int]

# Room kept for the [CLS]/[SEP] tokens and the newline between title and chunk.
_SPECIAL_TOKENS = 3
_MAX_TITLE_TOKENS = 32


@dataclass(frozen=True)
class ChunkPlan:
    """Sizes for one article: target and hard limit of the chunk body, in model tokens."""

    target: int
    limit: int


def plan_chunks(title: str, count_tokens: TokenCounter, target: int, window: int) -> ChunkPlan:
    """Fit the body budget to what is left of the window once the title is prepended."""
    title_tokens = min(count_tokens(title), _MAX_TITLE_TOKENS) if title else 0
    limit = max(16, window - _SPECIAL_TOKENS - title_tokens)
    return ChunkPlan(target=min(target, limit), limit=limit)


def embedding_text(title: str, body: str, count_tokens: TokenCounter) -> str:
    """What the embedder sees for a chunk: the title as context, then the chunk.

    A very long title is shortened here (and only here) so the chunk body always fits.
    """
    if not title:
        return body
    words = title.split()
    while len(words) > 1 and count_tokens(" ".join(words)) > _MAX_TITLE_TOKENS:
        words.pop()
    return f"{' '.join(words)}\n{body}"


def split_article(
    article_id: str, title: str, text: str, count_tokens: TokenCounter, target: int, window: int
) -> list[Chunk]:
    """Pack consecutive sentences into chunks of about ``target`` tokens, never over the window.

    A sentence longer than the limit is cut at word boundaries into pieces that fit, so
    nothing is silently truncated by the model.
    """
    plan = plan_chunks(title, count_tokens, target, window)
    pieces = [
        p for s, e in split_sentences(text) for p in _fit_sentence(text, s, e, count_tokens, plan.limit)
    ]
    chunks: list[Chunk] = []
    group: list[tuple[int, int]] = []
    tokens = 0
    for start, end, n in pieces:
        if group and (tokens + n > plan.limit or tokens >= plan.target):
            chunks.append(_make_chunk(article_id, len(chunks), text, group[0][0], group[-1][1]))
            group, tokens = [], 0
        group.append((start, end))
        tokens += n
    if group:
        chunks.append(_make_chunk(article_id, len(chunks), text, group[0][0], group[-1][1]))
    return chunks


def _fit_sentence(
    text: str, start: int, end: int, count_tokens: TokenCounter, limit: int
) -> list[tuple[int, int, int]]:
    # Joining sentences adds a token or so at the seams; count with a margin of one.
    n = count_tokens(text[start:end]) + 1
    if n <= limit:
        return [(start, end, n)]
    pieces: list[tuple[int, int, int]] = []
    piece_start = start
    last_space = -1
    position = start
    while position < end:
        if text[position].isspace():
            if count_tokens(text[piece_start:position]) + 1 > limit and last_space > piece_start:
                pieces.append((piece_start, last_space, count_tokens(text[piece_start:last_space]) + 1))
                piece_start = last_space + 1
            last_space = position
        position += 1
    while count_tokens(text[piece_start:end]) + 1 > limit and last_space > piece_start:
        pieces.append((piece_start, last_space, count_tokens(text[piece_start:last_space]) + 1))
        piece_start = last_space + 1
    pieces.append((piece_start, end, count_tokens(text[piece_start:end]) + 1))
    return pieces


def _make_chunk(article_id: str, seq: int, text: str, start: int, end: int) -> Chunk:
    body = text[start:end]
    digest = hashlib.sha256(f"{article_id}\x00{start}\x00{body}".encode()).hexdigest()[:24]
    return Chunk(id=f"{article_id}:{digest}", article_id=article_id, seq=seq, start=start, end=end, text=body)
