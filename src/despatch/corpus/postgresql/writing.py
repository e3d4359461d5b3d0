"""The PostgreSQL corpus's writing: files stored, replaced and removed, under their paths' locks; upkeep.

A store's second phase, under the index lock, brings the term counts and the
index entries up to date (`_finish`); `optimize` and `integrity` are here too.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from typing import Any

import psycopg
from psycopg import errors

from despatch.annotate.context import Knowledge
from despatch.corpus.codec import entity_from_json, entity_json
from despatch.corpus.postgresql.base import _Base, _chunks
from despatch.corpus.postgresql.connection import INDEX_LOCK, PATH_SPACE, _one_line, _path_key
from despatch.corpus.postgresql.fulltext import COLUMN_GAP, index_words, is_long, passages
from despatch.corpus.prepare import DocumentRows, PreparedFile
from despatch.corpus.results import FACET_CODE, IndexChanges, merge_entries, sort_name
from despatch.corpus.store import StoredFile
from despatch.model import Entity

# documents.terms holds the facets up to "month": the six a search filters and counts, and the histogram's.
ROW_FACETS = FACET_CODE["month"]


class _NotStored(Exception):
    """A file the store refuses: the message is the line the ingest prints."""


class _Writing(_Base):
    """The store's side: its files and what they taught, storing and removing them; optimize and integrity."""

    # -- writing: files ----------------------------------------------------

    def files(self) -> dict[str, StoredFile]:
        with self._read() as conn:
            rows = conn.execute("SELECT id, path, sha256, annotated, documents FROM files").fetchall()
        return {r[1]: StoredFile(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows}

    def knowledge(self) -> Knowledge:
        with self._read() as conn:
            names = dict(conn.execute("SELECT form, name FROM known_names").fetchall())
            words = {r[0] for r in conn.execute("SELECT word FROM known_words")}
        return Knowledge(names=names, words=words)

    def learn(self, knowledge: Knowledge) -> None:
        names = sorted(knowledge.names.items())
        words = sorted(knowledge.words)

        def run(conn: psycopg.Connection) -> None:
            # In key order, so two writers learning at once lock the rows they share in one order.
            conn.execute(
                "INSERT INTO known_names (form, name) SELECT * FROM unnest(%s::text[], %s::text[]) AS x(f, n) "
                "ORDER BY f ON CONFLICT (form) DO UPDATE SET name = excluded.name "
                "WHERE length(excluded.name) > length(known_names.name)",
                ([f for f, _ in names], [n for _, n in names]))
            conn.execute("INSERT INTO known_words (word) SELECT w FROM unnest(%s::text[]) AS x(w) ORDER BY w "
                         "ON CONFLICT (word) DO NOTHING", (words,))

        self._retrying(run)

    def store(self, files: list[PreparedFile]) -> list[str | None]:
        """Store `files` in one transaction; for each, None or why it was not stored (its old version stays)."""
        files = list(files)
        if not files:
            return []
        return self._retrying(lambda conn: self._store(conn, files))

    def _store(self, conn: psycopg.Connection, files: list[PreparedFile]) -> list[str | None]:
        self._lock_paths(conn, [f.path for f in files])
        self._ensure_terms(conn, [t for f in files for d in f.documents for t in d.terms])
        outcomes: list[str | None] = []
        changes = IndexChanges()
        delta: Counter[int] = Counter()
        for f in files:
            try:
                with conn.transaction():  # a savepoint: a file that cannot be stored leaves nothing
                    clash = self._clash(conn, f)
                    if clash is not None:
                        raise _NotStored(clash)
                    lost, file_delta = self._store_file(conn, f)
            except _NotStored as exc:
                outcomes.append(str(exc))
                continue
            except errors.UniqueViolation as exc:
                # Another writer stored one of these ids after the check above: say whose it is now.
                outcomes.append(self._clash(conn, f) or f"{f.path}: cannot store: {_one_line(exc)}")
                continue
            except (psycopg.DataError, psycopg.IntegrityError) as exc:
                # Text PostgreSQL cannot hold (a NUL character, say) costs that file, not the batch.
                outcomes.append(f"{f.path}: cannot store: {_one_line(exc)}")
                continue
            changes.note(lost, f.entities)
            delta.update(file_delta)
            outcomes.append(None)
        self._finish(conn, delta, changes)
        return outcomes

    def _lock_paths(self, conn: psycopg.Connection, paths: Iterable[str]) -> None:
        """Hold, to the commit, the advisory lock of each path: one writer at a time replaces a file.

        One statement in key order, so two writers wanting some of the same paths queue
        behind each other rather than deadlock.
        """
        keys = sorted({_path_key(p) for p in paths})
        conn.execute("SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::integer[]) AS x(k) ORDER BY k",
                     (PATH_SPACE, keys))

    def _ensure_terms(self, conn: psycopg.Connection, rows: Iterable[Any]) -> None:
        """Make the facet terms `rows` name, those not made yet, and cache every id.

        Ids are drawn in the order of first use (so facet values tied in count list in the
        same order as on SQLite), rows are inserted in key order (so two writers making
        the same new terms queue rather than deadlock).
        """
        wanted: dict[tuple[str, str], str] = {}
        for t in rows:
            key = (t.facet, t.value)
            if key not in self._terms and key not in wanted:
                wanted[key] = t.label
        if not wanted:
            return
        ids = sorted(r[0] for r in conn.execute(
            "SELECT nextval(pg_get_serial_sequence('terms', 'id')) FROM generate_series(1, %s)", (len(wanted),)))
        keys = list(wanted)
        conn.execute(
            "INSERT INTO terms (id, facet, value, label) SELECT * FROM unnest(%s::integer[], %s::text[], %s::text[], "
            "%s::text[]) AS x(i, f, v, l) ORDER BY f, v ON CONFLICT (facet, value) DO NOTHING",
            (ids, [f for f, _ in keys], [v for _, v in keys], [wanted[k] for k in keys]))
        for tid, facet, value in conn.execute(
                "SELECT t.id, t.facet, t.value FROM terms t JOIN unnest(%s::text[], %s::text[]) AS x(f, v) "
                "ON t.facet = x.f AND t.value = x.v", ([f for f, _ in keys], [v for _, v in keys])):
            self._terms[(facet, value)] = tid

    def _clash(self, conn: psycopg.Connection, f: PreparedFile) -> str | None:
        """Why `f` cannot be stored as it is: a document id another stored file already holds."""
        ids = [d.id for d in f.documents] + [e for d in f.documents for e in d.enclosures]
        twice = [i for i, k in Counter(ids).items() if k > 1]
        if twice:
            return f"{f.path}: document id {twice[0]} occurs twice in the file"
        row = conn.execute(
            "SELECT i.id, f.path FROM document_ids i JOIN documents d ON d.n = i.doc JOIN files f ON f.id = d.file "
            "WHERE i.id = ANY(%s) AND f.path <> %s LIMIT 1", (ids, f.path)).fetchone()
        if row is not None:
            return f"{f.path}: not stored, document id {row[0]} is already that of {row[1]}"
        return None

    def _store_file(self, conn: psycopg.Connection, f: PreparedFile) -> tuple[set[str], Counter[int]]:
        """Copy one file's rows in (replacing its earlier ones): the index entries it no longer
        contributes to, and the change in each term's documents."""
        delta: Counter[int] = Counter()
        lost: set[str] = set()
        old = conn.execute("SELECT id FROM files WHERE path = %s", (f.path,)).fetchone()
        if old is not None:
            file_id = int(old[0])
            lost, gone = self._delete_file_rows(conn, file_id)
            delta.subtract(gone)
            conn.execute("UPDATE files SET sha256 = %s, size = %s, mtime = %s, ingested_at = now(), annotated = %s, "
                         "documents = %s WHERE id = %s",
                         (f.sha256, f.size, f.mtime, f.annotated, len(f.documents), file_id))
        else:
            row = conn.execute("INSERT INTO files (path, sha256, size, mtime, annotated, documents) "
                               "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                               (f.path, f.sha256, f.size, f.mtime, f.annotated, len(f.documents))).fetchone()
            assert row is not None
            file_id = int(row[0])
        if f.documents:
            ns = sorted(r[0] for r in conn.execute(
                "SELECT nextval(pg_get_serial_sequence('documents', 'n')) FROM generate_series(1, %s)",
                (len(f.documents),)))
            self._insert_documents(conn, file_id, list(zip(ns, f.documents, strict=True)), delta)
        if f.entities:
            with conn.cursor() as cur, cur.copy("COPY entity_parts (entity, file, data) FROM STDIN") as copy:
                for e in f.entities:
                    copy.write_row((e.id, file_id, entity_json(e)))
        return lost, delta

    def _insert_documents(self, conn: psycopg.Connection, file_id: int, docs: list[tuple[int, DocumentRows]],
                          delta: Counter[int]) -> None:
        words = {n: [index_words(d.search.head), index_words(d.search.parties), index_words(d.search.body),
                     index_words(d.search.notes)] for n, d in docs}
        long = {n for n, columns in words.items() if is_long(columns)}
        with conn.cursor() as cur:
            # The vector is made by the server from despatch's words (see index_words); each column
            # but the last ends with COLUMN_GAP, deleted again, so the columns are a position apart.
            cur.executemany(
                "INSERT INTO documents (n, id, file, position, number, head, date, date_text, precision, chrono, "
                "place, channel, classification, file_numbers, source_file, source_format, terms, long, search) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, ts_delete("
                "setweight(to_tsvector('despatch', %s), 'A') || setweight(to_tsvector('despatch', %s), 'B') || "
                "setweight(to_tsvector('despatch', %s), 'C') || setweight(to_tsvector('despatch', %s), 'D'), %s))",
                [(n, d.id, file_id, d.position, d.number, d.head, d.date, d.date_text, d.precision, d.chrono,
                  d.place, d.channel, d.classification, d.file_numbers, d.source_file, d.source_format,
                  sorted({self._terms[(t.facet, t.value)] for t in d.terms if FACET_CODE[t.facet] <= ROW_FACETS}),
                  n in long, f"{words[n][0]} {COLUMN_GAP}", f"{words[n][1]} {COLUMN_GAP}",
                  f"{words[n][2]} {COLUMN_GAP}", words[n][3], COLUMN_GAP)
                 for n, d in docs])
            if long:
                cur.executemany("INSERT INTO passages (doc, seq, search) VALUES (%s, %s, to_tsvector('despatch', %s))",
                                [(n, k, passage) for n in sorted(long) for k, passage in enumerate(passages(words[n]))])
            with cur.copy("COPY document_ids (id, doc) FROM STDIN") as copy:
                for n, d in docs:
                    copy.write_row((d.id, n))
                    for e in d.enclosures:
                        copy.write_row((e, n))
            with cur.copy("COPY document_data (n, data) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["integer", "bytea"])
                for n, d in docs:
                    copy.write_row((n, d.data))
            with cur.copy("COPY document_text (n, body, notes, parties) FROM STDIN") as copy:
                for n, d in docs:
                    copy.write_row((n, d.search.body, d.search.notes, d.search.parties))
            with cur.copy("COPY parties (doc, role, position, text, name, office, ref) FROM STDIN") as copy:
                for n, d in docs:
                    for p in d.parties:
                        copy.write_row((n, *p))
            with cur.copy("COPY notes (doc, part, position, n, kind, text, anchor_part, anchor_block, anchor_offset) "
                          "FROM STDIN") as copy:
                for n, d in docs:
                    for r in d.notes:
                        copy.write_row((n, *r))
            with cur.copy('COPY mentions (doc, seq, part, holder, block, start, "end", kind, text, ref, value, '
                          "precision, form) FROM STDIN") as copy:
                for n, d in docs:
                    for m in d.mentions:
                        copy.write_row((n, *m))
            with cur.copy("COPY doc_terms (doc, facet, term) FROM STDIN") as copy:
                for n, d in docs:
                    for t in d.terms:
                        tid = self._terms[(t.facet, t.value)]
                        copy.write_row((n, FACET_CODE[t.facet], tid))
                        delta[tid] += 1

    def _delete_file_rows(self, conn: psycopg.Connection, file_id: int) -> tuple[set[str], Counter[int]]:
        """Remove a file's documents and everything hanging from them: the index entries it contributed to,
        and how many documents each term lost."""
        gone: Counter[int] = Counter(dict(conn.execute(
            "SELECT term, count(*) FROM doc_terms WHERE doc IN (SELECT n FROM documents WHERE file = %s) "
            "GROUP BY term", (file_id,)).fetchall()))
        touched = {r[0] for r in conn.execute("DELETE FROM entity_parts WHERE file = %s RETURNING entity",
                                              (file_id,))}
        # The document's ids, data, text, parties, notes, mentions and terms go with it (ON DELETE CASCADE).
        conn.execute("DELETE FROM documents WHERE file = %s", (file_id,))
        return touched, gone

    def _finish(self, conn: psycopg.Connection, delta: Counter[int], changes: IndexChanges) -> None:
        """The shared part of a write, one writer at a time until its commit: term counts and index entries."""
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (INDEX_LOCK,))
        moved = sorted((t, c) for t, c in delta.items() if c)
        if moved:
            conn.execute("UPDATE terms SET docs = docs + x.c FROM unnest(%s::integer[], %s::integer[]) AS x(t, c) "
                         "WHERE terms.id = x.t", ([t for t, _ in moved], [c for _, c in moved]))
        self._refresh_entities(conn, changes)

    def remove(self, paths: Iterable[str]) -> int:
        """Forget the files at `paths` (absolute, as stored) and their documents; how many documents went."""
        paths = sorted(set(paths))

        def run(conn: psycopg.Connection) -> int:
            self._lock_paths(conn, paths)
            removed = 0
            changes = IndexChanges()
            delta: Counter[int] = Counter()
            for path in paths:
                row = conn.execute("SELECT id, documents FROM files WHERE path = %s", (path,)).fetchone()
                if row is None:
                    continue
                lost, gone = self._delete_file_rows(conn, row[0])
                changes.lost |= lost
                delta.subtract(gone)
                conn.execute("DELETE FROM files WHERE id = %s", (row[0],))
                removed += int(row[1])
            self._finish(conn, delta, changes)
            return removed

        return self._retrying(run)

    def _refresh_entities(self, conn: psycopg.Connection, changes: IndexChanges) -> None:
        """The index entries a transaction changed, made again from their files' entries as committed.

        As on SQLite: an entry that only gained files is the entry as it stands joined
        with the new files' entries; one that lost a file is merged afresh from the
        files left, or goes if none is. Run under the index lock, so "as it stands" is
        every other writer's committed work.
        """
        grown = sorted(i for i in changes.gained if i not in changes.lost)
        for chunk in _chunks(grown):
            current = {r[0]: entity_from_json(r[1]) for r in conn.execute(
                "SELECT id, data FROM entities WHERE id = ANY(%s)", (list(chunk),))}
            self._save_entities(conn, [merge_entries(([current[i]] if i in current else []) + changes.gained[i])
                                       for i in chunk])
        for chunk in _chunks(sorted(changes.lost)):
            parts: dict[str, list[Entity]] = {}
            for entity, data in conn.execute("SELECT entity, data FROM entity_parts WHERE entity = ANY(%s) "
                                             "ORDER BY entity, file", (list(chunk),)):
                parts.setdefault(entity, []).append(entity_from_json(data))
            gone = [i for i in chunk if i not in parts]
            if gone:
                conn.execute("DELETE FROM entities WHERE id = ANY(%s)", (gone,))
            self._save_entities(conn, [merge_entries(entries) for entries in parts.values()])

    def _save_entities(self, conn: psycopg.Connection, entries: list[Entity]) -> None:
        if not entries:
            return
        conn.execute(
            "INSERT INTO entities (id, kind, name, sort_name, documents, data) SELECT * FROM unnest("
            "%s::text[], %s::text[], %s::text[], %s::text[], %s::integer[], %s::text[]) "
            "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
            "sort_name = excluded.sort_name, documents = excluded.documents, data = excluded.data",
            ([e.id for e in entries], [e.kind for e in entries], [e.name for e in entries],
             [sort_name(e.name) for e in entries], [len(e.documents) for e in entries],
             [entity_json(e) for e in entries]))

    # -- maintenance -------------------------------------------------------

    def optimize(self) -> None:
        """Drop terms no document uses any more, then refresh the planner's statistics (after a large ingest).

        Alone among writers, since a writer uses a term's id without a lock; the epoch
        tells every writer to forget the ids it cached.
        """

        def run(conn: psycopg.Connection) -> None:
            conn.execute("DELETE FROM terms t WHERE t.docs <= 0 AND NOT EXISTS "
                         "(SELECT 1 FROM doc_terms dt WHERE dt.term = t.id)")
            conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'terms_epoch'")

        self._retrying(run, exclusive=True)
        with self._lock:
            # VACUUM cannot run in a transaction: the writer's connection is in autocommit mode.
            self._writer_connection().execute("VACUUM (ANALYZE)")

    def integrity(self) -> list[str]:
        """What is inconsistent between the tables (nothing, normally): counts, arrays, ids and index entries."""
        checks = {
            "file whose document count is wrong":
                "SELECT f.path FROM files f LEFT JOIN documents d ON d.file = f.id GROUP BY f.id "
                "HAVING f.documents <> count(d.n)",
            "term whose document count is wrong":
                "SELECT t.facet || ' ' || t.value FROM terms t LEFT JOIN doc_terms dt ON dt.term = t.id "
                "GROUP BY t.id HAVING t.docs <> count(dt.doc)",
            "document whose facet terms differ from doc_terms":
                "SELECT d.id FROM documents d WHERE coalesce((SELECT array_agg(x ORDER BY x) FROM unnest(d.terms) x), "
                "'{}') <> coalesce((SELECT array_agg(dt.term ORDER BY dt.term) FROM doc_terms dt "
                f"WHERE dt.doc = d.n AND dt.facet <= {ROW_FACETS}), '{{}}')",
            "document without its data, text or id":
                "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM document_data x WHERE x.n = d.n) "
                "OR NOT EXISTS (SELECT 1 FROM document_text x WHERE x.n = d.n) "
                "OR NOT EXISTS (SELECT 1 FROM document_ids i WHERE i.id = d.id AND i.doc = d.n)",
            "long document without passages":
                "SELECT d.id FROM documents d WHERE d.long AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.doc = d.n)",
            "index entry without a file's entry":
                "SELECT e.id FROM entities e WHERE NOT EXISTS (SELECT 1 FROM entity_parts p WHERE p.entity = e.id)",
            "file's index entry missing from the index":
                "SELECT DISTINCT p.entity FROM entity_parts p WHERE NOT EXISTS "
                "(SELECT 1 FROM entities e WHERE e.id = p.entity)",
        }
        problems = []
        with self._read() as conn:
            for what, sql in checks.items():
                for (name,) in conn.execute(sql).fetchmany(20):
                    problems.append(f"{what}: {name}")
        return problems
