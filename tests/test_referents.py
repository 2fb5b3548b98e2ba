"""Which named body a sentence's "the hospital" stands for (rag.referents)."""

from __future__ import annotations

from rag.referents import named_heads, referents

ARTICLE = (
    "Ambulances waited more than three hours at Kestrel General Hospital on 41 occasions, the Northmoor "
    "Ambulance Service said. Kestrel General's chief executive, Martin Oduya, apologised."
)


def test_a_body_named_once_is_what_its_last_word_stands_for() -> None:
    heads = named_heads([ARTICLE])
    assert heads["hospital"] == "Kestrel General Hospital"
    assert heads["service"] == "Northmoor Ambulance Service"
    assert referents("The hospital has been fined 120,000 pounds.", heads) == "Kestrel General Hospital"
    assert (
        referents("The service said delays cost it 2,300 crew hours.", heads) == "Northmoor Ambulance Service"
    )


def test_two_bodies_ending_alike_leave_the_word_to_neither() -> None:
    heads = named_heads([ARTICLE, "Patients were moved to Wexley Hospital."])
    assert "hospital" not in heads
    assert referents("The hospital has been fined.", heads) == ""


def test_a_sentence_naming_the_body_in_full_needs_nothing_more() -> None:
    heads = named_heads([ARTICLE])
    assert referents("The hospital, Kestrel General Hospital, said so.", heads) == ""
    assert referents("Beds were short.", heads) == ""  # no "the <word>" of a name
    assert named_heads(["The Hospital reopened."]) == {}  # one word and its article is no name
