"""Question validation and follow-up handling."""

from __future__ import annotations

import pytest

from rag.errors import InputError
from rag.query import is_follow_up, search_query, validate_question, wants_latest


@pytest.mark.parametrize("bad", ["", "   ", "\n\t"])
def test_empty_question_is_refused(bad: str) -> None:
    with pytest.raises(InputError, match="empty"):
        validate_question(bad, 100)


def test_overlong_question_is_refused() -> None:
    with pytest.raises(InputError, match="limit is 10"):
        validate_question("x" * 11, 10)


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("and what about Russia?", True),
        ("What did he say next?", True),
        ("Why?", True),
        ("and in 2022?", True),
        ("and what did Russia say about that?", True),
        ("How many are still missing?", True),
        ("How many people live there?", True),
        ("Who else was charged?", True),
        ("Who is the Russian ambassador-at-large who spoke to reporters in Moscow on Tuesday?", False),
        ("Where is Astana?", False),
        ("What did Putin say about his plans?", False),
        ("Were there any survivors of the ferry accident?", False),
        ("Is it true that the ICC issued a warrant for Putin?", False),
        ("When did FTX file for bankruptcy?", False),
        ("Did the court say that the tax was unfair?", False),
        ("What did Russia say about it?", True),
        ("Did the Kremlin condemn them?", True),
        ("At what time did the ferry capsize near Batam?", False),
        ("Did Russia say it would appeal?", False),
    ],
)
def test_is_follow_up_when_something_is_missing(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        (
            [("Who issued an arrest warrant for Putin?", "The ICC issued a warrant. [1]")],
            "and what did Russia say about that?",
            "What did Russia say about an arrest warrant for Putin?",
        ),
        ([("What was FTX's revenue in 2021?", "...")], "and in 2022?", "What was FTX's revenue in 2022?"),
        (
            [("How much did Acme earn in the third quarter?", "...")],
            "What about Globex?",
            "How much did Globex earn in the third quarter?",
        ),
        (
            [("Who is the head of the agency?", "Agus Salim heads the rescue agency. [1]")],
            "What did he say about the waves?",
            "What did Agus Salim say about the waves?",
        ),
        (
            [("Where did the ferry capsize?", "Near Batam. [1]")],
            "When did it capsize?",
            "When did the ferry capsize?",
        ),
        (
            [
                ("Who founded FTX?", "Sam Bankman-Fried founded FTX. [1]"),
                ("When was he convicted?", "... [1]"),
            ],
            "How long is his sentence?",
            "How long is Sam Bankman-Fried's sentence?",
        ),
        (
            [("What did Miroshnik say about Kyiv?", "He said ... [1]")],
            "and what about Nato?",
            "What did Miroshnik say about Nato?",
        ),
        # the topic of a question with no "the": what it asked about, not its "How many"
        (
            [("How many homes lost power?", "About 80,000 homes ... [1]")],
            "And how many have been reconnected?",
            "How many have been reconnected (homes lost power)?",
        ),
    ],
)
def test_a_follow_up_becomes_a_standalone_question(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert search_query(question, history) == standalone


RAIL = [
    (
        "What pay rise is the rail union demanding?",
        "The National Rail Union is demanding a pay rise of 8% to keep up with living costs, "
        "while the operators have offered 4.5%. [1]",
    )
]


def test_the_noun_the_previous_answer_introduced_points_back_at_its_story() -> None:
    # "the operators" were met in the answer: the question means this strike's operators.
    assert (
        search_query("What have the operators offered?", RAIL)
        == "What have the operators offered (the rail union)?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "What is the inflation rate?",  # the previous turn said nothing of inflation
        "Who is the fire chief?",  # nor of a chief
        "What have the Northwind operators offered?",  # names what it asks about
    ],
)
def test_a_definite_noun_the_previous_turn_did_not_use_starts_afresh(question: str) -> None:
    assert search_query(question, RAIL) == question


def test_a_self_contained_question_is_never_mixed_with_the_previous_one() -> None:
    history = [("What did Miroshnik say about Kyiv?", "He said ... [1]")]
    assert search_query("Where is Astana?", history) == "Where is Astana?"
    assert (
        search_query("When did Putin send troops into Ukraine?", history)
        == "When did Putin send troops into Ukraine?"
    )
    assert search_query("and what about Nato?", []) == "and what about Nato?"


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        (
            [("Where did the Sulawesi earthquake strike?", "It struck the island of Sulawesi. [1]")],
            "At what time did it happen?",
            "At what time did the Sulawesi earthquake happen?",
        ),
        (
            [("How many people have the Kanta floods killed?", "At least 40 people. [1]")],
            "And how many are still missing?",
            "How many are still missing (the Kanta floods)?",
        ),
    ],
)
def test_the_topic_carried_over_is_a_noun_phrase_not_the_previous_verb(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert search_query(question, history) == standalone


@pytest.mark.parametrize(
    ("history", "question", "must_contain"),
    [
        (
            [
                ("Who issued an arrest warrant for Putin?", "The ICC issued a warrant for Putin. [1]"),
                ("And what did Russia say about that?", "Russia has rejected the allegations. [1]"),
            ],
            "And when did it happen?",
            ("arrest warrant", "Putin"),
        ),
        (
            [
                ("Who won the Harbor City mayoral election?", "Teresa Rivera won the election. [1]"),
                ("What did she campaign on?", "She campaigned on housing. [1]"),
            ],
            "When did it take place?",
            ("Harbor City mayoral election",),
        ),
        (
            [
                ("How many people had to flee the Cedar Valley wildfire?", "About 4,000 people fled. [1]"),
                ("What started it?", "A downed power line started the fire. [1]"),
                ("How many homes did it destroy?", "The fire destroyed 120 homes. [1]"),
            ],
            "When did it start?",
            ("Cedar Valley wildfire",),
        ),
    ],
)
def test_a_follow_up_of_a_follow_up_keeps_the_conversations_topic(
    history: list[tuple[str, str]], question: str, must_contain: tuple[str, ...]
) -> None:
    standalone = search_query(question, history)
    assert all(word in standalone for word in must_contain), standalone
    assert "Russia happen" not in standalone and "Teresa" not in standalone


@pytest.mark.parametrize(
    "question",
    [
        "What is the latest on the talks?",
        "What is the newest figure for the death toll?",
        "What was the most recent update on the strike?",
    ],
)
def test_wants_latest(question: str) -> None:
    assert wants_latest(question)


@pytest.mark.parametrize(
    "question",
    [
        "Who founded the city?",
        "Is Bankman-Fried still in prison?",
        "How many people are still missing after the ferry capsized?",
        "Who is the current governor of the central bank?",
        "What is the current interest rate?",
    ],
)
def test_still_and_current_ask_about_the_present_not_for_the_newest_report(question: str) -> None:
    assert not wants_latest(question)
