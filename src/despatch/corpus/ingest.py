"""`despatch ingest`: raw files into a corpus, incrementally, on one process, several, or a Dask cluster.

An ingest is three steps, and only the middle one depends on where the work runs:

1. plan (`plan_ingest`): every document file under the inputs is hashed; a
   file whose content (and annotation setting) the store already has is left
   alone, a new or changed one is put on the list of files to do;
2. execute (an `Executor`): a first pass learns from the files to do what
   the annotators should know (names, lower-case words, offices); joined to
   what the corpus already knew, it goes to every worker, which reads,
   annotates (`pipeline.read_documents`) and turns each file into rows
   (`prepare.prepare_documents`). `LocalExecutor` runs this in this process or
   on a process pool; `despatch.corpus.distributed.DaskExecutor` on a cluster;
3. store (`store_prepared`): the rows are handed to the store in batches,
   each batch one transaction, in the order the files were found, so a corpus
   built on two processes or a cluster is the corpus built on one. With
   `prune`, files the store holds under the inputs that are no longer there
   are removed.
"""
from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple, Protocol

from despatch.annotate.context import Knowledge
from despatch.annotate.index import Curation
from despatch.corpus.api import IngestReport
from despatch.corpus.prepare import PreparedFile, prepare_documents
from despatch.corpus.store import CorpusStore, StoredFile
from despatch.errors import InputError
from despatch.pipeline import document_files, failure, one_line, read_documents, set_knowledge
from despatch.readers import read_bytes

# A transaction is committed after this many documents or files, or this many
# seconds: large enough that commits cost little, small enough that an
# interrupted ingest loses little and the progress bar moves.
BATCH_DOCUMENTS = 2000
BATCH_FILES = 64
BATCH_SECONDS = 2.0
IN_FLIGHT_PER_WORKER = 4  # files handed to each worker ahead of the store: bounded memory, no idle worker


@dataclass
class FileOutcome:
    """What became of one file: "added", "replaced", "unchanged" or "failed"."""

    path: str
    status: str
    documents: int = 0
    error: str | None = None
    traceback: str | None = None


@dataclass
class FailedFile:
    """A file that could not be read or prepared: the one line why (and the traceback when despatch is at fault)."""

    path: str
    error: str
    traceback: str | None = None


@dataclass
class Todo:
    """A file the store does not have as it is now."""

    path: Path  # as found under the inputs: names the file in messages and in its documents
    key: str  # absolute path: the file's identity in the store, and where a worker reads it
    replaces: bool
    size: int = 0  # bytes, so an executor can make batches of even weight


class Prepared(NamedTuple):
    """One file done by an executor, handed on in the order of the files to do."""

    item: Todo
    result: PreparedFile | FailedFile
    next_ready: bool  # whether the next file is done already (if not, the store may as well write now)


class Executor(Protocol):
    """Where the reading, annotating and preparing of an ingest runs; the planning and storing stay put."""

    def learn(self, todo: list[Todo]) -> Knowledge:
        """The first pass: what the files teach the annotators, merged in the order of `todo`."""
        ...

    def prepare(self, todo: list[Todo], annotate: bool, curation: Curation,
                knowledge: Knowledge | None) -> Generator[Prepared, None, None]:
        """Every file of `todo` read, annotated (with `knowledge`) and made rows, handed on in the order of `todo`.

        A file that fails, whatever the cause (a worker dying included), comes
        back as a `FailedFile`; when the caller stops early, work not yet
        started is not started.
        """
        ...


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _read(path: Path, key: str) -> tuple[bytes, float]:
    # Read through the absolute key: a worker on another machine, or in another folder, reads the same file.
    try:
        source = Path(key)
        return source.read_bytes(), source.stat().st_mtime
    except OSError as exc:
        raise InputError(str(path), exc.strerror or str(exc)) from None


def prepare_file(path: Path, key: str, annotate: bool, curation: Curation,
                 knowledge: Knowledge | None = None) -> PreparedFile | FailedFile:
    """Read, annotate and prepare one file; a failure, whatever its cause, becomes one line.

    Annotation uses `knowledge`, or without it the knowledge set for this
    process (`pipeline.set_knowledge`).
    """
    try:
        data, mtime = _read(path, key)
        docs, _ = read_documents(path, annotate, data, knowledge)
        rows, entities = prepare_documents(docs, curation)
    except Exception as exc:  # noqa: BLE001 - a bug in a reader or annotator must cost one file, not the ingest
        line, trace = failure(path, exc)
        return FailedFile(str(path), line, trace)
    warnings = [f"{d.id}: {w}" for doc in docs for d in doc.all_documents() for w in d.warnings]
    return PreparedFile(key, hashlib.sha256(data).hexdigest(), len(data), mtime, annotate, rows, entities, warnings)


