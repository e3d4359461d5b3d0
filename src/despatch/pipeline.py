"""read -> (annotate) -> write, for one file or a whole tree, on one process or many.

`plan_conversion` lists the work (each input file with the path its output
mirrors), `convert_file` does one file and never raises for a file's
content, and `run_conversion` drives the lot, in-process or on a process
pool, reporting each finished file to a callback so the CLI can draw its
progress bar. A file that fails, for a reason in the file or a bug in
despatch, becomes one line in its `FileResult` and leaves no output behind.
"""
from __future__ import annotations

import os
import re
import tempfile
import traceback
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from despatch.annotate.context import Knowledge
from despatch.errors import InputError
from despatch.model import Document, Entity
from despatch.readers import is_document_file, read_bytes, read_file

FORMATS = {"tei": ".xml", "json": ".json", "html": ".html"}
# Anything that would break "one line per failed file" on a terminal or in a log.
LINE_BREAKING = re.compile(r"[\x00-\x1f\x7f\u2028\u2029]+")
# An exception's message can quote a whole document; the line only needs its start.
MAX_DETAIL = 300


@dataclass
class Job:
    source: Path
    target_stem: Path  # output path without suffix; each format adds its own

    def target(self, fmt: str) -> Path:
        return self.target_stem.with_name(self.target_stem.name + FORMATS[fmt])


@dataclass
class FileResult:
    source: str
    documents: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None  # "PATH: reason", one line
    traceback: str | None = None  # for an internal error only, shown with --debug
    entities: list[Entity] = field(default_factory=list)  # index entries the file's mentions point to


def one_line(message: str) -> str:
    """`message` with line breaks and control characters made spaces, so it prints as one line."""
    return LINE_BREAKING.sub(" ", message).strip()


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        # mkstemp makes the file private; the output gets the permissions any new file would
        os.fchmod(fd, 0o666 & ~_umask())
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _walk(root: Path, prune: Path | None) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        # The output folder may sit inside the input tree; its files are not input.
        dirnames[:] = sorted(d for d in dirnames
                             if not d.startswith(".") and (prune is None or (Path(dirpath) / d).resolve() != prune))
        for name in sorted(filenames):
            yield Path(dirpath) / name


def document_files(inputs: Iterable[Path], skipped: list[Path] | None = None,
                   exclude: Path | None = None) -> Iterator[tuple[Path, Path]]:
    """Every document file under `inputs`, each with its path relative to the folder it was found in.

    Files that cannot hold documents (gold.jsonl, images, hidden files) are
    left out and, when `skipped` is given, listed there, whether found in a
    folder or named on their own (a shell glob such as `set/*` names them).
    A folder `exclude` (the output of a conversion) is not walked.
    """
    for given in inputs:
        if given.is_dir():
            for path in _walk(given, exclude):
                if is_document_file(path):
                    yield path, path.relative_to(given)
                elif skipped is not None:
                    skipped.append(path)
        elif is_document_file(given):
            yield given, Path(given.name)
        elif skipped is not None:
            skipped.append(given)


def plan_conversion(inputs: Iterable[Path], out: Path, skipped: list[Path] | None = None) -> list[Job]:
    """Every document file under `inputs` (see `document_files`), each with the output path mirroring it under `out`."""
    found = document_files(inputs, skipped, exclude=out.resolve())
    return [Job(path, out / relative.with_suffix("")) for path, relative in found]


def split_collisions(jobs: list[Job]) -> tuple[list[Job], list[FileResult]]:
    """The jobs whose output no earlier job claims, and a failure for each that would overwrite one.

    `x.txt` and `x.docx` in one folder, or two inputs with the same name,
    mirror to the same output path; converting both would silently keep only
    the last.
    """
    first: dict[Path, Job] = {}
    kept: list[Job] = []
    clashes: list[FileResult] = []
    for job in jobs:
        earlier = first.get(job.target_stem)
        if earlier is None:
            first[job.target_stem] = job
            kept.append(job)
        else:
            clashes.append(FileResult(source=str(job.source), error=one_line(
                f"{job.source}: not converted, its output {job.target_stem}.* is that of {earlier.source}")))
    return kept, clashes


def render(docs: list[Document], fmt: str, index: dict[str, Entity] | None = None) -> bytes:
    if fmt == "tei":
        from despatch.writers.tei import to_tei

        return to_tei(docs, index=index)
    if fmt == "json":
        from despatch.writers.json import to_json

        return to_json(docs)
    from despatch.writers.html import to_html

    return to_html(docs)


def _internal_error(source: Path, exc: BaseException) -> str:
    detail = str(exc)
    if len(detail) > MAX_DETAIL:
        detail = detail[:MAX_DETAIL] + "…"
    return f"{source}: internal error: {type(exc).__name__}" + (f": {detail}" if detail else "")


def _remove_outputs(job: Job, formats: tuple[str, ...]) -> None:
    # An output left from an earlier run would pass for this run's result.
    for fmt in formats:
        try:
            job.target(fmt).unlink(missing_ok=True)
        except OSError:
            pass


# What the whole batch taught the annotators, set once in each worker (see `run_conversion`).
_knowledge: Knowledge | None = None


def set_knowledge(knowledge: Knowledge | None) -> None:
    """What the whole batch taught, for every file this process annotates from now on."""
    global _knowledge
    _knowledge = knowledge


