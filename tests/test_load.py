"""Concurrency: 50 clients ask through the HTTP API of a real `rag serve` while articles come and go.

The server is the `rag serve` command in its own process (uvicorn, the bundled MiniLM, embedded
Chroma), so the clients here do not share its interpreter. For `LOAD_SECONDS` (60 s, as issue 7
asks; `RAG_TEST_LOAD_SECONDS` shortens it for local iteration), 50 threads ask questions through
`/v1/ask`, `/v1/ask/stream` (SSE) and `/v1/chat/completions` (plain and streamed), while one more
client ingests articles (JSON and multipart uploads) and deletes them again in a loop.

Checked afterwards: no request failed (no 5xx, no other error status, no transport error or
timeout), every citation quotes exactly ``text[start:end]`` of an article that existed during the
run (the stored text is fetched right after each ingest), the writer's operations all succeeded,
the server answers one final question, and its log has no traceback. Throughput and p50/p99
latency are printed for docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import threading
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.serve_process import serve_process

LOAD_SECONDS = float(os.environ.get("RAG_TEST_LOAD_SECONDS", "60"))
CLIENTS = 50
# Generous: under load a request waits its turn in the server's thread pool; a deadlock never ends.
REQUEST_TIMEOUT = 120.0
pytestmark = pytest.mark.slow


@dataclass(frozen=True)
class Story:
    """A short article with a fact no other article shares, and the question that asks for it."""

    title: str
    text: str
    question: str


STAYING = [
    Story(
        "Veltmoor bridge reopens",
        "The Veltmoor suspension bridge reopened on Tuesday after repairs costing 14 million crowns. "
        "Chief engineer Ilse Brandvik said the new cables were spun from recycled steel. "
        "Lorries heavier than nine tonnes must use the ferry until the spring inspection.",
        "How much did the Veltmoor bridge repairs cost?",
    ),
    Story(
        "Quarrow orchard harvest",
        "Farmers in the Quarrow valley picked 3,200 tonnes of pears this autumn, a record. "
        "The cooperative blamed late frosts for the small apple crop. "
        "Most of the pears will be pressed into perry at the Odstall cidery.",
        "How many tonnes of pears did the Quarrow valley farmers pick?",
    ),
    Story(
        "Brimhaven library robot",
        "The Brimhaven public library has put a shelving robot named Tolliver to work. "
        "Librarian Marta Oyelaran said Tolliver returns about 900 books to the shelves every night. "
        "Children voted for the robot's name in a contest at the town school.",
        "What is the name of the Brimhaven library shelving robot?",
    ),
    Story(
        "Saltmarsh tern count",
        "Volunteers counted 412 nesting little terns on the Harlow saltmarsh in June. "
        "The warden credited the new fence that keeps foxes away from the shingle. "
        "Walkers are asked to keep dogs on leads until the chicks fledge in August.",
        "How many little terns nested on the Harlow saltmarsh?",
    ),
    Story(
        "Drevanza tram line",
        "Drevanza opened its first tram line on Monday, running eleven kilometres to the harbour. "
        "Mayor Pilar Quenneville rode the first tram at six in the morning. "
        "Fares cost one coin for any journey until the end of the year.",
        "How long is the new Drevanza tram line?",
    ),
    Story(
        "Kettlewick chess champion",
        "Twelve-year-old Aurelio Fenwright won the Kettlewick open chess championship on Sunday. "
        "He beat the defending champion in a sixty-move endgame with two knights. "
        "His prize is a trip to the national junior tournament in Larchmont.",
        "Who won the Kettlewick open chess championship?",
    ),
]

ROTATING = [
    Story(
        "Ostrava glacier cave",
        "Cavers mapped a glacier cave under Mount Velkor that runs 2,700 metres into the ice. "
        "The expedition leader Hanne Sorvik said meltwater carved the tunnel in a single summer.",
        "How far does the glacier cave under Mount Velkor run?",
    ),
    Story(
        "Pembleton bakery strike",
        "Bakers at the Pembleton loaf factory walked out for three days over night-shift pay. "
        "The union said 140 workers joined the strike at the plant on Cobble Lane.",
        "How many workers joined the Pembleton bakery strike?",
    ),
    Story(
        "Riverhead lantern boats",
        "Riverhead floated 5,500 paper lantern boats down the Maren river on Saturday evening. "
        "The festival committee said the boats were collected downstream by canoeists.",
        "How many lantern boats did Riverhead float down the Maren river?",
    ),
    Story(
        "Thistledown observatory",
        "The Thistledown observatory installed a 90-centimetre mirror in its old dome. "
        "Astronomer Keziah Marchetti said the telescope will hunt for comets from October.",
        "How wide is the new mirror at the Thistledown observatory?",
    ),
]


EDIT = "An earlier version of this report gave the wrong day."


def _markdown(story: Story, n: int) -> str:
    return f"---\ntitle: {story.title}\nurl: https://example.com/load/{n}\n---\n\n{story.text}\n"


@dataclass
class Outcome:
    """One finished request as a client saw it."""

    route: str
    status: int
    seconds: float
    citations: list[dict[str, Any]] = field(default_factory=list)
    error: str = ""
    question: str = ""


@dataclass
class Ledger:
    """Every text each article id had while it was stored, recorded by the client that put it there."""

    texts: dict[str, set[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def record(self, article_id: str, text: str) -> None:
        """Remember that ``article_id`` was stored with ``text``."""
        with self.lock:
            self.texts.setdefault(article_id, set()).add(text)

    def misquoted(self, citation: dict[str, Any]) -> str:
        """Why a citation is wrong, or "" when it quotes a text its article really had."""
        known = self.texts.get(citation["article_id"])
        if known is None:
            return f"cites {citation['article_id']!r}, which never existed"
        start, end = citation["start"], citation["end"]
        if not any(text[start:end] == citation["quote"] for text in known):
            return f"quote {citation['quote'][:60]!r} is not at [{start}:{end}] of {citation['article_id']!r}"
        return ""


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    """`rag serve` in its own process on a free loopback port; yields its URL and its log file."""
    with serve_process(tmp_path_factory.mktemp("load"), RAG_LOG_LEVEL="warning") as running:
        yield running


def ask_json(client: httpx.Client, question: str) -> Outcome:
    """POST /v1/ask."""
    response = client.post("/v1/ask", json={"question": question})
    body = response.json()
    return Outcome("ask", response.status_code, 0.0, body.get("citations", []), _error_of(response, body))


def ask_sse(client: httpx.Client, question: str) -> Outcome:
    """POST /v1/ask/stream, read to the end: deltas, one `answer` event, then `done`."""
    with client.stream("POST", "/v1/ask/stream", json={"question": question}) as response:
        events = list(_sse_events(response.iter_lines())) if response.status_code == 200 else []
        if response.status_code != 200:
            response.read()
            return Outcome("ask/stream", response.status_code, 0.0, error=response.text[:300])
    names = [name for name, _ in events]
    answers = [json.loads(data) for name, data in events if name == "answer"]
    error = "" if names[-1:] == ["done"] and len(answers) == 1 else f"bad event sequence {names[-3:]}"
    return Outcome("ask/stream", 200, 0.0, answers[0]["citations"] if answers else [], error)


def chat(client: httpx.Client, question: str) -> Outcome:
    """POST /v1/chat/completions without streaming."""
    payload = {"model": "x", "messages": [{"role": "user", "content": question}]}
    response = client.post("/v1/chat/completions", json=payload)
    body = response.json()
    error = _error_of(response, body) or ("" if body.get("choices") else "no choices")
    return Outcome("chat", response.status_code, 0.0, body.get("citations", []), error)


def chat_stream(client: httpx.Client, question: str) -> Outcome:
    """POST /v1/chat/completions with `stream: true`, read to `[DONE]`."""
    payload = {"messages": [{"role": "user", "content": question}], "stream": True}
    with client.stream("POST", "/v1/chat/completions", json=payload) as response:
        if response.status_code != 200:
            response.read()
            return Outcome("chat/stream", response.status_code, 0.0, error=response.text[:300])
        data = [d for _, d in _sse_events(response.iter_lines())]
    chunks = [json.loads(d) for d in data if d != "[DONE]"]
    final = [c for c in chunks if "citations" in c]
    error = "" if data[-1:] == ["[DONE]"] and len(final) == 1 else f"bad chunk sequence {data[-2:]}"
    return Outcome("chat/stream", 200, 0.0, final[0]["citations"] if final else [], error)


def _sse_events(lines: Iterator[str]) -> Iterator[tuple[str, str]]:
    name = "message"
    for line in lines:
        if line.startswith("event: "):
            name = line[len("event: ") :]
        elif line.startswith("data: "):
            yield name, line[len("data: ") :]
            name = "message"


def _error_of(response: httpx.Response, body: Any) -> str:
    return "" if response.status_code == 200 else json.dumps(body)[:300]


ROUTES = [ask_json] * 30 + [ask_sse] * 8 + [chat] * 7 + [chat_stream] * 5  # 50 clients


def run_client(base: str, index: int, stop_at: float, outcomes: list[Outcome]) -> None:
    """Ask the stories' questions in turn through this client's route until ``stop_at``."""
    route = ROUTES[index]
    questions = [s.question for s in STAYING + ROTATING]
    turn = index
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        while time.monotonic() < stop_at:
            question = questions[turn % len(questions)]
            turn += 1
            started = time.monotonic()
            try:
                outcome = route(client, question)
            except (httpx.HTTPError, ValueError, KeyError, IndexError) as exc:
                outcome = Outcome(route.__name__, 0, 0.0, error=f"{type(exc).__name__}: {exc}")
            outcome.seconds, outcome.question = time.monotonic() - started, question
            outcomes.append(outcome)


def run_writer(base: str, stop_at: float, ledger: Ledger, cycles: list[int], failures: list[str]) -> None:
    """Until ``stop_at``: upload one rotating story as a file, send the next as JSON and then an
    edited version of it (its chunks are replaced while questions read them), delete both.

    A cycle always finishes, so every run has both kinds of ingest. The ledger records the text
    each was sent with; `test_rotating_stories_are_stored_as_sent` checks that is the stored text.
    Under load each request waits its turn behind the questions in the server's thread pool.
    """
    n = 0
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        while time.monotonic() < stop_at:
            try:
                ids = [ingest_upload(client, n, ledger), ingest_json(client, n + 1, ledger)]
                update_json(client, n + 1, ledger)
                for article_id in ids:
                    deleted = client.delete(f"/v1/articles/{article_id}")
                    if deleted.status_code != 204:
                        failures.append(f"delete {article_id}: {deleted.status_code} {deleted.text[:200]}")
                cycles.append(n)
            except (httpx.HTTPError, ValueError, KeyError, AssertionError) as exc:
                failures.append(f"writer cycle {n}: {type(exc).__name__}: {exc}")
            n += 2


def ingest_upload(client: httpx.Client, n: int, ledger: Ledger) -> str:
    """Upload rotating story ``n`` as a Markdown file; returns its id."""
    story = ROTATING[n % len(ROTATING)]
    files = [("files", (f"story{n}.md", _markdown(story, n).encode(), "text/markdown"))]
    return _added(client.post("/v1/articles/upload", files=files), story, ledger)


def ingest_json(client: httpx.Client, n: int, ledger: Ledger) -> str:
    """Send rotating story ``n`` as JSON with its own id; returns the id."""
    story = ROTATING[n % len(ROTATING)]
    article = {"id": f"rotating-{n}", "title": story.title, "text": story.text}
    return _added(client.post("/v1/articles", json=article), story, ledger)


def update_json(client: httpx.Client, n: int, ledger: Ledger) -> str:
    """Send an edited rotating story ``n`` under the id `ingest_json` gave it; returns the id."""
    story = ROTATING[n % len(ROTATING)]
    edited = Story(story.title, f"{story.text} {EDIT}", story.question)
    article = {"id": f"rotating-{n}", "title": story.title, "text": edited.text}
    return _added(client.post("/v1/articles", json=article), edited, ledger, outcome="updated")


def _added(response: httpx.Response, story: Story, ledger: Ledger, outcome: str = "added") -> str:
    report = response.json()
    assert response.status_code == 200 and len(report[outcome]) == 1, f"{response.status_code} {report}"
    ledger.record(report[outcome][0], story.text)
    return str(report[outcome][0])


def percentile(values: list[float], q: float) -> float:
    """The nearest-rank ``q``-th percentile (0 < q <= 100) of ``values``."""
    ordered = sorted(values)
    rank = max(1, -(-len(ordered) * q // 100))
    return ordered[int(rank) - 1]


def summary(outcomes: list[Outcome], elapsed: float, cycles: list[int]) -> str:
    """Throughput and latency, overall and per route, as docs/reliability.md quotes them."""
    latencies = [o.seconds for o in outcomes]
    lines = [
        f"load: {len(outcomes)} answers in {elapsed:.1f} s by {CLIENTS} clients = "
        f"{len(outcomes) / elapsed:.2f} answers/s; latency p50 {percentile(latencies, 50):.2f} s, "
        f"p99 {percentile(latencies, 99):.2f} s, max {max(latencies):.2f} s; writer: "
        f"{len(cycles)} cycles of upload + JSON ingest, JSON update, 2 deletes; "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    ]
    for route in sorted({o.route for o in outcomes}):
        mine = [o.seconds for o in outcomes if o.route == route]
        lines.append(
            f"  {route}: {len(mine)} answers, p50 {percentile(mine, 50):.2f} s, p99 {percentile(mine, 99):.2f} s"
        )
    return "\n".join(lines)


def load_staying(base: str, ledger: Ledger) -> dict[str, str]:
    """Store the stories that stay for the whole run; returns the article id of each one's question."""
    articles = [{"title": s.title, "text": s.text, "id": f"staying-{i}"} for i, s in enumerate(STAYING)]
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        assert client.post("/v1/articles", json=articles).json()["added"] == [a["id"] for a in articles]
        for article in articles:
            ledger.record(article["id"], client.get(f"/v1/articles/{article['id']}").json()["text"])
    return {story.question: article["id"] for story, article in zip(STAYING, articles, strict=True)}


