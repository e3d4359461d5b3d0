"""How fast an ingest runs on a Dask cluster of 1 and 2 local workers, and how much memory each part needs.

    python benchmarks/distributed_speed.py [--shared ../shared] [--keep DIR] [--repeat 1]

Renders every document of the five FRUS volumes into its own text file
(`convert_speed.py`'s renderer, in a child process: about 2,400 files, half
Word exports and half plain transcriptions), then ingests them with
annotation, as `despatch ingest --scheduler URL` does, on a `LocalCluster` of
1 and of 2 worker processes of one thread each (and on this process alone,
`LocalExecutor`, for comparison):

- *conversion*: into a store that keeps nothing, so the figure is the
  workers' reading, annotating and row-making (both passes), not a database;
- *ingest*: into a fresh SQLite corpus, the whole `despatch ingest`.

Each run is a fresh client process (the cluster is started here, so the
scheduler's memory is not the client's); it reports documents/s, the
client's peak RSS and each worker's peak RSS (each run has a cluster of its
own, so the peaks are its own). Then the client's peak RSS on a tenth of
the files and on all of them, storing nothing, shows that it does not grow
with the input.
"""
from __future__ import annotations

import argparse
import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


class DiscardingStore:
    """The store calls an ingest makes, keeping nothing: the cost of conversion alone."""

    def __init__(self) -> None:
        from despatch.annotate.context import Knowledge

        self.known = Knowledge()

    def files(self) -> dict:
        return {}

    def knowledge(self) -> object:
        return self.known

    def learn(self, knowledge: object) -> None:
        self.known.merge(knowledge)  # type: ignore[arg-type]

    def curation(self) -> object:
        from despatch.annotate.index import Curation

        return Curation()

    def store(self, files: list) -> list[None]:
        return [None] * len(files)

    def remove(self, paths: object) -> int:
        return 0


def run_client(scheduler: str, store_kind: str, folder: Path, files: int, db: Path) -> None:
    """In a fresh process: ingest `files` files of `folder` (all when 0) and print what it took, as JSON."""
    from despatch.corpus import open_store
    from despatch.corpus.ingest import Executor, LocalExecutor, ingest

    every = sorted(p for p in folder.rglob("*.txt"))
    inputs = every[:files] if files else every
    store = DiscardingStore() if store_kind == "discard" else open_store(str(db))
    started = time.perf_counter()
    if scheduler == "local":
        executor: Executor = LocalExecutor(1)
        report = ingest(store, inputs, annotate=True, executor=executor)  # type: ignore[arg-type]
    else:
        from distributed import Client

        from despatch.corpus.distributed import DaskExecutor

        with Client(scheduler) as client:
            report = ingest(store, inputs, annotate=True, executor=DaskExecutor(client))  # type: ignore[arg-type]
    seconds = time.perf_counter() - started
    assert not report.failures, report.failures[:3]
    print(json.dumps({"files": report.files_added, "documents": report.documents, "seconds": seconds,
                      "client_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(scheduler: str, store_kind: str, folder: Path, scratch: Path, files: int = 0) -> dict:
    db = scratch / f"bench-{time.monotonic_ns()}.sqlite"
    run = subprocess.run([sys.executable, __file__, "--client", scheduler, store_kind, str(folder), str(files),
                          str(db)], capture_output=True, text=True, check=False)
    if run.returncode:
        raise SystemExit(run.stderr)
    db.unlink(missing_ok=True)
    for extra in ("-wal", "-shm"):
        Path(str(db) + extra).unlink(missing_ok=True)
    result: dict = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (../shared)")
    ap.add_argument("--keep", type=Path, help="render into this folder and reuse it on later runs")
    ap.add_argument("--repeat", type=int, default=1, help="runs of each measure; the best is reported")
    ap.add_argument("--client", nargs=5, help=argparse.SUPPRESS)  # child process: one client run
    args = ap.parse_args(argv)
    if args.client:
        scheduler, store_kind, folder, files, db = args.client
        run_client(scheduler, store_kind, Path(folder), int(files), Path(db))
        return

    from despatch.corpus.distributed import cluster_client

    with tempfile.TemporaryDirectory(prefix="despatch-dist-") as tmp:
        data = args.keep or Path(tmp)
        if not (data / "files").is_dir():
            t0 = time.perf_counter()
            subprocess.run([sys.executable, str(ROOT / "benchmarks" / "convert_speed.py"), "--render", str(data),
                            "--shared", str(args.shared)], check=True)
            print(f"rendering: {time.perf_counter() - t0:.1f} s (not counted)", file=sys.stderr)
        folder = data / "files"
        count = len(list(folder.rglob("*.txt")))
        print(f"despatch on Dask: {count} files of 5 FRUS volumes, annotated; Python {sys.version.split()[0]}, "
              f"{time.strftime('%Y-%m-%d')}")
        print()
        print(f"{'where':<22} {'store':<8} {'docs':>5} {'s':>6} {'docs/s':>7} {'client MB':>9}  worker MB")

        def report(label: str, store_kind: str, result: dict, workers_mb: list[float]) -> None:
            rate = result["documents"] / result["seconds"]
            print(f"{label:<22} {store_kind:<8} {result['documents']:>5} {result['seconds']:>6.1f} {rate:>7.0f} "
                  f"{result['client_mb']:>9.0f}  {' / '.join(f'{m:.0f}' for m in workers_mb) or '-'}")

        scratch = Path(tmp)
        for store_kind in ("discard", "sqlite"):
            best = min((measure("local", store_kind, folder, scratch) for _ in range(args.repeat)),
                       key=lambda r: r["seconds"])
            report("this process", store_kind, best, [])
        for workers in (1, 2):
            for store_kind in ("discard", "sqlite"):
                runs = []
                for _ in range(args.repeat):
                    # A fresh cluster, started as `--cluster local:N` starts it: the workers' peaks are this run's.
                    with cluster_client(f"local:{workers}") as client:
                        result = measure(client.scheduler.address, store_kind, folder, scratch)
                        runs.append((result, sorted(client.run(_peak_mb).values())))
                result, peaks_mb = min(runs, key=lambda r: r[0]["seconds"])
                report(f"Dask, {workers} worker{'s' if workers > 1 else ''}", store_kind, result, peaks_mb)
        with cluster_client("local:2") as client:
            tenth = measure(client.scheduler.address, "discard", folder, scratch, files=count // 10)
            whole = measure(client.scheduler.address, "discard", folder, scratch)
        print()
        print(f"client peak RSS storing nothing, 2 workers: {tenth['files']} files {tenth['client_mb']:.0f} MB, "
              f"{whole['files']} files {whole['client_mb']:.0f} MB")


if __name__ == "__main__":
    main()
