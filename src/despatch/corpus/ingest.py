"""`despatch ingest`: raw files into a corpus, incrementally, on one process or several.

Every document file under the inputs is hashed; a file whose content (and
annotation setting) the store already has is left alone, a new or changed one
is read and annotated by the pipeline (`pipeline.read_documents`, with the
batch's knowledge joined to what the corpus already knew), turned into rows by
`prepare.prepare_documents` in the worker that read it, and handed to the
store in batches, each batch one transaction. Files are stored in the order
they were found, so a corpus built on two processes is the corpus built on one.
With `prune`, files the store holds under the inputs that are no longer there
are removed.
"""
from __future__ import annotations

import hashlib
import time
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from despatch.annotate.context import Knowledge
from despatch.annotate.index import Curation
from despatch.corpus.api import IngestReport
from despatch.corpus.prepare import PreparedFile, prepare_documents
from despatch.corpus.store import CorpusStore
from despatch.errors import InputError
from despatch.pipeline import Job, batch_knowledge, document_files, failure, one_line, read_documents, set_knowledge

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
class _Failed:
    path: str
    error: str
    traceback: str | None = None


@dataclass
class _Todo:
    path: Path
    key: str  # absolute path: the file's identity in the store
    replaces: bool


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def prepare_file(path: Path, key: str, annotate: bool, curation: Curation) -> PreparedFile | _Failed:
    """Read, annotate and prepare one file; a failure, whatever its cause, becomes one line."""
    try:
        try:
            data = path.read_bytes()
            mtime = path.stat().st_mtime
        except OSError as exc:
            raise InputError(str(path), exc.strerror or str(exc)) from None
        docs, _ = read_documents(path, annotate, data)
        rows, entities = prepare_documents(docs, curation)
    except Exception as exc:  # noqa: BLE001 - a bug in a reader or annotator must cost one file, not the ingest
        line, trace = failure(path, exc)
        return _Failed(str(path), line, trace)
    warnings = [f"{d.id}: {w}" for doc in docs for d in doc.all_documents() for w in d.warnings]
    return PreparedFile(key, hashlib.sha256(data).hexdigest(), len(data), mtime, annotate, rows, entities, warnings)


def _prepared(todo: list[_Todo], annotate: bool, curation: Curation, workers: int,
              knowledge: Knowledge | None) -> Iterator[tuple[_Todo, PreparedFile | _Failed, bool]]:
    """Each file to store with what preparing it gave, in the order of `todo`, and whether the next is ready."""
    if workers <= 1 or len(todo) < 2:
        set_knowledge(knowledge)
        try:
            for item in todo:
                yield item, prepare_file(item.path, item.key, annotate, curation), True
        finally:
            set_knowledge(None)
        return
    pool = ProcessPoolExecutor(max_workers=workers, initializer=set_knowledge, initargs=(knowledge,))
    pending: deque[tuple[_Todo, Future[PreparedFile | _Failed]]] = deque()
    waiting = deque(todo)
    try:
        while waiting or pending:
            while waiting and len(pending) < workers * IN_FLIGHT_PER_WORKER:
                item = waiting.popleft()
                pending.append((item, pool.submit(prepare_file, item.path, item.key, annotate, curation)))
            item, future = pending.popleft()
            try:
                result = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory, a crash in C code)
                result = _Failed(str(item.path), one_line(f"{item.path}: internal error: {type(exc).__name__}: {exc}"))
            yield item, result, bool(pending) and pending[0][1].done()
    finally:
        # On Ctrl-C or an error in the store, files not yet started are not started.
        pool.shutdown(wait=True, cancel_futures=True)


def _under(path: str, roots: list[Path]) -> bool:
    p = Path(path)
    return any(p == root or root in p.parents for root in roots)


def ingest(store: CorpusStore, inputs: Iterable[Path], *, annotate: bool = True, prune: bool = False,
           workers: int = 1, force: bool = False, skipped: list[Path] | None = None,
           progress: Callable[[FileOutcome], None] | None = None,
           stage: Callable[[str, int], None] | None = None) -> IngestReport:
    """Bring `store` up to date with the document files under `inputs`; what happened, in numbers.

    `progress` hears of every file as its fate is settled; `stage` of each
    stage as it starts ("learning" names from N files, "storing" N files).
    `force` converts unchanged files too (after an upgrade of despatch).
    """
    inputs = list(inputs)
    report = IngestReport()

    def settle(outcome: FileOutcome) -> None:
        if outcome.error:
            report.failures.append(outcome.error)
        if progress:
            progress(outcome)

    stored = store.files()
    seen: set[str] = set()
    todo: list[_Todo] = []
    for path, _relative in document_files([p for p in inputs if p.exists()], skipped):
        key = str(path.resolve())
        if key in seen:  # named twice, or reached through two inputs
            continue
        seen.add(key)
        report.files_seen += 1
        try:
            sha = file_sha256(path)
        except OSError as exc:
            settle(FileOutcome(str(path), "failed", error=one_line(f"{path}: {exc.strerror or exc}")))
            continue
        old = stored.get(key)
        if old is not None and old.sha256 == sha and old.annotated == annotate and not force:
            report.files_unchanged += 1
            settle(FileOutcome(str(path), "unchanged", old.documents))
        else:
            todo.append(_Todo(path, key, old is not None))

    knowledge = None
    if annotate and todo:
        if stage:
            stage("learning", len(todo))
        learnt = batch_knowledge([Job(t.path, Path(t.path.name)) for t in todo], workers)
        store.learn(learnt)
        knowledge = store.knowledge()  # the whole corpus's, this batch's included

    if stage:
        stage("storing", len(todo))
    curation = store.curation()
    batch: list[tuple[_Todo, PreparedFile]] = []
    batch_docs = 0
    started = time.monotonic()

    def flush() -> None:
        nonlocal batch_docs, started
        if not batch:
            return
        outcomes = store.store([f for _, f in batch])
        for (item, f), error in zip(batch, outcomes, strict=True):
            if error is not None:
                settle(FileOutcome(str(item.path), "failed", error=one_line(error)))
            elif item.replaces:
                report.files_replaced += 1
                report.documents += len(f.documents)
                settle(FileOutcome(str(item.path), "replaced", len(f.documents)))
            else:
                report.files_added += 1
                report.documents += len(f.documents)
                settle(FileOutcome(str(item.path), "added", len(f.documents)))
        batch.clear()
        batch_docs = 0
        started = time.monotonic()

    for item, result, next_ready in _prepared(todo, annotate, curation, workers, knowledge):
        if isinstance(result, _Failed):
            settle(FileOutcome(result.path, "failed", error=result.error, traceback=result.traceback))
        else:
            batch.append((item, result))
            batch_docs += len(result.documents)
        # With workers, storing while they prepare the next files costs no time at all;
        # alone, a batch is stored when it is large enough or old enough.
        if (not next_ready or batch_docs >= BATCH_DOCUMENTS or len(batch) >= BATCH_FILES
                or time.monotonic() - started >= BATCH_SECONDS):
            flush()
    flush()

    if prune:
        roots = [p.resolve() for p in inputs]
        gone = [path for path in stored if path not in seen and _under(path, roots)]
        if gone:
            store.remove(gone)
            report.files_removed = len(gone)
    return report
