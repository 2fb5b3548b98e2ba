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
parts 3/4), and the strike 24 of 31 in the same index; the floor sits a little under them.

A third, a boil-water notice over two dated reports (tests/fixtures/stories_heldout/water.md and
water_lifted.md), was written by the coordinator at the start of session 7 and kept from the helpers,
with 33 probes. Measured when written, on c226432 with every story indexed: 15 of 33 (paraphrased 7/16,
unanswered 3/7, follow-ups 3/6, two parts 2/4); the strike 23 of 31 and the museum 24 of 35 beside it. The
coordinator then mended one of its failures (a full name answered by another person's surname), so
its "Who is Daniel Okafor? / What did he say?" is no longer unseen."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant
from tests.test_story_probes import abstained, answered, failures, story_library

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

WATER_PARAPHRASE = (
    answered("How many households were told to boil their water?", "40,000 homes"),
    answered("What bacteria turned up in the water?", "E. coli"),
    answered("Who runs Brookvale Water?", "Daniel Okafor"),
    answered("How many people fell ill?", "Twelve people"),
    answered("How many were hospitalised?", "three of them were admitted"),
    answered("Where can people pick up bottled water?", "five collection points"),
    answered("When was the boil-water notice ended?", "Thursday evening"),
    answered("What caused the contamination?", "cracked storage tank"),
    answered("How much will each home be paid?", "30 pounds"),
    answered("Who is investigating the contamination?", "Drinking Water Inspectorate"),
    answered("Are schools closed?", "stay shut on Monday"),
    answered("Which reservoir was the source of the bad samples?", "Millbrook reservoir"),
    answered("How long did the notice last?", "four days"),
    answered("Do people need to boil water for showers and toilets?", "did not need to be boiled"),
    answered("How many illnesses were caused by the water?", "four of the stomach illnesses"),
    answered("When are the inspectorate's results due?", "by September"),
)
WATER_UNANSWERED = (
    abstained("How many people died?"),
    abstained("How much will replacing the tank cost?"),
    abstained("When was the storage tank built?"),
    abstained("Who chairs Brookvale Water's board?"),
    abstained("How many people live in Castlebrook?"),
    abstained("Has Brookvale Water been fined?"),
    abstained("How many samples were tested?"),
)
WATER_FOLLOWUPS = (
    answered(("Who is Daniel Okafor?", "What did he say?"), "deeply sorry"),
    answered(("Who is Miriam Sloane?", "What did she advise?"), "rolling boil"),
    answered(
        ("How many people were treated for stomach upsets?", "How many of them went to hospital?"), "three"
    ),
    answered(("Who opened an investigation?", "When will it report?"), "by September"),
    answered(
        ("Who runs Brookvale Water?", "What did he apologise for?", "Which schools will stay shut?"),
        "14 of the town's primary schools",
        fresh=True,
    ),
    answered(("Who is the mayor of Castlebrook?", "What did he call for?"), "full public explanation"),
)
WATER_TWO_PARTS = (
    answered("How many homes were affected and what was found in the water?", "40,000 homes", "E. coli"),
    answered("Who is Castlebrook's mayor and what did he demand?", "Tomasz Lind", "full public explanation"),
    answered(
        "When was the notice lifted, and how much compensation will households get?",
        "Thursday evening",
        "30 pounds",
    ),
    answered("What caused the contamination and how much will the new tank cost?", "cracked storage tank"),
)
WATER = WATER_PARAPHRASE + WATER_UNANSWERED + WATER_FOLLOWUPS + WATER_TWO_PARTS

# A little under the share measured when the story was written (23/31 = 0.74).
FLOOR = 0.70


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with story_library(tmp_path_factory.mktemp("heldout"), HELD_OUT) as helper:
        yield helper


def test_most_probes_of_the_held_out_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, STRIKE)
    assert 1 - len(failed) / len(STRIKE) >= FLOOR, failed


# A little under the share measured on 2b3f607 (24/35 = 0.69), the museum indexed beside the strike.
MUSEUM_FLOOR = 0.62


def test_most_probes_of_the_museum_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, MUSEUM)
    assert 1 - len(failed) / len(MUSEUM) >= MUSEUM_FLOOR, failed


# A little under the share measured when the story was written (15/33 = 0.45).
WATER_FLOOR = 0.42


def test_most_probes_of_the_water_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, WATER)
    assert 1 - len(failed) / len(WATER) >= WATER_FLOOR, failed
