"""The SQLite corpus's search: a query in FTS5 syntax, its matches in a temporary table, their hits and facets."""
from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterable

from despatch.corpus.api import FacetValue, Hit, QueryError, SearchQuery, SearchResult
from despatch.corpus.prepare import UNDATED
from despatch.corpus.query import AnyOf, Node, Plan, Term, check_query
from despatch.corpus.results import FACET_CODE, LEAD_CHARS, SHOWN_FACETS, facets_and_histogram, lead
from despatch.corpus.sqlite.base import _Base, _chunks, _marks

# bm25 weights of the columns head, body, notes, parties: a word in the heading
# says more about what a document is than the same word in a footnote.
BM25 = "bm25(documents_fts, 8.0, 1.0, 0.5, 4.0)"
SNIPPET_TOKENS = 24
# Newest first still puts the undated ("~") last.
ORDER = {"date": "d.chrono, d.n", "-date": "d.chrono = '~', d.chrono DESC, d.n DESC"}


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


class _Search(_Base):
    """Search, and the hits, facets and labels that index pages show too."""

    # `SQLiteCorpus._count_terms`: it reads FACETS_IN_SQL where a test can set it.
    _count_terms: Callable[[sqlite3.Connection, int], list[tuple[int, int, int]]]

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
