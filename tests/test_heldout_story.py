"""A story kept out of every tuning of the answerer (a nurses' strike, written by the coordinator in
session 5 and never shown to whoever changed the answer rules), asked the hidden-check way: questions in
other words, on-topic questions it does not answer, follow-ups and a fresh question after one, two-part
questions. It lives apart from tests/fixtures/stories so the rule-makers' probes never saw it; it is
indexed with them (and the seed) as a reader's library would hold them all.

Measured when written: 23 of 31 on d7934ab (session 5's start) and on 2b8dbbf (after that session's
story rules), so the floor below guards what generalises, not what was tuned.

A second story, a museum theft (tests/fixtures/stories_heldout/museum.md), was written by the
coordinator at the start of session 6 and kept from the helpers, with 35 probes of the same kinds.
Measured when written, on d8c1e78: 19 of 35 (paraphrased 9/18, unanswered 5/7, follow-ups 3/6, two
parts 2/4). Two things leaked during that session, so it is not wholly unseen: the dates work was given
its sentence "It welcomed about 210,000 visitors last year" as a repro (two probes), and the follow-up
rule role_holder (1b33bfe) was written from its "What did she tell reporters?" failure. Counts after
the session's rules, on 2b3f607: 24 of 35 (paraphrased 11/18, unanswered 5/7, follow-ups 5/6, two
parts 3/4), and the strike 24 of 31 in the same index; the floor sits a little under them."""

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

MUSEUM_PARAPHRASE = (
    answered("How long did the break-in last?", "four minutes"),
    answered("How did the robbers get away?", "motorcycle"),
    answered("Who was the diamond necklace made for?", "Duchess of Harwick"),
    answered("How much is the stolen jewellery insured for?", "6.2 million euros"),
    answered("Who runs the museum?", "Ines Kowalczyk"),
    answered("How many items were taken?", "eight pieces"),
    answered("When did the alarm sound?", "3:41 a.m."),
    answered("How quickly did police get there?", "six minutes later"),
    answered("Was the guard injured?", "not hurt"),
    answered("Where was the getaway bike found?", "15 kilometres north"),
    answered("When will the museum reopen?", "until Wednesday"),
    answered("How many people visited the museum last year?", "210,000"),
    answered("Who is in charge of the police inquiry?", "Rowan Achebe"),
    answered("What did the director say about the thieves?", "knew exactly which case"),
    answered("What will the government do about museum security?", "review security funding"),
    answered("How did they open the display case?", "power saw"),
    answered("Where else was a museum robbed this year?", "Dornfeld"),
    answered("How did the thieves get in?", "smashed a ground-floor window"),
)
MUSEUM_UNANSWERED = (
    abstained("How many thieves have been arrested?"),
    abstained("What is the name of the security guard?"),
    abstained("How much is the necklace alone worth?"),
    abstained("When was the museum founded?"),
    abstained("What colour was the motorcycle?"),
    abstained("How much were the Dornfeld coins worth?"),
    abstained("How much does a ticket to the museum cost?"),
)
MUSEUM_FOLLOWUPS = (
    answered(("Who is the museum's director?", "What did she tell reporters?"), "beyond any price"),
    answered(("Where was the motorcycle found?", "When?"), "Saturday afternoon"),
    answered(("What was stolen from the museum?", "How much are they insured for?"), "6.2 million euros"),
    answered(("When did the alarm go off?", "How long did the police take to arrive?"), "six minutes later"),
    answered(
        (
            "Who is the museum's director?",
            "What did she say?",
            "How many visitors did the museum have last year?",
        ),
        "210,000",
        fresh=True,
    ),
    answered(
        ("Which other museum was robbed this year?", "Has anyone been charged?"), "nobody has been charged"
    ),
)
MUSEUM_TWO_PARTS = (
    answered("How many pieces were stolen and how long did the raid take?", "eight pieces", "four minutes"),
    answered(
        "Who is the culture minister and what did he promise?", "Paulo Reyes", "review security funding"
    ),
    answered(
        "When did the thieves break the window, and what are the pieces insured for?",
        "3:40 a.m.",
        "6.2 million euros",
    ),
    answered("How many visitors did the museum have last year and how much does a ticket cost?", "210,000"),
)
MUSEUM = MUSEUM_PARAPHRASE + MUSEUM_UNANSWERED + MUSEUM_FOLLOWUPS + MUSEUM_TWO_PARTS

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


# A little under the share measured on 2b3f607 (24/35 = 0.69), the museum indexed beside the strike.
MUSEUM_FLOOR = 0.62


def test_most_probes_of_the_museum_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, MUSEUM)
    assert 1 - len(failed) / len(MUSEUM) >= MUSEUM_FLOOR, failed
