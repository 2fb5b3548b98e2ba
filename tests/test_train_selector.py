"""bench.train_selector's folds: the threshold's curve must never decide a question with a model trained on its article."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from bench.squad import SquadQuestion
from bench.train_selector import (
    FOLDS,
    KEPT,
    WEIGHTS,
    Cand,
    Rows,
    cache_key,
    code_fingerprint,
    fold_of,
    read_cache,
    subset,
    write_cache,
)


def _question(qid: str, article: str) -> SquadQuestion:
    return SquadQuestion(qid, f"Question {qid}?", article, (), True)


def test_articles_are_dealt_whole_into_folds_in_turn() -> None:
    articles = [f"a{i}" for i in range(FOLDS + 2)]
    questions = [_question(f"{a}-{j}", a) for a in articles for j in range(3)]
    fold = fold_of(questions)
    by_article = {
        a: {int(f) for q, f in zip(questions, fold, strict=True) if q.article_id == a} for a in articles
    }
    assert all(len(folds) == 1 for folds in by_article.values())  # no article split across folds
    assert [by_article[a].pop() for a in articles] == [i % FOLDS for i in range(len(articles))]


def test_subset_keeps_only_the_chosen_questions_rows_renumbered() -> None:
    questions = [_question(str(i), f"a{i}") for i in range(3)]
    rows = Rows(
        x=np.arange(12, dtype=float).reshape(6, 2),
        y=np.array([1, 0, 0, 1, 1, 0]),
        question=np.array([0, 0, 1, 1, 2, 2]),
    )
    kept, sub = subset(questions, rows, [0, 2])
    assert [q.id for q in kept] == ["0", "2"]
    assert sub.question.tolist() == [0, 0, 1, 1]
    assert sub.x[:, 0].tolist() == [0.0, 2.0, 8.0, 10.0]
    assert sub.y.tolist() == [1, 0, 1, 0]


def _cand(i: int) -> Cand:
    return Cand("a1", i, i + 5, f"Sentence {i}.", "Before.", "After.", 1, 0.5)


def test_cached_candidates_read_back_without_the_class_that_wrote_them(tmp_path: Path) -> None:
    path = tmp_path / "candidates.pickle"
    found = {"q1": [_cand(0), _cand(7)], "q2": []}
    write_cache(path, found)
    assert b"Cand" not in path.read_bytes() and b"__main__" not in path.read_bytes()
    assert read_cache(path) == found


def test_cache_key_changes_with_the_questions_words_and_the_code() -> None:
    retrieval = {"top_k": 6}
    asked = [_question("q1", "a1")]
    reworded = [SquadQuestion("q1", "Another question?", "a1", (), True)]
    key = cache_key(asked, retrieval, "code")
    assert key == cache_key(asked, retrieval, "code")
    assert key != cache_key(reworded, retrieval, "code")
    assert key != cache_key(asked, {"top_k": 7}, "code")
    assert key != cache_key(asked, retrieval, "other code")


def test_code_fingerprint_reads_the_retrieval_packages_source(tmp_path: Path) -> None:
    for package in ("rag", "vectorstore"):
        (tmp_path / package).mkdir()
        (tmp_path / package / "__init__.py").write_text("X = 1\n")
    before = code_fingerprint(tmp_path)
    (tmp_path / "rag" / "notes.md").write_text("not code")
    assert code_fingerprint(tmp_path) == before
    (tmp_path / "vectorstore" / "__init__.py").write_text("X = 2\n")
    assert code_fingerprint(tmp_path) != before


def test_the_shipped_weights_are_the_kept_ones() -> None:
    # make train-selector writes bench/selector_kept.json unless asked to retrain
    assert json.loads(WEIGHTS.read_text()) == json.loads(KEPT.read_text())
