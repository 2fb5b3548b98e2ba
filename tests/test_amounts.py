"""An amount asked by the noun it is said with stands beside that noun (rag.amounts)."""

from __future__ import annotations

import re

import pytest

from rag.amounts import amount_beside

FINE = frozenset({"fine", "penalti"})


def _spans(sentence: str) -> list[tuple[int, int]]:
    return [m.span() for m in re.finditer(r"\d[\d,.]*(?: million| billion)? (?:pounds|euros)", sentence)]


@pytest.mark.parametrize(
    ("sentence", "beside"),
    [
        ("The regulator fined Brightway Baby 8 million pounds on Tuesday.", True),
        ("A court fined Brennock Chemicals 3.2 million euros for the spill.", True),
        ("It imposed a penalty of 8 million pounds.", True),
        (
            "Brightway said 91,000 refund claims had been paid so far, at a cost of about 21 million pounds, "
            "and that it would not appeal against the fine.",
            False,
        ),
        ("The company said it would not appeal against the fine.", True),  # no amount: other checks judge it
        ("Refunds have cost 21 million pounds.", True),  # the noun unsaid: other checks judge it
    ],
)
def test_the_amount_asked_stands_beside_its_noun(sentence: str, beside: bool) -> None:
    assert amount_beside(sentence, _spans(sentence), FINE) is beside
