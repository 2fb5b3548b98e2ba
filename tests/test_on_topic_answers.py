"""A short local story the selector never saw, asked as a reader would: the quote that answers,
or an honest abstention when the story is on topic but silent (real model, real Chroma)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest

from rag import Article, Assistant, Settings
from rag.types import Answer

pytestmark = pytest.mark.slow

STORY = Article(
    title="Harbourside bridge to close for six months of repairs",
    published=dt.date(2024, 3, 12),
    source="The Coastal Herald",
    text=(
        "The Harbourside bridge in Port Elwyn will close to traffic on April 2 for six months of repairs, "
        "the city council announced on Monday.\n\n"
        "Engineers found corrosion in three of the bridge's steel cables during an inspection in January, "
        "council spokesperson Marta Kowalski said.\n\n"
        "The repairs will cost an estimated 14.5 million dollars, most of it paid by the regional government.\n\n"
        "About 22,000 vehicles cross the bridge every day. Drivers will be diverted over the Old Mill crossing, "
        "which the council expects to add up to 20 minutes to journeys at peak times.\n\n"
        "Local businesses on Quay Street have warned that the closure could cut their takings. "
        '"We lost a third of our customers the last time the bridge shut," said café owner Daniel Reyes.\n\n'
        "The bridge, which opened in 1968, was last repaired in 2009."
    ),
)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    helper = Assistant(Settings(data_dir=tmp_path_factory.mktemp("bridge")))
    assert helper.ingest([STORY]).ok
    yield helper
    helper.close()


def quotes(answer: Answer) -> list[str]:
    """The answer's quotes, each checked to be an exact slice of the story."""
    for c in answer.citations:
        assert STORY.text[c.start : c.end] == c.quote
    return [c.quote for c in answer.citations]


def test_what_a_named_person_said_is_their_quote(assistant: Assistant) -> None:
    # The quote shares no word with the question but the name: still the answer.
    answer = assistant.ask("What did Daniel Reyes say?")
    assert not answer.abstained
    assert quotes(answer)[0].startswith('"We lost a third of our customers')


def test_who_a_named_person_is_quotes_the_sentence_giving_their_role(assistant: Assistant) -> None:
    answer = assistant.ask("Who is Marta Kowalski?")
    assert not answer.abstained
    assert "council spokesperson Marta Kowalski" in quotes(answer)[0]


def test_a_role_the_story_never_names_is_abstained_on(assistant: Assistant) -> None:
    # On topic (Port Elwyn is in the story), but no sentence names a mayor.
    answer = assistant.ask("Who is the mayor of Port Elwyn?")
    assert answer.abstained and not answer.citations
    assert "mayor" in answer.text


def test_a_role_the_story_names_picks_its_holder(assistant: Assistant) -> None:
    answer = assistant.ask("Who is the spokesperson for the council?")
    assert not answer.abstained
    assert "Marta Kowalski" in quotes(answer)[0]


def test_a_two_part_question_quotes_each_part_once(assistant: Assistant) -> None:
    answer = assistant.ask("When will the bridge close, and how much will the repairs cost?")
    found = quotes(answer)
    assert any("April 2" in q for q in found) and any("14.5 million dollars" in q for q in found)
    assert len(set(found)) == len(found)
    assert all(answer.text.count(q) == 1 for q in found)


def test_a_year_the_story_does_not_tie_to_the_fact_is_abstained_on(assistant: Assistant) -> None:
    # The story gives this year's cost and says the bridge was repaired in 2009, not what that cost.
    assert assistant.ask("How much did the 2009 repairs cost?").abstained
    answer = assistant.ask("How much will the repairs cost?")
    assert "14.5 million dollars" in quotes(answer)[0]
