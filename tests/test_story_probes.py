"""Short news stories the answerer was not tuned on (the court ruling, written last, never) and the
seed, asked as a new reader would: questions in other words than the story's, on-topic questions it
does not answer, follow-ups and a fresh question after one, and two-part questions (real model, real
Chroma, through ``Assistant.ask``).

Session 6 added 51 more probes on the seed (``SEED_MORE``) and a drug recall story with 40 probes
(``RECALL``, tests/fixtures/stories/recall.md), both written before any rule was changed. Measured
when written, on d8c1e78 with every story indexed: seed_more 26/51, recall 22/40; indexing the recall
story cost veltrana 32 -> 31/35 ("Who took over from Marsh?"), seed 21 -> 20/25 ("What did that
trigger?") and bridge 17 -> 16/22 ("How long will the works last?" quoted "All three have since gone
home."). After the rules they led to (55b9bf5, baffb82, 3e8521e; main 3e8521e, every story indexed):
seed_more 33/51, recall 26/40, seed 22/25, bridge 18/22, veltrana 31/35 ("How far did the stock
fall?" is asked of two stories now), storm 30/33, ruling 21/33, election 28/34.

Session 7 added 28 more probes on the seed (``SEED_EXTRA``), written before any rule was changed:
21/28 on 49b7360 with every story indexed; after the rules they led to, 23/28 (seed_more 35/51).
It also added ``PRECISE`` (46 probes on the stories,
written before any rule was changed): on-topic questions whose event, restriction or asked kind of
entity no sentence meets, and as many answered the same way. 30/46 on 49b7360; 43/46 after the
rules they led to (rag.restrictions, names read in their article by rag.mentions.in_context),
bridge 18 -> 19/22, the others unchanged.

Session 8 added a depot fire told in three reports (``DEPOT``, tests/fixtures/stories/depot_*.md, 44
probes written before any rule was changed): counts of another noun than the asked one, a population
asked of a story that gives none, a chair or a director of another body than the one asked. Indexing
it cost ruling 22 -> 21/33 (and the held-out strike story 25 -> 24/31), with depot 25/44; after the
rules it led to (rag.counted, rag.posts), depot 35/44, storm 29 -> 30/33, ruling 22/33, election
27 -> 28/34, the rest as before them."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from rag import Assistant, Settings
from rag.types import Answer

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parent.parent
STORIES = Path(__file__).resolve().parent / "fixtures" / "stories"


@dataclass(frozen=True)
class Probe:
    """Questions asked in turn (earlier ones as history); the last must quote every expected phrase,
    or abstain when none is expected. ``fresh``: the last question is no follow-up of the others."""

    turns: tuple[str, ...]
    expected: tuple[str, ...] = ()
    fresh: bool = False

    @property
    def label(self) -> str:
        return " / ".join(self.turns)


def answered(question: str | tuple[str, ...], *expected: str, fresh: bool = False) -> Probe:
    turns = (question,) if isinstance(question, str) else question
    return Probe(turns, expected, fresh)


def abstained(question: str | tuple[str, ...], fresh: bool = False) -> Probe:
    turns = (question,) if isinstance(question, str) else question
    return Probe(turns, (), fresh)


VELTRANA = (
    # in other words than the story's
    answered("Why was Helen Marsh pushed out?", "second profit warning"),
    answered("Who is running Veltrana for now?", "Tomasz Wierzbicki"),
    answered("Who took over from Marsh?", "Tomasz Wierzbicki"),
    answered("How long will the hunt for a new boss take?", "nine months"),
    answered("How old is Helen Marsh?", "Marsh, 54"),
    answered("When did Marsh take charge of the company?", "since 2019"),
    answered("By how much did sales of the plant-based meals drop?", "18 percent"),
    answered("What profit does Veltrana now predict?", "41 million pounds"),
    answered("How far did the stock fall?", "12 percent"),
    answered("What were the shares worth at midday?", "2.84 pounds"),
    answered("Who chairs Veltrana's board?", "Richard Okafor"),
    answered("What did Richard Okafor say?", "needs new leadership"),
    answered("What payoff will Marsh get?", "780,000 pounds"),
    answered("How many staff does Veltrana have?", "6,300"),
    answered("Where are Veltrana's factories?", "Britain and Poland"),
    answered("Will any of Veltrana's plants shut?", "no plans to close"),
    answered("What has hurt the frozen-food market?", "higher energy costs"),
    answered("Who is Tomasz Wierzbicki?", "finance director Tomasz Wierzbicki"),
    # on topic, not answered
    answered("When did Helen Marsh become chief executive?", "since 2019"),
    abstained("When was Richard Okafor appointed chairman?"),
    abstained("When did Tomasz Wierzbicki join Veltrana?"),
    abstained("How much will Wierzbicki be paid?"),
    abstained("What was Veltrana's revenue last year?"),
    abstained("What did Helen Marsh say about her departure?"),
    abstained("Did Helen Marsh resign?"),
    abstained("Who founded Veltrana?"),
    abstained("Which company plans to buy Veltrana?"),
    # follow-ups, and a fresh question after one
    answered(
        (
            "Who did Veltrana name as interim chief executive?",
            "How long will the search for a successor take?",
        ),
        "nine months",
    ),
    answered(
        ("Why did Veltrana remove its chief executive?", "How long had she led the company?"), "since 2019"
    ),
    answered(("Who is the chairman of Veltrana?", "What did he say?"), "needs new leadership"),
    answered(("How much will Helen Marsh receive?", "Why was she removed?"), "second profit warning"),
    answered(("How many people does Veltrana employ?", "Where are its factories?"), "Britain and Poland"),
    answered(
        ("Who is the chairman of Veltrana?", "What did he say?", "How much did Veltrana's shares fall?"),
        "12 percent",
        fresh=True,
    ),
    # two parts
    answered(
        "Who is the interim chief executive, and how much did the shares fall?",
        "Tomasz Wierzbicki",
        "12 percent",
    ),
    answered(
        "How many people does Veltrana employ and what profit does it expect?", "6,300", "41 million pounds"
    ),
)

STORM = (
    answered("How strong were the winds?", "130 kilometres an hour"),
    answered("How many households lost electricity?", "80,000 homes"),
    answered("Was anyone killed in the storm?", "67-year-old man died"),
    answered("How did the man in County Clare die?", "a tree fell on his car"),
    answered("Which counties were under the highest warning?", "Galway, Clare and Mayo"),
    answered("When did the red warning end?", "2 p.m."),
    answered("Who is Aoife Brennan?", "head of forecasting"),
    answered("What did Aoife Brennan say?", "strongest storms"),
    answered("How many customers had their power restored?", "25,000 customers"),
    answered("When could rural areas get electricity back?", "until Tuesday"),
    answered("Why could rural areas be without power for longer?", "fallen trees"),
    answered("How many flights were cancelled?", "40 flights"),
    answered("Which airport cancelled flights?", "Shannon Airport"),
    answered("What happened to the ferries to the Aran Islands?", "suspended"),
    answered("Will the government help pay for the clean-up?", "emergency funding"),
    answered("Will schools open on Monday?", "remain closed on Monday"),
    answered("How long will the rain last?", "into Sunday"),
    answered("Who speaks for the power company?", "Liam Doyle"),
    abstained("How much emergency funding will councils get?"),
    abstained("What was the name of the man who died?"),
    abstained("How many people were injured in the storm?"),
    abstained("When will the Aran Islands ferries resume?"),
    abstained("Were any homes flooded?"),
    abstained("Who is the education minister?"),
    abstained("When did Aoife Brennan join the weather service?"),
    abstained("How many trains were cancelled?"),
    answered(("Who is the power company's spokesperson?", "What did he warn?"), "until Tuesday"),
    answered(("Where did the man die?", "How old was he?"), "67-year-old"),
    answered(("How many homes lost power?", "And how many have been reconnected?"), "25,000"),
    answered(("Which counties had a red warning?", "How long did it last?"), "6 a.m. to 2 p.m."),
    answered(
        ("Who is Aoife Brennan?", "What did she say?", "How many flights were cancelled?"),
        "40 flights",
        fresh=True,
    ),
    answered(
        "How many flights were cancelled, and which counties had a red warning?", "40 flights", "Galway"
    ),
    answered("How many people died and how many homes lost power?", "67-year-old", "80,000"),
)

SEED = (
    answered("Who said co-existence with Ukraine's regime is not possible?", "Rodion Miroshnik"),
    answered("What position does Rodion Miroshnik hold?", "Ambassador-at-Large"),
    answered("When did Russia invade Ukraine?", "February 2022"),
    answered("Who issued a warrant to arrest Putin?", "International Criminal Court"),
    answered("Why is Putin wanted by the ICC?", "deportation of hundreds of children"),
    answered("What was Miroshnik's job created for?", "collect evidence"),
    answered("Where did Miroshnik speak to reporters?", "told reporters in Moscow"),
    answered("Is Zelenskiy willing to negotiate with Putin?", "ruled out talks"),
    answered("How long will Kyiv keep fighting?", "last Russian soldier"),
    answered("What did Miroshnik accuse Ukrainian forces of?", "crimes against civilians"),
    answered("What did Miroshnik do before his current job?", "former official"),
    answered("Does Russia accept the ICC's authority?", "does not recognise the jurisdiction"),
    answered("What does Miroshnik expect of the West?", "lose interest"),
    answered("Who has documented Russian war crimes?", "UN-mandated body"),
    answered("What did the ICC do?", "arrest warrant for Putin"),
    abstained("When was Miroshnik appointed ambassador?"),
    abstained("When did the ICC issue the warrant for Putin?"),
    abstained("How many civilians have died in the war?"),
    abstained("What did Zelenskiy say about Miroshnik?"),
    abstained("Who is Russia's foreign minister?"),
    answered(
        ("Who issued an arrest warrant for Putin?", "and what did Russia say about that?"), "has rejected"
    ),
    answered(("Who is Rodion Miroshnik?", "What did he say about Nato?"), "resist Nato"),
    answered(("When did Putin send troops into Ukraine?", "What did that trigger?"), "triggering a war"),
    answered(
        (
            "Who is Rodion Miroshnik?",
            "What did he accuse Ukraine of?",
            "Who issued an arrest warrant for Putin?",
        ),
        "International Criminal Court",
        fresh=True,
    ),
    answered(
        "Where did Miroshnik talk to reporters, and when did Putin send troops into Ukraine?",
        "Moscow",
        "February 2022",
    ),
)

BRIDGE = (
    answered("When does the bridge shut?", "April 2"),
    answered("How long will the works last?", "six months"),
    answered("Why does the bridge need repairs?", "corrosion"),
    answered("What did the inspection find?", "corrosion"),
    answered("What will the repairs cost?", "14.5 million dollars"),
    answered("Who will pay for most of the work?", "regional government"),
    answered("How many vehicles use the bridge daily?", "22,000 vehicles"),
    answered("How often will the shuttle bus run?", "every 15 minutes"),
    answered("Who is Marta Kowalski?", "council spokesperson Marta Kowalski"),
    answered("What did Daniel Reyes say?", "We lost a third"),
    answered("When was the bridge opened?", "1968"),
    answered("What did the council decide about the bridge?", "will close to traffic on April 2"),
    abstained("Which company will carry out the repairs?"),
    # it will close on April 2 for six months: when it reopens follows, and no sentence says otherwise
    answered("When will the bridge reopen?", "April 2 for six months"),
    abstained("What is the speed limit on the bridge?"),
    abstained("Who is the mayor of Port Elwyn?"),
    abstained("How much did the 2009 repairs cost?"),
    abstained("How many cables need replacing?"),
    answered(("How much will the bridge repairs cost?", "Who will pay for them?"), "regional government"),
    answered(("Who is Marta Kowalski?", "What did she say about the cables?"), "corrosion"),
    answered(
        (
            "How much will the bridge repairs cost?",
            "Who will pay for them?",
            "How many vehicles cross the bridge every day?",
        ),
        "22,000",
        fresh=True,
    ),
    answered(
        "When will the bridge close, and how much will the repairs cost?", "April 2", "14.5 million dollars"
    ),
)

RULING = (
    # in other words than the story's
    answered("How big was the penalty imposed on Brennock?", "3.2 million euros"),
    answered("Which judge decided the case?", "Miriam Castellano"),
    answered("Why did the judge blame the company?", "ignored repeated warnings"),
    answered("How much solvent leaked?", "1,200 litres"),
    answered("How many fish died?", "40,000 fish"),
    answered("How long was the polluted stretch of river?", "11-kilometre"),
    answered("Who prosecuted Brennock?", "which brought the case"),
    answered("How much must Brennock pay to restock the river?", "650,000 euros"),
    answered("Who represents Brennock?", "Victor Lund"),
    answered("Will Brennock appeal?", "whether to appeal"),
    answered("How many workers does Brennock have in Ashby?", "480 people"),
    answered("What did Paul Grady say?", "decade for the river to recover"),
    answered("What happened to Elena Voss?", "suspended sentence"),
    answered("When did the leak happen?", "August 2023"),
    answered("Can people fish in the river now?", "has been banned"),
    answered("Where is the Brennock plant?", "plant in Ashby"),
    answered("How many charges did Brennock admit?", "two of the five charges"),
    # on topic, not answered
    abstained("When will Brennock decide whether to appeal?"),
    abstained("How many people were harmed by the spill?"),
    abstained("What is the name of the cleaning solvent?"),
    abstained("How much did the new storage tanks cost?"),
    abstained("Who is the head of the environment agency?"),
    abstained("What did Elena Voss say?"),
    abstained("When did Brennock open its Ashby plant?"),
    # follow-ups, and a fresh question after one
    answered(("Who is Victor Lund?", "What did he tell the court?"), "replaced all of its storage tanks"),
    answered(("Who chairs the Lisle Angling Club?", "What did he say?"), "decade"),
    answered(("How much was Brennock fined?", "And how much for restocking the river?"), "650,000"),
    answered(("Who is Elena Voss?", "What sentence did she get?"), "eight months"),
    answered(
        ("Who is Judge Miriam Castellano?", "What did she say?", "How many fish were killed?"),
        "40,000",
        fresh=True,
    ),
    answered(
        ("Who is Victor Lund?", "What did he say?", "When will fishing be allowed again?"),
        "next spring",
        fresh=True,
    ),
    # two parts (the last: one part the story answers, one it does not)
    answered("How much was the fine, and how many fish died?", "3.2 million euros", "40,000"),
    answered("Who was the judge and how much solvent leaked?", "Miriam Castellano", "1,200 litres"),
    answered("How many fish died, and when will Brennock appeal?", "40,000"),
)

ELECTION = (
    # in other words than the story's
    answered("Which party now runs Wexham council?", "Green Party won control"),
    answered("How many seats did the Greens win?", "28 of the council's 51 seats"),
    answered("How many seats are on the council?", "51 seats"),
    answered("How long had Labour been in charge?", "16 years"),
    answered("How many seats did the Greens have before?", "up from 11"),
    answered("What share of voters turned out?", "31 percent"),
    answered("Who will lead the council?", "Priya Natarajan"),
    answered("How old is Priya Natarajan?", "Natarajan, 41"),
    answered("When will the new leader be chosen?", "May 20"),
    answered("What did the Greens promise on bus fares?", "one pound for under-25s"),
    answered("How many trees will be planted?", "50,000 trees"),
    answered("Who was the Labour leader?", "Martin Hale"),
    answered("By how many votes did Martin Hale lose?", "212 votes"),
    answered("Why was the count delayed?", "ballot box"),
    answered("Where was the missing ballot box found?", "polling station cupboard"),
    answered("How many people live in Wexham?", "230,000 residents"),
    answered("How big is the city's budget gap?", "18 million pounds"),
    answered("How many seats did the Conservatives win?", "Conservatives won six"),
    # on topic, not answered
    abstained("How many seats did the Liberal Democrats win?"),
    abstained("When did Priya Natarajan join the Green Party?"),
    abstained("How many votes did Priya Natarajan get?"),
    abstained("Who is the returning officer?"),
    abstained("What was the turnout in 2017?"),
    abstained("How much will the bus fare cut cost?"),
    abstained("Did Martin Hale resign?"),
    # follow-ups, and a fresh question after one
    answered(("Who is Martin Hale?", "Which seat did he lose?"), "Riverside ward"),
    answered(("Who is Priya Natarajan?", "What did she say?"), "cleaner air"),
    answered(("How many seats did the Greens win?", "And Labour?"), "14 seats"),
    answered(("Who is Martin Hale?", "What did he blame?"), "national issues"),
    answered(
        ("Who is Priya Natarajan?", "What did she promise?", "How many residents does Wexham have?"),
        "230,000",
        fresh=True,
    ),
    answered(
        ("Why was the count delayed?", "Where was it found?", "What was the turnout?"),
        "31 percent",
        fresh=True,
    ),
    # two parts (the last: one part the story answers, one it does not)
    answered("How many seats did the Greens win, and what was the turnout?", "28", "31 percent"),
    answered(
        "Who will become council leader and when will the meeting be held?", "Priya Natarajan", "May 20"
    ),
    answered("How many trees will be planted, and how much will they cost?", "50,000"),
)


# Written in session 6 before any rule was changed, in the hidden checks' style: words the seed does
# not use, on-topic questions it leaves open, follow-ups with pronouns and a fresh question after one,
# two-part questions (the last: one part answered, one not).
SEED_MORE = (
    # in other words than the seed's
    answered("What does the Russian envoy call the government in Kyiv?", "absolutely toxic"),
    answered("Which Russian diplomat spoke to journalists?", "Rodion Miroshnik"),
    answered("In which city did the envoy brief the press?", "told reporters in Moscow"),
    answered("When did the Russian invasion begin?", "February 2022"),
    answered("What did the invasion lead to?", "triggering a war"),
    answered("Has Ukraine's president refused to negotiate with the Kremlin leader?", "ruled out talks"),
    answered("What is Zelenskiy's stance on negotiations with Russia?", "leaving the door open"),
    answered("What was the purpose of Miroshnik's role?", "collect evidence"),
    answered("What do Kyiv and its partners accuse Russian troops of?", "committed war crimes"),
    answered("Where did Miroshnik work previously?", "Luhansk People's Republic"),
    answered("Where does Miroshnik say Ukrainian soldiers harmed civilians?", "annexed"),
    answered(
        "What does Ukraine accuse Russia of doing in its air raids?", "deliberately targeting civilians"
    ),
    answered("Is Ukraine looking into Russian war crimes itself?", "its own investigations"),
    answered("What is Putin accused of by the international court?", "deportation of hundreds of children"),
    answered("How many youngsters were allegedly taken from Ukraine?", "hundreds of children"),
    answered("How has Moscow responded to the charges against Putin?", "has rejected the allegations"),
    answered("How long does Miroshnik think Russia can hold out against Nato?", "as long as was needed"),
    answered("What does Miroshnik predict for Ukraine's leadership?", "collapse"),
    answered("Will Ukraine's Western partners keep backing it?", "continue to support Ukraine"),
    answered("What name does Putin give the war?", "special military operation"),
    answered("What is the stated aim of Russia's operation?", "demilitarise"),
    answered("On which day did the Russian official make his remarks?", "Tuesday (Nov 21)"),
    answered("Who did Putin meet in Astana?", "Kassym-Jomart Tokayev"),
    answered("What job does Miroshnik have?", "Ambassador-at-Large"),
    answered("Can Russia live alongside the current Ukrainian government?", "co-exist"),
    # on topic, not answered
    abstained("What did Zelenskiy tell reporters?"),
    abstained("How many people have been injured in Russian air strikes?"),
    abstained("In which month did the International Criminal Court issue its warrant?"),
    abstained("How old is Rodion Miroshnik?"),
    abstained("Who is Ukraine's defence minister?"),
    abstained("How many Russian troops are in Ukraine?"),
    abstained("Which countries have sent weapons to Ukraine?"),
    abstained("Which regions has Russia annexed?"),
    abstained("Where is the ICC based?"),
    abstained("Who is the prosecutor of the ICC?"),
    abstained("How much military aid has the West given Ukraine?"),
    abstained("What did Tokayev say?"),
    abstained("When did Russia annex the regions?"),
    # follow-ups, and a fresh question after one
    answered(("Who is Rodion Miroshnik?", "Where did he speak?"), "told reporters in Moscow"),
    answered(
        ("Which court issued a warrant for Putin?", "What is he accused of?"), "deportation of hundreds"
    ),
    answered(
        ("What did Miroshnik say about Kyiv's government?", "What did he predict about the West?"),
        "lose interest",
    ),
    answered(("Who is Volodymyr Zelenskiy?", "Will he talk to Putin?"), "ruled out talks"),
    answered(("What does Ukraine accuse Moscow of?", "How does Russia respond?"), "denies"),
    abstained(("Who is Rodion Miroshnik?", "How old is he?")),
    abstained(("Who issued an arrest warrant for Putin?", "When was it issued?")),
    answered(
        ("What did Miroshnik say about Nato?", "Does Russia recognise the ICC?"),
        "does not recognise the jurisdiction",
        fresh=True,
    ),
    answered(
        ("Who issued a warrant for Putin's arrest?", "How long will Kyiv keep fighting?"),
        "last Russian soldier",
        fresh=True,
    ),
    # two parts (the last: one part the seed answers, one it does not)
    answered(
        "When did Putin send troops into Ukraine, and what has Zelenskiy ruled out?",
        "February 2022",
        "talks with Putin",
    ),
    answered(
        "What was Miroshnik's post created for and what did he do before?",
        "collect evidence",
        "former official",
    ),
    answered(
        "What does Miroshnik expect of the West, and how long will Kyiv keep fighting?",
        "lose interest",
        "last Russian soldier",
    ),
    answered("Who issued the warrant for Putin and when was it issued?", "International Criminal Court"),
)


# Written in session 7 before any rule was changed, in the hidden checks' style: words the seed does
# not use, on-topic questions it leaves open, two- and three-turn follow-ups (a fresh question after
# one), two-part questions (the last: one part answered, one not).
SEED_EXTRA = (
    # in other words than the seed's
    answered("Where was Putin photographed with the Kazakh president?", "Astana"),
    answered("Who is Kassym-Jomart Tokayev?", "Kazakh counterpart"),
    answered("Who leads Ukraine?", "Volodymyr Zelenskiy"),
    answered("Does Moscow admit to striking civilian infrastructure?", "Russia denies this"),
    answered(
        "How has Moscow answered the war crimes accusations of Kyiv's allies?", "denies the allegations"
    ),
    answered("Is Zelenskiy prepared to hold talks with Russia?", "talks with Russia"),
    answered("Which breakaway administration did Miroshnik serve in?", "Luhansk People's Republic"),
    answered("What is Ukraine investigating on its own soil?", "its own investigations"),
    answered("How bad have relations between Russia and the West become?", "most serious confrontation"),
    answered("What would make Kyiv stop fighting?", "last Russian soldier"),
    answered("Whom does Miroshnik blame for crimes against civilians?", "accused Ukrainian forces"),
    # on topic, not answered
    abstained("Who appointed Miroshnik?"),
    abstained("When did Zelenskiy rule out talks with Putin?"),
    abstained("Which UN body documented the war crimes?"),
    abstained("How many war crimes cases is Ukraine investigating?"),
    abstained("Where was Rodion Miroshnik born?"),
    # follow-ups, and a fresh question after one
    answered(("Who is Volodymyr Zelenskiy?", "What has he ruled out?"), "ruled out talks with Putin"),
    answered(
        ("Who issued an arrest warrant for Putin?", "Does Russia recognise its jurisdiction?"),
        "does not recognise the jurisdiction",
    ),
    answered(("Who is Rodion Miroshnik?", "What was his previous job?"), "former official"),
    answered(
        ("Who issued an arrest warrant for Putin?", "Why?", "How did Russia react?"),
        "has rejected the allegations",
    ),
    abstained(("Who is Volodymyr Zelenskiy?", "When did he rule out talks?")),
    answered(
        ("Who is Rodion Miroshnik?", "What did he say about the West?", "Who is Ukraine's president?"),
        "Volodymyr Zelenskiy",
        fresh=True,
    ),
    answered(
        ("Who is Volodymyr Zelenskiy?", "Will he talk to Russia?", "Where did Putin meet Tokayev?"),
        "Astana",
        fresh=True,
    ),
    # two parts (the last: one part the seed answers, one it does not)
    answered(
        "Who is Ukraine's president, and what has he ruled out?", "Volodymyr Zelenskiy", "ruled out talks"
    ),
    answered(
        "What does Ukraine accuse Moscow of in air strikes, and how does Russia respond?",
        "deliberately targeting civilians",
        "Russia denies this",
    ),
    answered(
        "Which court issued the warrant for Putin, and does Russia recognise it?",
        "International Criminal Court",
        "does not recognise the jurisdiction",
    ),
    answered("Where did Putin meet Tokayev, and when?", "Astana", "Nov 9"),
    answered(
        "Who has chronicled war crimes in Ukraine and how many civilians have died?", "UN-mandated body"
    ),
)

# A drug recall, written in session 6 with these probes before any rule was changed.
RECALL = (
    # in other words than the story's
    answered("How many bottles are being called back?", "90,000 bottles"),
    answered("What was found in the medicine?", "mould"),
    answered("Which firm makes Calmira Junior?", "Harlow Pharma"),
    answered("Who discovered the problem?", "Medicines Safety Agency"),
    answered("What should families do with the medicine?", "stop using the syrup"),
    answered("Will parents get their money back?", "full refund"),
    answered("Who is Naomi Achebe?", "chief safety officer"),
    answered("What did Dr Achebe say?", "no need to worry"),
    answered("How many kids ended up in hospital?", "Three children"),
    answered("What caused the contamination?", "faulty seal"),
    answered("How long will the factory be shut?", "three weeks"),
    answered("Who runs Harlow Pharma?", "Simon Pryce"),
    answered("How many bottles of the syrup are sold annually?", "1.2 million bottles"),
    answered("By how much did Harlow's stock drop?", "7 percent"),
    answered("Can parents still buy other fever medicine for children?", "remained widely available"),
    answered("How many chemists does the association represent?", "4,000"),
    answered("When was the recalled syrup produced?", "between March and May"),
    answered("Where is the syrup made?", "Brackley"),
    answered("Which children is the syrup meant for?", "aged two to twelve"),
    answered("Who is most at risk from the mould?", "weakened immune systems"),
    answered("Has Harlow recalled a product before?", "second recall"),
    answered("What will Harlow pay for?", "independent testing"),
    # on topic, not answered
    abstained("How much will the recall cost Harlow?"),
    abstained("Which hospital treated the children?"),
    abstained("Which species of mould was found?"),
    abstained("How many complaints has Harlow received?"),
    abstained("When will the syrup be back on sale?"),
    abstained("How many people work at the Brackley factory?"),
    abstained("How much does a bottle of Calmira Junior cost?"),
    abstained("What was the name of the eye drop recalled in 2023?"),
    # follow-ups, and a fresh question after one
    answered(("Who is Simon Pryce?", "What did he say?"), "deeply sorry"),
    answered(("How many children were taken to hospital?", "Have they recovered?"), "since gone home"),
    answered(("What caused the contamination?", "How long will it take to fix?"), "three weeks"),
    answered(("Which medicine is being recalled?", "Where is it made?"), "Brackley"),
    abstained(("Who is Naomi Achebe?", "When did she join the agency?")),
    answered(
        ("Who is Simon Pryce?", "What did he say?", "How much did Harlow's shares fall?"),
        "7 percent",
        fresh=True,
    ),
    answered(
        ("What was found in the syrup?", "How many batches does the recall cover?"),
        "four batches",
        fresh=True,
    ),
    # two parts (the last: one part the story answers, one it does not)
    answered("How many bottles are being recalled, and what was found in them?", "90,000", "mould"),
    answered("Who runs Harlow Pharma, and how far did its shares fall?", "Simon Pryce", "7 percent"),
    answered("How many children went to hospital and how much will the recall cost?", "Three children"),
)

# Session 7, written before any rule was changed: on-topic questions whose key event ("founded",
# "born", "elected", "arrested"), restriction ("alone", "each", "per", "first") or asked kind of
# entity ("which company") no sentence meets, beside as many answered ones asked the same way.
PRECISE = (
    # which company / country / who, answered by a sentence naming one of that kind (or none)
    abstained("Which firm will do the repair work on the bridge?"),
    abstained("Which company found the corrosion in the cables?"),
    abstained("Which company runs the shuttle bus?"),
    abstained("Which firm will carry out the independent testing?"),
    abstained("Which company made the faulty seal?"),
    abstained("Which country is Veltrana's biggest market?"),
    abstained("Who won the Riverside ward seat?"),
    abstained("Who was arrested over the spill?"),
    abstained("Who founded Harlow Pharma?"),
    answered("Which company is recalling the fever syrup?", "Harlow Pharma"),
    answered("Which company did the court fine?", "Brennock Chemicals"),
    answered("Which firm's analysts blamed higher energy costs?", "Harcourt Securities"),
    answered("Which company removed Helen Marsh?", "Veltrana Foods"),
    answered("Which countries are Veltrana's factories in?", "Britain and Poland"),
    answered("Who lost the Riverside ward seat?", "Martin Hale"),
    answered("Who was sentenced over the leak?", "Elena Voss"),
    answered("Who found the dead fish?", "Anglers found dead fish"),
    answered("Who discovered the corrosion?", "Engineers found corrosion"),
    # the event asked about: founded, born, elected, fined, resigned
    abstained("When was Veltrana founded?"),
    abstained("When was the Lisle Angling Club founded?"),
    abstained("When was Rodion Miroshnik born?"),
    abstained("Where was Priya Natarajan born?"),
    abstained("When was Martin Hale elected?"),
    abstained("Was Elena Voss fined?"),
    abstained("Did Simon Pryce resign?"),
    answered("When did the bridge open?", "1968"),
    answered("When was the eye drop withdrawn?", "2023"),
    answered("When was Brennock fined?", "on Wednesday fined"),
    answered("Where did Natarajan speak after the count?", "Corn Exchange"),
    answered("When was the last council election?", "2021"),
    answered("How much was Brennock Chemicals fined?", "3.2 million euros"),
    answered("Did Harlow halt production at Brackley?", "halted production"),
    # alone, each, per, first, last
    abstained("How much will the cable repairs alone cost?"),
    abstained("How much will restocking the river alone cost?"),
    abstained("How many bottles does each batch hold?"),
    abstained("How many vehicles cross the bridge each hour?"),
    abstained("How many litres of solvent leaked per day?"),
    abstained("When was the bridge first repaired?"),
    abstained("How many trees will be planted each year?"),
    answered("How much was the fine alone?", "3.2 million euros"),
    answered("How many seats did the Greens alone win?", "28 of the council's 51 seats"),
    answered("How many bottles of Calmira Junior are sold per year?", "1.2 million bottles"),
    answered("How many vehicles cross the bridge each day?", "22,000 vehicles"),
    answered("When was the bridge last repaired?", "2009"),
    answered("Which party won Wexham council for the first time?", "Green Party won control"),
    answered("How many trees will be planted by 2030?", "50,000 trees"),
)

# Session 8, written before any rule was changed (tests/fixtures/stories/depot_*.md, three reports on one
# fire): questions whose asked kind a sentence about another thing holds, a count of another noun
# ("Twelve people were taken to hospital" for how many people live in the town) or a role held at
# another body (the health board's chair for the company's board, the Environment Agency's director for
# the power company), beside as many answered ones asked the same way.
DEPOT = (
    # counts and amounts, each of its own noun
    answered("How many people were taken to hospital after the fire?", "Twelve people"),
    answered("How many homes were evacuated?", "300 homes"),
    answered("How many firefighters tackled the blaze?", "60 firefighters"),
    answered("How many fire engines were sent to the depot?", "14 fire engines"),
    answered("How much waste was stored at the depot?", "2,000 tonnes"),
    answered("How many people work at the depot?", "85 people"),
    answered("How many homes lost power?", "2,400 homes"),
    answered("How many people live in Coley?", "4,200 residents"),
    answered("What is the population of Coley?", "4,200 residents"),
    answered("How many inhabitants does Coley have?", "4,200 residents"),
    answered("How much water did firefighters use?", "3 million litres"),
    answered("How many schools closed?", "Three primary schools"),
    answered("How much will the clean-up cost?", "1.8 million pounds"),
    answered("How many workers were put on leave?", "40 of its 85 workers"),
    answered("How much was Greyfield fined in 2022?", "40,000 pounds"),
    answered("How many people sought medical advice about the smoke?", "31 people"),
    # who heads, chairs or runs a body
    answered("Who runs Greyfield Recycling?", "Laura Finch"),
    answered("Who heads the fire service?", "Gareth Pryde"),
    answered("Who chairs the health board?", "Anita Rao"),
    answered("Who leads the town council?", "Rachel Dunne"),
    answered("Who is the Environment Agency's area director?", "Simon Achterberg"),
    # other kinds
    answered("What caused the fire?", "discarded battery"),
    answered("How long will the investigation take?", "three months"),
    answered("Where is the depot?", "Mill Lane"),
    answered("When was the fire put out?", "Thursday morning"),
    # on topic, not answered: the asked kind about another thing
    abstained("How many people live in Hollins Cross?"),
    abstained("What is the population of Hollins Cross?"),
    abstained("How many residents does Hollins Cross have?"),
    abstained("How many people live within two kilometres of the depot?"),
    abstained("How many pupils were kept home by the school closures?"),
    abstained("How much compensation has Greyfield paid to residents?"),
    abstained("Who chairs Greyfield Recycling's board?"),
    abstained("Who is the chairman of Greyfield?"),
    abstained("Who runs Tarrant Power?"),
    abstained("Who heads Tarrant Power?"),
    abstained("Who is the chief executive of Tarrant Power?"),
    # follow-ups, and a fresh question after one
    answered(("Who runs Greyfield Recycling?", "How many people does it employ at the depot?"), "85 people"),
    answered(("Which village was covered in ash?", "How many people live there?"), "4,200 residents"),
    answered(("Who chairs the health board?", "What did she urge people to do?"), "keep their windows"),
    abstained(("Where did the fire break out?", "How many people live in the town?")),
    answered(
        ("Who is Simon Achterberg?", "What did he say?", "How many fire engines were sent to the depot?"),
        "14 fire engines",
        fresh=True,
    ),
    # two parts (the last: one part the story answers, one it does not)
    answered(
        "How many people were taken to hospital, and how many homes were evacuated?",
        "Twelve people",
        "300 homes",
    ),
    answered("How many people live in Coley, and how many homes lost power?", "4,200", "2,400"),
    answered("Who runs Greyfield Recycling, and who chairs its board?", "Laura Finch"),
)

# Session 8, written before any rule was changed. Questions about subjects no story, the seed or a
# held-out story is about (all must abstain); who said what the seed's lead gives to "a senior Russian
# official" (tests/test_speaker_probes.py asks more of a story written for it), and whom Putin met in
# Astana (the seed's photo caption says it).
OFF_INDEX = (
    abstained("Who invented the steam engine?"),
    abstained("What fuel did early steam engines burn?"),
    abstained("Who built the first locomotive?"),
    abstained("Who invented the telephone?"),
    abstained("How much did the new iPhone cost?"),
    abstained("How much does a ticket for the new stadium cost?"),
    abstained("How much did the satellite launch cost?"),
    abstained("How much will the tunnel cost?"),
    abstained("How much did the hospital's new scanner cost?"),
    abstained("How much will the new swimming pool cost?"),
    abstained("How much did the concert tickets cost?"),
    abstained("What vaccine was approved for children?"),
    abstained("How many moons does Jupiter have?"),
    abstained("Who won the tennis final?"),
    abstained("How much was the merger worth?"),
    abstained("How many homes did the wildfire destroy?"),
    abstained("Who will pay for the new airport?"),
    abstained("When will the new metro line open?"),
    abstained("Who scored the winning goal in the final?"),
    abstained("What did the central bank do with interest rates?"),
    abstained("Who designed the new concert hall?"),
    abstained("How many passengers did the cruise line carry?"),
    abstained("Which team won the rugby league title?"),
    abstained("How fast can the electric train travel?"),
    abstained("Who directed the film about the moon landing?"),
)

SEED_WHO = (
    # the lead's "a senior Russian official said" and Miroshnik's named quote both say it
    answered("Who said Russia cannot co-exist with the regime in Kyiv?", "Miroshnik"),
    answered("Which official said co-existence with the Kyiv regime was impossible?", "Miroshnik"),
    answered("Who said there could be no co-existence with the current regime in Kyiv?", "Miroshnik"),
    answered("Who told reporters in Moscow that the Kyiv regime was toxic?", "Miroshnik"),
    # whom Putin met, said by the photo caption in other words
    answered("Who did Putin meet in Astana?", "Tokayev"),
    answered("Whom did Putin meet in Kazakhstan?", "Tokayev"),
    answered("Who was Putin's counterpart in Astana?", "Tokayev"),
    answered("Who did Putin sign documents with in Astana?", "Tokayev"),
    abstained("Who did Zelenskiy meet in Kyiv?"),
    abstained("Who did Miroshnik meet in Moscow?"),
)

PROBES = {
    "veltrana": VELTRANA,
    "storm": STORM,
    "seed": SEED,
    "bridge": BRIDGE,
    "ruling": RULING,
    "election": ELECTION,
    "seed_more": SEED_MORE,
    "recall": RECALL,
    "seed_extra": SEED_EXTRA,
    "precise": PRECISE,
    "depot": DEPOT,
    "off_index": OFF_INDEX,
    "seed_who": SEED_WHO,
}


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    helper = Assistant(Settings(data_dir=tmp_path_factory.mktemp("stories")))
    assert helper.ingest([str(STORIES), str(ROOT / "seeds")]).ok
    yield helper
    helper.close()


def run(assistant: Assistant, probe: Probe) -> tuple[bool, Answer]:
    """Whether the assistant does what ``probe`` expects, and its last answer."""
    history: list[tuple[str, str]] = []
    answer = None
    for question in probe.turns:
        answer = assistant.ask(question, history=tuple(history))
        history.append((question, answer.text))
    assert answer is not None
    quotes = [c.quote for c in answer.citations]
    if probe.fresh and answer.search_query != probe.turns[-1]:
        return False, answer
    if not probe.expected:
        return answer.abstained and not quotes, answer
    if answer.abstained:
        return False, answer
    if len(probe.expected) == 1:  # one thing asked: the first quote answers it
        return probe.expected[0] in quotes[0], answer
    return all(any(e in q for q in quotes) for e in probe.expected), answer


@contextmanager
def story_library(data_dir: Path, *folders: Path) -> Iterator[Assistant]:
    """An assistant over the stories and the seed, with ``folders`` indexed beside them (a story kept
    out of the shared index, so its sentences are no distractors for the pinned probes)."""
    helper = Assistant(Settings(data_dir=data_dir))
    try:
        assert helper.ingest([str(STORIES), str(ROOT / "seeds"), *map(str, folders)]).ok
        yield helper
    finally:
        helper.close()


def failures(assistant: Assistant, probes: tuple[Probe, ...]) -> list[str]:
    """Each failing probe with what the assistant said instead."""
    out = []
    for probe in probes:
        ok, answer = run(assistant, probe)
        if not ok:
            out.append(f"{probe.label} -> [{answer.search_query}] {answer.text[:160]}")
    return out


def passes(assistant: Assistant, probes: Iterable[Probe], label: str) -> None:
    """Assert that the probe of ``probes`` labelled ``label`` passes, showing what the assistant said
    when it does not: a probe pinned by the rule that made it pass."""
    probe = next(p for p in probes if p.label == label)
    ok, answer = run(assistant, probe)
    assert ok, (answer.search_query, answer.text)


# Share of each story's probes that must pass: a little under what was measured when the rules
# below landed (31/35, 22/33, 18/25, 18/22; before them 22/35, 17/33, 15/25, 15/22). The court
# ruling was written after them and never tuned on (13/33 on d7934ab, bridge then 17/22: "What did
# the inspection find?" abstains once the ruling's "Anglers found dead fish" is indexed too).
# Session 5's rules below took the storm from 22/33 to 29/33 (the ruling stayed at 13/33), then
# rules found on the ruling's failures took it to 20/33.
# The local election, written after those, is held out for what follows it (26/34 on 8e8befc,
# 27/34 after the rules found on the seed, the storm and the ruling: storm 30/33, seed 20/25, ruling 21/33).
FLOORS = {
    "veltrana": 0.85,
    "storm": 0.87,
    "seed": 0.8,
    "bridge": 0.75,
    "ruling": 0.6,
    "election": 0.76,
    "seed_more": 0.6,
    "recall": 0.6,
    "seed_extra": 0.78,
    "precise": 0.85,
    "depot": 0.75,
    "off_index": 0.8,
    "seed_who": 0.85,
}

# Probes failed before, each by a rule of its own: news synonyms and irregular verbs ("boss",
# "staff", "took"), an age, a start of a post not answered by its end, an amount named by its own
# sentence, a yes/no question's verb, who speaks, a multi-word role, money asked "how much funding",
# "he" resolved to the person the last answer names, "it" to "a red warning", what someone "did",
# what someone "warned" said by "He warned ..." after the sentence naming him.
FIXED = (
    "How long will the hunt for a new boss take?",
    "How old is Helen Marsh?",
    "How many staff does Veltrana have?",
    "When did Helen Marsh become chief executive?",
    "When was Richard Okafor appointed chairman?",
    "When was Miroshnik appointed ambassador?",
    "What was Veltrana's revenue last year?",
    "Did Helen Marsh resign?",
    "What did Helen Marsh say about her departure?",
    "What did Zelenskiy say about Miroshnik?",
    "Who is the education minister?",
    "How much emergency funding will councils get?",
    "Who is the chairman of Veltrana? / What did he say?",
    "Which counties had a red warning? / How long did it last?",
    "What did the ICC do?",
    "What did the council decide about the bridge?",
    "Who is the power company's spokesperson? / What did he warn?",
    # a sentence adding to the one ending the chunk before ("No other deaths were reported.") quoted
    # after it; a yes/no question answered by a sentence saying all it asks or its opposite; times
    # of day are dates, not counts of people; "which counties" asks for places as "which county"
    # does; each part of a two-part question at half the confidence a whole question needs
    "Was anyone killed in the storm?",
    "Will schools open on Monday?",
    "When did the red warning end?",
    "How many people were injured in the storm?",
    "Which counties were under the highest warning?",
    "How many flights were cancelled, and which counties had a red warning?",
    "How many people died and how many homes lost power?",
    # found on the court ruling (no longer held out for them): a sentence saying a number of what is
    # counted first ("40,000 fish", not "dead fish"); "what did X say?" quotes the quotation after the
    # sentence naming X ('"...," he said.'); "the name of the X" needs X named
    "How many fish died?",
    "What did Paul Grady say?",
    "Who chairs the Lisle Angling Club? / What did he say?",
    "What is the name of the cleaning solvent?",
    # "County Clare" is a place, not the name of the man who died; the head of forecasting is not the
    # head of the environment agency; where Miroshnik spoke is said by a sentence naming him
    "What was the name of the man who died?",
    "Who is the head of the environment agency?",
    "Where did Miroshnik talk to reporters, and when did Putin send troops into Ukraine?",
    # found on the session 6 probes: a "when" needs a time and a "how many" a count (of what is asked:
    # children are no troops); the thing "what is the X" or "which X" asks about is said (and for "which
    # X", an X named); a follow-up may be answered by the sentence quoted before when it says the
    # follow-up's own word ("triggering" for "what did that trigger?")
    "What is the speed limit on the bridge?",
    "Which species of mould was found?",
    "Which hospital treated the children?",
    "In which month did the International Criminal Court issue its warrant?",
    "How many Russian troops are in Ukraine?",
    "How many youngsters were allegedly taken from Ukraine?",
    "When did Putin send troops into Ukraine? / What did that trigger?",
    # a "where" needs a place; a post asked about now is not a former one, one held before is; an age
    # counts no one; what a named speaker said may be rated low and still be theirs
    "Where did Miroshnik work previously?",
    "What job does Miroshnik have?",
    "What did Miroshnik do before his current job?",
    "How many people work at the Brackley factory?",
    "What did Dr Achebe say?",
    # the thing whose name is asked ends before a verb saying more of it ("the eye drop recalled")
    "What was the name of the eye drop recalled in 2023?",
    # session 7: "which company" needs a body named (not "Engineers" opening a sentence, "the
    # Harbourside bridge" or "café owner Daniel Reyes"); the event asked is the sentence's own; a part
    # alone, a rate, the first time and a superlative are said as asked
    "Which company will carry out the repairs?",
    "Which company found the corrosion in the cables?",
    "When was Veltrana founded?",
    "Was Elena Voss fined?",
    "How much will restocking the river alone cost?",
    "How many vehicles cross the bridge each hour?",
    "Which country is Veltrana's biggest market?",
    # session 8: a count said with what the question says happened to it, unless said with the counted
    # noun itself and not as a standing total; a population as people living in the place asked; a post
    # held at the body asked, not at another one named beside it, nor over a part of it
    "How many people live in Coley?",
    "What is the population of Hollins Cross?",
    "How many residents does Hollins Cross have?",
    "Who chairs Greyfield Recycling's board?",
    "Who runs Tarrant Power?",
    "Who runs Greyfield Recycling?",
    "How many people live in Coley, and how many homes lost power?",
    # session 7: a short sentence going on from the one before is quotable ("Russia denies this."), a
    # reply asked with nothing replied to asks about the previous answer; a role asked of a country is
    # held as that country's ("Ukrainian President"); each part of a question rated by its own closeness
    "What does Ukraine accuse Moscow of? / How does Russia respond?",
    "What does Ukraine accuse Moscow of in air strikes, and how does Russia respond?",
    "Who is Rodion Miroshnik? / What did he say about the West? / Who is Ukraine's president?",
    "What does Miroshnik expect of the West, and how long will Kyiv keep fighting?",
    # session 8: a question naming nothing whose subject the sentence's article does not say (what "how
    # much" asks for, a cost, said of the bridge's repairs); "who said" answered by the person named
    # saying it before someone unnamed saying it; "meet" said by "with his Kazakh counterpart"
    "How much did the new iPhone cost?",
    "How much will the tunnel cost?",
    "Who said Russia cannot co-exist with the regime in Kyiv?",
    "Who did Putin meet in Astana?",
)


@pytest.mark.parametrize("story", sorted(PROBES))
def test_most_probes_of_a_story_pass(assistant: Assistant, story: str) -> None:
    probes = PROBES[story]
    failed = failures(assistant, probes)
    assert 1 - len(failed) / len(probes) >= FLOORS[story], failed


@pytest.mark.parametrize("label", FIXED)
def test_a_probe_failed_before_its_rule_passes(assistant: Assistant, label: str) -> None:
    passes(assistant, (p for probes in PROBES.values() for p in probes), label)
