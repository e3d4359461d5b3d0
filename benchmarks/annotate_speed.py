"""How fast despatch annotates: the five FRUS volumes, with and without annotation, on one core.

    python benchmarks/annotate_speed.py [--shared ../shared]

Each volume is read with the TEI reader and the edition's own tags are
forgotten (the annotators must find every person, place, organization and date
themselves). Then, per volume and overall:

- without annotation: reading alone (TEI parse into the model);
- with annotation: the batch's first pass (`learn`: names, lower-case words,
  offices) plus `annotate_documents` (dates, organizations, places, persons,
  overlaps, links, index);

printing documents/s, words/s and the per-document latency of annotation
(p50/p95), and peak RSS of a fresh process per volume. Target (issue #3):
at least 50 average FRUS documents per second per core with annotation.
"""
from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = 50.0


def _words(docs) -> int:
    from despatch.annotate.text import texts

    return sum(len(t.text.split()) for doc in docs for part in doc.all_documents() for t in texts(part))


def measure(volume: Path) -> dict[str, float]:
    from despatch.annotate import Context, annotate_documents, learn
    from despatch.annotate.text import texts
    from despatch.readers.tei import read_documents

    data = volume.read_bytes()
    started = time.perf_counter()
    docs = read_documents(data, volume.name)
    read_s = time.perf_counter() - started
    for doc in docs:
        for part in doc.all_documents():
            for t in texts(part):
                t.holder.mentions = []
    words = _words(docs)
    started = time.perf_counter()
    knowledge = learn(docs)
    learn_s = time.perf_counter() - started
    context = Context(knowledge=knowledge)
    latencies = []
    started = time.perf_counter()
    for doc in docs:
        one = time.perf_counter()
        annotate_documents([doc], context)
        latencies.append((time.perf_counter() - one) * 1000)
    annotate_s = time.perf_counter() - started
    return {
        "documents": len(docs), "words": words, "read_s": read_s, "learn_s": learn_s, "annotate_s": annotate_s,
        "p50_ms": statistics.median(latencies), "p95_ms": sorted(latencies)[int(len(latencies) * 0.95)],
        "rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    ap.add_argument("--volume", type=Path, help=argparse.SUPPRESS)  # child process: one volume, JSON out
    args = ap.parse_args(argv)
    if args.volume:
        print(json.dumps(measure(args.volume)))
        return
    volumes = sorted((args.shared / "frus").glob("*.xml"))
    total = {"documents": 0, "words": 0, "read_s": 0.0, "learn_s": 0.0, "annotate_s": 0.0}
    print(f"{'volume':22} {'docs':>5} {'words':>8} {'read doc/s':>10} {'annot doc/s':>11} {'words/s':>9} "
          f"{'p50 ms':>7} {'p95 ms':>7} {'RSS MB':>7}")
    for volume in volumes:
        out = subprocess.run([sys.executable, __file__, "--volume", str(volume)], capture_output=True, text=True,
                             check=True)
        r = json.loads(out.stdout)
        for key in total:
            total[key] += r[key]
        busy = r["learn_s"] + r["annotate_s"]
        print(f"{volume.stem:22} {r['documents']:5d} {r['words']:8d} {r['documents'] / r['read_s']:10.0f} "
              f"{r['documents'] / busy:11.0f} {r['words'] / busy:9.0f} {r['p50_ms']:7.2f} {r['p95_ms']:7.2f} "
              f"{r['rss_mb']:7.0f}")
    busy = total["learn_s"] + total["annotate_s"]
    rate = total["documents"] / busy
    print(f"{'all':22} {total['documents']:5d} {total['words']:8d} {total['documents'] / total['read_s']:10.0f} "
          f"{rate:11.0f} {total['words'] / busy:9.0f}")
    print(f"annotation: {rate:.0f} documents/s per core (target >= {TARGET:.0f}): "
          f"{'met' if rate >= TARGET else 'NOT met'}; average document {total['words'] / total['documents']:.0f} words")


if __name__ == "__main__":
    main()
