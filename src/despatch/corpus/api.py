"""The corpus seen from outside: what the CLI, the web app and exports ask of a store.

Every backend (SQLite by default, PostgreSQL for large archives) implements
`Corpus`; callers hold only this interface and the result types below, so the
backend is a URL and nothing else changes for them.

Additions since the first version (all backward compatible):
- `CorpusError`: a store that cannot be opened or used (no file at the path, a
  schema newer than this despatch, a backend not built yet); the CLI prints its
  message as one line and the web app can refuse to start with it.
- The counts of `correspondents()`' FacetValues are documented (each party's
  documents in the corpus); the writing half of a store is `store.CorpusStore`.
"""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal, Protocol

from despatch.model import Document, Entity

Sort = Literal["relevance", "date", "-date"]
FACETS = ("sender", "recipient", "place", "person", "channel", "year")


class QueryError(ValueError):
    """A search the user wrote that cannot be run: the message says why, in words for the user."""


class CorpusError(RuntimeError):
    """A corpus that cannot be opened or used; the message names it and says why, in one line."""


@dataclass
class SearchQuery:
    """A full-text query with filters. `text` may be empty (filters alone)."""

    text: str = ""
    sender: str | None = None  # index id or name of the sender
    recipient: str | None = None
    place: str | None = None
    person: str | None = None  # a person mentioned anywhere in the document
    channel: str | None = None
    date_from: str | None = None  # ISO date, inclusive
    date_to: str | None = None
    year: int | None = None
    sort: Sort = "relevance"
    limit: int = 20
    offset: int = 0


@dataclass
class Hit:
    doc_id: str
    head: str
    date: str | None  # ISO
    place: str | None
    senders: list[str]
    recipients: list[str]
    channel: str | None
    snippet: str  # plain text with the hits between \x02 and \x03; callers escape, then mark
    score: float | None = None


@dataclass
class FacetValue:
    value: str  # what a filter takes (an index id, a channel, a year)
    label: str  # what a reader sees
    count: int


@dataclass
class SearchResult:
    total: int
    hits: list[Hit]
    facets: dict[str, list[FacetValue]] = field(default_factory=dict)
    histogram: list[tuple[str, int]] = field(default_factory=list)  # ("1918-03", 12), by month or year


@dataclass
class EntityPage:
    """An index entry and where it stands in the corpus."""

    entity: Entity
    sent: list[Hit] = field(default_factory=list)
    received: list[Hit] = field(default_factory=list)
    mentioned: list[Hit] = field(default_factory=list)
    companions: list[FacetValue] = field(default_factory=list)  # people most often named alongside


@dataclass
class IngestReport:
    files_seen: int = 0
    files_added: int = 0
    files_replaced: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    documents: int = 0
    failures: list[str] = field(default_factory=list)  # one line each: "PATH: reason"


class Corpus(Protocol):
    """A store of documents, their notes, mentions and index, with search."""

    def search(self, query: SearchQuery) -> SearchResult: ...

    def document(self, doc_id: str) -> Document | None: ...

    def neighbours(self, doc_id: str) -> tuple[str | None, str | None]:
        """The documents before and after this one in the chronology."""
        ...

    def entity(self, entity_id: str, limit: int = 50) -> EntityPage | None: ...

    def entities(self, kind: str | None = None, prefix: str = "", limit: int = 100, offset: int = 0) -> list[Entity]: ...

    def chronology(self) -> list[tuple[str, int]]:
        """Documents per month ("1918-03", 12), in order."""
        ...

    def correspondents(self, limit: int = 200) -> list[tuple[FacetValue, FacetValue, int]]:
        """Who wrote to whom and how often, most frequent first.

        Each FacetValue's count is that sender's (recipient's) documents in the whole corpus.
        """
        ...

    def documents(self, query: SearchQuery | None = None) -> Iterator[Document]:
        """Every document (or every one matching `query`), in chronological order, for export."""
        ...

    def count(self) -> int: ...

    def close(self) -> None: ...
