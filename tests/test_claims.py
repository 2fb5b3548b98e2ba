"""Reading multi-hop news questions: outlets as hints about sources, and one claim per report."""

from __future__ import annotations

import pytest

from rag.claims import (
    assign,
    from_outlet,
    option_named,
    rarity,
    read,
    says_asked_event,
    support,
    without_premise,
)
from rag.relations import asked_object, asked_relation, says_relation

SOURCES = ["https://harbortimes.example/business/strike", "https://capitalticker.example/deal"]
TEXTS = [
    "Pilots at Bellhaven Air began a 48-hour strike on Tuesday.",
    "Bellhaven Air has agreed a 14% pay rise over two years with its pilots.",
    "Russia rejected the allegations, the Kremlin said.",
]


def test_an_outlet_named_by_a_question_is_a_hint_about_sources_not_words_to_find() -> None:
    reading = read("Who leads the Bellhaven Air pilots' union, as reported by Harbor Times?", TEXTS, SOURCES)
    assert reading.question == "Who leads the Bellhaven Air pilots' union?"
    assert reading.outlets == ("Harbor Times",)
    assert reading.shape == "wh" and not reading.checks_reports


def test_a_name_the_articles_quote_is_kept_in_the_question() -> None:
    reading = read("What did the court decide, according to Russia?", TEXTS, SOURCES)
    assert "according to Russia" in reading.question
    assert reading.outlets == ()


def test_a_before_after_question_holds_two_claims_each_with_its_outlet() -> None:
    reading = read(
        "Did Harbor Times report the Bellhaven Air pilots' strike before Capital Ticker reported their pay deal?",
        TEXTS,
        SOURCES,
    )
    assert reading.shape == "temporal" and reading.checks_reports
    assert [c.outlet for c in reading.claims] == ["Harbor Times", "Capital Ticker"]
    assert "strike" in reading.claims[0].text and "pay deal" in reading.claims[1].text


def test_which_came_first_and_the_same_outlet_again() -> None:
    first = read("Which came first: the strike reported by Harbor Times, or the pay deal?", TEXTS, SOURCES)
    assert first.shape == "temporal" and len(first.claims) == 2
    same = read(
        "Was the strike reported by Harbor Times longer than the talks reported by the same outlet?",
        TEXTS,
        SOURCES,
    )
    assert same.shape == "comparison"
    assert [c.outlet for c in same.claims] == ["Harbor Times", "Harbor Times"]


def test_which_of_two_is_one_claim_per_option() -> None:
    reading = read("Which airline's pilots went on strike: Bellhaven Air or Norden Jet?", TEXTS, SOURCES)
    assert reading.shape == "choice"
    assert [c.text.rsplit(": ", 1)[1] for c in reading.claims] == ["Bellhaven Air", "Norden Jet"]


def test_a_passage_is_from_an_outlet_its_web_address_spells() -> None:
    assert from_outlet("Harbor Times", SOURCES[0])
    assert from_outlet("The Harbor Times", SOURCES[0])
    assert not from_outlet("Capital Ticker", SOURCES[0])


def test_support_needs_the_claims_names_not_only_its_topic() -> None:
    idf = rarity(["Bellhaven Air pilots strike"], TEXTS)
    backed = support("Bellhaven Air pilots strike", TEXTS[0], "", idf)
    other = support("Norden Jet pilots strike", TEXTS[0], "", idf)
    assert backed.names == 1.0 and backed.overall > 0.9
    assert other.names == 0.0


def test_a_second_outlet_without_its_verb_is_a_hint_too() -> None:
    reading = read(
        "Which airline, reported by Harbor Times to face a strike and by Capital Ticker to agree a pay rise, is it?",
        TEXTS,
        SOURCES,
    )
    assert reading.outlets == ("Harbor Times", "Capital Ticker")
    assert "Capital" not in reading.question and "and to agree a pay rise" in reading.question


def test_a_claim_is_backed_only_by_a_sentence_that_says_what_happened() -> None:
    claim = "Bellhaven Air cut jobs"
    idf = rarity([claim], TEXTS)
    assert not support(claim, TEXTS[0], "", idf).backs(0.3)  # the airline, but a strike, not job cuts
    struck = "Bellhaven Air pilots walked out"
    assert support(struck, TEXTS[0], "", rarity([struck], TEXTS)).backs(0.3)  # a walkout is a strike


def test_news_words_for_the_same_event_back_a_claim() -> None:
    sentence = "Ashford Rovers beat Carlow United 2-1 on Saturday."
    claim = "Ashford Rovers' win over Carlow United"
    assert support(claim, sentence, "", rarity([claim], [sentence])).backs(0.3)
    assert not support("Ashford Rovers signed a striker", sentence, "", rarity([claim], [sentence])).backs(
        0.3
    )


