"""The generative answerer: a chat model writes the answer from numbered sources, then it is verified.

Any OpenAI-compatible server works (OpenAI, Ollama's ``/v1``, llama.cpp server, vLLM) through
``langchain_openai.ChatOpenAI`` with a custom ``base_url``. A turn never waits on the model past
``llm_timeout``: calls run on a worker thread and are abandoned at the deadline. Rate limits,
server errors and dropped connections are retried with backoff; when the model stays unavailable
(or replies with garbage) the turn falls back to the extractive answer, saying so.
"""

from __future__ import annotations

import contextvars
import logging
import queue
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import replace

import httpx
import numpy as np
import openai
from langchain_core.language_models import BaseChatModel
from langchain_core.messages import BaseMessage
from langchain_openai import ChatOpenAI
from pydantic import SecretStr

from rag.candidates import coverage
from rag.citations import ABSTAIN_TEXT, NOTHING_MATCHED_TEXT
from rag.citecheck import MarkerRewriter, check
from rag.extractive import DENSE_WEIGHT, LEXICAL_WEIGHT, ExtractiveAnswerer
from rag.follow_ups import search_query
from rag.prompting import (
    Source,
    TokenCounter,
    Unit,
    answer_messages,
    build_sources,
    clean_standalone,
    condense_messages,
    estimate_tokens,
    fit_budget,
    fits,
    stretched,
    units_of,
)
from rag.sentences import split_sentences
from rag.settings import Settings
from rag.terms import content_terms
from rag.types import Answer, AnswerRequest, Passage, StreamEvent, Turn

log = logging.getLogger(__name__)

# Share of the turn's time the condensing call may use; generation gets the rest.
CONDENSE_SHARE = 0.25
FIRST_BACKOFF = 0.25  # seconds before the first retry; doubles after each one
MAX_BACKOFF = 8.0
MAX_STANDALONE_CHARS = 500

# Worth another try: the server is busy, failing for now, or the connection dropped.
_TRANSIENT: tuple[type[Exception], ...] = (
    openai.RateLimitError,
    openai.InternalServerError,
    openai.APIConnectionError,
    httpx.TransportError,
)
# Not worth another try: the request is refused (bad key, unknown model) or the reply is unreadable
# (the client raises ValueError, TypeError, AttributeError... on a malformed body).
_BROKEN: tuple[type[Exception], ...] = (
    openai.APIError,
    ValueError,
    KeyError,
    IndexError,
    TypeError,
    AttributeError,
)
_DONE = object()


class _Unavailable(Exception):
    """The model gave no usable reply this turn; ``reason`` is shown to the user."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class _DeadlinePassed(Exception):
    """The turn's time ran out while waiting for the model."""


def chat_model(settings: Settings) -> ChatOpenAI:
    """The ChatOpenAI client the settings describe; retries are ours (bounded by the turn's deadline)."""
    key = settings.llm_api_key.get_secret_value() or "not-needed"  # local servers take any key
    return ChatOpenAI(
        model=settings.llm_model,
        base_url=settings.llm_base_url,
        api_key=SecretStr(key),
        temperature=settings.llm_temperature,
        timeout=settings.llm_timeout,
        max_retries=0,
        use_responses_api=False,  # every OpenAI-compatible server has /chat/completions
    )


