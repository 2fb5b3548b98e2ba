"""The writer lock of an embedded Chroma folder excludes other processes and counts their writes."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from vectorstore.writer_lock import WriterLock

_HOLDER = """
import sys, time
from pathlib import Path
from vectorstore.writer_lock import WriterLock
lock = WriterLock(Path(sys.argv[1]))
with lock.held():
    lock.add_write()
    print("holding", flush=True)
    sys.stdin.readline()
"""


def test_another_process_holding_it_keeps_us_out_until_it_lets_go(tmp_path: Path) -> None:
    path = tmp_path / "chroma.lock"
    lock = WriterLock(path)
    assert lock.count() == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLDER, str(path)], stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline() == "holding\n"
        assert lock.count() == 1  # its write is counted before it writes
        with lock.held(wait=False) as holding:
            assert not holding  # a search does not wait for another process's write
    finally:
        holder.communicate("done\n", timeout=30)
    with lock.held(wait=False) as holding, lock.held() as nested:
        assert holding and nested
        assert lock.add_write() == 2
    assert lock.count() == 2
    lock.close()
