"""How fast the PostgreSQL corpus ingests and searches, beside the SQLite corpus, and how large it grows.

    python benchmarks/postgres_speed.py [--shared ../shared] [--copies 42] [--queries 200] [--repeat 2]
                                        [--skip-sqlite]

Starts its own throw-away PostgreSQL server (tests/postgres.py: Debian's
binaries, a temporary cluster on a loopback port, as the `postgres` user when
run as root), then:

1. Ingest: the five FRUS volumes of ../shared/frus without annotation into a
   fresh database with `despatch.corpus.ingest`, on one and two processes;
   documents/s of the whole call, best of `--repeat`.
2. Scale: the volumes annotated once, then copied inside the server to
   `--copies` x 2,388 (about 100,000) documents with altered ids and numbers
   (`INSERT ... SELECT` of every table a search reads), term counts
   recomputed, VACUUM ANALYZE. The SQLite corpus of the same size is built by
   benchmarks/corpus_speed.py's `build_large`, through its store.
3. Search at that size on both: `--queries` searches of two words with two
   facet filters (the query's top sender, then the top year left), each with
   its facets and histogram; p50 and p95. The same two words without filters
   beside it.
4. Size on disk per 1,000 documents (the database less an empty one).
"""
from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT / "benchmarks"))

from corpus_speed import QUERIES, build_large, percentile

from despatch.corpus import SearchQuery, open_corpus, open_store
from despatch.corpus.ingest import ingest, prepare_file
from despatch.corpus.prepare import PreparedFile
from despatch.pipeline import set_knowledge
from postgres import PostgresServer

TARGET_P95_MS = 50.0
# The tables a search, a result list and a document page read, copied row for row with
# n + k * stride and id || '-c' || k; the index (entities) is shared by the copies.
COPIES = [
    ("INSERT INTO documents (n, id, file, position, number, head, date, date_text, precision, chrono, place, channel, "
     "classification, file_numbers, source_file, source_format, terms, search, long) SELECT n + %(k)s::integer * %(stride)s::integer, "
     "id || '-c' || %(k)s, file, position, number, head, date, date_text, precision, chrono, place, channel, "
     "classification, file_numbers, source_file, source_format, terms, search, long FROM documents WHERE n < %(stride)s"),
    ("INSERT INTO document_ids (id, doc) SELECT id || '-c' || %(k)s, doc + %(k)s::integer * %(stride)s::integer FROM document_ids "
     "WHERE doc < %(stride)s"),
    "INSERT INTO document_data (n, data) SELECT n + %(k)s::integer * %(stride)s::integer, data FROM document_data WHERE n < %(stride)s",
    ("INSERT INTO document_text (n, body, notes, parties) SELECT n + %(k)s::integer * %(stride)s::integer, body, notes, parties "
     "FROM document_text WHERE n < %(stride)s"),
    ("INSERT INTO passages (doc, seq, search) SELECT doc + %(k)s::integer * %(stride)s::integer, seq, search FROM passages "
     "WHERE doc < %(stride)s"),
    ("INSERT INTO parties SELECT doc + %(k)s::integer * %(stride)s::integer, role, position, text, name, office, ref FROM parties "
     "WHERE doc < %(stride)s"),
    ("INSERT INTO notes SELECT doc + %(k)s::integer * %(stride)s::integer, part, position, n, kind, text, anchor_part, anchor_block, "
     "anchor_offset FROM notes WHERE doc < %(stride)s"),
    ("INSERT INTO mentions SELECT doc + %(k)s::integer * %(stride)s::integer, seq, part, holder, block, start, \"end\", kind, text, ref, "
     "value, precision, form FROM mentions WHERE doc < %(stride)s"),
    "INSERT INTO doc_terms SELECT doc + %(k)s::integer * %(stride)s::integer, facet, term FROM doc_terms WHERE doc < %(stride)s",
]


def timed_ingest(server: PostgresServer, volumes: list[Path], workers: int, repeat: int) -> float:
    rates = []
    documents = 0
    for _ in range(repeat):
        url = server.empty_database()
        store = open_store(url)
        started = time.perf_counter()
        report = ingest(store, volumes, annotate=False, workers=workers)
        elapsed = time.perf_counter() - started
        store.close()
        server.drop(url)
        assert not report.failures, report.failures
        documents = report.documents
        rates.append(documents / elapsed)
    label = f"without annotation, {workers} process{'es' if workers > 1 else ''}"
    print(f"  PostgreSQL ingest {label:<30} {documents:>6} documents  best {max(rates):6.0f} documents/s  "
          f"median {statistics.median(rates):6.0f} ({repeat} runs)", flush=True)
    return max(rates)


def database_bytes(url: str) -> int:
    with psycopg.connect(url) as conn:
        row = conn.execute("SELECT pg_database_size(current_database())").fetchone()
    return int(row[0]) if row else 0