@dataclass
class LoadRun:
    """What one load run produced: every client's outcomes and the writer's cycles and failures."""

    outcomes: list[Outcome]
    cycles: list[int]
    write_failures: list[str]
    elapsed: float


def run_load(reader: str, writer: str, ledger: Ledger) -> LoadRun:
    """``CLIENTS`` question clients on ``reader`` and one writer on ``writer`` for ``LOAD_SECONDS``."""
    run = LoadRun([], [], [], 0.0)
    started = time.monotonic()
    stop_at = started + LOAD_SECONDS
    threads = [
        threading.Thread(target=run_client, args=(reader, i, stop_at, run.outcomes)) for i in range(CLIENTS)
    ]
    threads.append(
        threading.Thread(target=run_writer, args=(writer, stop_at, ledger, run.cycles, run.write_failures))
    )
    for thread in threads:
        thread.start()
    for thread in threads:  # a request may start just before stop_at and then wait its whole timeout
        thread.join(timeout=max(0.0, stop_at + 3 * REQUEST_TIMEOUT - time.monotonic()))
    run.elapsed = time.monotonic() - started
    assert not any(t.is_alive() for t in threads), "a client never finished: deadlock?"
    return run


def check_load(
    run: LoadRun, ledger: Ledger, expected: dict[str, str], log_errors: Sequence[str] = ()
) -> None:
    """No 5xx, no failed request, no wrong citation, staying stories answered from themselves."""
    server_errors = [o for o in run.outcomes if o.status >= 500]
    assert not server_errors, (
        f"{len(server_errors)} 5xx answers, first: {server_errors[:2]}; log: {list(log_errors)[:5]}"
    )
    failed = [o for o in run.outcomes if o.status != 200 or o.error]
    assert not failed, f"{len(failed)} failed requests, first: {failed[:3]}"
    citations = [c for o in run.outcomes for c in o.citations]
    wrong = [why for c in citations if (why := ledger.misquoted(c))]
    assert not wrong, f"{len(wrong)} of {len(citations)} citations are wrong: {wrong[:3]}"
    # A question about a story that stayed all along is answered from that story, however busy the server.
    staying = [o for o in run.outcomes if o.question in expected]
    astray = [o for o in staying if expected[o.question] not in {c["article_id"] for c in o.citations}]
    assert staying and not astray, f"{len(astray)} of {len(staying)} answers miss their article: {astray[:2]}"
    assert not run.write_failures, run.write_failures[:3]
    assert run.cycles, "the writer never finished a cycle"


