"""The answer's text from the chosen sentences: verbatim quotes, each with its ``[n]`` citation.

A quote is an exact slice of its article, so a sentence that leans on the one before ("He said ...")
is quoted from there, one the next sentence goes on from ("Moscow denies the allegations.") to its
end, and a sentence already quoted is not quoted again; each citation marks the short answer inside.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, replace

from rag.candidates import Candidate, short_going_on
from rag.citations import ABSTAIN_TEXT, citation_for, cited
from rag.features import QuestionTerms
from rag.predicates import answered_after
from rag.quote_context import adds_to_before, needs_context
from rag.quotes import answer_phrase
from rag.types import Citation


@dataclass(frozen=True)
class Pick:
    """A chosen sentence and the question part it answers (for its short answer)."""

    candidate: Candidate
    terms: QuestionTerms


def compose(picks: Sequence[Pick], heard: str = "") -> tuple[str, tuple[Citation, ...]]:
    """Answer text of verbatim quotes, each followed by ``[n]``, and the matching citations.

    A quote that needs the sentence before it (a pronoun, a bare "he said") starts there:
    the two are contiguous in the article, so the quote stays an exact slice of its text;
    unless that sentence is quoted already, which the reader has just read (a short one going on
    from it, "Russia denies this.", also when the previous answer, ``heard``, quoted it).
    """
    citations: list[Citation] = []
    for pick in picks:
        c = pick.candidate
        start = c.start
        if short_going_on(c) and c.before in heard:
            pass
        elif c.before_start >= 0 and (needs_context(c.text) or short_going_on(c)):
            before_end = c.before_start + len(c.before)
            if _quoted(citations, c.passage.article_id, c.before_start, before_end):
                pass
            elif c.lead is not None:
                # the sentence before ends another chunk (the space between is not known): it is quoted
                # on its own, first, when this one only adds to it ("No other deaths were reported.")
                if adds_to_before(c.text) or short_going_on(c):
                    citations.append(citation_for(len(citations) + 1, c.lead, c.before_start, before_end))
            else:
                start = c.before_start
        if _quoted(citations, c.passage.article_id, start, c.end):
            continue  # already quoted whole, as another part's context
        citation = citation_for(len(citations) + 1, c.passage, start, c.end)
        phrase = answer_phrase(c.text, pick.terms)
        if phrase:
            citation = replace(citation, answer_start=c.start + phrase.start, answer_end=c.start + phrase.end)
        citations.append(citation)
    text = " ".join(cited(c.quote, c.index) for c in citations)
    return text, tuple(citations)


def _quoted(citations: Sequence[Citation], article_id: str, start: int, end: int) -> bool:
    """True when one of ``citations`` already quotes the article's text from ``start`` to ``end``."""
    return any(x.article_id == article_id and x.start <= start and end <= x.end for x in citations)


def abstain_text(reason: str) -> str:
    """The abstention, led by its one-line reason when there is one."""
    return f"{reason} {ABSTAIN_TEXT}" if reason else ABSTAIN_TEXT


_QUOTE_MARK = re.compile(r"[\"“”]")


def with_words(c: Candidate) -> Candidate:
    """For "what did X say?": a sentence naming X without quoting X ("Paul Grady ... welcomed the
    fine.") quoted with the quotation after it that X is said to have said ('"It will take a decade
    ...," he said.'): one slice of the passage, one citation."""
    if (
        not c.after
        or _QUOTE_MARK.search(c.text)
        or not _QUOTE_MARK.match(c.after)
        or not needs_context(c.after)
    ):
        return c
    return _with_after(c)


def going_on(
    chosen: Sequence[Candidate], cands: Sequence[Candidate], question: str, terms: QuestionTerms, limit: int
) -> list[Candidate]:
    """For "Does Russia deny committing war crimes?": the best sentence ("Moscow also faces allegations
    ... war crimes in Ukraine.") with the next one when that one goes on to say the asked verb of it
    ("Moscow denies the allegations."): quoted as one slice, or right after it when the next sentence
    opens another chunk; at most ``limit`` quotes."""
    if not chosen:
        return []
    best = chosen[0]
    following = [
        c for c in cands if c.passage.article_id == best.passage.article_id and c.before_start == best.start
    ]
    after = following[0].text if following else best.after
    if not after or not answered_after(question, terms, best.text, best.before, after):
        return list(chosen)
    rest = [c for c in chosen[1:] if c.text != after]
    if best.after:  # the same chunk: one slice
        return [_with_after(best), *rest]
    return [best, following[0], *rest][:limit]


def _with_after(c: Candidate) -> Candidate:
    """The candidate quoted to the end of the sentence after it: one slice of the passage, one citation."""
    at = c.passage.text.find(c.after, c.end - c.passage.start)
    if at < 0:
        return c
    end = c.passage.start + at + len(c.after)
    return replace(c, end=end, text=c.passage.text[c.start - c.passage.start : at + len(c.after)], after="")


def with_before(c: Candidate) -> Candidate:
    """The candidate quoted from the start of the sentence before it ("Rovers beat Carlow United 2-1.
    Striker Mensah-Lind scored both goals."): one slice of the article, one citation."""
    start = c.before_start - c.passage.start
    return replace(
        c,
        start=c.before_start,
        text=c.passage.text[start : c.end - c.passage.start],
        before="",
        before_start=-1,
    )
