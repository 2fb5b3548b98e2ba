"""The news-word table: which question words a sentence says in a word of their own, and which not."""

from __future__ import annotations

import pytest

from rag.answer_kinds import answer_kind
from rag.equivalences import EQUIVALENCES, SAYS, alternatives, said_alike
from rag.features import QuestionTerms
from rag.quotes import said_in
from rag.terms import stem


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        ("Who heads Harlow Pharma?", "chief executive Simon Pryce said in a statement.", {"heads"}),
        (
            "Who heads the Lisle Angling Club?",
            "Paul Grady, who chairs the Lisle Angling Club, said.",
            {"heads"},
        ),
        ("How many flights were axed?", "Shannon Airport cancelled 40 flights.", {"axed"}),
        ("Was the former manager jailed?", "Elena Voss received a suspended sentence.", {"jailed"}),
        (
            "How many children were hospitalised?",
            "Three children were treated in hospital.",
            {"hospitalised"},
        ),
        (
            "Who is the temporary boss?",
            "Wierzbicki was named interim chief executive.",
            {"temporary", "boss"},
        ),
        ("How long was the count held up?", "The count was delayed by two hours.", {"held"}),
        ("Who is in charge of the inquiry?", "Smith is leading the investigation.", {"charge", "inquiry"}),
        ("Did the minister quit?", "The minister stepped down on Monday.", {"quit"}),
        ("Which party had run Wexham?", "ending 16 years of Labour rule", {"run"}),
        # verb families: a cause, a payment, a finding, advice, ownership said in another verb or a noun
        ("What caused the outage?", "The failure was traced to a severed cable.", {"caused"}),
        ("What caused the fire?", "Investigators blamed the fire on faulty wiring.", {"caused"}),
        ("How much did the council pay for it?", "The system cost the council 38 million pounds.", {"pay"}),
        ("How much did the outage cost traders?", "Businesses lost 2.1 million pounds.", {"cost"}),
        ("What did the inquiry conclude?", "Among its findings was that the alarms were off.", {"conclude"}),
        ("What were residents advised to do?", "Residents were told to boil their water.", {"advised"}),
        ("Who owned the digger?", "The digger belonged to Delkin Civils.", {"owned"}),
        ("Who was responsible for the leak?", "The report blamed the plant's operator.", {"responsible"}),
        (
            "Who did Putin meet in Astana?",
            "Putin speaks after signing bilateral documents with his Kazakh counterpart Kassym-Jomart Tokayev.",
            {"meet"},
        ),
        ("Who did the minister meet?", "The minister held talks with union leaders on Monday.", {"meet"}),
        # diplomatic news words, asked in everyday ones
        (
            "Which diplomat spoke to journalists?",
            "Ambassador Ilse Varga told reporters in Brask.",
            {"diplomat", "spoke", "journalists"},
        ),
        ("Has the prime minister refused to negotiate?", "He has ruled out further talks.", {"refused"}),
        (
            "Will its partners keep backing it?",
            "Its allies will continue to support it.",
            {"partners", "keep", "backing"},
        ),
        ("How has Moscow responded to the charges?", "Moscow denies the allegations.", {"responded"}),
        (
            "What was the purpose of the office?",
            "The office was set up in 2021 to handle disputes.",
            {"purpose"},
        ),
    ],
)
def test_a_question_word_is_said_by_a_word_of_its_entry(question: str, sentence: str, said: set[str]) -> None:
    assert said_alike(alternatives(question), sentence) == {stem(w) for w in said}


@pytest.mark.parametrize(
    ("question", "sentence"),
    [
        # "chief" alone is also the chief safety officer, who heads nothing
        (
            "Who heads the Medicines Safety Agency?",
            "Dr Naomi Achebe, the agency's chief safety officer, said.",
        ),
        # a narrower word does not say the broad one back: a chief executive chairs no board
        ("Who chairs the board?", "The board named Tomasz Wierzbicki interim chief executive."),
        # a death is no injury, nor a loss a defeat's only reading
        ("How many people were hurt?", "A 67-year-old man died in County Clare."),
        ("Who took charge?", "Brennock pleaded guilty to two of the five charges."),
        # "in charge" as a phrase: "charge" alone is not asked by "heads"
        ("Who heads the case?", "The charges were dropped."),
        # "found" is also "founded": a finding is said by "find" or "conclude", not by "was founded"
        ("What did the inquiry find?", "The company was founded in 1968."),
        ("What did the inquiry find?", "The charity was established in 1990."),
        # "press" and "demand" are also the journalists and the need: no request
        ("What did the mayor ask for?", "Demand for power rose as the press gathered."),
        # a recommendation is no plea: "urged parents not to stockpile" recommends nothing of a report's
        ("What did the report recommend?", "The association urged parents not to stockpile."),
        # talks ruled out are no meeting
        ("Who did Zelenskiy meet?", "Zelenskiy has ruled out talks with Putin."),
    ],
)
def test_words_of_other_senses_say_nothing(question: str, sentence: str) -> None:
    assert said_alike(alternatives(question), sentence) == set()


def test_every_entry_says_what_it_asks() -> None:
    for entry in EQUIVALENCES:
        assert set(entry.asked) <= set(entry.said)
        for phrase in entry.asked:
            assert set(entry.said) <= SAYS[phrase]


def test_the_selector_and_the_quote_checks_count_a_word_said_alike() -> None:
    question = "Who heads Harlow Pharma?"
    terms = QuestionTerms.of(question, answer_kind(question))
    assert stem("heads") in said_in("chief executive Simon Pryce said.", terms)
    assert stem("heads") not in said_in("Simon Pryce said.", terms)
