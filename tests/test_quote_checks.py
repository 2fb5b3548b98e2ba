"""The checks of what a quoted sentence must say for the question it answers (rag.quotes)."""

from __future__ import annotations

import pytest

from rag.asked_time import about_asked_time, of_asked_tense
from rag.extractive import terms_of
from rag.people import asked_people, named_speaker, names_asked_person, of_asked_body, unnamed_speaker
from rag.predicates import answered_after, answers_yes_no, states_predicate
from rag.quotes import about_asked, said_in, states_asked
from rag.units import counts_asked


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("The agency estimated that around 40,000 fish were lost.", True),
        ("Anglers found dead fish along an 11-kilometre stretch of the river.", False),
        ("The spill killed thousands of birds.", False),
    ],
)
def test_a_count_says_what_it_counts(sentence: str, said: bool) -> None:
    assert counts_asked(sentence, terms_of("How many fish died?")) is said


@pytest.mark.parametrize(
    ("sentence", "names"),
    [
        ("About 1,200 litres of a cleaning solvent escaped from the tank.", False),
        ("Brennock must pay for cleaning the river banks.", False),
        ("The solvent, sold as Klarex, escaped from the tank.", True),
    ],
)
def test_the_name_of_a_thing_is_a_name_of_that_thing(sentence: str, names: bool) -> None:
    question = "What is the name of the cleaning solvent?"
    terms = terms_of(question)
    assert states_predicate(question, terms, sentence, said_in(sentence, terms), "Spill") is names


@pytest.mark.parametrize(
    ("question", "sentence", "answers"),
    [
        ("Will schools open on Monday?", "Schools in the three counties will remain closed on Monday.", True),
        ("Were any homes flooded?", "About 80,000 homes lost power.", False),
        ("Is the bridge open or closed?", "The bridge will close on April 2.", False),
    ],
)
def test_a_yes_no_question_is_answered_by_what_it_asks_or_its_opposite(
    question: str, sentence: str, answers: bool
) -> None:
    terms = terms_of(question)
    assert answers_yes_no(question, terms, said_in(sentence, terms), "Storm") is answers


MOSCOW = '"We see no options," Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow.'


def test_a_question_naming_someone_is_answered_by_a_sentence_naming_them() -> None:
    people = asked_people("Where did Miroshnik talk to reporters?", [MOSCOW])
    assert people == ["Miroshnik"]
    assert names_asked_person(people, MOSCOW, "")
    # the name in the sentence before does not make Zelenskiy's talks Miroshnik's
    assert not names_asked_person(people, "Zelenskiy has ruled out talks with Putin.", MOSCOW)
    assert names_asked_person(people, "He said Russia could resist Nato.", MOSCOW)


def test_a_name_alone_is_no_person_without_a_role_before_it() -> None:
    assert asked_people("What did Northwind Wire report?", ["Northwind Wire said on Monday that ..."]) == []


