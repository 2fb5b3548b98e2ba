"""Questions about one story whose words another indexed story shares: a reader's library holds many
stories side by side, and each one added has cost older probes ("How much was the fine alone?" found two
stories' fines, "Who leads the town council?" the election's council leader, a cost question another
thing's cost). Each probe here names its story by something only that story says (the hospital, the
chemicals firm, the Carrow trams, Hollins Cross) and asks a word several stories say (fined, cost,
leads, chairs, employs, shut); follow-ups ask a shared word of the story the conversation is about, and
the unanswerables ask of a story what only another story gives.

Indexed as a reader's library would be: every story, the seed and the ambulance story. Written before
any rule was changed: 40/50 on e2769bd; 42/50 after rag.focus (the story a conversation is on), 43/50
once the story after an abstention is the one the previous question named.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from rag import Assistant
from tests.test_ambulance_probes import AMBULANCE_STORIES
from tests.test_story_probes import abstained, answered, failures, passes, story_library

pytestmark = pytest.mark.slow

CROSSOVER = (
    answered("How much was the hospital fined?", "120,000 pounds"),
    answered("How much was the chemicals company fined?", "3.2 million euros"),
    answered("How much was Greyfield fined in 2022?", "40,000 pounds"),
    answered("Who leads Hollins Cross council?", "Rachel Dunne"),
    answered("Who is expected to lead Wexham council?", "Priya Natarajan"),
    answered("Who chairs the council's transport committee in Carrow?", "Ruth Ainsworth"),
    answered("Who chairs the angling club?", "Paul Grady"),
    answered("Who chairs the health board in Northmoor?", "Anita Rao"),
    answered("How much did the tram signalling system cost?", "38 million pounds"),
    answered("How much will the Harbourside bridge repairs cost?", "14.5 million dollars"),
    answered("How much will clearing the burnt waste at the depot cost?", "1.8 million pounds"),
    answered("How much must Brennock pay towards restocking the river?", "650,000 euros"),
    answered("When did the Carrow tram network last shut down?", "2019"),
    answered("When was the Harbourside bridge last repaired?", "2009"),
    answered("How many people does the frozen-food maker employ?", "6,300"),
    answered("How many people does Brennock employ in Ashby?", "480"),
    answered("Who is the hospital's chief executive?", "Martin Oduya"),
    answered("Who is the interim chief executive at Veltrana?", "Tomasz Wierzbicki"),
    answered("How long were the Carrow trams stopped?", "nine hours"),
    answered("How many seats did the Greens win in Wexham?", "28"),
    answered(
        ("How much was Kestrel General fined?", "What will the money pay for?"), "extra community nurses"
    ),
    answered(("Why were the Carrow trams halted?", "When did the network last shut down?"), "2019"),
    answered(
        ("Who leads Hollins Cross Town Council?", "How much will the clean-up cost?"), "1.8 million pounds"
    ),
    answered(("What was Brennock Chemicals fined for?", "Who brought the case?"), "environment agency"),
    answered(("Who runs Kestrel General?", "How many beds does it have?"), "520"),
    answered("How many homes lost power in the storm?", "80,000"),
    answered("How many homes were evacuated in Hollins Cross?", "300 homes"),
    answered("Who is the council spokesperson in Port Elwyn?", "Marta Kowalski"),
    answered("Who is Greyfield's managing director?", "Laura Finch"),
    answered("How many signals did the tram control centre lose contact with?", "48"),
    answered("How long will fishing on the Lisle stay banned?", "next spring"),
    answered("How long will the Harbourside bridge be closed?", "six months"),
    answered("How long was the Wexham count delayed?", "two hours"),
    answered("How many people sought medical advice about the depot smoke?", "31 people"),
    answered("What was the turnout in the Wexham election?", "31 percent"),
    answered(("What happened to the Lisle river?", "How much was the fine?"), "3.2 million euros"),
    answered(("Why were ambulances queuing at Kestrel General?", "How much was the fine?"), "120,000 pounds"),
    answered(("Why did the Carrow trams stop?", "How much did the system cost?"), "38 million pounds"),
    answered(
        ("When will the Harbourside bridge close?", "How much will the work cost?"), "14.5 million dollars"
    ),
    answered(("Who won the Wexham election?", "Who will lead the council?"), "Priya Natarajan"),
    answered(
        ("What did Hollins Cross council decide about Greyfield?", "Who leads the council?"), "Rachel Dunne"
    ),
    answered(("Why did Veltrana remove its chief executive?", "How many people does it employ?"), "6,300"),
    answered(("What was Brennock Chemicals fined for?", "How many people does it employ?"), "480"),
    answered(("Who is Rachel Dunne?", "How much was the company fined before?"), "40,000 pounds"),
    answered(("Who chairs the health scrutiny committee?", "When will it review progress?"), "May"),
    abstained("How much was the tram operator fined?"),
    abstained("Who leads the Port Elwyn council?"),
    abstained("How many people does Kestrel General employ?"),
    abstained("How much did the Harbourside bridge cost to build?"),
    abstained("Who chairs the Carrow council?"),
)

# A little under the share measured after rag.focus (43/50 = 0.86).
FLOOR = 0.8

# Failed when written: a follow-up naming nothing asked of another story than the one just told.
FIXED = (
    "Who leads Hollins Cross Town Council? / How much will the clean-up cost?",
    "What did Hollins Cross council decide about Greyfield? / Who leads the council?",
    "Who is Rachel Dunne? / How much was the company fined before?",
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with story_library(tmp_path_factory.mktemp("crossover"), AMBULANCE_STORIES) as helper:
        yield helper


def test_most_crossover_probes_pass(assistant: Assistant) -> None:
    failed = failures(assistant, CROSSOVER)
    assert 1 - len(failed) / len(CROSSOVER) >= FLOOR, failed


@pytest.mark.parametrize("label", FIXED)
def test_a_follow_up_asks_on_about_the_story_just_told(assistant: Assistant, label: str) -> None:
    passes(assistant, CROSSOVER, label)
