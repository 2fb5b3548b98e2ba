"""Questions about the stories and the seed worded with words the articles do not use (synonyms,
other parts of speech, a role for a title), and on-topic questions the articles do not answer worded
the same way: a word missing from the text must not by itself make the answerer abstain, and a
synonym present must not make it answer what the text does not say (real model, real Chroma,
through ``Assistant.ask``)."""

from __future__ import annotations

import pytest

from rag import Assistant
from tests.test_story_probes import Probe, abstained, answered, assistant, failures

pytestmark = pytest.mark.slow

__all__ = ["assistant"]  # the story probes' fixture: the stories and the seed ingested once

ANSWERED = (
    # Veltrana
    answered("Who was fired by Veltrana?", "Helen Marsh"),
    answered("How many plants does Veltrana operate?", "nine factories"),
    answered("How big is Marsh's annual pay?", "780,000 pounds"),
    answered("By what percentage did the vegan range decline?", "18 percent"),
    answered("Who is the acting head of Veltrana?", "Tomasz Wierzbicki"),
    answered("What was the share price at noon?", "2.84 pounds"),
    answered("What earnings does Veltrana anticipate?", "41 million pounds"),
    answered("Why is the frozen-food sector struggling?", "higher energy costs"),
    # the storm
    answered("What speed did the wind reach?", "130 kilometres an hour"),
    answered("How many homes suffered a blackout?", "80,000 homes"),
    answered("Where was the motorist killed?", "County Clare"),
    answered("Which counties got the most severe alert?", "Galway, Clare and Mayo"),
    answered("What is Aoife Brennan's job?", "head of forecasting"),
    answered("How many clients got their electricity back by the evening?", "25,000 customers"),
    answered("How many flights were scrapped?", "40 flights"),
    answered("Which minister promised money for the clean-up?", "Ciaran Walsh"),
    answered("Who is the spokesman for the electricity firm?", "Liam Doyle"),
    # the bridge
    answered("What damage did engineers discover?", "corrosion"),
    answered("What is the price of the works?", "14.5 million dollars"),
    answered("How many cars travel over the bridge each day?", "22,000 vehicles"),
    answered("How frequently will the free bus operate?", "every 15 minutes"),
    answered("What is Marta Kowalski's role?", "council spokesperson"),
    answered("How much time will the detour add to trips?", "20 minutes"),
    answered("When was the bridge built?", "1968"),
    # the court ruling
    answered("Who presided over the trial?", "Miriam Castellano"),
    answered("What quantity of liquid leaked from the tank?", "1,200 litres"),
    answered("Who is the firm's attorney?", "Victor Lund"),
    answered("What punishment did the ex-manager get?", "suspended sentence"),
    answered("Is angling allowed on the polluted stretch?", "has been banned"),
    answered("How much must the firm spend replenishing the fish?", "650,000 euros"),
    # the seed
    answered("What is Miroshnik's title?", "Ambassador-at-Large"),
    answered("When did Moscow's assault on Ukraine start?", "February 2022"),
    answered("Why does the ICC want Putin detained?", "deportation of hundreds of children"),
)

ABSTAINED = (
    abstained("What was Veltrana's turnover last year?"),
    abstained("How much will the acting boss earn?"),
    abstained("Which firm is taking over Veltrana?"),
    abstained("How many people were hurt in the storm?"),
    abstained("How many rail services were scrapped?"),
    abstained("How much cash will councils receive?"),
    abstained("Which contractor will fix the bridge?"),
    abstained("What is the maximum speed allowed on the bridge?"),
    abstained("How many residents fell ill after the spill?"),
    abstained("Who leads the environment agency?"),
    abstained("When did the Ashby factory start production?"),
    abstained("When was Miroshnik given his post?"),
    abstained("How many civilians have been killed in the conflict?"),
)

