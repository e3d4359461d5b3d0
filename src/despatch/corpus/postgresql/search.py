"""The PostgreSQL corpus's search: a query's condition on the documents, its count and facets in one statement, hits.

Snippets are `ts_headline`'s, given a window of a long text around the query's words.
"""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg

from despatch.corpus.api import FacetValue, Hit, SearchQuery, SearchResult
from despatch.corpus.postgresql.base import _Base
from despatch.corpus.postgresql.fulltext import (
    CONFIG,
    ELLIPSIS,
    HEADLINE,
    HEADLINE_BEFORE,
    HEADLINE_WINDOW,
    RANK_NORMALIZATION,
    RANK_WEIGHTS,
    has_phrase,
    headline_text,
    index_words,
    long_condition,
    shown_terms,
    tsquery_text,
)
from despatch.corpus.prepare import UNDATED
from despatch.corpus.query import Plan, check_query
from despatch.corpus.results import (
    FACET_CODE,
    LEAD_CHARS,
    SHOWN_FACETS,
    facets_and_histogram,  # shown alike on both backends
    lead,
)

ORDER = {"date": "d.chrono, d.n", "-date": "d.chrono = '~', d.chrono DESC, d.n DESC"}


class _Search(_Base):
    """Search, and the hits, facets and labels that index pages show too."""

    # -- reading: search ---------------------------------------------------

    def search(self, query: SearchQuery) -> SearchResult:
        plan = check_query(query)
        with self._read() as conn:
            if plan.text is None and not plan.filters and not plan.date_from and not plan.date_to:
                return self._browse(conn, plan)
            match = self._match(conn, plan)
            if match is None:
                return SearchResult(total=0, hits=[], facets={f: [] for f in SHOWN_FACETS})
            where, params, tsquery, marks = match
            total, counts = self._count(conn, where, params)
            page: list[tuple[int, float | None]] = []
            if plan.limit and plan.offset < total:
                if plan.by_relevance:
                    page = [(n, float(s)) for n, s in conn.execute(
                        "SELECT d.n, ts_rank_cd(%s::float4[], d.search, %s::tsquery, %s) AS score "
                        f"FROM documents d WHERE {where} ORDER BY score DESC, d.n LIMIT %s OFFSET %s",
                        [RANK_WEIGHTS, tsquery, RANK_NORMALIZATION, *params, plan.limit, plan.offset])]
                else:
                    # Without words there is no relevance: such a search lists by date.
                    order = ORDER["-date" if plan.sort == "-date" else "date"]
                    page = [(r[0], None) for r in conn.execute(
                        f"SELECT d.n FROM documents d WHERE {where} ORDER BY {order} "
                        "LIMIT %s OFFSET %s", [*params, plan.limit, plan.offset])]
            words = [w for t in shown_terms(plan.text) for w in index_words(t.text).split()[:1]] if plan.text else []
            hits = self._hits(conn, [n for n, _ in page], {n: s for n, s in page if s is not None}, marks, words)
            facets, hist = self._facets(conn, counts)
        return SearchResult(total=total, hits=hits, facets=facets, histogram=hist)

    def _count(self, conn: psycopg.Connection, where: str, params: list[Any]) -> tuple[int, list[tuple[int, int, int]]]:
        """The number of documents matched and (facet, term, documents) for their facets and months.

        One statement: the matches are read once (their rows carry their terms), counted, and
        their terms counted and joined to their facets.
        """
        total = 0
        counts: list[tuple[int, int, int]] = []
        for facet, term, count in conn.execute(
                f"WITH m AS MATERIALIZED (SELECT d.terms FROM documents d WHERE {where}), "
                "c AS (SELECT t, count(*) AS c FROM m, unnest(m.terms) AS t GROUP BY t) "
                "SELECT tm.facet, c.t, c.c FROM c JOIN terms tm ON tm.id = c.t "
                "UNION ALL SELECT NULL, NULL, count(*) FROM m", params):
            if facet is None:
                total = int(count)
            elif facet in FACET_CODE:
                counts.append((FACET_CODE[facet], int(term), int(count)))
        return total, counts

    def _browse(self, conn: psycopg.Connection, plan: Plan) -> SearchResult:
        """The whole corpus, newest or oldest first: every count is already kept in `terms`."""
        row = conn.execute("SELECT count(*) FROM documents").fetchone()
        total = int(row[0]) if row else 0
        order = ORDER["-date" if plan.sort == "-date" else "date"]
        ns = [r[0] for r in conn.execute(f"SELECT d.n FROM documents d ORDER BY {order} "
                                         "LIMIT %s OFFSET %s", (plan.limit, plan.offset))] if plan.limit else []
        hits = self._hits(conn, ns, {}, None)
        counts = conn.execute("SELECT facet, id, docs FROM terms WHERE facet = ANY(%s) AND docs > 0",
                              ([*SHOWN_FACETS, "month"],)).fetchall()
        facets, hist = self._facets(conn, [(FACET_CODE[f], t, c) for f, t, c in counts])
        return SearchResult(total=total, hits=hits, facets=facets, histogram=hist)

    def _filter_terms(self, conn: psycopg.Connection, facet: str, value: str) -> list[int]:
        """The terms a filter value names: an index id, a value as stored, or a name as shown (ASCII case ignored)."""
        if facet == "channel":
            value = value.lower()
        rows = conn.execute(
            "SELECT id FROM terms WHERE facet = %s AND (value = %s OR lower(label) = lower(%s) "
            "OR value IN (SELECT id FROM entities WHERE lower(name) = lower(%s)))",
            (facet, value, value, value)).fetchall()
        return [r[0] for r in rows]

    def _match(self, conn: psycopg.Connection, plan: Plan) -> tuple[str, list[Any], str | None, str | None] | None:
        """The condition on `documents d` that `plan` finds, its parameters, its tsquery and its snippets' tsquery.

        None when nothing can match: a filter naming no term, or words that are no words.
        """
        where: list[str] = []
        params: list[Any] = []
        tsquery: str | None = None
        marks: str | None = None
        if plan.text is not None:
            text = tsquery_text(plan.text)
            if text is None:
                return None
            queries = [text, headline_text(plan.text) or text]
            long = "false"
            if has_phrase(plan.text):
                wider = tsquery_text(plan.text, "wider")
                queries.append(wider or "")
                long = long_condition(plan.text, queries)
            # Normalised by the server, with the configuration the vectors were made with.
            normal = [r[0] for r in conn.execute(
                "SELECT to_tsquery(%s::regconfig, q)::text FROM unnest(%s::text[]) WITH ORDINALITY AS x(q, k) "
                "ORDER BY k", (CONFIG, queries))]
            tsquery, marks = normal[0], normal[1] or normal[0]
            normal = [tsquery, *normal[2:]]
            if not tsquery:
                return None
            if len(normal) == 1:
                where.append("d.search @@ %s::tsquery")
                params.append(tsquery)
            else:
                # A phrase: a document short enough is answered by its vector alone; a long one's
                # vector finds its candidates (every word there), its passages its phrases.
                where.append(f"((NOT d.long AND d.search @@ %s::tsquery) OR "
                             f"(d.long AND d.search @@ %s::tsquery AND {long}))")
                params.extend(normal)
        for facet, value in plan.filters.items():
            terms = self._filter_terms(conn, facet, value)
            if not terms:
                return None
            where.append("d.terms && %s::integer[]")
            params.append(terms)
        if plan.date_from:
            where.append("d.chrono >= %s AND d.chrono < %s")
            params.extend((plan.date_from, UNDATED))
        if plan.date_to:
            where.append("d.chrono < %s")
            params.append(plan.date_to)
        return " AND ".join(where) or "true", params, tsquery, marks

    def _hits(self, conn: psycopg.Connection, ns: list[int], scores: dict[int, float],
              tsquery: str | None, words: Sequence[str] = ()) -> list[Hit]:
        if not ns:
            return []
        docs = {r[0]: r for r in conn.execute(
            "SELECT n, id, head, date, place, channel FROM documents WHERE n = ANY(%s)", (ns,))}
        who: dict[tuple[int, str], list[str]] = {}
        for doc, role, label in conn.execute(
                "SELECT p.doc, p.role, coalesce(e.name, p.name, p.text) FROM parties p "
                "LEFT JOIN entities e ON e.id = p.ref WHERE p.doc = ANY(%s) ORDER BY p.doc, p.role, p.position",
                (ns,)):
            who.setdefault((doc, role), []).append(label)
        snippets = {n: lead(body) for n, body in conn.execute(
            "SELECT n, left(body, %s) FROM document_text WHERE n = ANY(%s)", (LEAD_CHARS + 40, ns))}
        if tsquery is not None:
            snippets.update(self._headlines(conn, ns, tsquery, words))
        hits = []
        for n in ns:
            if n not in docs:
                continue
            _, doc_id, head, date, place, channel = docs[n]
            hits.append(Hit(doc_id=doc_id, head=head, date=date, place=place, senders=who.get((n, "from"), []),
                            recipients=who.get((n, "to"), []), channel=channel, snippet=snippets.get(n, ""),
                            score=scores.get(n)))
        return hits

    def _headlines(self, conn: psycopg.Connection, ns: list[int], tsquery: str,
                   words: Sequence[str]) -> dict[int, str]:
        """Each document's words around its hits, marked: from the body, else the notes, the heading, the parties.

        The body first, as on SQLite: the heading is shown with the result anyway. ts_headline
        reads the whole of the text it is given (half a second for twenty long despatches), so
        it is given a window around the first place one of `words` is written, and the whole
        text only when that window shows no hit. `tsquery` marks any of the query's terms
        (`headline_text`), so a window with one of them shows it. An ellipsis stands where the text goes on
        before or after the words shown.
        """
        found: dict[int, str] = {}
        sources = (("document_text", "body"), ("document_text", "notes"), ("documents", "head"),
                   ("document_text", "parties"))
        for table, column in sources:
            for windowed in (True, False):
                left = [n for n in ns if n not in found]
                if not left:
                    return found
                window = (f"coalesce((SELECT substr(t.{column}, greatest(1, min(k) - {HEADLINE_BEFORE}), "
                          f"{HEADLINE_WINDOW}) FROM unnest(%s::text[]) AS w(w), "
                          f"LATERAL (SELECT nullif(strpos(lower(t.{column}), w), 0) AS k) AS at), t.{column})"
                          if windowed else f"t.{column}")
                # MATERIALIZED: each headline is made once, not once for each use of it below.
                for n, marked, before, after in conn.execute(
                        f"WITH x AS MATERIALIZED (SELECT t.n, t.{column} AS src, "
                        f"ts_headline(%s::regconfig, {window}, %s::tsquery, %s) AS h "
                        f"FROM {table} t WHERE t.n = ANY(%s)), "
                        "y AS MATERIALIZED (SELECT x.*, strpos(x.src, replace(replace(x.h, chr(2), ''), chr(3), '')) "
                        "AS p, length(replace(replace(x.h, chr(2), ''), chr(3), '')) AS l FROM x) "
                        "SELECT n, h, p > 0 AND left(src, p - 1) ~ '[[:alnum:]]', "
                        "p > 0 AND substr(src, p + l) ~ '[[:alnum:]]' FROM y",
                        (CONFIG, *([list(words)] if windowed else []), tsquery, HEADLINE, left)):
                    if "\x02" in marked:
                        found[n] = (ELLIPSIS if before else "") + marked + (ELLIPSIS if after else "")
                if not windowed or not words:
                    break
        return found

    def _term_labels(self, conn: psycopg.Connection, ids: Iterable[int]) -> dict[int, FacetValue]:
        """Each term as a facet value: the index's current name for an entry, the stored label otherwise.

        The count is the term's documents in the whole corpus; a search puts its own in their place.
        """
        out: dict[int, FacetValue] = {}
        for tid, value, label, docs in conn.execute(
                "SELECT t.id, t.value, coalesce(e.name, t.label), t.docs FROM terms t "
                "LEFT JOIN entities e ON e.id = t.value WHERE t.id = ANY(%s)", (list(ids),)):
            out[tid] = FacetValue(value=value, label=label, count=docs)
        return out

    def _facets(self, conn: psycopg.Connection, counts: list[tuple[int, int, int]]
                ) -> tuple[dict[str, list[FacetValue]], list[tuple[str, int]]]:
        return facets_and_histogram(counts, lambda terms: self._term_labels(conn, terms))
