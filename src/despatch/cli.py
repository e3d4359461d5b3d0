"""The `despatch` command: thin, it parses arguments, calls the pipeline and prints the summary.

Everything for people goes to stderr (progress bar, one line per failed file,
summary), so stdout stays clean for `despatch schema > file`.
"""
from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.text import Text

from despatch import __version__
from despatch.pipeline import (
    FORMATS,
    FileResult,
    one_line,
    plan_conversion,
    run_conversion,
    split_collisions,
    write_atomic,
)

app = typer.Typer(add_completion=False, no_args_is_help=True, pretty_exceptions_enable=False,
                  help="Raw diplomatic documents into a structured edition.")
# No markup, emoji codes or highlighting: file names and messages are printed as they are.
err = Console(stderr=True, highlight=False, markup=False, emoji=False)


def say(line: str) -> None:
    """One line on stderr, never wrapped, above the progress bar when one is drawn."""
    err.print(Text(line), soft_wrap=True)


def _show_version(value: bool) -> None:
    if value:
        print(f"despatch {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    version: Annotated[bool, typer.Option("--version", callback=_show_version, is_eager=True,
                                          help="Print the version and exit.")] = False,
) -> None:
    """Raw diplomatic documents into a structured, annotated, searchable edition."""


def _formats(value: str) -> tuple[str, ...]:
    formats = tuple(dict.fromkeys(f.strip().lower() for f in value.split(",") if f.strip()))
    bad = [f for f in formats if f not in FORMATS]
    if bad or not formats:
        say(f"unknown format {', '.join(bad) or repr(value)}; choose from {', '.join(FORMATS)}")
        raise typer.Exit(2)
    return formats


@app.command()
def convert(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders; folders are converted recursively.")],
    out_dir: Annotated[Path, typer.Option("--out", "-o", help="Output folder; the input tree is mirrored under it.")],
    to: Annotated[str, typer.Option("--to", help="tei, json or html (comma-separated for several).")] = "tei",
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Processes to convert on (0: one per core).")] = 1,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Print the traceback of every internal error.")] = False,
    annotate: Annotated[bool, typer.Option("--annotate/--no-annotate",
                                           help="Mark people, places, organizations and dates.")] = True,
    index_file: Annotated[Path | None, typer.Option("--index", help="Also write the batch's index of persons, "
                                                    "places and organizations to this JSON file.")] = None,
) -> None:
    """Convert raw documents (Word export, plain, OCR, .docx, TEI) into TEI, JSON or HTML.

    Prints one line `PATH: reason` for each file that fails and exits with
    status 1 if any did; the other files are converted all the same. Names are
    recognised across the whole batch (a "Stevens" in one file is known from a
    heading in another); `--index` writes the batch's index of entries.
    """
    formats = _formats(to)
    if out_dir.exists() and not out_dir.is_dir():
        say(f"{out_dir}: not a folder")
        raise typer.Exit(2)
    missing = [p for p in inputs if not p.exists()]
    for p in missing:
        say(one_line(f"{p}: no such file or folder"))
    skipped: list[Path] = []
    plan, clashes = split_collisions(plan_conversion([p for p in inputs if p.exists()], out_dir, skipped))
    named = set(inputs)
    for p in skipped:
        if p in named:  # only a file the user named deserves a word; a folder's are counted in the summary
            say(one_line(f"{p}: skipped, not a document file"))
    for clash in clashes:
        say(clash.error or "")
    if not plan and not missing and not clashes:
        say("no document files found in " + ", ".join(str(p) for p in inputs))
    workers = jobs or os.cpu_count() or 1
    started = time.perf_counter()
    show_bar = not quiet and len(plan) > 1 and err.is_terminal
    progress = Progress(TextColumn("converting"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, disable=not show_bar, transient=True)

    def report(result: FileResult) -> None:
        if result.error:
            say(result.error)
            if debug and result.traceback:
                err.print(result.traceback.rstrip(), soft_wrap=True)
        progress.advance(task)

    with progress:
        task = progress.add_task("convert", total=len(plan))
        results = run_conversion(plan, formats, workers=min(workers, max(1, len(plan))), annotate=annotate,
                                 progress=report)
    if annotate and index_file is not None:
        from despatch.annotate.index import batch_index_json

        write_atomic(index_file, batch_index_json(r.entities for r in results))
    elapsed = time.perf_counter() - started
    results.extend(clashes)
    if not quiet:
        _summary(results, elapsed, len(missing), len(skipped))
    if missing or any(r.error for r in results):
        raise typer.Exit(1)


def _summary(results: list[FileResult], elapsed: float, missing: int, skipped: int) -> None:
    failed = sum(1 for r in results if r.error) + missing
    docs = sum(r.documents for r in results)
    warnings = sum(len(r.warnings) for r in results)
    rate = docs / elapsed if elapsed > 0 else 0.0
    rows = [("files", str(len(results) + missing))]
    if skipped:
        rows.append(("skipped", f"{skipped} (not document files)"))
    rows += [
        ("documents found", str(docs)),
        ("warnings", str(warnings)),
        ("failures", str(failed)),
        ("time", f"{elapsed:.1f} s ({rate:.0f} documents/s)"),
    ]
    width = max(len(k) for k, _ in rows)
    for key, value in rows:
        say(f"{key:<{width}}  {value}")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the files `despatch convert --to json` writes."""
    from despatch.writers.json import json_schema_text

    sys.stdout.write(json_schema_text())


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
