"""The extractive answerer's pure parts: candidates, scoring, selection and composition."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from rag.candidates import Candidate, candidates, coverage, shortlist
from rag.composition import Pick, compose, going_on
from rag.embedding import HashEmbedder
from rag.extractive import SentenceVectors, is_summary, terms_of
from rag.ordering import FOLLOWER_RATIO, score, select
from rag.terms import content_terms
from rag.types import Passage

TEXT = "Intro line that is long enough. The mayor opened the bridge on Monday. Crowds cheered loudly at the river."


def _passage(start: int = 100) -> Passage:
    return Passage(
        article_id="a", title="Bridge", url="https://example.org/b", published=None, text=TEXT,
        start=start, end=start + len(TEXT), score=1.0, chunk_id="a:1",
    )  # fmt: skip


def test_candidates_use_article_offsets() -> None:
    cands = candidates([_passage(start=100)])
    assert [c.text for c in cands][1] == "The mayor opened the bridge on Monday."
    for c in cands:
        assert TEXT[c.start - 100 : c.end - 100] == c.text


def test_candidates_dedupe_overlapping_passages() -> None:
    assert len(candidates([_passage(), _passage()])) == 3


def test_candidates_know_their_neighbours_in_the_passage() -> None:
    first, second, third = candidates([_passage(start=100)])
    assert (first.before, first.before_start) == ("", -1)
    assert second.before == first.text and second.before_start == first.start
    assert second.after == third.text and third.after == ""


def test_coverage_uses_snowball_stems_and_ignores_stopwords() -> None:
    terms = content_terms("When did the mayor open the bridges?")
    assert terms == {"mayor", "open", "bridg"}
    assert coverage(terms, "The mayor opened the bridge on Monday.") > coverage(
        terms, "Crowds cheered loudly."
    )


def test_an_agent_noun_meets_its_verb() -> None:
    terms = content_terms("Who founded FTX?")
    assert coverage(terms, "FTX founder Sam Bankman-Fried was convicted.") == 1.0
    assert content_terms("the director directed") == {"direct"}
    assert content_terms("water paper") == {"water", "paper"}  # only known agent nouns, no '-er' rule


def test_score_orders_by_probability_and_keeps_it() -> None:
    ranked = score(candidates([_passage()]), np.array([0.1, 0.6, 0.2]))
    assert ranked[0].text.startswith("The mayor") and ranked[0].score == pytest.approx(0.6)


def _cand(text: str, s: float) -> Candidate:
    return Candidate(_passage(), 0, 100, 100 + len(text), text, score=s)


def test_select_of_nothing_is_nothing() -> None:
    assert select([], limit=3) == []


def test_select_takes_runners_up_rated_nearly_as_high_only() -> None:
    close = 0.8 * (1 + FOLLOWER_RATIO) / 2
    ranked = [_cand("a" * 30, 0.8), _cand("b" * 30, close), _cand("c" * 30, 0.8 * FOLLOWER_RATIO / 2)]
    assert [c.text[0] for c in select(ranked, limit=3)] == ["a", "b"]
    assert len(select(ranked, limit=1)) == 1


def test_compose_numbers_citations_in_order_and_quotes_exactly() -> None:
    p = _passage(start=100)
    article = "x" * 100 + TEXT
    chosen = [c for c in candidates([p])][1:3]
    text, citations = compose([Pick(c, terms_of("Who opened the bridge?")) for c in chosen])
    assert text == f"{chosen[0].text} [1] {chosen[1].text} [2]"
    assert [c.index for c in citations] == [1, 2]
    for c in citations:
        assert article[c.start : c.end] == c.quote


@pytest.mark.parametrize(
    ("question", "limit", "kept"),
    [
        ("Who opened the bridge?", None, [0, 1, 2]),
        ("Who opened the bridge?", 3, [0, 1, 2]),
        ("Who opened the bridge?", 1, [1]),
        ("Did crowds cheer at the river?", 1, [2]),
        ("When did the mayor open it and did crowds cheer?", 2, [1, 2]),
    ],
)
def test_shortlist_keeps_sentences_sharing_question_words_in_text_order(
    question: str, limit: int | None, kept: list[int]
) -> None:
    cands = candidates([_passage()])
    assert shortlist(cands, content_terms(question), limit) == [cands[i] for i in kept]


def test_shortlist_prefers_higher_ranked_passages_on_equal_coverage() -> None:
    cands = candidates([_passage(start=0), _passage(start=500)])
    chosen = shortlist(cands, content_terms("Who opened the bridge?"), 1)
    assert [(c.rank, c.text) for c in chosen] == [(0, "The mayor opened the bridge on Monday.")]


def test_sentence_vectors_match_the_embedder_and_stay_bounded() -> None:
    """The cache is bookkeeping, so the model-free hash embedding is enough to check it."""
    embedder = HashEmbedder()
    vectors = SentenceVectors(embedder, size=2)
    texts = ["The mayor opened the bridge.", "Crowds cheered.", "Rain fell all day."]
    got = vectors.embed([texts[0], texts[1], texts[0], texts[2]])
    assert np.allclose(got, embedder.embed_documents([texts[0], texts[1], texts[0], texts[2]]))
    assert len(vectors) == 2
    vectors.clear()
    assert len(vectors) == 0 and vectors.embed([]).shape[0] == 0


STORY = (
    "A ferry carrying 40 passengers capsized near Batam on Sunday. "
    "Rescue teams pulled 38 people from the water. "
    "Agus Salim heads the rescue agency. "
    "He said divers would resume the search on Monday."
)


def _story() -> Passage:
    return Passage(
        article_id="f", title="Ferry", url="", published=None, text=STORY,
        start=50, end=50 + len(STORY), score=1.0, chunk_id="f:1",
    )  # fmt: skip


def _article() -> str:
    return "x" * 50 + STORY


def test_compose_marks_the_short_answer_of_the_asked_kind_in_article_offsets() -> None:
    rescued = candidates([_story()])[1]
    (citation,) = compose([Pick(rescued, terms_of("How many people were rescued?"))])[1]
    assert citation.answer_start is not None and citation.answer_end is not None
    assert _article()[citation.answer_start : citation.answer_end] == "38"
    assert citation.start <= citation.answer_start < citation.answer_end <= citation.end


def test_compose_leaves_the_short_answer_unset_when_the_kind_is_not_there() -> None:
    rescued = candidates([_story()])[1]
    (citation,) = compose([Pick(rescued, terms_of("When were people rescued?"))])[1]
    assert citation.answer_start is None and citation.answer_end is None


def test_a_quote_opening_with_he_brings_the_sentence_naming_him() -> None:
    said = candidates([_story()])[3]
    (citation,) = compose([Pick(said, terms_of("When will divers resume the search?"))])[1]
    assert citation.quote.startswith("Agus Salim heads") and citation.quote.endswith("on Monday.")
    assert _article()[citation.start : citation.end] == citation.quote


def test_a_sentence_already_quoted_as_context_is_not_quoted_twice() -> None:
    cands = candidates([_story()])
    picks = [Pick(cands[3], terms_of("When?")), Pick(cands[2], terms_of("Who heads the agency?"))]
    text, citations = compose(picks)
    assert len(citations) == 1 and text.count("[1]") == 1


def test_a_sentence_just_quoted_is_not_repeated_as_the_next_quotes_context() -> None:
    cands = candidates([_story()])
    picks = [Pick(cands[2], terms_of("Who heads the agency?")), Pick(cands[3], terms_of("When?"))]
    text, citations = compose(picks)
    assert [c.quote for c in citations] == [cands[2].text, cands[3].text]
    assert text.count(cands[2].text) == 1
    for c in citations:
        assert _article()[c.start : c.end] == c.quote


def test_a_sentence_adding_to_one_that_ends_the_previous_chunk_is_quoted_after_it() -> None:
    first = "A man died when a tree fell on his car, police said."
    second = "No other deaths were reported. Schools will stay shut."
    lead = Passage(
        article_id="s", title="Storm", url="", published=None, text=first,
        start=0, end=len(first), score=1.0, chunk_id="s:0",
    )  # fmt: skip
    opening = Passage(
        article_id="s", title="Storm", url="", published=None, text=second,
        start=len(first) + 1, end=len(first) + 1 + len(second), score=1.0, chunk_id="s:1",
    )  # fmt: skip
    article = f"{first} {second}"
    none_else = next(c for c in candidates([opening, lead]) if c.text.startswith("No other"))
    quotes = compose([Pick(none_else, terms_of("Was anyone killed?"))])[1]
    assert [c.quote for c in quotes] == [first, "No other deaths were reported."]
    for c in quotes:
        assert article[c.start : c.end] == c.quote


FACES = "Moscow also faces allegations that Russian forces have committed war crimes in Ukraine."
DENIES = "Moscow denies the allegations. A UN-mandated body has chronicled war crimes in Ukraine."


def war_passages(article_id: str, texts: list[tuple[int, str]]) -> list[Passage]:
    """One article's passages, each ``(start, text)``: the whole article, or its two chunks."""
    return [
        Passage(
            article_id=article_id,
            title="War",
            url="",
            published=None,
            text=text,
            start=start,
            end=start + len(text),
            score=1.0,
            chunk_id=f"{article_id}:{start}",
        )
        for start, text in texts
    ]


