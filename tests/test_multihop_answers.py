"""Multi-hop news questions through the library, over the dev set (tests/fixtures/news_multihop_dev).

What a reader checking sources notices: "did one report come before another?" gets both reports
quoted and cited, each from the outlet named and really in its article, with its date; a question
naming its outlet is answered from that outlet; an on-topic question whose fact the articles lack
is still told "the articles don't say".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from urllib.parse import urlsplit

import pytest

from bench.news_sets import DEV
from rag import Assistant, Settings
from rag.types import Answer

pytestmark = pytest.mark.slow
AS_OF = dt.date(2024, 6, 30)


@pytest.fixture(scope="module")
def assistant(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Assistant]:
    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("multihop")))
    assert assistant.ingest([str(DEV / "articles.json")]).ok
    yield assistant
    assistant.close()


def _verbatim(assistant: Assistant, answer: Answer) -> None:
    for c in answer.citations:
        assert assistant.article(c.article_id).text[c.start : c.end] == c.quote


def _host(url: str) -> str:
    return urlsplit(url).netloc


def test_a_before_after_question_quotes_each_report_from_its_outlet(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Did Harbor Times report the Bellhaven Air pilots' strike before Capital Ticker reported their pay deal?",
        as_of=AS_OF,
    )
    assert not answer.abstained, answer.text
    assert len(answer.citations) == 2
    strike, deal = answer.citations
    assert _host(strike.url) == "harbortimes.example" and "strike" in strike.quote
    assert _host(deal.url) == "capitalticker.example" and "pay rise" in deal.quote
    assert strike.published == dt.date(2024, 2, 20) and deal.published == dt.date(2024, 4, 2)
    assert "[1]" in answer.text and "[2]" in answer.text
    _verbatim(assistant, answer)


def test_a_more_or_less_question_quotes_both_amounts(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Did Capital Ticker report a larger cost of the Bellhaven Air strike than the $210 million "
        "Verity Pharma settlement reported by Harbor Times?",
        as_of=AS_OF,
    )
    assert not answer.abstained, answer.text
    quotes = " ".join(c.quote for c in answer.citations)
    assert "$35 million" in quotes and "$210 million" in quotes
    _verbatim(assistant, answer)


def test_a_question_naming_its_outlet_is_answered_from_it(assistant: Assistant) -> None:
    answer = assistant.ask(
        "How many jobs will the new Ostrava Chips factory create, according to Northwind Wire?", as_of=AS_OF
    )
    assert not answer.abstained, answer.text
    assert "3,000 jobs" in answer.citations[0].quote
    assert _host(answer.citations[0].url) == "northwindwire.example"


@pytest.mark.parametrize(
    "question",
    [
        "What was Ostrava Chips' net profit in the fourth quarter, according to Capital Ticker?",
        "How much compensation did Ashford Rovers pay Gil Marden, according to Pitchside Daily?",
        "Who was the judge in the Nocturin lawsuits, according to Harbor Times?",
        # the strike is reported, but no sentence with a number says how many pilots
        "How many pilots took part in the Bellhaven Air strike, according to Harbor Times?",
        # Capital Ticker reported Ostrava Chips' revenue, never job cuts
        "Did Capital Ticker report that Ostrava Chips cut jobs before Northwind Wire reported its Falkirk Bay factory?",
        "Was Verity Pharma fined by regulators, according to Northwind Wire, before it settled the Nocturin "
        "lawsuits, as reported by Harbor Times?",
        # "safety inspectors approved" names no inspector
        "What was the name of the inspector who approved the new roof supports at the Kessel mine, according "
        "to Northwind Wire?",
        # a manager sacked on Monday is not when a new one will be named
        "When will Ashford Rovers name a permanent manager, according to Pitchside Daily?",
    ],
)
def test_an_on_topic_question_whose_fact_is_missing_is_abstained(assistant: Assistant, question: str) -> None:
    """Revenue is no profit, a manager sacked is no sum paid, a lawyer is no judge, and a report of
    something else by the outlet named is no report of what the question asks. The reason given never
    lists the outlet among what the articles lack: it is their source, not their words."""
    answer = assistant.ask(question, as_of=AS_OF)
    assert answer.abstained, answer.text
    for word in ("Capital", "Ticker", "Pitchside", "Daily", "Harbor", "Times", "Northwind", "Wire"):
        assert f'"{word}"' not in answer.text, answer.text


def test_one_side_of_a_which_of_two_question_is_quoted_with_the_sentence_naming_it(
    assistant: Assistant,
) -> None:
    """ "Striker Kofi Mensah-Lind scored both goals" says which club only with the sentence before it."""
    answer = assistant.ask(
        "Which club did Kofi Mensah-Lind score twice against, according to Pitchside Daily: Carlow United "
        "or Dunmore City?",
        as_of=AS_OF,
    )
    assert not answer.abstained, answer.text
    assert "Carlow United" in answer.citations[0].quote and "scored both goals" in answer.citations[0].quote
    _verbatim(assistant, answer)


def test_a_question_naming_two_outlets_quotes_each_outlets_report(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Which mining company halted its Kessel mine after a tunnel collapse according to Greenfield Gazette "
        "and reported a fall in profit according to Capital Ticker?",
        as_of=AS_OF,
    )
    assert not answer.abstained, answer.text
    assert [_host(c.url) for c in answer.citations] == ["greenfieldgazette.example", "capitalticker.example"]
    assert "Kessel" in answer.citations[0].quote and "profit fell" in answer.citations[1].quote
    _verbatim(assistant, answer)


def test_what_is_asked_is_quoted_not_only_the_story_the_question_restates(assistant: Assistant) -> None:
    answer = assistant.ask(
        "Who took charge of Ashford Rovers after the manager was sacked, according to Pitchside Daily?",
        as_of=AS_OF,
    )
    assert not answer.abstained, answer.text
    assert any("Dana Pruitt" in c.quote for c in answer.citations)
