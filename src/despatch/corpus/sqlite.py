"""The embedded corpus: one SQLite file holds the documents, the full-text index, the facets and the index.

Readers open the file read-only (`mode=ro`) and each thread gets its own
connection, so a web app's requests read side by side; the file is in WAL
mode, so they read while an ingest writes, each seeing the last committed
state. Writers change the store one transaction per batch of files: a crash
or Ctrl-C leaves either the batch or nothing.

A search runs inside one read transaction: the matching documents (with
their bm25 score) go into a temporary table, then the page of hits, the facet
counts and the histogram are read from it. Facets are precomputed rows
(`doc_terms`, one per document and value), so counting them never re-reads
text: a join and a GROUP BY for a few thousand matches, and beyond that a
count over an in-memory copy of those rows (`_FacetIndex`), which SQLite's
sorting of tens of thousands of rows cannot match.
"""
from __future__ import annotations

import json
import sqlite3
import threading
from array import array
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from itertools import accumulate
from pathlib import Path
from typing import Self
from urllib.parse import quote

from despatch.annotate.context import Knowledge
from despatch.annotate.index import Curation, slug
from despatch.annotate.text import texts
from despatch.corpus.api import (
    CorpusError,
    EntityPage,
    FacetValue,
    Hit,
    QueryError,
    SearchQuery,
    SearchResult,
)
from despatch.corpus.codec import DOCUMENT_FORMAT, decode_document, entity_from_json, entity_json
from despatch.corpus.prepare import (
    ENTITY_FACET,
    UNDATED,
    MentionRow,
    PreparedFile,
    prepare_documents,
    raw_entity_id,
)
from despatch.corpus.query import AnyOf, Node, Plan, Term, check_query
from despatch.corpus.results import (
    FACET_CODE,
    FACET_SIZE,
    LEAD_CHARS,
    SHOWN_FACETS,
    IndexChanges,
    facets_and_histogram,
    in_context,
    lead,
    merge_entries,
    sort_name,
)
from despatch.corpus.schema import check_version, migrate
from despatch.corpus.store import StoredFile
from despatch.model import Document, Entity

# bm25 weights of the columns head, body, notes, parties: a word in the heading
# says more about what a document is than the same word in a footnote.
BM25 = "bm25(documents_fts, 8.0, 1.0, 0.5, 4.0)"
SNIPPET_TOKENS = 24
CHUNK = 500  # ids per IN (...) list, well under SQLite's limit on bound parameters
# Newest first still puts the undated ("~") last.
ORDER = {"date": "d.chrono, d.n", "-date": "d.chrono = '~', d.chrono DESC, d.n DESC"}
# Beyond this many matches, facets are counted from the in-memory `_FacetIndex` rather than by
# SQL: SQLite sorts the rows of a GROUP BY, some 300,000 of them for 33,000 matches (250 ms),
# where counting term ids in Python takes 35 ms.
FACETS_IN_SQL = 5000


