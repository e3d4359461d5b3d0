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
"""
from __future__ import annotations

import hashlib
import re
import threading
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any, Self, TypeVar

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool

from despatch.annotate.context import Knowledge
from despatch.annotate.index import Curation, slug
from despatch.annotate.text import texts
from despatch.corpus.api import CorpusError, EntityPage, FacetValue, Hit, SearchQuery, SearchResult
from despatch.corpus.codec import DOCUMENT_FORMAT, decode_document, entity_from_json, entity_json
from despatch.corpus.prepare import (
    ENTITY_FACET,
    UNDATED,
    DocumentRows,
    MentionRow,
    PreparedFile,
    prepare_documents,
    raw_entity_id,
)
from despatch.corpus.query import MAX_QUERY_CHARS, AllOf, AnyOf, Node, Plan, Term, check_query, terms_of
from despatch.corpus.results import (
    FACET_CODE,
    FACET_SIZE,
    LEAD_CHARS,
    SHOWN_FACETS,
    IndexChanges,
    facets_and_histogram,  # shown alike on both backends
    in_context,
    lead,
    merge_entries,
    sort_name,
)
from despatch.corpus.schema import check_postgresql, migrate_postgresql
from despatch.corpus.store import StoredFile
from despatch.model import Document, Entity

T = TypeVar("T")
# documents.terms holds the facets up to "month": the six a search filters and counts, and the histogram's.
ROW_FACETS = FACET_CODE["month"]
CONFIG = "despatch"
# ts_rank_cd's weights of D (notes), C (body), B (parties), A (heading): the proportions of the
# SQLite backend's bm25 weights (0.5, 1, 4, 8): a word in the heading says most about a document.
RANK_WEIGHTS = [0.05, 0.1, 0.4, 0.8]
RANK_NORMALIZATION = 1  # divided by 1 + log(length): a long document is not first for being long
# A token PostgreSQL's parser reads as one host name and that no text can yield (despatch's words
# have no dots): put after a column and deleted from the vector, it leaves a hole of one position,
# so "Roosevelt Harriman" is no phrase when the heading ends with Roosevelt and the parties begin
# with Harriman, as in FTS5, whose columns are apart.
COLUMN_GAP = "column.gap"
HEADLINE = 'StartSel="\x02", StopSel="\x03", MaxWords=24, MinWords=12, ShortWord=0, MaxFragments=1'
ELLIPSIS = "…"
# ts_headline is given HEADLINE_WINDOW characters from this many before the first place one of the
# query's words is written: a hit, at a fraction of a long despatch's length.
HEADLINE_BEFORE = 400
HEADLINE_WINDOW = 1600
# A tsvector keeps 256 positions of a word and clamps positions at 16,383: a document with a word
# more often than this, or more words, is "long" and its phrases are looked for in passages. The
# margins cover words that unaccent makes one ("æther" and "aether").
LONG_WORD = 240
LONG_POSITIONS = 16_000
PASSAGE_WORDS = 1000
# Passages overlap by more words than a phrase can have (a query is at most 500 characters), so
# every phrase of a long document is whole in some passage.
PASSAGE_OVERLAP = MAX_QUERY_CHARS // 2 + 6
ORDER = {"date": "d.chrono, d.n", "-date": "d.chrono = '~', d.chrono DESC, d.n DESC"}
CHUNK = 500
POOL_SIZE = 8  # connections a reader (a web app's threads) keeps at most
RETRIES = 5  # attempts of a write transaction that a deadlock or a serialization failure ended
# Advisory locks: bigint keys "desp" + n for the corpus-wide ones, the pair (PATH_SPACE, hash) for a path.
WRITERS_LOCK = 0x6465737000000002  # shared by every write, exclusive for curation and maintenance
INDEX_LOCK = 0x6465737000000003  # held by a writer from its index phase to its commit
PATH_SPACE = 0x64657370
READER_OPTIONS = ("-c default_transaction_read_only=on -c jit=off -c statement_timeout=60s "
                  "-c plan_cache_mode=force_custom_plan")
# JIT compiles large queries in tens of milliseconds, more than a search takes; custom plans
# because a generic plan cannot know how many documents a word or a filter picks.
WRITER_OPTIONS = "-c jit=off"

# Combining marks of the blocks Latin, Greek and Cyrillic accents come from: what NFD splits off
# an accented letter, so "Chargé" is "charge" as SQLite's unicode61 (remove_diacritics 2) reads it.
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# What the tokenizers split at: everything that is not a letter or a digit ("_" and "—" too).
SEPARATORS = re.compile(r"[\W_]+")


def is_postgresql(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://", "postgresql+"))


def index_words(text: str) -> str:
    """`text` as the words the full-text index holds, one space apart: "Chargé d'Affaires" -> "charge d affaires"."""
    if not text.isascii():
        text = COMBINING.sub("", unicodedata.normalize("NFD", text))
    return SEPARATORS.sub(" ", text.lower()).strip()


def tsquery_text(node: Node, mode: str = "exact") -> str | None:
    """The query tree as `to_tsquery` input; None for a tree no document can match.

    Every word is quoted and made of letters and digits only, so nothing the user
    typed is read as an operator. `mode` "wider" matches at least what the tree
    matches with every phrase read as its words anywhere (what a long document's
    vector can still answer), "narrower" at most (phrases match nothing): the
    opposite of each other, as a NOT turns one into the other.
    """
    if isinstance(node, Term):
        words = index_words(node.text).split()
        if not words or (mode == "narrower" and len(words) > 1):
            return None
        quoted = [f"'{w}'" for w in words]
        if node.prefix:
            quoted[-1] += ":*"
        return "(" + (" & " if mode == "wider" else " <-> ").join(quoted) + ")"
    if isinstance(node, AnyOf):
        parts = [p for p in (tsquery_text(n, mode) for n in node.parts) if p is not None]
        return "(" + " | ".join(parts) + ")" if parts else None
    assert isinstance(node, AllOf)
    keep = [tsquery_text(n, mode) for n in node.parts]
    if any(p is None for p in keep):
        return None
    flipped = {"wider": "narrower", "narrower": "wider"}.get(mode, mode)
    without = [p for p in (tsquery_text(n, flipped) for n in node.without) if p is not None]
    both = " & ".join(p for p in keep if p is not None)
    return f"(({both}) & !({' | '.join(without)}))" if without else f"({both})"


def has_phrase(node: Node) -> bool:
    return any(len(index_words(t.text).split()) > 1 for t in terms_of(node))


def long_condition(node: Node, queries: list[str]) -> str:
    """The tree as SQL for a long document: a word looked up in its vector, a phrase in its passages.

    The tsquery text of each leaf is appended to `queries`; the SQL takes them, normalised,
    as parameters in that order.
    """
    if isinstance(node, Term):
        text = tsquery_text(node)
        if text is None:
            return "false"
        queries.append(text)
        if len(index_words(node.text).split()) > 1:
            return "d.n IN (SELECT p.doc FROM passages p WHERE p.search @@ %s::tsquery)"
        return "d.search @@ %s::tsquery"
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(long_condition(n, queries) for n in node.parts) + ")"
    keep = " AND ".join(long_condition(n, queries) for n in node.parts)
    if not node.without:
        return f"({keep})"
    return f"({keep} AND NOT ({' OR '.join(long_condition(n, queries) for n in node.without)}))"


def shown_terms(node: Node) -> list[Term]:
    """The terms a match may show: every one not excluded."""
    if isinstance(node, Term):
        return [node]
    return [t for part in node.parts for t in shown_terms(part)]


def headline_text(node: Node) -> str | None:
    """What a snippet marks: any of the terms not excluded (a window of a long text may hold one, not all)."""
    parts = [q for q in map(tsquery_text, shown_terms(node)) if q is not None]
    return " | ".join(parts) or None


def is_long(columns: Sequence[str]) -> bool:
    """Whether a document's words (as `index_words` gives them, by column) outgrow a tsvector's positions."""
    words = " ".join(columns).split()
    if len(words) <= LONG_WORD:
        return False
    return len(words) + len(columns) > LONG_POSITIONS or max(Counter(words).values()) > LONG_WORD


def passages(columns: Sequence[str]) -> list[str]:
    """A long document's words in overlapping passages, each column apart, none with a word too often."""
    out: list[str] = []
    for column in columns:
        words = column.split()
        start = 0
        while start < len(words):
            end = min(len(words), start + PASSAGE_WORDS)
            while max(Counter(words[start:end]).values()) > LONG_WORD:
                end = start + (end - start) // 2  # a table of figures, "1 1 1 1": a shorter passage
            out.append(" ".join(words[start:end]))
            if end >= len(words):
                break
            # Normally a step of PASSAGE_WORDS - PASSAGE_OVERLAP; at least half a passage, so that a
            # column of one word repeated is not cut into a passage per word.
            start = max(start + max(1, (end - start) // 2), end - PASSAGE_OVERLAP)
    return out


def redacted(url: str) -> str:
    """`url` without its password, for messages."""
    try:
        parts = conninfo_to_dict(_plain_url(url))
    except psycopg.ProgrammingError:
        return url.split("@")[-1]
    user = f"{parts['user']}@" if parts.get("user") else ""
    port = f":{parts['port']}" if parts.get("port") else ""
    return f"postgresql://{user}{parts.get('host', '')}{port}/{parts.get('dbname', '')}"


def _plain_url(url: str) -> str:
    """A `postgresql+driver://` URL (as SQLAlchemy writes them) as libpq reads it."""
    if url.startswith("postgresql+"):
        return "postgresql://" + url.split("://", 1)[1]
    return url


def _usable(key: str) -> bool:
    """Whether `key` can be looked up at all: PostgreSQL text holds no NUL, and half a surrogate pair is no text."""
    if "\x00" in key:
        return False
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _path_key(path: str) -> int:
    """A path as the second key of its advisory lock (a collision only makes two files wait on each other)."""
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=4).digest(),
                          "big", signed=True)


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