def test_the_holder_of_a_role_at_a_body_is_asked_of_that_body() -> None:
    question = "Who is the head of the environment agency?"
    terms = terms_of(question)
    assert not of_asked_body(
        question, terms, "Aoife Brennan, head of forecasting at the weather service.", ""
    )
    assert of_asked_body(question, terms, "Ann Lee, head of the environment agency, said so.", "")


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("The ICC has issued an arrest warrant for Putin.", False),
        ("The ICC issued an arrest warrant for Putin in March.", True),
        ("The court issued the warrant last spring.", True),
    ],
)
def test_when_is_answered_by_a_time(sentence: str, said: bool) -> None:
    terms = terms_of("In which month did the ICC issue its warrant?")
    assert states_asked(sentence, "", terms) is said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("The shutdown was traced to a cable cut by a digger.", True),
        ("The network was shut down because a cable was cut.", True),
        ("The network was squeezed by higher energy costs.", True),
        ("A warrant was issued for the illegal deportation of children.", True),
        ("The batteries were left unchecked, so the signals went dark.", True),
        ("Hopes that regulators would approve the funds had driven the shutdown.", True),
        ("A cut cable led to the shutdown.", True),
        # when and for how long, not why
        ("The network last shut down in 2019, for three hours.", False),
    ],
)
def test_a_cause_asked_is_a_cause_said(sentence: str, said: bool) -> None:
    assert states_asked(sentence, "", terms_of("What caused the 2019 shutdown?")) is said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        # what a thing cost its buyer is what they paid for it
        ("The signalling system cost the city council 38 million pounds.", True),
        ("The council spent 38 million pounds on the signalling system.", True),
        ("The council paid 38 million pounds for the signalling system.", True),
        # a price is no payment: nothing says anyone paid or spent it
        ("The signalling system is valued at 38 million pounds.", False),
    ],
)
def test_what_was_paid_is_said_by_what_it_cost(sentence: str, said: bool) -> None:
    terms = terms_of("How much did the council pay for the signalling system?")
    assert states_asked(sentence, "", terms) is said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("The ferry leaves at nine every day.", True),
        ("The ferry leaves at 9:30 every day.", True),
        ("The ferry leaves at dawn every day.", True),
        ("The ferry leaves at nine o'clock every day.", True),
        ("The ferry leaves from pier nine every day.", False),
        ("The ferry leaves with nine cars every day.", False),
        ("The ferry leaves at 40 percent of its capacity every day.", False),
    ],
)
def test_a_time_of_day_in_words_answers_when(sentence: str, said: bool) -> None:
    terms = terms_of("When does the ferry leave every day?")
    assert states_asked(sentence, "", terms) is said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("Putin sent troops into Ukraine in February 2022.", False),  # a year counts no troops
        ("The court accused him of deporting hundreds of children.", False),  # children are no troops
        ("Several thousand troops crossed the border.", True),
        ("About 2,000 people were in the town.", True),  # people of any kind may be troops
    ],
)
def test_how_many_is_answered_by_a_count_of_what_is_asked(sentence: str, said: bool) -> None:
    assert states_asked(sentence, "", terms_of("How many Russian troops are in Ukraine?")) is said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        (
            "What is the speed limit on the bridge?",
            "About 22,000 vehicles cross the bridge every day.",
            False,
        ),
        ("What is the speed limit on the bridge?", "The speed limit on the bridge is 50 km/h.", True),
        ("What is the stated aim of the operation?", "Its goal is to demilitarise Ukraine.", True),
        (
            "Which hospital treated the children?",
            "Three children were treated in hospital last month.",
            False,
        ),
        ("Which hospital treated the children?", "Three children were treated at St Mary's Hospital.", True),
        ("Which species of mould was found?", "Checks found traces of mould in two batches.", False),
        ("Which seat did Hale lose?", "Martin Hale lost his own seat in Riverside ward.", True),
        ("Which children is the syrup for?", "A syrup for children aged two to twelve.", True),
        # a term asks for a name; a participle or "responsible for" opens what is said of the noun
        (
            "What is the term for a ballot paper spoiled on purpose?",
            "A ballot paper spoiled on purpose is known as a protest vote.",
            True,
        ),
        (
            "What is the plan announced by the council?",
            "Under the council's plan, buses will run every ten minutes.",
            True,
        ),
        ("What is the speed limit imposed on the bridge?", "About 22,000 vehicles cross the bridge.", False),
        ("What is the maximum speed allowed on the bridge?", "Traffic on the bridge will be cut.", False),
        (
            "What is the syrup responsible for the illnesses?",
            "Doctors traced the illnesses to Calmira Junior, a fever syrup.",
            True,
        ),
        # "the nature of the relationship", "which part of the plant": the relationship, the plant
        (
            "What is the nature of the relationship between the two firms?",
            "The two firms have had a close relationship since 2019.",
            True,
        ),
        ("Which part of the plant was shut?", "The packaging plant was shut.", True),
        # "all actions" says which actions
        ("Which measures will the council review?", "All measures will be reviewed by the council.", True),
        # the people it was done to are part of what is asked: "treating patients" treats no children
        (
            "Which hospital treated the children?",
            "Councillors gave Kestrel General Hospital a deadline after paramedics described treating patients.",
            False,
        ),
        ("Which hospital treated the children?", "The children were treated at St Mary's Hospital.", True),
    ],
)
def test_the_thing_asked_about_is_said(question: str, sentence: str, said: bool) -> None:
    terms = terms_of(question)
    assert states_predicate(question, terms, sentence, said_in(sentence, terms), "") is said


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("Fishing was banned during the clean-up.", True),
        ("Following the ruling, the firm replaced its tanks.", True),
        ("The ban applies as soon as the notice is published.", True),
        ("The ferries resumed that night.", True),
        ("Brennock replaced the following parts of its tanks.", False),
        ("Brennock replaced its storage tanks.", False),
    ],
)
def test_when_is_answered_by_a_time_however_said(sentence: str, said: bool) -> None:
    assert states_asked(sentence, "", terms_of("When did Brennock replace its tanks?")) is said


