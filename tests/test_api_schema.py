"""Property-based tests from the API's own OpenAPI schema: no generated request gets a 5xx.

Schemathesis drives the app in-process (ASGI) with valid and invalid requests for every operation.
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import response_schema_conformance

from rag import Assistant, Settings
from ui.server import create_app

ROOT = Path(__file__).resolve().parent.parent
SEED = ROOT / "seeds" / "000_e9d55681bf2b99fb.txt"


def _app() -> object:
    # Built at import because schemathesis parametrizes from the schema at collection time;
    # the hash embedding keeps that cheap (no model load).
    data_dir = Path(tempfile.mkdtemp(prefix="rag-schema-"))
    assistant = Assistant(
        Settings(data_dir=data_dir, embedding_backend="hash", allowed_hosts=("testserver",))
    )
    assistant.ingest([SEED])
    return create_app(assistant)


schema = schemathesis.openapi.from_asgi("/openapi.json", _app())


@schema.parametrize()
@settings(
    max_examples=25, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck), database=None
)
def test_no_request_from_the_schema_gets_a_server_error(case: schemathesis.Case) -> None:
    case.call_and_validate(checks=[not_a_server_error, response_schema_conformance])
