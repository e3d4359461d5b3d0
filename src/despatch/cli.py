"""The `despatch` command: thin, it parses arguments, calls the pipeline and prints the summary."""
from __future__ import annotations

import os
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from despatch.pipeline import FORMATS, FileResult, plan_conversion, run_conversion

app = typer.Typer(add_completion=False, no_args_is_help=True, help="Raw diplomatic documents into a structured edition.")
err = Console(stderr=True, highlight=False)
out = Console(highlight=False)


@app.callback()
def _root() -> None:
    """Raw diplomatic documents into a structured, annotated, searchable edition."""


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(f.strip().lower() for f in value.split(",") if f.strip())
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        raise typer.BadParameter(f"unknown format {', '.join(bad) or value!r}; choose from {', '.join(FORMATS)}")
    return formats


@app.command()
def convert(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders; folders are converted recursively.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder; the input tree is mirrored under it.")],
    to: Annotated[str, typer.Option("--to", help="tei, json or html (comma-separated for several).")] = "tei",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Processes to convert on (0: one per core).")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
) -> None:
    """Convert raw documents (Word export, plain, OCR, .docx, TEI) into TEI, JSON or HTML."""
    formats = _formats(to)
    missing = [p for p in inputs if not p.exists()]
    for p in missing:
        err.print(f"{p}: no such file or folder", markup=False, soft_wrap=True)
    plan = plan_conversion([p for p in inputs if p.exists()], out_dir)
    workers = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    progress = Progress(TextColumn("converting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, disable=quiet or not err.is_terminal, transient=True)

    def report(result: FileResult) -> None:
        if result.error:
            progress.console.print(result.error, markup=False, soft_wrap=True)
        progress.advance(task)

    with progress:
        task = progress.add_task("convert", total=len(plan))
        results = run_conversion(plan, formats, workers=workers, progress=report)
    elapsed = time.perf_counter() - started
    _summary(results, elapsed, len(missing), quiet)
    if missing or any(r.error for r in results):
        raise typer.Exit(1)


def _summary(results: list[FileResult], elapsed: float, missing: int, quiet: bool) -> None:
    failed = sum(1 for r in results if r.error) + missing
    docs = sum(r.documents for r in results)
    warnings = sum(len(r.warnings) for r in results)
    if quiet:
        return
    table = Table(show_header=False, box=None, pad_edge=False)
    table.add_row("files", str(len(results) + missing))
    table.add_row("documents found", str(docs))
    table.add_row("warnings", str(warnings))
    table.add_row("failures", str(failed))
    rate = docs / elapsed if elapsed > 0 else 0.0
    table.add_row("time", f"{elapsed:.1f} s ({rate:.0f} documents/s)")
    err.print(table)


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