def test_fifty_clients_ask_while_articles_come_and_go(
    server: tuple[str, Path], capsys: pytest.CaptureFixture[str]
) -> None:
    base, log_file = server
    ledger = Ledger()
    expected = load_staying(base, ledger)
    run = run_load(base, base, ledger)
    with capsys.disabled():
        print("\n" + summary(run.outcomes, run.elapsed, run.cycles))
    check_load(run, ledger, expected)

    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:  # the server still answers
        final = client.post("/v1/ask", json={"question": STAYING[0].question})
    assert final.status_code == 200 and "14 million crowns" in final.json()["text"]
    log_text = log_file.read_text(errors="replace")
    assert "Traceback" not in log_text and "unhandled error" not in log_text, log_text[-3000:]


def test_rotating_stories_are_stored_as_sent(server: tuple[str, Path]) -> None:
    """The ledger's premise: an uploaded, JSON or edited story's stored text is exactly the text sent."""
    base, _ = server
    ledger = Ledger()
    with httpx.Client(base_url=base, timeout=REQUEST_TIMEOUT) as client:
        for n in range(len(ROTATING)):
            ids = [ingest_upload(client, 100 + n, ledger), ingest_json(client, 101 + n, ledger)]
            for article_id in ids:
                assert ledger.texts[article_id] == {client.get(f"/v1/articles/{article_id}").json()["text"]}
            edited = update_json(client, 101 + n, ledger)
            stored = client.get(f"/v1/articles/{edited}").json()["text"]
            assert stored.endswith(EDIT) and len(ledger.texts[edited]) == 2 and stored in ledger.texts[edited]
            for article_id in ids:
                assert client.delete(f"/v1/articles/{article_id}").status_code == 204