def learn_files(todo: list[Todo]) -> Knowledge:
    """What a batch of files teaches the annotators; a file that cannot be read teaches nothing.

    Its error is reported once, by the conversion pass.
    """
    from despatch.annotate import learn

    knowledge = Knowledge()
    for item in todo:
        try:
            data, _ = _read(item.path, item.key)
            docs = read_bytes(data, str(item.path))
        except Exception:  # noqa: BLE001, S112 - the conversion pass reports every failure, once
            continue
        knowledge.merge(learn(docs))
    return knowledge


def batched(todo: list[Todo], files: int, size: int | None = None) -> Iterator[list[Todo]]:
    """`todo` cut into consecutive batches of at most `files` files and, when given, about `size` bytes.

    A file larger than `size` makes a batch of its own: a whole FRUS volume in
    one text file weighs as much as a thousand single documents.
    """
    batch: list[Todo] = []
    weight = 0
    for item in todo:
        if batch and (len(batch) >= files or (size is not None and weight + item.size > size)):
            yield batch
            batch, weight = [], 0
        batch.append(item)
        weight += item.size
    if batch:
        yield batch


class LocalExecutor:
    """This process (`workers` 1), or a pool of `workers` processes of this machine."""

    def __init__(self, workers: int = 1):
        self.workers = workers

    def learn(self, todo: list[Todo]) -> Knowledge:
        if self.workers <= 1 or len(todo) < 2:
            return learn_files(todo)
        # Batches amortise the pickling round trip; small enough that both workers stay busy to the end.
        size = max(1, min(64, len(todo) // (self.workers * 8)))
        knowledge = Knowledge()
        with ProcessPoolExecutor(max_workers=self.workers) as pool:
            for part in pool.map(learn_files, batched(todo, size)):
                knowledge.merge(part)
        return knowledge

    def prepare(self, todo: list[Todo], annotate: bool, curation: Curation,
                knowledge: Knowledge | None) -> Generator[Prepared, None, None]:
        if self.workers <= 1 or len(todo) < 2:
            set_knowledge(knowledge)
            try:
                for item in todo:
                    yield Prepared(item, prepare_file(item.path, item.key, annotate, curation), True)
            finally:
                set_knowledge(None)
            return
        pool = ProcessPoolExecutor(max_workers=self.workers, initializer=set_knowledge, initargs=(knowledge,))
        pending: deque[tuple[Todo, Future[PreparedFile | FailedFile]]] = deque()
        waiting = deque(todo)
        try:
            while waiting or pending:
                while waiting and len(pending) < self.workers * IN_FLIGHT_PER_WORKER:
                    item = waiting.popleft()
                    pending.append((item, pool.submit(prepare_file, item.path, item.key, annotate, curation)))
                item, future = pending.popleft()
                try:
                    result = future.result()
                except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory, a crash in C code)
                    result = FailedFile(str(item.path),
                                        one_line(f"{item.path}: internal error: {type(exc).__name__}: {exc}"))
                yield Prepared(item, result, bool(pending) and pending[0][1].done())
        finally:
            # On Ctrl-C or an error in the store, files not yet started are not started.
            pool.shutdown(wait=True, cancel_futures=True)


def _under(path: str, roots: list[Path]) -> bool:
    p = Path(path)
    return any(p == root or root in p.parents for root in roots)


class Ledger:
    """The report of one ingest, and the `progress` callback told of every file as its fate is settled."""

    def __init__(self, progress: Callable[[FileOutcome], None] | None):
        self.report = IngestReport()
        self.progress = progress

    def settle(self, outcome: FileOutcome) -> None:
        if outcome.error:
            self.report.failures.append(outcome.error)
        if self.progress:
            self.progress(outcome)


@dataclass
class IngestPlan:
    """What `plan_ingest` found: the files to do, every file seen (by key) and what the store held before."""

    todo: list[Todo]
    seen: set[str]
    stored: dict[str, StoredFile]


def plan_ingest(store: CorpusStore, inputs: list[Path], ledger: Ledger, *, annotate: bool, force: bool,
                skipped: list[Path] | None) -> IngestPlan:
    """Hash every document file under `inputs`; settle the unchanged and unreadable ones, list the rest to do."""
    report = ledger.report
    stored = store.files()
    seen: set[str] = set()
    todo: list[Todo] = []
    for path, _relative in document_files([p for p in inputs if p.exists()], skipped):
        key = str(path.resolve())
        if key in seen:  # named twice, or reached through two inputs
            continue
        seen.add(key)
        report.files_seen += 1
        try:
            sha = file_sha256(path)
            size = path.stat().st_size
        except OSError as exc:
            ledger.settle(FileOutcome(str(path), "failed", error=one_line(f"{path}: {exc.strerror or exc}")))
            continue
        old = stored.get(key)
        if old is not None and old.sha256 == sha and old.annotated == annotate and not force:
            report.files_unchanged += 1
            ledger.settle(FileOutcome(str(path), "unchanged", old.documents))
        else:
            todo.append(Todo(path, key, old is not None, size))
    return IngestPlan(todo, seen, stored)


def store_prepared(store: CorpusStore, prepared: Iterable[Prepared], ledger: Ledger) -> None:
    """Store every prepared file, in the order given, in batches of one transaction each."""
    report = ledger.report
    batch: list[tuple[Todo, PreparedFile]] = []
    batch_docs = 0
    started = time.monotonic()

    def flush() -> None:
        nonlocal batch_docs, started
        if not batch:
            return
        outcomes = store.store([f for _, f in batch])
        for (item, f), error in zip(batch, outcomes, strict=True):
            if error is not None:
                ledger.settle(FileOutcome(str(item.path), "failed", error=one_line(error)))
            elif item.replaces:
                report.files_replaced += 1
                report.documents += len(f.documents)
                ledger.settle(FileOutcome(str(item.path), "replaced", len(f.documents)))
            else:
                report.files_added += 1
                report.documents += len(f.documents)
                ledger.settle(FileOutcome(str(item.path), "added", len(f.documents)))
        batch.clear()
        batch_docs = 0
        started = time.monotonic()

    for item, result, next_ready in prepared:
        if isinstance(result, FailedFile):
            ledger.settle(FileOutcome(result.path, "failed", error=result.error, traceback=result.traceback))
        else:
            batch.append((item, result))
            batch_docs += len(result.documents)
        # With workers, storing while they prepare the next files costs no time at all;
        # alone, a batch is stored when it is large enough or old enough.
        if (not next_ready or batch_docs >= BATCH_DOCUMENTS or len(batch) >= BATCH_FILES
                or time.monotonic() - started >= BATCH_SECONDS):
            flush()
    flush()


def ingest(store: CorpusStore, inputs: Iterable[Path], *, annotate: bool = True, prune: bool = False,
           workers: int = 1, force: bool = False, skipped: list[Path] | None = None,
           progress: Callable[[FileOutcome], None] | None = None,
           stage: Callable[[str, int], None] | None = None, executor: Executor | None = None) -> IngestReport:
    """Bring `store` up to date with the document files under `inputs`; what happened, in numbers.

    The work runs on `executor`, by default `LocalExecutor(workers)`.
    `progress` hears of every file as its fate is settled; `stage` of each
    stage as it starts ("learning" names from N files, "storing" N files).
    `force` converts unchanged files too (after an upgrade of despatch).
    """
    inputs = list(inputs)
    executor = executor if executor is not None else LocalExecutor(workers)
    ledger = Ledger(progress)
    plan = plan_ingest(store, inputs, ledger, annotate=annotate, force=force, skipped=skipped)

    knowledge = None
    if annotate and plan.todo:
        if stage:
            stage("learning", len(plan.todo))
        store.learn(executor.learn(plan.todo))
        knowledge = store.knowledge()  # the whole corpus's, this batch's included

    if stage:
        stage("storing", len(plan.todo))
    prepared = executor.prepare(plan.todo, annotate, store.curation(), knowledge)
    try:
        store_prepared(store, prepared, ledger)
    finally:
        prepared.close()  # on Ctrl-C or an error in the store, now: the executor stops its workers

    if prune:
        roots = [p.resolve() for p in inputs]
        gone = [path for path in plan.stored if path not in plan.seen and _under(path, roots)]
        if gone:
            store.remove(gone)
            ledger.report.files_removed = len(gone)
    return ledger.report
