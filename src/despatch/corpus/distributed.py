"""Ingest on a Dask cluster: `despatch ingest ... --cluster local:N` or `--scheduler tcp://HOST:PORT`.

`DaskExecutor` is the `ingest.Executor` of a `dask.distributed` cluster. The
planning (hashing, skipping unchanged files), the storing and the pruning are
`corpus.ingest`'s own, so an ingest on a cluster is incremental exactly as a
local one; only where files are read, annotated and made rows changes. Both
passes run on the cluster: the first returns each batch's `Knowledge`, which
this process merges in the order of the files; the second reads, annotates
and prepares a batch of files per task (`ingest.prepare_file`) and returns the
rows.

**The client is the only writer.** Workers never open the store: they send
their rows back, and only the process running `despatch ingest` writes, in
batches of one transaction each, exactly as a local ingest does. Because:

- the store may be a SQLite file on the client's disk, which a worker on
  another machine cannot reach and which takes one writer at a time anyway;
- one writer stores the files in the order they were found, which is what
  makes a cluster's corpus the same as one process's: the order decides the
  documents' numbers, which of two files claiming one document id keeps it,
  and how index entries merge;
- a worker that dies has written nothing, so nothing is half stored: its
  tasks are simply run again, and the crash guarantees of a local ingest
  (every committed batch kept, the next run doing the rest) hold unchanged.

The price is that the client's writes bound the rate of the whole cluster:
on the project's VM the store alone takes about 1,000 annotated FRUS
documents/s into SQLite and 200 into PostgreSQL. Past that, run several
ingests, each on its own part of the input, into one PostgreSQL corpus: they
can share one cluster (see `RunSetup`).

**Memory stays bounded.** Files go out in batches of at most
`BATCH_FILES` files and about `BATCH_BYTES` bytes, never all at once: at most
`IN_FLIGHT_PER_THREAD` batches per worker thread are computing or queued, and
at most `OUTSTANDING_PER_THREAD` are submitted and not yet stored (results
that finish early wait on their worker, not here, until their turn comes), so
the client holds a few batches of rows however many files there are.

**A worker that dies loses nothing.** Dask runs the tasks of a lost worker
again elsewhere, those it was running and those whose results it held for
their turn (and `LocalCluster`'s nanny starts a new worker). A task that
raises is retried `RETRIES` times. A batch whose workers died too often
(`KilledWorker`: perhaps one file that crashes the reader in C code, or eats
all memory) is split into one task per file; a file that kills workers on its
own is tried `RESUBMITS` more times and then reported failed with one line,
so every other file of the batch is stored.

Workers read each file by its absolute path (tasks carry paths, not bytes):
on a cluster of several machines the inputs must be mounted at the same path
on every worker. Workers must run this version of despatch.
"""
from __future__ import annotations

import logging
import os
import uuid
from collections import deque
from collections.abc import Callable, Generator, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from typing import Any

import dask
from distributed import Client, Future, KilledWorker, LocalCluster, WorkerPlugin, wait

from despatch.annotate.context import Knowledge
from despatch.annotate.index import Curation
from despatch.corpus.ingest import FailedFile, Prepared, Todo, batched, learn_files, prepare_file
from despatch.corpus.prepare import PreparedFile
from despatch.pipeline import one_line

BATCH_FILES = 16  # files per task: a task costs the scheduler ~1 ms, a file ~5 ms to annotate
BATCH_BYTES = 2 << 20  # and about this much input per task, so a task's rows stay a few megabytes
IN_FLIGHT_PER_THREAD = 2  # tasks computing or queued: the next one is on the worker when the last finishes
OUTSTANDING_PER_THREAD = 4  # tasks submitted and not yet handed on: a slow batch does not idle the others
RETRIES = 2  # a task that raises (not a file that fails: that is a FailedFile) is run again this often
RESUBMITS = 1  # a file that kills its worker on its own is submitted again this often before it fails
CONNECT_TIMEOUT = "30s"
WORKERS_TIMEOUT = 120.0  # seconds to wait for the first worker of a scheduler that has none


class ClusterError(RuntimeError):
    """A cluster that cannot be started or reached; `str()` is the one line the CLI prints."""


def local_workers(spec: str) -> int:
    """The number of workers in `--cluster local:N` (`local` alone: one per core)."""
    kind, _, count = spec.partition(":")
    if kind != "local":
        raise ClusterError(f"--cluster {spec}: expected local:N (for a running cluster, use --scheduler URL)")
    if not count:
        return os.cpu_count() or 1
    if not count.isdigit() or int(count) < 1:
        raise ClusterError(f"--cluster {spec}: N must be a whole number of workers, at least 1")
    return int(count)


