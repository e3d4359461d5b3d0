"""The `despatch` command: thin, it parses arguments, calls the pipeline and prints the summary.

Everything for people goes to stderr (progress bar, one line per failed file,
summary), so stdout stays clean for `despatch schema > file`.
"""
from __future__ import annotations

import os
import re
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

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

if TYPE_CHECKING:
    from despatch.corpus import Corpus, CorpusStore, SearchQuery
    from despatch.corpus.ingest import Executor

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
def serve(
    db: Annotated[str, typer.Option("--db", help="The corpus `despatch ingest` made: a SQLite file, sqlite:///path or postgresql://user@host/db.")]
    = "corpus.sqlite",
    host: Annotated[str, typer.Option("--host", help="Address to listen on; the default serves this machine only.")]
    = "127.0.0.1",
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="Port to listen on.")] = 8000,
    workers: Annotated[int, typer.Option("--workers", min=1, max=64,
                                         help="Server processes; one per core serves the most readers at once.")] = 1,
) -> None:
    """Serve the web reader and its JSON API (read-only) over a corpus.

    Open http://HOST:PORT/ for the search page; the API's OpenAPI document is at /docs.
    """
    import uvicorn

    from despatch.corpus.api import CorpusError
    from despatch.web import create_app
    from despatch.web.app import DB_ENVIRONMENT, settle_for_serving

    try:
        web_app = create_app(db)  # opens the corpus now: a bad file fails here, not on the first visit
    except CorpusError as exc:
        say(one_line(str(exc)))
        raise typer.Exit(1) from None
    say(f"serving {db} at http://{host}:{port}/ (Ctrl-C to stop)")
    if workers == 1:
        settle_for_serving()
        uvicorn.run(web_app, host=host, port=port, log_level="warning")
        return
    # Worker processes build their own app from an import string; the corpus travels in the environment.
    os.environ[DB_ENVIRONMENT] = db
    uvicorn.run("despatch.web.app:app_from_environment", factory=True, workers=workers, host=host, port=port,
                log_level="warning")


READ_DB_HELP = "The corpus: a SQLite file, sqlite:///path, or postgresql://user@host:port/db."
DB_HELP = "The corpus: a SQLite file (made if missing), sqlite:///path, or postgresql://user@host:port/db."
CLUSTER_HELP = "Convert on a Dask cluster started for this run: local:N for N worker processes."
SCHEDULER_HELP = ("Convert on the running Dask cluster of this scheduler, tcp://HOST:PORT "
                  "(its workers must see the inputs at the same paths).")


def _fail(message: str, code: int = 1) -> NoReturn:
    say(one_line(message))
    raise typer.Exit(code)


def _check_cluster_options(cluster: str | None, scheduler: str | None, jobs: int) -> None:
    """Exit with status 2 and one line on `--cluster`/`--scheduler` that cannot work, before anything starts."""
    if cluster is None and scheduler is None:
        return
    if cluster is not None and scheduler is not None:
        _fail("--cluster and --scheduler: choose one", 2)
    if jobs != 1:
        _fail("--jobs runs processes on this machine; with --cluster or --scheduler, leave it out", 2)
    try:
        from despatch.corpus.distributed import ClusterError, local_workers
    except ImportError:
        _fail("--cluster and --scheduler need Dask: pip install 'despatch[cluster]'", 2)
    if cluster is not None:
        try:
            local_workers(cluster)
        except ClusterError as exc:
            _fail(str(exc), 2)


def _cluster_executor(stack: ExitStack, cluster: str | None, scheduler: str | None) -> Executor | None:
    """The executor of `--cluster`/`--scheduler` (checked already), its cluster closed with `stack`."""
    if cluster is None and scheduler is None:
        return None
    from despatch.corpus.distributed import ClusterError, DaskExecutor, cluster_client

    try:
        client = stack.enter_context(cluster_client(cluster, scheduler))
    except ClusterError as exc:
        _fail(str(exc))
    return DaskExecutor(client)


