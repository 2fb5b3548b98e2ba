"""Questions split into the parts each quote answers, and the one-line reason of an abstention."""

from __future__ import annotations

import datetime as dt

import pytest

from rag.abstentions import abstain_reason
from rag.asked_time import of_asked_year
from rag.extractive import terms_of
from rag.question_parts import compared_subjects, parts_of, question_parts, subject_questions
from rag.quote_context import needs_context


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "How many passengers were on the ferry, and how many are still missing?",
            ["How many passengers were on the ferry?", "how many are still missing?"],
        ),
        (
            "When and where did the ferry capsize?",
            ["When did the ferry capsize?", "Where did the ferry capsize?"],
        ),
        (
            "Who issued the warrant and what did Russia say about it?",
            ["Who issued the warrant?", "what did Russia say about it?"],
        ),
        ("What did Tom and Jerry say?", ["What did Tom and Jerry say?"]),
        ("Where is the port and the ship?", ["Where is the port and the ship?"]),
    ],
)
def test_question_parts(question: str, parts: list[str]) -> None:
    assert question_parts(question) == parts


@pytest.mark.parametrize(
    ("question", "subjects", "questions"),
    [
        (
            "Compare the quarterly revenue of Acme Corp and Globex.",
            ["Acme Corp", "Globex"],
            ["Compare the quarterly revenue of Acme Corp.", "Compare the quarterly revenue of Globex."],
        ),
        (
            "What is the difference between FTX and Binance?",
            ["FTX", "Binance"],
            ["What is the difference between FTX?", "What is the difference between Binance?"],
        ),
    ],
)
def test_a_comparison_asks_about_each_subject(
    question: str, subjects: list[str], questions: list[str]
) -> None:
    assert compared_subjects(question) == subjects
    assert subject_questions(question, subjects) == questions


def test_a_question_without_a_comparison_has_no_subjects() -> None:
    assert compared_subjects("Who founded FTX and Alameda?") == []


@pytest.mark.parametrize(
    ("sentence", "needs"),
    [
        ('"We make Google be the default because it is the best," he said.', True),
        ("He said divers would resume the search on Monday.", True),
        ("It was the eleventh increase since March 2022.", True),
        ('"The waves were high," said Agus Salim, the head of the rescue agency.', False),
        ("Rescue teams pulled 38 people from the water.", False),
        ('"We will rebuild the pier," said he.', True),
        (
            "Kyiv says it will fight on, and its Western allies have said they will continue to support it.",
            False,
        ),
        ("Officials said they expected the bridge to reopen in May.", False),
        # a sum the sentence before names: whose money, it does not say
        ("The money will be spent on extra community nurses.", True),
        ("Money raised by the appeal paid for a new roof.", False),
    ],
)
def test_needs_context(sentence: str, needs: bool) -> None:
    assert needs_context(sentence) is needs


@pytest.mark.parametrize(
    ("question", "texts", "reason"),
    [
        (
            "What was FTX's revenue in 2021?",
            ["FTX filed for bankruptcy and its revenue fell."],
            'The articles mention "FTX" and "revenue" but not "2021".',
        ),
        (
            "How many people were rescued?",
            ["People were rescued from the water."],
            'The articles mention "people" and "rescued" but do not say how many.',
        ),
        (
            "What is the recipe for banana bread?",
            [],
            'The articles do not mention "recipe", "banana" or "bread".',
        ),
    ],
)
def test_abstain_reason(question: str, texts: list[str], reason: str) -> None:
    assert abstain_reason(question, terms_of(question), texts) == reason


def test_a_comparison_gets_one_quote_per_subject_and_other_questions_one_per_part() -> None:
    assert parts_of("Compare the profits of Northwind Foods and Globex Motors.") == [
        "Compare the profits of Northwind Foods.",
        "Compare the profits of Globex Motors.",
    ]
    assert parts_of("Who won, and when?") == question_parts("Who won, and when?")