def build_large_postgres(server: PostgresServer, volumes: list[Path], copies: int) -> tuple[str, int, float]:
    """The annotated volumes stored once, then copied in the server; its URL, documents, MB per 1,000 at 1 copy."""
    url = server.empty_database("large")
    empty = database_bytes(url)
    store = open_store(url)
    set_knowledge(store.knowledge())
    prepared = []
    for volume in volumes:
        result = prepare_file(volume, str(volume.resolve()), True, store.curation())
        assert isinstance(result, PreparedFile), result
        prepared.append(result)
    set_knowledge(None)
    started = time.perf_counter()
    assert store.store(prepared) == [None] * len(prepared)
    one = store.count()
    print(f"  stored the annotated volumes: {one} documents in {time.perf_counter() - started:.1f} s", flush=True)
    store.close()
    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("VACUUM (ANALYZE)")
    small_mb = (database_bytes(url) - empty) / one * 1000 / 1e6
    started = time.perf_counter()
    with psycopg.connect(url, autocommit=True) as conn:
        row = conn.execute("SELECT max(n) + 1 FROM documents").fetchone()
        stride = int(row[0]) if row else 1
        for k in range(1, copies):
            with conn.transaction():
                for sql in COPIES:
                    conn.execute(sql.encode(), {"k": k, "stride": stride})
        conn.execute("SELECT setval(pg_get_serial_sequence('documents', 'n'), (SELECT max(n) FROM documents))")
        conn.execute("UPDATE terms SET docs = c.c FROM (SELECT term, count(*) AS c FROM doc_terms GROUP BY term) c "
                      "WHERE terms.id = c.term")
        conn.execute("VACUUM (ANALYZE)")
        row = conn.execute("SELECT count(*) FROM documents").fetchone()
    total = int(row[0]) if row else 0
    print(f"  copied to {total} documents in {time.perf_counter() - started:.1f} s", flush=True)
    large_mb = (database_bytes(url) - empty) / total * 1000 / 1e6
    print(f"  size: {small_mb:.2f} MB per 1,000 documents at {one} (annotated), {large_mb:.2f} MB at {total} "
          f"({(database_bytes(url) - empty) / 1e9:.2f} GB)", flush=True)
    return url, total, large_mb


def plans(url: str) -> list[tuple[str, str, int]]:
    """Each query with its top sender, then the top year among what remains, chosen on `url`."""
    corpus = open_corpus(url)
    chosen = []
    for text in QUERIES:
        first = corpus.search(SearchQuery(text=text, limit=0))
        if not first.total or not first.facets["sender"]:
            continue
        sender = first.facets["sender"][0].value
        second = corpus.search(SearchQuery(text=text, sender=sender, limit=0))
        top_year = max(second.facets["year"], key=lambda v: v.count)
        chosen.append((text, sender, int(top_year.value)))
    corpus.close()
    return chosen


def latency(name: str, url: str, chosen: list[tuple[str, str, int]], queries: int) -> None:
    corpus = open_corpus(url)
    for label, filtered in (("two words + two facet filters", True), ("two words, no filter", False)):
        rng = random.Random(4)
        times = []
        totals = []
        for i in range(queries):
            text, sender, year = chosen[rng.randrange(len(chosen))] if i else chosen[0]
            query = SearchQuery(text=text, sender=sender, year=year) if filtered else SearchQuery(text=text)
            started = time.perf_counter()
            result = corpus.search(query)
            times.append((time.perf_counter() - started) * 1000)
            totals.append(result.total)
        mark = "meets" if percentile(times, 95) <= TARGET_P95_MS else "misses"
        print(f"  {name:<10} {label:<31} p50 {percentile(times, 50):6.1f} ms  p95 {percentile(times, 95):6.1f} ms  "
              f"(median {statistics.median(totals):.0f} results; {mark} the 50 ms target)", flush=True)
    corpus.close()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--copies", type=int, default=42)
    parser.add_argument("--queries", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--skip-sqlite", action="store_true", help="measure PostgreSQL alone")
    args = parser.parse_args()
    volumes = sorted((args.shared / "frus").glob("*.xml"))
    if not volumes:
        print(f"no FRUS volumes in {args.shared / 'frus'}", file=sys.stderr)
        return 2
    server = PostgresServer().start()
    try:
        with psycopg.connect(server.url("postgres")) as conn:
            version = conn.execute("SHOW server_version").fetchone()
        print(f"despatch PostgreSQL benchmark: {len(volumes)} volumes, {os.cpu_count()} cores, "
              f"PostgreSQL {version[0] if version else '?'} (throw-away cluster, fsync off)", flush=True)
        print("ingest")
        for workers in (1, 2):
            timed_ingest(server, volumes, workers, args.repeat)
        print(f"scale: {args.copies} copies of the volumes")
        url, total, _ = build_large_postgres(server, volumes, args.copies)
        chosen = plans(url)
        print(f"search at {total} documents ({len(chosen)} two-word queries)")
        latency("PostgreSQL", url, chosen, args.queries)
        if not args.skip_sqlite:
            with tempfile.TemporaryDirectory() as tmp:
                db = Path(tmp) / "large.sqlite"
                build_large(volumes, db, args.copies)
                latency("SQLite", str(db), chosen, args.queries)
    finally:
        server.stop()
    return 0


if __name__ == "__main__":
    sys.exit(main())