@app.command()
def ingest(
    inputs: Annotated[list[Path], typer.Argument(help="Files or folders; folders are ingested recursively.")],
    db: Annotated[str, typer.Option("--db", help=DB_HELP)] = "corpus.sqlite",
    prune: Annotated[bool, typer.Option("--prune", help="Remove stored files under the inputs that are gone.")]
    = False,
    jobs: Annotated[int, typer.Option("--jobs", "-j", min=0, help="Processes to convert on (0: one per core).")] = 1,
    annotate: Annotated[bool, typer.Option("--annotate/--no-annotate",
                                           help="Mark people, places, organizations and dates.")] = True,
    force: Annotated[bool, typer.Option("--force", help="Convert unchanged files again too.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar and no summary.")] = False,
    debug: Annotated[bool, typer.Option("--debug", help="Print the traceback of every internal error.")] = False,
    cluster: Annotated[str | None, typer.Option("--cluster", help=CLUSTER_HELP)] = None,
    scheduler: Annotated[str | None, typer.Option("--scheduler", help=SCHEDULER_HELP)] = None,
) -> None:
    """Convert and store documents in a corpus: new files added, changed ones replaced, unchanged ones skipped.

    Each batch of files is one transaction, so an interrupted ingest leaves the
    corpus as it was after the last batch; run it again to finish. Prints one
    line `PATH: reason` for each file that fails (its earlier version, if any,
    stays) and exits with status 1 if any did. With `--cluster local:N` or
    `--scheduler tcp://HOST:PORT` the files are read and annotated on a Dask
    cluster, and this process alone writes the corpus.
    """
    from despatch.corpus import CorpusError, open_store
    from despatch.corpus.ingest import FileOutcome
    from despatch.corpus.ingest import ingest as run_ingest

    _check_cluster_options(cluster, scheduler, jobs)
    missing = [p for p in inputs if not p.exists()]
    for p in missing:
        say(one_line(f"{p}: no such file or folder"))
    try:
        store = open_store(db)
    except CorpusError as exc:
        _fail(str(exc))
    workers = jobs or os.cpu_count() or 1
    skipped: list[Path] = []
    started = time.perf_counter()
    progress = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                        console=err, disable=quiet or not err.is_terminal, transient=True)

    def report(outcome: FileOutcome) -> None:
        if outcome.error:
            say(outcome.error)
            if debug and outcome.traceback:
                err.print(outcome.traceback.rstrip(), soft_wrap=True)
        if outcome.status != "unchanged":
            progress.advance(task)

    def stage(name: str, total: int) -> None:
        progress.update(task, description=name, total=total, completed=0)

    # Closed in reverse: a cluster started for the run stops before the store closes.
    with ExitStack() as stack:
        stack.callback(store.close)
        executor = _cluster_executor(stack, cluster, scheduler)
        try:
            with progress:
                task = progress.add_task("hashing", total=None)
                result = run_ingest(store, inputs, annotate=annotate, prune=prune, workers=workers, force=force,
                                    skipped=skipped, progress=report, stage=stage, executor=executor)
            total = store.count()
        except KeyboardInterrupt:
            say("interrupted: the corpus keeps every batch stored before; run the same command again to finish")
            raise typer.Exit(130) from None
    named = set(inputs)
    for p in skipped:
        if p in named:
            say(one_line(f"{p}: skipped, not a document file"))
    if not quiet:
        elapsed = time.perf_counter() - started
        rate = result.documents / elapsed if elapsed > 0 else 0.0
        rows = [("files seen", str(result.files_seen + len(missing))),
                ("added", str(result.files_added)),
                ("replaced", str(result.files_replaced)),
                ("unchanged", str(result.files_unchanged)),
                ("removed", str(result.files_removed))]
        if skipped:
            rows.append(("skipped", f"{len(skipped)} (not document files)"))
        rows += [("documents", f"{result.documents} stored, {total} in the corpus"),
                 ("failures", str(len(result.failures) + len(missing))),
                 ("time", f"{elapsed:.1f} s ({rate:.0f} documents/s)")]
        width = max(len(k) for k, _ in rows)
        for key, value in rows:
            say(f"{key:<{width}}  {value}")
    if missing or result.failures:
        raise typer.Exit(1)


def _open_reader(db: str) -> Corpus:
    """The corpus at `db`, read-only; exit status 1 with one line if there is none."""
    from despatch.corpus import CorpusError, open_corpus

    try:
        return open_corpus(db)
    except CorpusError as exc:
        _fail(str(exc))


