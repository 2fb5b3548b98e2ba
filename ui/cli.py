"""The `rag` command: ingest, ask, list, delete, doctor, serve and feedback export, with exit codes
a script can test.

Exit codes: 0 success; 2 a user error (bad question, unknown id, unreadable input, empty
index, a setting that cannot be used: `--host 0.0.0.0` without API keys); 1 a failure of the system (store or model, or an inconsistency `rag doctor` found);
3 `rag serve` cannot listen on its address (the port is in use, or the address is not this
machine's); 141 the reader of the output went away (`rag articles | head`), as for any command
that SIGPIPE ends; 130 interrupted (Ctrl+C).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import asdict
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from pydantic import ValidationError

from rag import parse_day
from rag.citations import plain_answer
from rag.errors import ConfigError, EmptyIndexError, InputError, NotFoundError, RagError
from rag.settings import Settings
from rag.types import Progress, SearchFilter, StoredArticle
from ui.wording import counted

if TYPE_CHECKING:
    from rag.assistant import Assistant

EXIT_OK, EXIT_FAILURE, EXIT_USAGE, EXIT_CANNOT_LISTEN = 0, 1, 2, 3
EXIT_BROKEN_PIPE = 128 + 13  # SIGPIPE's number, as the shell reports a command it ended


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `rag` console script."""
    # Model loading must never reach for a hub: everything runs from installed files.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")
    args = _parser().parse_args(argv)
    try:
        settings = Settings(**({"data_dir": args.data_dir} if args.data_dir else {}))
        if getattr(args, "reads", False):
            _check_data_dir(settings)
        return int(args.handler(args, settings))
    except (InputError, NotFoundError, EmptyIndexError, ConfigError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except RagError as exc:
        print(f"failed: {exc}", file=sys.stderr)
        return EXIT_FAILURE
    except ValidationError as exc:  # settings from the environment; other errors are not settings
        for line in setting_errors(exc):
            print(f"error: {line}", file=sys.stderr)
        return EXIT_USAGE
    except KeyboardInterrupt:
        print("interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped early (`| head`): nothing more to say, and nothing left to flush to it.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_BROKEN_PIPE


def _check_data_dir(settings: Settings) -> None:
    """A command that only reads the archive needs one: opening a mistyped --data-dir made an empty
    archive there and answered as if it were the real one ("No articles yet", "0 ratings written")."""
    if not settings.chroma_url and not settings.data_dir.exists():
        raise EmptyIndexError(
            f"No data folder at {settings.data_dir}: check --data-dir (or RAG_DATA_DIR), "
            "or add articles with `rag ingest` first."
        )


def setting_errors(exc: ValidationError) -> list[str]:
    """One line per bad setting, named by its variable (pydantic's report adds its own jargon and links)."""
    lines = []
    for error in exc.errors():
        variable = f"RAG_{error['loc'][0]}".upper() if error["loc"] else ""
        message = str(error["msg"]).removeprefix("Value error, ")
        lines.append(f"{variable}: {message}" if variable and not message.startswith(variable) else message)
    return lines


def _port(text: str) -> int:
    """A TCP port; the socket would wrap a larger number around (70000 listened on 4464)."""
    try:
        port = int(text)
    except ValueError:
        port = 0
    if not 1 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"must be a port number from 1 to 65535 (got {text!r})")
    return port


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rag", description="Cited answers from your articles.")
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--data-dir", type=Path, default=None, help="data folder (default: RAG_DATA_DIR or ./data)"
    )
    sub = parser.add_subparsers(dest="command", required=True)

    ingest = sub.add_parser("ingest", parents=[common], help="add files, folders or URLs")
    ingest.add_argument("paths", nargs="+", help="files, folders (recursive) or http(s) URLs")
    ingest.set_defaults(handler=_ingest)

    ask = sub.add_parser("ask", parents=[common], help="ask a question")
    ask.add_argument("question", help='the question, in quotes: rag ask "When will the bridge close?"')
    ask.add_argument("-k", type=int, default=None, help="number of passages to retrieve")
    ask.add_argument(
        "--article", action="append", default=[], help="only search this article id (repeatable)"
    )
    ask.add_argument(
        "--as-of", metavar="DATE", help="answer as of this day (2026-12-07 or '7 Dec 2026'): later articles "
        "are hidden and 'last week' or 'in March' resolve against it (default: today)",
    )  # fmt: skip
    ask.add_argument(
        "--from", dest="published_from", metavar="DATE", help="only articles published on or after"
    )
    ask.add_argument("--to", dest="published_to", metavar="DATE", help="only articles published on or before")
    ask.add_argument("--json", action="store_true", help="print the Answer as JSON")
    ask.set_defaults(handler=_ask, reads=True)

    articles = sub.add_parser("articles", parents=[common], help="list stored articles")
    articles.add_argument("--json", action="store_true", help="print JSON")
    articles.set_defaults(handler=_articles, reads=True)

    delete = sub.add_parser("delete", parents=[common], help="delete an article by id")
    delete.add_argument("article_id", help="the id `rag articles` lists first on each line")
    delete.set_defaults(handler=_delete, reads=True)

    doctor = sub.add_parser(
        "doctor", parents=[common], help="check that the vector store and the catalogue agree"
    )
    doctor.add_argument(
        "--repair", action="store_true",
        help="fix what is found: drop leftover vectors and rows, re-embed missing vectors, "
        "rebuild the full-text index, remove exact duplicate articles",
    )  # fmt: skip
    doctor.set_defaults(handler=_doctor, reads=True)

    serve = sub.add_parser("serve", parents=[common], help="serve the chat UI")
    serve.add_argument("--host", default=None, help="address to bind (default 127.0.0.1)")
    serve.add_argument("--port", type=_port, default=None, help="port (default 7860)")
    serve.add_argument(
        "--log-level", choices=["debug", "info", "warning", "error"], default=None,
        help="least severe messages printed (default RAG_LOG_LEVEL or info)",
    )  # fmt: skip
    serve.add_argument(
        "--allow-remote", action="store_true",
        help="allow a non-loopback --host without RAG_API_KEYS (the API is then open to anyone)",
    )  # fmt: skip
    serve.set_defaults(handler=_serve)

    feedback = sub.add_parser("feedback", parents=[common], help="the ratings given to answers in the chat")
    actions = feedback.add_subparsers(dest="action", required=True)
    export = actions.add_parser(
        "export", parents=[common],
        help="write every rating as a JSON line: question, settings, answer, cited passages, verdict, note",
    )  # fmt: skip
    export.add_argument("--out", type=Path, default=None, help="file to write (default: standard output)")
    export.set_defaults(handler=_export_feedback, reads=True)
    return parser


