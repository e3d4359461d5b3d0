"""The SQLite corpus's writing: files stored, replaced and removed, the index entries they touch made again; upkeep."""
from __future__ import annotations

import json
import sqlite3
from collections import Counter
from collections.abc import Iterable

from despatch.annotate.context import Knowledge
from despatch.corpus.codec import entity_from_json, entity_json
from despatch.corpus.prepare import PreparedFile
from despatch.corpus.results import FACET_CODE, IndexChanges, merge_entries, sort_name
from despatch.corpus.sqlite.base import _Base, _chunks, _marks, _now
from despatch.corpus.store import StoredFile
from despatch.model import Entity


class _Writing(_Base):
    """The store's side: its files and what they taught, storing and removing them; optimize and integrity."""

    # -- writing: files ----------------------------------------------------

    def files(self) -> dict[str, StoredFile]:
        rows = self._conn().execute("SELECT id, path, sha256, annotated, documents FROM files").fetchall()
        return {r[1]: StoredFile(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows}

    def knowledge(self) -> Knowledge:
        conn = self._conn()
        names = dict(conn.execute("SELECT form, name FROM known_names").fetchall())
        words = {r[0] for r in conn.execute("SELECT word FROM known_words")}
        return Knowledge(names=names, words=words)

    def learn(self, knowledge: Knowledge) -> None:
        with self._write() as conn:
            conn.executemany(
                "INSERT INTO known_names VALUES (?, ?) ON CONFLICT(form) DO UPDATE SET name = excluded.name "
                "WHERE length(excluded.name) > length(known_names.name)", knowledge.names.items())
            conn.executemany("INSERT OR IGNORE INTO known_words VALUES (?)", ((w,) for w in knowledge.words))

    def store(self, files: list[PreparedFile]) -> list[str | None]:
        """Store `files` in one transaction; for each, None or why it was not stored (its old version stays)."""
        outcomes: list[str | None] = []
        with self._write() as conn:
            changes = IndexChanges()
            next_n = int(conn.execute("SELECT coalesce(max(n), 0) + 1 FROM documents").fetchone()[0])
            for f in files:
                conn.execute("SAVEPOINT file")
                added: list[tuple[str, str]] = []
                lost: set[str] = set()
                try:
                    outcome = self._clash(conn, f)
                    if outcome is None:
                        next_n = self._store_file(conn, f, next_n, lost, added)
                except sqlite3.IntegrityError as exc:
                    outcome = f"{f.path}: cannot store: {exc}"
                if outcome is not None:
                    conn.execute("ROLLBACK TO file")
                    for key in added:
                        if self._terms is not None:
                            self._terms.pop(key, None)
                else:
                    changes.note(lost, f.entities)
                conn.execute("RELEASE file")
                outcomes.append(outcome)
            self._refresh_entities(conn, changes)
        return outcomes

    def _clash(self, conn: sqlite3.Connection, f: PreparedFile) -> str | None:
        """Why `f` cannot be stored as it is: a document id another stored file already holds."""
        ids = [d.id for d in f.documents] + [e for d in f.documents for e in d.enclosures]
        if len(set(ids)) != len(ids):
            dup = next(i for i in ids if ids.count(i) > 1)
            return f"{f.path}: document id {dup} occurs twice in the file"
        for chunk in _chunks(ids):
            marks = _marks(len(chunk))
            row = conn.execute(
                f"SELECT d.id, f.path FROM documents d JOIN files f ON f.id = d.file WHERE d.id IN ({marks}) "
                f"AND f.path != ? UNION ALL SELECT e.id, f.path FROM enclosures e JOIN documents d ON d.n = e.doc "
                f"JOIN files f ON f.id = d.file WHERE e.id IN ({marks}) AND f.path != ? LIMIT 1",
                (*chunk, f.path, *chunk, f.path)).fetchone()
            if row is not None:
                return f"{f.path}: not stored, document id {row[0]} is already that of {row[1]}"
        return None

    def _term_id(self, conn: sqlite3.Connection, facet: str, value: str, label: str,
                 added: list[tuple[str, str]]) -> int:
        if self._terms is None:
            self._terms = {(f, v): i for i, f, v in conn.execute("SELECT id, facet, value FROM terms")}
        key = (facet, value)
        tid = self._terms.get(key)
        if tid is None:
            tid = int(conn.execute("INSERT INTO terms (facet, value, label, docs) VALUES (?, ?, ?, 0)",
                                   (facet, value, label)).lastrowid or 0)
            self._terms[key] = tid
            added.append(key)
        return tid

    def _store_file(self, conn: sqlite3.Connection, f: PreparedFile, next_n: int, lost: set[str],
                    added: list[tuple[str, str]]) -> int:
        """Insert one file's rows (replacing its earlier ones); the next free document number.

        The index entries its earlier version contributed to go into `lost`, the
        terms this file is the first to use into `added`.
        """
        old = conn.execute("SELECT id FROM files WHERE path = ?", (f.path,)).fetchone()
        if old is not None:
            lost |= self._delete_file_rows(conn, old[0])
            conn.execute("UPDATE files SET sha256 = ?, size = ?, mtime = ?, ingested_at = ?, annotated = ?, "
                         "documents = ? WHERE id = ?",
                         (f.sha256, f.size, f.mtime, _now(), int(f.annotated), len(f.documents), old[0]))
            file_id = int(old[0])
        else:
            file_id = int(conn.execute(
                "INSERT INTO files (path, sha256, size, mtime, ingested_at, annotated, documents) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (f.path, f.sha256, f.size, f.mtime, _now(), int(f.annotated), len(f.documents))).lastrowid or 0)
        docs: list[tuple] = []
        data: list[tuple] = []
        fts: list[tuple] = []
        encl: list[tuple] = []
        parties: list[tuple] = []
        notes: list[tuple] = []
        mentions: list[tuple] = []
        doc_terms: list[tuple] = []
        term_docs: Counter[int] = Counter()
        for n, d in enumerate(f.documents, start=next_n):
            docs.append((n, d.id, file_id, d.position, d.number, d.head, d.date, d.date_text, d.precision, d.chrono,
                         d.place, d.channel, json.dumps(d.classification, ensure_ascii=False),
                         json.dumps(d.file_numbers, ensure_ascii=False), d.source_file, d.source_format))
            data.append((n, d.data))
            fts.append((n, *d.search))
            encl.extend((e, n) for e in d.enclosures)
            parties.extend((n, *p) for p in d.parties)
            notes.extend((n, *r) for r in d.notes)
            mentions.extend((n, *m) for m in d.mentions)
            for t in d.terms:
                tid = self._term_id(conn, t.facet, t.value, t.label, added)
                doc_terms.append((n, FACET_CODE[t.facet], tid))
                term_docs[tid] += 1
        conn.executemany("INSERT INTO documents VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", docs)
        conn.executemany("INSERT INTO document_data VALUES (?, ?)", data)
        conn.executemany("INSERT INTO documents_fts (rowid, head, body, notes, parties) VALUES (?, ?, ?, ?, ?)", fts)
        conn.executemany("INSERT INTO enclosures VALUES (?, ?)", encl)
        conn.executemany("INSERT INTO parties VALUES (?, ?, ?, ?, ?, ?, ?)", parties)
        conn.executemany("INSERT INTO notes VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", notes)
        conn.executemany("INSERT INTO mentions VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", mentions)
        conn.executemany("INSERT INTO doc_terms VALUES (?, ?, ?)", doc_terms)
        conn.executemany("UPDATE terms SET docs = docs + ? WHERE id = ?", ((c, t) for t, c in term_docs.items()))
        conn.executemany("INSERT INTO entity_parts VALUES (?, ?, ?)",
                         ((e.id, file_id, entity_json(e)) for e in f.entities))
        return next_n + len(f.documents)

    def _delete_file_rows(self, conn: sqlite3.Connection, file_id: int) -> set[str]:
        """Remove a file's documents and everything hanging from them; the index entries it contributed to."""
        docs = "(SELECT n FROM documents WHERE file = ?)"
        arg = (file_id,)
        gone = conn.execute(f"SELECT term, count(*) FROM doc_terms WHERE doc IN {docs} GROUP BY term", arg).fetchall()
        conn.executemany("UPDATE terms SET docs = docs - ? WHERE id = ?", ((c, t) for t, c in gone))
        emptied = [t for (t,) in conn.execute(
            f"SELECT id FROM terms WHERE docs <= 0 AND id IN (SELECT term FROM doc_terms WHERE doc IN {docs})", arg)]
        for table in ("doc_terms", "mentions", "notes", "parties", "enclosures"):
            conn.execute(f"DELETE FROM {table} WHERE doc IN {docs}", arg)
        conn.execute(f"DELETE FROM documents_fts WHERE rowid IN {docs}", arg)
        conn.execute(f"DELETE FROM document_data WHERE n IN {docs}", arg)
        conn.execute("DELETE FROM documents WHERE file = ?", arg)
        for chunk in _chunks(emptied):
            conn.execute(f"DELETE FROM terms WHERE id IN ({_marks(len(chunk))})", tuple(chunk))
        if self._terms is not None and emptied:
            dropped = set(emptied)
            self._terms = {k: v for k, v in self._terms.items() if v not in dropped}
        touched = {r[0] for r in conn.execute("SELECT entity FROM entity_parts WHERE file = ?", arg)}
        conn.execute("DELETE FROM entity_parts WHERE file = ?", arg)
        return touched

    def remove(self, paths: Iterable[str]) -> int:
        """Forget the files at `paths` (absolute, as stored) and their documents; how many documents went."""
        removed = 0
        with self._write() as conn:
            changes = IndexChanges()
            for path in paths:
                row = conn.execute("SELECT id, documents FROM files WHERE path = ?", (path,)).fetchone()
                if row is None:
                    continue
                changes.lost |= self._delete_file_rows(conn, row[0])
                conn.execute("DELETE FROM files WHERE id = ?", (row[0],))
                removed += int(row[1])
            self._refresh_entities(conn, changes)
        return removed

    def _refresh_entities(self, conn: sqlite3.Connection, changes: IndexChanges) -> None:
        """The index entries a transaction changed, made again from their files' entries.

        An entry that only gained files is the entry as it stood joined with the new
        files' entries (files are merged in the order stored, and new ones come last);
        one that lost a file is merged afresh from the files left, or goes if none is.
        """
        grown = [i for i in changes.gained if i not in changes.lost]
        for chunk in _chunks(grown):
            current = {r[0]: entity_from_json(r[1]) for r in conn.execute(
                f"SELECT id, data FROM entities WHERE id IN ({_marks(len(chunk))})", tuple(chunk))}
            self._save_entities(conn, [merge_entries(([current[i]] if i in current else []) + changes.gained[i])
                                       for i in chunk])
        for chunk in _chunks(sorted(changes.lost)):
            parts: dict[str, list[Entity]] = {}
            for entity, data in conn.execute(
                    f"SELECT entity, data FROM entity_parts WHERE entity IN ({_marks(len(chunk))}) "
                    "ORDER BY entity, file", tuple(chunk)):
                parts.setdefault(entity, []).append(entity_from_json(data))
            gone = [i for i in chunk if i not in parts]
            conn.executemany("DELETE FROM entities WHERE id = ?", ((i,) for i in gone))
            self._save_entities(conn, [merge_entries(entries) for entries in parts.values()])

    def _save_entities(self, conn: sqlite3.Connection, entries: list[Entity]) -> None:
        conn.executemany("INSERT OR REPLACE INTO entities VALUES (?, ?, ?, ?, ?, ?)",
                         ((e.id, e.kind, e.name, sort_name(e.name), len(e.documents), entity_json(e))
                          for e in entries))

    # -- maintenance -------------------------------------------------------

    def optimize(self) -> None:
        """Merge the full-text index's segments and refresh the planner's statistics (after a large ingest)."""
        with self._write() as conn:
            conn.execute("INSERT INTO documents_fts (documents_fts) VALUES ('optimize')")
        self._conn().execute("PRAGMA optimize")

    def integrity(self) -> list[str]:
        """What SQLite and FTS5 find wrong with the file (nothing, normally)."""
        conn = self._conn()
        problems = [r[0] for r in conn.execute("PRAGMA integrity_check") if r[0] != "ok"]
        problems += [f"foreign key: {r}" for r in conn.execute("PRAGMA foreign_key_check")]
        if not self.readonly:
            try:
                conn.execute("INSERT INTO documents_fts (documents_fts, rank) VALUES ('integrity-check', 1)")
            except sqlite3.DatabaseError as exc:
                problems.append(f"full-text index: {exc}")
        return problems