class GenerativeAnswerer:
    """Answers with a chat model from numbered sources; every citation is checked against the articles."""

    name = "llm"

    def __init__(
        self,
        model: BaseChatModel,
        extractive: ExtractiveAnswerer,
        *,
        timeout: float = 60.0,
        max_retries: int = 2,
        context_tokens: int = 3000,
        count_tokens: TokenCounter | None = None,
    ) -> None:
        self.model = model
        self.extractive = extractive  # the fallback, and the sentence ranker that picks quotes
        self.timeout = timeout
        self.max_retries = max_retries
        self.context_tokens = context_tokens
        self.count_tokens = count_tokens or estimate_tokens

    @classmethod
    def from_settings(cls, settings: Settings, extractive: ExtractiveAnswerer) -> GenerativeAnswerer:
        """The answerer the ``llm_*`` settings describe, falling back to ``extractive``."""
        return cls(
            chat_model(settings), extractive, timeout=settings.llm_timeout,
            max_retries=settings.llm_max_retries, context_tokens=settings.llm_context_tokens,
            count_tokens=extractive.embedder.count_tokens,
        )  # fmt: skip

    def condense(self, question: str, history: Sequence[Turn]) -> str:
        """A standalone version of a follow-up question, for retrieval; the question itself without history."""
        if not history:
            return question
        deadline = time.monotonic() + self.timeout * CONDENSE_SHARE
        try:
            reply = "".join(self._complete(condense_messages(question, history), deadline, stream=False))
        except _Unavailable as exc:
            log.warning("could not condense the follow-up question: %s", exc.reason)
            reply = ""
        return clean_standalone(reply, MAX_STANDALONE_CHARS) or search_query(question, history)

    def answer(self, request: AnswerRequest) -> Answer:
        """The whole verified answer at once (one non-streaming model call)."""
        final = [event.answer for event in self._events(request, stream=False) if event.answer]
        return final[-1]

    def stream(self, request: AnswerRequest) -> Iterator[StreamEvent]:
        """Text pieces as the model writes them (markers already renumbered), then the verified Answer."""
        return self._events(request, stream=True)

    def sources(self, request: AnswerRequest) -> tuple[Source, ...]:
        """The numbered sources for the prompt (each passage with the sentence either side of it, as the
        extractive answerer reads them), trimmed sentence by sentence to the token budget."""
        passages = stretched(request.passages, request.surroundings)
        units = units_of(passages)
        if not fits(units, self.context_tokens, self.count_tokens):
            units = fit_budget(units, self._relevance(request, units), self.context_tokens, self.count_tokens)
        return build_sources(passages, units)

    def _events(self, request: AnswerRequest, stream: bool) -> Iterator[StreamEvent]:
        sources = self.sources(request)
        base = Answer(
            text=ABSTAIN_TEXT if request.passages else NOTHING_MATCHED_TEXT, abstained=True, passages=request.passages,
            question=request.question, search_query=request.search_query,
        )  # fmt: skip
        if not sources:
            yield StreamEvent(delta=base.text)
            yield StreamEvent(answer=replace(base, notes=("abstained: no passages were retrieved",)))
            return
        rewriter = MarkerRewriter([s.number for s in sources])
        messages = answer_messages(_prompt_question(request), sources, request.prefer_recent)
        try:
            for piece in self._complete(messages, self._deadline(request), stream):
                if shown := rewriter.feed(piece):
                    yield StreamEvent(delta=shown)
            if tail := rewriter.flush():
                yield StreamEvent(delta=tail)
        except _Unavailable as exc:
            fallback = self._fallback(request, exc.reason)
            # Text already shown cannot be taken back; the final Answer is the one to keep.
            yield StreamEvent(delta=("\n\n" if rewriter.text else "") + fallback.text)
            yield StreamEvent(answer=fallback)
            return
        checked = check(rewriter, sources, self._quote)
        verified = replace(
            base, text=checked.text, citations=checked.citations,
            abstained=checked.abstained, notes=checked.notes,
        )  # fmt: skip
        yield StreamEvent(answer=verified)

    def _deadline(self, request: AnswerRequest) -> float:
        # A follow-up's condensing call already had its share of the turn.
        share = 1.0 - CONDENSE_SHARE if request.history else 1.0
        return time.monotonic() + self.timeout * share

    def _complete(self, messages: list[BaseMessage], deadline: float, stream: bool) -> Iterator[str]:
        """Model output pieces; transient failures are retried while nothing has been produced yet."""
        attempt = 0
        while True:
            produced = False
            try:
                for piece in _pieces(self.model, messages, deadline, stream):
                    produced = True
                    yield piece
                return
            except _DeadlinePassed:
                raise _Unavailable(f"no reply within {self.timeout:g} s") from None
            except _TRANSIENT as exc:
                wait = _backoff(exc, attempt)
                if produced or attempt >= self.max_retries or time.monotonic() + wait >= deadline:
                    tries = f" after {attempt + 1} attempts" if attempt else ""
                    raise _Unavailable(_describe(exc) + tries) from exc
                time.sleep(wait)
                attempt += 1
            except _BROKEN as exc:
                log.warning("unusable reply from the language model", exc_info=exc)
                raise _Unavailable(_describe(exc)) from exc

    def _fallback(self, request: AnswerRequest, reason: str) -> Answer:
        log.warning("language model unavailable, answering with extractive quotes: %s", reason)
        quoted = self.extractive.answer(request)
        note = f"The language model was unavailable ({reason}); showing quotes from the articles instead."
        return replace(
            quoted,
            text=f"{note}\n\n{quoted.text}",
            notes=(*quoted.notes, f"language model unavailable ({reason}): fell back to extractive quotes"),
        )

    def _relevance(self, request: AnswerRequest, units: Sequence[Unit]) -> list[float]:
        embedder = self.extractive.embedder
        vector = request.vector if request.vector is not None else embedder.embed_query(request.search_query)
        similarities = embedder.embed_documents([u.text for u in units]) @ np.asarray(vector)
        terms = content_terms(request.search_query)
        return [
            DENSE_WEIGHT * float(sim) + LEXICAL_WEIGHT * coverage(terms, u.text)
            for u, sim in zip(units, similarities, strict=True)
        ]

    def _quote(self, claim: str, source: Source) -> tuple[Passage, int, int]:
        """The sentence of ``source`` that best supports ``claim``, as (part, start, end) article offsets."""
        ranked = self.extractive.rank(claim, self.extractive.embedder.embed_query(claim), source.parts)
        if ranked:
            return ranked[0].passage, ranked[0].start, ranked[0].end
        part = source.parts[0]  # only short sentences: quote the first one
        start, end = split_sentences(part.text)[0]
        return part, part.start + start, part.start + end


