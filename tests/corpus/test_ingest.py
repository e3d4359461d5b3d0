"""Ingest: documents stored exactly, incrementally and idempotently; updates, prunes and a killed batch.

Real files throughout: the dev set's plain transcriptions and chapters, the
founding telegram. A corpus is killed with SIGKILL in the middle of an ingest,
inside an open transaction, and must reopen whole and finish on the next run.
"""
from __future__ import annotations

import shutil
import signal
import sqlite3
import subprocess
import sys
from collections import Counter
from pathlib import Path

import psycopg
import pytest

from conftest import despatch
from corpus.conftest import NewCorpus
from corpus.support import DEV, EXAMPLE, EXAMPLE_ID, assert_index_exact, snapshot
from despatch.annotate.context import Knowledge
from despatch.corpus import CorpusError, CorpusStore, SearchQuery, UnsupportedBackend, open_corpus, open_store
from despatch.corpus.ingest import ingest
from despatch.corpus.prepare import prepare_documents
from despatch.pipeline import read_documents, set_knowledge
from despatch.readers import read_file

PLAIN = sorted((DEV / "plain").glob("*.txt"))


def _copy(files: list[Path], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    return [Path(shutil.copy(f, folder / f.name)) for f in files]


def test_documents_come_back_exactly_as_converted(store: CorpusStore) -> None:
    report = ingest(store, [EXAMPLE], annotate=True)
    assert (report.files_seen, report.files_added, report.documents, report.failures) == (1, 1, 1, [])
    # What the pipeline makes of the file, with the index links the store made
    set_knowledge(store.knowledge())
    try:
        docs, _ = read_documents(EXAMPLE, annotate=True)
    finally:
        set_knowledge(None)
    prepare_documents(docs)
    assert store.document(EXAMPLE_ID) == docs[0]
    assert any(m.ref for m in docs[0].head.mentions)


def test_unannotated_documents_are_the_readers_own(store: CorpusStore) -> None:
    files = [DEV / "chapter" / "frus1918Russiav03-chapter01.txt", EXAMPLE]
    report = ingest(store, files, annotate=False)
    expected = [d for f in files for d in read_file(f)]
    assert report.documents == len(expected) == store.count()
    for doc in expected:
        assert store.document(doc.id) == doc
    for doc in expected:
        for enc in doc.enclosures:
            assert store.document(enc.id) == enc
    assert store.document("no-such-document") is None


def test_second_ingest_changes_nothing(store: CorpusStore, tmp_path: Path) -> None:
    src = _copy(PLAIN[:12] + [EXAMPLE], tmp_path / "in")
    first = ingest(store, [tmp_path / "in"], annotate=True)
    assert first.files_added == len(src) and not first.failures
    before = snapshot(store)
    second = ingest(store, [tmp_path / "in"], annotate=True)
    assert (second.files_seen, second.files_unchanged, second.files_added, second.files_replaced,
            second.files_removed, second.documents) == (len(src), len(src), 0, 0, 0, 0)
    assert snapshot(store) == before
    assert_index_exact(store)


def test_another_annotation_setting_replaces_the_file(store: CorpusStore) -> None:
    ingest(store, [EXAMPLE], annotate=False)
    assert not store.entities()
    report = ingest(store, [EXAMPLE], annotate=True)
    assert report.files_replaced == 1
    assert store.entities()
    assert_index_exact(store)


def test_changed_file_replaces_its_documents(store: CorpusStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    old, other, _ = _copy(PLAIN[:3], folder)
    ingest(store, [folder], annotate=True)
    old_doc = store.document(old.stem)
    assert old_doc is not None
    # The file is rewritten with another document's text: same file, same id, new content.
    new_text = other.read_bytes()
    old.write_bytes(new_text)
    report = ingest(store, [folder], annotate=True)
    assert (report.files_replaced, report.files_unchanged, report.files_added) == (1, 2, 0)
    new_doc = store.document(old.stem)
    assert new_doc is not None and new_doc.head.text == store.document(other.stem).head.text  # type: ignore[union-attr]
    assert new_doc.head.text != old_doc.head.text
    assert store.count() == 3
    assert_index_exact(store)


def test_prune_removes_deleted_files_and_their_entries(store: CorpusStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    files = _copy(PLAIN[:6], folder)
    ingest(store, [folder], annotate=True)
    gone = files[0]
    own = {e.id for e in store.entities(limit=1000) if e.documents == [gone.stem]}
    gone.unlink()
    kept = ingest(store, [folder], annotate=True)
    assert kept.files_removed == 0 and store.document(gone.stem) is not None  # without --prune, nothing goes
    pruned = ingest(store, [folder], annotate=True, prune=True)
    assert (pruned.files_removed, pruned.files_unchanged) == (1, 5)
    assert store.document(gone.stem) is None and store.count() == 5
    for entity_id in own:
        assert store.entity(entity_id) is None
    assert_index_exact(store)
    # files outside the inputs are never pruned
    ingest(store, [EXAMPLE], annotate=True, prune=True)
    assert store.count() == 6


def test_jobs_do_not_change_the_corpus(new_corpus_url: NewCorpus) -> None:
    files = [*PLAIN[:10], DEV / "chapter" / "frus1861-chapter00.txt", EXAMPLE]
    stores = []
    for workers, name in ((1, "one"), (2, "two")):
        url = new_corpus_url(name)
        store = open_store(url)
        ingest(store, files, annotate=True, workers=workers)
        stores.append(store)
    assert snapshot(stores[0]) == snapshot(stores[1])
    for store in stores:
        store.close()


def test_same_document_id_from_two_files_is_refused(store: CorpusStore, tmp_path: Path) -> None:
    # The dev set has each document in several raw forms; the same id twice would be a duplicate.
    plain = next(p for p in PLAIN if (DEV / "wordexport" / p.name).exists())
    stem = plain.stem
    first = _copy([plain], tmp_path / "plain")[0]
    second = _copy([DEV / "wordexport" / plain.name], tmp_path / "wordexport")[0]
    report = ingest(store, [tmp_path / "plain", tmp_path / "wordexport"], annotate=False)
    assert report.files_added == 1
    clash = f"{second.resolve()}: not stored, document id {stem} is already that of {first.resolve()}"
    assert report.failures == [clash]
    assert store.count() == 1 and store.document(stem) is not None


def test_a_bad_file_fails_alone(store: CorpusStore, tmp_path: Path) -> None:
    folder = tmp_path / "in"
    _copy(PLAIN[:2], folder)
    (folder / "empty.txt").write_bytes(b"")
    report = ingest(store, [folder], annotate=False)
    assert report.files_added == 2 and len(report.failures) == 1
    assert report.failures[0].startswith(str(folder / "empty.txt") + ": ")


# A child process ingesting with small transactions, telling the test after each
# file stored; with BLOCK it stops inside the transaction of its second batch, rows
# written and not committed, and waits there to be killed.
DRIVER = r"""
import sys
from pathlib import Path
from despatch.corpus import ingest as ingest_module, open_store

url, block = sys.argv[1], sys.argv[2] == "block"
ingest_module.BATCH_FILES = 3
store = open_store(url)
if hasattr(store, "_conn"):
    # SQLite: a page cache of two pages makes the open transaction spill into the WAL
    # before the kill, so recovery has uncommitted frames to ignore, not just nothing.
    store._conn().execute("PRAGMA cache_size=2")
real_store = store.store
batches = 0

class StopsInside(list):
    def __iter__(self):
        items = list.__iter__(self)
        yield next(items)
        print("inside", flush=True)
        sys.stdin.readline()  # killed here
        yield from items

def store_files(files):
    global batches
    batches += 1
    return real_store(StopsInside(files) if block and batches == 2 else files)

store.store = store_files
progress = lambda outcome: print(outcome.status, outcome.path, flush=True)
ingest_module.ingest(store, [Path(p) for p in sys.argv[3:]], annotate=False, progress=progress)
print("done", flush=True)
"""


def _kill_mid_ingest(url: str, files: list[Path], block: bool) -> set[str]:
    """Run the driver, SIGKILL it once a batch is stored (inside the next one with `block`); the files it stored."""
    proc = subprocess.Popen([sys.executable, "-c", DRIVER, url, "block" if block else "free", *map(str, files)],
                            stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    stored: set[str] = set()
    assert proc.stdout is not None
    for line in proc.stdout:
        status, _, path = line.rstrip("\n").partition(" ")
        if status == "added":
            stored.add(path)
        if status == "inside" or (not block and stored):
            break
        assert status != "done", "the ingest finished before it could be killed"
    else:
        raise AssertionError(f"the driver stopped: {proc.stderr.read() if proc.stderr else ''}")
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    assert proc.returncode == -signal.SIGKILL
    return stored


def _assert_whole(url: str) -> dict[str, int]:
    """The corpus at `url` is sound and holds every file it lists with all that file's documents."""
    store = open_store(url)
    try:
        assert store.integrity() == []
        per_file = Counter(str(d.source_file) for d in store.documents())
        files = store.files()
        assert {path: f.documents for path, f in files.items()} == dict(per_file)
        assert sum(per_file.values()) == store.count()
        assert_index_exact(store)
        return dict(per_file)
    finally:
        store.close()


@pytest.mark.parametrize("block", [True, False], ids=["inside-a-transaction", "free-running"])
def test_killed_ingest_leaves_a_whole_corpus_and_finishes_next_time(corpus_url: str, block: bool) -> None:
    files = [p.resolve() for p in PLAIN]
    stored = _kill_mid_ingest(corpus_url, files, block)
    assert stored  # the first batch was committed before the kill
    after_kill = _assert_whole(corpus_url)
    assert set(after_kill) >= stored
    if block:
        assert set(after_kill) == stored  # the batch open at the kill left nothing behind
    assert len(after_kill) < len(files)
    store = open_store(corpus_url)
    try:
        report = ingest(store, files, annotate=False)
    finally:
        store.close()
    assert report.files_unchanged == len(after_kill)
    assert report.files_added == len(files) - len(after_kill)
    assert not report.failures
    final = _assert_whole(corpus_url)
    assert final == {str(f): len(read_file(f)) for f in files}


def test_schema_version_recorded_and_migrations_not_repeated(corpus_url: str) -> None:
    from despatch.corpus.schema import latest_version

    for _ in range(2):
        open_store(corpus_url).close()
    if corpus_url.startswith("postgresql"):
        with psycopg.connect(corpus_url) as conn:
            rows = conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
        assert rows == [(v,) for v in range(1, latest_version("postgresql") + 1)]
    else:
        rows = sqlite3.connect(corpus_url).execute("SELECT version FROM schema_version").fetchall()
        assert rows == [(v,) for v in range(1, latest_version() + 1)]


def test_readers_cannot_write_and_missing_corpora_are_named(corpus_url: str, tmp_path: Path) -> None:
    open_store(corpus_url).close()
    reader = open_corpus(corpus_url)
    try:
        with pytest.raises(CorpusError):
            reader.learn(Knowledge(names={"Harriman": "W. Averell Harriman"}))  # type: ignore[attr-defined]
    finally:
        reader.close()
    missing = tmp_path / "nowhere.sqlite"
    with pytest.raises(CorpusError, match="no corpus here"):
        open_corpus(str(missing))
    assert not missing.exists()
    (tmp_path / "not-a-corpus.sqlite").write_text("Mr. Schurz to Mr. Seward.", encoding="utf-8")
    with pytest.raises(CorpusError, match="not a despatch corpus"):
        open_corpus(str(tmp_path / "not-a-corpus.sqlite"))
    with pytest.raises(UnsupportedBackend, match="unknown kind of corpus mysql://"):
        open_corpus("mysql://localhost/frus")


def test_sqlite_urls(tmp_path: Path) -> None:
    path = tmp_path / "frus.sqlite"
    store = open_store(f"sqlite:///{path}")
    ingest(store, [EXAMPLE], annotate=False)
    store.close()
    reader = open_corpus(str(path))
    assert reader.count() == 1
    reader.close()


# -- the command ---------------------------------------------------------------


def test_ingest_command_summary_and_idempotence(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    folder = tmp_path / "in"
    _copy(PLAIN[:4], folder)
    (folder / "gold.jsonl").write_text("{}\n", encoding="utf-8")
    run = despatch("ingest", folder, EXAMPLE, "--db", db)
    assert run.code == 0, run.stderr
    lines = run.stderr.splitlines()
    assert "files seen  5" in lines and "added       5" in lines and "skipped     1 (not document files)" in lines
    assert "documents   5 stored, 5 in the corpus" in lines and "failures    0" in lines
    assert any(line.startswith("time") and "documents/s" in line for line in lines)
    again = despatch("ingest", folder, EXAMPLE, "--db", db)
    assert "unchanged   5" in again.stderr.splitlines() and "documents   0 stored, 5 in the corpus" in again.stderr


def test_ingest_command_failures(tmp_path: Path) -> None:
    db = tmp_path / "c.sqlite"
    (tmp_path / "empty.txt").write_bytes(b"")
    run = despatch("ingest", EXAMPLE, tmp_path / "empty.txt", tmp_path / "missing.txt", "--db", db)
    assert run.code == 1
    assert f"{tmp_path / 'missing.txt'}: no such file or folder" in run.stderr
    assert any(line.startswith(f"{tmp_path / 'empty.txt'}: ") for line in run.stderr.splitlines())
    assert "failures    2" in run.stderr.splitlines()
    reader = open_corpus(str(db))
    assert reader.search(SearchQuery(text="Harriman")).total == 1
    reader.close()
    (tmp_path / "text.sqlite").write_text("not a corpus", encoding="utf-8")
    bad = despatch("ingest", EXAMPLE, "--db", tmp_path / "text.sqlite")
    assert bad.code == 1 and bad.stderr.startswith(f"{tmp_path / 'text.sqlite'}: not a despatch corpus")


def test_index_grown_batch_by_batch_equals_the_index_merged_afresh(corpus_url: str, new_corpus_url: NewCorpus,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    from despatch.corpus import ingest as ingest_module

    files = sorted((DEV / "chapter").glob("frus1861-*.txt")) + [EXAMPLE]
    monkeypatch.setattr(ingest_module, "BATCH_FILES", 1)  # each file its own transaction: entries grow file by file
    grown = open_store(corpus_url)
    afresh = open_store(new_corpus_url("afresh"))
    try:
        ingest(grown, files, annotate=True)
        ingest(afresh, files, annotate=True)
        # every file replaced: each entry loses its parts and is merged again from all of them
        assert ingest(afresh, files, annotate=True, force=True).files_replaced == len(files)
        assert snapshot(grown) == snapshot(afresh)
        assert_index_exact(grown)
    finally:
        grown.close()
        afresh.close()
