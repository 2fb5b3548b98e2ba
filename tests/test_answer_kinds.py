"""What a question asks for, and the recogniser that finds candidates of that kind in a sentence."""

from __future__ import annotations

import pytest

from rag.answer_kinds import SPAN, answer_kind, asked_role, holds_role_of, role_country, spoken_role
from rag.mentions import find_mentions, in_context


@pytest.mark.parametrize(
    ("question", "label"),
    [
        ("How many people were rescued after the ferry capsized?", "how many"),
        # what a post is for is asked, not the post: "created to collect evidence"
        ("What was Miroshnik's job created for?", "other"),
        ("What job does Miroshnik have?", "what position"),
        ("How much did Acme earn?", "how much"),
        ("What was FTX's revenue in 2021?", "how much"),
        ("Who issued an arrest warrant for Putin?", "who"),
        ("Who is Rodion Miroshnik?", "what position"),
        ("Whom did the court convict?", "who"),
        ("When did Putin send troops into Ukraine?", "when"),
        ("What year did the war start?", "when"),
        ("Where did the ferry capsize?", "where"),
        ("In which city was the trial held?", "where"),
        ("Why did shares fall?", "why"),
        ("How was the man in his seventies hurt?", "why"),  # what hurt him
        ("How were the two firefighters injured?", "why"),
        ("How did the man in County Clare die?", "other"),  # said "when a tree fell", no cause word
        ("How many people were hurt?", "how many"),
        ("What position does Rodion Miroshnik hold?", "what position"),
        ("Which company reported earnings?", "which organisation"),
        ("What percentage of voters backed him?", "what share"),
        ("How long were the miners trapped?", "how long"),
        ("How long ago did the mine open?", "when"),
        ("Which counties had a red warning?", "where"),
        ("Which companies bid for the contract?", "which organisation"),
        ("What did the court rule?", "other"),
        ("and what did Russia say about that?", "what said"),
        ("How did the Kremlin react to the warrant?", "what said"),
    ],
)
def test_answer_kind(question: str, label: str) -> None:
    assert answer_kind(question).label == label


@pytest.mark.parametrize(
    ("question", "wanted"),
    [
        ("How much will the RSV vaccine cost?", {"money"}),
        ("How much money did Teresa Rivera raise for her campaign?", {"money"}),
        ("How much will Halden Pharma pay for Corvo Bio?", {"money"}),
        ("How much was Crestmark Bank fined?", {"money"}),
        ("What was Brightline Software's revenue last year?", {"money"}),
        ("What was the price of Brent crude?", {"money"}),
        ("By how much did fuel prices rise?", {"money", "number", "percent"}),
        ("How much will OPEC+ cut oil output?", {"money", "number", "percent"}),
    ],
)
def test_a_cost_or_a_revenue_is_an_amount_of_money_not_any_number(question: str, wanted: set[str]) -> None:
    """A percentage or a head count in the best sentence does not say what something cost."""
    assert answer_kind(question).label == "how much"
    assert answer_kind(question).wanted == wanted


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "A ferry carrying 40 passengers capsized near Batam on Sunday, officials said.",
            {("number", "40"), ("date", "Sunday"), ("place", "Batam")},
        ),
        ("Rescue teams pulled 38 people from the water.", {("number", "38")}),
        (
            "Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow.",
            {("role", "Ambassador-at-Large"), ("person", "Rodion Miroshnik"), ("place", "Moscow")},
        ),
        (
            "Putin sent troops into Ukraine in February 2022.",
            {("date", "February 2022"), ("place", "Ukraine")},
        ),
        (
            "FTX's revenue rose to $1.02 billion in 2021, up 1,000% from a year earlier.",
            {("org", "FTX"), ("money", "$1.02 billion"), ("date", "2021"), ("percent", "1,000%")},
        ),
        (
            "The International Criminal Court (ICC) has issued an arrest warrant.",
            {("org", "International Criminal Court"), ("org", "ICC")},
        ),
        (
            "Shares fell 12 percent because of weak demand.",
            {("percent", "12 percent"), ("cause", "because of weak demand")},
        ),
        ("The mission cost about 400 million euros.", {("money", "400 million euros")}),
        ("Repairs cost 14 million crowns.", {("money", "14 million crowns")}),
        ("The fine was 250,000 zlotys and 90 kronor.", {("money", "250,000 zlotys"), ("money", "90 kronor")}),
        ("The quake hit at 2:40am on May 5.", {("date", "2:40am"), ("date", "May 5")}),
        # times of day are no counts: "6 a.m." says when, not how many people
        ("The warning ran from 6 a.m. to 2 p.m. on Saturday.", {("date", "6 a.m"), ("date", "2 p.m")}),
        (
            "Brennock Chemicals and the Social Democrats",
            {("org", "Brennock Chemicals"), ("org", "Social Democrats")},
        ),
        ("A man died in County Clare near Port Elwyn.", {("place", "County Clare"), ("place", "Port Elwyn")}),
        ("You may go now.", set()),
        (
            "The fire has burned 12,000 hectares since it was sparked by lightning on Tuesday.",
            {("cause", "sparked by lightning on Tuesday")},
        ),
        ("The rally was driven by hopes for an ETF.", {("cause", "driven by hopes for an ETF")}),
    ],
)
def test_find_mentions(sentence: str, expected: set[tuple[str, str]]) -> None:
    found = {(m.kind, m.text) for m in find_mentions(sentence)}
    assert expected <= found
    for m in find_mentions(sentence):
        assert sentence[m.start : m.end] == m.text
    if not expected:
        assert not {k for k, _ in found} & {"date", "number", "person", "org"}


