"""What a question pins its answer down to, met or missed by one sentence (rag.restrictions)."""

from __future__ import annotations

import pytest

from rag.restrictions import (
    meets_restrictions,
    says_event,
    says_measure,
    says_part_alone,
    says_rate,
    says_superlative,
    says_which_time,
    says_words,
)

REPAIRS = (
    "The repairs will cost an estimated 14.5 million dollars, most of it paid by the regional government."
)
RESTOCKING = "Brennock must also pay 650,000 euros towards restocking the river and cleaning its banks."
FINE = "A court in Dunmore on Wednesday fined Brennock Chemicals 3.2 million euros for a spill."
SEATS = "The Greens took 28 of the council's 51 seats, up from 11 at the last election in 2021."
VEHICLES = "About 22,000 vehicles cross the bridge every day."
BRIDGE = "The bridge, which opened in 1968, was last repaired in 2009."


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        (
            "When was Veltrana founded?",
            "Under her, Veltrana expanded, but sales fell 18 percent last year.",
            False,
        ),
        ("When was Veltrana founded?", "Veltrana, which was set up in 1988, makes frozen meals.", True),
        ("When was the club founded?", "Engineers found corrosion in 2021.", False),  # found, not founded
        (
            "Where was Priya Natarajan born?",
            "Priya Natarajan, 41, is expected to become council leader.",
            False,
        ),
        ("Was Elena Voss fined?", "Elena Voss received a suspended sentence of eight months.", False),
        ("How much was Brennock fined?", FINE, True),
        (
            "Who was arrested over the spill?",
            "The court has issued an arrest warrant for the manager.",
            False,
        ),
        ("Who issued a warrant to arrest Putin?", "The ICC has issued an arrest warrant for Putin.", True),
        ("Did Helen Marsh resign?", "Veltrana Foods has removed chief executive Helen Marsh.", False),
        ("Did the minister resign?", "The minister stepped down on Friday.", True),
        (
            "Which firm is taking over Veltrana?",
            "Veltrana Foods has removed chief executive Helen Marsh.",
            False,
        ),
        ("Who took over from Marsh?", "The board named Tomasz Wierzbicki as interim chief executive.", True),
        ("When was Martin Hale elected?", "Hale won the Riverside seat in 2014.", True),
        ("How many seats did the Greens win?", SEATS, True),  # no event asked
    ],
)
def test_the_event_asked_about_is_the_sentences_own(question: str, sentence: str, said: bool) -> None:
    assert says_event(question, sentence) is said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        ("How much will the cable repairs alone cost?", REPAIRS, False),  # no cables: all the repairs
        ("How much will restocking the river alone cost?", RESTOCKING, False),  # restocking and cleaning
        ("How much will restocking the river alone cost?", FINE, False),
        ("How much was the fine alone?", FINE, True),
        ("How many seats did the Greens alone win?", SEATS, True),
        (
            "How much did the stadium alone cost?",
            "The stadium and the roads cost 40 million in total.",
            False,
        ),
        ("How much will the repairs cost?", REPAIRS, True),  # no part asked alone
    ],
)
def test_a_part_asked_alone_is_said_apart_from_others(question: str, sentence: str, said: bool) -> None:
    assert says_part_alone(question, sentence) is said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        ("How many vehicles cross the bridge each hour?", VEHICLES, False),
        ("How many vehicles cross the bridge each day?", VEHICLES, True),
        ("How many vehicles use the bridge daily?", VEHICLES, True),
        (
            "How many bottles are sold per year?",
            "Calmira Junior sells about 1.2 million bottles a year.",
            True,
        ),
        (
            "How many bottles are sold annually?",
            "Calmira Junior sells about 1.2 million bottles a year.",
            True,
        ),
        ("How many trees will be planted each year?", "It plans to plant 50,000 trees by 2030.", False),
        ("How many bottles does each batch hold?", "It recalls 90,000 bottles from four batches.", False),
        ("How much does each ticket cost?", "Tickets cost 12 euros apiece.", True),
        ("How much does each ticket cost?", "A single ticket costs 12 euros.", True),
        ("How often does the bus run?", "A shuttle bus will run every 15 minutes.", True),  # no rate asked
    ],
)
def test_a_rate_is_answered_by_an_amount_for_each_of_the_same(
    question: str, sentence: str, said: bool
) -> None:
    assert says_rate(question, sentence) is said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        ("When was the bridge first repaired?", BRIDGE, False),
        ("When was the bridge last repaired?", BRIDGE, True),
        ("When was the last council election?", SEATS, True),
        ("When did the Greens first win seats?", SEATS, False),
        ("When did the strike first begin?", "The strike will last two weeks.", True),  # "last", the verb
        ("What was the turnout last year?", "Turnout was 31 percent, the first fall since 2010.", True),
    ],
)
def test_the_first_time_is_not_the_last(question: str, sentence: str, said: bool) -> None:
    assert says_which_time(question, sentence) is said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        (
            "Which country is Veltrana's biggest market?",
            "Veltrana has nine factories in Britain and Poland.",
            False,
        ),
        ("Which country is Veltrana's biggest market?", "Britain is Veltrana's largest market.", True),
        (
            "Which counties were under the highest warning?",
            "A red warning, its highest level, for Galway.",
            True,
        ),
    ],
)
def test_a_superlative_asked_is_said(question: str, sentence: str, said: bool) -> None:
    assert says_superlative(question, sentence) is said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        ("How high did the ash go?", "An ash plume rose about 6 km above the crater.", True),
        (
            "How high did the ash go?",
            "Ash above the limit of 2 milligrams per cubic metre was measured.",
            False,
        ),
        ("How tall were the walls?", "Crews built earth walls up to 8 metres high.", True),
        # a length of another thing: the fountains are measured, not the volcano
        (
            "How tall is the Orsa volcano?",
            "The Orsa volcano erupted, sending fountains of lava up to 80 metres.",
            False,
        ),
        ("How far is the Corran Bank from the coast?", "The Corran Bank, about 60 km off both coasts.", True),
        ("How far did the stock fall?", "The shares fell 12 percent.", True),  # a share, not a length
        ("How high did prices rise?", "Prices rose 4 percent.", True),
        ("How quickly was the lava moving?", "The flow was advancing at about 40 metres an hour.", True),
        ("How quickly was the lava moving?", "The flow was about 900 metres from the first houses.", False),
        ("How fast were the gusts?", "Gusts of up to 130 kilometres an hour.", True),
        ("How quickly will the repairs be done?", "The repairs will take six weeks.", True),  # a time asked
        ("How many flights were cancelled?", "Airlines cancelled 420 flights.", True),  # no measure asked
        # a scale word between the number and its unit (the news quiz's comet, lost at 1b1ae41)
        (
            "How far from Earth will the comet be at its closest approach?",
            "At its closest it will still be 42 million kilometres away, the observatory said.",
            True,
        ),
        # growth is fast in percent (the news quiz's economy question, lost at 1b1ae41)
        (
            "How fast does the government expect the economy to grow next year?",
            "The finance ministry expects the economy to grow by 1.4% next year.",
            True,
        ),
    ],
)
def test_a_measure_asked_is_said_in_its_units(question: str, sentence: str, said: bool) -> None:
    assert says_measure(question, sentence) is said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        (
            "What did the prime minister say to the families?",
            "Prime Minister Elin Hauge visited the evacuation centre and met families.",
            False,
        ),
        ("What did the prime minister say?", "The prime minister said the fund would grow.", True),
        ("What did she tell reporters?", '"We have not stopped a single lawful vessel."', True),
        ("What did Grady say?", "Paul Grady, who chairs the club, welcomed the fine.", True),
        ("What did the Greens promise?", "The Greens would cut fares to one pound.", True),  # no saying asked
    ],
)
def test_words_asked_for_are_words_someone_said(question: str, sentence: str, said: bool) -> None:
    assert says_words(question, sentence) is said


def test_amounts_alone_restrict_only_amounts_and_saying_is_not_the_event() -> None:
    assert not meets_restrictions("How many vehicles cross the bridge each hour?", VEHICLES, "how many")
    assert meets_restrictions("What did each candidate promise per year?", VEHICLES, "other")
    said = '"No fine brings back the fish," he said.'
    assert meets_restrictions("What did Grady say about Brennock being fined?", said, "what said")
    assert not meets_restrictions("When was Veltrana founded?", SEATS, "when")
    visit = "Prime Minister Elin Hauge visited the evacuation centre."
    assert not meets_restrictions("What did the prime minister say?", visit, "what said")
    assert not meets_restrictions("How high did the ash go?", "The ash cancelled 420 flights.", "how much")