def test_a_when_that_opens_a_clause_asks_no_time() -> None:
    question = "What do the unions call it when drivers refuse overtime?"
    sentence = "The unions call it a work-to-rule."
    assert states_asked(sentence, "", terms_of(question), question=question)
    question = "When did the drivers refuse overtime?"
    assert not states_asked(sentence, "", terms_of(question), question=question)


def test_how_long_something_lasts_needs_its_subject_not_the_word_last() -> None:
    terms = terms_of("How long will the works last?")
    window = said_in("They were in hospital last month. All three have since gone home.", terms)
    assert not about_asked("All three have since gone home.", window, "", terms)
    sentence = "The works will take six months."
    assert about_asked(sentence, said_in(sentence, terms), "", terms)


def test_which_thing_may_be_answered_by_its_name_alone() -> None:
    question = "Which Veltra Motors vehicle did Tech Ledger report starts at $60,990?"
    sentence = "The Cutter starts at $60,990 and has a range of 340 miles on a full charge."
    terms = terms_of(question)
    assert states_predicate(question, terms, sentence, said_in(sentence, terms), "") is True


def test_the_month_may_is_no_promise_of_what_is_to_come() -> None:
    question = "When will the syrup be back on sale?"
    assert not of_asked_tense(question, "The syrup was made between March and May.", "")
    assert of_asked_tense(question, "The syrup may be back on sale in June.", "")


def test_an_age_counts_no_one() -> None:
    terms = terms_of("How many people work at the Brackley factory?")
    assert not states_asked("A syrup for children aged two to twelve, made at the factory.", "", terms)
    assert states_asked("About 300 people work at the factory.", "", terms)


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("Miroshnik's post was created to collect evidence of alleged crimes.", False),
        ('Miroshnik was an official of the "Luhansk People\'s Republic" in eastern Ukraine.', True),
        ("It was later found in a polling station cupboard.", True),
    ],
)
def test_where_is_answered_by_a_place(sentence: str, said: bool) -> None:
    assert states_asked(sentence, "", terms_of("Where did Miroshnik work previously?")) is said


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        ("What job does Miroshnik have?", "Miroshnik, a former official in Luhansk, accused Ukraine.", False),
        (
            "What job does Miroshnik have?",
            "Russian Ambassador-at-Large Rodion Miroshnik told reporters.",
            True,
        ),
        ("What job does Miroshnik have?", "Miroshnik's post was created to collect evidence.", False),
        ("What did Miroshnik do before his current job?", "Russian envoy Miroshnik told reporters.", False),
        (
            "What did Miroshnik do before his current job?",
            "Miroshnik, a former official in Luhansk, spoke.",
            True,
        ),
    ],
)
def test_a_post_held_now_or_before_is_the_one_asked(question: str, sentence: str, said: bool) -> None:
    terms = terms_of(question)
    assert states_predicate(question, terms, sentence, said_in(sentence, terms), "") is said


def test_which_thing_may_be_answered_by_a_description_of_it() -> None:
    question = "Which ferry route did the harbour authority confirm?"
    sentence = "The harbour authority confirmed the new ferry route to the islands on Tuesday."
    terms = terms_of(question)
    assert states_predicate(question, terms, sentence, said_in(sentence, terms), "") is True


def test_a_place_may_be_a_name_the_recogniser_reads_as_a_person() -> None:
    terms = terms_of("Where were the survivors taken?")
    assert states_asked("Survivors were taken to Embung Fatimah hospital.", "", terms)


def test_the_name_of_a_thing_done_something_to_is_a_name_of_that_thing() -> None:
    question = "What was the name of the eye drop recalled?"
    terms = terms_of(question)
    recall = "It is the second recall of a Harlow product in two years."
    assert not states_predicate(question, terms, recall, said_in(recall, terms), "")
    named = "In 2023 the company withdrew an eye drop, Clarivue, over a labelling error."
    assert states_predicate(question, terms, named, said_in(named, terms), "")


