"""End to end through the public API, with the real model and real Chroma."""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from rag import Article, Assistant, EmptyIndexError, InputError, NotFoundError, SearchFilter, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder


def _assert_quotes_verbatim(assistant: Assistant, answer_citations: tuple) -> None:  # type: ignore[type-arg]
    for citation in answer_citations:
        text = assistant.article(citation.article_id).text
        assert text[citation.start : citation.end] == citation.quote


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("When did Putin send troops into Ukraine?", "February 2022"),
        ("Who issued an arrest warrant for Putin?", "International Criminal Court"),
        ("What does Russia say about co-existence with the regime in Kyiv?", "co-exist"),
        ("What was Miroshnik's post created for?", "collect evidence"),
    ],
)
def test_seed_questions_get_cited_verbatim_answers(seeded: Assistant, question: str, expected: str) -> None:
    answer = seeded.ask(question)
    assert not answer.abstained
    assert answer.citations
    assert any(expected in c.quote for c in answer.citations)
    _assert_quotes_verbatim(seeded, answer.citations)
    for citation in answer.citations:
        assert f"{citation.quote} [{citation.index}]" in answer.text
    assert [c.index for c in answer.citations] == list(range(1, len(answer.citations) + 1))
    assert 1 <= len(answer.citations) <= 3


@pytest.mark.parametrize(
    "question", ["What is the boiling point of mercury?", "Who won the 2018 football World Cup final?"]
)
def test_unrelated_question_abstains_with_closest_sources(seeded: Assistant, question: str) -> None:
    answer = seeded.ask(question)
    assert answer.abstained
    assert answer.citations == ()
    assert "could not find" in answer.text
    assert answer.passages


def test_reingest_adds_nothing(seeded: Assistant, seed_path: Path) -> None:
    before = seeded.store.rows.count()
    report = seeded.ingest([seed_path, seed_path.parent])
    assert report.added == [] and report.updated == [] and len(report.unchanged) == 2
    assert seeded.store.rows.count() == before
    assert seeded.store.dense.count() == before[1]
    assert len(seeded.articles()) == 1


def test_changed_article_replaces_old_chunks(assistant: Assistant) -> None:
    first = Article(id="city", title="City news", text="The council approved the budget on Monday.")
    assistant.ingest([first])
    second = dataclasses.replace(first, text="The council rejected the stadium plan on Friday.")
    report = assistant.ingest([second])
    assert report.updated == ["city"]
    stored = assistant.article("city")
    assert "rejected" in stored.text and "budget" not in stored.text
    assert all("budget" not in p.text for p in assistant.retrieve("council budget approved", k=10))
    assert assistant.store.check().ok


def test_delete_removes_article_from_answers(seeded: Assistant) -> None:
    other = Article(
        id="volcano",
        title="Volcano erupts",
        text="The Etna volcano erupted on Sunday, closing Catania airport.",
    )
    seeded.ingest([other])
    assert any(
        c.article_id == "volcano" for c in seeded.ask("Which airport did the Etna eruption close?").citations
    )
    seeded.delete("volcano")
    assert all(p.article_id != "volcano" for p in seeded.retrieve("Etna volcano Catania airport", k=10))
    with pytest.raises(NotFoundError):
        seeded.article("volcano")
    with pytest.raises(NotFoundError):
        seeded.delete("volcano")
    assert seeded.store.check().ok


def test_retrieve_returns_passages_with_offsets(seeded: Assistant) -> None:
    passages = seeded.retrieve("arrest warrant ICC", k=3)
    assert 1 <= len(passages) <= 3
    text = seeded.article(passages[0].article_id).text
    for p in passages:
        assert text[p.start : p.end] == p.text
    assert passages[0].score >= passages[-1].score


def test_filters_by_article_and_date(assistant: Assistant) -> None:
    assistant.ingest([
        Article(id="r2020", title="Rates", text="The central bank raised rates to 2 percent.", published=dt.date(2020, 3, 1)),
        Article(id="r2024", title="Rates", text="The central bank raised rates to 5 percent.", published=dt.date(2024, 3, 1)),
    ])  # fmt: skip
    only = SearchFilter(article_ids=("r2020",))
    assert {p.article_id for p in assistant.retrieve("central bank rates", where=only)} == {"r2020"}
    recent = assistant.retrieve("central bank rates", where=SearchFilter(published_from=dt.date(2023, 1, 1)))
    assert {p.article_id for p in recent} == {"r2024"}


