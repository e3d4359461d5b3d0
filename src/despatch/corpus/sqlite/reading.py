"""The SQLite corpus's reading: documents and their neighbours, the chronology, correspondents, index pages."""
from __future__ import annotations

import sqlite3
from collections.abc import Iterator

from despatch.annotate.text import texts
from despatch.corpus.api import EntityPage, FacetValue, Hit, SearchQuery
from despatch.corpus.codec import decode_document, entity_from_json
from despatch.corpus.prepare import ENTITY_FACET
from despatch.corpus.query import check_query
from despatch.corpus.results import FACET_CODE, FACET_SIZE, in_context, sort_name
from despatch.corpus.sqlite.base import _chunks, _marks, _usable
from despatch.corpus.sqlite.search import _Search
from despatch.model import Document, Entity


class _Reading(_Search):
    """Documents one by one or all of them, and the index's pages and list."""

    # -- reading: documents ------------------------------------------------

    def count(self) -> int:
        return int(self._conn().execute("SELECT count(*) FROM documents").fetchone()[0])

    def document(self, doc_id: str) -> Document | None:
        if not _usable(doc_id):
            return None
        with self._read() as conn:
            row = conn.execute("SELECT x.data FROM documents d JOIN document_data x ON x.n = d.n WHERE d.id = ?",
                               (doc_id,)).fetchone()
            if row is not None:
                return decode_document(row[0])
            row = conn.execute("SELECT x.data FROM enclosures e JOIN document_data x ON x.n = e.doc WHERE e.id = ?",
                               (doc_id,)).fetchone()
        if row is None:
            return None
        return next((p for p in decode_document(row[0]).all_documents() if p.id == doc_id), None)

    def neighbours(self, doc_id: str) -> tuple[str | None, str | None]:
        if not _usable(doc_id):
            return None, None
        with self._read() as conn:
            n = self._top_n(conn, doc_id)
            if n is None:
                return None, None
            chrono = conn.execute("SELECT chrono FROM documents WHERE n = ?", (n,)).fetchone()[0]
            # Row values, not "chrono < ? OR (chrono = ? AND n < ?)": SQLite walks the index
            # from the row-value bound, where the OR makes it sort every earlier document.
            before = conn.execute("SELECT id FROM documents WHERE (chrono, n) < (?, ?) "
                                  "ORDER BY chrono DESC, n DESC LIMIT 1", (chrono, n)).fetchone()
            after = conn.execute("SELECT id FROM documents WHERE (chrono, n) > (?, ?) "
                                 "ORDER BY chrono, n LIMIT 1", (chrono, n)).fetchone()
        return (before[0] if before else None), (after[0] if after else None)

    def chronology(self) -> list[tuple[str, int]]:
        rows = self._conn().execute("SELECT value, docs FROM terms WHERE facet = 'month' ORDER BY value").fetchall()
        return [(str(v), int(c)) for v, c in rows]

    def correspondents(self, limit: int = 200) -> list[tuple[FacetValue, FacetValue, int]]:
        limit = max(0, min(int(limit), 10_000))
        with self._read() as conn:
            rows = conn.execute(
                "SELECT s.term, r.term, count(*) AS c FROM terms t "
                "JOIN doc_terms s ON s.term = t.id "
                "JOIN doc_terms r ON r.doc = s.doc AND r.facet = ? "
                "WHERE t.facet = 'sender' GROUP BY s.term, r.term ORDER BY c DESC, s.term, r.term LIMIT ?",
                (FACET_CODE["recipient"], limit)).fetchall()
            labels = self._term_labels(conn, {t for s, r, _ in rows for t in (s, r)})
        return [(labels[s], labels[r], int(c)) for s, r, c in rows]

    def documents(self, query: SearchQuery | None = None) -> Iterator[Document]:
        if query is None:
            with self._read() as conn:
                ns = [r[0] for r in conn.execute("SELECT n FROM documents ORDER BY chrono, n")]
        else:
            plan = check_query(query)
            with self._read() as conn:
                if self._match(conn, plan) is None:
                    return
                ns = [r[0] for r in conn.execute(
                    "SELECT m.n FROM temp.matched m JOIN documents d ON d.n = m.n ORDER BY d.chrono, d.n")]
        # The ids first, the documents after in chunks: a caller may search between two
        # documents of the export without disturbing it, and memory holds one chunk.
        for chunk in _chunks(ns):
            with self._read() as conn:
                rows = dict(conn.execute(f"SELECT n, data FROM document_data WHERE n IN ({_marks(len(chunk))})",
                                         tuple(chunk)).fetchall())
            for n in chunk:
                if n in rows:
                    yield decode_document(rows[n])

    # -- reading: the index ------------------------------------------------

    def entity(self, entity_id: str, limit: int = 50) -> EntityPage | None:
        limit = max(0, min(int(limit), 1000))
        if not _usable(entity_id):
            return None
        with self._read() as conn:
            entry = self._entity(conn, entity_id)
            if entry is None:
                # An entry merged away by the editor: its old address shows the entry it became.
                target = self._curation(conn).resolve(entity_id, "", "")
                entry = self._entity(conn, target) if target != entity_id else None
            if entry is None:
                return None
            page = EntityPage(entity=entry)
            roles = {"sent": "sender", "received": "recipient", "mentioned": ENTITY_FACET.get(entry.kind, "person")}
            every: list[int] = []
            for attr, facet in roles.items():
                term = conn.execute("SELECT id FROM terms WHERE facet = ? AND value = ?", (facet, entry.id)).fetchone()
                if term is None:
                    continue
                every.append(term[0])
                ns = [r[0] for r in conn.execute(
                    "SELECT d.n FROM doc_terms dt JOIN documents d ON d.n = dt.doc WHERE dt.term = ? "
                    "ORDER BY d.chrono, d.n LIMIT ?", (term[0], limit))]
                hits = self._hits(conn, ns, {}, None)
                if attr == "mentioned":
                    self._mention_snippets(conn, hits, entry.id)
                setattr(page, attr, hits)
            if every:
                rows = conn.execute(
                    "SELECT other.term, count(DISTINCT other.doc) AS c FROM doc_terms mine "
                    "JOIN doc_terms other ON other.doc = mine.doc AND other.facet = ? "
                    f"WHERE mine.term IN ({_marks(len(every))}) GROUP BY other.term ORDER BY c DESC, other.term "
                    "LIMIT ?", (FACET_CODE["person"], *every, FACET_SIZE + 1)).fetchall()
                labels = self._term_labels(conn, [t for t, _ in rows])
                page.companions = [FacetValue(labels[t].value, labels[t].label, c) for t, c in rows
                                   if t in labels and labels[t].value != entry.id][:FACET_SIZE]
        return page

    def _mention_snippets(self, conn: sqlite3.Connection, hits: list[Hit], entity_id: str) -> None:
        """Each hit's snippet made the words around its first mention of the entry, the mention marked."""
        for hit in hits:
            row = conn.execute("SELECT x.data FROM documents d JOIN document_data x ON x.n = d.n WHERE d.id = ?",
                               (hit.doc_id,)).fetchone()
            if row is None:
                continue
            for part in decode_document(row[0]).all_documents():
                # A name says more than "the Ambassador" or "I"; the heading is shown with the hit already.
                rank = {"name": 0, "office": 1}
                found = min(((rank.get(m.form, 2), t.part == "head", k, t.text, m) for k, t in enumerate(texts(part))
                             for m in t.holder.mentions if m.ref == entity_id), default=None, key=lambda f: f[:3])
                if found:
                    *_, text, m = found
                    hit.snippet = in_context(text, m.start, m.end)
                    break

    def entities(self, kind: str | None = None, prefix: str = "", limit: int = 100, offset: int = 0) -> list[Entity]:
        limit = max(0, min(int(limit), 1000))
        offset = max(0, min(int(offset), 1_000_000))
        if not _usable(kind or "") or not _usable(prefix):
            return []
        where: list[str] = []
        params: list[str | int] = []
        if kind:
            where.append("kind = ?")
            params.append(kind)
        key = sort_name(prefix.strip())[:100]
        if key:
            # "bur" finds "Montagu Brocas Burrows" as well as "Burrows": the index is looked up by any name.
            where.append("(substr(sort_name, 1, ?) = ? OR instr(sort_name, ?) > 0)")
            params.extend((len(key), key, " " + key))
        sql = "SELECT data FROM entities" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY sort_name, id LIMIT ? OFFSET ?"
        rows = self._conn().execute(sql, (*params, limit, offset)).fetchall()
        return [entity_from_json(r[0]) for r in rows]
