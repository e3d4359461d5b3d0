"""Ingest on a Dask cluster: the corpus one process makes, whatever happens to the workers.

One local cluster of two worker processes serves the module. It ingests the
dev set's chapters and plain transcriptions and the founding telegram, and the
corpus must be the one a local ingest makes: the same documents in the same
order, the same index, the same facet counts. A worker is killed with SIGKILL
while it holds tasks (once the first file is stored), and the run must still
store every document exactly once; a file that kills every worker that reads
it fails alone, with one line. The client keeps a bounded window of tasks, so
its memory does not grow with the number of files. `despatch ingest
--scheduler` drives a cluster started here.
"""
from __future__ import annotations

import json
import logging
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import dask
import pytest
from distributed import Client, LocalCluster, WorkerPlugin

from conftest import DESPATCH, despatch
from corpus.conftest import NewCorpus
from corpus.support import DEV, EXAMPLE, assert_index_exact, snapshot
from despatch.corpus import Corpus, CorpusStore, SearchQuery, open_corpus, open_store
from despatch.corpus.api import IngestReport
from despatch.corpus.distributed import OUTSTANDING_PER_THREAD, DaskExecutor, cluster_client
from despatch.corpus.ingest import ingest

INPUTS = [DEV / "chapter", DEV / "plain", EXAMPLE]
PLAIN = sorted((DEV / "plain").glob("*.txt"))
# A search of everything, of a word, of two words and of a person: totals, order, facets, histogram.
QUERIES = ["", "treaty", "minister government", "Harriman"]
WORKERS = 2


@pytest.fixture(scope="module")
def client() -> Iterator[Client]:
    """A client of a cluster of two worker processes, started the way `--cluster local:2` starts it."""
    with cluster_client(f"local:{WORKERS}") as started:
        yield started


def searches(corpus: Corpus) -> list[tuple]:
    """What a reader's searches show: totals, documents in order, facet counts, histogram."""
    shown = []
    for text in QUERIES:
        result = corpus.search(SearchQuery(text=text, limit=100))
        shown.append((result.total, [h.doc_id for h in result.hits], result.facets, result.histogram))
    return shown


def local_reference(new_corpus_url: NewCorpus, inputs: list[Path],
                    annotate: bool = True) -> tuple[IngestReport, dict, list]:
    """`inputs` ingested on this process into a corpus of its own: the report, the snapshot, the searches."""
    store = open_store(new_corpus_url("local"))
    try:
        report = ingest(store, inputs, annotate=annotate)
        return report, snapshot(store), searches(store)
    finally:
        store.close()


def _copy(files: list[Path], folder: Path, names: list[str] | None = None) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    names = names or [f.name for f in files]
    return [Path(shutil.copy(f, folder / name)) for f, name in zip(files, names, strict=True)]


def test_a_cluster_makes_the_corpus_one_process_makes(client: Client, store: CorpusStore,
                                                       new_corpus_url: NewCorpus) -> None:
    expected_report, expected, expected_searches = local_reference(new_corpus_url, INPUTS)
    executor = DaskExecutor(client)
    report = ingest(store, INPUTS, annotate=True, executor=executor)
    assert report == expected_report and report.files_added > 150 and not report.failures
    assert snapshot(store) == expected
    assert searches(store) == expected_searches
    assert_index_exact(store)
    assert executor.stats.tasks > WORKERS  # the work was spread, not sent as one task
    # Incremental as a local ingest: nothing changed, nothing converted.
    again = ingest(store, INPUTS, annotate=True, executor=DaskExecutor(client))
    assert (again.files_unchanged, again.files_added, again.documents) == (report.files_added, 0, 0)