def test_newer_article_wins_when_articles_disagree(assistant: Assistant) -> None:
    assistant.ingest([
        Article(id="old", title="Bank rates", text="The central bank set its rate at 2 percent.", published=dt.date(2020, 3, 1)),
        Article(id="new", title="Bank rates", text="The central bank set its rate at 5 percent.", published=dt.date(2024, 3, 1)),
    ])  # fmt: skip
    answer = assistant.ask("What is the latest central bank rate?")
    assert answer.citations[0].article_id == "new"
    assert answer.citations[0].published == dt.date(2024, 3, 1)


def test_follow_up_uses_history(seeded: Assistant) -> None:
    first = seeded.ask("What did Miroshnik say about the regime in Kyiv?")
    follow = seeded.ask("and what about Nato?", history=[(first.question, first.text)])
    assert not follow.abstained
    assert "Nato" in follow.citations[0].quote
    assert "Miroshnik" in follow.search_query


def test_stream_yields_text_then_answer(seeded: Assistant) -> None:
    events = list(seeded.stream("When did Putin send troops into Ukraine?"))
    final = events[-1].answer
    assert final is not None and final.citations
    assert "".join(e.delta for e in events[:-1]) == final.text


def test_bad_questions_and_empty_index(assistant: Assistant) -> None:
    with pytest.raises(EmptyIndexError, match="rag ingest"):
        assistant.ask("Anything?")
    assistant.ingest([Article(id="x", title="X", text="Some text that is long enough to count.")])
    with pytest.raises(InputError, match="empty"):
        assistant.ask("   ")
    with pytest.raises(InputError, match="limit"):
        assistant.ask("why " * 1000)


def test_bad_files_fail_alone(assistant: Assistant, tmp_path: Path, seed_path: Path) -> None:
    folder = tmp_path / "mixed"
    folder.mkdir()
    (folder / "good.txt").write_text(seed_path.read_text(encoding="utf-8"), encoding="utf-8")
    (folder / "empty.txt").write_text("", encoding="utf-8")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02\xff" * 100)
    (folder / "broken.json").write_text("{not json", encoding="utf-8")
    report = assistant.ingest([folder, tmp_path / "missing.txt"])
    assert len(report.added) == 1
    failed = {Path(f.source).name for f in report.failures}
    assert {"empty.txt", "binary.txt", "broken.json", "missing.txt"} <= failed
    assert all(f.reason for f in report.failures)


def test_settings_read_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("RAG_DATA_DIR", str(tmp_path / "env-data"))
    monkeypatch.setenv("RAG_TOP_K", "4")
    settings = Settings()
    assert settings.data_dir == tmp_path / "env-data" and settings.top_k == 4


def test_persistence_across_restart(
    tmp_path: Path, minilm: SentenceTransformerEmbedder, seed_path: Path
) -> None:
    settings = Settings(data_dir=tmp_path / "persist")
    first = Assistant(settings, embedder=minilm)
    first.ingest([seed_path])
    before = first.ask("Who issued an arrest warrant for Putin?")
    first.close()
    second = Assistant(settings, embedder=minilm)
    after = second.ask("Who issued an arrest warrant for Putin?")
    assert after.citations == before.citations


def test_pdf_citations_name_their_page(assistant: Assistant) -> None:
    page_two = "The harbour authority confirmed the new ferry route to the islands on Tuesday."
    text = "The city council met to discuss the annual budget proposal.\n\n" + page_two
    article = Article(id="pdf1", title="Ferry", text=text, page_starts=(0, text.index(page_two)))
    assistant.ingest([article])
    answer = assistant.ask("Which ferry route did the harbour authority confirm?")
    assert answer.citations[0].quote == page_two
    assert answer.citations[0].page == 2


def test_ingest_reports_progress(hash_assistant: Assistant) -> None:
    seen: list[tuple[int, int]] = []
    articles = [Article(id=f"p{i}", title=f"T{i}", text=f"Sentence number {i} is here.") for i in range(3)]
    hash_assistant.ingest(articles, progress=lambda p: seen.append((p.articles, p.failures)))
    assert [n for n, _ in seen][:3] == [1, 2, 3]
    assert seen[-1] == (3, 0)
