"""How fast despatch converts, and how much memory it needs: every document of the FRUS volumes, as text.

    python benchmarks/convert_speed.py [--shared ../shared] [--keep DIR] [--profile]

(--keep DIR keeps the rendered text there for later runs; the files written
by the driver measurement go there too, so put it on the disk you care about.)

First renders every document of ../shared/frus/*.xml (about 2,600) into raw
text with the benchmark's own renderer (../shared/eval/render.py), one file
per document, half as Word exports and half as plain transcriptions, plus one
file per volume holding the whole volume as a plain transcription. Rendering
runs in a child process, so the FRUS XML it parses does not count against
the converter's memory. Then it measures, on one core and with no entity
annotation:

- read + TEI write in this process, per volume and overall: documents/s and
  the latency of each document (p50, p95, p99);
- the JSON and HTML writers alone, over the same documents;
- peak RSS: this process after converting everything, and a fresh process
  per volume: its files one by one, the whole volume as one text file, and
  the FRUS TEI volume itself read by the TEI reader and written back;
- `despatch convert`'s own driver (`run_conversion`, writing files) on one
  process and on `--jobs 2`.

Targets (issue #2): at least 500 documents/s per core, peak memory under
300 MB for a whole volume. `--profile` adds a cProfile of the in-process run.
"""
from __future__ import annotations

import argparse
import cProfile
import gc
import json
import os
import pstats
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET_RATE = 500.0  # documents per second per core
TARGET_RSS_MB = 300.0  # per volume


def _rss_mb() -> float:
    # ru_maxrss is in kilobytes on Linux
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


# ---------------------------------------------------------------- rendering (child process)

def render_volumes(shared: Path, out: Path) -> None:
    """Every document with a heading in every volume, one text file each, and each volume whole."""
    sys.path.insert(0, str(shared / "eval"))
    import render  # type: ignore[import-not-found]  # ../shared/eval/render.py, the benchmark's renderer
    import teigold  # type: ignore[import-not-found]
    from teigold import NS  # type: ignore[import-not-found]

    for volume in sorted((shared / "frus").glob("*.xml")):
        name = volume.stem
        rng = random.Random(f"speed-{name}")  # fixed, so every run converts the same text
        divs = [d for d in teigold.document_elements(str(volume)) if d.xpath("./t:head", namespaces=NS)]
        folder = out / "files" / name
        folder.mkdir(parents=True, exist_ok=True)
        whole: list[str] = []
        note_base = 1
        for k, div in enumerate(divs):
            p = render.pieces(div)
            if k % 2 == 0:
                text = render.render_wordexport(p, rng, note_base)
                note_base += len(p["notes"]) + (1 if p["source"] else 0)
            else:
                text = render.render_plain(p, rng, div.get("n"))
            (folder / f"{name}-{k:04d}.txt").write_text(text, encoding="utf-8")
            whole.append(render.render_plain(p, rng, div.get("n")))
        (out / "whole").mkdir(exist_ok=True)
        (out / "whole" / f"{name}.txt").write_text("\n\n".join(whole), encoding="utf-8")
        print(f"rendered {name}: {len(divs)} documents", file=sys.stderr)


# ---------------------------------------------------------------- measuring

def convert_in_process(files: list[Path]) -> tuple[int, list[float], float]:
    """Read and write TEI for each file: documents, per-file seconds, total seconds."""
    from despatch.readers import read_file
    from despatch.writers.tei import to_tei

    latencies = []
    documents = 0
    started = time.perf_counter()
    for path in files:
        t0 = time.perf_counter()
        docs = read_file(path)
        to_tei(docs)
        latencies.append(time.perf_counter() - t0)
        documents += len(docs)
    return documents, latencies, time.perf_counter() - started


def volume_worker(target: Path) -> None:
    """In a fresh process: convert a folder's files (or one file) and print documents, seconds, peak RSS."""
    files = sorted(target.glob("*.txt")) if target.is_dir() else [target]  # a folder, a text file, a TEI volume
    baseline = _rss_mb()
    documents, _, seconds = convert_in_process(files)
    print(json.dumps({"documents": documents, "seconds": seconds, "rss_mb": _rss_mb(), "baseline_mb": baseline}))


def fresh_process(target: Path) -> dict[str, float]:
    proc = subprocess.run([sys.executable, __file__, "--worker", str(target)], capture_output=True, text=True,
                          check=True)
    result: dict[str, float] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def writers_speed(files: list[Path]) -> dict[str, float]:
    from despatch.readers import read_file
    from despatch.writers.html import to_html
    from despatch.writers.json import to_json
    from despatch.writers.tei import to_tei

    parsed = [read_file(p) for p in files]
    count = sum(len(d) for d in parsed)
    rates = {}
    for name, writer in (("tei", to_tei), ("json", to_json), ("html", to_html)):
        writer(parsed[0])  # the first call builds adapters and templates
        t0 = time.perf_counter()
        for docs in parsed:
            writer(docs)
        rates[name] = count / (time.perf_counter() - t0)
    return rates