def sqlite_path(url_or_path: str) -> Path:
    """The file a `sqlite:///path` URL or a plain path names (`sqlite:////abs` is absolute, as in SQLAlchemy)."""
    if url_or_path.startswith("sqlite:///"):
        return Path(url_or_path[len("sqlite:///"):])
    if url_or_path.startswith("sqlite://"):
        raise CorpusError(f"{url_or_path}: a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
    return Path(url_or_path)


def fts5_query(node: Node) -> str:
    """The query tree in FTS5 syntax; every term quoted, so no word of the user's is ever an operator."""
    if isinstance(node, Term):
        return '"' + node.text.replace('"', '""') + '"' + ("*" if node.prefix else "")
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(fts5_query(p) for p in node.parts) + ")"
    keep = " AND ".join(fts5_query(p) for p in node.parts)
    if not node.without:
        return f"({keep})"
    return f"(({keep}) NOT ({' OR '.join(fts5_query(p) for p in node.without)}))"


def _usable(key: str) -> bool:
    """Whether `key` can be looked up at all: half a surrogate pair (from a broken client) cannot be encoded."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class SQLiteCorpus:
    """A corpus in one SQLite file; see the module's docstring. Implements `api.Corpus` and `store.CorpusStore`."""

    def __init__(self, path: Path, readonly: bool = True):
        self.path = path
        self.readonly = readonly
        self.where = str(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._terms: dict[tuple[str, str], int] | None = None  # the writer's cache of term ids
        self._data_version: int | None = None
        self._facets_cache: _FacetIndex | None = None
        if readonly and not path.is_file():
            raise CorpusError(f"{path}: no corpus here; `despatch ingest FILES --db {path}` makes one")
        conn = self._conn()
        try:
            if readonly:
                check_version(conn, self.where)
            else:
                conn.execute("PRAGMA journal_mode=WAL")
                migrate(conn, self.where)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('document_format', ?)", (DOCUMENT_FORMAT,))
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
        except sqlite3.DatabaseError as exc:
            self.close()
            raise CorpusError(f"{path}: not a despatch corpus ({exc})") from None
        except CorpusError:
            self.close()
            raise

    # -- connections -------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        mode = "ro" if self.readonly else "rwc"
        uri = f"file:{quote(str(self.path.absolute()))}?mode={mode}"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30)
        except sqlite3.Error as exc:
            raise CorpusError(f"{self.path}: cannot open ({exc})") from None
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA temp_store=MEMORY")
            # The file is memory-mapped, so every connection of the process shares one copy of the
            # hot pages of the FTS index; each connection's own cache can stay modest (a web app
            # has one per thread), the writer's larger for the index pages it rewrites.
            conn.execute("PRAGMA mmap_size=1073741824")
            conn.execute(f"PRAGMA cache_size={-16384 if self.readonly else -65536}")
            if not self.readonly:
                # WAL with NORMAL loses no committed transaction on a crash of the process, only
                # (on a power cut) the last few; it spares an fsync per commit.
                conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise CorpusError(f"{self.path}: not a despatch corpus ({exc})") from None
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every statement inside sees the same committed state."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise CorpusError(f"{self.where}: opened read-only")
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            # Another connection committed since this one last wrote: its terms may differ.
            self._terms = None
            self._data_version = version
        try:
            yield conn
            # Readers keep what they computed from the store (the facet index) until this changes.
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        except BaseException:
            conn.execute("ROLLBACK")
            self._terms = None  # ids cached during the transaction may be gone
            raise
        conn.execute("COMMIT")

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

    def _top_n(self, conn: sqlite3.Connection, doc_id: str) -> int | None:
        row = conn.execute("SELECT n FROM documents WHERE id = ? UNION ALL SELECT doc FROM enclosures WHERE id = ?",
                           (doc_id, doc_id)).fetchone()
        return int(row[0]) if row else None

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

    # -- reading: search ---------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        plan = check_query(query)
        with self._read() as conn:
            if plan.text is None and not plan.filters and not plan.date_from and not plan.date_to:
                return self._browse(conn, plan)
            total = self._match(conn, plan)
            if total is None:
                return SearchResult(total=0, hits=[], facets={f: [] for f in SHOWN_FACETS})
            if plan.by_relevance:
                page = conn.execute("SELECT n, score FROM temp.matched ORDER BY score, n LIMIT ? OFFSET ?",
                                    (plan.limit, plan.offset)).fetchall()
            else:
                # Without words there is no relevance: such a search lists by date.
                order = ORDER["-date" if plan.sort == "-date" else "date"]
                page = conn.execute(f"SELECT m.n, m.score FROM temp.matched m JOIN documents d ON d.n = m.n "
                                    f"ORDER BY {order} LIMIT ? OFFSET ?", (plan.limit, plan.offset)).fetchall()
            hits = self._hits(conn, [n for n, _ in page], {n: s for n, s in page}, plan.text)
            facets, histogram = self._facets(conn, self._count_terms(conn, total))
        return SearchResult(total=total, hits=hits, facets=facets, histogram=histogram)

    def _count_terms(self, conn: sqlite3.Connection, total: int) -> list[tuple[int, int, int]]:
        """(facet, term, documents) for the facets and months of the documents in temp.matched."""
        if total > FACETS_IN_SQL:
            index = self._facet_index(conn)
            ns = [r[0] for r in conn.execute("SELECT n FROM temp.matched")]
            return index.count(ns)
        # CROSS JOIN keeps the matched documents as the outer loop: each one is a short range
        # of doc_terms' key. Left to itself the planner, knowing nothing of a temporary
        # table's size, scans all of doc_terms instead.
        return conn.execute(
            "SELECT dt.facet, dt.term, count(*) FROM temp.matched m "
            "CROSS JOIN doc_terms dt ON dt.doc = m.n AND dt.facet <= ? GROUP BY dt.term",
            (FACET_CODE["month"],)).fetchall()

    def _facet_index(self, conn: sqlite3.Connection) -> _FacetIndex:
        """The facet terms of every document in memory, as of the state `conn` reads (shared by all threads)."""
        generation = int(conn.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()[0])
        with self._lock:
            index = self._facets_cache
            if index is None or index.generation != generation:
                index = self._facets_cache = _FacetIndex.load(conn, generation)
        return index

    def _browse(self, conn: sqlite3.Connection, plan: Plan) -> SearchResult:
        """The whole corpus, newest or oldest first: every count is already kept in `terms`."""
        total = int(conn.execute("SELECT count(*) FROM documents").fetchone()[0])
        order = ORDER["-date" if plan.sort == "-date" else "date"]
        ns = [r[0] for r in conn.execute(f"SELECT d.n FROM documents d ORDER BY {order} LIMIT ? OFFSET ?",
                                         (plan.limit, plan.offset))]
        hits = self._hits(conn, ns, {}, None)
        counts = conn.execute("SELECT facet, id, docs FROM terms WHERE facet IN "
                              f"({_marks(len(SHOWN_FACETS) + 1)})", (*SHOWN_FACETS, "month")).fetchall()
        facets, histogram = self._facets(conn, [(FACET_CODE[f], t, c) for f, t, c in counts])
        return SearchResult(total=total, hits=hits, facets=facets, histogram=histogram)

    def _filter_terms(self, conn: sqlite3.Connection, facet: str, value: str) -> list[int]:
        """The terms a filter value names: an index id, a value as stored, or a name as shown."""
        if facet == "channel":
            value = value.lower()
        rows = conn.execute(
            "SELECT id FROM terms WHERE facet = ? AND (value = ? OR label = ? COLLATE NOCASE "
            "OR value IN (SELECT id FROM entities WHERE name = ? COLLATE NOCASE))",
            (facet, value, value, value)).fetchall()
        return [r[0] for r in rows]

    def _match(self, conn: sqlite3.Connection, plan: Plan) -> int | None:
        """Fill temp.matched with the documents `plan` finds; their number, or None when a filter names nothing."""
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS matched (n INTEGER PRIMARY KEY, score REAL)")
        conn.execute("DELETE FROM temp.matched")
        # With words, the full-text index leads and each match is checked against the filters;
        # the unary + stops SQLite from handing FTS5 the filter's documents as rowids to look
        # up one by one, each a whole evaluation of the query (60 ms where the check takes 4).
        key = "+documents_fts.rowid" if plan.text is not None else "d.n"
        where: list[str] = []
        params: list[object] = []
        for facet, value in plan.filters.items():
            terms = self._filter_terms(conn, facet, value)
            if not terms:
                return None
            where.append(f"{key} IN (SELECT doc FROM doc_terms WHERE term IN ({_marks(len(terms))}))")
            params.extend(terms)
        dated = bool(plan.date_from or plan.date_to)
        if plan.date_from:
            where.append("d.chrono >= ? AND d.chrono < ?")
            params.extend((plan.date_from, UNDATED))
        if plan.date_to:
            where.append("d.chrono < ?")
            params.append(plan.date_to)
        if plan.text is not None:
            # The documents table is joined only for a date filter: the filters on facets
            # are checked on the full-text index's rowids, before any row is read.
            join = "JOIN documents d ON d.n = documents_fts.rowid " if dated else ""
            sql = (f"INSERT INTO temp.matched SELECT documents_fts.rowid, {BM25} FROM documents_fts {join}"
                   "WHERE documents_fts MATCH ?")
            params.insert(0, fts5_query(plan.text))
        else:
            sql = "INSERT INTO temp.matched SELECT d.n, NULL FROM documents d WHERE 1"
        sql += "".join(f" AND {w}" for w in where)
        try:
            cursor = conn.execute(sql, params)
        except sqlite3.OperationalError as exc:
            # The parser quotes every word, so FTS5 should never refuse a query; if it
            # does, the user still gets a sentence, not a traceback.
            raise QueryError(f"the query cannot be searched: {exc}") from None
        return int(cursor.rowcount)

    def _hits(self, conn: sqlite3.Connection, ns: list[int], scores: dict[int, float],
              text: Node | None) -> list[Hit]:
        if not ns:
            return []
        marks = _marks(len(ns))
        docs = {r[0]: r for r in conn.execute(
            f"SELECT n, id, head, date, place, channel FROM documents WHERE n IN ({marks})", ns)}
        who: dict[tuple[int, str], list[str]] = {}
        for doc, role, label in conn.execute(
                "SELECT p.doc, p.role, coalesce(e.name, p.name, p.text) FROM parties p "
                f"LEFT JOIN entities e ON e.id = p.ref WHERE p.doc IN ({marks}) ORDER BY p.doc, p.role, p.position",
                ns):
            who.setdefault((doc, role), []).append(label)
        snippets = {n: lead(body) for n, body in conn.execute(
            f"SELECT rowid, substr(body, 1, {LEAD_CHARS + 40}) FROM documents_fts WHERE rowid IN ({marks})", ns)}
        if text is not None:
            fts = fts5_query(text)
            # The body's words first, then the notes', then the heading's (which the result shows
            # anyway), the parties' last: FTS5's own choice (-1) often falls on the short columns.
            columns = ", ".join(f"snippet(documents_fts, {c}, char(2), char(3), '…', {SNIPPET_TOKENS})"
                                for c in (1, 2, 0, 3))
            for n in ns:
                row = conn.execute(f"SELECT {columns} FROM documents_fts WHERE documents_fts MATCH ? AND rowid = ?",
                                   (fts, n)).fetchone()
                found = next((s for s in row or () if "\x02" in s), None)
                if found is not None:
                    snippets[n] = found
        hits = []
        for n in ns:
            if n not in docs:
                continue
            _, doc_id, head, date, place, channel = docs[n]
            score = scores.get(n)
            hits.append(Hit(doc_id=doc_id, head=head, date=date, place=place, senders=who.get((n, "from"), []),
                            recipients=who.get((n, "to"), []), channel=channel, snippet=snippets.get(n, ""),
                            score=-score if score is not None else None))
        return hits

    def _term_labels(self, conn: sqlite3.Connection, ids: Iterable[int]) -> dict[int, FacetValue]:
        """Each term as a facet value: the index's current name for an entry, the stored label otherwise.

        The count is the term's documents in the whole corpus; a search puts its own in their place.
        """
        ids = list(ids)
        out: dict[int, FacetValue] = {}
        for chunk in _chunks(ids):
            for tid, value, label, docs in conn.execute(
                    "SELECT t.id, t.value, coalesce(e.name, t.label), t.docs FROM terms t "
                    "LEFT JOIN entities e ON e.id = t.value "
                    f"WHERE t.id IN ({_marks(len(chunk))})", tuple(chunk)):
                out[tid] = FacetValue(value=value, label=label, count=docs)
        return out

    def _facets(self, conn: sqlite3.Connection, counts: list[tuple[int, int, int]]
                ) -> tuple[dict[str, list[FacetValue]], list[tuple[str, int]]]:
        return facets_and_histogram(counts, lambda terms: self._term_labels(conn, terms))

    # -- reading: the index ------------------------------------------------

    def _entity(self, conn: sqlite3.Connection, entity_id: str) -> Entity | None:
        row = conn.execute("SELECT data FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return entity_from_json(row[0]) if row else None

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

    # -- writing: curation -------------------------------------------------

    def _curation(self, conn: sqlite3.Connection) -> Curation:
        curation = Curation()
        for op, entry, target, document, form in conn.execute(
                "SELECT op, entry, target, document, form FROM curation ORDER BY seq"):
            if op == "merge":
                curation.merge(entry, target)
            else:
                curation.split(entry, document, form, target)
        return curation

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


@dataclass
class _FacetIndex:
    """For each document number, the ids of its facet and month terms: `doc_terms` held in two arrays.

    `terms[offsets[n]:offsets[n + 1]]` are document n's terms. At 100,000 documents this
    is some 900,000 ids, 4 MB, read in about half a second once per change of the store.
    """

    generation: int
    offsets: array[int]
    terms: array[int]
    facet_of: dict[int, int]

    @classmethod
    def load(cls, conn: sqlite3.Connection, generation: int) -> _FacetIndex:
        top = int(conn.execute("SELECT coalesce(max(n), 0) FROM documents").fetchone()[0])
        sizes = array("I", bytes(4 * (top + 2)))
        terms = array("I")
        facet_of: dict[int, int] = {}
        # In key order, so each document's terms are contiguous.
        for doc, facet, term in conn.execute("SELECT doc, facet, term FROM doc_terms WHERE facet <= ? "
                                             "ORDER BY doc, facet, term", (FACET_CODE["month"],)):
            terms.append(term)
            sizes[doc + 1] += 1
            facet_of[term] = facet
        return cls(generation, array("I", accumulate(sizes)), terms, facet_of)

    def count(self, ns: Iterable[int]) -> list[tuple[int, int, int]]:
        counts: Counter[int] = Counter()
        offsets, terms = self.offsets, self.terms
        last = len(offsets) - 1
        for n in ns:
            if n < last:
                counts.update(terms[offsets[n]:offsets[n + 1]])
        return [(self.facet_of[t], t, c) for t, c in counts.items()]


