"""Sentences of the story a question is about go first (rag.focus)."""

from __future__ import annotations

import pytest

from rag.extractive import terms_of
from rag.focus import in_focus, of_asked_story, subjects_said

HOSPITAL = (
    "Hospital told to end ambulance queues by April\n"
    "The hospital has been fined 120,000 pounds by the regional health authority."
)
RULING = (
    "Court fines Brennock Chemicals 3.2 million euros over Lisle river spill\n"
    "A court fined Brennock Chemicals 3.2 million euros for a spill that killed thousands of fish."
)
DEPOT = (
    "Council suspends Greyfield permit\n"
    "Hollins Cross Town Council has suspended Greyfield's permit. The council's leader, Rachel Dunne, spoke."
)
ELECTION = (
    "Greens take Wexham council\n"
    "Green group leader Priya Natarajan is expected to become council leader of the city council."
)
CONTEXT = {"hospital": HOSPITAL, "ruling": RULING, "depot": DEPOT, "election": ELECTION}


def _article(c: tuple[str, str]) -> str:
    return c[0]


@pytest.mark.parametrize(
    ("question", "article", "said"),
    [
        ("How much was the hospital fined?", HOSPITAL, 2),  # "hospital", "fined"
        ("How much was the hospital fined?", RULING, 1),
        ("Who leads the town council?", DEPOT, 3),  # "leads" (its leader), "town", "council"
        ("Who leads the town council?", ELECTION, 2),  # a city council
        ("How much was the cost?", RULING, 0),  # nothing asked of but the amount
    ],
)
def test_the_question_s_subject_words_its_article_says_are_counted(
    question: str, article: str, said: int
) -> None:
    assert subjects_said(terms_of(question), article) == said


@pytest.mark.parametrize(
    ("question", "ranked", "told", "whole", "first"),
    [
        # an article saying the question's subject goes before one saying only the asked word
        ("How much was the hospital fined?", ["ruling", "hospital"], (), "", "hospital"),
        ("Who leads the town council?", ["election", "depot"], (), "", "depot"),
        # in a conversation, the story just told, for a question naming nothing
        ("How much was the fine?", ["hospital", "ruling"], ("ruling",), "", "ruling"),
        ("Who leads the council?", ["election", "depot"], ("depot",), "", "depot"),
        # a question naming its subject is anchored by the name (rag.quotes.about_asked), not here
        ("How much was Kestrel General fined?", ["hospital", "ruling"], ("ruling",), "", "hospital"),
        ("How much was the Brennock fine?", ["hospital", "ruling"], (), "", "hospital"),
        # one part of a question: the whole question's subject
        (
            "How much was the fine",
            ["hospital", "ruling"],
            (),
            "How much was the fine, and how many fish died?",
            "ruling",
        ),
        # nothing tells the stories apart: the selector's order stands
        ("How much was the fine?", ["hospital", "ruling"], (), "", "hospital"),
    ],
)
def test_sentences_of_the_story_in_focus_go_first(
    question: str, ranked: list[str], told: tuple[str, ...], whole: str, first: str
) -> None:
    cands = [(a, f"sentence of {a}") for a in ranked]
    terms = terms_of(question)
    out = in_focus(cands, _article, terms, CONTEXT, told, terms_of(whole) if whole else None)
    assert out[0][0] == first
    assert sorted(out) == sorted(cands)  # reordered, none dropped


def test_one_article_keeps_the_selector_s_order() -> None:
    cands = [("ruling", "b"), ("ruling", "a")]
    assert in_focus(cands, _article, terms_of("How much was the hospital fined?"), CONTEXT) == cands


STORM = "Storm Iona\nAoife Brennan, head of forecasting at the weather service, said the worst had passed."
AMBULANCE = "Ambulances queue\nThe service's operations director, Priya Raman, said crews had waited."


@pytest.mark.parametrize(
    ("question", "context", "kept"),
    [
        # another article says the whole subject: this one's sentences answer another question
        ("Who heads the weather service?", {"storm": STORM, "ambulance": AMBULANCE}, []),
        # no article says it all: none is ruled out
        ("Who heads the weather service?", {"ambulance": AMBULANCE}, ["ambulance"]),
        # a name anchors the question (rag.quotes.about_asked); a yes/no question is said more freely
        ("Who heads the Northmoor service?", {"storm": STORM, "ambulance": AMBULANCE}, ["ambulance"]),
        ("Does the weather service have a head?", {"storm": STORM, "ambulance": AMBULANCE}, ["ambulance"]),
    ],
)
def test_sentences_of_another_story_are_no_answer(
    question: str, context: dict[str, str], kept: list[str]
) -> None:
    cands = [("ambulance", "The service's operations director, Priya Raman, said crews had waited.")]
    assert [a for a, _ in of_asked_story(cands, _article, terms_of(question), context)] == kept
