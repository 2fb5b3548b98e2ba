"""The candidate sentences of an extractive answer: each sentence of the retrieved passages, read with its neighbours.

A sentence is quoted as it stands in its article, so each candidate keeps its article offsets and the
sentences either side of it, from the chunk before or from the passage's surroundings when it opens
or ends its chunk ("He said ..." needs the sentence naming him). ``shortlist`` picks the few worth
embedding when no vector was stored for them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace

from rag.quote_context import goes_on_from, needs_context
from rag.referents import named_heads, referents
from rag.sentences import sentence_between, split_sentences
from rag.terms import content_terms
from rag.types import Passage

# What a lower passage rank costs a sentence on the shortlist to embed, against the share of the
# question's words it has.
RANK_WEIGHT = 0.05
# A sentence shorter than this is no candidate, unless it goes on from the one before ("Russia denies this.").
MIN_SENTENCE_CHARS = 25


@dataclass(frozen=True)
class Candidate:
    """One sentence of a retrieved passage, with article offsets, its neighbours and its score."""

    passage: Passage
    rank: int
    start: int
    end: int
    text: str
    before: str = ""
    before_start: int = -1  # article offset of the sentence before (-1: none)
    after: str = ""
    similarity: float = 0.0
    score: float = 0.0  # the selector's probability that this sentence answers
    lead: Passage | None = None  # the passage ``before`` is from, when it ends the previous chunk
    refers: str = ""  # the names its "the hospital" stands for in its article (``rag.referents``)


def coverage(question_terms: set[str], sentence: str) -> float:
    """Share of the question's content words that the sentence contains."""
    if not question_terms:
        return 0.0
    return len(question_terms & content_terms(sentence)) / len(question_terms)


def candidates(
    passages: Sequence[Passage], surroundings: Mapping[str, Passage] | None = None
) -> list[Candidate]:
    """Sentences of the passages (article offsets), each once, too-short fragments left out; with
    their ``surroundings`` (``AnswerRequest.surroundings``), a passage's first and last sentences are
    read beside the sentences around them, and the sentence after it joins when it goes on from it."""
    found: dict[tuple[str, int], Candidate] = {}
    around = surroundings or {}
    heads = {article: named_heads(t) for article, t in article_texts(passages).items()}
    going: list[Candidate] = []  # taken after every retrieved sentence, which keeps its own rank
    for rank, passage in enumerate(passages):
        named = heads[passage.article_id]
        cands = _sentences_of(passage, rank, passages, around.get(passage.chunk_id), named)
        for cand in cands:
            key = (passage.article_id, cand.start)
            if key not in found and (len(cand.text) >= MIN_SENTENCE_CHARS or short_going_on(cand)):
                found[key] = cand
        if cands and passage.chunk_id in around and (after := _going_on_after(cands[-1], named)):
            going.append(after)
    for cand in going:
        found.setdefault((cand.passage.article_id, cand.start), cand)
    return list(found.values())


def _sentences_of(
    passage: Passage, rank: int, passages: Sequence[Passage], wide: Passage | None, heads: dict[str, str]
) -> list[Candidate]:
    """One passage's candidate sentences, read in ``wide`` (its surroundings) when given, else beside
    the other retrieved passages."""
    spans = split_sentences(passage.text)
    cands: list[Candidate] = []
    for i, (s, e) in enumerate(spans):
        text = passage.text[s:e]
        before = spans[i - 1] if i > 0 else None
        after = spans[i + 1] if i + 1 < len(spans) else None
        cand = Candidate(
            passage, rank, passage.start + s, passage.start + e, text,
            before=passage.text[before[0] : before[1]] if before else "",
            before_start=passage.start + before[0] if before else -1,
            after=passage.text[after[0] : after[1]] if after else "",
            refers=referents(text, heads),
        )  # fmt: skip
        if wide is not None:
            cand = _in_surroundings(cand, wide, i == 0, i + 1 == len(spans))
        elif i == 0 and (lead := _lead_in(passage, passages)):
            other, start, end = lead
            cand = replace(
                cand, before=other.text[start - other.start : end - other.start],
                before_start=start, lead=other,
            )  # fmt: skip
        cands.append(cand)
    return cands


