"""read -> (annotate) -> write, for one file or a whole tree, on one process or many.

`plan_conversion` lists the work (each input file with the path its output
mirrors), `convert_file` does one file and never raises for bad input, and
`run_conversion` drives the lot, in-process or on a process pool, reporting
each finished file to a callback so the CLI can draw its progress bar.
"""
from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from dataclasses import dataclass, field
from pathlib import Path

from despatch.errors import InputError
from despatch.model import Document
from despatch.readers import is_document_file, read_file

FORMATS = {"tei": ".xml", "json": ".json", "html": ".html"}


@dataclass
class Job:
    source: Path
    target_stem: Path  # output path without suffix; each format adds its own


@dataclass
class FileResult:
    source: str
    documents: int = 0
    warnings: list[str] = field(default_factory=list)
    error: str | None = None


def write_atomic(path: Path, data: bytes) -> None:
    """Write `data` to `path` so that no reader ever sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _walk(root: Path) -> Iterator[Path]:
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith("."))
        for name in sorted(filenames):
            yield Path(dirpath) / name


def plan_conversion(inputs: Iterable[Path], out: Path) -> list[Job]:
    """Every document file under `inputs`, each with the output path that mirrors it under `out`."""
    jobs: list[Job] = []
    for given in inputs:
        if given.is_dir():
            for path in _walk(given):
                if is_document_file(path):
                    jobs.append(Job(path, out / path.relative_to(given).with_suffix("")))
        else:
            jobs.append(Job(given, out / given.with_suffix("").name))
    return jobs


def render(docs: list[Document], fmt: str) -> bytes:
    if fmt == "tei":
        from despatch.writers.tei import to_tei

        return to_tei(docs)
    if fmt == "json":
        from despatch.writers.json import to_json

        return to_json(docs)
    from despatch.writers.html import to_html

    return to_html(docs)


def convert_file(job: Job, formats: tuple[str, ...], annotate: bool = False) -> FileResult:
    """Convert one file; bad input becomes an error in the result, never an exception."""
    result = FileResult(source=str(job.source))
    try:
        docs = read_file(job.source)
        if annotate:
            from despatch.annotate import annotate_documents

            annotate_documents(docs)
        outputs = {fmt: render(docs, fmt) for fmt in formats}
    except InputError as exc:
        result.error = str(exc)
        return result
    except RecursionError:
        result.error = f"{job.source}: nested too deeply to read"
        return result
    for fmt, data in outputs.items():
        write_atomic(job.target_stem.with_name(job.target_stem.name + FORMATS[fmt]), data)
    result.documents = sum(len(d.all_documents()) - len(d.enclosures) for d in docs)
    result.warnings = [f"{d.id}: {w}" for doc in docs for d in doc.all_documents() for w in d.warnings]
    return result


def _convert_batch(batch: list[Job], formats: tuple[str, ...], annotate: bool) -> list[FileResult]:
    return [convert_file(job, formats, annotate) for job in batch]


def run_conversion(jobs: list[Job], formats: tuple[str, ...], workers: int = 1, annotate: bool = False,
                   progress: Callable[[FileResult], None] | None = None) -> list[FileResult]:
    """Convert every job, on `workers` processes; `progress` hears of each finished file."""
    results: list[FileResult] = []

    def done(result: FileResult) -> None:
        results.append(result)
        if progress:
            progress(result)

    if workers <= 1 or len(jobs) < 2:
        for job in jobs:
            done(convert_file(job, formats, annotate))
        return results
    size = max(1, min(64, len(jobs) // (workers * 8) or 1))
    batches = [jobs[i:i + size] for i in range(0, len(jobs), size)]
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures = [pool.submit(_convert_batch, b, formats, annotate) for b in batches]
        for future in as_completed(futures):
            for result in future.result():
                done(result)
    return results
