"""bench.news_sets: its answer matching, and fixtures whose answers are where they say they are."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.news_sets import CHECK, CHECK2, CHECK3, DEV, MULTIHOP, QUIZ, _unquotable, contains


def test_answers_match_as_whole_words_ignoring_case_quotes_and_spacing() -> None:
    assert contains("The court’s  ruling named JULIAN Marsh.", "Julian Marsh")
    assert contains("It rose 19 percent.", ["7", "19"])
    assert not contains("They did not comment.", "No")
    assert not contains("In 2019 it began.", "19")


def test_yes_no_and_before_after_answers_cannot_be_quoted() -> None:
    assert _unquotable("Yes") and _unquotable(["no", "No."]) and _unquotable("before")
    assert not _unquotable("Corvane")


def _bodies(folder: Path) -> dict[str, str]:
    records = json.loads((folder / "articles.json").read_text())
    return {r["id"]: f"{r['title']}\n{r['body']}" for r in records}


def test_every_quiz_answer_is_in_the_article_it_names() -> None:
    bodies = _bodies(QUIZ)
    questions = json.loads((QUIZ / "questions.json").read_text())["questions"]
    assert len(questions) >= 90
    for q in questions:
        assert contains(bodies[q["article"]], q["answer"]), q


@pytest.mark.parametrize("kind", ["inference", "comparison", "temporal", "null"])
def test_the_multihop_set_has_each_question_type(kind: str) -> None:
    questions = json.loads((MULTIHOP / "questions.json").read_text())["questions"]
    assert sum(q["type"] == kind for q in questions) >= 10
    checks = json.loads((CHECK / "questions.json").read_text())["questions"]
    assert sum(q["type"] == kind for q in checks) >= 9


@pytest.mark.parametrize(
    "folder", [MULTIHOP, DEV, CHECK, CHECK2, CHECK3], ids=["multihop", "dev", "check", "check2", "check3"]
)
def test_every_multihop_evidence_sentence_is_in_an_article(folder: Path) -> None:
    text = "\n".join(_bodies(folder).values())
    questions = json.loads((folder / "questions.json").read_text())["questions"]
    for q in questions:
        assert q["type"] == "null" or q["evidence"], q
        for evidence in q.get("evidence", []):
            assert contains(text, evidence), (q["question"], evidence)


def test_the_dev_set_shares_no_company_person_or_outlet_with_the_measured_set() -> None:
    """The rules are tuned on the dev set; the measured set stays unseen only if they share no names."""
    records = {folder: json.loads((folder / "articles.json").read_text()) for folder in (MULTIHOP, DEV)}
    outlets = [{r["source"] for r in rs} for rs in records.values()]
    assert not outlets[0] & outlets[1]
    dev_text = " ".join(f"{r['title']} {r['body']}" for r in records[DEV])
    for name in (
        "Corvane",
        "Lumora",
        "Veltra",
        "Orrin",
        "Coinvale",
        "Julian Marsh",
        "Harlow",
        "Kestra",
        "Halvex",
    ):
        assert name not in dev_text


def test_the_check_set_shares_no_outlet_or_company_with_the_others() -> None:
    """Held out from the rules only if none of its names were seen while choosing them."""
    records = {
        folder: json.loads((folder / "articles.json").read_text()) for folder in (MULTIHOP, DEV, CHECK)
    }
    check_outlets = {r["source"] for r in records[CHECK]}
    assert not check_outlets & {r["source"] for f in (MULTIHOP, DEV) for r in records[f]}
    seen = " ".join(f"{r['title']} {r['body']}" for f in (MULTIHOP, DEV) for r in records[f])
    for name in ("Halcyon", "Kelso", "Castellano", "Ardent", "Breathwell", "Ostley", "Norrland", "Metrolink"):
        assert name not in seen


@pytest.mark.parametrize(
    ("folder", "names"),
    [
        (CHECK2, ("Tallis", "Brennock", "Carrow", "Quillon", "Sunniva Rask", "Storm Idra", "Westmarch")),
        (CHECK3, ("Skylark", "Nimbus", "Lumen Loop", "Alma Morrow", "Ravi Anand", "Tarsk", "Westhaven")),
    ],
    ids=["check2", "check3"],
)
def test_the_later_check_sets_share_no_outlet_or_company_with_the_others(
    folder: Path, names: tuple[str, ...]
) -> None:
    """Each held out from the rules only if none of its outlets or names were seen while choosing them."""
    others = [f for f in (MULTIHOP, DEV, CHECK, CHECK2, CHECK3) if f != folder]
    records = {f: json.loads((f / "articles.json").read_text()) for f in (folder, *others)}
    assert not {r["source"] for r in records[folder]} & {r["source"] for f in others for r in records[f]}
    seen = " ".join(f"{r['title']} {r['body']}" for f in others for r in records[f])
    mine = " ".join(f"{r['title']} {r['body']}" for r in records[folder])
    for name in names:
        assert name in mine and name not in seen, name
    for kind in ("inference", "comparison", "temporal", "null"):
        questions = json.loads((folder / "questions.json").read_text())["questions"]
        assert sum(q["type"] == kind for q in questions) >= 8, kind