def test_one_side_of_a_which_of_two_question_is_backed_by_a_sentence_naming_it() -> None:
    assert option_named(
        "Which club did Mensah-Lind score against: Carlow United", "He scored twice v Carlow United."
    )
    assert not option_named(
        "Which club did Mensah-Lind score against: Dunmore City", "He scored twice v Carlow United."
    )


def test_the_claims_evidence_is_chosen_together_each_sentence_once() -> None:
    # the first claim's best sentence "b" also backs the second, which has nothing else: both are quoted
    chosen = assign([[(0.9, "b"), (0.8, "a")], [(0.7, "b")]], key=lambda x: x)
    assert chosen == ["a", "b"]
    assert assign([[(0.5, "a")], []], key=lambda x: x) == ["a", None]


def test_a_wh_question_naming_two_outlets_holds_one_claim_per_outlet() -> None:
    sources = ["https://sportdesk.example/a", "https://fairwaypost.example/b"]
    reading = read(
        "Which quarterback threw three touchdowns against the Denby Bears according to Sport Desk, "
        "and tore an ankle ligament according to Fairway Post?",
        TEXTS,
        sources,
    )
    assert reading.shape == "inference" and reading.checks_reports
    assert [c.outlet for c in reading.claims] == ["Sport Desk", "Fairway Post"]
    assert "touchdowns" in reading.claims[0].text and "ankle ligament" in reading.claims[1].text
    opened = read(
        "Which airline, reported by Harbor Times to face a strike and by Capital Ticker to agree a pay rise, is it?",
        TEXTS,
        SOURCES,
    )
    assert [c.outlet for c in opened.claims] == ["Harbor Times", "Capital Ticker"]
    assert "strike" in opened.claims[0].text and "pay rise" in opened.claims[1].text


def test_one_outlet_and_a_later_event_are_two_claims_whose_pronoun_is_the_answer() -> None:
    reading = read(
        "Which team lost 31-17 to the Harlow Hawks according to Sport Desk and later fired its head coach?",
        TEXTS,
        ["https://sportdesk.example/a"],
    )
    assert reading.shape == "inference" and len(reading.claims) == 2
    assert reading.claims[1].borrowed == ""  # "its" is the team asked for, not the Harlow Hawks


def test_one_outlet_named_once_keeps_a_wh_question_whole() -> None:
    reading = read(
        "How many Bellhaven Air pilots struck, according to Harbor Times and Capital Ticker?", TEXTS, SOURCES
    )
    assert reading.shape == "wh"


def test_what_a_question_states_around_what_it_asks_is_set_apart() -> None:
    asked = without_premise(
        "Who was named Lumora's interim chief executive when the board removed Sasha Orlov?"
    )
    assert asked == "Who was named Lumora's interim chief executive?"
    assert without_premise("How many jobs will the factory create?") == ""


def test_a_sentence_on_the_topic_says_the_asked_event_or_does_not() -> None:
    question = "When did Sasha Orlov become Lumora's chief executive?"
    removed = "The board of Lumora removed its chief executive, Sasha Orlov, on Friday."
    assert not says_asked_event(question, removed, "Lumora's board removes Orlov")
    assert says_asked_event(question, "Sasha Orlov became Lumora's chief executive in 2019.", "")


def test_outlets_named_as_articles_from_them_or_in_quotes_are_hints_too() -> None:
    sources = ["https://techcrunch.example/a", "https://theverge.example/b"]
    texts = ["The chief executive said the company would cut 300 jobs."]
    both = read(
        "Which company, according to articles from TechCrunch and The Verge, cut jobs?", texts, sources
    )
    assert both.outlets == ("TechCrunch", "Verge") and "TechCrunch" not in both.question
    quoted = read("What did the chief executive say, according to 'The Verge'?", texts, sources)
    assert quoted.outlets == ("Verge",) and quoted.question == "What did the chief executive say?"
    opening = read("In an article from TechCrunch, who was named chief executive?", texts, sources)
    assert opening.outlets == ("TechCrunch",) and "TechCrunch" not in opening.question


