"""Child-process side of test_crash: forks ingest runs that the test kills with SIGKILL.

Started once as ``python -m tests.crash_driver``; it imports the project (the slow part of
starting a process) and then, for every round the test asks for on stdin, forks a fresh
child that does, in order:

1. ``rag doctor`` on the data folder as the previous child's kill left it (report only);
2. re-runs the ingest that was killed, to completion, with ``rag ingest``;
3. verifies the store and writes what it saw as one JSON line to the round's result file;
4. starts ``rag ingest`` of the next version of the archive and writes ``crashable`` first:
   this is the run the test kills at a random moment.

Forking keeps twenty-odd kills inside the time budget of a unit test; each child is still a
separate process whose death by SIGKILL is as sudden as any other.
"""

from __future__ import annotations

import contextlib
import hashlib
import importlib
import io
import itertools
import json
import os
import random
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, TextIO

from rag import Assistant, Settings
from rag.chunking import embedding_text
from ui.cli import main as rag_main

N_ARTICLES = 300
CHANGE_EVERY = 50
WORDS = [f"{a}{b}" for a in ("ka", "lo", "mi", "nu", "pe", "ri", "so", "tu") for b in range(400)]


def article_body(index: int, version: int) -> str:
    """Plain sentences (nothing for cleaning to change); one article in fifty changes per version."""
    rng = random.Random(index * 1000 + changed_at(index, version))
    sentences = rng.randrange(3, 9)
    return " ".join(
        " ".join(rng.choice(WORDS) for _ in range(rng.randrange(8, 14))).capitalize() + "."
        for _ in range(sentences)
    )


def changed_at(index: int, version: int) -> int:
    """The last version (at most ``version``) in which the article's text changed."""
    return (version + index) // CHANGE_EVERY


def url_of(index: int) -> str:
    """Each article's identity: its URL, the same in every version."""
    return f"https://news.example/{index:04d}"


def write_version(folder: Path, version: int) -> Path:
    """The archive as Markdown files with front matter, as a user would have it on disk."""
    folder.mkdir(parents=True, exist_ok=True)
    for index in range(N_ARTICLES):
        body = article_body(index, version)
        front = f"---\ntitle: Report {index}\nurl: {url_of(index)}\n---\n\n"
        (folder / f"report-{index:04d}.md").write_text(front + body + "\n", encoding="utf-8")
    return folder


def digest(text: str) -> str:
    """Short text fingerprint for comparing stored and expected versions."""
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def _cli(*args: str) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        code = rag_main(list(args))
    return code, out.getvalue()


def _verify(data: Path) -> dict[str, Any]:
    assistant = Assistant(Settings(data_dir=data, embedding_backend="hash"))
    stored = {a.url: digest(assistant.article(a.id).text) for a in assistant.articles()}
    found = assistant.doctor()
    lexical = assistant.store.rows.chunk_ids()
    sample = random.Random(len(lexical)).sample(sorted(lexical), min(40, len(lexical)))
    # Read each sampled vector back by id and compare it with a fresh embedding of the chunk's
    # stored text: the data must be there and be the current version's. (Searching for it is
    # not this test's business: Chroma's approximate HNSW search can miss a stored vector after
    # thousands of rewrites, seen in CI with and without kills; see docs/reliability.md.)
    chunks = assistant.store.rows.stored_chunks(sample)
    stored_vectors = assistant.store.dense.vectors([c.id for c in chunks])
    hits = 0
    for chunk in chunks:
        title = assistant.article(chunk.article_id).title
        vector = assistant.embedder.embed_documents(
            [embedding_text(title, chunk.text, assistant.embedder.count_tokens)]
        )[0]
        found_vector = stored_vectors.get(chunk.id)
        if found_vector is not None and float(found_vector @ vector) > 0.999:
            hits += 1
        else:
            print(f"vector of {chunk.id} missing or stale", flush=True)
    result = {
        "stored": stored,
        "articles": len(assistant.articles()),
        "same_ids": lexical == assistant.store.dense.ids(),
        "consistent": found.ok,
        "problems": found.problems(),
        "sample": len(sample),
        "sample_found": hits,
    }
    assistant.close()
    return result


def _round(data: Path, rerun: str | None, nxt: str | None, result_path: Path) -> None:
    with result_path.open("a", encoding="utf-8") as result:
        record: dict[str, Any] = {}
        clock: list[float] = []
        if rerun is not None:
            clock = [time.monotonic()]
            record["doctor_exit"], record["doctor_out"] = _cli("doctor", "--data-dir", str(data))
            clock.append(time.monotonic())
            record["rerun_exit"], record["rerun_out"] = _cli("ingest", "--data-dir", str(data), rerun)
            clock.append(time.monotonic())
            record.update(_verify(data))
            clock.append(time.monotonic())
        finish_round(result, data, record, clock, nxt)


def finish_round(
    result: TextIO, data: Path, record: dict[str, Any], clock: list[float], nxt: str | None
) -> None:
    """The end every round shares: after a re-run (``clock`` started) a last doctor and the step
    timings; then the record, the "crashable" mark, and the next ingest, the one to be killed."""
    if clock:
        record["doctor_after_exit"], _ = _cli("doctor", "--data-dir", str(data))
        clock.append(time.monotonic())
        record["seconds"] = [round(b - a, 2) for a, b in itertools.pairwise(clock)]
    result.write(json.dumps(record) + "\n")
    result.write("crashable\n")
    result.flush()
    if nxt is not None:
        started = time.monotonic()
        code, _ = _cli("ingest", "--data-dir", str(data), nxt)
        result.write(json.dumps({"finished_exit": code, "seconds": time.monotonic() - started}) + "\n")


# Imported before forking: importing Chroma is most of a child's start-up.
PRELOAD = ("chromadb", "chromadb.api.rust", "chromadb.telemetry.product.posthog", "tqdm")
Round = Callable[[Path, str | None, str | None, Path], None]


def serve(round_: Round = _round, preload: Sequence[str] = PRELOAD) -> None:
    """Read one JSON command per line; fork a child per round; answer with its pid, then its exit.

    ``round_(data, rerun, next, result)`` is what each child does; ``preload`` names the
    modules to import once, before the first fork.
    """
    for module in preload:
        importlib.import_module(module)
    for line in sys.stdin:
        command = json.loads(line)
        pid = os.fork()
        if pid == 0:
            log = os.open(command["log"], os.O_WRONLY | os.O_CREAT | os.O_APPEND)
            os.dup2(log, 1)
            os.dup2(log, 2)
            code = 0
            try:
                round_(Path(command["data"]), command["rerun"], command["next"], Path(command["result"]))
            except BaseException as exc:  # report anything to the test, then leave without cleanup
                print(f"child failed: {exc!r}", flush=True)
                code = 1
            os._exit(code)
        print(json.dumps({"pid": pid}), flush=True)
        _, status = os.waitpid(pid, 0)
        print(json.dumps({"status": status}), flush=True)


if __name__ == "__main__":
    serve()
