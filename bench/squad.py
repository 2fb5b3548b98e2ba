"""The vendored SQuAD 2.0 dev set as articles (one per Wikipedia title) and questions.

Gold answers are moved from paragraph offsets to offsets in the article text the
assistant stores, so retrieval can be judged by span containment rather than by string
search (many answers, such as years, occur more than once in an article).
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

DATA_FILE = Path(__file__).resolve().parent / "data" / "squad2-dev" / "dev-v2.0.json"
PARAGRAPH_SEPARATOR = "\n\n"

# What the project's cleaner drops or turns into spaces; doing the same here keeps the
# article text we pass in identical to the text the assistant stores.
_DROPPED = frozenset("\u200b\ufeff")
_SPACE = re.compile(r"\s")


@dataclass(frozen=True)
class Gold:
    """One gold answer: its text and its ``[start, end)`` offsets in the article text."""

    start: int
    end: int
    text: str


@dataclass(frozen=True)
class SquadArticle:
    """One Wikipedia article: paragraphs joined by blank lines, whitespace already normalised."""

    id: str
    title: str
    text: str


@dataclass(frozen=True)
class SquadQuestion:
    """A question about one article; unanswerable ones (SQuAD 2.0) have no gold answers."""

    id: str
    question: str
    article_id: str
    answers: tuple[Gold, ...]
    is_impossible: bool


@dataclass(frozen=True)
class SquadSet:
    """Every article and question of the file."""

    articles: tuple[SquadArticle, ...]
    questions: tuple[SquadQuestion, ...]

    @property
    def answerable(self) -> list[SquadQuestion]:
        """Questions with at least one gold answer."""
        return [q for q in self.questions if not q.is_impossible and q.answers]

    @property
    def unanswerable(self) -> list[SquadQuestion]:
        """SQuAD 2.0's questions written to look answerable from a paragraph that does not answer them."""
        return [q for q in self.questions if q.is_impossible]


def normalize_paragraph(raw: str) -> tuple[str, list[int]]:
    """Whitespace runs collapsed to one space, ends stripped, zero-width marks dropped.

    Also returns, for every raw offset (and one past the end), the matching offset in the
    normalised text, so answer offsets can follow the text.
    """
    out: list[str] = []
    mapping: list[int] = []
    for ch in raw:
        mapping.append(len(out))
        if ch in _DROPPED:
            continue
        if _SPACE.match(ch):
            if out and out[-1] != " ":
                out.append(" ")
            continue
        out.append(ch)
    mapping.append(len(out))
    if out and out[-1] == " ":
        out.pop()
        mapping = [min(m, len(out)) for m in mapping]
    return "".join(out), mapping


def _golds(qa: dict, mapping: list[int], offset: int, text: str) -> tuple[Gold, ...]:
    spans: dict[tuple[int, int], Gold] = {}
    for answer in qa.get("answers", []):
        raw_start = int(answer["answer_start"])
        raw_end = raw_start + len(answer["text"])
        start, end = offset + mapping[raw_start], offset + mapping[raw_end]
        while end > start and text[end - 1] == " ":
            end -= 1  # an answer ending in a space that the normalisation collapsed
        # The answer's own text, normalised like the paragraph: a run checks it against the stored text.
        spans.setdefault((start, end), Gold(start, end, normalize_paragraph(answer["text"])[0]))
    return tuple(spans.values())


def _article(entry: dict) -> tuple[SquadArticle, list[SquadQuestion]]:
    article_id = str(entry["title"])
    parts: list[str] = []
    pending: list[tuple[dict, list[int], int]] = []
    offset = 0
    for paragraph in entry["paragraphs"]:
        text, mapping = normalize_paragraph(paragraph["context"])
        parts.append(text)
        pending.extend((qa, mapping, offset) for qa in paragraph["qas"])
        offset += len(text) + len(PARAGRAPH_SEPARATOR)
    full = PARAGRAPH_SEPARATOR.join(parts)
    questions = [
        SquadQuestion(
            id=str(qa["id"]),
            question=str(qa["question"]),
            article_id=article_id,
            answers=_golds(qa, mapping, start, full),
            is_impossible=bool(qa.get("is_impossible", False)),
        )
        for qa, mapping, start in pending
    ]
    return SquadArticle(article_id, article_id.replace("_", " "), full), questions


def load_squad(path: Path = DATA_FILE) -> SquadSet:
    """Parse a SQuAD 2.0 JSON file; article ids are the SQuAD titles (no spaces, stable)."""
    data = json.loads(path.read_text(encoding="utf-8"))
    articles: list[SquadArticle] = []
    questions: list[SquadQuestion] = []
    for entry in data["data"]:
        article, qs = _article(entry)
        articles.append(article)
        questions.extend(qs)
    return SquadSet(tuple(articles), tuple(questions))


def sample(questions: Sequence[SquadQuestion], limit: int | None) -> list[SquadQuestion]:
    """A deterministic sample: questions ordered by a hash of their id, the first ``limit`` kept.

    Hash order (not file order) spreads the sample over all articles, and a smaller
    sample is always a subset of a larger one.
    """
    ordered = sorted(questions, key=lambda q: hashlib.sha256(q.id.encode()).hexdigest())
    return ordered if limit is None else ordered[:limit]


def split_articles(articles: Sequence[SquadArticle]) -> tuple[list[SquadArticle], list[SquadArticle]]:
    """Alternate articles (in file order) into an indexed half and a held-out half."""
    return list(articles[0::2]), list(articles[1::2])


def first_articles(squad: SquadSet, n: int | None) -> SquadSet:
    """The first ``n`` articles in file order and only their questions (all when ``n`` is None)."""
    if n is None:
        return squad
    kept = squad.articles[:n]
    ids = {a.id for a in kept}
    return SquadSet(kept, tuple(q for q in squad.questions if q.article_id in ids))
