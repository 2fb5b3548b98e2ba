"""The checks of what a quoted sentence must say for the question it answers (rag.quotes)."""

from __future__ import annotations

import pytest

from rag.extractive import terms_of
from rag.quotes import (
    answers_yes_no,
    asked_people,
    counts_asked,
    names_asked_person,
    of_asked_body,
    said_in,
    states_predicate,
)


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("The agency estimated that around 40,000 fish were lost.", True),
        ("Anglers found dead fish along an 11-kilometre stretch of the river.", False),
        ("The spill killed thousands of birds.", False),
    ],
)
def test_a_count_says_what_it_counts(sentence: str, said: bool) -> None:
    assert counts_asked(sentence, terms_of("How many fish died?")) is said


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("About 1,200 litres of a cleaning solvent escaped from the tank.", False),
        ("Brennock must pay for cleaning the river banks.", False),
        ("The solvent, sold as Klarex, escaped from the tank.", True),
    ],
)
def test_the_name_of_a_thing_is_a_name_of_that_thing(sentence: str, names: bool) -> None:
    question = "What is the name of the cleaning solvent?"
    terms = terms_of(question)
    assert states_predicate(question, terms, sentence, said_in(sentence, terms), "Spill") is names


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Will schools open on Monday?", "Schools in the three counties will remain closed on Monday.", True),
        ("Were any homes flooded?", "About 80,000 homes lost power.", False),
        ("Is the bridge open or closed?", "The bridge will close on April 2.", False),
    ],
)
def test_a_yes_no_question_is_answered_by_what_it_asks_or_its_opposite(
    question: str, sentence: str, answers: bool
) -> None:
    terms = terms_of(question)
    assert answers_yes_no(question, terms, said_in(sentence, terms), "Storm") is answers


MOSCOW = '"We see no options," Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow.'


def test_a_question_naming_someone_is_answered_by_a_sentence_naming_them() -> None:
    people = asked_people("Where did Miroshnik talk to reporters?", [MOSCOW])
    assert people == ["Miroshnik"]
    assert names_asked_person(people, MOSCOW, "")
    # the name in the sentence before does not make Zelenskiy's talks Miroshnik's
    assert not names_asked_person(people, "Zelenskiy has ruled out talks with Putin.", MOSCOW)
    assert names_asked_person(people, "He said Russia could resist Nato.", MOSCOW)


def test_a_name_alone_is_no_person_without_a_role_before_it() -> None:
    assert asked_people("What did Northwind Wire report?", ["Northwind Wire said on Monday that ..."]) == []


def test_the_holder_of_a_role_at_a_body_is_asked_of_that_body() -> None:
    question = "Who is the head of the environment agency?"
    terms = terms_of(question)
    assert not of_asked_body(
        question, terms, "Aoife Brennan, head of forecasting at the weather service.", ""
    )
    assert of_asked_body(question, terms, "Ann Lee, head of the environment agency, said so.", "")
