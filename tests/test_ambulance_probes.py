"""A story written at the start of session 8, before any rule was changed: ambulances queuing outside a
hospital, over two dated reports (tests/fixtures/stories_ambulance). Its probes ask as a new reader
would: questions in other words than the story's, a body called by its last word ("The hospital has been
fined ..." asked as "How much was Kestrel General fined?"), a month asked without its year ("in
February", published in February 2025 and asked in December 2026), on-topic questions the reports leave
open, follow-ups, a fresh question after one, and two-part questions.

It is indexed with the other stories and the seed, as a reader's library would hold them; the other
stories' probes (tests/test_story_probes.py) are asked without it: indexed beside them it cost the
precise set "How much was the fine alone?" (now also asked of the hospital's fine) and the recall
story's "What did Dr Achebe say?" (her quotation opens a chunk no longer retrieved).

Measured when written, on 8fe44d8: 17 of 30. After the rules it led to (rag.referents, yearless
months in rag.date_ranking, a taken-up post said as one, bodies that answer "who", a role asked held by
the sentence quoted), 21 of 30; the floor sits a little under that."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant
from tests.test_story_probes import abstained, answered, failures, passes, story_library

pytestmark = pytest.mark.slow

AMBULANCE_STORIES = Path(__file__).resolve().parent / "fixtures" / "stories_ambulance"

AMBULANCE = (
    answered("How many times did ambulances wait over three hours in December?", "41 occasions"),
    answered("Who is in charge of operations at the ambulance service?", "Priya Raman"),
    answered("Why were ambulances kept waiting at Kestrel General?", "shortage of beds"),
    answered("How many beds does Kestrel General have?", "520"),
    answered("Who runs Kestrel General?", "Martin Oduya"),
    answered("When will the discharge lounge open?", "March 17"),
    answered("Why was the discharge lounge delayed?", "oxygen lines"),
    answered("How many nurses has the hospital taken on?", "35 extra nurses"),
    answered("Who chairs the scrutiny committee?", "Aled Fenwick"),
    answered("What deadline was the hospital given?", "end of April"),
    answered("How much was Kestrel General fined?", "120,000 pounds"),
    answered("What will the fine pay for?", "extra community nurses"),
    answered("How many crew hours were lost in January?", "2,300"),
    answered("What was the longest handover delay last winter?", "just under two hours"),
    answered("How long did the paramedic keep a patient on oxygen in her ambulance?", "six hours"),
    answered("Who fined the hospital?", "regional health authority"),
    answered("How many patients were waiting for a care home place in February?", "48"),
    abstained("How much will the discharge lounge cost?"),
    abstained("How many ambulances does the Northmoor Ambulance Service have?"),
    abstained("What is the name of the paramedic who spoke at the hearing?"),
    abstained("Who is the chief executive of the Northmoor Ambulance Service?"),
    abstained("How many patients died because of the delays?"),
    abstained("When did Martin Oduya become chief executive?"),
    abstained("Which care homes have places available?"),
    answered(
        ("Who chairs the health scrutiny committee?", "What did he call the situation?"),
        "unacceptable in a wealthy county",
    ),
    answered(("How much was Kestrel General fined?", "Who imposed it?"), "regional health authority"),
    answered(("How many crew hours were lost in December?", "And in January?"), "2,300"),
    answered(("Who is Priya Raman?", "How many beds does Kestrel General have?"), "520", fresh=True),
    answered(
        "How many nurses has the hospital hired and when will the discharge lounge open?",
        "35 extra nurses",
        "March 17",
    ),
    answered("Who chairs the scrutiny committee and when will it review progress?", "Aled Fenwick", "May"),
)

# A little under the share measured after the session's rules (21/30 = 0.70).
FLOOR = 0.66

# Failed when written, each mended by a rule of its own (see the module docstring).
FIXED = (
    "How much was Kestrel General fined?",
    "What was the longest handover delay last winter?",
    "How many patients were waiting for a care home place in February?",
    "When did Martin Oduya become chief executive?",
    "Who fined the hospital?",
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with story_library(tmp_path_factory.mktemp("ambulance"), AMBULANCE_STORIES) as helper:
        yield helper


def test_most_probes_of_the_ambulance_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, AMBULANCE)
    assert 1 - len(failed) / len(AMBULANCE) >= FLOOR, failed


@pytest.mark.parametrize("label", FIXED)
def test_a_probe_failed_before_its_rule_passes(assistant: Assistant, label: str) -> None:
    passes(assistant, AMBULANCE, label)
