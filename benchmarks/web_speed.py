"""How fast the web app serves document pages: latency under 20 concurrent clients on loopback.

    python benchmarks/web_speed.py [--shared ../shared] [--db FILE] [--workers N] [--clients 20]
                                   [--seconds 20] [--client wrk|threads] [--path document|api|search]

Ingests the five FRUS volumes (../shared/frus/*.xml, about 2,600 documents,
read by the TEI reader, annotated) with the real `despatch ingest` into
`--db` (kept and reused on the next run if it is there), starts the real
`despatch serve --workers N` (default: one per core) on a free port of
127.0.0.1 as its own process, and then keeps `--clients` connections busy for
`--seconds`, each asking for the page of one document after another, all
over the corpus in a fixed shuffled order, with no pause between requests
(a closed loop: the latency includes the wait behind the other clients).

The load comes from `wrk` (Debian package wrk) when it is installed: it is
written in C and takes little CPU from the server on a small machine. Without
it (or with `--client threads`), from Python threads with one keep-alive
httpx2 connection each, which take a core's worth of CPU from the server, so
their figures are an upper bound on what browsers would see.

Reports requests per second and latency (p50, p95, p99, max), first for one
client alone, then for `--clients`; every answer must be a 200.
Target (issue 4): p95 <= 100 ms for document pages under 20 clients.
`--path api` measures `/api/documents/ID` instead, `--path search` a
two-word search with a facet.
"""
from __future__ import annotations

import argparse
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import httpx2

ROOT = Path(__file__).resolve().parent.parent
DESPATCH = Path(sys.executable).with_name("despatch")
TARGET_P95_MS = 100.0
WARM_UP = 200  # requests before measuring: the server's first pages pay for imports and cold caches
# wrk asks for the paths of a file in turn (each connection starting at its own place) and prints
# its latency percentiles on one line this script reads back.
WRK_SCRIPT = r"""
local paths = {}
for line in io.lines(os.getenv("DESPATCH_PATHS")) do paths[#paths + 1] = line end
local threads = 0
setup = function(thread)
  threads = threads + 1
  thread:set("id", threads)
end
n = 0
init = function(args)
  n = (id * 997) % #paths  -- each wrk thread starts at its own place in the list
end
request = function()
  n = n % #paths + 1
  return wrk.format("GET", paths[n])
end
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format("WRK %d %f %f %f %f %f %f %d %d\n", summary.requests, summary.duration / 1e6,
    latency:percentile(50) / 1000, latency:percentile(95) / 1000, latency:percentile(99) / 1000,
    latency.max / 1000, latency.mean / 1000, e.status, e.connect + e.read + e.write + e.timeout))
end
"""


def _percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return 0.0
    k = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[k]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def ingest(shared: Path, db: Path) -> None:
    volumes = sorted((shared / "frus").glob("*.xml"))
    if not volumes:
        sys.exit(f"no FRUS volumes in {shared / 'frus'}")
    print(f"ingesting {len(volumes)} volumes into {db} ...", flush=True)
    started = time.perf_counter()
    subprocess.run([str(DESPATCH), "ingest", *map(str, volumes), "--db", str(db), "--jobs", "0", "--quiet"],
                   check=True)
    print(f"  ingested in {time.perf_counter() - started:.0f} s ({db.stat().st_size / 1e6:.0f} MB)", flush=True)


def document_ids(db: Path) -> list[str]:
    from despatch.corpus import SearchQuery, open_corpus

    corpus = open_corpus(str(db))
    try:
        total = corpus.count()
        ids: list[str] = []
        for offset in range(0, min(total, 10_000), 100):
            ids += [h.doc_id for h in corpus.search(SearchQuery(sort="date", limit=100, offset=offset)).hits]
        return ids
    finally:
        corpus.close()


