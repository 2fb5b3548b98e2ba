"""bench.train_selector's folds: the threshold's curve must never decide a question with a model trained on its article."""

from __future__ import annotations

import numpy as np

from bench.squad import SquadQuestion
from bench.train_selector import FOLDS, Rows, fold_of, subset


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
