"""The SQLite corpus's base: the file opened, a connection for each thread, the read and write transactions.

Besides, what the other parts share: the file a `--db` names (`sqlite_path`),
ids in chunks and their placeholders, and the lookups that both reading and
curation make (a document's number, an index entry, the editor's curation).
"""
from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Self
from urllib.parse import quote

from despatch.annotate.index import Curation
from despatch.corpus.api import CorpusError
from despatch.corpus.codec import DOCUMENT_FORMAT, entity_from_json
from despatch.corpus.schema import check_version, migrate
from despatch.corpus.sqlite.facets import _FacetIndex
from despatch.model import Entity

CHUNK = 500  # ids per IN (...) list, well under SQLite's limit on bound parameters


def sqlite_path(url_or_path: str) -> Path:
    """The file a `sqlite:///path` URL or a plain path names (`sqlite:////abs` is absolute, as in SQLAlchemy)."""
    if url_or_path.startswith("sqlite:///"):
        return Path(url_or_path[len("sqlite:///"):])
    if url_or_path.startswith("sqlite://"):
        raise CorpusError(f"{url_or_path}: a SQLite URL is sqlite:///relative/path or sqlite:////absolute/path")
    return Path(url_or_path)


def _usable(key: str) -> bool:
    """Whether `key` can be looked up at all: half a surrogate pair (from a broken client) cannot be encoded."""
    try:
        key.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def _chunks(items: Sequence, size: int = CHUNK) -> Iterator[Sequence]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _marks(n: int) -> str:
    return ",".join("?" * n)


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")


class _Base:
    """The file, its connections and transactions; the lookups reading and curation share."""

    def __init__(self, path: Path, readonly: bool = True):
        self.path = path
        self.readonly = readonly
        self.where = str(path)
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._lock = threading.Lock()
        self._terms: dict[tuple[str, str], int] | None = None  # the writer's cache of term ids
        self._data_version: int | None = None
        self._facets_cache: _FacetIndex | None = None
        if readonly and not path.is_file():
            raise CorpusError(f"{path}: no corpus here; `despatch ingest FILES --db {path}` makes one")
        conn = self._conn()
        try:
            if readonly:
                check_version(conn, self.where)
            else:
                conn.execute("PRAGMA journal_mode=WAL")
                migrate(conn, self.where)
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('document_format', ?)", (DOCUMENT_FORMAT,))
                conn.execute("INSERT OR IGNORE INTO meta VALUES ('generation', '0')")
        except sqlite3.DatabaseError as exc:
            self.close()
            raise CorpusError(f"{path}: not a despatch corpus ({exc})") from None
        except CorpusError:
            self.close()
            raise

    # -- connections -------------------------------------------------------

    def _connect(self) -> sqlite3.Connection:
        mode = "ro" if self.readonly else "rwc"
        uri = f"file:{quote(str(self.path.absolute()))}?mode={mode}"
        try:
            conn = sqlite3.connect(uri, uri=True, isolation_level=None, check_same_thread=False, timeout=30)
        except sqlite3.Error as exc:
            raise CorpusError(f"{self.path}: cannot open ({exc})") from None
        try:
            conn.execute("PRAGMA foreign_keys=ON")
            conn.execute("PRAGMA temp_store=MEMORY")
            # The file is memory-mapped, so every connection of the process shares one copy of the
            # hot pages of the FTS index; each connection's own cache can stay modest (a web app
            # has one per thread), the writer's larger for the index pages it rewrites.
            conn.execute("PRAGMA mmap_size=1073741824")
            conn.execute(f"PRAGMA cache_size={-16384 if self.readonly else -65536}")
            if not self.readonly:
                # WAL with NORMAL loses no committed transaction on a crash of the process, only
                # (on a power cut) the last few; it spares an fsync per commit.
                conn.execute("PRAGMA synchronous=NORMAL")
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise CorpusError(f"{self.path}: not a despatch corpus ({exc})") from None
        return conn

    def _conn(self) -> sqlite3.Connection:
        conn = getattr(self._local, "conn", None)
        if conn is None:
            conn = self._connect()
            self._local.conn = conn
            with self._lock:
                self._all.append(conn)
        return conn

    def close(self) -> None:
        with self._lock:
            conns, self._all = self._all, []
        for conn in conns:
            try:
                conn.close()
            except sqlite3.Error:
                pass
        self._local = threading.local()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One read transaction: every statement inside sees the same committed state."""
        conn = self._conn()
        conn.execute("BEGIN")
        try:
            yield conn
        finally:
            conn.execute("COMMIT")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        if self.readonly:
            raise CorpusError(f"{self.where}: opened read-only")
        conn = self._conn()
        conn.execute("BEGIN IMMEDIATE")
        version = conn.execute("PRAGMA data_version").fetchone()[0]
        if version != self._data_version:
            # Another connection committed since this one last wrote: its terms may differ.
            self._terms = None
            self._data_version = version
        try:
            yield conn
            # Readers keep what they computed from the store (the facet index) until this changes.
            conn.execute("UPDATE meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'generation'")
        except BaseException:
            conn.execute("ROLLBACK")
            self._terms = None  # ids cached during the transaction may be gone
            raise
        conn.execute("COMMIT")

    # -- looked up by reading and curation alike ---------------------------

    def _top_n(self, conn: sqlite3.Connection, doc_id: str) -> int | None:
        row = conn.execute("SELECT n FROM documents WHERE id = ? UNION ALL SELECT doc FROM enclosures WHERE id = ?",
                           (doc_id, doc_id)).fetchone()
        return int(row[0]) if row else None

    def _entity(self, conn: sqlite3.Connection, entity_id: str) -> Entity | None:
        row = conn.execute("SELECT data FROM entities WHERE id = ?", (entity_id,)).fetchone()
        return entity_from_json(row[0]) if row else None

    def _curation(self, conn: sqlite3.Connection) -> Curation:
        curation = Curation()
        for op, entry, target, document, form in conn.execute(
                "SELECT op, entry, target, document, form FROM curation ORDER BY seq"):
            if op == "merge":
                curation.merge(entry, target)
            else:
                curation.split(entry, document, form, target)
        return curation
