"""Whose an amount is: "How big was the fine?" is not answered by "at a cost of about 21 million pounds, and
... would not appeal against the fine".

A question that names what a sum of money is ("the fine", "its profit", "the budget") is answered by a
sentence that says that noun, and the quote checks (``quotes.states_asked``) already ask for it. But a
sentence may say the noun in one clause and an amount in another, of something else: the fine is appealed
in one, the refunds cost 21 million pounds in the other. The amount asked stands beside the word that
says it ("fined Brightway Baby 8 million pounds", "a fine of 8 million pounds", "its profit fell to 41
million pounds"), within a few words. Pure, and read only for the few sentences already fit to quote.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from rag.terms import WORD, stem

# How many words may stand between the noun and its amount: "fined Brennock Chemicals 3.2 million
# euros" puts two, "revenue rose 12 percent to 4.1 billion dollars" four.
_REACH = 6


def amount_beside(sentence: str, amounts: Sequence[tuple[int, int]], said: Iterable[str]) -> bool:
    """True when one of the ``amounts`` (character spans in ``sentence``) stands within a few words of a
    word whose stem is in ``said`` (the stems the asked noun is said with: "fine", "penalti"), or when
    the sentence gives no amount or never says the noun (other checks judge those)."""
    stems = frozenset(said)
    tokens = [(m.start(), stem(m.group().lower())) for m in WORD.finditer(sentence)]
    noun_at = [i for i, (_, s) in enumerate(tokens) if s in stems]
    if not amounts or not noun_at:
        return True
    for start, end in amounts:
        inside = [i for i, (at, _) in enumerate(tokens) if start <= at < end]
        if not inside:
            continue
        first, last = inside[0], inside[-1]
        if any(first - _REACH <= i <= last + _REACH for i in noun_at):
            return True
    return False