# The verb of what is asked, not of the scene the question sets; "" for a light verb, a copula, a
# yes/no question (read as claims) or an outlet's own claims.
ASKED_RELATIONS = [
    ("Who owns the Dunmere warehouse where the Packrunner fire broke out?", "owns"),
    ("What caused the tram to derail near Ostley?", "caused"),
    ("Which company will supply the turbines for the wind farm?", "supply"),
    ("How many jobs will be cut after Tallis buys Brennock?", "cut"),
    ("How much will the Packrunner recall cost Halcyon Robotics?", "cost"),
    ("How many passengers a day does the Ostley tram line carry?", "carry"),
    ("How much did the repairs to the Carrow Bridge cost?", "cost"),
    ("When will Norrland Power refund the overcharged customers?", "refund"),
    ("How much did the city spend on the bridge?", "spend"),
    ("Which company operates the tram line?", "operates"),
    ("Who led Halcyon Robotics' funding round?", "led"),
    # past the subject, whatever it looks like
    ("Where will Northwind open new factories?", "open"),
    ("When did Putin send troops into Ukraine?", "send"),
    ("How did the Supreme Court vote on the water tax?", "vote"),
    ("Why did Globex Motors' profit fall?", "fall"),
    ("How many people did the Sulawesi earthquake kill?", "kill"),
    ("Where did the rocket carrying MetSat-7 lift off from?", "lift"),  # after "did" the verb is bare
    ("How much will it cost to rebuild?", "cost"),
    ("What did countries agree to do by 2030?", "agree"),
    ("How many people are still missing after the floods?", "missing"),
    # no relation of its own
    ("Who is the mayor of Vellport?", "mayor"),
    ("What was FTX's revenue in 2021?", ""),
    ("What was inflation in June?", ""),
    # a role, or a light verb's object, is what is asked
    ("Who is the Ardent Bio scientist quoted on the trials?", "scientist"),
    ("Who was the pilot of the Skylark Air jet that landed at Pellham?", "pilot"),
    ("Who is Skylark Air's chief operating officer?", "chief operating officer"),
    ("Who took the wickets for Lisvane in their win over Westhaven?", "wickets"),
    ("What type of aircraft made the emergency landing?", "made"),
    ("Who is the man that Russia named as its envoy?", ""),
    ("How old was Margaret Owusu when she died?", ""),
    ("How many stations does the Green line have?", ""),
    ("What did the ICC do?", ""),
    ("What did Tallis's chief executive say?", ""),
    ("How much money did prosecutors say he took?", ""),
    ("What position does Rodion Miroshnik hold?", ""),
    ("How many patients took part in the trials?", "part"),
    ("Did the board remove Orlov?", ""),
    ("Which robotics start-up, valued at $3.2 billion, is recalling its robots?", ""),
]


@pytest.mark.parametrize(("question", "verb"), ASKED_RELATIONS)
def test_the_asked_relation_is_the_verb_of_what_is_asked(question: str, verb: str) -> None:
    assert asked_relation(question) == verb


def test_a_relation_is_said_by_its_forms_derived_words_and_same_event_words() -> None:
    assert says_relation("owns", "The warehouse's owner, Calder Logistics, declined to comment.")
    assert says_relation("operates", "The operator, Metrolink Riverbend, closed the line.")
    assert says_relation("won", "Ashford Rovers beat Carlow United 2-1.")
    assert says_relation("caused", "Investigators blamed the derailment on a broken rail.")
    assert says_relation("caused", "The line closed because of a signal fault.")
    assert not says_relation("owns", "A battery started a fire at a warehouse in Dunmere.")
    assert not says_relation(
        "caused", "The bridge was closed after engineers found cracks."
    )  # says when, not why
    assert says_relation("", "Anything at all.")


def test_what_the_relation_applies_to_is_named_up_to_the_scene_clause() -> None:
    # "in the draw with Kelso Harriers" says where, not what was scored
    assert asked_object("Who scored Stanmore Town's goal in the draw with Kelso Harriers?") == (
        "Stanmore",
        "Town",
    )
    assert asked_object("Who replaced Bankman-Fried as chief executive?") == ("Bankman", "Fried")
    assert asked_object("How many are still missing (the Kanta floods)?") == ()
    assert asked_object("Who owns the Dunmere warehouse where the Packrunner fire broke out?") == ("Dunmere",)
    assert asked_object("Who is the mayor of Vellport?") == ()


def test_an_on_topic_sentence_without_the_asked_relation_does_not_answer() -> None:
    fire = "Halcyon Robotics is recalling 2,300 Packrunner robots after a battery started a fire at a warehouse in Dunmere."
    title = "Halcyon recalls warehouse robots after fire"
    assert not says_asked_event(
        "Who owns the Dunmere warehouse where the Packrunner fire broke out?", fire, title
    )
    assert says_asked_event(
        "Who owns the Dunmere warehouse where the Packrunner fire broke out?",
        "The Dunmere warehouse is owned by Calder Logistics.",
        title,
    )
    # the relation, but of someone else: the goal asked about is Stanmore Town's
    scored = "Castellano had scored four goals in five games this season."
    question = "Who scored Stanmore Town's goal in the draw with Kelso Harriers?"
    assert not says_asked_event(question, scored, "Castellano out for six weeks with broken wrist")
    assert says_asked_event(question, "Jonah Pike scored for Stanmore Town in the 1-1 draw.", "")


