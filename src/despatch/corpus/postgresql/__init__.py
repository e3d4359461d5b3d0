"""The shared corpus: a PostgreSQL database holds the documents, the full-text index, the facets and the index.

`--db postgresql://user@host:port/database` opens it; everything else is
the SQLite corpus's contract (`api.Corpus`, `store.CorpusStore`): the same
documents found by the same queries, the same facet counts, the same index.

Full text. The heading, parties, body and notes of a document become one
`tsvector` column weighted A, B, C and D, indexed by GIN, made with the text
search configuration `despatch` (`simple` with `unaccent`: no stemming, no
stop words, accents folded). despatch splits the text into words itself
(`index_words`: letters and digits, lower case, combining accents dropped) so
that a word is the word SQLite's unicode61 tokenizer sees, whatever the
server's locale; a marker between the columns keeps a phrase from running
from one into the next. A query is `query.py`'s tree written as a tsquery
(phrases with `<->`, prefixes with `:*`, `&`, `|`, `!`) and normalised by
`to_tsquery` with the same configuration; results are ranked by `ts_rank_cd`
with the column weights, and snippets come from `ts_headline` with the hits
between \\x02 and \\x03.

Facets. Each document row carries its facet terms as an `integer[]` with a
GIN index: a filter is `terms && {ids}`, which PostgreSQL intersects with the
full-text match as bitmaps before reading a row, and the counts of a result
are an `unnest` of the same rows. `doc_terms` keeps every term of every
document besides, for index pages and the correspondents.

Writers. Several processes may ingest into one corpus at once. Each `store`
is one transaction in two phases. First, under advisory locks on the paths
of its files (taken in one sorted statement, so two writers never wait on
each other in a circle), a file's old rows are deleted and its new rows
copied in; document ids are a primary key (`document_ids`), so a document is
in the corpus once whatever the timing, and a clash is that file's failure
alone (a savepoint per file). Then, under one advisory lock for the shared
index held to the commit, the term counts and the index entries touched are
brought up to date from what is committed. Terms are only ever added by an
ingest, so a writer uses a term's id without a lock. A deadlock or
serialization failure retries the whole transaction. Readers open read-only
connections (`default_transaction_read_only`) from a pool, each search in one
repeatable-read transaction.

The package: `connection` reads the URL and holds the connections' settings
and the advisory locks' keys, `fulltext` writes despatch's words and queries
as PostgreSQL's full text, `base` connects and runs the transactions,
`search` finds documents and counts their facets, `reading` serves
documents and index pages, `writing` stores and removes files, `curation`
merges and splits index entries. `PostgresCorpus`, here, is all of them
together.
"""
from __future__ import annotations

from despatch.corpus.postgresql.connection import is_postgresql, redacted
from despatch.corpus.postgresql.curation import _Curation
from despatch.corpus.postgresql.fulltext import (
    has_phrase,
    headline_text,
    index_words,
    is_long,
    long_condition,
    passages,
    shown_terms,
    tsquery_text,
)
from despatch.corpus.postgresql.reading import _Reading
from despatch.corpus.postgresql.writing import _Writing

__all__ = [
    "PostgresCorpus", "has_phrase", "headline_text", "index_words", "is_long", "is_postgresql", "long_condition",
    "passages", "redacted", "shown_terms", "tsquery_text",
]


class PostgresCorpus(_Reading, _Curation, _Writing):
    """A corpus in a PostgreSQL database; see the module's docstring. Implements `api.Corpus` and `store.CorpusStore`."""