def driver_speed(files: list[Path], workers: int, scratch: Path) -> tuple[int, float]:
    """`run_conversion` as `despatch convert` uses it, writing TEI files to a folder under `scratch`."""
    from despatch.pipeline import Job, run_conversion

    # Beside the rendered input, so --keep on a fast disk measures despatch and not a slow /tmp
    # (on one test machine creating a file in /tmp took 0.5-0.8 ms, in /root 0.04 ms).
    with tempfile.TemporaryDirectory(dir=scratch) as out:
        jobs = [Job(p, Path(out) / p.parent.name / p.stem) for p in files]
        t0 = time.perf_counter()
        results = run_conversion(jobs, ("tei",), workers=workers)
        seconds = time.perf_counter() - t0
    failed = [r.error for r in results if r.error]
    if failed:
        print(f"  {len(failed)} files failed, e.g. {failed[0]}", file=sys.stderr)
    return sum(r.documents for r in results), seconds


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (../shared)")
    ap.add_argument("--keep", type=Path, help="render into this folder and reuse it on later runs")
    ap.add_argument("--profile", action="store_true", help="print a cProfile of the in-process conversion")
    ap.add_argument("--render", type=Path, help=argparse.SUPPRESS)  # child process: render into this folder
    ap.add_argument("--worker", type=Path, help=argparse.SUPPRESS)  # child process: convert and report
    args = ap.parse_args(argv)
    if args.render:
        render_volumes(args.shared.resolve(), args.render)
        return
    if args.worker:
        volume_worker(args.worker)
        return

    scratch = None
    if args.keep:
        data = args.keep
    else:
        scratch = tempfile.TemporaryDirectory(prefix="despatch-speed-")
        data = Path(scratch.name)
    if not (data / "whole").is_dir():
        t0 = time.perf_counter()
        subprocess.run([sys.executable, __file__, "--render", str(data), "--shared", str(args.shared)], check=True)
        print(f"rendering: {time.perf_counter() - t0:.1f} s (not counted)", file=sys.stderr)
    volumes = sorted(p for p in (data / "files").iterdir() if p.is_dir())
    files_by_volume = {v.name: sorted(v.glob("*.txt")) for v in volumes}
    every = [f for fs in files_by_volume.values() for f in fs]

    convert_in_process(every[:20])  # warm up: imports, data files, compiled patterns
    gc.collect()
    print(f"despatch speed: {len(every)} files from {len(volumes)} FRUS volumes, read + TEI, one core, "
          f"Python {sys.version.split()[0]}, {time.strftime('%Y-%m-%d')}")
    print()
    print(f"{'volume':<20} {'docs':>5} {'docs/s':>8} {'p50 ms':>7} {'p95 ms':>7} {'p99 ms':>7} "
          f"{'files RSS':>10} {'whole: docs':>11} {'s':>6} {'RSS':>7} {'TEI in: docs':>12} {'s':>6} {'RSS':>7}")
    all_latencies: list[float] = []
    total_docs = 0
    total_seconds = 0.0
    worst_rss = 0.0
    profiler = cProfile.Profile() if args.profile else None
    for name, files in files_by_volume.items():
        if profiler:
            profiler.enable()
        docs, latencies, seconds = convert_in_process(files)
        if profiler:
            profiler.disable()
        all_latencies += latencies
        total_docs += docs
        total_seconds += seconds
        per_files = fresh_process(data / "files" / name)
        whole = fresh_process(data / "whole" / f"{name}.txt")
        tei_in = fresh_process(args.shared / "frus" / f"{name}.xml")
        worst_rss = max(worst_rss, per_files["rss_mb"], whole["rss_mb"], tei_in["rss_mb"])
        ms = [x * 1000 for x in latencies]
        print(f"{name:<20} {docs:>5} {docs / seconds:>8.0f} {_percentile(ms, 50):>7.2f} {_percentile(ms, 95):>7.2f} "
              f"{_percentile(ms, 99):>7.2f} {per_files['rss_mb']:>7.0f} MB {whole['documents']:>11.0f} "
              f"{whole['seconds']:>6.2f} {whole['rss_mb']:>4.0f} MB {tei_in['documents']:>12.0f} "
              f"{tei_in['seconds']:>6.2f} {tei_in['rss_mb']:>4.0f} MB")
    ms = [x * 1000 for x in all_latencies]
    rate = total_docs / total_seconds
    print(f"{'all':<20} {total_docs:>5} {rate:>8.0f} {_percentile(ms, 50):>7.2f} {_percentile(ms, 95):>7.2f} "
          f"{_percentile(ms, 99):>7.2f}")
    print()
    print(f"mean latency {statistics.fmean(ms):.2f} ms, max {max(ms):.1f} ms")
    print(f"peak RSS of this process after all {total_docs} documents: {_rss_mb():.0f} MB")
    print(f"peak RSS of a fresh process per volume (worst of its files, the whole volume as one text file, "
          f"the FRUS TEI volume read back): {worst_rss:.0f} MB")
    baseline = fresh_process(every[0])
    print(f"  (a fresh process converting one file: {baseline['rss_mb']:.0f} MB, interpreter and imports included)")

    rates = writers_speed(every)
    print("writers alone: " + ", ".join(f"{k} {v:,.0f} docs/s" for k, v in rates.items()))
    one_docs, one_s = driver_speed(every, 1, data)
    two_docs, two_s = driver_speed(every, 2, data)
    print(f"run_conversion writing files: 1 process {one_docs / one_s:.0f} docs/s, "
          f"--jobs 2 {two_docs / two_s:.0f} docs/s ({os.cpu_count()} cores)")
    print()
    print(f"target >= {TARGET_RATE:.0f} docs/s per core: {'met' if rate >= TARGET_RATE else 'NOT met'} ({rate:.0f}); "
          f"peak < {TARGET_RSS_MB:.0f} MB per volume: {'met' if worst_rss < TARGET_RSS_MB else 'NOT met'} "
          f"({worst_rss:.0f} MB)")
    if profiler:
        print()
        stats = pstats.Stats(profiler).strip_dirs().sort_stats("tottime")
        stats.print_stats(25)
    if scratch:
        scratch.cleanup()


if __name__ == "__main__":
    main()
