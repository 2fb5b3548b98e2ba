"""`python -m bench.chroma_footprint`: disk and memory of a Chroma server per chunk and per article.

Model-free: random unit vectors of MiniLM's 384 dimensions stand in for chunk embeddings
(HNSW cost does not depend on what the vectors mean), and article records are written
through ``vectorstore.records`` with synthetic 4,000-character texts and 10 chunk spans,
the size of a typical news article here. Reports bytes on disk and the server's resident
memory after a query has loaded the index.
"""

from __future__ import annotations

import argparse
import tempfile
import time
from pathlib import Path

import numpy as np

from bench.server_mode import ChromaRun, _size
from rag.types import Article, Chunk
from vectorstore.catalog import CatalogFile
from vectorstore.chroma import ChromaConnection
from vectorstore.records import ArticleRecords, new_record
from vectorstore.replica_cache import ReplicaCache
from vectorstore.rows import ArticleRows

_BATCH = 1000


def main(argv: list[str] | None = None) -> None:
    """Fill a fresh server, then print bytes per chunk, per article record and resident memory."""
    parser = argparse.ArgumentParser(prog="python -m bench.chroma_footprint", description=__doc__)
    parser.add_argument("--chunks", type=int, default=50_000, help="vectors written (default: %(default)s)")
    parser.add_argument("--articles", type=int, default=5_000, help="records written (default: %(default)s)")
    args = parser.parse_args(argv)
    rng = np.random.default_rng(0)
    with tempfile.TemporaryDirectory() as tmp, ChromaRun(Path(tmp) / "db") as run:
        url = run.url
        idle_rss = _rss(run)
        connection = ChromaConnection(url=url, timeout=120)
        started = time.perf_counter()
        for start in range(0, args.chunks, _BATCH):
            n = min(_BATCH, args.chunks - start)
            vectors = rng.standard_normal((n, 384)).astype(np.float32)
            vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
            ids = [f"c{start + i}" for i in range(n)]
            metas = [{"article_id": f"a{(start + i) // 10}"} for i in range(n)]
            _upsert(connection, ids, vectors, metas)
        write_s = time.perf_counter() - started
        connection.call("chunks", "cosine", lambda c: c.query(query_embeddings=[vectors[0]], n_results=10))
        time.sleep(2)
        vectors_disk, vectors_rss = _size(Path(tmp) / "db"), _rss(run) - idle_rss
        records = ArticleRecords(connection, "chunks_articles")
        text = ("Lorem ipsum dolor sit amet, consectetur adipiscing elit. " * 70)[:4000]
        for i in range(args.articles):
            article = Article(id=f"a{i}", title=f"Article {i}", text=text, url=f"https://example.org/{i}")
            chunks = [
                Chunk(f"a{i}:{j:024x}", article.id, j, j * 400, j * 400 + 400, text[j * 400 : j * 400 + 400])
                for j in range(10)
            ]
            records.put(new_record(article, chunks, f"{i:064x}", None))
        records_disk = _size(Path(tmp) / "db") - vectors_disk
        cache = ReplicaCache(ArticleRows(CatalogFile(Path(tmp) / "cache.sqlite3")), records)
        started = time.perf_counter()
        cache.refresh(full=True)
        sync_s = time.perf_counter() - started
        cache_bytes = _size(Path(tmp) / "cache.sqlite3")
    print(f"| Measure ({args.chunks:,} vectors, {args.articles:,} article records) | Value |\n|---|---|")
    print(f"| Vector upserts (vectors/s, batches of {_BATCH}) | {args.chunks / write_s:,.0f} |")
    print(f"| Chroma disk per chunk vector (bytes) | {vectors_disk / args.chunks:,.0f} |")
    print(
        f"| Chroma server resident memory per chunk vector, above idle (bytes) | {vectors_rss / args.chunks:,.0f} |"
    )
    print(f"| Chroma disk per 4,000-character article record (bytes) | {records_disk / args.articles:,.0f} |")
    print(f"| First full sync of a replica's cache (articles/s) | {args.articles / sync_s:,.0f} |")
    print(f"| Replica cache (SQLite + FTS5) per article (bytes) | {cache_bytes / args.articles:,.0f} |")


def _upsert(
    connection: ChromaConnection, ids: list[str], vectors: np.ndarray, metas: list[dict[str, str]]
) -> None:
    connection.call("chunks", "cosine", lambda c: c.upsert(ids=ids, embeddings=vectors, metadatas=metas))  # type: ignore[arg-type]


def _rss(run: ChromaRun) -> int:
    assert run.process is not None
    for line in Path(f"/proc/{run.process.pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) * 1024
    return 0


if __name__ == "__main__":
    main()