def start_server(db: Path, workers: int) -> tuple[subprocess.Popen[bytes], str]:
    port = _free_port()
    proc = subprocess.Popen([str(DESPATCH), "serve", "--db", str(db), "--port", str(port), "--workers", str(workers)],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            sys.exit(f"despatch serve exited: {proc.stderr.read().decode() if proc.stderr else ''}")
        try:
            if httpx2.get(base + "/api", timeout=2).status_code == 200:
                return proc, base
        except httpx2.TransportError:
            time.sleep(0.1)  # not listening yet; ask again
    proc.kill()
    sys.exit("despatch serve did not answer within 60 s")


def urls_for(path: str, ids: list[str], seed: int) -> list[str]:
    """Every document once, in a shuffled order (or as many searches)."""
    rng = random.Random(seed)
    if path == "search":
        words = ["treaty", "railway", "loan", "minister", "customs", "boundary", "legation", "indemnity"]
        return [f"/?q={rng.choice(words)}+{rng.choice(words)}&channel=telegram" for _ in ids]
    prefix = "/api/documents/" if path == "api" else "/documents/"
    shuffled = list(ids)
    rng.shuffle(shuffled)
    return [prefix + quote(i, safe="") for i in shuffled]


@dataclass
class Figures:
    requests: int
    seconds: float
    p50: float
    p95: float
    p99: float
    max: float
    mean: float
    failures: int

    def line(self, label: str) -> str:
        return (f"{label}: {self.requests} requests in {self.seconds:.1f} s = {self.requests / self.seconds:.0f} req/s; "
                f"latency p50 {self.p50:.1f} ms, p95 {self.p95:.1f} ms, p99 {self.p99:.1f} ms, max {self.max:.1f} ms, "
                f"mean {self.mean:.1f} ms; failures {self.failures}")


def run_wrk(base: str, urls: list[str], clients: int, seconds: float) -> Figures:
    with tempfile.TemporaryDirectory() as tmp:
        paths = Path(tmp) / "paths.txt"
        paths.write_text("\n".join(urls) + "\n", encoding="utf-8")
        script = Path(tmp) / "paths.lua"
        script.write_text(WRK_SCRIPT, encoding="utf-8")
        threads = max(1, min(clients, 2))
        out = subprocess.run(["wrk", f"-t{threads}", f"-c{clients}", f"-d{seconds:.0f}s", "-s", str(script), base],
                             capture_output=True, text=True, check=True, env={**os.environ, "DESPATCH_PATHS": str(paths)})
    m = re.search(r"^WRK (.*)$", out.stdout, re.MULTILINE)
    if not m:
        sys.exit(f"wrk printed no figures:\n{out.stdout}\n{out.stderr}")
    n, secs, p50, p95, p99, top, mean, status, errors = m[1].split()
    return Figures(int(n), float(secs), float(p50), float(p95), float(p99), float(top), float(mean),
                   int(status) + int(errors))


def run_threads(base: str, urls: list[str], clients: int, seconds: float) -> Figures:
    """Client threads in this process, each with a keep-alive connection, until `seconds` have passed."""
    latencies: list[float] = []
    failures = 0
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds
    queue = iter(urls * (1 + int(seconds * 2000) // max(len(urls), 1)))

    def client() -> None:
        nonlocal failures
        mine: list[float] = []
        bad = 0
        with httpx2.Client(base_url=base, timeout=30) as http:
            while True:
                with lock:
                    url = next(queue, None)
                if url is None or time.perf_counter() > deadline:
                    break
                t0 = time.perf_counter()
                r = http.get(url)
                body = r.content
                mine.append((time.perf_counter() - t0) * 1000)
                if r.status_code != 200 or not body:
                    bad += 1
        with lock:
            latencies.extend(mine)
            failures += bad

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    return Figures(len(latencies), wall, _percentile(latencies, 50), _percentile(latencies, 95),
                   _percentile(latencies, 99), max(latencies), statistics.fmean(latencies), failures)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--shared", type=Path, default=ROOT.parent / "shared")
    parser.add_argument("--db", type=Path, default=Path(tempfile.gettempdir()) / "despatch-web-speed.sqlite",
                        help="the corpus file; made by ingesting the FRUS volumes if it is not there")
    parser.add_argument("--workers", type=int, default=os.cpu_count() or 1, help="server processes")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--client", choices=("wrk", "threads"), default="wrk" if shutil.which("wrk") else "threads")
    parser.add_argument("--path", choices=("document", "api", "search"), default="document")
    parser.add_argument("--seed", type=int, default=1944)
    args = parser.parse_args()

    if not args.db.exists():
        ingest(args.shared, args.db)
    ids = document_ids(args.db)
    run = run_wrk if args.client == "wrk" else run_threads
    print(f"corpus: {len(ids)} documents in {args.db}; {os.cpu_count()} cores; server: despatch serve "
          f"--workers {args.workers}; load: {args.client}; Python {sys.version.split()[0]}", flush=True)
    proc, base = start_server(args.db, args.workers)
    try:
        urls = urls_for(args.path, ids, args.seed)
        run_threads(base, urls[:WARM_UP], min(args.clients, 4), 30.0)
        print(run(base, urls, 1, min(args.seconds, 10.0)).line(f"{args.path} pages, 1 client"), flush=True)
        figures = run(base, urls, args.clients, args.seconds)
        print(figures.line(f"{args.path} pages, {args.clients} clients"), flush=True)
        verdict = "meets" if figures.p95 <= TARGET_P95_MS and not figures.failures else "misses"
        print(f"p95 {figures.p95:.1f} ms {verdict} the target of {TARGET_P95_MS:.0f} ms", flush=True)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