@pytest.mark.parametrize("chunked", [False, True])
def test_a_yes_no_answer_brings_the_next_sentence_saying_its_verb(chunked: bool) -> None:
    question = "Does Russia deny committing war crimes?"
    article = f"{FACES} {DENIES}"
    texts = [(0, FACES), (len(FACES) + 1, DENIES)] if chunked else [(0, article)]
    cands = candidates(war_passages("w", texts))
    best = next(c for c in cands if c.text == FACES)
    quotes = compose(
        [Pick(c, terms_of(question)) for c in going_on([best], cands, question, terms_of(question), 2)]
    )[1]
    assert " ".join(c.quote for c in quotes) == f"{FACES} Moscow denies the allegations."
    for c in quotes:
        assert article[c.start : c.end] == c.quote


STRIKES = "Ukraine accuses Moscow of targeting civilian infrastructure in air strikes."


@pytest.mark.parametrize("chunked", [False, True])
def test_a_short_sentence_going_on_from_the_one_before_is_quoted_with_it(chunked: bool) -> None:
    article = f"{STRIKES} Russia denies this. Tickets cost 12 euros."
    cut = len(STRIKES) + 1
    texts = [(0, STRIKES), (cut, article[cut:])] if chunked else [(0, article)]
    cands = candidates(war_passages("u", texts))
    # "Russia denies this." goes on from the sentence before; "Tickets cost 12 euros." stands alone
    assert [c.text for c in cands] == [STRIKES, "Russia denies this."]
    quotes = compose([Pick(cands[1], terms_of("Does Moscow admit the strikes?"))])[1]
    assert " ".join(c.quote for c in quotes) == f"{STRIKES} Russia denies this."
    for c in quotes:
        assert article[c.start : c.end] == c.quote


