"""The PostgreSQL corpus's curation: the editor's merges and splits of index entries, and the files stored again."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

import psycopg

from despatch.annotate.index import Curation, slug
from despatch.corpus.api import CorpusError
from despatch.corpus.codec import decode_document
from despatch.corpus.postgresql.base import _usable
from despatch.corpus.postgresql.writing import _Writing
from despatch.corpus.prepare import MentionRow, PreparedFile, prepare_documents, raw_entity_id
from despatch.corpus.results import IndexChanges


class _Curation(_Writing):
    """Merging and splitting index entries, for good: recorded, then the files concerned stored again."""

    # -- writing: curation -------------------------------------------------

    def curation(self) -> Curation:
        with self._read() as conn:
            return self._curation(conn)

    def merge(self, source: str, target: str) -> int:
        """Merge index entry `source` into `target` for good; how many documents it touched."""

        def run(conn: psycopg.Connection) -> int:
            a, b = self._entity(conn, source), self._entity(conn, target)
            if a is None:
                raise CorpusError(f"no index entry {source}")
            if b is None:
                raise CorpusError(f"no index entry {target}")
            if a.id == b.id:
                raise CorpusError("an entry cannot be merged into itself")
            if a.kind != b.kind:
                raise CorpusError(f"{source} is a {a.kind} and {target} a {b.kind}: only entries of one kind merge")
            files = [r[0] for r in conn.execute("SELECT file FROM entity_parts WHERE entity = %s", (source,))]
            conn.execute("INSERT INTO curation (op, entry, target) VALUES ('merge', %s, %s)", (source, target))
            self._reapply(conn, files)
            return len(a.documents)

        # Alone among writers: the files it rewrites cannot change under it.
        return self._retrying(run, exclusive=True)

    def split(self, entry_id: str, document: str, form: str, new_id: str | None = None) -> str:
        """Give the mentions of `form` in `document` now filed under `entry_id` an entry of their own; its id."""

        def run(conn: psycopg.Connection) -> str:
            entry = self._entity(conn, entry_id)
            if entry is None:
                raise CorpusError(f"no index entry {entry_id}")
            n = self._top_n(conn, document) if _usable(document) else None
            if n is None:
                raise CorpusError(f"no document {document}")
            top = conn.execute("SELECT id, file FROM documents WHERE n = %s", (n,)).fetchone()
            assert top is not None
            top_id, file_id = top
            rows = conn.execute('SELECT seq, part, holder, block, start, "end", kind, text, ref, value, precision, '
                                "form FROM mentions WHERE doc = %s AND ref = %s AND text = %s",
                                (n, entry_id, form)).fetchall()
            if not rows:
                raise CorpusError(f"{document} has no mention “{form}” filed under {entry_id}")
            raw_ids = sorted({raw for r in rows if (raw := raw_entity_id(MentionRow(*r)))})
            chosen = new_id or f"{entry_id}-{slug(top_id)}"
            if self._entity(conn, chosen) is not None:
                raise CorpusError(f"the index already has an entry {chosen}; choose another with --new-id")
            for raw in raw_ids:
                # Recorded against the id the annotator gave, which is what the curation
                # is matched with when the file is read again, merges or not.
                conn.execute("INSERT INTO curation (op, entry, target, document, form) "
                             "VALUES ('split', %s, %s, %s, %s)", (raw, chosen, top_id, form))
            self._reapply(conn, [file_id])
            return chosen

        return self._retrying(run, exclusive=True)

    def _reapply(self, conn: psycopg.Connection, file_ids: Iterable[int]) -> None:
        """Store files again from their own stored documents, linked with the curation as it now stands."""
        curation = self._curation(conn)
        prepared = []
        for file_id in sorted(set(file_ids)):
            row = conn.execute("SELECT path, sha256, size, mtime, annotated FROM files WHERE id = %s",
                               (file_id,)).fetchone()
            assert row is not None
            path, sha, size, mtime, annotated = row
            docs = [decode_document(bytes(r[0])) for r in conn.execute(
                "SELECT x.data FROM documents d JOIN document_data x ON x.n = d.n WHERE d.file = %s "
                "ORDER BY d.position", (file_id,), binary=True)]
            rows, entities = prepare_documents(docs, curation)
            prepared.append(PreparedFile(path, sha, size, mtime, bool(annotated), rows, entities))
        self._ensure_terms(conn, [t for f in prepared for d in f.documents for t in d.terms])
        changes = IndexChanges()
        delta: Counter[int] = Counter()
        for f in prepared:
            lost, file_delta = self._store_file(conn, f)
            changes.note(lost, f.entities)
            delta.update(file_delta)
        self._finish(conn, delta, changes)