def _query(text: str, sender: str | None = None, recipient: str | None = None, place: str | None = None,
           person: str | None = None, channel: str | None = None, date_from: str | None = None,
           date_to: str | None = None, limit: int = 20, offset: int = 0, sort: str = "relevance") -> SearchQuery:
    from despatch.corpus import SearchQuery

    return SearchQuery(text=text, sender=sender, recipient=recipient, place=place, person=person, channel=channel,
                       date_from=date_from, date_to=date_to, limit=limit, offset=offset,
                       sort=sort)  # type: ignore[arg-type]  # checked by the corpus, which says what is wrong


def _marked(snippet: str) -> Text:
    """A snippet with its hits (between \\x02 and \\x03) in bold."""
    out = Text()
    for k, piece in enumerate(snippet.replace("\x03", "\x02").split("\x02")):
        # line breaks of the text become spaces; the spaces either side of a hit stay
        out.append(re.sub(r"\s+", " ", piece), style="bold reverse" if k % 2 else "")
    return out


@app.command()
def search(
    query: Annotated[str, typer.Argument(help='Words, "phrases", AND/OR/NOT, prefixes such as treat*.')] = "",
    db: Annotated[str, typer.Option("--db", help=READ_DB_HELP)] = "corpus.sqlite",
    sender: Annotated[str | None, typer.Option(help="Index id or name of the sender.")] = None,
    recipient: Annotated[str | None, typer.Option(help="Index id or name of the recipient.")] = None,
    place: Annotated[str | None, typer.Option(help="Index id or name of the place written at.")] = None,
    person: Annotated[str | None, typer.Option(help="Index id or name of a person named.")] = None,
    channel: Annotated[str | None, typer.Option(help="telegram, despatch, letter, memorandum...")] = None,
    date_from: Annotated[str | None, typer.Option("--date-from", help="From this date (1918, 1918-03, 1918-03-05).")]
    = None,
    date_to: Annotated[str | None, typer.Option("--date-to", help="To this date, inclusive.")] = None,
    limit: Annotated[int, typer.Option(help="Results per page (at most 100).")] = 20,
    offset: Annotated[int, typer.Option(help="Results to skip (at most 10,000).")] = 0,
    sort: Annotated[str, typer.Option(help="relevance, date or -date (newest first).")] = "relevance",
    as_json: Annotated[bool, typer.Option("--json", help="Print the result as JSON.")] = False,
) -> None:
    """Search the corpus: results with their hits marked, and the facets with their counts.

    A query that cannot be searched gets one line saying why and exit status 2;
    a corpus that does not exist, exit status 1.
    """
    import dataclasses
    import json

    from despatch.corpus import QueryError

    corpus = _open_reader(db)
    try:
        result = corpus.search(_query(query, sender, recipient, place, person, channel, date_from, date_to,
                                      limit, offset, sort))
    except QueryError as exc:
        _fail(str(exc), 2)
    finally:
        corpus.close()
    if as_json:
        sys.stdout.write(json.dumps(dataclasses.asdict(result), ensure_ascii=False, indent=1) + "\n")
        return
    out = Console(highlight=False, markup=False, emoji=False)
    shown = f"{offset + 1}-{offset + len(result.hits)} of " if result.hits else ""
    out.print(Text(f"{shown}{result.total} documents", style="bold"))
    for hit in result.hits:
        out.print()
        line = Text(hit.date or "undated", style="cyan")
        line.append(f"  {hit.place}" if hit.place else "")
        line.append(f"  {hit.doc_id}", style="dim")
        out.print(line, soft_wrap=True)
        out.print(Text(" ".join(hit.head.split()), style="bold"), soft_wrap=True)
        if hit.snippet:
            out.print(_marked(hit.snippet))
    facets = [(name, values) for name, values in result.facets.items() if values]
    if facets:
        out.print()
    for name, values in facets:
        line = Text(f"{name}: ", style="bold")
        line.append(" · ".join(f"{v.label} ({v.count})" for v in values))
        out.print(line)


