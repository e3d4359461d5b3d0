"""The editor's merges and splits of index entries: applied at once, and again after every ingest.

Entries are chosen from what the annotators found in the dev set's chapters
(the most named people), so the tests hold whatever the annotators decide.
"""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import despatch
from corpus.support import DEV, assert_index_exact
from despatch.annotate.text import texts
from despatch.corpus import CorpusError, CorpusStore
from despatch.corpus.ingest import ingest
from despatch.model import Entity

CHAPTERS = sorted((DEV / "chapter").glob("frus1861-*.txt")) + sorted((DEV / "chapter").glob("frus1901China-*.txt"))


@pytest.fixture
def chapters(tmp_path: Path) -> Path:
    folder = tmp_path / "chapters"
    folder.mkdir()
    for f in CHAPTERS:
        shutil.copy(f, folder / f.name)
    return folder


def _people(store: CorpusStore) -> list[Entity]:
    people = store.entities(kind="person", limit=1000)
    return sorted(people, key=lambda e: (-len(e.documents), e.id))


def _refs(store: CorpusStore, doc_id: str) -> set[str]:
    doc = store.document(doc_id)
    assert doc is not None
    return {m.ref for part in doc.all_documents() for t in texts(part) for m in t.holder.mentions if m.ref}


def _touch(folder: Path, doc_ids: list[str]) -> None:
    """Change every file holding one of `doc_ids` (a line added at its end), so the next ingest replaces it."""
    for f in folder.iterdir():
        if any(d.startswith(f.stem) for d in doc_ids):
            f.write_text(f.read_text(encoding="utf-8") + "\n", encoding="utf-8")


def test_merge_applies_now_and_after_reingest(store: CorpusStore, chapters: Path) -> None:
    ingest(store, [chapters], annotate=True)
    kept, merged = _people(store)[:2]
    documents = store.merge(merged.id, kept.id)
    assert documents == len(merged.documents)
    entry = store.entity(kept.id)
    assert entry is not None and set(entry.entity.documents) == set(kept.documents) | set(merged.documents)
    assert store.entity(merged.id).entity.id == kept.id  # type: ignore[union-attr]  # the old address leads on
    assert merged.id not in {e.id for e in store.entities(limit=1000)}
    for doc_id in merged.documents:
        refs = _refs(store, doc_id)
        assert kept.id in refs and merged.id not in refs
    assert_index_exact(store)
    # the files naming the merged entry change and are read again: the merge holds
    _touch(chapters, merged.documents)
    report = ingest(store, [chapters], annotate=True)
    assert report.files_replaced >= 1
    assert merged.id not in {e.id for e in store.entities(limit=1000)}
    again = store.entity(kept.id)
    assert again is not None and set(again.entity.documents) >= set(merged.documents)
    assert_index_exact(store)
    forced = ingest(store, [chapters], annotate=True, force=True)
    assert forced.files_replaced == len(CHAPTERS)
    assert merged.id not in {e.id for e in store.entities(limit=1000)}
    assert_index_exact(store)


def _split_candidate(store: CorpusStore) -> tuple[Entity, str, str]:
    """A person named in several documents, one of those documents, and the name as written there."""
    for entry in _people(store):
        if len(entry.documents) < 2:
            continue
        doc_id = entry.documents[-1]
        doc = store.document(doc_id)
        assert doc is not None
        forms = [m.text for part in doc.all_documents() for t in texts(part) for m in t.holder.mentions
                 if m.ref == entry.id and m.form == "name"]
        if forms:
            return entry, doc_id, forms[0]
    raise AssertionError("the dev set names nobody twice")


def test_split_applies_now_and_after_reingest(store: CorpusStore, chapters: Path) -> None:
    ingest(store, [chapters], annotate=True)
    entry, doc_id, form = _split_candidate(store)
    new_id = store.split(entry.id, doc_id, form)
    page = store.entity(new_id)
    assert page is not None and page.entity.documents == [doc_id] and form in page.entity.forms
    doc = store.document(doc_id)
    assert doc is not None
    linked = {m.ref for part in doc.all_documents() for t in texts(part) for m in t.holder.mentions
              if m.text == form and m.kind == "person"}
    assert new_id in linked and entry.id not in linked
    assert_index_exact(store)
    _touch(chapters, [doc_id])
    assert ingest(store, [chapters], annotate=True).files_replaced == 1
    again = store.entity(new_id)
    assert again is not None and again.entity.documents == [doc_id]
    assert_index_exact(store)


def test_merge_after_split_and_split_after_merge(store: CorpusStore, chapters: Path) -> None:
    ingest(store, [chapters], annotate=True)
    entry, doc_id, form = _split_candidate(store)
    other = next(e for e in _people(store) if e.id != entry.id)
    store.merge(entry.id, other.id)
    # the form now sits under the entry it was merged into; splitting it from there works
    new_id = store.split(other.id, doc_id, form, new_id="p-split-off")
    assert new_id == "p-split-off" and store.entity(new_id).entity.documents == [doc_id]  # type: ignore[union-attr]
    assert_index_exact(store)


def test_curation_mistakes_are_refused(store: CorpusStore, chapters: Path) -> None:
    ingest(store, [chapters], annotate=True)
    person = _people(store)[0]
    place = store.entities(kind="place", limit=1)[0]
    entry, doc_id, form = _split_candidate(store)
    for attempt in (lambda: store.merge("p-nobody", person.id), lambda: store.merge(person.id, "p-nobody"),
                    lambda: store.merge(person.id, person.id), lambda: store.merge(person.id, place.id),
                    lambda: store.split("p-nobody", doc_id, form), lambda: store.split(entry.id, "no-doc", form),
                    lambda: store.split(entry.id, doc_id, "Nobody"),
                    lambda: store.split(entry.id, doc_id, form, new_id=person.id)):
        with pytest.raises(CorpusError):
            attempt()
    assert store.curation().merges == {} and store.curation().splits == []


def test_index_commands(tmp_path: Path, chapters: Path, corpus_url: str) -> None:
    db = corpus_url
    assert despatch("ingest", chapters, "--db", db).code == 0
    listed = despatch("index", "list", "--db", db, "--kind", "person", "--limit", "1000")
    rows = [line.split("\t") for line in listed.stdout.splitlines()]
    rows.sort(key=lambda r: (-int(r[2]), r[0]))
    (kept, *_), (merged, *_) = rows[:2]
    run = despatch("index", "merge", merged, kept, "--db", db)
    assert run.code == 0 and run.stderr.startswith(f"merged {merged} into {kept}")
    relisted = despatch("index", "list", "--db", db, "--kind", "person", "--limit", "1000").stdout
    assert f"{merged}\t" not in relisted and f"{kept}\t" in relisted
    wrong = despatch("index", "merge", "p-nobody", kept, "--db", db)
    assert wrong.code == 2 and wrong.stderr.strip() == "no index entry p-nobody"
    split = despatch("index", "split", kept, "--document", "no-doc", "--form", "X", "--db", db)
    assert split.code == 2 and split.stderr.strip() == "no document no-doc"
    missing = despatch("index", "merge", "a", "b", "--db", tmp_path / "none.sqlite")
    assert missing.code == 1 and "no corpus here" in missing.stderr