def _assistant(settings: Settings) -> Assistant:
    from rag.assistant import Assistant

    return Assistant(settings)


def _ingest(args: argparse.Namespace, settings: Settings) -> int:
    bar = ProgressBar()
    try:
        report = _assistant(settings).ingest(list(args.paths), progress=bar.show)
    finally:
        bar.close()
    if report.found_nothing:
        for folder in report.empty:
            print(f"error: No articles found in {folder.source}: {folder.reason}.", file=sys.stderr)
        return EXIT_USAGE
    print(report.summary())
    for failure in report.failures:
        print(f"  failed: {failure.source}: {failure.reason}")
    for folder in report.empty:
        print(f"  no articles found in {folder.source}: {folder.reason}")
    return EXIT_OK if report.ok else EXIT_USAGE


class ProgressBar:
    """An ingest's progress on standard error, in articles, drawn once the first one is done."""

    def __init__(self) -> None:
        self._bar: Any = None

    def show(self, p: Progress) -> None:
        """Redraw for ``p`` (a JSON Lines file counts as its records)."""
        if self._bar is None:
            from tqdm import tqdm

            self._bar = tqdm(
                total=max(p.total, p.done), initial=p.done, postfix=progress_line(p), unit=" articles",
                desc="Ingesting", file=sys.stderr, dynamic_ncols=True,
                bar_format="{desc}: {percentage:3.0f}%|{bar}| {n_fmt}/{total_fmt} [{elapsed}{postfix}]",
            )  # fmt: skip
            return
        self._bar.total, self._bar.n = max(p.total, p.done), p.done
        self._bar.set_postfix_str(progress_line(p), refresh=False)
        self._bar.refresh()

    def close(self) -> None:
        """Leave the last state on screen (nothing was drawn if nothing was read)."""
        if self._bar is not None:
            self._bar.close()


def progress_line(p: Progress) -> str:
    """Rate, time left and failures of an ingest, for the bar's tail."""
    eta = "?" if p.eta is None else _clock(p.eta)
    rate = f"{p.per_second:,.0f}" if p.per_second >= 10 else f"{p.per_second:.2g}"
    return f"{rate} articles/s, ETA {eta}, {p.failures} failed, {Path(p.current).name[:40]}"


