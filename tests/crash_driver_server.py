"""Child-process side of test_crash_server_mode: forks ingest runs against a Chroma server for SIGKILL.

Like tests/crash_driver.py (whose archive, CLI runner, store check and forking loop it reuses),
but every command talks to the Chroma server named by ``RAG_CHROMA_URL`` in the environment.
Each forked round does, in order:

1. ``rag doctor`` on what the previous kill left (report only: what a kill leaves behind);
2. re-runs the killed ingest to completion with ``rag ingest``;
3. ``rag doctor --repair`` while no ingest runs: in server mode there is no journal of
   in-flight vectors, so vectors a killed writer upserted before its record (or left after
   replacing it) are invisible orphans that only a repair removes;
4. checks the store through this replica's cache and through a fresh replica (a new, empty
   data folder on the same server), and runs ``rag doctor`` once more;
5. writes what it saw as one JSON line, then ``crashable``, and starts ``rag ingest`` of the
   next version of the archive: the run the test kills.
"""

from __future__ import annotations

import tempfile
import time
from pathlib import Path
from typing import Any

from tests.crash_driver import _cli, _verify, finish_round, serve


def _round(data: Path, rerun: str | None, nxt: str | None, result_path: Path) -> None:
    with result_path.open("a", encoding="utf-8") as result:
        record: dict[str, Any] = {}
        clock: list[float] = []
        if rerun is not None:
            clock = [time.monotonic()]
            record["doctor_exit"], record["doctor_out"] = _cli("doctor", "--data-dir", str(data))
            record["rerun_exit"], record["rerun_out"] = _cli("ingest", "--data-dir", str(data), rerun)
            clock.append(time.monotonic())
            record["repair_exit"], record["repair_out"] = _cli("doctor", "--repair", "--data-dir", str(data))
            record.update(_verify(data))
            with tempfile.TemporaryDirectory() as fresh:
                record["fresh_stored"] = _verify(Path(fresh))["stored"]
        finish_round(result, data, record, clock, nxt)


# The HTTP client instead of the embedded Rust bindings.
PRELOAD = ("chromadb", "chromadb.api.fastapi", "chromadb.telemetry.product.posthog", "tqdm")

if __name__ == "__main__":
    serve(_round, PRELOAD)