# Written in session 6 before the selector or the answerer were tuned for paraphrases, each in words
# the story does not use for what is asked (measured apart from the older ones above).
NEW_ANSWERED = (
    # Veltrana
    answered("How large is Veltrana's workforce?", "6,300"),
    answered("In which countries does Veltrana make its meals?", "Britain and Poland"),
    answered("How low did Veltrana's shares sink?", "2.84 pounds"),
    answered("What profit had Veltrana predicted in November?", "60 million pounds"),
    answered("How long did Marsh run the firm?", "since 2019"),
    answered("What did the Harcourt experts blame for the market's troubles?", "higher energy costs"),
    # the storm
    answered("How fast were the gusts?", "130 kilometres an hour"),
    answered("How old was the man who was killed?", "67-year-old"),
    answered("Which airport called off flights?", "Shannon Airport"),
    answered("Will pupils go to class on Monday?", "remain closed"),
    answered("Which islands lost their boat links?", "Aran Islands"),
    answered("What did the government pledge to councils?", "emergency funding"),
    # the bridge
    answered("When will the bridge shut to motorists?", "April 2"),
    answered("What route will motorists take instead?", "Old Mill crossing"),
    answered("Who will fund most of the repair bill?", "regional government"),
    answered("What do shop owners on Quay Street fear?", "cut their takings"),
    answered("When did the engineers examine the bridge?", "January"),
    answered("When was the bridge last fixed?", "2009"),
    # the court ruling
    answered("How much was the chemical firm penalised?", "3.2 million euros"),
    answered("How many fish perished?", "40,000"),
    answered("Which body took Brennock to court?", "environment agency"),
    answered("How long was the stretch where dead fish were found?", "11-kilometre"),
    answered("How long will the river take to heal?", "decade"),
    # the election
    answered("How many council seats did Labour keep?", "14 seats"),
    answered("What was the previous turnout?", "36 percent"),
    answered("By what margin did Hale lose his seat?", "212 votes"),
    answered("What is Wexham's population?", "230,000 residents"),
    answered("How large is the council's funding shortfall?", "18 million pounds"),
    answered("Where were the votes counted?", "Corn Exchange"),
    # the seed
    answered("What was Miroshnik's post set up to do?", "collect evidence"),
    answered("Who rejected negotiations with Putin?", "Zelenskiy"),
    answered("On what date did the Russian official make his remarks?", "Nov 21"),
    answered("Whom does Ukraine accuse Moscow of targeting?", "civilians"),
)

NEW_ABSTAINED = (
    abstained("How far did Veltrana's stock drop in New York?"),
    abstained("How many staff will lose their jobs at Veltrana?"),
    abstained("What was the cost of the storm damage?"),
    abstained("How many trees came down in the storm?"),
    abstained("How many cyclists use the bridge daily?"),
    abstained("How much will the shuttle bus cost the council?"),
    abstained("How much was Elena Voss fined?"),
    abstained("How many jobs are at risk at Brennock?"),
    abstained("How many votes did the Greens receive?"),
    abstained("Who was elected mayor of Wexham?"),
    abstained("What is Miroshnik's age?"),
)