@app.command()
def export(
    to: Annotated[str, typer.Option("--to", help="tei, json or csv.")],
    db: Annotated[str, typer.Option("--db", help=READ_DB_HELP)] = "corpus.sqlite",
    query: Annotated[str | None, typer.Option("--query", help="Only the documents this search finds.")] = None,
    out_file: Annotated[str, typer.Option("--out", "-o", help="File to write, or - for standard output.")] = "-",
) -> None:
    """Export the whole corpus, or a search's documents, as one TEI, JSON or CSV file (written atomically)."""
    from despatch.corpus import QueryError
    from despatch.corpus.export import FORMATS
    from despatch.corpus.export import export as run_export

    fmt = to.strip().lower()
    if fmt not in FORMATS:
        _fail(f"unknown format {to!r}; choose from {', '.join(FORMATS)}", 2)
    corpus = _open_reader(db)
    try:
        data = run_export(corpus, fmt, _query(query) if query is not None else None)
    except QueryError as exc:
        _fail(str(exc), 2)
    finally:
        corpus.close()
    if out_file == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.flush()
        return
    try:
        write_atomic(Path(out_file), data)
    except OSError as exc:
        _fail(f"{out_file}: cannot write: {exc.strerror or exc}")


index_app = typer.Typer(no_args_is_help=True, help="The index of persons, places and organizations: curate it.")
app.add_typer(index_app, name="index")


def _open_writer(db: str) -> CorpusStore:
    from despatch.corpus import CorpusError, open_store

    if "://" not in db and not Path(db).is_file():
        _fail(f"{db}: no corpus here; `despatch ingest FILES --db {db}` makes one")
    try:
        return open_store(db)
    except CorpusError as exc:
        _fail(str(exc))


@index_app.command("merge")
def index_merge(
    source: Annotated[str, typer.Argument(help="The entry merged away (its id, e.g. p-hay).")],
    target: Annotated[str, typer.Argument(help="The entry it becomes part of (e.g. p-john-hay).")],
    db: Annotated[str, typer.Option("--db", help=READ_DB_HELP)] = "corpus.sqlite",
) -> None:
    """Merge two index entries for good: the merge is applied now and after every ingest."""
    from despatch.corpus import CorpusError

    store = _open_writer(db)
    try:
        documents = store.merge(source, target)
    except CorpusError as exc:
        _fail(str(exc), 2)
    finally:
        store.close()
    say(f"merged {source} into {target} ({documents} documents)")


@index_app.command("split")
def index_split(
    entry: Annotated[str, typer.Argument(help="The entry a form is taken from.")],
    document: Annotated[str, typer.Option("--document", help="The document whose mentions are split off.")],
    form: Annotated[str, typer.Option("--form", help="The form as written in that document, e.g. Adams.")],
    new_id: Annotated[str | None, typer.Option("--new-id", help="Id of the new entry (default: ENTRY-DOCUMENT).")]
    = None,
    db: Annotated[str, typer.Option("--db", help=READ_DB_HELP)] = "corpus.sqlite",
) -> None:
    """Give the mentions of FORM in DOCUMENT an entry of their own, now and after every ingest."""
    from despatch.corpus import CorpusError

    store = _open_writer(db)
    try:
        made = store.split(entry, document, form, new_id)
    except CorpusError as exc:
        _fail(str(exc), 2)
    finally:
        store.close()
    say(f"split “{form}” in {document} off {entry} as {made}")


@index_app.command("list")
def index_list(
    prefix: Annotated[str, typer.Argument(help="Names beginning with this (any word of the name).")] = "",
    kind: Annotated[str | None, typer.Option("--kind", help="person, place or org.")] = None,
    limit: Annotated[int, typer.Option(help="Entries to list (at most 1000).")] = 50,
    db: Annotated[str, typer.Option("--db", help=READ_DB_HELP)] = "corpus.sqlite",
) -> None:
    """List index entries: id, kind, number of documents, name."""
    corpus = _open_reader(db)
    try:
        entries = corpus.entities(kind=kind, prefix=prefix, limit=limit)
    finally:
        corpus.close()
    for e in entries:
        sys.stdout.write(f"{e.id}\t{e.kind}\t{len(e.documents)}\t{e.name}\n")


@app.command()
def schema() -> None:
    """Print the JSON Schema of the files `despatch convert --to json` writes."""
    from despatch.writers.json import json_schema_text

    sys.stdout.write(json_schema_text())


def main() -> None:  # pragma: no cover - console entry point
    app()


if __name__ == "__main__":  # pragma: no cover
    main()
