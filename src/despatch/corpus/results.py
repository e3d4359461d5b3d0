"""What both corpus backends share: how results are shown and how index entries are joined.

A search on SQLite and the same search on PostgreSQL must show the same facets,
snippets, histogram and index entries; these pieces live here so that neither
backend reaches into the other.
"""
from __future__ import annotations

import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field

from despatch.annotate.index import merge_entity
from despatch.corpus.api import FacetValue
from despatch.corpus.codec import copy_entity
from despatch.corpus.prepare import TERM_FACETS
from despatch.model import Entity

SHOWN_FACETS = ("sender", "recipient", "place", "person", "channel", "year")
FACET_SIZE = 15  # values listed per facet, most frequent first (years: all, in order)
MONTHS_MAX = 120  # a histogram over more months than this is drawn by year
LEAD_CHARS = 240  # the opening of the body shown for a result found without words


def sort_name(name: str) -> str:
    """`name` in lower case without diacritics, as an index is browsed: "Cárdenas" under "cardenas"."""
    plain = unicodedata.normalize("NFKD", name)
    return "".join(c for c in plain if not unicodedata.combining(c)).casefold()


@dataclass
class IndexChanges:
    """What one transaction did to the index: entries that lost a file's part, parts newly stored."""

    lost: set[str] = field(default_factory=set)
    gained: dict[str, list[Entity]] = field(default_factory=dict)

    def note(self, lost: set[str], entries: list[Entity]) -> None:
        self.lost |= lost
        for entry in entries:
            self.gained.setdefault(entry.id, []).append(entry)


def merge_entries(entries: list[Entity]) -> Entity:
    """One entry from several files' entries of it, as `annotate.index.merge_entity` joins them.

    Documents are joined here with a set: an entry named in tens of thousands of
    documents would make merge_entity's list lookups quadratic.
    """
    merged: dict[str, Entity] = {}
    documents: dict[str, None] = {}
    for entry in entries:
        documents.update(dict.fromkeys(entry.documents))
        merge_entity(merged, copy_entity(entry, documents=[]))
    result = next(iter(merged.values()))
    result.documents = list(documents)
    return result


def histogram(months: dict[str, int], years: dict[str, int]) -> list[tuple[str, int]]:
    """Counts by month with the empty months in between, or by year when the months would be too many."""
    if months:
        first, last = min(months), max(months)
        span = (int(last[:4]) - int(first[:4])) * 12 + int(last[5:7]) - int(first[5:7]) + 1
        if span <= MONTHS_MAX:
            out = []
            y, m = int(first[:4]), int(first[5:7])
            for _ in range(span):
                key = f"{y:04d}-{m:02d}"
                out.append((key, months.get(key, 0)))
                y, m = (y + 1, 1) if m == 12 else (y, m + 1)
            return out
    if not years:
        return []
    lo, hi = int(min(years)), int(max(years))
    return [(f"{y:04d}", years.get(f"{y:04d}", 0)) for y in range(lo, hi + 1)]


def lead(text: str) -> str:
    """The opening words of a body, cut at a word."""
    text = " ".join(text.split())
    if len(text) <= LEAD_CHARS:
        return text
    cut = text.rfind(" ", 0, LEAD_CHARS)
    return text[:cut if cut > 0 else LEAD_CHARS] + " …"


def in_context(text: str, start: int, end: int, width: int = 100) -> str:
    """The words around text[start:end], that span marked with \\x02 and \\x03."""
    lo = max(0, start - width)
    hi = min(len(text), end + width)
    if lo > 0:
        lo = text.find(" ", lo, start) + 1 or lo
    if hi < len(text):
        cut = text.rfind(" ", end, hi)
        hi = cut if cut > 0 else hi
    before = ("…" if lo > 0 else "") + text[lo:start]
    after = text[end:hi] + ("…" if hi < len(text) else "")
    return f"{before}\x02{text[start:end]}\x03{after}"


FACET_CODE = {facet: k for k, facet in enumerate(TERM_FACETS)}


def facets_and_histogram(counts: list[tuple[int, int, int]], labels_of: Callable[[list[int]], dict[int, FacetValue]]
                         ) -> tuple[dict[str, list[FacetValue]], list[tuple[str, int]]]:
    """The facets a search shows and its histogram, from (facet code, term id, count) rows.

    `labels_of` looks up the value and label of term ids in the backend at hand.
    """
    by_facet: dict[int, list[tuple[int, int]]] = {}
    for code, term, count in counts:
        by_facet.setdefault(code, []).append((term, count))
    chosen: dict[str, list[tuple[int, int]]] = {}
    for name in SHOWN_FACETS:
        values = by_facet.get(FACET_CODE[name], [])
        if name != "year":
            values = sorted(values, key=lambda tc: (-tc[1], tc[0]))[:FACET_SIZE]
        chosen[name] = values
    years = by_facet.get(FACET_CODE["year"], [])
    months = by_facet.get(FACET_CODE["month"], [])
    labels = labels_of([t for values in chosen.values() for t, _ in values] + [t for t, _ in months])
    facets: dict[str, list[FacetValue]] = {}
    for name, values in chosen.items():
        shown = [FacetValue(labels[t].value, labels[t].label, c) for t, c in values if t in labels]
        if name == "year":
            shown.sort(key=lambda v: v.value)
        facets[name] = shown
    year_counts = {labels[t].value: c for t, c in years if t in labels}
    month_counts = {labels[t].value: c for t, c in months if t in labels}
    return facets, histogram(month_counts, year_counts)
