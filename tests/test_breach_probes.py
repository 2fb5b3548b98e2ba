"""A story written in session 9 and kept back from the rules: a building society's data breach over two
dated reports (tests/fixtures/stories_breach). Written after the session's first rules (on d652449) and
measured then, before anything was changed for it; no rule is written from its failures, so its count
says how far the rules found on the other stories carry to a story they were not found on.

Its probes ask as a new reader would: questions in other words than the reports', a fine that may come
but has not ("How much was Harbrook fined?"), on-topic questions the reports leave open, follow-ups,
a fresh question after one, and two-part questions. It has its own index (the stories, the seed and
these two reports), as the ambulance story does."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from rag import Assistant
from tests.test_story_probes import abstained, answered, failures, story_library

pytestmark = pytest.mark.slow

BREACH_STORIES = Path(__file__).resolve().parent / "fixtures" / "stories_breach"

BREACH = (
    answered("How many members had their data stolen?", "about 180,000 members"),
    answered("Who runs Harbrook?", "Lena Okafor"),
    answered("Were any passwords taken?", "no passwords or card numbers had been taken"),
    answered("When was the attack discovered?", "Oct 28"),
    answered("Who discovered the hack?", "staff at Corvel Data"),
    answered("How long were the hackers in Corvel's network?", "about three weeks"),
    answered("What will Harbrook offer affected members?", "two years of free credit monitoring"),
    answered("Which authorities was the breach reported to?", "Information Commissioner's Office"),
    answered("What should members watch out for?", "fake emails and phone calls"),
    answered("How many branches does Harbrook have?", "64 branches"),
    answered("What happened to Corvel's contract?", "ended its contract"),
    answered("How many complaints has Harbrook received?", "more than 9,000 complaints"),
    answered("How much money has been put aside for compensation?", "4 million pounds"),
    answered("What did Corvel fail to tell Harbrook?", "old server"),
    answered("Who is Corvel's boss?", "Samir Haddad"),
    answered("How big a fine could the society face?", "up to 4% of its annual turnover"),
    answered("Has anyone been arrested?", "arrested a 19-year-old man"),
    answered("Where was the suspect arrested?", "in Leeds"),
    answered("What personal details were stolen?", "names, addresses and dates of birth"),
    # on topic, not answered
    abstained("How much was Harbrook fined?"),
    abstained("What is the name of the man arrested?"),
    abstained("How many of Corvel's other clients were affected?"),
    abstained("When will the investigation end?"),
    abstained("What did Harbrook's chairman say?"),
    # follow-ups, and a fresh question after one
    answered(("Who is Harbrook's chief executive?", "What did she say to members?"), "We are deeply sorry"),
    answered(("When was the man arrested?", "Where?"), "in Leeds"),
    answered(
        ("How many complaints has Harbrook received?", "And how much has it set aside?"), "4 million pounds"
    ),
    answered(
        ("Who is Samir Haddad?", "How many members does Harbrook have?"), "1.2 million members", fresh=True
    ),
    # two parts
    answered("How many members were affected and when was the attack found?", "180,000", "Oct 28"),
    answered("Who runs Corvel and what did he say?", "Samir Haddad", "full responsibility"),
)

# Measured when written: 22 of 30 on d652449, and 22 of 30 on e2769bd (the session's start, before its
# rules). A little under that:
FLOOR = 0.7


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    with story_library(tmp_path_factory.mktemp("breach"), BREACH_STORIES) as helper:
        yield helper


def test_most_probes_of_the_breach_story_pass(assistant: Assistant) -> None:
    failed = failures(assistant, BREACH)
    assert 1 - len(failed) / len(BREACH) >= FLOOR, failed
