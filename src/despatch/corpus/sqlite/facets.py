"""The SQLite corpus's facet index in memory: every document's facet terms, for counting those of a large result."""
from __future__ import annotations

import sqlite3
from array import array
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import accumulate

from despatch.corpus.results import FACET_CODE


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