def failure(source: Path, exc: Exception) -> tuple[str, str | None]:
    """The one line a file that failed with `exc` becomes, and the traceback when the fault is despatch's.

    Call it inside the `except` block, where the traceback is still at hand.
    """
    if isinstance(exc, InputError):
        return one_line(str(exc)), None
    if isinstance(exc, RecursionError):
        return f"{source}: nested too deeply to read", None
    return one_line(_internal_error(source, exc)), traceback.format_exc()


def read_documents(source: Path, annotate: bool = False, data: bytes | None = None,
                   knowledge: Knowledge | None = None) -> tuple[list[Document], dict[str, Entity] | None]:
    """The documents of one file (from `data` when the caller has read it already), annotated if asked.

    Annotation uses `knowledge` when given, else the batch's knowledge when one
    is set (see `set_knowledge`); the index entries the mentions point to come
    back with the documents. (A Dask worker may run tasks of two ingests on
    two threads, so it passes each task's knowledge rather than setting it.)
    """
    docs = read_file(source) if data is None else read_bytes(data, str(source))
    index = None
    if annotate:
        from despatch.annotate import Context, annotate_documents, learn

        if knowledge is None:
            knowledge = _knowledge if _knowledge is not None else learn(docs)
        index = annotate_documents(docs, Context(knowledge=knowledge)).entities
    return docs, index


def convert_file(job: Job, formats: tuple[str, ...], annotate: bool = False) -> FileResult:
    """Convert one file; a failure, whatever its cause, becomes the result's one-line error."""
    result = FileResult(source=str(job.source))
    try:
        docs, index = read_documents(job.source, annotate)
        if index is not None:
            result.entities = list(index.values())
        outputs = {fmt: render(docs, fmt, index) for fmt in formats}
    except Exception as exc:  # noqa: BLE001 - a bug in a reader or writer must cost one file, not the batch
        result.error, result.traceback = failure(job.source, exc)
    if result.error:
        _remove_outputs(job, formats)
        return result
    try:
        for fmt, data in outputs.items():
            write_atomic(job.target(fmt), data)
    except OSError as exc:
        _remove_outputs(job, formats)
        result.error = one_line(f"{job.source}: cannot write {exc.filename or job.target_stem}: {exc.strerror or exc}")
        return result
    result.documents = sum(len(d.all_documents()) - len(d.enclosures) for d in docs)
    result.warnings = [f"{d.id}: {w}" for doc in docs for d in doc.all_documents() for w in d.warnings]
    return result


def _convert_batch(batch: list[Job], formats: tuple[str, ...], annotate: bool) -> list[FileResult]:
    return [convert_file(job, formats, annotate) for job in batch]


def _learn_from(batch: list[Job]) -> Knowledge:
    """What a batch of files teaches; a file that cannot be read teaches nothing (its error comes later)."""
    from despatch.annotate import learn

    knowledge = Knowledge()
    for job in batch:
        try:
            docs = read_file(job.source)
        except Exception:  # noqa: BLE001, S112 - the conversion pass reports every failure, once
            continue
        knowledge.merge(learn(docs))
    return knowledge


def batch_knowledge(jobs: list[Job], workers: int) -> Knowledge:
    """The first pass of an annotated conversion: the people's names and the words of the whole batch."""
    if workers <= 1 or len(jobs) < 2:
        return _learn_from(jobs)
    knowledge = Knowledge()
    with ProcessPoolExecutor(max_workers=workers) as pool:
        for part in pool.map(_learn_from, _batches(jobs, workers)):
            knowledge.merge(part)
    return knowledge


def _batches(jobs: list[Job], workers: int) -> list[list[Job]]:
    # Batches amortise the pickling round trip; small enough that the bar moves
    # and both workers stay busy to the end.
    size = max(1, min(64, len(jobs) // (workers * 8) or 1))
    return [jobs[i:i + size] for i in range(0, len(jobs), size)]


def run_conversion(jobs: list[Job], formats: tuple[str, ...], workers: int = 1, annotate: bool = False,
                   progress: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Convert every job, on `workers` processes; `progress` hears of each finished file."""
    results: list[FileResult] = []

    def done(result: FileResult) -> None:
        results.append(result)
        if progress:
            progress(result)

    knowledge = batch_knowledge(jobs, workers) if annotate else None
    if workers <= 1 or len(jobs) < 2:
        set_knowledge(knowledge)
        try:
            for job in jobs:
                done(convert_file(job, formats, annotate))
        finally:
            set_knowledge(None)
        return results
    batches = _batches(jobs, workers)
    with ProcessPoolExecutor(max_workers=workers, initializer=set_knowledge, initargs=(knowledge,)) as pool:
        futures: dict[Future[list[FileResult]], list[Job]] = {
            pool.submit(_convert_batch, b, formats, annotate): b for b in batches}
        for future in as_completed(futures):
            try:
                batch_results = future.result()
            except Exception as exc:  # noqa: BLE001 - a worker died (killed, out of memory, a crash in C code)
                batch_results = []
                for job in futures[future]:
                    _remove_outputs(job, formats)
                    batch_results.append(FileResult(source=str(job.source),
                                                    error=one_line(_internal_error(job.source, exc))))
            for result in batch_results:
                done(result)
    return results