def test_files_are_stored_in_the_order_found(client: Client, store: CorpusStore, new_corpus_url: NewCorpus,
                                             tmp_path: Path) -> None:
    # The same documents as plain transcriptions and as Word exports: the first found keeps each id,
    # on a cluster as on one process, however the tasks happen to finish.
    both = [p for p in PLAIN if (DEV / "wordexport" / p.name).exists()][:24]
    _copy(both, tmp_path / "a-plain")
    _copy([DEV / "wordexport" / p.name for p in both], tmp_path / "b-wordexport")
    inputs = [tmp_path / "a-plain", tmp_path / "b-wordexport"]
    expected_report, expected, _ = local_reference(new_corpus_url, inputs, annotate=False)
    report = ingest(store, inputs, annotate=False, executor=DaskExecutor(client, batch_files=3))
    assert len(report.failures) == len(both) and report.files_added == len(both)
    assert report == expected_report
    assert snapshot(store) == expected


def test_update_and_prune_on_a_cluster(client: Client, store: CorpusStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = _copy(PLAIN[:8], folder)
    assert ingest(store, [folder], executor=DaskExecutor(client)).files_added == 8
    files[0].write_bytes(PLAIN[9].read_bytes())  # new content under the same name
    files[1].unlink()
    report = ingest(store, [folder], prune=True, executor=DaskExecutor(client))
    assert (report.files_unchanged, report.files_replaced, report.files_removed) == (6, 1, 1)
    assert store.count() == 7 and store.document(files[1].stem) is None
    assert_index_exact(store)


def _tasks_on_scheduler(client: Client) -> int:
    return int(client.run_on_scheduler(lambda dask_scheduler: len(dask_scheduler.tasks)))


def _suspicious(client: Client) -> int:
    """How many times a task of an ingest was running on a worker that died, since the cluster started."""
    def count(dask_scheduler: object) -> int:
        prefix = dask_scheduler.task_prefixes.get("prepare_batch")  # type: ignore[attr-defined]
        return prefix.suspicious if prefix is not None else 0

    return int(client.run_on_scheduler(count))


def test_a_worker_killed_mid_run_loses_nothing(client: Client, store: CorpusStore,
                                               new_corpus_url: NewCorpus) -> None:
    expected_report, expected, _ = local_reference(new_corpus_url, INPUTS)
    pids = client.run(os.getpid)  # worker address -> its process
    before = _suspicious(client)
    stored = threading.Event()
    killed: list[int] = []

    def kill_a_busy_worker() -> None:
        # Once the first files are stored, at the first moment a worker holds a task. (Not from the
        # progress callback: while the store writes, the window may be all done and the workers idle.)
        if not stored.wait(timeout=120):
            return
        deadline = time.monotonic() + 120
        while not killed and time.monotonic() < deadline:
            busy = [address for address, keys in client.processing().items() if keys]
            if busy:
                killed.append(pids[busy[0]])
                os.kill(killed[0], signal.SIGKILL)
            else:
                time.sleep(0.005)  # a poll interval, not a wait for something to happen

    killer = threading.Thread(target=kill_a_busy_worker)
    killer.start()
    try:
        # Small batches: many tasks, so the kill falls in the middle of the run.
        report = ingest(store, INPUTS, annotate=True, executor=DaskExecutor(client, batch_files=4),
                        progress=lambda outcome: stored.set())
    finally:
        stored.set()
        killer.join()
    assert killed, "no worker held a task while files were stored"
    assert _suspicious(client) > before  # the killed worker held tasks, and they were run again elsewhere
    assert report == expected_report and not report.failures
    assert snapshot(store) == expected  # every document, exactly once
    assert_index_exact(store)
    client.wait_for_workers(WORKERS, timeout=120)  # the nanny starts a worker in place of the dead one
    assert killed[0] not in client.run(os.getpid).values()


class DiesOnPoison(WorkerPlugin):
    """Kills the worker process, as a crash in C code would, whenever it prepares a file named poison*."""

    def setup(self, worker: object) -> None:
        from despatch.corpus import distributed

        real = distributed.prepare_file

        def prepare_or_die(path: Path, *args: object, **kwargs: object) -> object:
            if path.name.startswith("poison"):
                os._exit(70)
            return real(path, *args, **kwargs)  # type: ignore[arg-type]

        distributed.prepare_file = prepare_or_die  # type: ignore[assignment]


def test_a_file_that_kills_every_worker_fails_alone(store: CorpusStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    names = [p.name for p in PLAIN[:3]] + ["poison.txt"] + [p.name for p in PLAIN[4:7]]
    _copy(PLAIN[:7], folder, names)
    # A cluster of its own: a task fails on the first death of its worker, and each worker holds one task,
    # so only the poisoned file's own tasks die with it (on a bigger window, others would be retried too).
    settings = {"distributed.scheduler.allowed-failures": 0, "distributed.scheduler.worker-saturation": 1.0}
    with dask.config.set(settings), LocalCluster(n_workers=WORKERS, threads_per_worker=1, processes=True,
                                                 dashboard_address="127.0.0.1:0",
                                                 silence_logs=logging.CRITICAL) as cluster, Client(cluster) as c:
        c.register_plugin(DiesOnPoison(), name="dies-on-poison")
        executor = DaskExecutor(c, batch_files=4)
        report = ingest(store, [folder], annotate=False, executor=executor)
    assert report.failures == [f"{folder / 'poison.txt'}: internal error: every worker that read it died (KilledWorker)"]
    assert report.files_added == 6 and store.count() == 6
    assert executor.stats.split == 1 and executor.stats.resubmitted == 1


def test_the_window_bounds_the_tasks_on_the_cluster(client: Client, store: CorpusStore, tmp_path: Path) -> None:
    files = [PLAIN[k % len(PLAIN)] for k in range(120)]
    _copy(files, tmp_path / "in", [f"{k:03d}-{f.name}" for k, f in enumerate(files)])
    held: list[int] = []
    executor = DaskExecutor(client, batch_files=2)
    report = ingest(store, [tmp_path / "in"], annotate=False, executor=executor,
                    progress=lambda _: held.append(_tasks_on_scheduler(client)))
    assert report.files_added == 120 and store.count() == 120
    window = WORKERS * OUTSTANDING_PER_THREAD
    assert executor.stats.tasks == 60
    assert executor.stats.peak_outstanding == window and executor.stats.peak_files == 2 * window
    assert max(held) <= window  # what the scheduler itself holds, not only what the client counts


# A client process ingesting a folder on the cluster at argv[1] into a store that keeps nothing,
# so its peak RSS is the executor's and the planner's, not a database's page cache; it prints
# its peak RSS and how many bytes of document data passed through it.
MEMORY_DRIVER = r"""
import json, pickle, resource, sys
from pathlib import Path
from distributed import Client
from despatch.annotate.context import Knowledge
from despatch.annotate.index import Curation
from despatch.corpus.distributed import DaskExecutor
from despatch.corpus.ingest import ingest

class DiscardingStore:
    passed = 0
    def files(self): return {}
    def knowledge(self): return Knowledge()
    def learn(self, knowledge): pass
    def curation(self): return Curation()
    def remove(self, paths): return 0
    def store(self, files):
        self.passed += sum(len(pickle.dumps(f)) for f in files)  # what came from the workers
        return [None] * len(files)

store = DiscardingStore()
with Client(sys.argv[1]) as client:
    report = ingest(store, [Path(sys.argv[2])], annotate=False, executor=DaskExecutor(client, batch_files=8))
assert not report.failures, report.failures
print(json.dumps({"files": report.files_added, "passed": store.passed,
                  "rss": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024}))
"""


def _client_memory(scheduler: str, folder: Path) -> dict[str, int]:
    run = subprocess.run([sys.executable, "-c", MEMORY_DRIVER, scheduler, str(folder)], capture_output=True,
                         text=True, timeout=600, check=False)
    assert run.returncode == 0, run.stderr
    result: dict[str, int] = json.loads(run.stdout.strip().splitlines()[-1])
    return result


def test_client_memory_does_not_grow_with_the_files(client: Client, tmp_path: Path) -> None:
    scheduler = client.scheduler.address
    runs = {}
    for count in (300, 3000):
        files = [PLAIN[k % len(PLAIN)] for k in range(count)]
        folder = tmp_path / str(count)
        _copy(files, folder, [f"{k:04d}-{f.name}" for k, f in enumerate(files)])
        runs[count] = _client_memory(scheduler, folder)
        assert runs[count]["files"] == count
    small, large = runs[300], runs[3000]
    grown = large["rss"] - small["rss"]
    # Ten times the files put ten times the rows through the client (16 MB more, pickled)...
    assert large["passed"] - small["passed"] > 12 << 20
    # ...and its peak grows by a small part of that: the per-file bookkeeping of the plan (a path,
    # a hash) and the allocator's noise, not the rows, which it holds a window at a time.
    assert grown < (large["passed"] - small["passed"]) / 4, runs


def test_the_scheduler_option(client: Client, tmp_path: Path) -> None:
    scheduler = client.scheduler.address
    folder = tmp_path / "in"
    _copy(PLAIN[:10], folder)
    args = [folder, EXAMPLE]
    local = despatch("ingest", *args, "--db", tmp_path / "local.sqlite")
    run = despatch("ingest", *args, "--db", tmp_path / "cluster.sqlite", "--scheduler", scheduler)
    assert run.code == 0, run.stderr
    # The summary of a local ingest, line for line, but for the time taken.
    assert [line for line in run.stderr.splitlines() if not line.startswith("time")] == [
        line for line in local.stderr.splitlines() if not line.startswith("time")]
    assert "added       11" in run.stderr.splitlines() and "failures    0" in run.stderr.splitlines()
    corpora = [open_corpus(str(tmp_path / name)) for name in ("local.sqlite", "cluster.sqlite")]
    try:
        assert snapshot(corpora[0]) == snapshot(corpora[1])
    finally:
        for corpus in corpora:
            corpus.close()
    again = despatch("ingest", *args, "--db", tmp_path / "cluster.sqlite", "--scheduler", scheduler)
    assert again.code == 0 and "unchanged   11" in again.stderr.splitlines()


def test_two_ingests_share_a_cluster(client: Client, tmp_path: Path) -> None:
    # Each run's knowledge and curation reach the workers under the run's own name (`RunSetup`),
    # so two ingests at once, each learning other names, make the corpora they make alone.
    inputs = {"chapters": [DEV / "chapter"], "plain": [*PLAIN[:40], EXAMPLE]}
    runs = {name: subprocess.Popen([str(DESPATCH), "ingest", *map(str, paths), "--db", str(tmp_path / f"{name}.sqlite"),
                                    "--scheduler", client.scheduler.address, "--quiet"],
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            for name, paths in inputs.items()}
    for name, run in runs.items():
        _, stderr = run.communicate(timeout=600)
        assert run.returncode == 0, stderr
    for name, paths in inputs.items():
        alone = open_store(str(tmp_path / f"{name}-alone.sqlite"))
        shared = open_corpus(str(tmp_path / f"{name}.sqlite"))
        try:
            ingest(alone, paths, annotate=True)
            assert snapshot(shared) == snapshot(alone)
        finally:
            alone.close()
            shared.close()


def test_cluster_options_are_checked_before_anything_starts(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    for args, message in [
        (["--cluster", "local:0"], "--cluster local:0: N must be a whole number of workers, at least 1"),
        (["--cluster", "yarn:4"], "--cluster yarn:4: expected local:N (for a running cluster, use --scheduler URL)"),
        (["--cluster", "local:2", "--scheduler", "tcp://127.0.0.1:8786"], "--cluster and --scheduler: choose one"),
        (["--cluster", "local:2", "--jobs", "2"],
         "--jobs runs processes on this machine; with --cluster or --scheduler, leave it out"),
    ]:
        run = despatch("ingest", EXAMPLE, "--db", db, *args)
        assert (run.code, run.stderr.strip()) == (2, message)
    assert not db.exists()