class _NotStored(Exception):
    """A file the store refuses: the message is the line the ingest prints."""


class PostgresCorpus:
    """A corpus in a PostgreSQL database; see the module's docstring. Implements `api.Corpus` and `store.CorpusStore`."""

    def __init__(self, url: str, readonly: bool = True):
        self.url = _plain_url(url)
        self.readonly = readonly
        self.where = redacted(url)
        self._lock = threading.RLock()  # the writer's one connection serves one transaction at a time
        self._writer: psycopg.Connection | None = None
        self._pool: ConnectionPool | None = None
        self._terms: dict[tuple[str, str], int] = {}  # the writer's cache of term ids (terms are never deleted)
        self._terms_epoch: str | None = None
        options = READER_OPTIONS if readonly else WRITER_OPTIONS
        self._conninfo = self._with_options(options)
        first = self._connect()
        try:
            if readonly:
                check_postgresql(first, self.where)
            else:
                migrate_postgresql(first, self.where)
                first.execute("INSERT INTO meta VALUES ('document_format', %s), ('terms_epoch', '0') "
                              "ON CONFLICT (key) DO NOTHING", (DOCUMENT_FORMAT,))
        except psycopg.Error as exc:
            first.close()
            doing = "not a despatch corpus" if readonly else "cannot make or update the corpus"
            raise CorpusError(f"{self.where}: {doing} ({_one_line(exc)})") from None
        except CorpusError:
            first.close()
            raise
        if readonly:
            first.close()
            self._pool = ConnectionPool(self._conninfo, min_size=1, max_size=POOL_SIZE, open=True,
                                        kwargs={"autocommit": True}, configure=_configure_reader,
                                        name=f"despatch {self.where}")
        else:
            self._writer = first

    # -- connections -------------------------------------------------------

    def _with_options(self, options: str) -> str:
        try:
            given = conninfo_to_dict(self.url)
        except psycopg.ProgrammingError as exc:
            raise CorpusError(f"{self.where}: not a PostgreSQL URL ({_one_line(exc)})") from None
        # The user's own options (a search_path, say) come first; ours are added to them.
        merged = f"{given['options']} {options}" if given.get("options") else options
        return make_conninfo(self.url, options=merged, application_name=str(given.get("application_name")
                                                                             or "despatch"))

    def _connect(self) -> psycopg.Connection:
        try:
            return psycopg.connect(self._conninfo, autocommit=True, connect_timeout=30)
        except psycopg.OperationalError as exc:
            message = _one_line(exc)
            if "does not exist" in message and "database" in message:
                raise CorpusError(f"{self.where}: no corpus here, the database does not exist; create it "
                                  f"(createdb), then `despatch ingest FILES --db {self.where}` makes one") from None
            raise CorpusError(f"{self.where}: cannot connect ({message})") from None

    def close(self) -> None:
        with self._lock:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
            if self._writer is not None:
                self._writer.close()
                self._writer = None

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[psycopg.Connection]:
        """One read-only, repeatable-read transaction: every statement inside sees the same committed state."""
        if self._pool is not None:
            with self._pool.connection() as conn, conn.transaction():
                yield conn
            return
        conn = self._writer_connection()
        with self._lock, conn.transaction():
            conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield conn

    def _writer_connection(self) -> psycopg.Connection:
        if self._writer is None:
            raise CorpusError(f"{self.where}: the corpus is closed")
        return self._writer

    @contextmanager
    def _write(self, exclusive: bool = False) -> Iterator[psycopg.Connection]:
        """One read-committed write transaction, sharing the writers' lock (or holding it alone)."""
        if self.readonly:
            raise CorpusError(f"{self.where}: opened read-only")
        conn = self._writer_connection()
        with self._lock:
            try:
                with conn.transaction():
                    lock = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
                    conn.execute(f"SELECT {lock}(%s)", (WRITERS_LOCK,))
                    epoch = conn.execute("SELECT value FROM meta WHERE key = 'terms_epoch'").fetchone()
                    if epoch is None or epoch[0] != self._terms_epoch:
                        # `optimize` deleted unused terms since this writer last looked.
                        self._terms.clear()
                        self._terms_epoch = epoch[0] if epoch else None
                    yield conn
            except BaseException:
                self._terms.clear()  # ids cached during the transaction may not exist
                raise

    # -- reading: documents ------------------------------------------------

    def count(self) -> int:
        with self._read() as conn:
            row = conn.execute("SELECT count(*) FROM documents").fetchone()
        return int(row[0]) if row else 0

    def document(self, doc_id: str) -> Document | None:
        if not _usable(doc_id):
            return None
        with self._read() as conn:
            row = conn.execute("SELECT x.data FROM document_ids i JOIN document_data x ON x.n = i.doc "
                               "WHERE i.id = %s", (doc_id,), binary=True).fetchone()
        if row is None:
            return None
        doc = decode_document(bytes(row[0]))
        return next((p for p in doc.all_documents() if p.id == doc_id), None)

    def _top_n(self, conn: psycopg.Connection, doc_id: str) -> int | None:
        row = conn.execute("SELECT doc FROM document_ids WHERE id = %s", (doc_id,)).fetchone()
        return int(row[0]) if row else None

    def neighbours(self, doc_id: str) -> tuple[str | None, str | None]:
        if not _usable(doc_id):
            return None, None
        with self._read() as conn:
            n = self._top_n(conn, doc_id)
            if n is None:
                return None, None
            chrono = conn.execute("SELECT chrono FROM documents WHERE n = %s", (n,)).fetchone()
            if chrono is None:
                return None, None
            before = conn.execute("SELECT id FROM documents WHERE (chrono, n) < (%s, %s) "
                                  "ORDER BY chrono DESC, n DESC LIMIT 1", (chrono[0], n)).fetchone()
            after = conn.execute("SELECT id FROM documents WHERE (chrono, n) > (%s, %s) "
                                 "ORDER BY chrono, n LIMIT 1", (chrono[0], n)).fetchone()
        return (before[0] if before else None), (after[0] if after else None)

    def chronology(self) -> list[tuple[str, int]]:
        with self._read() as conn:
            rows = conn.execute("SELECT value, docs FROM terms WHERE facet = 'month' AND docs > 0 "
                                "ORDER BY value").fetchall()
        return [(str(v), int(c)) for v, c in rows]

    def correspondents(self, limit: int = 200) -> list[tuple[FacetValue, FacetValue, int]]:
        limit = max(0, min(int(limit), 10_000))
        with self._read() as conn:
            rows = conn.execute(
                "SELECT s.term, r.term, count(*) AS c FROM terms t "
                "JOIN doc_terms s ON s.term = t.id "
                "JOIN doc_terms r ON r.doc = s.doc AND r.facet = %s "
                "WHERE t.facet = 'sender' GROUP BY s.term, r.term ORDER BY c DESC, s.term, r.term LIMIT %s",
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
                match = self._match(conn, plan)
                if match is None:
                    return
                where, params, _, _ = match
                ns = [r[0] for r in conn.execute(
                    f"SELECT d.n FROM documents d WHERE {where} ORDER BY d.chrono, d.n",
                    params)]
        # The numbers first, the documents after in chunks, each its own transaction: memory
        # holds one chunk, and no connection is held while the caller works on a document.
        for chunk in _chunks(ns):
            with self._read() as conn:
                rows = {n: bytes(data) for n, data in conn.execute(
                    "SELECT n, data FROM document_data WHERE n = ANY(%s)", (list(chunk),), binary=True)}
            for n in chunk:
                if n in rows:
                    yield decode_document(rows[n])

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

    # -- reading: the index ------------------------------------------------

    def _entity(self, conn: psycopg.Connection, entity_id: str) -> Entity | None:
        row = conn.execute("SELECT data FROM entities WHERE id = %s", (entity_id,)).fetchone()
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
                term = conn.execute("SELECT id FROM terms WHERE facet = %s AND value = %s",
                                    (facet, entry.id)).fetchone()
                if term is None:
                    continue
                every.append(term[0])
                ns = [r[0] for r in conn.execute(
                    "SELECT d.n FROM doc_terms dt JOIN documents d ON d.n = dt.doc WHERE dt.term = %s "
                    "ORDER BY d.chrono, d.n LIMIT %s", (term[0], limit))]
                hits = self._hits(conn, ns, {}, None)
                if attr == "mentioned":
                    self._mention_snippets(conn, hits, entry.id)
                setattr(page, attr, hits)
            if every:
                rows = conn.execute(
                    "SELECT other.term, count(DISTINCT other.doc) AS c FROM doc_terms mine "
                    "JOIN doc_terms other ON other.doc = mine.doc AND other.facet = %s "
                    "WHERE mine.term = ANY(%s) GROUP BY other.term ORDER BY c DESC, other.term LIMIT %s",
                    (FACET_CODE["person"], every, FACET_SIZE + 1)).fetchall()
                labels = self._term_labels(conn, [t for t, _ in rows])
                page.companions = [FacetValue(labels[t].value, labels[t].label, c) for t, c in rows
                                   if t in labels and labels[t].value != entry.id][:FACET_SIZE]
        return page

    def _mention_snippets(self, conn: psycopg.Connection, hits: list[Hit], entity_id: str) -> None:
        """Each hit's snippet made the words around its first mention of the entry, the mention marked."""
        for hit in hits:
            row = conn.execute("SELECT x.data FROM documents d JOIN document_data x ON x.n = d.n WHERE d.id = %s",
                               (hit.doc_id,), binary=True).fetchone()
            if row is None:
                continue
            for part in decode_document(bytes(row[0])).all_documents():
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
        params: list[Any] = []
        if kind:
            where.append("kind = %s")
            params.append(kind)
        key = sort_name(prefix.strip())[:100]
        if key:
            # "bur" finds "Montagu Brocas Burrows" as well as "Burrows": the index is looked up by any name.
            where.append("(left(sort_name, %s) = %s OR strpos(sort_name, %s) > 0)")
            params.extend((len(key), key, " " + key))
        sql = "SELECT data FROM entities" + (" WHERE " + " AND ".join(where) if where else "")
        sql += " ORDER BY sort_name, id LIMIT %s OFFSET %s"
        with self._read() as conn:
            rows = conn.execute(sql, (*params, limit, offset)).fetchall()
        return [entity_from_json(r[0]) for r in rows]

    # -- writing: files ----------------------------------------------------

    def files(self) -> dict[str, StoredFile]:
        with self._read() as conn:
            rows = conn.execute("SELECT id, path, sha256, annotated, documents FROM files").fetchall()
        return {r[1]: StoredFile(r[0], r[1], r[2], bool(r[3]), r[4]) for r in rows}

    def knowledge(self) -> Knowledge:
        with self._read() as conn:
            names = dict(conn.execute("SELECT form, name FROM known_names").fetchall())
            words = {r[0] for r in conn.execute("SELECT word FROM known_words")}
        return Knowledge(names=names, words=words)

    def learn(self, knowledge: Knowledge) -> None:
        names = sorted(knowledge.names.items())
        words = sorted(knowledge.words)

        def run(conn: psycopg.Connection) -> None:
            # In key order, so two writers learning at once lock the rows they share in one order.
            conn.execute(
                "INSERT INTO known_names (form, name) SELECT * FROM unnest(%s::text[], %s::text[]) AS x(f, n) "
                "ORDER BY f ON CONFLICT (form) DO UPDATE SET name = excluded.name "
                "WHERE length(excluded.name) > length(known_names.name)",
                ([f for f, _ in names], [n for _, n in names]))
            conn.execute("INSERT INTO known_words (word) SELECT w FROM unnest(%s::text[]) AS x(w) ORDER BY w "
                         "ON CONFLICT (word) DO NOTHING", (words,))

        self._retrying(run)

    def _retrying(self, run: Callable[[psycopg.Connection], T], exclusive: bool = False) -> T:
        """`run(conn)` in a write transaction, again if a deadlock or a serialization failure ended it."""
        attempt = 1
        while True:
            try:
                with self._write(exclusive) as conn:
                    return run(conn)
            except (errors.DeadlockDetected, errors.SerializationFailure) as exc:
                if attempt == RETRIES:
                    raise CorpusError(f"{self.where}: gave up writing after {RETRIES} attempts "
                                      f"({_one_line(exc)})") from None
                attempt += 1

    def store(self, files: list[PreparedFile]) -> list[str | None]:
        """Store `files` in one transaction; for each, None or why it was not stored (its old version stays)."""
        files = list(files)
        if not files:
            return []
        return self._retrying(lambda conn: self._store(conn, files))

    def _store(self, conn: psycopg.Connection, files: list[PreparedFile]) -> list[str | None]:
        self._lock_paths(conn, [f.path for f in files])
        self._ensure_terms(conn, [t for f in files for d in f.documents for t in d.terms])
        outcomes: list[str | None] = []
        changes = IndexChanges()
        delta: Counter[int] = Counter()
        for f in files:
            try:
                with conn.transaction():  # a savepoint: a file that cannot be stored leaves nothing
                    clash = self._clash(conn, f)
                    if clash is not None:
                        raise _NotStored(clash)
                    lost, file_delta = self._store_file(conn, f)
            except _NotStored as exc:
                outcomes.append(str(exc))
                continue
            except errors.UniqueViolation as exc:
                # Another writer stored one of these ids after the check above: say whose it is now.
                outcomes.append(self._clash(conn, f) or f"{f.path}: cannot store: {_one_line(exc)}")
                continue
            except (psycopg.DataError, psycopg.IntegrityError) as exc:
                # Text PostgreSQL cannot hold (a NUL character, say) costs that file, not the batch.
                outcomes.append(f"{f.path}: cannot store: {_one_line(exc)}")
                continue
            changes.note(lost, f.entities)
            delta.update(file_delta)
            outcomes.append(None)
        self._finish(conn, delta, changes)
        return outcomes

    def _lock_paths(self, conn: psycopg.Connection, paths: Iterable[str]) -> None:
        """Hold, to the commit, the advisory lock of each path: one writer at a time replaces a file.

        One statement in key order, so two writers wanting some of the same paths queue
        behind each other rather than deadlock.
        """
        keys = sorted({_path_key(p) for p in paths})
        conn.execute("SELECT pg_advisory_xact_lock(%s, k) FROM unnest(%s::integer[]) AS x(k) ORDER BY k",
                     (PATH_SPACE, keys))

    def _ensure_terms(self, conn: psycopg.Connection, rows: Iterable[Any]) -> None:
        """Make the facet terms `rows` name, those not made yet, and cache every id.

        Ids are drawn in the order of first use (so facet values tied in count list in the
        same order as on SQLite), rows are inserted in key order (so two writers making
        the same new terms queue rather than deadlock).
        """
        wanted: dict[tuple[str, str], str] = {}
        for t in rows:
            key = (t.facet, t.value)
            if key not in self._terms and key not in wanted:
                wanted[key] = t.label
        if not wanted:
            return
        ids = sorted(r[0] for r in conn.execute(
            "SELECT nextval(pg_get_serial_sequence('terms', 'id')) FROM generate_series(1, %s)", (len(wanted),)))
        keys = list(wanted)
        conn.execute(
            "INSERT INTO terms (id, facet, value, label) SELECT * FROM unnest(%s::integer[], %s::text[], %s::text[], "
            "%s::text[]) AS x(i, f, v, l) ORDER BY f, v ON CONFLICT (facet, value) DO NOTHING",
            (ids, [f for f, _ in keys], [v for _, v in keys], [wanted[k] for k in keys]))
        for tid, facet, value in conn.execute(
                "SELECT t.id, t.facet, t.value FROM terms t JOIN unnest(%s::text[], %s::text[]) AS x(f, v) "
                "ON t.facet = x.f AND t.value = x.v", ([f for f, _ in keys], [v for _, v in keys])):
            self._terms[(facet, value)] = tid

    def _clash(self, conn: psycopg.Connection, f: PreparedFile) -> str | None:
        """Why `f` cannot be stored as it is: a document id another stored file already holds."""
        ids = [d.id for d in f.documents] + [e for d in f.documents for e in d.enclosures]
        twice = [i for i, k in Counter(ids).items() if k > 1]
        if twice:
            return f"{f.path}: document id {twice[0]} occurs twice in the file"
        row = conn.execute(
            "SELECT i.id, f.path FROM document_ids i JOIN documents d ON d.n = i.doc JOIN files f ON f.id = d.file "
            "WHERE i.id = ANY(%s) AND f.path <> %s LIMIT 1", (ids, f.path)).fetchone()
        if row is not None:
            return f"{f.path}: not stored, document id {row[0]} is already that of {row[1]}"
        return None

    def _store_file(self, conn: psycopg.Connection, f: PreparedFile) -> tuple[set[str], Counter[int]]:
        """Copy one file's rows in (replacing its earlier ones): the index entries it no longer
        contributes to, and the change in each term's documents."""
        delta: Counter[int] = Counter()
        lost: set[str] = set()
        old = conn.execute("SELECT id FROM files WHERE path = %s", (f.path,)).fetchone()
        if old is not None:
            file_id = int(old[0])
            lost, gone = self._delete_file_rows(conn, file_id)
            delta.subtract(gone)
            conn.execute("UPDATE files SET sha256 = %s, size = %s, mtime = %s, ingested_at = now(), annotated = %s, "
                         "documents = %s WHERE id = %s",
                         (f.sha256, f.size, f.mtime, f.annotated, len(f.documents), file_id))
        else:
            row = conn.execute("INSERT INTO files (path, sha256, size, mtime, annotated, documents) "
                               "VALUES (%s, %s, %s, %s, %s, %s) RETURNING id",
                               (f.path, f.sha256, f.size, f.mtime, f.annotated, len(f.documents))).fetchone()
            assert row is not None
            file_id = int(row[0])
        if f.documents:
            ns = sorted(r[0] for r in conn.execute(
                "SELECT nextval(pg_get_serial_sequence('documents', 'n')) FROM generate_series(1, %s)",
                (len(f.documents),)))
            self._insert_documents(conn, file_id, list(zip(ns, f.documents, strict=True)), delta)
        if f.entities:
            with conn.cursor() as cur, cur.copy("COPY entity_parts (entity, file, data) FROM STDIN") as copy:
                for e in f.entities:
                    copy.write_row((e.id, file_id, entity_json(e)))
        return lost, delta

    def _insert_documents(self, conn: psycopg.Connection, file_id: int, docs: list[tuple[int, DocumentRows]],
                          delta: Counter[int]) -> None:
        words = {n: [index_words(d.search.head), index_words(d.search.parties), index_words(d.search.body),
                     index_words(d.search.notes)] for n, d in docs}
        long = {n for n, columns in words.items() if is_long(columns)}
        with conn.cursor() as cur:
            # The vector is made by the server from despatch's words (see index_words); each column
            # but the last ends with COLUMN_GAP, deleted again, so the columns are a position apart.
            cur.executemany(
                "INSERT INTO documents (n, id, file, position, number, head, date, date_text, precision, chrono, "
                "place, channel, classification, file_numbers, source_file, source_format, terms, long, search) "
                "VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, ts_delete("
                "setweight(to_tsvector('despatch', %s), 'A') || setweight(to_tsvector('despatch', %s), 'B') || "
                "setweight(to_tsvector('despatch', %s), 'C') || setweight(to_tsvector('despatch', %s), 'D'), %s))",
                [(n, d.id, file_id, d.position, d.number, d.head, d.date, d.date_text, d.precision, d.chrono,
                  d.place, d.channel, d.classification, d.file_numbers, d.source_file, d.source_format,
                  sorted({self._terms[(t.facet, t.value)] for t in d.terms if FACET_CODE[t.facet] <= ROW_FACETS}),
                  n in long, f"{words[n][0]} {COLUMN_GAP}", f"{words[n][1]} {COLUMN_GAP}",
                  f"{words[n][2]} {COLUMN_GAP}", words[n][3], COLUMN_GAP)
                 for n, d in docs])
            if long:
                cur.executemany("INSERT INTO passages (doc, seq, search) VALUES (%s, %s, to_tsvector('despatch', %s))",
                                [(n, k, passage) for n in sorted(long) for k, passage in enumerate(passages(words[n]))])
            with cur.copy("COPY document_ids (id, doc) FROM STDIN") as copy:
                for n, d in docs:
                    copy.write_row((d.id, n))
                    for e in d.enclosures:
                        copy.write_row((e, n))
            with cur.copy("COPY document_data (n, data) FROM STDIN (FORMAT BINARY)") as copy:
                copy.set_types(["integer", "bytea"])
                for n, d in docs:
                    copy.write_row((n, d.data))
            with cur.copy("COPY document_text (n, body, notes, parties) FROM STDIN") as copy:
                for n, d in docs:
                    copy.write_row((n, d.search.body, d.search.notes, d.search.parties))
            with cur.copy("COPY parties (doc, role, position, text, name, office, ref) FROM STDIN") as copy:
                for n, d in docs:
                    for p in d.parties:
                        copy.write_row((n, *p))
            with cur.copy("COPY notes (doc, part, position, n, kind, text, anchor_part, anchor_block, anchor_offset) "
                          "FROM STDIN") as copy:
                for n, d in docs:
                    for r in d.notes:
                        copy.write_row((n, *r))
            with cur.copy('COPY mentions (doc, seq, part, holder, block, start, "end", kind, text, ref, value, '
                          "precision, form) FROM STDIN") as copy:
                for n, d in docs:
                    for m in d.mentions:
                        copy.write_row((n, *m))
            with cur.copy("COPY doc_terms (doc, facet, term) FROM STDIN") as copy:
                for n, d in docs:
                    for t in d.terms:
                        tid = self._terms[(t.facet, t.value)]
                        copy.write_row((n, FACET_CODE[t.facet], tid))
                        delta[tid] += 1

    def _delete_file_rows(self, conn: psycopg.Connection, file_id: int) -> tuple[set[str], Counter[int]]:
        """Remove a file's documents and everything hanging from them: the index entries it contributed to,
        and how many documents each term lost."""
        gone: Counter[int] = Counter(dict(conn.execute(
            "SELECT term, count(*) FROM doc_terms WHERE doc IN (SELECT n FROM documents WHERE file = %s) "
            "GROUP BY term", (file_id,)).fetchall()))
        touched = {r[0] for r in conn.execute("DELETE FROM entity_parts WHERE file = %s RETURNING entity",
                                              (file_id,))}
        # The document's ids, data, text, parties, notes, mentions and terms go with it (ON DELETE CASCADE).
        conn.execute("DELETE FROM documents WHERE file = %s", (file_id,))
        return touched, gone

    def _finish(self, conn: psycopg.Connection, delta: Counter[int], changes: IndexChanges) -> None:
        """The shared part of a write, one writer at a time until its commit: term counts and index entries."""
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (INDEX_LOCK,))
        moved = sorted((t, c) for t, c in delta.items() if c)
        if moved:
            conn.execute("UPDATE terms SET docs = docs + x.c FROM unnest(%s::integer[], %s::integer[]) AS x(t, c) "
                         "WHERE terms.id = x.t", ([t for t, _ in moved], [c for _, c in moved]))
        self._refresh_entities(conn, changes)

    def remove(self, paths: Iterable[str]) -> int:
        """Forget the files at `paths` (absolute, as stored) and their documents; how many documents went."""
        paths = sorted(set(paths))

        def run(conn: psycopg.Connection) -> int:
            self._lock_paths(conn, paths)
            removed = 0
            changes = IndexChanges()
            delta: Counter[int] = Counter()
            for path in paths:
                row = conn.execute("SELECT id, documents FROM files WHERE path = %s", (path,)).fetchone()
                if row is None:
                    continue
                lost, gone = self._delete_file_rows(conn, row[0])
                changes.lost |= lost
                delta.subtract(gone)
                conn.execute("DELETE FROM files WHERE id = %s", (row[0],))
                removed += int(row[1])
            self._finish(conn, delta, changes)
            return removed

        return self._retrying(run)

    def _refresh_entities(self, conn: psycopg.Connection, changes: IndexChanges) -> None:
        """The index entries a transaction changed, made again from their files' entries as committed.

        As on SQLite: an entry that only gained files is the entry as it stands joined
        with the new files' entries; one that lost a file is merged afresh from the
        files left, or goes if none is. Run under the index lock, so "as it stands" is
        every other writer's committed work.
        """
        grown = sorted(i for i in changes.gained if i not in changes.lost)
        for chunk in _chunks(grown):
            current = {r[0]: entity_from_json(r[1]) for r in conn.execute(
                "SELECT id, data FROM entities WHERE id = ANY(%s)", (list(chunk),))}
            self._save_entities(conn, [merge_entries(([current[i]] if i in current else []) + changes.gained[i])
                                       for i in chunk])
        for chunk in _chunks(sorted(changes.lost)):
            parts: dict[str, list[Entity]] = {}
            for entity, data in conn.execute("SELECT entity, data FROM entity_parts WHERE entity = ANY(%s) "
                                             "ORDER BY entity, file", (list(chunk),)):
                parts.setdefault(entity, []).append(entity_from_json(data))
            gone = [i for i in chunk if i not in parts]
            if gone:
                conn.execute("DELETE FROM entities WHERE id = ANY(%s)", (gone,))
            self._save_entities(conn, [merge_entries(entries) for entries in parts.values()])

    def _save_entities(self, conn: psycopg.Connection, entries: list[Entity]) -> None:
        if not entries:
            return
        conn.execute(
            "INSERT INTO entities (id, kind, name, sort_name, documents, data) SELECT * FROM unnest("
            "%s::text[], %s::text[], %s::text[], %s::text[], %s::integer[], %s::text[]) "
            "ON CONFLICT (id) DO UPDATE SET kind = excluded.kind, name = excluded.name, "
            "sort_name = excluded.sort_name, documents = excluded.documents, data = excluded.data",
            ([e.id for e in entries], [e.kind for e in entries], [e.name for e in entries],
             [sort_name(e.name) for e in entries], [len(e.documents) for e in entries],
             [entity_json(e) for e in entries]))

    # -- writing: curation -------------------------------------------------

    def _curation(self, conn: psycopg.Connection) -> Curation:
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

        def run(conn: psycopg.Connection) -> int:
            a, b = self._entity(conn, source), self._entity(conn, target)
            if a is None:
                raise CorpusError(f"no index entry {source}")
            if b is None:
                raise CorpusError(f"no index entry {target}")
            if a.id == b.id:
                raise CorpusError("an entry cannot be merged into itself")
            if a.kind != b.kind:
                raise CorpusError(f"{source} is a {a.kind} and {target} a {b.kind}: only entries of one kind merge")
            files = [r[0] for r in conn.execute("SELECT file FROM entity_parts WHERE entity = %s", (source,))]
            conn.execute("INSERT INTO curation (op, entry, target) VALUES ('merge', %s, %s)", (source, target))
            self._reapply(conn, files)
            return len(a.documents)

        # Alone among writers: the files it rewrites cannot change under it.
        return self._retrying(run, exclusive=True)

    def split(self, entry_id: str, document: str, form: str, new_id: str | None = None) -> str:
        """Give the mentions of `form` in `document` now filed under `entry_id` an entry of their own; its id."""

        def run(conn: psycopg.Connection) -> str:
            entry = self._entity(conn, entry_id)
            if entry is None:
                raise CorpusError(f"no index entry {entry_id}")
            n = self._top_n(conn, document) if _usable(document) else None
            if n is None:
                raise CorpusError(f"no document {document}")
            top = conn.execute("SELECT id, file FROM documents WHERE n = %s", (n,)).fetchone()
            assert top is not None
            top_id, file_id = top
            rows = conn.execute('SELECT seq, part, holder, block, start, "end", kind, text, ref, value, precision, '
                                "form FROM mentions WHERE doc = %s AND ref = %s AND text = %s",
                                (n, entry_id, form)).fetchall()
            if not rows:
                raise CorpusError(f"{document} has no mention “{form}” filed under {entry_id}")
            raw_ids = sorted({raw for r in rows if (raw := raw_entity_id(MentionRow(*r)))})
            chosen = new_id or f"{entry_id}-{slug(top_id)}"
            if self._entity(conn, chosen) is not None:
                raise CorpusError(f"the index already has an entry {chosen}; choose another with --new-id")
            for raw in raw_ids:
                # Recorded against the id the annotator gave, which is what the curation
                # is matched with when the file is read again, merges or not.
                conn.execute("INSERT INTO curation (op, entry, target, document, form) "
                             "VALUES ('split', %s, %s, %s, %s)", (raw, chosen, top_id, form))
            self._reapply(conn, [file_id])
            return chosen

        return self._retrying(run, exclusive=True)

    def _reapply(self, conn: psycopg.Connection, file_ids: Iterable[int]) -> None:
        """Store files again from their own stored documents, linked with the curation as it now stands."""
        curation = self._curation(conn)
        prepared = []
        for file_id in sorted(set(file_ids)):
            row = conn.execute("SELECT path, sha256, size, mtime, annotated FROM files WHERE id = %s",
                               (file_id,)).fetchone()
            assert row is not None
            path, sha, size, mtime, annotated = row
            docs = [decode_document(bytes(r[0])) for r in conn.execute(
                "SELECT x.data FROM documents d JOIN document_data x ON x.n = d.n WHERE d.file = %s "
                "ORDER BY d.position", (file_id,), binary=True)]
            rows, entities = prepare_documents(docs, curation)
            prepared.append(PreparedFile(path, sha, size, mtime, bool(annotated), rows, entities))
        self._ensure_terms(conn, [t for f in prepared for d in f.documents for t in d.terms])
        changes = IndexChanges()
        delta: Counter[int] = Counter()
        for f in prepared:
            lost, file_delta = self._store_file(conn, f)
            changes.note(lost, f.entities)
            delta.update(file_delta)
        self._finish(conn, delta, changes)

    # -- maintenance -------------------------------------------------------

    def optimize(self) -> None:
        """Drop terms no document uses any more, then refresh the planner's statistics (after a large ingest).

        Alone among writers, since a writer uses a term's id without a lock; the epoch
        tells every writer to forget the ids it cached.
        """

        def run(conn: psycopg.Connection) -> None:
            conn.execute("DELETE FROM terms t WHERE t.docs <= 0 AND NOT EXISTS "
                         "(SELECT 1 FROM doc_terms dt WHERE dt.term = t.id)")
            conn.execute("UPDATE meta SET value = (value::bigint + 1)::text WHERE key = 'terms_epoch'")

        self._retrying(run, exclusive=True)
        with self._lock:
            # VACUUM cannot run in a transaction: the writer's connection is in autocommit mode.
            self._writer_connection().execute("VACUUM (ANALYZE)")

    def integrity(self) -> list[str]:
        """What is inconsistent between the tables (nothing, normally): counts, arrays, ids and index entries."""
        checks = {
            "file whose document count is wrong":
                "SELECT f.path FROM files f LEFT JOIN documents d ON d.file = f.id GROUP BY f.id "
                "HAVING f.documents <> count(d.n)",
            "term whose document count is wrong":
                "SELECT t.facet || ' ' || t.value FROM terms t LEFT JOIN doc_terms dt ON dt.term = t.id "
                "GROUP BY t.id HAVING t.docs <> count(dt.doc)",
            "document whose facet terms differ from doc_terms":
                "SELECT d.id FROM documents d WHERE coalesce((SELECT array_agg(x ORDER BY x) FROM unnest(d.terms) x), "
                "'{}') <> coalesce((SELECT array_agg(dt.term ORDER BY dt.term) FROM doc_terms dt "
                f"WHERE dt.doc = d.n AND dt.facet <= {ROW_FACETS}), '{{}}')",
            "document without its data, text or id":
                "SELECT d.id FROM documents d WHERE NOT EXISTS (SELECT 1 FROM document_data x WHERE x.n = d.n) "
                "OR NOT EXISTS (SELECT 1 FROM document_text x WHERE x.n = d.n) "
                "OR NOT EXISTS (SELECT 1 FROM document_ids i WHERE i.id = d.id AND i.doc = d.n)",
            "long document without passages":
                "SELECT d.id FROM documents d WHERE d.long AND NOT EXISTS (SELECT 1 FROM passages p WHERE p.doc = d.n)",
            "index entry without a file's entry":
                "SELECT e.id FROM entities e WHERE NOT EXISTS (SELECT 1 FROM entity_parts p WHERE p.entity = e.id)",
            "file's index entry missing from the index":
                "SELECT DISTINCT p.entity FROM entity_parts p WHERE NOT EXISTS "
                "(SELECT 1 FROM entities e WHERE e.id = p.entity)",
        }
        problems = []
        with self._read() as conn:
            for what, sql in checks.items():
                for (name,) in conn.execute(sql).fetchmany(20):
                    problems.append(f"{what}: {name}")
        return problems


def _configure_reader(conn: psycopg.Connection) -> None:
    """A pooled reader's transactions: read-only, each seeing one committed state throughout."""
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