def _prompt_question(request: AnswerRequest) -> str:
    # For a follow-up the search query is the standalone question the condensing step wrote.
    return request.search_query if request.history and request.search_query.strip() else request.question


def _pieces(
    model: BaseChatModel, messages: list[BaseMessage], deadline: float, stream: bool
) -> Iterator[str]:
    """Model output from a worker thread, given up on (and the thread told to stop) at ``deadline``."""
    out: queue.Queue[object] = queue.Queue()
    stop = threading.Event()

    def call() -> Iterator[str]:
        if stream:
            return (str(chunk.text) for chunk in model.stream(messages))
        return iter([str(model.invoke(messages).text)])

    # The copied context carries LangChain's tracing callbacks over to the worker thread.
    run = contextvars.copy_context().run
    threading.Thread(target=run, args=(_pump, call, out, stop), name="llm-call", daemon=True).start()
    try:
        while True:
            remaining = deadline - time.monotonic()
            try:
                item = out.get(timeout=max(remaining, 0.0)) if remaining > 0 else out.get_nowait()
            except queue.Empty:
                raise _DeadlinePassed from None
            if item is _DONE:
                return
            if isinstance(item, BaseException):
                raise item
            yield str(item)
    finally:
        stop.set()


def _pump(call: Callable[[], Iterator[str]], out: queue.Queue[object], stop: threading.Event) -> None:
    """Run the model call, passing each piece, then the end or the exception, to the waiting turn."""
    try:
        for piece in call():
            if stop.is_set():
                return  # the turn gave up; dropping the stream closes the connection
            out.put(piece)
        out.put(_DONE)
    except Exception as exc:  # handed over and re-raised (or classified) by the waiting turn
        out.put(exc)


def _backoff(exc: Exception, attempt: int) -> float:
    """Seconds to wait before retrying: the server's Retry-After when it sends one, else exponential."""
    response = getattr(exc, "response", None)
    header = str(response.headers.get("retry-after", "")) if isinstance(response, httpx.Response) else ""
    try:
        if header:
            return float(min(max(float(header), 0.0), MAX_BACKOFF))
    except ValueError:
        pass  # an HTTP date: use our own schedule
    return float(min(FIRST_BACKOFF * 2**attempt, MAX_BACKOFF))


def _describe(exc: Exception) -> str:
    """A short reason a user can act on, never including the API key."""
    if isinstance(exc, openai.RateLimitError):
        return "rate limited, HTTP 429"
    if isinstance(exc, openai.AuthenticationError):
        return "HTTP 401: check RAG_LLM_API_KEY"
    if isinstance(exc, openai.NotFoundError):
        return "HTTP 404: check RAG_LLM_BASE_URL and RAG_LLM_MODEL"
    if isinstance(exc, openai.APIStatusError):
        kind = "server error, " if exc.status_code >= 500 else ""
        return f"{kind}HTTP {exc.status_code}"
    if isinstance(exc, openai.APITimeoutError):
        return "the request timed out"
    if isinstance(exc, openai.APIConnectionError | httpx.TransportError):
        return "could not connect to the server"
    return f"unreadable reply: {type(exc).__name__}"
