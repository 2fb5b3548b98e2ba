"""A story written in session 10, before any rule was changed for it: a children's car seat recalled by its
maker, Brightway Baby, over a buckle that can open in a crash, over six dated wire reports
(tests/fixtures/stories_recall) whose later reports revise the earlier figures (seats recalled, buckle
failures, children hurt, refund claims paid, the recall's cost, the refund deadline). Its probes ask as a
parent would, in everyday words ("How badly was the girl from Leeds hurt?", "How long do refunds take?"),
the latest figure where a later report changed it, on-topic questions the reports leave open, follow-ups, a
fresh question after one, and two-part questions.

It has its own index (the stories, the seed and these six reports), as the eruption story does, so that its
sentences are not distractors for the other stories' pinned probes.

Measured when written, on e922bb6: 16 of 30. After a later report's sentence saying its figure is a new one
without giving the old ("the number of injured children had risen to 14", "the final count of injured
children stood at 16") goes first for a figure asked (rag.revisions): 17 of 30. After a sum asked by the noun it
is said with ("How big was the fine?") must stand beside that noun, not in another clause ("at a cost of about 21
million pounds, and ... would not appeal against the fine") (rag.amounts): 18 of 30."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant
from tests.test_story_probes import abstained, answered, failures, story_library

pytestmark = pytest.mark.slow

RECALL_STORIES = Path(__file__).resolve().parent / "fixtures" / "stories_recall"

RECALL = (
    # in everyday words
    answered("What is wrong with the car seats?", "come open in a crash"),
    answered("Who regulates consumer goods in Britain?", "Office for Product Safety and Standards"),
    answered("How much does one of the seats cost?", "250 pounds"),
    answered("How far did Carrow Group's shares drop?", "9 percent"),
    answered("How badly was the girl from Leeds hurt?", "broken collarbone"),
    answered("How can owners tell if their seat is affected?", "serial number"),
    answered("How long do refunds take to arrive?", "28 days"),
    answered(
        "How long does a company have to tell the regulator about an unsafe product?", "two working days"
    ),
    answered("Which law firm is bringing the case?", "Fenwick Hale"),
    answered("How many families are suing Brightway?", "1,300"),
    answered("How big was the fine?", "8 million pounds"),
    answered("Who led the review of the recall?", "Margaret Ellery"),
    # the latest figure, where a later report revised it
    answered("How many car seats have been recalled?", "236,000"),
    answered("How many children have been hurt by the faulty buckles?", "16"),
    answered("How much has the recall cost Brightway?", "62 million pounds"),
    answered("What is the deadline for claiming a refund?", "June 30, 2027"),
    answered("How many refund claims have been paid?", "148,000"),
    # on topic, not answered
    abstained("How much does the SafeNest Go cost?"),
    abstained("What did the transport minister say about the recall?"),
    abstained("How much profit did Brightway make last year?"),
    abstained("When did Sarah Whitlow become chief executive?"),
    abstained("Where are the car seats made?"),
    # follow-ups, and a fresh question after one
    answered(("Who runs Brightway?", "What did she say to parents?"), "deeply sorry"),
    answered(("Who is leading the lawsuit?", "What did she say about Brightway?"), "warning in May"),
    answered(("How many seats were recalled at first?", "And how many now?"), "236,000"),
    answered(
        ("Who is Tom Ashdown?", "How many refund claims were made on the first day?"), "38,000", fresh=True
    ),
    # two parts
    answered("How much was Brightway fined and will it appeal?", "8 million pounds", "would not appeal"),
    answered(
        "When does the refund scheme open and how much do you get without a receipt?", "Nov 2", "250 pounds"
    ),
    answered(
        "Who led the independent review and how many managers have left?", "Margaret Ellery", "Two of them"
    ),
    answered(
        "When did Brightway first hear of a problem and when did it tell the regulator?", "May", "Sept 29"
    ),
)

# A little under the share measured after the rules above (18/30 = 0.6): the set's budget.
FLOOR = 0.56


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with story_library(tmp_path_factory.mktemp("recall"), RECALL_STORIES) as helper:
        yield helper


def test_most_probes_of_the_recall_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, RECALL)
    assert 1 - len(failed) / len(RECALL) >= FLOOR, failed
