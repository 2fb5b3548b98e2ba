"""A later report's figure put before the one it revises (rag.revisions)."""

from __future__ import annotations

import pytest

from rag.revisions import figures, revised_first, revises, updates

FIRST_DAY = (
    "HALSBY, Lundmark, Nov 3 (Northwire) - Halsby International Airport cancelled 420 flights, stranding "
    "about 38,000 passengers."
)
CLOSURE = "Halsby said 1,150 flights had been cancelled over the closure, far more than the 420 called off on its first day."
DESTROYED = "Lava reached Eldby on Saturday, destroying 11 homes."
RAISED = "The agency raised its count of homes destroyed in Eldby to 14, from the 11 it gave last week."
AGAIN = "The agency said 11 homes had burned and 3 barns."


def test_figures_leave_out_datelines_years_and_times() -> None:
    assert figures(FIRST_DAY) == ["420", "38,000"]
    assert figures(
        "It started at 03:40 and last erupted in 1961, when 2.5 km of road and 1,800 homes, 14, were lost."
    ) == [
        "2.5",
        "1,800",
        "14",
    ]


@pytest.mark.parametrize(
    ("later", "earlier", "revised"),
    [
        (CLOSURE, FIRST_DAY, True),
        (RAISED, DESTROYED, True),
        (FIRST_DAY, CLOSURE, False),  # gives none of the other's figures as replaced
        (AGAIN, DESTROYED, False),  # the same figure again, not replaced
        (DESTROYED, DESTROYED, False),
    ],
)
def test_a_revision_gives_the_figure_it_replaces(later: str, earlier: str, revised: bool) -> None:
    assert revises(later, earlier) is revised


def _day(sentence: str) -> int:
    return {FIRST_DAY: 3, CLOSURE: 5, DESTROYED: 9, RAISED: 16, AGAIN: 16}[sentence]


def test_the_revising_sentence_goes_first_unless_an_earlier_time_is_asked() -> None:
    ranked = [FIRST_DAY, DESTROYED, CLOSURE]
    assert revised_first(ranked, str, _day, "How many flights were cancelled?")[0] == CLOSURE
    assert revised_first(ranked, str, _day, "How many flights were cancelled on the first day?") == ranked
    assert revised_first([CLOSURE, FIRST_DAY], lambda s: s, lambda s: 0, "How many flights?")[0] == CLOSURE
    # an older sentence giving the best one's figure is no revision of it
    assert revised_first([CLOSURE, FIRST_DAY], str, lambda s: {CLOSURE: 1, FIRST_DAY: 2}[s], "How many?") == [
        CLOSURE,
        FIRST_DAY,
    ]


RECOUNTED = (
    "The regulator said the number of injured children had risen to 14, and that 52 failures were reported."
)
FINAL = (
    "The regulator said the final count of injured children stood at 16, none of them with lasting injuries."
)
INJURED = "The regulator said nine children had been injured, up from three."


@pytest.mark.parametrize(
    ("sentence", "updated"),
    [
        (RECOUNTED, True),
        (FINAL, True),
        ("It revised the number of seats covered by the recall to about 236,000, after finding more.", True),
        (DESTROYED, False),  # a figure, not said to be a new one
        (INJURED, False),  # "up from three" gives the old one: ``revises`` reads it
    ],
)
def test_an_update_says_its_figure_is_a_new_one(sentence: str, updated: bool) -> None:
    assert updates(sentence) is updated


def test_a_later_update_goes_first_though_it_gives_no_old_figure() -> None:
    days = {INJURED: 1, RECOUNTED: 2, FINAL: 3}
    assert (
        revised_first([INJURED, FINAL, RECOUNTED], str, days.__getitem__, "How many children were hurt?")[0]
        == FINAL
    )
    # an update older than the best sentence is no revision of it
    assert (
        revised_first([FINAL, RECOUNTED], str, {FINAL: 3, RECOUNTED: 2}.__getitem__, "How many?")[0] == FINAL
    )
