"""Follow-ups made standalone by what they lack; self-contained questions left alone."""

from __future__ import annotations

import pytest

from rag.follow_ups import is_follow_up, search_query


@pytest.mark.parametrize(
    ("question", "follow_up"),
    [
        ("and what about Russia?", True),
        ("What did he say next?", True),
        ("Why?", True),
        ("and in 2022?", True),
        ("and what did Russia say about that?", True),
        ("How many are still missing?", True),
        ("How many people live there?", True),
        ("Who else was charged?", True),
        ("Who is the Russian ambassador-at-large who spoke to reporters in Moscow on Tuesday?", False),
        ("Where is Astana?", False),
        ("What did Putin say about his plans?", False),
        ("Were there any survivors of the ferry accident?", False),
        ("Is it true that the ICC issued a warrant for Putin?", False),
        ("When did FTX file for bankruptcy?", False),
        ("Did the court say that the tax was unfair?", False),
        ("What did Russia say about it?", True),
        ("Did the Kremlin condemn them?", True),
        ("At what time did the ferry capsize near Batam?", False),
        ("Did Russia say it would appeal?", False),
    ],
)
def test_is_follow_up_when_something_is_missing(question: str, follow_up: bool) -> None:
    assert is_follow_up(question) is follow_up


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        (
            [("Who issued an arrest warrant for Putin?", "The ICC issued a warrant. [1]")],
            "and what did Russia say about that?",
            "What did Russia say about an arrest warrant for Putin?",
        ),
        ([("What was FTX's revenue in 2021?", "...")], "and in 2022?", "What was FTX's revenue in 2022?"),
        (
            [("How much did Acme earn in the third quarter?", "...")],
            "What about Globex?",
            "How much did Globex earn in the third quarter?",
        ),
        (
            [("Who is the head of the agency?", "Agus Salim heads the rescue agency. [1]")],
            "What did he say about the waves?",
            "What did Agus Salim say about the waves?",
        ),
        (
            [("Where did the ferry capsize?", "Near Batam. [1]")],
            "When did it capsize?",
            "When did the ferry capsize?",
        ),
        (
            [
                ("Who founded FTX?", "Sam Bankman-Fried founded FTX. [1]"),
                ("When was he convicted?", "... [1]"),
            ],
            "How long is his sentence?",
            "How long is Sam Bankman-Fried's sentence?",
        ),
        (
            [("What did Miroshnik say about Kyiv?", "He said ... [1]")],
            "and what about Nato?",
            "What did Miroshnik say about Nato?",
        ),
        # the topic of a question with no "the": what it asked about, not its "How many"
        (
            [("How many homes lost power?", "About 80,000 homes ... [1]")],
            "And how many have been reconnected?",
            "How many homes have been reconnected (homes lost power)?",
        ),
    ],
)
def test_a_follow_up_becomes_a_standalone_question(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert search_query(question, history) == standalone


RAIL = [
    (
        "What pay rise is the rail union demanding?",
        "The National Rail Union is demanding a pay rise of 8% to keep up with living costs, "
        "while the operators have offered 4.5%. [1]",
    )
]


def test_the_noun_the_previous_answer_introduced_points_back_at_its_story() -> None:
    # "the operators" were met in the answer: the question means this strike's operators.
    assert (
        search_query("What have the operators offered?", RAIL)
        == "What have the operators offered (the rail union)?"
    )


@pytest.mark.parametrize(
    "question",
    [
        "What is the inflation rate?",  # the previous turn said nothing of inflation
        "Who is the fire chief?",  # nor of a chief
        "What have the Northwind operators offered?",  # names what it asks about
    ],
)
def test_a_definite_noun_the_previous_turn_did_not_use_starts_afresh(question: str) -> None:
    assert search_query(question, RAIL) == question


def test_a_self_contained_question_is_never_mixed_with_the_previous_one() -> None:
    history = [("What did Miroshnik say about Kyiv?", "He said ... [1]")]
    assert search_query("Where is Astana?", history) == "Where is Astana?"
    assert (
        search_query("When did Putin send troops into Ukraine?", history)
        == "When did Putin send troops into Ukraine?"
    )
    assert search_query("and what about Nato?", []) == "and what about Nato?"


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        (
            [("Where did the Sulawesi earthquake strike?", "It struck the island of Sulawesi. [1]")],
            "At what time did it happen?",
            "At what time did the Sulawesi earthquake happen?",
        ),
        (
            [("How many people have the Kanta floods killed?", "At least 40 people. [1]")],
            "And how many are still missing?",
            "How many people are still missing (the Kanta floods)?",
        ),
    ],
)
def test_the_topic_carried_over_is_a_noun_phrase_not_the_previous_verb(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert search_query(question, history) == standalone


@pytest.mark.parametrize(
    ("history", "question", "must_contain"),
    [
        (
            [
                ("Who issued an arrest warrant for Putin?", "The ICC issued a warrant for Putin. [1]"),
                ("And what did Russia say about that?", "Russia has rejected the allegations. [1]"),
            ],
            "And when did it happen?",
            ("arrest warrant", "Putin"),
        ),
        (
            [
                ("Who won the Harbor City mayoral election?", "Teresa Rivera won the election. [1]"),
                ("What did she campaign on?", "She campaigned on housing. [1]"),
            ],
            "When did it take place?",
            ("Harbor City mayoral election",),
        ),
        (
            [
                ("How many people had to flee the Cedar Valley wildfire?", "About 4,000 people fled. [1]"),
                ("What started it?", "A downed power line started the fire. [1]"),
                ("How many homes did it destroy?", "The fire destroyed 120 homes. [1]"),
            ],
            "When did it start?",
            ("Cedar Valley wildfire",),
        ),
    ],
)
def test_a_follow_up_of_a_follow_up_keeps_the_conversations_topic(
    history: list[tuple[str, str]], question: str, must_contain: tuple[str, ...]
) -> None:
    standalone = search_query(question, history)
    assert all(word in standalone for word in must_contain), standalone
    assert "Russia happen" not in standalone and "Teresa" not in standalone


# The answers the follow-ups below lean on, as the assistant words them (quote, then its marker).
WHERE_FACTORIES = [
    (
        "Where are Veltrana's factories?",
        "Veltrana employs about 6,300 people at nine factories in Britain and Poland. [1]",
    )
]


WHICH_COUNTIES = [
    (
        "Which counties had a red warning?",
        "The national forecaster had issued a red wind warning, its highest level, for Galway, Clare and "
        "Mayo from 6 a.m. to 2 p.m., urging people to stay indoors. [1]",
    )
]


WHEN_ELECTION = [
    (
        "When was the last Wexham election before this one?",
        "The Greens took 28 of the council's 51 seats, up from 11 at the last election in 2021. [1]",
    )
]


WHEN_WARNING_ENDED = [("When did the red warning end?", WHICH_COUNTIES[0][1])]


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        # "there": the places the answer to "where" (or "which counties") quoted
        (WHERE_FACTORIES, "How many people work there?", "How many people work in Britain and Poland?"),
        (
            WHICH_COUNTIES,
            "Will schools there open on Monday?",
            "Will schools in Galway, Clare and Mayo open on Monday?",
        ),
        # "then": the time the answer to "when" quoted; the end of a span for when something ended
        (
            WHEN_ELECTION,
            "How many seats did the Greens win then?",
            "How many seats did the Greens win in 2021?",
        ),
        (
            WHEN_WARNING_ENDED,
            "Had the worst of the wind passed by then?",
            "Had the worst of the wind passed by 2 p.m?",
        ),
        (WHEN_ELECTION, "Who won at that time?", "Who won in 2021?"),
    ],
)
def test_there_and_then_stand_for_the_place_and_time_the_previous_answer_gave(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert is_follow_up(question)
    assert search_query(question, history) == standalone


def test_there_and_then_are_left_alone_when_nothing_says_where_or_when() -> None:
    # an abstention quotes nothing: its words are no answer to point back at
    abstained = [("Where are the factories?", 'The articles mention "factories" but not where. [closest]')]
    assert "Britain" not in search_query("How many people work there?", abstained)
    assert search_query("Were there any survivors?", WHERE_FACTORIES).startswith("Were there")


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        # "they" is plural: Veltrana's shares, not Veltrana
        (
            [
                (
                    "How much did Veltrana's shares fall?",
                    "Shares in Veltrana fell 12 percent to 2.84 pounds. [1]",
                )
            ],
            "What price did they reach?",
            "What price did Veltrana's shares reach?",
        ),
        # "it" is singular: the power the homes lost, neither the homes nor "lost"
        (
            [("How many homes lost power in Storm Iona?", "About 80,000 homes ... [1]")],
            "When will it be restored?",
            "When will power be restored?",
        ),
    ],
)
def test_a_pronoun_stands_for_a_noun_of_its_number(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert search_query(question, history) == standalone


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        (
            [("What does Kyiv say it will do?", "Kyiv says it will continue fighting until ... [1]")],
            "Until when?",
            "Until when does Kyiv say it will do?",
        ),
        # "why is Elena Voss?" asks nothing: why what the answer said
        (
            [("Who is Elena Voss?", "Elena Voss received a suspended sentence of eight months. [1]")],
            "Why?",
            "Why Elena Voss received a suspended sentence of eight months?",
        ),
        (
            [("How much will Halden Pharma pay for Corvo Bio?", "Halden will pay $4.5 billion. [1]")],
            "How much per share?",
            "How much per share (Halden Pharma)?",
        ),
        (
            [("How many seats did the Greens win?", "The Greens took 28 of the 51 seats. [1]")],
            "And how many did Labour?",
            "How many seats did the Labour win?",
        ),
    ],
)
def test_an_elliptical_question_borrows_what_it_leaves_out(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert search_query(question, history) == standalone


MINE = [
    (
        "How many miners were rescued?",
        "Rescuers freed nine miners on Tuesday who had been trapped underground for 17 days after a "
        "tunnel collapsed at a copper mine. [1]",
    ),
    ("How long were they trapped?", "... for 17 days ... [1]"),
]


def test_a_definite_noun_any_earlier_answer_used_points_back() -> None:
    # "the collapse" was said two turns back, not by the previous answer
    assert (
        search_query("When did the collapse happen?", MINE)
        == "When did the collapse happen (miners were rescued)?"
    )


def test_a_count_without_its_noun_is_a_follow_up_and_a_named_one_is_not() -> None:
    assert is_follow_up("How many were treated for hypothermia?")
    assert not is_follow_up("How many were killed in the Sulawesi earthquake?")
    # a question with its own "the <noun>" lacks nothing, even when it says little
    assert not is_follow_up("What was the turnout?")
    history = [
        ("Why was the count delayed?", "A ballot box went missing. [1]"),
        ("Where was it found?", "In a cupboard. [1]"),
    ]
    assert search_query("What was the turnout?", history) == "What was the turnout?"


def test_what_happened_is_the_previous_questions_event_when_its_verb_has_no_object() -> None:
    # "it" is the dying, not the storm; after "who won the election?" it is the election
    died = [("Who died in the storm?", "A 67-year-old man died in County Clare. [1]")]
    assert search_query("Where did it happen?", died) == "Where did it happen that someone died in the storm?"
    won = [("Who won the Harbor City mayoral election?", "Teresa Rivera was elected. [1]")]
    assert (
        search_query("When did it take place?", won)
        == "When did the Harbor City mayoral election take place?"
    )


SAID_IN_MOSCOW = [
    (
        "What did Miroshnik say about the regime in Kyiv?",
        '"The current regime is toxic," Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow. [1]',
    )
]


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        # what he said is "it", never the man who said it
        (SAID_IN_MOSCOW, "Where did he say it?", "Where did Rodion Miroshnik say it?"),
        # "who is X?" names the "he" that follows, whatever names the answer holds
        (
            [
                (
                    "Who is Miroshnik?",
                    'Miroshnik, a former official of the "Luhansk People\'s Republic", ... [1]',
                )
            ],
            "When was his post created?",
            "When was Miroshnik's post created?",
        ),
        # "what was created?" is answered by what was: "it" is that
        (
            [
                (
                    "What was created to collect evidence of Ukrainian crimes?",
                    "Miroshnik's post was created to collect evidence of alleged Ukrainian crimes. [1]",
                )
            ],
            "Who holds it?",
            "Who holds Miroshnik's post?",
        ),
    ],
)
def test_a_pronoun_stands_for_what_the_previous_turn_was_about(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert search_query(question, history) == standalone


def test_who_is_the_role_of_a_company_is_answered_by_a_person_not_the_company() -> None:
    history = [("Who is the chairman of Veltrana?", '"...," chairman Richard Okafor said. [1]')]
    assert search_query("What did he say?", history) == "What did Richard Okafor say?"


def test_who_is_the_role_is_the_person_named_beside_the_role_not_the_first_person() -> None:
    answer = (
        "The award, first given by Queen Victoria in 1880, went to the city's harbour master. "
        '"We are proud of the crew," harbour master Nadia Brandt told reporters. [1]'
    )
    history = [("Who is the city's harbour master?", answer)]
    assert search_query("What did she tell reporters?", history) == "What did Nadia Brandt tell reporters?"


@pytest.mark.parametrize(
    ("history", "question", "standalone"),
    [
        # "who" is answered by a person: the one the answer names, not a name in the question
        (
            [
                (
                    "Who is the director of the Carrow Museum?",
                    "The museum's director, Anita Shah, said the building had twice the space. [1]",
                )
            ],
            "What did she say?",
            "What did Anita Shah say?",
        ),
        # after "who <did something>?" the question's own names come first, as before
        (
            [
                (
                    "Who issued an arrest warrant for Putin?",
                    "A UN-mandated body ..., and the International Criminal Court (ICC) has issued an "
                    "arrest warrant for Putin. [1]",
                )
            ],
            "When was it issued?",
            "When was it issued (an arrest warrant for Putin)?",
        ),
        # "first" says when, it is no part of what "it" is
        (
            [("When did the museum first open?", "The museum first opened in 1904. [1]")],
            "When did it close?",
            "When did the museum close?",
        ),
    ],
)
def test_a_story_no_rule_was_written_for(
    history: list[tuple[str, str]], question: str, standalone: str
) -> None:
    assert search_query(question, history) == standalone


def test_a_short_question_saying_what_it_asks_about_is_not_mixed_with_the_one_before() -> None:
    history = [("Who covered the rest?", "The council covered the rest. [1]")]
    assert not is_follow_up("Is entry free?")
    assert search_query("Is entry free?", history) == "Is entry free?"
    # ... but one saying only "anyone" or "what happened" still leans on it
    assert is_follow_up("Was anyone injured?") and is_follow_up("What happened next?")


def test_a_reply_with_nothing_replied_to_answers_what_the_previous_answer_said() -> None:
    history = [("What does Ukraine accuse Moscow of?", "Ukraine accuses Moscow of air strikes. [1]")]
    assert is_follow_up("How does Russia respond?")
    assert search_query("How does Russia respond?", history) == (
        "How does Russia respond to this: Ukraine accuses Moscow of air strikes."
    )
    assert not is_follow_up("How did Russia respond to the sanctions?")
