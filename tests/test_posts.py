"""Posts a sentence names, read for the body they are held at (rag.posts)."""

from __future__ import annotations

import pytest

from rag.posts import asked_post, holds_asked_post

RAO = "Dr Anita Rao, who chairs the Northmoor Health Board, urged people to keep their windows closed."
RAO_OF = "Dr Anita Rao of the Northmoor Health Board said 31 people had sought medical advice."
ACHTERBERG = (
    "Simon Achterberg, area director of the Environment Agency, said his officers were working with "
    "Tarrant Power to check whether oil had leaked."
)
RUN_BY = "About 60 firefighters were sent to the depot, which is run by Greyfield Recycling."
GREYFIELD = "Greyfield Recycling, which employs 85 people at the site, said nobody had been working."
FINCH = "Its managing director, Laura Finch, said the company was cooperating fully."
DUNNE = "The council's leader, Rachel Dunne, told a meeting on Monday that the bill had grown."
COUNCIL = "Hollins Cross Town Council has suspended Greyfield Recycling's permit."
BRENNAN = (
    '"This is one of the strongest storms," said Aoife Brennan, head of forecasting at the weather service.'
)
PRYCE = '"We are deeply sorry," chief executive Simon Pryce said in a statement.'
ZELENSKIY = "Ukrainian President Volodymyr Zelenskiy has ruled out talks with Putin."
WALKOUT = "The walkout is led by the Transport Union."
NYBERG = "Petra Nyberg, who leads Tarn's island council, said families would be offered flats."

WINDOW = frozenset("health board agenc environ council servic weather depot strike forecast".split())


@pytest.mark.parametrize(
    ("question", "sentence", "before", "held"),
    [
        # another body's post
        ("Who chairs Greyfield Recycling's board?", RAO, "", False),
        ("Who chairs Greyfield Recycling's board?", RAO_OF, "", False),  # a verb asked: a post said
        ("Who chairs the health board?", RAO, "", True),
        ("Who runs Tarrant Power?", ACHTERBERG, "", False),
        ("Who heads Tarrant Power?", ACHTERBERG, "", False),
        # a post over a part of the body asked
        ("Who leads the environment agency?", ACHTERBERG, "", False),
        ("Who is the head of the environment agency?", ACHTERBERG, "", False),
        ("Who is the Environment Agency's area director?", ACHTERBERG, "", True),
        ("Who heads the weather service?", BRENNAN, "", False),
        ("Who runs forecasting at the weather service?", BRENNAN, "", True),
        # "run by": what is run comes before it
        ("Who runs Greyfield Recycling?", RUN_BY, "", False),
        ("Who runs the depot?", RUN_BY, "", True),
        ("Who leads the strike?", WALKOUT, "", True),  # "the walkout" may be the strike
        # "its": the body of the sentence before; a post attached to nothing is left to other checks
        ("Who runs Greyfield Recycling?", FINCH, GREYFIELD, True),
        ("Who runs Harlow Pharma?", PRYCE, "", True),
        ("Who leads the town council?", DUNNE, "", True),
        ("Who leads the town council?", COUNCIL, "", False),
        ("Who leads Ukraine?", ZELENSKIY, "", True),  # what its people are called
        # a named owner's body: the council is Tarn's
        ("Who leads the council on Tarn?", NYBERG, "", True),
        ("Who leads the town council?", NYBERG, "", True),
        ("Who leads the fire service?", NYBERG, "", False),
        ("Who is Ukraine's president?", ZELENSKIY, "", True),
        # other questions
        ("How many people work at the depot?", RAO, "", True),
    ],
)
def test_a_post_is_held_at_the_body_asked(question: str, sentence: str, before: str, held: bool) -> None:
    assert holds_asked_post(question, sentence, before, WINDOW) is held


def test_a_body_asked_in_its_own_common_words_is_said() -> None:
    assert not holds_asked_post("Who leads the environment agency?", PRYCE, "", frozenset({"lead"}))
    # "the firm" is the story's own company, however the sentence names it
    assert holds_asked_post("Who is the firm's attorney?", "Its lawyer, Victor Lund, said.", "", frozenset())


@pytest.mark.parametrize(
    ("question", "names", "common"),
    [
        ("Who chairs Greyfield Recycling's board?", {"greyfield", "recycl"}, set()),
        ("Who is running Veltrana for now?", {"veltrana"}, set()),
        ("Who heads the fire service?", set(), {"fire", "servic"}),
        ("Who is the chief executive of Tarrant Power?", {"tarrant", "power"}, set()),
    ],
)
def test_the_asked_body_is_read_from_the_question(question: str, names: set[str], common: set[str]) -> None:
    asked = asked_post(question)
    assert asked is not None
    assert (set(asked.names), set(asked.common)) == (names, common)


def test_questions_about_no_post_read_none() -> None:
    assert asked_post("Who is Rodion Miroshnik?") is None
    assert asked_post("How many people live in Coley?") is None