@contextmanager
def cluster_client(cluster: str | None = None, scheduler: str | None = None) -> Iterator[Client]:
    """A client of a new local cluster (`cluster` "local:N") or of the running scheduler at `scheduler`."""
    if scheduler is not None:
        try:
            client = Client(scheduler, timeout=CONNECT_TIMEOUT)
        except (OSError, TimeoutError) as exc:
            raise ClusterError(f"{scheduler}: cannot reach the scheduler: {exc}") from None
        with client:
            yield client
        return
    workers = local_workers(cluster or "local")
    # One thread per worker: annotation is pure Python, so a second thread would only wait for the GIL.
    # Logs below ERROR (a worker restarted, a task retried) stay quiet: the summary says what matters.
    # The workers' statistical profiler samples the running task's stack every 10 ms for a dashboard
    # nobody looks at here, at a cost in CPU to every task.
    with dask.config.set({"distributed.worker.profile.enabled": False}):
        local = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                             dashboard_address="127.0.0.1:0", silence_logs=logging.ERROR)
    with local, Client(local) as client:
        yield client


# -- on the workers -------------------------------------------------------------

# What each run's tasks need besides their files, by run: set by `RunSetup` on every worker.
_RUNS: dict[str, tuple[Knowledge | None, Curation]] = {}


class RunSetup(WorkerPlugin):
    """Gives every worker of the cluster a run's knowledge and curation, once, before its first task.

    The cluster's counterpart of a process pool's initializer: the scheduler
    keeps the plugin and sets it up on every worker that joins later, so a
    worker started in place of one that died has them too. Kept by run, as
    two ingests may share a cluster.
    """

    def __init__(self, run: str, knowledge: Knowledge | None, curation: Curation):
        self.run = run
        self.knowledge = knowledge
        self.curation = curation

    def setup(self, worker: object) -> None:
        _RUNS[self.run] = (self.knowledge, self.curation)

    def teardown(self, worker: object) -> None:
        _RUNS.pop(self.run, None)


def prepare_batch(items: list[Todo], run: str, annotate: bool) -> list[PreparedFile | FailedFile]:
    """A task: read, annotate and prepare a batch of files with the run's knowledge and curation."""
    knowledge, curation = _RUNS[run]
    return [prepare_file(item.path, item.key, annotate, curation, knowledge) for item in items]


# -- on the client --------------------------------------------------------------


@dataclass
class _Task:
    items: list[Todo]
    future: Future
    resubmits: int = 0


@dataclass
class WindowStats:
    """How the window behaved in the last pass: for tests and benchmarks."""

    tasks: int = 0  # submitted, resubmissions included
    peak_outstanding: int = 0  # most tasks submitted and not yet handed on at once
    peak_files: int = 0  # most files in those tasks at once
    split: int = 0  # batches split into one task per file after their workers died
    resubmitted: int = 0  # files submitted again on their own after their worker died