@pytest.mark.parametrize(
    ("sentence", "name", "kind"),
    [
        ("Governor Helen Park said the bank would decide meeting by meeting.", "Helen Park", "person"),
        ("Judge Amy Lake ruled against the city.", "Amy Lake", "person"),
        ("Crowds filled St James Park on Sunday.", "James Park", "place"),
        ("Prince Edward Island voted on Monday.", "Edward Island", "place"),
    ],
)
def test_an_office_before_a_name_makes_it_a_person_even_when_it_ends_like_a_place(
    sentence: str, name: str, kind: str
) -> None:
    assert (kind, name) in {(m.kind, m.text) for m in find_mentions(sentence)}


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("Who is the mayor of Port Elwyn?", "mayor"),
        ("Who is the judge in the Google antitrust trial?", "judge"),
        ("Who was Crestmark's chief executive?", "chief executive"),
        ("Who will be chief executive of the merged group?", "chief executive"),
        ("Who is the fire chief?", "fire chief"),
        ("and who was the referee?", "referee"),
        ("Who is Marta Kowalski?", ""),  # a name, not a role
        ("Who won the election?", ""),
        ("Who are the new owners?", ""),  # owners: not an office the lexicon knows
    ],
)
def test_the_role_a_who_question_asks_about(question: str, role: str) -> None:
    assert asked_role(question) == role


@pytest.mark.parametrize(
    ("question", "sentence", "holds"),
    [
        ("Who is Ukraine's president?", "Ukrainian President Volodymyr Zelenskiy has ruled out talks.", True),
        ("Who is Ukraine's president?", "what President Vladimir Putin calls a special operation", False),
        ("Who is the president of Ukraine?", "Russian President Vladimir Putin spoke.", False),
        ("Who is the president of Ukraine?", "Zelenskiy, the president of Ukraine, spoke.", True),
        ("Who is Kazakhstan's president?", "his Kazakh President Kassym-Jomart Tokayev", True),
        ("Who is Germany's foreign minister?", "German foreign minister Annalena Baerbock said", True),
        ("Who is Austria's chancellor?", "Australian chancellor of the exchequer", False),
    ],
)
def test_a_role_asked_of_a_country_is_held_by_one_named_as_its_own(
    question: str, sentence: str, holds: bool
) -> None:
    role = asked_role(question)
    assert holds_role_of(sentence, role, role_country(question, role)) is holds


def test_a_role_asked_of_no_country_has_no_country() -> None:
    assert role_country("Who is Veltrana's chairman?", "chairman") == ""
    assert role_country("Who is the mayor?", "mayor") == ""


@pytest.mark.parametrize(
    ("sentence", "span"),
    [
        ("The bridge will close for six months of repairs.", True),
        ("Marsh had led the company since 2019.", True),
        ("The warning ran from 6 a.m. to 2 p.m.", True),
        ("Anglers found dead fish along an 11-kilometre stretch of the river.", True),
        ("The bridge, which opened in 1968, was last repaired in 2009.", False),
    ],
)
def test_a_how_long_answer_is_a_length_not_a_day(sentence: str, span: bool) -> None:
    assert bool(SPAN.search(sentence)) is span


ARTICLE = (
    "Harbourside bridge to close for repairs\n"
    "Engineers found corrosion in the cables, said Marta Kowalski. Brennock, which employs 480 people, "
    "was fined. A court fined Brennock Chemicals. Turnout was low as turnout fell.\n"
    "Fishing on the stretch has been banned. Pharmacists urged calm. Kowalski said the work would start."
)


@pytest.mark.parametrize(
    ("sentence", "kinds"),
    [
        # a lone opening word capitalised nowhere else, of a common word's ending: a group of people, or nothing
        (
            "Engineers found corrosion in the cables, said Marta Kowalski.",
            {("group", "Engineers"), ("person", "Marta Kowalski")},
        ),
        ("Pharmacists urged calm.", {("group", "Pharmacists")}),
        ("Fishing on the stretch has been banned.", set()),
        ("Turnout was low as turnout fell.", set()),  # written in lower case elsewhere
        # capitalised inside a sentence too, or no common word: a name
        ("Brennock, which employs 480 people, was fined.", {("name", "Brennock")}),
        ("Kowalski said the work would start.", {("person", "Kowalski")}),
    ],
)
def test_a_word_capitalised_only_for_opening_its_sentence_is_no_name(
    sentence: str, kinds: set[tuple[str, str]]
) -> None:
    found = in_context(sentence, find_mentions(sentence), ARTICLE)
    assert {(m.kind, m.text) for m in found if m.kind in ("person", "org", "name", "group")} == kinds


def test_a_name_before_a_place_word_is_a_place() -> None:
    found = {
        (m.kind, m.text) for m in find_mentions("The Harbourside bridge will close, the Lisle river is shut.")
    }
    assert {("place", "Harbourside"), ("place", "Lisle")} <= found


@pytest.mark.parametrize(
    ("question", "role"),
    [
        ("What did Velmar's foreign minister say?", "foreign minister"),
        ("What did the mayor say about the fire?", "mayor"),
        ("What did the chief executive tell staff?", "chief executive"),
        # a speaker named, or a thing that "says": no post asked
        ("What did Miroshnik say?", ""),
        ("What did the report say?", ""),
        ("Who is the mayor?", ""),
    ],
)
def test_the_post_of_a_speaker_asked_for_is_read(question: str, role: str) -> None:
    assert spoken_role(question) == role
