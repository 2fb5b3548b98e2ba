"""A number a sentence gives, read for whether it counts what the question counts (rag.counted)."""

from __future__ import annotations

import pytest

from rag.answer_kinds import answer_kind
from rag.counted import asks_population, counts_asked_thing, predicate
from rag.features import QuestionTerms
from rag.quotes import said_in, states_asked

HOSPITAL = "Twelve people were taken to hospital with breathing difficulties, the health board said."
POWER = "The fire damaged a substation, cutting power to about 2,400 homes in Hollins Cross and Coley."
COLEY = "Coley, a village of about 4,200 residents a mile east of the depot, was covered in ash."
EMPLOYS = "Veltrana employs about 6,300 people at nine factories in Britain and Poland."
FISH = "The agency estimated that around 40,000 fish were lost."
CHARGES = "Brennock had pleaded guilty to two of the five charges against it in March."
REPAIRS = "The repairs will cost an estimated 14.5 million dollars."


def terms(question: str) -> QuestionTerms:
    return QuestionTerms.of(question, answer_kind(question))


@pytest.mark.parametrize(
    ("question", "sentence", "counted"),
    [
        # a population: said as people living in the place asked
        ("How many people live in Hollins Cross?", HOSPITAL, False),
        ("How many people live in Hollins Cross?", POWER, False),
        ("How many residents does Hollins Cross have?", COLEY, False),  # Coley's, not Hollins Cross's
        ("What is the population of Hollins Cross?", POWER, False),
        ("How many people live in Coley?", COLEY, True),
        ("How many inhabitants does Coley have?", COLEY, True),
        ("What is the population of Coley?", COLEY, True),
        # a standing total is no count of those something befell
        ("How many staff will lose their jobs at Veltrana?", EMPLOYS, False),
        ("How many people were sacked at Veltrana?", EMPLOYS, False),
        ("How many people does Veltrana employ?", EMPLOYS, True),
        ("How many factories does Veltrana run?", EMPLOYS, True),  # "nine factories": said by name
        # a number said with the counted thing itself, however what befell it is worded
        ("How many fish died?", FISH, True),
        ("How many charges did Brennock admit?", CHARGES, True),
        ("How many homes lost power?", POWER, True),
        # an amount is left alone: what it is paid for is worded too freely
        ("How much will the clean-up cost?", REPAIRS, True),
        # a time is no distance
        (
            "How long will the factory be shut?",
            "Keep windows closed within two kilometres of the depot.",
            False,
        ),
        ("How long will the factory be shut?", "The factory will stay shut for about three weeks.", True),
        ("How long was the polluted stretch of river?", "Dead fish lay along an 11-kilometre stretch.", True),
        ("How long was the bridge closed?", "The bridge was shut for two miles of its length.", False),
        # other kinds are left alone
        ("Who runs Veltrana?", HOSPITAL, True),
    ],
)
def test_a_count_is_of_what_is_asked(question: str, sentence: str, counted: bool) -> None:
    asked = terms(question)
    assert counts_asked_thing(question, asked, sentence, "", said_in(sentence, asked)) is counted


def test_the_predicate_leaves_out_names_the_counted_noun_and_the_measure() -> None:
    assert predicate(terms("How many staff will lose their jobs at Veltrana?")) == {"lose", "job"}
    assert predicate(terms("How much will the clean-up cost?")) == frozenset()
    assert predicate(terms("How many staff does Veltrana have?")) == frozenset()
    assert predicate(terms("When did the fire start?")) == frozenset()


@pytest.mark.parametrize(
    ("question", "population"),
    [
        ("How many people live in Coley?", True),
        ("How many residents does Coley have?", True),
        ("What is the population of Coley?", True),
        ("How many residents were evacuated?", False),
        ("How many people were taken to hospital?", False),
    ],
)
def test_a_population_is_asked_by_living_or_by_residents_alone(question: str, population: bool) -> None:
    assert asks_population(terms(question)) is population


def test_a_sentence_going_on_from_the_one_before_is_read_with_it() -> None:
    before = "Around 300 homes in Hollins Cross were evacuated overnight."
    question = "How many were evacuated?"
    asked = terms(question)
    for sentence, counted in (
        ("That meant about 700, the council said.", True),
        ("About 700 came to the hall on Tuesday.", False),
    ):
        window = said_in(f"{before} {sentence}", asked)
        assert counts_asked_thing(question, asked, sentence, before, window) is counted


def test_an_age_counts_no_one_and_a_man_is_one() -> None:
    question = terms("How many people died?")
    assert states_asked("A 67-year-old man died in County Clare when a tree fell on his car.", "", question)
    assert not states_asked("The 67-year-old chairman said the storm was over.", "", question)