class DaskExecutor:
    """Reads, annotates and prepares the files of an ingest on the Dask cluster of `client`."""

    def __init__(self, client: Client, batch_files: int = BATCH_FILES, batch_bytes: int = BATCH_BYTES):
        self.client = client
        self.batch_files = batch_files
        self.batch_bytes = batch_bytes
        self.stats = WindowStats()

    def learn(self, todo: list[Todo]) -> Knowledge:
        knowledge = Knowledge()
        with closing(self._ordered(todo, learn_files, ())) as parts:
            for _items, outcome, _ in parts:
                # A batch that failed teaches nothing; the conversion pass reports its files.
                if isinstance(outcome, Knowledge):
                    knowledge.merge(outcome)
        return knowledge

    def prepare(self, todo: list[Todo], annotate: bool, curation: Curation,
                knowledge: Knowledge | None) -> Generator[Prepared, None, None]:
        if not todo:
            return
        run = f"despatch-ingest-{uuid.uuid4().hex}"
        self.client.register_plugin(RunSetup(run, knowledge, curation), name=run)
        done = self._ordered(todo, prepare_batch, (run, annotate))
        try:
            for items, outcome, next_done in done:
                if isinstance(outcome, BaseException):
                    results: list[PreparedFile | FailedFile] = [_lost(item, outcome) for item in items]
                else:
                    results = outcome
                for k, (item, result) in enumerate(zip(items, results, strict=True)):
                    yield Prepared(item, result, k + 1 < len(items) or next_done)
        finally:
            done.close()  # stopped early: its tasks are cancelled before the run's plugin goes
            try:
                self.client.unregister_worker_plugin(run)
            except Exception:  # the cluster may be gone; its workers took the run with them
                logging.getLogger(__name__).debug("could not unregister %s", run, exc_info=True)

    def _threads(self) -> int:
        threads = sum(self.client.nthreads().values())
        if not threads:
            try:
                self.client.wait_for_workers(1, timeout=WORKERS_TIMEOUT)
            except TimeoutError:
                raise ClusterError(f"the scheduler has had no workers for {WORKERS_TIMEOUT:.0f} s") from None
            threads = sum(self.client.nthreads().values())
        return max(1, threads)

    def _ordered(self, todo: list[Todo], task: Callable[..., Any],
                 args: tuple) -> Generator[tuple[list[Todo], Any, bool], None, None]:
        """`task(batch, *args)` on the cluster for each batch of `todo`, handed on in order, a window at a time.

        Yields each batch (or, once split, each file alone) with what the task
        returned or the exception it ended with, and whether the next task is
        done already.
        """
        threads = self._threads()
        in_flight_limit = threads * IN_FLIGHT_PER_THREAD
        outstanding_limit = threads * OUTSTANDING_PER_THREAD
        self.stats = stats = WindowStats()
        batches = batched(todo, self.batch_files, self.batch_bytes)
        tasks: deque[_Task] = deque()  # submitted and not yet handed on, in the order of `todo`

        def submit(items: list[Todo], resubmits: int = 0) -> _Task:
            # pure=False: a batch submitted again must be a new task, not the failed one found by its key
            future = self.client.submit(task, items, *args, pure=False, retries=RETRIES)
            stats.tasks += 1
            return _Task(items, future, resubmits)

        more = True
        try:
            while True:
                running = [t.future for t in tasks if not t.future.done()]
                while more and len(running) < in_flight_limit and len(tasks) < outstanding_limit:
                    items = next(batches, None)
                    if items is None:
                        more = False
                        break
                    tasks.append(submit(items))
                    running.append(tasks[-1].future)
                stats.peak_outstanding = max(stats.peak_outstanding, len(tasks))
                stats.peak_files = max(stats.peak_files, sum(len(t.items) for t in tasks))
                if not tasks:
                    return
                head = tasks[0]
                if not head.future.done():
                    # Wait for any task to end, then look again. Not `as_completed`, which tells of each
                    # future once: a result lost with its worker is computed again, and its future, done
                    # before, is pending again.
                    wait([t.future for t in tasks if not t.future.done()], return_when="FIRST_COMPLETED")
                    continue
                tasks.popleft()
                outcome = _outcome(head.future)
                if isinstance(outcome, KilledWorker):
                    retry = _retry(head, submit, stats)
                    if retry:
                        tasks.extendleft(reversed(retry))
                        continue
                yield head.items, outcome, bool(tasks) and tasks[0].future.done()
        finally:
            # Stopped early (Ctrl-C, an error in the store): what has not run, never runs.
            if tasks:
                self.client.cancel([t.future for t in tasks])


def _outcome(future: Future) -> Any:
    """What a finished task returned, or the exception it ended with."""
    if future.status == "finished":
        return future.result()
    try:
        exc = future.exception()
    except Exception as lost:  # noqa: BLE001 - cancelled: the scheduler is gone
        return lost
    return exc if exc is not None else RuntimeError(f"task ended as {future.status}")


def _retry(task: _Task, submit: Callable[[list[Todo], int], _Task], stats: WindowStats) -> list[_Task]:
    """The tasks that take over from one whose workers died too often; none when its file has had its chances."""
    if len(task.items) > 1:
        # One file of the batch may be the cause; alone, each of the others is stored.
        stats.split += 1
        return [submit([item], task.resubmits) for item in task.items]
    if task.resubmits < RESUBMITS:
        stats.resubmitted += 1
        return [submit(task.items, task.resubmits + 1)]
    return []


def _lost(item: Todo, exc: BaseException) -> FailedFile:
    if isinstance(exc, KilledWorker):
        reason = "every worker that read it died (KilledWorker)"
    else:
        reason = f"{type(exc).__name__}: {exc}"
    return FailedFile(str(item.path), one_line(f"{item.path}: internal error: {reason}"))
