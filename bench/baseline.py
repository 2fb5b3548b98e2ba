"""The baseline: LangChain's RAG-tutorial retrieval (1,000-character splits, MiniLM, Chroma).

It is what a reader of the tutorial would build with the same embedding model, so any
gain of ours over it comes from chunking, hybrid search and fusion, not from a better model.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from langchain_chroma import Chroma
from langchain_core.documents import Document
from langchain_huggingface import HuggingFaceEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from bench.metrics import Span
from bench.squad import SquadArticle
from rag.sentence_embedder import resolve_model_path

CHUNK_SIZE = 1000
CHUNK_OVERLAP = 200


class TutorialBaseline:
    """Split, embed and store with the tutorial's settings; search by similarity alone."""

    def __init__(self, model: str, persist_directory: Path) -> None:
        # The local model folder, so nothing is fetched; the embedding function is always
        # given explicitly: Chroma's default one would be a different model.
        self.embeddings = HuggingFaceEmbeddings(
            model_name=str(resolve_model_path(model)),
            model_kwargs={"device": "cpu"},
            encode_kwargs={"normalize_embeddings": True},
        )
        self.store = Chroma(
            collection_name="tutorial_baseline",
            embedding_function=self.embeddings,
            persist_directory=str(persist_directory),
        )
        self.splitter = RecursiveCharacterTextSplitter(
            chunk_size=CHUNK_SIZE, chunk_overlap=CHUNK_OVERLAP, add_start_index=True
        )

    def warm_up(self) -> None:
        """Load the model outside any timed section."""
        self.embeddings.embed_query("warm up")

    def split(self, articles: Sequence[SquadArticle]) -> list[Document]:
        """The tutorial's chunks, each knowing its article and start offset."""
        return self.splitter.create_documents(
            [a.text for a in articles], metadatas=[{"article_id": a.id, "title": a.title} for a in articles]
        )

    def ingest(self, articles: Sequence[SquadArticle]) -> int:
        """Split, embed and store the articles; returns the number of chunks written."""
        documents = self.split(articles)
        self.store.add_documents(documents)
        return len(documents)

    def search(self, question: str, k: int) -> list[Span]:
        """The ``k`` most similar chunks, best first."""
        return [to_span(d) for d in self.store.similarity_search(question, k=k)]


def to_span(document: Document) -> Span:
    """A retrieved Document as a Span in its article's text."""
    start = int(document.metadata["start_index"])
    return Span(
        str(document.metadata["article_id"]), start, start + len(document.page_content), document.page_content
    )
