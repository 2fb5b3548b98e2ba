"""Who said it: a named speaker and an unnamed one saying the same thing, asked as a reader would.

News leads often give a statement to someone unnamed ("a senior government official said") and name
the speaker further down; a "who" question should get the name. The story (tests/fixtures/speakers/
crossing.md, a border crossing reopening) is indexed with the stories and the seed, as the story
probes index them; it is kept out of tests/fixtures/stories so that its words ("reopen", "closure",
"cost") do not move the answers those probe sets count (indexed there, it cost the bridge, election,
seed, recall and verb sets a probe each).

Written in session 8 before any rule for them: 19/24 on d006b44 (the named speaker lost both times
both said it).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant, Settings
from tests.test_story_probes import ROOT, STORIES, abstained, answered, failures, passes

pytestmark = pytest.mark.slow

SPEAKERS = Path(__file__).resolve().parent / "fixtures" / "speakers"

CROSSING = (
    # a named speaker and an unnamed one both say it: the named one first
    answered("Who said the border crossing would reopen next week?", "Agnes Holm"),
    answered("Who said Lindmark would reopen the crossing with Osvia?", "Agnes Holm"),
    # one says it: whoever that is
    answered("Who said the crossing would reopen to freight on June 10?", "Agnes Holm"),
    answered("Who said the deal would double the number of customs officers?", "Osvian negotiator"),
    answered("Who said the closure cost the road freight industry 40 million euros?", "Hauliers' groups"),
    answered("Who said drivers had waited more than three days at the border?", "Mikkel Strand"),
    answered("Who warned that the crossing could be shut again?", "Pavel Rusek"),
    answered("Who accused Lindmark of failing to stop smuggling?", "Osvia accused"),
    answered("Who is expected to attend the reopening?", "Sofie Dahl"),
    answered("Who heads the Lindmark Road Haulage Association?", "Mikkel Strand"),
    answered("Who seized the smuggled cigarettes?", "officers had seized"),
    # other kinds, in other words than the story's
    answered("When will private cars be able to use the crossing again?", "a week later"),
    answered("How long was the border crossing shut?", "four-month closure"),
    answered("How many lorries used the crossing each day?", "3,000 lorries"),
    answered("Where was the customs agreement signed?", "Tarn"),
    answered("Why did the crossing close?", "smuggling"),
    # on topic, not answered
    abstained("Who negotiated the deal for Lindmark?"),
    abstained("Who did Pavel Rusek meet?"),
    abstained("How much will the new customs officers be paid?"),
    abstained("When did the smuggling start?"),
    abstained("Who leads the Osvian government?"),
    # follow-ups
    answered(("Who is Agnes Holm?", "What did she say?"), "reopen to freight"),
    answered(("Who heads the Lindmark Road Haulage Association?", "What did he say?"), "three days"),
    # two parts
    answered(
        "Who said the crossing would reopen, and how many lorries did it handle a day?",
        "Agnes Holm",
        "3,000 lorries",
    ),
)

# A little under what was measured when the rules for it landed (21/24).
FLOOR = 0.83


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    helper = Assistant(Settings(data_dir=tmp_path_factory.mktemp("speakers")))
    assert helper.ingest([str(STORIES), str(SPEAKERS), str(ROOT / "seeds")]).ok
    yield helper
    helper.close()


def test_most_speaker_probes_pass(assistant: Assistant) -> None:
    failed = failures(assistant, CROSSING)
    assert 1 - len(failed) / len(CROSSING) >= FLOOR, failed


@pytest.mark.parametrize(
    "question",
    [
        "Who said the border crossing would reopen next week?",
        "Who said Lindmark would reopen the crossing with Osvia?",
    ],
)
def test_the_named_speaker_answers_before_the_unnamed_one(assistant: Assistant, question: str) -> None:
    passes(assistant, CROSSING, question)
