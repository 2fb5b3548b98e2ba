"""A story written at the start of session 9, before any rule was changed: a fishing dispute between two
countries over two dated reports (tests/fixtures/stories_dispute), told in the words diplomatic news uses
(an ambassador "told reporters", accusations "rejected", talks "ruled out", allies who "keep supporting").
Its probes ask as a reader would, in the everyday words for those ("Which diplomat spoke to
journalists?", "Has Velmar's leader refused to negotiate?", "Will its partners continue to back it?"),
plus on-topic questions the reports leave open, follow-ups, a fresh question after one, and two-part
questions.

It has its own index (the stories, the seed and these two reports), as the ambulance story does, so
that its sentences are not distractors for the other stories' pinned probes.

Measured when written, on 351a0a6: 12 of 30. After rag.equivalences learnt the diplomatic words
(diplomat / ambassador, journalists / reporters, refuse / rule out, partners / allies, back / support,
purpose / set up, respond / deny ...): 19 of 30. After a sentence opening with a pronoun is read on from
the one naming who is asked (rag.predicates.answered_after): 22 of 30. After "how far" stopped asking for the
word "far" (rag.features.QuestionTerms): 23 of 30. After "what did the <post> say?" needs that post held
(rag.answer_kinds.spoken_role): 24 of 30. After "that one, the Aurelia" stopped counting (rag.quotes):
25 of 30."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant
from tests.test_story_probes import abstained, answered, failures, story_library

pytestmark = pytest.mark.slow

DISPUTE_STORIES = Path(__file__).resolve().parent / "fixtures" / "stories_dispute"

DISPUTE = (
    answered("How did Serrana respond to the blockade accusations?", "rejected accusations"),
    answered("Which Serranan diplomat spoke to journalists?", "Ilse Varga"),
    answered("Where did the envoy brief the press?", "told reporters in Brask"),
    answered("Has Velmar's leader refused to negotiate with Serrana?", "ruled out further talks"),
    answered(
        "Is Reyne willing to hold talks with mediation?", "open to talks under Northern Council mediation"
    ),
    answered("Will Velmar's partners continue to back it?", "keep supporting"),
    answered("What was the purpose of Varga's office?", "handle maritime disputes"),
    answered("How long was the Aurelia detained?", "14 hours"),
    answered("When did the fishing treaty run out?", "expired in March"),
    answered("How much have Velmar's fishermen lost since the agreement ended?", "2.4 million euros"),
    answered("Why won't the crews put to sea?", "without a naval escort"),
    answered("Who leads the fishermen's association?", "Henrik Dahl"),
    answered("Why has the navy refused to escort the trawlers?", "inflame the dispute"),
    answered("On what condition would Serrana go back to the negotiating table?", "dropped its demand"),
    answered("What did Serrana's fisheries minister accuse Velmar of?", "win sympathy abroad"),
    answered("When are the observers expected to report?", "January"),
    answered("How much have fish prices gone up?", "about a third"),
    answered("Does Serrana admit targeting Velmar's boats?", "Serrana denies"),
    answered("What is the Corran Bank known for?", "richest cod grounds"),
    # on topic, not answered
    abstained("How many patrol boats does Serrana's coast guard have?"),
    abstained("Who signed the 2009 treaty?"),
    abstained("How much cod is caught on the Corran Bank each year?"),
    abstained("Which countries belong to the Northern Council?"),
    abstained("What did Velmar's foreign minister say?"),
    # follow-ups, and a fresh question after one
    answered(
        ("Who is Serrana's ambassador to the Northern Council?", "What did she tell reporters?"),
        "We have not stopped a single lawful vessel",
    ),
    answered(
        ("Who chairs the fishermen's association?", "What did he say about the crews?"), "would not go back"
    ),
    answered(("How long was the Aurelia held?", "Who held it?"), "patrol boats"),
    answered(("Who is Ilse Varga?", "How far is the Corran Bank from the coast?"), "60 km", fresh=True),
    # two parts
    answered(
        "When did the treaty expire and how was the catch divided?", "expired in March", "divided the catch"
    ),
    answered("How many trawlers stayed in port and when will the observers report?", "About 40", "January"),
)

# A little under the share measured after the rules above (25/30 = 0.83).
FLOOR = 0.8


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with story_library(tmp_path_factory.mktemp("dispute"), DISPUTE_STORIES) as helper:
        yield helper


def test_most_probes_of_the_dispute_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, DISPUTE)
    assert 1 - len(failed) / len(DISPUTE) >= FLOOR, failed
