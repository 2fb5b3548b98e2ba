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

PROBES: dict[str, tuple[Probe, ...]] = {"answered": ANSWERED, "abstained": ABSTAINED}

# Share of each set that must pass, a little under what was measured: on 7396c8d (the election story
# indexed too) 12/33 and 6/13, with words said otherwise counted (rag.word_vectors) 13/33 and 6/13.
# Most misses now are the trained selector's low confidence in a sentence sharing few of the
# question's words (it was trained on SQuAD, whose questions reuse the paragraph's words) and "who"
# asked by a role worded otherwise; the election story's "council leader" answers "who leads ...?".
FLOORS = {"answered": 0.36, "abstained": 0.45}


@pytest.mark.parametrize("group", sorted(PROBES))
def test_most_paraphrased_probes_pass(assistant: Assistant, group: str) -> None:
    probes = PROBES[group]
    failed = failures(assistant, probes)
    assert 1 - len(failed) / len(probes) >= FLOORS[group], failed