def _in_surroundings(cand: Candidate, wide: Passage, first: bool, last: bool) -> Candidate:
    """The candidate as a sentence of ``wide``, its passage stretched over the chunks either side: the
    first sentence has the one before it and the last the one after, contiguous in the article, so
    one slice quotes both ("He said ..." opening a chunk goes with the sentence naming him)."""
    cand = replace(cand, passage=wide)
    if first and (head := sentence_between(wide, wide.start, cand.start, last=True)):
        cand = replace(cand, before=head[2], before_start=head[0])
    if last and (tail := sentence_between(wide, cand.end, wide.end)):
        cand = replace(cand, after=tail[2])
    return cand


def _going_on_after(last: Candidate, heads: dict[str, str]) -> Candidate | None:
    """The sentence after a passage's ``last`` one, from its surroundings, when it needs that one to
    be understood: a speaker's quotation going on ('"If your child ...," she said.' after "..., said
    Dr Naomi Achebe") is theirs, and what it says is part of what the passage tells."""
    wide = last.passage
    found = sentence_between(wide, last.end, wide.end)
    if found is None or not needs_context(found[2]):
        return None
    start, end, text = found
    tail = sentence_between(wide, end, wide.end)
    return Candidate(
        wide, last.rank, start, end, text, before=last.text, before_start=last.start,
        after=tail[2] if tail else "", refers=referents(text, heads),
    )  # fmt: skip


def read_whole(c: Candidate) -> str:
    """What a candidate says, to embed: a short one going on from the sentence before with that one."""
    return f"{c.before} {c.text}" if short_going_on(c) else c.text


def short_going_on(c: Candidate) -> bool:
    """True for a sentence too short to stand alone ("Russia denies this.") that goes on from the one
    before it: quotable, with that sentence before it (``rag.composition.compose``)."""
    return len(c.text) < MIN_SENTENCE_CHARS and bool(c.before) and goes_on_from(c.before, c.text)


def _lead_in(passage: Passage, passages: Sequence[Passage]) -> tuple[Passage, int, int] | None:
    """The sentence just before ``passage`` in its article, when another retrieved passage ends with it
    (its passage and article offsets): "No other deaths were reported." opening a chunk still has
    "A 67-year-old man died ..." before it."""
    for other in passages:
        gap = passage.start - (other.start + len(other.text))
        if other.article_id == passage.article_id and 0 <= gap <= _SEAM and other.text:
            spans = split_sentences(other.text)
            if spans:
                s, e = spans[-1]
                return other, other.start + s, other.start + e
    return None


# Characters between two chunks of an article: the whitespace between the sentences they end and open.
_SEAM = 2


def shortlist(cands: Sequence[Candidate], question_terms: set[str], limit: int | None) -> list[Candidate]:
    """The ``limit`` candidates most worth embedding, by question-word coverage and passage rank.

    Embedding dominates the cost of an answer; sentences that share no word with the
    question and sit in low-ranked passages rarely win, so they are not embedded at all.
    """
    if limit is None or len(cands) <= limit:
        return list(cands)
    order = sorted(
        range(len(cands)),
        key=lambda i: (-(coverage(question_terms, cands[i].text) - RANK_WEIGHT * cands[i].rank), i),
    )
    return [cands[i] for i in sorted(order[:limit])]


def article_texts(passages: Sequence[Passage]) -> dict[str, list[str]]:
    """Each article's title and retrieved passage texts, in passage order."""
    found: dict[str, list[str]] = {}
    for p in passages:
        found.setdefault(p.article_id, [p.title]).append(p.text)
    return found