@pytest.mark.parametrize(
    ("question", "sentence", "published", "fits"),
    [
        (
            "How much did the 2009 repairs cost?",
            "The repairs will cost 14.5 million dollars.",
            dt.date(2024, 3, 12),
            False,
        ),
        (
            "How much did the 2009 repairs cost?",
            "The 2009 repairs cost 3 million dollars.",
            dt.date(2024, 3, 12),
            True,
        ),
        ("What was the rate in 1995?", "The bank raised its rate to 5.5%.", None, False),
        # reported the year it happened, or the next ("last year's revenue")
        ("What was the revenue in 2023?", "Revenue rose 5% to 3 billion.", dt.date(2024, 1, 20), True),
        (
            "What did countries agree to do by 2030?",
            "They agreed to triple capacity by 2030, at the end.",
            None,
            True,
        ),
        # numbers that are not years
        ("Who got 2022 votes?", "Ana Ruiz won the seat.", None, True),
        ("Who paid $2,024 for it?", "A collector bought it.", None, True),
        ("How much did the repairs cost?", "The repairs will cost 14.5 million dollars.", None, True),
    ],
)
def test_a_year_the_question_pins_must_be_the_sentences(
    question: str, sentence: str, published: dt.date | None, fits: bool
) -> None:
    assert of_asked_year(question, sentence, "", published) is fits


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        # a later part leaning on the one before is made whole, as a follow-up would be
        (
            "How many passengers were on the ferry, and how many are still missing?",
            ["How many passengers were on the ferry?", "How many passengers are still missing (the ferry)?"],
        ),
        (
            "How many seats did the Greens win, and how many did Labour?",
            ["How many seats did the Greens win?", "How many seats did the Labour win?"],
        ),
        (
            "Who issued the warrant and what did Russia say about it?",
            ["Who issued the warrant?", "What did Russia say about the warrant?"],
        ),
        # "plus", "as well as" and "and also" join two questions as "and" does
        (
            "How many fish died, plus how much solvent escaped?",
            ["How many fish died?", "how much solvent escaped?"],
        ),
        (
            "When will the bridge close as well as how much will the repairs cost?",
            ["When will the bridge close?", "how much will the repairs cost?"],
        ),
        (
            "When will the bridge close and also how much will the repairs cost?",
            ["When will the bridge close?", "how much will the repairs cost?"],
        ),
        # a whole second part is left as it is
        (
            "How many people were on the plane, was anyone injured?",
            ["How many people were on the plane?", "was anyone injured?"],
        ),
    ],
)
def test_each_part_reads_as_a_question_of_its_own(question: str, parts: list[str]) -> None:
    assert parts_of(question) == parts


@pytest.mark.parametrize(
    ("question", "questions"),
    [
        # a comparative with the subjects as alternatives compares them as "compare" does
        (
            "Who got more votes, Teresa Rivera or Mark Chen?",
            ["Who got more votes, Teresa Rivera?", "Who got more votes, Mark Chen?"],
        ),
        (
            "Which killed more people, the Sulawesi earthquake or the Kanta floods?",
            [
                "Which killed more people, the Sulawesi earthquake?",
                "Which killed more people, the Kanta floods?",
            ],
        ),
        # each subject keeps its own noun phrase, and the other's goes whole
        (
            "Compare the death tolls of the Sulawesi earthquake and the Kanta floods.",
            [
                "Compare the death tolls of the Sulawesi earthquake.",
                "Compare the death tolls of the Kanta floods.",
            ],
        ),
        (
            "How did Northwind's revenue compare with Globex's revenue?",
            ["How did Northwind's revenue compare?", "How did revenue compare with Globex's revenue?"],
        ),
    ],
)
def test_each_compared_subject_is_searched_on_its_own(question: str, questions: list[str]) -> None:
    assert parts_of(question) == questions


def test_more_or_less_of_one_thing_compares_nothing() -> None:
    assert compared_subjects("Was the fine bigger or smaller than expected?") == []


@pytest.mark.parametrize(
    ("question", "parts"),
    [
        (
            "What is the difference between the fines for Crestmark Bank and the cost of the Green metro line?",
            ["What is the fines for Crestmark Bank?", "What is the cost of the Green metro line?"],
        ),
        (
            "How big was the gap between Labour's vote and the Greens' vote?",
            ["What was Labour's vote?", "What was the Greens' vote?"],
        ),
    ],
)
def test_the_difference_between_two_things_asks_each_on_its_own(question: str, parts: list[str]) -> None:
    # asked whole, "difference" is a word no sentence says, and "between" matches "between 2017 and 2022"
    assert parts_of(question) == parts
