"""The corpus: documents stored, searched and indexed, behind one interface (`api.Corpus`).

`open_corpus` takes what a user gives `--db`: a path or `sqlite:///path` for
the embedded SQLite file, `postgresql://user@host:port/database` (or
`postgres://`, `postgresql+psycopg://`) for a shared PostgreSQL server.
Callers never import a backend themselves.
"""
from __future__ import annotations

from despatch.corpus.api import (
    FACETS,
    Corpus,
    CorpusError,
    EntityPage,
    FacetValue,
    Hit,
    IngestReport,
    QueryError,
    SearchQuery,
    SearchResult,
)
from despatch.corpus.store import CorpusStore

__all__ = [
    "FACETS", "Corpus", "CorpusError", "CorpusStore", "EntityPage", "FacetValue", "Hit", "IngestReport",
    "QueryError", "SearchQuery", "SearchResult", "UnsupportedBackend", "open_corpus", "open_store",
]


class UnsupportedBackend(CorpusError, NotImplementedError):
    """A `--db` URL for a backend this despatch does not have (yet)."""


def _is_postgresql(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://", "postgresql+"))


def open_corpus(url_or_path: str, readonly: bool = True) -> Corpus:
    """The corpus at `url_or_path`, read-only unless asked; `CorpusError` if there is none to open."""
    return open_store(url_or_path, readonly=readonly)


def open_store(url_or_path: str, readonly: bool = False) -> CorpusStore:
    """The corpus at `url_or_path` with its writing half; a SQLite file is made if there is none yet.

    A PostgreSQL database must exist (`createdb`); a writer makes the corpus's tables in it.
    """
    if _is_postgresql(url_or_path):
        from despatch.corpus.postgresql import PostgresCorpus

        return PostgresCorpus(url_or_path, readonly=readonly)
    if "://" in url_or_path and not url_or_path.startswith("sqlite:"):
        scheme = url_or_path.split("://", 1)[0]
        raise UnsupportedBackend(f"unknown kind of corpus {scheme}://; use a path, sqlite:///path or postgresql://")
    from despatch.corpus.sqlite import SQLiteCorpus, sqlite_path

    return SQLiteCorpus(sqlite_path(url_or_path), readonly=readonly)