def test_a_short_sentence_going_on_from_one_the_previous_answer_quoted_is_quoted_alone() -> None:
    article = f"{STRIKES} Russia denies this."
    passage = Passage(
        article_id="u", title="War", url="", published=None, text=article, start=0,
        end=len(article), score=1.0, chunk_id="u:0",
    )  # fmt: skip
    denies = candidates([passage])[1]
    heard = f"{STRIKES} [1]"
    quotes = compose([Pick(denies, terms_of("How does Russia respond?"))], heard)[1]
    assert [c.quote for c in quotes] == ["Russia denies this."]


@pytest.mark.parametrize(
    ("question", "summary"),
    [
        ("What does the article “Harbourside bridge” report?", True),
        ("What does the report say?", True),
        ("What is the report about?", True),
        ("Summarise the story.", True),
        # a report is also what news is about: asked for what it found, it is asked for a fact
        ("What did the report find about the backup batteries?", False),
        ("What did the report recommend?", False),
    ],
)
def test_a_report_asked_for_more_than_its_gist_is_asked_for_a_fact(question: str, summary: bool) -> None:
    assert is_summary(question) is summary


# One article cut into three chunks; only the middle one is retrieved, its surroundings read around it.
ROUTE = "Coachlink will stop running evening buses on route 14 from April 6."
NAMING = "The cut was condemned by Joan Whitlock, who chairs the passengers' group."
QUOTED = '"People who finish late shifts have been left with no way home," she said.'
PRICE = "The council's transport director, Owen Price, asked for a delay."
HE_SAID = "He said a minibus service could start by the end of June."
TAXIS = "Taxi firms expect more bookings."
SEAMED = [f"{ROUTE}\n\n{NAMING}", f"{QUOTED} {PRICE}", f"{HE_SAID}\n\n{TAXIS}"]
SEAMED_TEXT = "\n\n".join(SEAMED)


