"""The SQLite corpus's curation: the editor's merges and splits of index entries, and the files stored again by them."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterable

from despatch.annotate.index import Curation, slug
from despatch.corpus.api import CorpusError
from despatch.corpus.codec import decode_document
from despatch.corpus.prepare import MentionRow, PreparedFile, prepare_documents, raw_entity_id
from despatch.corpus.results import IndexChanges
from despatch.corpus.sqlite.base import _now
from despatch.corpus.sqlite.writing import _Writing


class _Curation(_Writing):
    """Merging and splitting index entries, for good: recorded, then the files concerned stored again."""

    # -- writing: curation -------------------------------------------------

    def curation(self) -> Curation:
        with self._read() as conn:
            return self._curation(conn)

    def merge(self, source: str, target: str) -> int:
        """Merge index entry `source` into `target` for good; how many documents it touched."""
        with self._write() as conn:
            a, b = self._entity(conn, source), self._entity(conn, target)
            if a is None:
                raise CorpusError(f"no index entry {source}")
            if b is None:
                raise CorpusError(f"no index entry {target}")
            if a.id == b.id:
                raise CorpusError("an entry cannot be merged into itself")
            if a.kind != b.kind:
                raise CorpusError(f"{source} is a {a.kind} and {target} a {b.kind}: only entries of one kind merge")
            files = [r[0] for r in conn.execute("SELECT file FROM entity_parts WHERE entity = ?", (source,))]
            conn.execute("INSERT INTO curation (op, entry, target, made_at) VALUES ('merge', ?, ?, ?)",
                         (source, target, _now()))
            self._reapply(conn, files)
            return len(a.documents)

    def split(self, entry_id: str, document: str, form: str, new_id: str | None = None) -> str:
        """Give the mentions of `form` in `document` now filed under `entry_id` an entry of their own; its id."""
        with self._write() as conn:
            entry = self._entity(conn, entry_id)
            if entry is None:
                raise CorpusError(f"no index entry {entry_id}")
            n = self._top_n(conn, document)
            if n is None:
                raise CorpusError(f"no document {document}")
            top_id, file_id = conn.execute("SELECT id, file FROM documents WHERE n = ?", (n,)).fetchone()
            rows = conn.execute("SELECT seq, part, holder, block, start, \"end\", kind, text, ref, value, precision, "
                                "form FROM mentions WHERE doc = ? AND ref = ? AND text = ?",
                                (n, entry_id, form)).fetchall()
            if not rows:
                raise CorpusError(f"{document} has no mention “{form}” filed under {entry_id}")
            raw_ids = sorted({raw for r in rows if (raw := raw_entity_id(MentionRow(*r)))})
            new_id = new_id or f"{entry_id}-{slug(top_id)}"
            if self._entity(conn, new_id) is not None:
                raise CorpusError(f"the index already has an entry {new_id}; choose another with --new-id")
            for raw in raw_ids:
                # Recorded against the id the annotator gave, which is what the curation
                # is matched with when the file is read again, merges or not.
                conn.execute("INSERT INTO curation (op, entry, target, document, form, made_at) "
                             "VALUES ('split', ?, ?, ?, ?, ?)", (raw, new_id, top_id, form, _now()))
            self._reapply(conn, [file_id])
            return new_id

    def _reapply(self, conn: sqlite3.Connection, file_ids: Iterable[int]) -> None:
        """Store files again from their own stored documents, linked with the curation as it now stands."""
        curation = self._curation(conn)
        prepared = []
        for file_id in sorted(set(file_ids)):
            path, sha, size, mtime, annotated = conn.execute(
                "SELECT path, sha256, size, mtime, annotated FROM files WHERE id = ?", (file_id,)).fetchone()
            docs = [decode_document(r[0]) for r in conn.execute(
                "SELECT x.data FROM documents d JOIN document_data x ON x.n = d.n WHERE d.file = ? "
                "ORDER BY d.position", (file_id,))]
            rows, entities = prepare_documents(docs, curation)
            prepared.append(PreparedFile(path, sha, size, mtime, bool(annotated), rows, entities))
        changes = IndexChanges()
        next_n = int(conn.execute("SELECT coalesce(max(n), 0) + 1 FROM documents").fetchone()[0])
        for f in prepared:
            lost: set[str] = set()
            next_n = self._store_file(conn, f, next_n, lost, [])
            changes.note(lost, f.entities)
        self._refresh_entities(conn, changes)