@pytest.mark.parametrize(
    ("sentence", "said"),
    [
        ("Ukrainian President Volodymyr Zelenskiy has ruled out talks with Putin.", True),
        ("Zelenskiy urged allies to send more air defence systems.", True),
        ("Zelenskiy denies any plan to hold elections this year.", True),
        ("Putin sent troops into Ukraine in February 2022, after talks with Zelenskiy failed.", False),
    ],
)
def test_what_someone_said_is_any_verb_of_saying_with_them_speaking(sentence: str, said: bool) -> None:
    assert states_asked(sentence, "", terms_of("What did Zelenskiy say?")) is said


@pytest.mark.parametrize(
    ("question", "said"),
    [
        ("What did Zelenskiy say about talks with Putin?", True),
        ("What did Zelenskiy say about Miroshnik?", False),
        ("What did Zelenskiy tell reporters?", False),
    ],
)
def test_a_reported_statement_says_what_it_is_asked_about(question: str, said: bool) -> None:
    sentence = "Ukrainian President Volodymyr Zelenskiy has ruled out talks with Putin."
    before = '"We do not see any options," Rodion Miroshnik told reporters in Moscow.'
    assert states_asked(sentence, before, terms_of(question)) is said


@pytest.mark.parametrize(
    ("after", "answers"),
    [
        ("Moscow denies the allegations.", True),
        ("Russia denies this.", True),
        ("Moscow denies that it has troops in Belarus.", False),  # goes on to another thing
        ("The court will rule in May.", False),  # says nothing asked
    ],
)
def test_a_yes_no_question_is_answered_by_the_next_sentence_going_on_with_its_verb(
    after: str, answers: bool
) -> None:
    question = "Does Russia deny committing war crimes?"
    sentence = "Moscow also faces allegations that Russian forces have committed war crimes in Ukraine."
    assert answered_after(question, terms_of(question), sentence, "", after) is answers


def test_a_full_name_is_not_answered_by_someone_else_with_the_surname() -> None:
    # Two stories in one library: the chairman of one company, the chief executive of another.
    chairman = '"The board wants new leadership," chairman Richard Okafor said in a statement.'
    chief = "The utility's chief executive, Daniel Okafor, apologised to customers."
    people = asked_people("What did Daniel Okafor say?", [chairman, chief])
    assert people == ["Daniel Okafor"]
    assert not names_asked_person(people, chairman, "")
    assert names_asked_person(people, chief, "")
    assert names_asked_person(people, '"We are sorry," Okafor said.', "")
    assert names_asked_person(people, '"We are sorry," Mr Okafor said.', "")
    # a surname alone still asks for whoever the story calls that
    assert names_asked_person(asked_people("What did Okafor say?", [chairman]), chairman, "")


@pytest.mark.parametrize(
    ("question", "sentence", "said"),
    [
        # "which company" needs a body named: no group of people, no place, no person named by a job
        (
            "Which company found the corrosion?",
            "Engineers found corrosion in the cables, council spokesperson Marta Kowalski said.",
            False,
        ),
        ("Which company will do the repairs?", "The Harbourside bridge will close for repairs.", False),
        ("Which firm will do the repairs?", '"We lost a third," said café owner Daniel Reyes.', False),
        ("Which company did the court fine?", "A court fined Brennock Chemicals 3.2 million euros.", True),
        ("Which firm cut its forecast?", "Brennock, which employs 480 people, cut its forecast.", True),
    ],
)
def test_which_company_is_answered_by_a_named_body(question: str, sentence: str, said: bool) -> None:
    article = "Brennock fined\nA court fined Brennock Chemicals."
    assert states_asked(sentence, "", terms_of(question), article) is said


LUHANSK = 'Miroshnik, a former official of the "Luhansk People\'s Republic" in eastern Ukraine, accused Kyiv.'


@pytest.mark.parametrize(
    ("question", "sentence", "about"),
    [
        # "which company" or "which country" is asked of what the question says happened
        ("Which company did Miroshnik work for?", LUHANSK, False),
        ("Which country does Miroshnik represent?", LUHANSK, False),
        (
            "Which country has Russia annexed regions from?",
            "Russia says it has annexed regions of Ukraine.",
            True,
        ),
        ("Which organisation issued the warrant?", "The ICC has issued an arrest warrant for Putin.", True),
    ],
)
def test_which_body_or_country_is_asked_of_what_happened(question: str, sentence: str, about: bool) -> None:
    terms = terms_of(question)
    assert about_asked(sentence, said_in(sentence, terms), sentence, terms) is about