# Written in session 7 before the news-word equivalences (rag.equivalences) were: each asks by a
# role, a relation or an event in another news word than the story's ("heads" for "chief executive",
# "axed" for "cancelled", "jailed" for "sentenced"), and the controls ask by a word whose neighbour
# in meaning the story does say of something else ("heads" of a mere spokesperson, "hurt" of a death).
# 20/32 and 8/12 before the equivalences, 25/32 and 8/12 with them (every story indexed).
RELATION_ANSWERED = (
    # Veltrana
    answered("Who was sacked as Veltrana's boss?", "Helen Marsh"),
    answered("Who is the temporary boss of Veltrana?", "Tomasz Wierzbicki"),
    answered("What job did Wierzbicki hold before becoming acting boss?", "finance director"),
    answered("By how much did Veltrana's stock slump?", "12 percent"),
    answered("How many factories does Veltrana run?", "nine factories"),
    answered("What compensation will Marsh be given?", "780,000 pounds"),
    # the storm
    answered("Who runs forecasting at the weather service?", "Aoife Brennan"),
    answered("How many flights were axed?", "40 flights"),
    answered("Who is in charge of transport in the government?", "Ciaran Walsh"),
    answered("Which ferry services were halted?", "Aran Islands"),
    answered("Who was killed in County Clare?", "67-year-old man"),
    # the bridge
    answered("When was the bridge completed?", "1968"),
    answered("Which cafe proprietor spoke about the closure?", "Daniel Reyes"),
    answered("Who speaks for the city council?", "Marta Kowalski"),
    answered("How much business did shops lose the last time the bridge closed?", "a third"),
    # the court ruling
    answered("Who heads the Lisle Angling Club?", "Paul Grady"),
    answered("How many counts did Brennock plead guilty to?", "two of the five charges"),
    answered("Was the former manager jailed?", "suspended sentence"),
    answered("What post did Elena Voss hold at the plant?", "operations manager"),
    # the election
    answered("Which party had run Wexham for 16 years?", "Labour rule"),
    answered("Who was defeated in Riverside ward?", "Martin Hale"),
    answered("What pledge did the Greens make on trees?", "50,000 trees"),
    answered("How long was the count held up?", "two hours"),
    answered("Who is set to head the council?", "Priya Natarajan"),
    # the recall
    answered("Who heads Harlow Pharma?", "Simon Pryce"),
    answered("How many bottles are being withdrawn?", "90,000 bottles"),
    answered("How many children were hospitalised?", "Three children"),
    answered("How long will production at Brackley be suspended?", "three weeks"),
    answered("What is Harlow's top-selling medicine?", "Calmira Junior"),
    answered("Which group speaks for independent chemists?", "Pharmacists' Association"),
    answered("When did Harlow last pull a product?", "2023"),
    # the seed
    answered(
        "How many Ukrainian soldiers have been killed, according to a Ukrainian group?", "30,000 troops"
    ),
)

RELATION_ABSTAINED = (
    abstained("Who heads the Medicines Safety Agency?"),
    abstained("Who heads the weather service?"),
    abstained("Who is the power company's chief executive?"),
    abstained("How many people were hurt in County Clare?"),
    abstained("When did the bridge last shut before?"),
    abstained("Who resigned from Veltrana's board?"),
    abstained("How much will the independent testing cost Harlow?"),
    abstained("Who leads the Pharmacists' Association?"),
    abstained("How many people were sacked at Veltrana?"),
    abstained("Who is the chief executive of Brennock?"),
    abstained("When was Elena Voss jailed?"),
    abstained("How many civilians were killed in Russian air strikes?"),
)

# Written in session 8 before any rule for them (tests/fixtures/stories/trams-*.md: three dated reports
# of one tram shutdown): each asks with a verb or noun the answering sentence says in another word of
# its family ("caused" of "was traced to", "pay" of "cost the council", "advised" of "were told to",
# "find" of "among his findings", "recommend" of "its chief recommendation"); the controls ask the same
# families of what the reports do not say (what the council paid the contractor, what the inquiry cost).
VERB_ANSWERED = (
    answered("What caused the tram shutdown?", "cable cut by a mechanical digger"),
    answered("How much did the council pay for the signalling system?", "38 million pounds"),
    answered("What were passengers advised to do?", "take buses"),
    answered("What did the inquiry find about the engineers' warnings?", "ignored two warnings"),
    answered("What did the report find about the backup batteries?", "almost four years"),
    answered("What did the report recommend?", "independent power feed"),
    answered("Whom did the inquiry hold mainly responsible?", "most of the blame"),
    answered("How much will the second power feed cost?", "4.5 million pounds"),
    answered("How much will the refunds cost Transit Carrow?", "300,000 pounds"),
    answered("How much did the shutdown cost city-centre businesses?", "2.1 million pounds"),
    answered("What did Ruth Ainsworth ask the operator to do within a week?", "publish a full account"),
    answered("Who was asked to investigate the failure?", "Alan Brereton"),
    answered("When did the trams start running again?", "4.20 pm"),
    answered("How many journeys were affected?", "60,000 journeys"),
    answered("Which firm owned the digger that cut the cable?", "Delkin Civils"),
    answered("What did Transit Carrow promise passengers whose trips were hit?", "full refund"),
    answered("What did the contractor blame for the accident?", "plans supplied by the council"),
    answered("How many passengers had to leave the trams on foot?", "3,400"),
)

