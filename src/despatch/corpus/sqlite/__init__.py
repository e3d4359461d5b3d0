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

The package: `base` opens the file and runs its transactions, `search`
finds documents and counts their facets, `reading` serves documents and
index pages, `writing` stores and removes files, `curation` merges and
splits index entries, `facets` holds the in-memory facet index.
`SQLiteCorpus`, here, is all of them together.
"""
from __future__ import annotations

import sqlite3

from despatch.corpus.results import FACET_CODE
from despatch.corpus.sqlite.base import sqlite_path
from despatch.corpus.sqlite.curation import _Curation
from despatch.corpus.sqlite.facets import _FacetIndex
from despatch.corpus.sqlite.reading import _Reading
from despatch.corpus.sqlite.search import fts5_query
from despatch.corpus.sqlite.writing import _Writing

__all__ = ["FACETS_IN_SQL", "SQLiteCorpus", "fts5_query", "sqlite_path"]

# Beyond this many matches, facets are counted from the in-memory `_FacetIndex` rather than by
# SQL: SQLite sorts the rows of a GROUP BY, some 300,000 of them for 33,000 matches (250 ms),
# where counting term ids in Python takes 35 ms.
FACETS_IN_SQL = 5000


class SQLiteCorpus(_Reading, _Curation, _Writing):
    """A corpus in one SQLite file; see the module's docstring. Implements `api.Corpus` and `store.CorpusStore`."""

    # -- reading: facet counts ---------------------------------------------
    # Here rather than in `search`, so that FACETS_IN_SQL is read from this module, where a test sets it.

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
