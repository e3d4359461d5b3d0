"""The PostgreSQL corpus's base: connecting, a pool of readers or one writer, the read and write transactions.

Besides, what the other parts share: a write retried after a deadlock, ids
in chunks, keys checked before they are looked up, and the lookups that both
reading and curation make (a document's number, an index entry, the curation).
"""
from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Self, TypeVar

import psycopg
from psycopg import errors
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool

from despatch.annotate.index import Curation
from despatch.corpus.api import CorpusError
from despatch.corpus.codec import DOCUMENT_FORMAT, entity_from_json
from despatch.corpus.postgresql.connection import (
    POOL_SIZE,
    READER_OPTIONS,
    RETRIES,
    WRITER_OPTIONS,
    WRITERS_LOCK,
    _configure_reader,
    _one_line,
    _plain_url,
    redacted,
)
from despatch.corpus.schema import check_postgresql, migrate_postgresql
from despatch.model import Entity

T = TypeVar("T")
CHUNK = 500


def _usable(key: str) -> bool:
    """Whether `key` can be looked up at all: PostgreSQL text holds no NUL, and half a surrogate pair is no text."""
    if "\x00" in key:
        return False
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


class _Base:
    """The database, its connections and transactions; the lookups reading and curation share."""

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

    # -- looked up by reading and curation alike ---------------------------

    def _top_n(self, conn: psycopg.Connection, doc_id: str) -> int | None:
        row = conn.execute("SELECT doc FROM document_ids WHERE id = %s", (doc_id,)).fetchone()
        return int(row[0]) if row else None

    def _entity(self, conn: psycopg.Connection, entity_id: str) -> Entity | None:
        row = conn.execute("SELECT data FROM entities WHERE id = %s", (entity_id,)).fetchone()
        return entity_from_json(row[0]) if row else None

    def _curation(self, conn: psycopg.Connection) -> Curation:
        curation = Curation()
        for op, entry, target, document, form in conn.execute(
                "SELECT op, entry, target, document, form FROM curation ORDER BY seq"):
            if op == "merge":
                curation.merge(entry, target)
            else:
                curation.split(entry, document, form, target)
        return curation
