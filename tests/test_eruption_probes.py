"""A story written at the start of session 10, before any rule was changed: a volcanic eruption on an
island, its evacuations and the ash cloud that grounded flights, over six dated wire reports
(tests/fixtures/stories_eruption) whose later reports revise the earlier figures (people moved, flights
cancelled, homes destroyed, the emergency fund). Its probes ask as a reader would, in everyday words
("How high did the ash go?", "Who is in charge of civil protection?"), the latest figure where a later
report changed it, on-topic questions the reports leave open, follow-ups, a fresh question after one,
and two-part questions.

It has its own index (the stories, the seed and these six reports), as the dispute story does, so that
its sentences are not distractors for the other stories' pinned probes.

Measured when written, on d82fd33: 13 of 30. After a measure asked is said in its units ("how high" by a
length, not "2 milligrams per cubic metre"; "how quickly was it moving" by a speed) and "what did the prime
minister say?" needs words said (rag.restrictions): 16 of 30. After a post held at a named owner's body
("who leads Tarn's island council") is held at that body, not at the owner (rag.posts): 18 of 30. After a later
report's sentence giving the best one's figure as the one it replaces ("1,150 flights ... far more than the
420 called off on its first day") goes first (rag.revisions): 19 of 30. After "how was the man hurt?" asks what
hurt him, a cause (rag.answer_kinds): 20 of 30. After a length is of the thing asked when a word of the
question comes just before it ("fountains of lava up to 80 metres" is not how tall the volcano is): 21 of 30."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant
from tests.test_story_probes import abstained, answered, failures, story_library

pytestmark = pytest.mark.slow

ERUPTION_STORIES = Path(__file__).resolve().parent / "fixtures" / "stories_eruption"

ERUPTION = (
    # in everyday words
    answered("What time did the eruption start?", "03:40"),
    answered("How high did the ash go?", "6 km"),
    answered("Who is in charge of civil protection in Lundmark?", "Marit Solberg"),
    answered("How quickly was the lava moving towards Eldby?", "40 metres an hour"),
    answered("How many travellers were stuck at Halsby on the first day?", "38,000"),
    answered("How much is the shutdown costing the airlines?", "6 million euros a day"),
    answered("How long were the skies closed?", "52 hours"),
    answered("When did Orsa last erupt before this?", "1961"),
    answered("How was the man in his seventies hurt?", "smoke inhalation"),
    answered("How tall were the walls built to hold back the lava?", "8 metres"),
    answered("When can people from Eldby go home?", "December 1"),
    answered("Who leads the council on Tarn?", "Petra Nyberg"),
    answered("Are stranded passengers owed cash compensation?", "not to cash compensation"),
    # the latest figure, where a later report revised it
    answered("How many people have had to leave their homes because of the eruption?", "2,600"),
    answered("How many flights were cancelled because of the ash altogether?", "1,150"),
    answered("How many houses did the lava destroy?", "14"),
    answered("How big is the emergency fund now?", "40 million euros"),
    # on topic, not answered
    abstained("How many people live on Tarn?"),
    abstained("How tall is the Orsa volcano?"),
    abstained("What did the prime minister say to the evacuated families?"),
    abstained("How many tourists were on Tarn when the eruption began?"),
    abstained("How many flights did Nordair cancel?"),
    # follow-ups, and a fresh question after one
    answered(
        ("Who heads the civil protection agency?", "What did she say about the walls?"),
        "did what they were built to do",
    ),
    answered(("Who runs Nordair?", "What did he tell passengers?"), "confirmed seat"),
    answered(("How many flights were cancelled on the first day?", "And over the whole closure?"), "1,150"),
    answered(("Who is Anders Lyng?", "How much will rebuilding Eldby cost?"), "90 million euros", fresh=True),
    # two parts
    answered("How many homes were lost and when can Eldby's residents return?", "14", "December 1"),
    answered("How long was the airspace shut and how many passengers were affected?", "52 hours", "160,000"),
    answered(
        "Where were the evacuees taken and how big was the emergency fund approved on Tuesday?",
        "Ostby",
        "15 million euros",
    ),
    answered("When did the eruption start and when was it declared over?", "03:40", "declared the eruption"),
)

# A little under the share measured after the rules above (21/30 = 0.7): the set's budget.
FLOOR = 0.66


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with story_library(tmp_path_factory.mktemp("eruption"), ERUPTION_STORIES) as helper:
        yield helper


def test_most_probes_of_the_eruption_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, ERUPTION)
    assert 1 - len(failed) / len(ERUPTION) >= FLOOR, failed
