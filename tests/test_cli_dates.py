"""`rag ask --as-of / --from / --to` run as a user would, in a subprocess, over the dated archive."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.test_cli import rag

ARCHIVE = Path(__file__).parent / "fixtures" / "dated" / "articles"
BRIDGE = "What is the latest on the Harbour Bridge?"

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("cli-dates") / "data"
    ingested = rag("ingest", str(ARCHIVE), data_dir=folder)
    assert ingested.returncode == 0 and "44 added" in ingested.stdout, ingested.stderr
    return folder


def test_as_of_answers_from_what_was_published_by_then(data: Path) -> None:
    asked = rag("ask", "--json", "--as-of", "2024-09-01", BRIDGE, data_dir=data)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["citations"][0]["title"].startswith("Harbour Bridge repairs to cost $7.2 million")
    assert answer["date_window"]["as_of"] == "2024-09-01" and answer["date_window"]["latest"] is True


def test_plain_answer_says_when_its_newest_source_is_old(data: Path) -> None:
    asked = rag("ask", "--as-of", "2024-12-31", BRIDGE, data_dir=data)
    assert asked.returncode == 0, asked.stderr
    answer, sources = asked.stdout.split("\n\nSources:\n", 1)
    assert answer.endswith("Newest source: 5 Nov 2024.") and "(2024-11-05)" in sources


def test_from_and_to_bound_the_sources(data: Path) -> None:
    asked = rag(
        "ask", "--json", "--from", "2024-08-01", "--to", "2024-08-31", "How much will repairs cost?",
        data_dir=data,
    )  # fmt: skip
    assert asked.returncode == 0, asked.stderr
    dates = {c["published"] for c in json.loads(asked.stdout)["citations"]}
    assert dates and all("2024-08-01" <= d <= "2024-08-31" for d in dates)


@pytest.mark.parametrize(
    ("option", "value", "said"),
    [
        ("--as-of", "yesterday", "Cannot read the --as-of date 'yesterday': write it like 2026-12-07 or 7 Dec 2026."),
        ("--from", "2024-02-30", "Cannot read the --from date '2024-02-30'"),
        ("--to", "07/12/2026", "The --to date '07/12/2026' could be either of two days"),
    ],
)  # fmt: skip
def test_unreadable_day_is_exit_code_2_naming_the_format(
    data: Path, option: str, value: str, said: str
) -> None:
    asked = rag("ask", option, value, BRIDGE, data_dir=data)
    assert asked.returncode == 2 and asked.stdout == ""
    assert said in asked.stderr and "Traceback" not in asked.stderr


def test_days_are_read_as_people_write_them(data: Path) -> None:
    """'1 Sep 2024' was refused (YYYY-MM-DD only) while the paste form took it."""
    asked = rag("ask", "--json", "--as-of", "1 Sep 2024", "--to", "2024/08/31", BRIDGE, data_dir=data)
    assert asked.returncode == 0, asked.stderr
    answer = json.loads(asked.stdout)
    assert answer["date_window"]["as_of"] == "2024-09-01"
    assert answer["citations"] and all(c["published"] <= "2024-08-31" for c in answer["citations"])