def test_an_outlet_that_quoted_someone_is_a_hint_and_the_verb_stays() -> None:
    reading = read(
        "Who is the Ardent Bio scientist that Coastline Observer quoted on the Breathwell trials?",
        ["Ardent Bio's chief scientist, Marcus Oyelaran, said trials showed that attacks fell by 40%."],
        ["https://coastlineobserver.example/health/breathwell"],
    )
    assert reading.outlets == ("Coastline Observer",)
    assert reading.question == "Who is the Ardent Bio scientist quoted on the Breathwell trials?"
    kept = read("Who is the man that Russia named as its envoy?", ["Russia named him."], SOURCES)
    assert kept.outlets == () and "Russia named" in kept.question


def test_the_sentence_before_names_who_a_claims_sentence_is_about_but_not_what_happened() -> None:
    claim = "Kelso Harriers' goals against Wrexford Athletic"
    goals = "Winger Aiden Castellano scored twice and set up the third goal."
    before = "Kelso Harriers beat Wrexford Athletic 3-0 on Saturday to go top of the table."
    idf = rarity([claim], [goals, before])
    assert not support(claim, goals, "", idf).backs(0.3)  # whose goals, against whom: not said
    assert support(claim, goals, "", idf, before).backs(0.3)
    # what happened must be said by the sentence itself: a signing after the win is no goal
    signing = "Kelso Harriers have signed forward Lars Moberg on loan."
    assert not support(claim, signing, "", idf, before).event


def test_a_pronoun_with_no_name_before_it_in_its_claim_leans_on_the_earlier_claim() -> None:
    sources = ["https://pinecrestreview.example/a", "https://summitsportswire.example/b"]
    reading = read(
        "Was Aiden Castellano's broken wrist, reported by Pinecrest Review, before or after his two goals "
        "against Wrexford Athletic reported by Summit Sports Wire?",
        ["Winger Aiden Castellano scored twice."],
        sources,
    )
    assert reading.claims[1].borrowed == "Aiden Castellano"
    own = read(
        "Did Quillon's shares fall more after the fine, according to Lakeshore Ledger, than Tallis shares "
        "fell after its annual results according to the same outlet?",
        ["Its shares fell 6% on the news."],
        ["https://lakeshoreledger.example/a"],
    )
    assert own.claims[1].borrowed == ""  # "its" is Tallis, named before it


def test_a_relation_is_said_by_words_news_uses_for_it_and_by_its_opposite() -> None:
    assert says_relation("pay", "Halden Pharma agreed to buy Corvo Bio for $4.5 billion in cash.")
    assert says_relation("replaced", "John J. Ray III took over as chief executive.")
    assert says_relation("hit", "The quake struck at 2:40am.")
    assert says_relation("flee", "The wildfire forced about 9,000 people to leave their homes.")
    assert says_relation("fall", "Revenue for the quarter grew 5% to $3.2 billion.")  # it rose instead
    assert says_relation("started", "It was sparked by lightning on Tuesday.")
    assert not says_relation("pay", "Halden Pharma's shares rose 4% on Monday.")


def test_each_claim_of_a_comparison_is_backed_by_a_sentence_saying_what_sets_it_apart() -> None:
    reading = read(
        "Did Bayside Bulletin report a larger crowd for Westhaven's match against Lisvane than for their "
        "win over Corrigan?",
        ["The match at Harbour Oval drew a crowd of 9,800."],
        ["https://baysidebulletin.example/sport/a"],
    )
    lisvane, corrigan = reading.claims
    assert corrigan.borrowed == "Westhaven"  # "their" is Westhaven's, not Lisvane's
    assert lisvane.own == {"lisvan"} and corrigan.own == {"corrigan"}
    won = "Ravi Anand scored 132 as Westhaven beat Corrigan by 64 runs in the first match of the season."
    title = "Anand century leads Westhaven to victory"
    # Westhaven and a match, but the match against Corrigan: it says nothing of the one against Lisvane
    assert support(lisvane.searched, won, title, {}).backs(0.3)
    assert not support(lisvane.searched, won, title, {}, "", lisvane.own).backs(0.3)
    assert support(corrigan.searched, won, title, {}, "", corrigan.own).backs(0.3)


def test_an_article_without_a_link_is_from_an_outlet_only_its_title_names() -> None:
    assert from_outlet("Harbor Times", None, "Harbor Times: pilots strike")
    assert not from_outlet("Harbor Times", None, "Pilots strike")
    reading = read("Who leads the pilots' union, as reported by Harbor Times?", TEXTS, [None, SOURCES[1]])
    assert reading.outlets == ("Harbor Times",)
