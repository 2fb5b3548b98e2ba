"""An article without a link has ``url`` None in every library type, and null or nothing in every shell.

The library said "" and each shell (REST, CLI) turned it into null on its own; now the types say it.
"""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from rag import Answer, Article, Assistant
from rag.conversations import answer_from_json, answer_to_json
from ui.answer_html import render_answer_html
from ui.library import pasted_article

STORY = "The harbour of Westport reopened on Monday. Mayor Ines Halvorsen said the pier cost 2 million euros."
QUESTION = "What did the pier of Westport cost?"


def _unlinked(tmp_path: Path) -> list[object]:
    """The ways an article comes in without a link: no url, an empty or blank one, a file without one."""
    story = tmp_path / "pier.md"
    story.write_text(f"# Westport pier (file)\n\n{STORY}\n", encoding="utf-8")
    return [
        Article(title="Westport pier (default)", text=STORY),
        Article(title="Westport pier (empty)", text=STORY, url=""),
        Article(title="Westport pier (blank)", text=STORY, url="  "),
        pasted_article("Westport pier (pasted)", " ", "", STORY),
        story,
    ]


def test_every_library_type_says_none_for_no_link(hash_assistant: Assistant, tmp_path: Path) -> None:
    report = hash_assistant.ingest(
        [*_unlinked(tmp_path), Article(title="Linked", text=STORY, url="https://e.org/p")]
    )
    assert report.ok and len(report.added) == 6
    links = {a.title: a.url for a in hash_assistant.articles()}
    assert links.pop("Linked") == "https://e.org/p" and set(links.values()) == {None}
    article = hash_assistant.articles()[0]
    assert hash_assistant.article(article.id).url == article.url
    passages = hash_assistant.retrieve(QUESTION, k=6)
    assert {p.url for p in passages} == {None, "https://e.org/p"}
    answer = hash_assistant.ask(QUESTION, k=6)
    assert [c.url for c in answer.citations] == [
        links.get(c.title, "https://e.org/p") for c in answer.citations
    ]
    assert all(p.url is None or p.url == "https://e.org/p" for p in answer.passages)


def test_ingesting_again_is_unchanged(hash_assistant: Assistant, tmp_path: Path) -> None:
    """The content hash reads a missing link as it did when it was "": no article looks changed."""
    hash_assistant.ingest(_unlinked(tmp_path))
    again = hash_assistant.ingest(_unlinked(tmp_path))
    assert (again.added, again.updated, len(again.unchanged)) == ([], [], 5)


def test_a_saved_answer_reads_back_none_also_when_saved_as_empty(hash_assistant: Assistant) -> None:
    hash_assistant.ingest([Article(title="Westport pier", text=STORY)])
    answer = hash_assistant.ask(QUESTION)
    assert answer.citations and answer_from_json(answer_to_json(answer)) == answer
    saved = json.loads(json.dumps(answer_to_json(answer)).replace('"url": null', '"url": ""'))
    assert '"url": ""' in json.dumps(saved)  # as answers were saved before links were None
    assert all(c.url is None for c in answer_from_json(saved).citations)


def test_the_chat_shows_no_link_for_an_article_without_one(hash_assistant: Assistant) -> None:
    hash_assistant.ingest([Article(title="Westport pier", text=STORY)])
    answer = hash_assistant.ask(QUESTION)
    assert answer.citations
    shown = render_answer_html(answer, "k", {})
    assert 'class="source"' in shown and 'class="link"' not in shown and 'href="http' not in shown
    linked = dataclasses.replace(answer.citations[0], url="https://e.org/p")
    assert 'class="link"' in render_answer_html(Answer(answer.text, (linked,)), "k", {})


@pytest.mark.parametrize("url", [None, ""])
def test_rest_article_without_a_link_is_stored_as_none(hash_assistant: Assistant, url: str | None) -> None:
    from ui.api.schemas import ArticleIn, ArticleSummary

    given = ArticleIn(title="Westport pier", text=STORY, url=url).to_article()
    [article_id] = hash_assistant.ingest([given]).added
    assert hash_assistant.article(article_id).url is None
    assert ArticleSummary.model_validate(hash_assistant.article(article_id)).model_dump()["url"] is None