def _seamed(seq: int) -> tuple[Passage, dict[str, Passage]]:
    """Chunk ``seq`` of the seamed article as retrieved, with its surroundings by chunk id."""
    starts = [SEAMED_TEXT.index(t) for t in SEAMED]
    start, end = starts[seq], starts[seq] + len(SEAMED[seq])
    passage = Passage(
        article_id="bus", title="Buses", url=None, published=None, text=SEAMED[seq],
        start=start, end=end, score=1.0, chunk_id=f"bus:{seq}",
    )  # fmt: skip
    wide_start = starts[seq - 1] if seq > 0 else start
    wide_end = starts[seq + 1] + len(SEAMED[seq + 1]) if seq + 1 < len(SEAMED) else end
    wide = Passage(
        article_id="bus", title="Buses", url=None, published=None, text=SEAMED_TEXT[wide_start:wide_end],
        start=wide_start, end=wide_end, score=1.0, chunk_id=f"bus:{seq}",
    )  # fmt: skip
    return passage, {passage.chunk_id: wide}


def test_a_passages_edge_sentences_know_the_sentences_of_the_chunks_either_side() -> None:
    passage, around = _seamed(1)
    alone = candidates([passage])
    quoted, price = candidates([passage], around)[:2]
    assert (alone[0].before, alone[-1].after) == ("", "")
    assert (quoted.before, quoted.before_start) == (NAMING, SEAMED_TEXT.index(NAMING))
    assert price.after == HE_SAID and price.before == QUOTED
    for c in (quoted, price):
        assert SEAMED_TEXT[c.start : c.end] == c.text


@pytest.mark.parametrize(
    ("seq", "going_on", "why"),
    [
        (0, QUOTED, "her quotation, opening the next chunk, is hers"),
        (1, HE_SAID, "'He said' opening the next chunk goes on from the passage"),
        (2, None, "no chunk after the last"),
    ],
)
def test_the_sentence_after_a_passage_joins_it_when_it_goes_on_from_it(
    seq: int, going_on: str | None, why: str
) -> None:
    passage, around = _seamed(seq)
    added = [c for c in candidates([passage], around) if not passage.start <= c.start < passage.end]
    assert [c.text for c in added] == ([going_on] if going_on else []), why
    for c in added:
        assert SEAMED_TEXT[c.start : c.end] == c.text and c.before_start >= passage.start


def test_a_sentence_after_a_passage_that_stands_alone_does_not_join_it() -> None:
    passage, around = _seamed(1)
    widened = {
        k: replace(p, text=p.text.replace(HE_SAID, HE_SAID.replace("He said", "Plans say")))
        for k, p in around.items()
    }
    assert all(passage.start <= c.start < passage.end for c in candidates([passage], widened))


@pytest.mark.parametrize(
    ("seq", "pick", "question", "quote"),
    [
        (1, QUOTED, "What did Joan Whitlock say?", f"{NAMING}\n\n{QUOTED}"),
        (2, HE_SAID, "When could a minibus service start?", f"{PRICE}\n\n{HE_SAID}"),
        (0, QUOTED, "What did Joan Whitlock say?", f"{NAMING}\n\n{QUOTED}"),
    ],
)
def test_a_quote_needing_the_sentence_across_a_chunk_edge_is_one_exact_slice(
    seq: int, pick: str, question: str, quote: str
) -> None:
    passage, around = _seamed(seq)
    chosen = next(c for c in candidates([passage], around) if c.text == pick)
    (citation,) = compose([Pick(chosen, terms_of(question))])[1]
    assert citation.quote == quote == SEAMED_TEXT[citation.start : citation.end]