def _clock(seconds: float) -> str:
    minutes, secs = divmod(round(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}:{minutes:02}:{secs:02}" if hours else f"{minutes}:{secs:02}"


def one_shot(settings: Settings) -> Settings:
    """Settings for answering one question: BM25 from FTS5 rather than an in-memory index built first.

    The two rank alike (tests/test_cli_ranking.py), and a server answers from FTS5 too until its
    index is built; the query encoder stays the server's, whose vectors the NumPy one does not match.
    """
    if "lexical_index" in settings.model_fields_set:
        return settings
    return settings.model_copy(update={"lexical_index": "sqlite"})


def _ask(args: argparse.Namespace, settings: Settings) -> int:
    start, end = parse_day(args.published_from, "--from date"), parse_day(args.published_to, "--to date")
    where = SearchFilter(tuple(args.article), start, end)
    as_of = parse_day(args.as_of, "--as-of date")
    answer = _assistant(one_shot(settings)).ask(args.question, k=args.k, where=where, as_of=as_of)
    if args.json:
        print(as_json(asdict(answer)))
        return EXIT_OK
    print(plain_answer(answer))
    return EXIT_OK


def as_json(value: Any) -> str:
    """``--json`` output: dates as ISO strings, text as it is."""
    return json.dumps(value, default=str, indent=2, ensure_ascii=False)


def _articles(args: argparse.Namespace, settings: Settings) -> int:
    stored = _assistant(settings).articles()
    if args.json:
        print(as_json([article_json(a) for a in stored]))
        return EXIT_OK
    if not stored:
        print("No articles yet: run `rag ingest seeds/`.")
    for a in stored:
        date = a.published.isoformat() if a.published else "undated"
        print(f"{a.id}  {date:10}  {counted(a.chunks, 'chunk'):>10}  {a.title}")
    return EXIT_OK


def article_json(article: StoredArticle) -> dict[str, Any]:
    """An article as `rag articles --json` lists it: what GET /v1/articles gives (no text, no hash)."""
    added = article.added_at.isoformat()
    return {
        "id": article.id, "title": article.title, "url": article.url,
        "published": article.published.isoformat() if article.published else None,
        "source": article.source, "chunks": article.chunks,
        "added_at": added.removesuffix("+00:00") + "Z" if added.endswith("+00:00") else added,
    }  # fmt: skip


def _delete(args: argparse.Namespace, settings: Settings) -> int:
    _assistant(settings).delete(args.article_id)
    print(f"Deleted {args.article_id}.")
    return EXIT_OK


def _store_counts(articles: int, chunks: int, vectors: int) -> str:
    return f"{counted(articles, 'article')}, {counted(chunks, 'chunk')}, {counted(vectors, 'vector')}"


def _doctor(args: argparse.Namespace, settings: Settings) -> int:
    assistant = _assistant(settings)
    found = assistant.doctor()
    print(f"{_store_counts(found.articles, found.chunks, found.vectors)}.")
    if found.ok:
        print("Consistent: the vector store and the full-text index hold the same chunks.")
        return EXIT_OK
    print("Found:\n" + "\n".join(f"  {line}" for line in found.problems()))
    if not args.repair:
        print("error: the store is inconsistent: run `rag doctor --repair` to fix it.", file=sys.stderr)
        return EXIT_FAILURE
    after = assistant.doctor(repair=True)
    if after.ok:
        print(f"Repaired: {_store_counts(after.articles, after.chunks, after.vectors)} agree.")
        return EXIT_OK
    print("Still wrong after repair:\n" + "\n".join(f"  {line}" for line in after.problems()))
    print("error: repair could not fix everything; re-ingest the articles named above.", file=sys.stderr)
    return EXIT_FAILURE


def _export_feedback(args: argparse.Namespace, settings: Settings) -> int:
    records = _assistant(settings).conversations.feedback()
    if args.out is None:
        count = _write_lines(records, sys.stdout)
    else:
        with args.out.open("w", encoding="utf-8") as out:
            count = _write_lines(records, out)
        print(f"{count} rating{'' if count == 1 else 's'} written to {args.out}.", file=sys.stderr)
    return EXIT_OK


def _write_lines(records: Iterable[dict[str, Any]], out: TextIO) -> int:
    count = 0
    for record in records:
        out.write(json.dumps(record, ensure_ascii=False) + "\n")
        count += 1
    return count


def _serve(args: argparse.Namespace, settings: Settings) -> int:
    from ui.server import ListenError, serve

    overrides = {"log_level": args.log_level} if args.log_level else {}
    if args.allow_remote:
        overrides["allow_remote"] = True
    settings = settings.model_copy(update=overrides)
    try:
        serve(settings, host=args.host or settings.host, port=args.port or settings.port)
    except ListenError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_CANNOT_LISTEN
    return EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