def test_a_role_before_a_name_with_a_comma_names_the_person() -> None:
    sentence = "The plant's former operations manager, Elena Voss, received a suspended sentence."
    assert asked_people("Was Elena Voss fined?", [sentence]) == ["Elena Voss"]
    assert not names_asked_person(["Elena Voss"], '"No fine brings back the fish."', "")
    # a role after the name does not make it a person's: the club sacked its manager
    fired = "Ashford Rovers sacked their manager, Gil Marden, on Monday."
    assert asked_people("Who took charge of Ashford Rovers?", [fired]) == []


ASTANA = "Putin speaks after signing bilateral documents with Tokayev in Astana, Kazakhstan, Nov 9, 2023."


@pytest.mark.parametrize(
    ("question", "sentence", "about"),
    [
        ("When was the warrant for Putin issued?", ASTANA, False),
        ("When was the warrant for Putin issued?", "The ICC issued a warrant for Putin in March.", True),
        # one word besides the names may be said otherwise ("sent troops into" for "invade")
        ("When did Russia invade Ukraine?", "Putin sent troops into Ukraine in February 2022.", True),
        ("Who signed documents with Putin?", ASTANA, True),  # no "when" asked
    ],
)
def test_when_is_asked_of_what_happened(question: str, sentence: str, about: bool) -> None:
    terms = terms_of(question)
    assert about_asked_time(sentence, said_in(sentence, terms), terms) is about


@pytest.mark.parametrize(
    ("question", "answers"),
    [
        ("How has Moscow answered the accusations?", True),  # a denial is its reply
        ("How did Moscow react?", True),
        ("Does Moscow admit the allegations?", True),
        ("What does Moscow face?", False),  # asks no reply
    ],
)
def test_a_reply_asked_is_said_by_a_denial_going_on_from_the_sentence(question: str, answers: bool) -> None:
    sentence = "Moscow also faces allegations that Russian forces have committed war crimes in Ukraine."
    after = "Moscow denies the allegations."
    assert answered_after(question, terms_of(question), sentence, "", after) is answers


@pytest.mark.parametrize(
    ("sentence", "unnamed", "named"),
    [
        ("Russia cannot co-exist with Kyiv, a senior Russian official said on Tuesday.", True, False),
        ("An Osvian negotiator said the deal would double the number of customs officers.", True, False),
        (
            '"The regime is toxic," Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow.',
            False,
            True,
        ),
        (
            "Mikkel Strand, head of the Lindmark Road Haulage Association, said drivers had waited.",
            False,
            True,
        ),
        ('"We are deeply sorry," said chief executive Simon Pryce.', False, True),
        # a person named who says nothing; a body that speaks is no unnamed person
        ("Lindmark's prime minister, Sofie Dahl, is expected to attend the reopening.", False, False),
        ("The Green Party won control of Wexham city council, the council said.", False, False),
    ],
)
def test_who_speaks_is_named_or_not(sentence: str, unnamed: bool, named: bool) -> None:
    assert unnamed_speaker(sentence) is unnamed
    assert named_speaker(sentence, terms_of("Who said the deal was toxic?")) is named


@pytest.mark.parametrize(
    ("after", "answers"),
    [
        ("She accused Velmar of using the fleet to win sympathy abroad.", True),
        # says the asked verb but of someone it names afresh: the sentence is not hers
        ("Velmar's navy accused Serrana of provocation.", False),
        # goes on from her, but says nothing the question asks that her sentence lacks
        ("She said talks could start within days.", False),
    ],
)
def test_the_sentence_going_on_from_the_one_naming_who_is_asked_says_what_they_did(
    after: str, answers: bool
) -> None:
    question = "What did Serrana's fisheries minister accuse Velmar of?"
    sentence = (
        "Serrana's fisheries minister, Paola Ruiz, said on Monday that Serrana was ready to resume talks."
    )
    assert answered_after(question, terms_of(question), sentence, "", after) is answers


def test_one_standing_for_a_thing_already_named_counts_nothing() -> None:
    question = "How many patrol boats does Serrana's coast guard have?"
    sentence = (
        "Velmar says three of its trawlers were turned back by Serranan patrol boats last week and that one,"
        " the Aurelia, was held for 14 hours before being released."
    )
    assert not states_asked(sentence, "", terms_of(question))
    assert states_asked("Serrana's coast guard has 12 patrol boats.", "", terms_of(question))
