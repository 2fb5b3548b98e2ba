"""A story kept out of every tuning of the answerer (a nurses' strike, written by the coordinator in
session 5 and never shown to whoever changed the answer rules), asked the hidden-check way: questions in
other words, on-topic questions it does not answer, follow-ups and a fresh question after one, two-part
questions. It lives apart from tests/fixtures/stories so the rule-makers' probes never saw it; it is
indexed with them (and the seed) as a reader's library would hold them all.

Measured when written: 23 of 31 on d7934ab (session 5's start) and on 2b8dbbf (after that session's
story rules), so the floor below guards what generalises, not what was tuned."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant, Settings
from tests.test_story_probes import ROOT, STORIES, abstained, answered, failures

pytestmark = pytest.mark.slow

HELD_OUT = Path(__file__).resolve().parent / "fixtures" / "stories_heldout"

STRIKE = (
    answered("How many nurses are on strike?", "3,400 nurses"),
    answered("When did the nurses last strike?", "since 1996"),
    answered("How long will the walkout last?", "48 hours"),
    answered("When will the strike end?", "7 a.m. on Thursday"),
    answered("Which union organised the strike?", "Coastal Nurses Union"),
    answered("What pay increase do the nurses want?", "9 percent"),
    answered("How much has the trust offered?", "4.5 percent"),
    answered("Who leads the union?", "Grace Adeyemi"),
    answered("How many nursing jobs are vacant?", "600 empty posts"),
    answered("Who heads the Kestrel Bay Health Trust?", "Martin Holloway"),
    answered("Are emergency departments still open?", "remained open"),
    answered("How many operations were called off?", "1,100 operations"),
    answered("Where did nurses picket?", "St Brigid's Hospital"),
    answered("What did the health minister say?", "return to talks"),
    answered("Will the government pay for a bigger rise?", "would not step in"),
    answered("When is the next strike?", "March 3"),
    # on topic, not answered
    abstained("Why did the talks break down?"),
    abstained("How much do nurses earn?"),
    abstained("How many patients were harmed during the strike?"),
    abstained("When will talks resume?"),
    abstained("Who is the chair of the health trust's board?"),
    abstained("How much would a 9 percent rise cost the trust?"),
    abstained("How many nurses voted for the strike?"),
    # follow-ups, and a fresh question after one
    answered(("Who is Grace Adeyemi?", "What did she say?"), "breaking point"),
    answered(("Who is Martin Holloway?", "What did he say about operations?"), "postponed"),
    answered(("Who is the health minister?", "What did he urge?"), "return to talks"),
    answered(("How much pay rise do nurses want?", "And what has the trust offered?"), "4.5 percent"),
    answered(
        ("Who leads the union?", "What did she say?", "How many operations were cancelled?"),
        "1,100",
        fresh=True,
    ),
    # two parts (the last: one part the story answers, one it does not)
    answered("How many nurses are striking, and when will the strike end?", "3,400", "7 a.m. on Thursday"),
    answered("Who is the health minister and when is the second strike planned?", "Owen Pryce", "March 3"),
    answered("How many operations were cancelled, and how much do nurses earn?", "1,100"),
)

# A little under the share measured when the story was written (23/31 = 0.74).
FLOOR = 0.70


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    helper = Assistant(Settings(data_dir=tmp_path_factory.mktemp("heldout")))
    assert helper.ingest([str(STORIES), str(ROOT / "seeds"), str(HELD_OUT)]).ok
    yield helper
    helper.close()


def test_most_probes_of_the_held_out_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, STRIKE)
    assert 1 - len(failed) / len(STRIKE) >= FLOOR, failed
