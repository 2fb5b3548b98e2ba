"""Questions that ask several things at once: each part gets its own quote.

"How many passengers were on the ferry, and how many are still missing?" has two parts;
"Compare Acme's and Globex's profits" asks the same thing about two subjects, and each
subject is searched for on its own so neither crowds the other out of the passages.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import replace

from rag.follow_ups import search_query
from rag.mentions import find_mentions
from rag.retrieval import Retrieval, Retriever
from rag.types import DateWindow, Passage, SearchFilter

_WH = r"(?:who|whom|whose|what|which|when|where|why|how|did|does|do|is|are|was|were|has|have)"
# A new question starts after ", and", "; ", "? " or " and " when a question word follows.
_SPLIT = re.compile(
    rf"(?:\s*[,;]\s*(?:and\s+(?:also\s+)?|but\s+|also\s+|plus\s+|as\s+well\s+as\s+)?|\?\s+"
    rf"|\s+(?:and|plus|as\s+well\s+as)\s+(?:also\s+)?)(?={_WH}\b)",
    re.I,
)
_COMPARE = re.compile(
    r"\b(?:compare|comparison|compared|comparing|differ(?:ence|ent|s)?|versus|vs\.?|between)\b"
    # "Who got more votes, Rivera or Chen?": a comparative, then the subjects as alternatives
    r"|\b(?:more|less|fewer|higher|lower|bigger|larger|smaller|greater|better|worse|longer|shorter)\b(?=[^?]*\bor\b)",
    re.IGNORECASE,
)
_NOT_SUBJECTS = frozenset(
    {"compare", "how", "what", "which", "who", "whose", "did", "was", "were", "is", "are"}
)
_MIN_PART_WORDS = 3
_TAIL = r"(?:\s+(?!(?:in|on|at|of|for|with|to|from|by|than|or|and)\b)[a-z][\w-]*){0,2}"
_LINK = r"(?:,?\s*\band\b|\bwith\b|\bto\b|\bor\b|\bvs\.?|\bversus\b|,)"
_TWO_WH = re.compile(
    r"^(?P<a>when|where|why|how|who)\s+and\s+(?P<b>when|where|why|how|who)\s+(?P<rest>.+)$", re.I
)
_TRAILING_WH = re.compile(
    r"^(?P<first>(?P<wh>\w+)\s+(?P<rest>.+?))[,;]?\s+and\s+(?P<b>when|where|why|how)\??$", re.I
)


def question_parts(question: str) -> list[str]:
    """The separate questions inside ``question`` (itself alone when it asks one thing)."""
    text = question.strip()
    if two := _TWO_WH.match(text):
        rest = two["rest"].rstrip("?")
        return [f"{two['a'].capitalize()} {rest}?", f"{two['b'].capitalize()} {rest}?"]
    if trailing := _TRAILING_WH.match(text):
        rest = trailing["rest"].rstrip("?")
        return [f"{trailing['first'].rstrip('?')}?", f"{trailing['b'].capitalize()} {rest}?"]
    parts = [p.strip(" ,;") for p in _SPLIT.split(text) if p.strip(" ,;?")]
    parts = [p for p in parts if len(p.split()) >= 2]
    if len(parts) > 1 and all(
        len(p.split()) >= _MIN_PART_WORDS or p.lower().startswith("how") for p in parts
    ):
        return [p if p.endswith("?") else p + "?" for p in parts]
    return [question.strip()]


def compared_subjects(question: str) -> list[str]:
    """The two (or more) named subjects of a comparison question, or [] for any other question.

    "How did Acme's profit compare with Globex's?" -> ["Acme", "Globex"]: the names the
    question holds when it also says compare, difference, versus or between.
    """
    if not _COMPARE.search(question):
        return []
    names = [m.text for m in find_mentions(question) if m.kind in ("person", "org", "place", "name")]
    names = [n for n in dict.fromkeys(names) if n.lower() not in _NOT_SUBJECTS]
    return names if len(names) >= 2 else []


# "What is the difference between the fines for Crestmark and the cost of the metro line?": two figures
_BETWEEN = re.compile(
    r"^\s*(?:what|how\s+(?:big|large))\s+(?P<verb>is|was|are|were)\s+the\s+(?:difference|gap)\s+between\s+"
    r"(?P<first>.+?)\s+and\s+(?P<second>.+?)\s*\?*\s*$",
    re.I,
)


def sides_between(question: str) -> list[str]:
    """ "What is the difference between X and Y?" -> ["What is X?", "What is Y?"]: each side asked on
    its own, so each gets its quote; [] for any other question."""
    found = _BETWEEN.match(question)
    if not found:
        return []
    verb = found["verb"].lower()
    return [f"What {verb} {found[side]}?" for side in ("first", "second")]


def subject_questions(question: str, subjects: list[str]) -> list[str]:
    """One question per compared subject: the question with every other subject (and its "and") left out."""
    out = []
    for keep in subjects:
        text = question
        for other in subjects:
            if other == keep:
                continue
            name = rf"{re.escape(other)}(?:['’]s)?"
            # "with Globex's revenue" after "Northwind's revenue": the repeated noun goes with its name
            repeated = "|".join(re.escape(w) for w in re.findall(r"['’]s\s+(\w+)", text))
            owned = rf"(?:\s+(?:{repeated})\b)?" if repeated else ""
            # "the Kanta floods or ...": a name's noun phrase goes with it between alternatives
            text, found = re.subn(rf"(?:\bthe\s+)?{name}{_TAIL}\s*,?\s*\b(?:or|and)\s+", "", text, count=1)
            if not found:
                text, found = re.subn(rf"{name}\s*{_LINK}\s*", "", text, count=1)
            if not found:
                text, found = re.subn(
                    rf"\s*,?\s*\b(?:or|and)\s+(?:the\s+)?{name}{_TAIL}(?=\s*[?.!]?$)", "", text, count=1
                )
            if not found:
                text, found = re.subn(rf"\s*{_LINK}\s*{name}{owned}\b", "", text, count=1)
            if not found:
                text = re.sub(rf"{name}\s*", "", text, count=1)
        out.append(re.sub(r"\s+", " ", text).strip())
    return out


def parts_of(question: str) -> list[str]:
    """What gets a quote of its own: each compared subject, else each part of a multi-part question,
    a part that leans on the one before made whole as a follow-up is ("..., and how many are still
    missing?" asks how many passengers)."""
    sides = sides_between(question)
    if sides:
        return sides
    subjects = compared_subjects(question)
    if subjects:
        return subject_questions(question, subjects)
    parts = question_parts(question)
    if _TWO_WH.match(question.strip()) or _TRAILING_WH.match(question.strip()):
        return parts  # "When and where did ...?": each part already whole
    return [parts[0], *(_made_whole(p, before) for before, p in itertools.pairwise(parts))]


def _made_whole(part: str, before: str) -> str:
    """``part`` resolved against the part before it, unless that only glues the two together again."""
    whole = search_query(part, [(before, "")])
    return part if whole.startswith(before.rstrip(" ?")) else whole


def search_compared(
    retriever: Retriever, query: str, k: int, where: SearchFilter, window: DateWindow | None = None
) -> Retrieval:
    """The search for ``query``; for a comparison, each subject is also searched and the passages
    are taken in turn from each, so that one subject's articles cannot crowd out the other's."""
    found = retriever.search(query, k, where, window=window)
    subjects = compared_subjects(query)
    asked = sides_between(query) or (subject_questions(query, subjects) if subjects else [])
    if not asked:
        return found
    runs = [retriever.search(q, k, where, window=window) for q in asked]
    merged: dict[str, Passage] = {}
    for row in itertools.zip_longest(*(r.passages for r in runs), found.passages):
        for passage in row:
            if passage is not None and len(merged) < k:
                merged.setdefault(passage.chunk_id, passage)
    sentences = {key: v for r in (*runs, found) for key, v in r.sentences.items()}
    return replace(found, passages=tuple(merged.values()), sentences=sentences)
