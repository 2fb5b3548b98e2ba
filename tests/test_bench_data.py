"""The vendored SQuAD 2.0 dev set is present, byte for byte, with its provenance and licence note."""

from __future__ import annotations

import hashlib
import re

from bench.squad import DATA_FILE, load_squad


def test_the_vendored_file_matches_the_checksum_its_provenance_records() -> None:
    provenance = (DATA_FILE.parent / "PROVENANCE.md").read_text(encoding="utf-8")
    recorded = re.search(r"sha256: ([0-9a-f]{64})", provenance)
    assert recorded, "PROVENANCE.md must record the file's sha256"
    assert hashlib.sha256(DATA_FILE.read_bytes()).hexdigest() == recorded.group(1)
    assert "CC BY-SA 4.0" in provenance


def test_the_benchmark_reads_every_article_and_question() -> None:
    squad = load_squad()
    assert len(squad.articles) == 16
    assert len(squad.questions) == 6078
    assert len(squad.unanswerable) == 3168
