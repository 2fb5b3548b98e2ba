"""`python -m bench.scale`: query latency from 1k to 100k chunks, idle and with a core busy,
cold start, memory and HTTP throughput; writes a markdown report.

The corpus (see bench/scale_corpus.py) and its indexes are cached under ``.bench-cache/scale``,
so only the first run pays for building them. Targets are checked here, never in unit tests.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import platform
import subprocess
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
import numpy as np

from bench.scale_corpus import build_index, sentence_bank
from bench.scale_serve import Load, cold_ask_seconds, serving, throughput
from bench.squad import load_squad, sample
from rag import Assistant, Settings
from rag.extractive import ExtractiveAnswerer
from rag.types import SearchFilter
from vectorstore.catalog import CatalogFile
from vectorstore.fulltext import FullTextIndex

CACHE = Path(".bench-cache/scale")
TARGETS = {
    "ask_p50": 40.0,
    "ask_p99": 150.0,
    "retrieve_p50": 20.0,
    "cold_ask": 3.0,
    "serve_ready": 10.0,
    "rss": 1536.0,
}


@dataclass(frozen=True)
class Timing:
    """Milliseconds per call of one operation over the question sample."""

    p50: float
    p90: float
    p99: float

    @classmethod
    def of(cls, seconds: Sequence[float]) -> Timing:
        """Percentiles of a list of durations in seconds."""
        ms = np.asarray(seconds) * 1000
        return cls(*(float(np.percentile(ms, q)) for q in (50, 90, 99)))

    def cells(self) -> str:
        """Table cells."""
        return f"{self.p50:.1f} / {self.p90:.1f} / {self.p99:.1f}"


@dataclass(frozen=True)
class Latency:
    """One size of index under one load condition."""

    chunks: int
    condition: str
    encode: Timing
    dense: Timing
    lexical: Timing
    fts5: Timing  # the same BM25 ranking asked of SQLite's FTS5, for comparison
    retrieve: Timing
    ask: Timing
    load: tuple[float, float]  # 1-minute load average before and after


def time_calls(
    call: Callable[[str], object], questions: Sequence[str], before: Callable[[], None]
) -> list[float]:
    """Seconds per call, ``before`` run untimed ahead of each."""
    out = []
    for q in questions:
        before()
        started = time.perf_counter()
        call(q)
        out.append(time.perf_counter() - started)
    return out


def measure(
    assistant: Assistant, chunks: int, condition: str, questions: Sequence[str], warm_up: Sequence[str]
) -> Latency:
    """Warm latencies of the searches, `retrieve` and extractive `ask`.

    ``warm_up`` questions (none of them timed) are asked first: five were too few at 100,000
    chunks, where the first timed pass ran the dense search at two to three times the p50 of the
    second (the index's pages still loading), so whichever condition came first looked slower.
    The answerer's sentence-vector cache is emptied before every question: the synthetic
    corpus reuses SQuAD sentences, so a warm cache would hide the cost a real archive pays.
    """
    answerer = assistant.answerer
    clear = answerer.vectors.clear if isinstance(answerer, ExtractiveAnswerer) else (lambda: None)
    for q in warm_up:
        assistant.ask(q)
    load = os.getloadavg()[0]
    vectors = {q: assistant.embedder.embed_query(q) for q in questions}
    encode = time_calls(assistant.embedder.embed_query, questions, lambda: None)
    store, where_all = assistant.store, SearchFilter()
    n = max(assistant.settings.candidates, assistant.settings.top_k)
    dense = time_calls(lambda q: store.dense_search(vectors[q], n, where_all), questions, lambda: None)
    lexical = time_calls(lambda q: store.lexical_search(q, n, where_all), questions, lambda: None)
    fts5_file = CatalogFile(store.catalog.path)
    fts5 = time_calls(lambda q: FullTextIndex(fts5_file).search(q, n, where_all), questions, lambda: None)
    fts5_file.close()
    retrieve = time_calls(assistant.retrieve, questions, lambda: None)
    ask = time_calls(assistant.ask, questions, clear)
    return Latency(
        chunks, condition, Timing.of(encode), Timing.of(dense), Timing.of(lexical), Timing.of(fts5), Timing.of(retrieve), Timing.of(ask),
        (load, os.getloadavg()[0]),
    )  # fmt: skip


@contextmanager
def busy_core() -> Iterator[None]:
    """A process spinning on one core for the duration, like another tenant's job."""
    spinner = subprocess.Popen([sys.executable, "-c", "while True: pass"])
    try:
        time.sleep(0.5)
        yield
    finally:
        spinner.kill()
        spinner.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """Build (or reuse) the indexes, measure, write the report."""
    parser = argparse.ArgumentParser(prog="python -m bench.scale", description=__doc__)
    parser.add_argument("--out", type=Path, default=None, help="markdown report path (default: stdout)")
    parser.add_argument("--sizes", default="1000,10000,100000", help="chunk counts, comma-separated")
    parser.add_argument("--questions", type=int, default=200, help="questions timed per measurement")
    parser.add_argument("--load-seconds", type=float, default=20.0, help="seconds per throughput level")
    parser.add_argument("--clients", default="1,4,16", help="concurrent HTTP clients per throughput level")
    args = parser.parse_args(argv)
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    started = time.perf_counter()
    sizes = [int(s) for s in args.sizes.split(",")]
    settings = Settings()
    _log("sentence bank")
    bank = sentence_bank(CACHE, settings.embedding_model)
    ordered = sample(load_squad().answerable, 2 * args.questions)
    questions = [q.question for q in ordered[: args.questions]]
    warm_up = [q.question for q in ordered[args.questions :]]  # disjoint from the timed ones
    results: list[Latency] = []
    build_seconds: dict[int, float] = {}
    bm25_seconds: dict[int, float] = {}
    for size in sizes:
        _log(f"index of {size:,} chunks")
        began = time.perf_counter()
        data_dir = build_index(bank, CACHE / f"index-{size}", size)
        build_seconds[size] = time.perf_counter() - began
        assistant = Assistant(Settings(data_dir=data_dir))
        began = time.perf_counter()
        assistant.store.warm()
        memory = assistant.store.fulltext.memory
        if memory is None or not memory.wait(600):
            raise RuntimeError("the in-memory BM25 index was not built")
        bm25_seconds[size] = time.perf_counter() - began
        _log(f"latency at {size:,} chunks")
        results.append(measure(assistant, size, "no added load", questions, warm_up))
        if size == sizes[-1]:
            _log(f"latency at {size:,} chunks, one core busy")
            with busy_core():
                results.append(measure(assistant, size, "one core busy", questions, warm_up))
        assistant.close()
    largest = CACHE / f"index-{sizes[-1]}"
    _log("cold start and serving")
    cold = cold_ask_seconds(largest, questions[0])
    loads: list[Load] = []
    with serving(largest) as server:
        ready = server.ready_seconds
        keyword_ready = server.keyword_index_seconds()
        for q in questions[:20]:
            httpx.post(server.url + "/v1/ask", json={"question": q}, timeout=120)
        rss_warm = server.rss_mb()
        for clients in (int(c) for c in args.clients.split(",")):
            _log(f"throughput with {clients} clients")
            loads.append(throughput(server.url, questions, clients, args.load_seconds))
        rss_after = server.rss_mb()
    report = render(
        sizes, len(bank.texts), results, build_seconds, bm25_seconds, cold, ready, keyword_ready, rss_warm,
        rss_after, loads,
        time.perf_counter() - started, argv if argv is not None else sys.argv[1:],
    )  # fmt: skip
    if args.out:
        args.out.write_text(report)
    else:
        print(report)
    return 0


def _retrieve_floor(results: Sequence[Latency]) -> list[str]:
    """What the slowest index's `retrieve` spends before BM25 costs anything, from this run's figures."""
    idle = [r for r in results if r.condition == "no added load"]
    small, large = idle[0], idle[-1]
    floor = large.encode.p50 + large.dense.p50
    return [
        "### Where `retrieve` time goes",
        "",
        f"At {large.chunks:,} chunks, encoding the question ({large.encode.p50:.1f} ms) and the dense search",
        f"({large.dense.p50:.1f} ms) alone take {floor:.1f} ms at p50, before BM25, fusion and the sentence vectors;",
        f"`retrieve` takes {large.retrieve.p50:.1f} ms, so BM25 ({large.lexical.p50:.1f} ms alone) and the rest add",
        f"{large.retrieve.p50 - floor:.1f} ms although BM25 runs beside the encoding. At {small.chunks:,} chunks,",
        f"where BM25 costs {small.lexical.p50:.1f} ms, `retrieve` takes {small.retrieve.p50:.1f} ms.",
        "",
    ]


def _log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def render(
    sizes: Sequence[int],
    sentences: int,
    results: Sequence[Latency],
    build_seconds: dict[int, float],
    bm25_seconds: dict[int, float],
    cold: Sequence[float],
    ready: float,
    keyword_ready: float,
    rss_warm: tuple[float, float],
    rss_after: tuple[float, float],
    loads: Sequence[Load],
    elapsed: float,
    argv: Sequence[str],
) -> str:
    """The markdown report."""
    top = results[[r.condition for r in results].index("no added load", len(results) - 2)]
    verdict = {
        "ask_p50": top.ask.p50, "ask_p99": top.ask.p99, "retrieve_p50": top.retrieve.p50,
        "cold_ask": float(np.median(cold)), "serve_ready": ready, "rss": rss_after[1],
    }  # fmt: skip
    names = {
        "ask_p50": "`ask` p50 (ms, no added load, largest index)", "ask_p99": "`ask` p99 (ms)",
        "retrieve_p50": "`retrieve` p50 (ms)", "cold_ask": "fresh `rag ask` process (s, median of 3)",
        "serve_ready": "`rag serve` until /readyz 200 (s)", "rss": "`rag serve` peak RSS (MB)",
    }  # fmt: skip
    lines = [
        "# Scale benchmark: query latency, cold start, memory, throughput",
        "",
        f"Run {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC on {platform.processor() or platform.machine()}, "
        f"{os.cpu_count()} CPUs, in {elapsed / 60:.1f} min, with:",
        "",
        "```sh",
        "python -m bench.scale " + " ".join(argv),
        "```",
        "",
        "The machine is shared: the 1-minute load average before and after each latency run is",
        'shown (2 cores: a load of 2 means both are busy). "no added load" means no busy loop of',
        "ours, not an idle machine; figures taken while other jobs ran are slower than idle ones.",
        "",
        "## Corpus",
        "",
        f"Synthetic, built once by `bench/scale_corpus.py` from the {sentences:,} SQuAD 2.0 dev sentences of",
        "at least 25 characters: each sentence is embedded once with MiniLM, and each chunk is two or three",
        "sentences of one SQuAD article (20 chunks per article, 50 articles per publication day); a chunk's",
        "vector is the normalised sum of its sentences' vectors, and each sentence's own vector is stored with",
        "the chunk, as ingest stores its pooled sentence vectors. Questions are SQuAD dev questions, so both",
        "searches find on-topic chunks. The vectors approximate MiniLM's: this corpus measures speed only.",
        "",
        "| chunks | index build (s, 0 = cached) | in-memory BM25 build at start (s) |",
        "|---:|---:|---:|",
        *(f"| {s:,} | {build_seconds[s]:.0f} | {bm25_seconds[s]:.1f} |" for s in sizes),
        "",
        "## Targets",
        "",
        "| measure | target | measured | |",
        "|---|---:|---:|---|",
        *(
            f"| {names[k]} | < {TARGETS[k]:g} | {v:.1f} | {'pass' if v < TARGETS[k] else 'FAIL'} |"
            for k, v in verdict.items()
        ),
        "",
        "## Query latency (ms, warm, one client, in process)",
        "",
        "`encode` embeds the question (MiniLM in onnxruntime, one thread), `dense` is the Chroma query plus",
        "catalogue lookup, `lexical` the BM25 search as `retrieve` runs it (the in-memory index, built",
        "before timing), `FTS5` the same ranking asked of SQLite's full-text index (the `sqlite` setting and",
        "the fallback); `retrieve` encodes while BM25 runs on a second",
        "thread, then runs the dense search, fuses both, keeps one version per article and reads the",
        "stored sentence vectors; `ask` adds the extractive answer (the answer-time sentence cache, used",
        "only for sentences without a stored vector, is emptied before each question). Each row is timed",
        "after the same number of other, untimed questions, so the index's pages are loaded for every row.",
        "",
        "| chunks | condition | load avg | encode p50 / p90 / p99 | dense p50 / p90 / p99 | lexical p50 / p90 / p99 | FTS5 p50 / p90 / p99 | retrieve p50 / p90 / p99 | ask p50 / p90 / p99 |",
        "|---:|---|---|---|---|---|---|---|---|",
        *(
            f"| {r.chunks:,} | {r.condition} | {r.load[0]:.1f} -> {r.load[1]:.1f} | {r.encode.cells()} | {r.dense.cells()} | "
            f"{r.lexical.cells()} | {r.fts5.cells()} | {r.retrieve.cells()} | {r.ask.cells()} |"
            for r in results
        ),
        "",
        *_retrieve_floor(results),
        "## Cold start and memory",
        "",
        f"- Fresh `rag ask` processes on the {sizes[-1]:,}-chunk index: "
        + ", ".join(f"{t:.2f} s" for t in cold)
        + ".",
        f"- `rag serve` ready (`/readyz` 200) after {ready:.2f} s; its in-memory BM25 index built in the",
        f"  background after {keyword_ready:.1f} s (FTS5 ranks until then).",
        f"- `rag serve` resident memory after 20 answers: {rss_warm[0]:.0f} MB (peak {rss_warm[1]:.0f} MB); "
        f"after the throughput runs: {rss_after[0]:.0f} MB (peak {rss_after[1]:.0f} MB).",
        "",
        f"## Throughput (`POST /v1/ask` against `rag serve`, {sizes[-1]:,} chunks)",
        "",
        "Answers use the stored sentence vectors, as in the `ask` figures above; the server's answer-time",
        "sentence cache (for sentences without one) stays warm here.",
        "",
        "| clients | answers/s | answers | errors | latency p50 (ms) | p99 (ms) |",
        "|---:|---:|---:|---:|---:|---:|",
        *(
            f"| {x.clients} | {x.per_second:.1f} | {x.answers} | {x.errors} | {x.p50_ms:.0f} | {x.p99_ms:.0f} |"
            for x in loads
        ),
        "",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    raise SystemExit(main())