VERB_ABSTAINED = (
    abstained("How much did the council pay Delkin Civils?"),
    abstained("What caused the 2019 shutdown?"),
    abstained("What were shop owners advised to do?"),
    abstained("How much did the inquiry cost?"),
    abstained("How much will the new batteries cost?"),
    abstained("How much was Delkin Civils fined?"),
    abstained("What did the engineers recommend in their emails?"),
    abstained("How much did Transit Carrow pay Professor Brereton?"),
    abstained("What caused the batteries to be left unchecked?"),
)

# Written after the verb families landed, before any change for them, on the older stories: the same
# families asked of sentences written for other questions ("urging people to", "the result of years of
# neglect", "must also pay ... towards"), and controls of the same families the stories do not answer.
VERB_MORE_ANSWERED = (
    answered("What were people advised to do during the red warning?", "stay indoors"),
    answered("What caused the spill?", "years of neglect"),
    answered("What caused the delay in reconnecting rural areas?", "fallen trees"),
    answered("How much will the river clean-up cost Brennock?", "650,000 euros"),
    answered("What did the judge find about the company?", "ignored repeated warnings"),
    answered("What did the Pharmacists' Association advise parents?", "not to stockpile"),
    answered("What caused the mould in the syrup?", "faulty seal"),
    answered("What led to the closure of the Harbourside bridge?", "corrosion"),
    answered("How much will the regional government pay towards the repairs?", "14.5 million dollars"),
)

VERB_MORE_ABSTAINED = (
    abstained("What caused the tree to fall on the man's car?"),
    abstained("How much did the storm cost the power company?"),
    abstained("What did the judge advise Brennock to do?"),
    abstained("What caused the labelling error on the eye drop?"),
    abstained("How much did Harlow pay for the independent testing?"),
)

PROBES: dict[str, tuple[Probe, ...]] = {
    "answered": ANSWERED,
    "abstained": ABSTAINED,
    "new_answered": NEW_ANSWERED,
    "new_abstained": NEW_ABSTAINED,
    "relation_answered": RELATION_ANSWERED,
    "relation_abstained": RELATION_ABSTAINED,
    "verb_answered": VERB_ANSWERED,
    "verb_abstained": VERB_ABSTAINED,
    "verb_more_answered": VERB_MORE_ANSWERED,
    "verb_more_abstained": VERB_MORE_ABSTAINED,
}

# Share of each set that must pass, a little under what was measured: on 7396c8d (the election story
# indexed too) 12/33 and 6/13, with words said otherwise counted (rag.word_vectors) 13/33 and 6/13.
# On baffb82 14/33 and 8/13, with the selector's second reading (rag.selector: a question it doubts
# read again counting the words said otherwise) 17/33 and 8/13; the session-6 probes, written
# before it, 20/33 and 7/11 either way (22/33 with the held-out strike story indexed too).
# Most misses now are a wrong sentence rated best, checks on whether a sentence says the question's
# words ("annual", "big") and "who" asked by a role worded otherwise.
FLOORS = {
    "answered": 0.48,
    "abstained": 0.55,
    "new_answered": 0.55,
    "new_abstained": 0.6,
    "relation_answered": 0.72,
    "relation_abstained": 0.6,
    # 13/18 and 3/9 with the verb families (rag.equivalences), 10/18 and 3/9 before them; 4/9 once a
    # cause asked must be a cause said (rag.quotes.states_asked)
    "verb_answered": 0.66,
    "verb_abstained": 0.4,
    # 6/9 and 1/5 on 43866bb; 4/9 and 2/5 before the verb families and the cause check (on 34d22ee)
    "verb_more_answered": 0.6,
    "verb_more_abstained": 0.15,
}


@pytest.mark.parametrize("group", sorted(PROBES))
def test_most_paraphrased_probes_pass(assistant: Assistant, group: str) -> None:
    probes = PROBES[group]
    failed = failures(assistant, probes)
    assert 1 - len(failed) / len(probes) >= FLOORS[group], failed
