"""The OpenAI-compatible chat and the UI beside the API, with the real MiniLM on the seed article."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import httpx
import openai
import pytest
from gradio_client import Client
from openai import OpenAI

from rag import Assistant, Settings
from rag.sentence_embedder import SentenceTransformerEmbedder
from tests.live_server import live_server

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"
QUESTION = "Who is Rodion Miroshnik?"
SEED_SENTENCE = (
    '"The current regime (in Kyiv) is absolutely toxic, we do not see any options for co-existence '
    'with it at the moment," Russian Ambassador-at-Large Rodion Miroshnik told reporters in Moscow.'
)
SEED_TITLE = "Russia says co-existence not possible with Ukraine's current 'regime'"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory, minilm: SentenceTransformerEmbedder) -> Iterator[str]:
    """A server over the seed article embedded with the real model."""
    assistant = Assistant(Settings(data_dir=tmp_path_factory.mktemp("openai")), embedder=minilm)
    assert assistant.ingest([SEED]).ok
    with live_server(assistant) as url:
        yield url
    assistant.close()


@pytest.fixture
def client(base: str) -> Iterator[OpenAI]:
    with OpenAI(base_url=f"{base}/v1", api_key="unused", max_retries=0) as c:
        yield c


def test_rest_ask_quotes_the_seed_sentence(base: str) -> None:
    answer = httpx.post(f"{base}/v1/ask", json={"question": QUESTION}, timeout=60).json()
    assert SEED_SENTENCE in answer["text"] and "[1]" in answer["text"]
    first = answer["citations"][0]
    assert first["quote"] == SEED_SENTENCE and first["title"] == SEED_TITLE
    article = httpx.get(f"{base}/v1/articles/{first['article_id']}").json()
    assert article["text"][first["start"] : first["end"]] == SEED_SENTENCE


def test_chat_completion_has_the_cited_answer_and_its_sources(client: OpenAI) -> None:
    completion = client.chat.completions.create(
        model="article-rag",
        messages=[{"role": "system", "content": "Be brief."}, {"role": "user", "content": QUESTION}],
    )
    content = completion.choices[0].message.content or ""
    answer, sources = content.split("\n\nSources:\n", 1)
    assert SEED_SENTENCE in answer and "[1]" in answer
    # The seed sentence opens with its own quotation mark, so it is not wrapped in another pair.
    assert sources.startswith(f"[1] {SEED_TITLE}") and f"\n    {SEED_SENTENCE}" in sources
    assert f'"{SEED_SENTENCE}' not in sources
    assert '""' not in content  # a quote that opens with its own quotation mark is not quoted again
    assert completion.model == "article-rag" and completion.choices[0].finish_reason == "stop"
    citations = (completion.model_extra or {})["citations"]
    assert citations[0]["index"] == 1 and citations[0]["quote"] == SEED_SENTENCE
    assert citations[0]["url"] is None  # the seed has no link: null, not ""


def test_each_marker_is_a_url_citation_annotation(client: OpenAI, base: str) -> None:
    completion = client.chat.completions.create(
        model="article-rag", messages=[{"role": "user", "content": QUESTION}]
    )
    message = completion.choices[0].message
    content, annotations = message.content or "", message.annotations or []
    answer_text = content.split("\n\nSources:\n", 1)[0]
    assert annotations and len(annotations) == answer_text.count("[")
    for note in annotations:
        cited = note.url_citation
        assert note.type == "url_citation" and content[cited.start_index : cited.end_index] == "[1]"
        assert cited.title == SEED_TITLE
        # Without an article URL, the link is this server's copy of the article, which holds the quote.
        assert cited.url.startswith(f"{base}/v1/articles/")
        assert SEED_SENTENCE in httpx.get(cited.url).json()["text"]
    usage = completion.usage
    assert usage and usage.prompt_tokens > 3 and usage.completion_tokens > 40
    assert usage.total_tokens == usage.prompt_tokens + usage.completion_tokens


def test_an_article_with_a_link_is_cited_by_its_link(client: OpenAI, base: str) -> None:
    lantern = {
        "title": "Harbour lantern festival draws record crowds", "url": "https://example.com/news/lanterns",
        "text": "The harbour lantern festival drew a record crowd of 48,000 visitors on Saturday night.",
    }  # fmt: skip
    assert httpx.post(f"{base}/v1/articles", json=lantern, timeout=60).status_code == 200
    question = "How many visitors came to the harbour lantern festival?"
    completion = client.chat.completions.create(
        model="article-rag", messages=[{"role": "user", "content": question}]
    )
    [note] = completion.choices[0].message.annotations or []
    assert note.url_citation.url == "https://example.com/news/lanterns"
    assert note.url_citation.title == lantern["title"]


def test_streamed_chat_completion_matches_the_plain_one(client: OpenAI) -> None:
    messages = [{"role": "user", "content": [{"type": "text", "text": QUESTION}]}]
    whole = client.chat.completions.create(model="any-name", messages=messages)  # type: ignore[arg-type]
    chunks = list(client.chat.completions.create(model="any-name", messages=messages, stream=True))  # type: ignore[arg-type]
    assert all(c.object == "chat.completion.chunk" for c in chunks)
    assert chunks[0].choices[0].delta.role == "assistant"
    pieces = [c.choices[0].delta.content for c in chunks if c.choices and c.choices[0].delta.content]
    assert len(pieces) >= 5  # the text comes in several pieces, not all at once
    assert "".join(pieces) == whole.choices[0].message.content
    last = chunks[-1]
    assert last.choices[0].finish_reason == "stop"
    assert (last.model_extra or {})["citations"][0]["quote"] == SEED_SENTENCE
    # The annotations come at the end, in the last delta, the same as in the whole reply.
    annotations = (last.choices[0].delta.model_extra or {})["annotations"]
    expected = [a.model_dump() for a in whole.choices[0].message.annotations or []]
    assert annotations == expected and annotations


def test_a_stream_can_end_with_its_usage(client: OpenAI) -> None:
    chunks = list(
        client.chat.completions.create(
            model="article-rag",
            messages=[{"role": "user", "content": QUESTION}],
            stream=True,
            stream_options={"include_usage": True},
        )
    )
    *_, answered, counted = chunks
    assert answered.choices[0].finish_reason == "stop" and counted.choices == []
    assert counted.usage and counted.usage.completion_tokens > 40


def test_earlier_turns_are_the_history(client: OpenAI) -> None:
    first = client.chat.completions.create(
        model="article-rag", messages=[{"role": "user", "content": QUESTION}]
    )
    follow_up = client.chat.completions.create(
        model="article-rag",
        messages=[
            {"role": "user", "content": QUESTION},
            {"role": "assistant", "content": first.choices[0].message.content or ""},
            {"role": "user", "content": "And what did he say?"},
        ],
    )
    assert "Miroshnik" in (follow_up.choices[0].message.content or "")


def test_a_conversation_must_end_with_the_user(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="last message must be the user's"):
        client.chat.completions.create(model="article-rag", messages=[{"role": "assistant", "content": "Hi"}])


IMAGE = {"type": "image_url", "image_url": {"url": "data:image/png;base64,iVBORw0KGgo="}}


def test_a_message_of_only_an_image_is_told_images_are_not_read(client: OpenAI) -> None:
    with pytest.raises(openai.BadRequestError, match="Images are not read") as refused:
        client.chat.completions.create(model="article-rag", messages=[{"role": "user", "content": [IMAGE]}])
    assert "question in words" in refused.value.message and "empty" not in refused.value.message


def test_an_image_beside_a_text_question_leaves_the_question_answered(client: OpenAI) -> None:
    completion = client.chat.completions.create(
        model="article-rag",
        messages=[{"role": "user", "content": [IMAGE, {"type": "text", "text": QUESTION}]}],
    )
    assert SEED_SENTENCE in (completion.choices[0].message.content or "")


def test_a_question_in_an_input_text_part_is_read(client: OpenAI) -> None:
    # OpenAI's Responses API names a text part "input_text"; it was refused as a part not read.
    completion = client.chat.completions.create(
        model="article-rag",
        messages=[{"role": "user", "content": [{"type": "input_text", "text": QUESTION}]}],  # type: ignore[list-item]
    )
    assert SEED_SENTENCE in (completion.choices[0].message.content or "")


def test_models_lists_the_one_model(client: OpenAI) -> None:
    assert [m.id for m in client.models.list()] == ["article-rag"]


def test_an_article_added_through_the_api_is_answered_by_api_and_ui_at_once(base: str) -> None:
    story = (
        "Westport harbour reopened on Monday after a storm closed it for a week. "
        "Mayor Ines Halvorsen said repairs to the northern pier cost two million euros."
    )
    added = httpx.post(
        f"{base}/v1/articles", json={"title": "Westport harbour reopens", "text": story}, timeout=60
    )
    article_id = added.json()["added"][0]
    question = "How much did the repairs to the northern pier of Westport cost?"
    replies: dict[str, str] = {}

    def ask_ui() -> None:
        ui = Client(f"{base}/", verbose=False)
        try:
            replies["ui"] = ui.predict(question, api_name="/chat")
        finally:
            ui.close()

    thread = threading.Thread(target=ask_ui)
    thread.start()
    replies["api"] = httpx.post(f"{base}/v1/ask", json={"question": question}, timeout=60).json()["text"]
    thread.join(timeout=120)
    assert "two million euros" in replies["api"] and "[1]" in replies["api"]
    assert "two million euros" in replies["ui"] and "[1]" in replies["ui"]
    assert httpx.delete(f"{base}/v1/articles/{article_id}").status_code == 204
