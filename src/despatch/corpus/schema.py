"""The corpus's schema, grown by numbered migrations, one series per backend.

`migrations/sqlite/0001_init.sql`, `0002_....sql`... (and the same under
`migrations/postgresql/`) are applied in order, each in one transaction
together with its row in `schema_version`, so a corpus is always at exactly
one version. A writer brings an older corpus up to date when it opens it; a
reader refuses a corpus of another version with a message that says what to
do, rather than misreading it.

The functions taking a `sqlite3.Connection` are the SQLite backend's; the
PostgreSQL backend applies its series with `migrate_postgresql` and checks it
with `check_postgresql`, whose advisory lock makes two processes opening a
fresh database at once apply each migration exactly once.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources
from typing import TYPE_CHECKING

from despatch.corpus.api import CorpusError

if TYPE_CHECKING:
    import psycopg

BACKENDS = ("sqlite", "postgresql")
MIGRATION_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations(backend: str = "sqlite") -> list[Migration]:
    """Every migration shipped with despatch for `backend`, in order."""
    if backend not in BACKENDS:
        raise ValueError(f"no migrations for backend {backend!r}")
    found = []
    for entry in resources.files("despatch.corpus").joinpath("migrations", backend).iterdir():
        match = MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise CorpusError("despatch is installed without all of its corpus migrations")
    return found


def latest_version(backend: str = "sqlite") -> int:
    return len(migrations(backend))


def current_version(conn: sqlite3.Connection) -> int:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'").fetchone()
    if not exists:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0)


def migrate(conn: sqlite3.Connection, where: str) -> int:
    """Bring the corpus at `conn` (named `where` in messages) to the latest version; the version reached."""
    version = current_version(conn)
    pending = [m for m in migrations() if m.version > version]
    if version > latest_version():
        raise CorpusError(f"{where}: made by a newer despatch (schema {version}); this one reads up to "
                          f"{latest_version()}")
    for m in pending:
        now = datetime.now(UTC).isoformat(timespec="seconds")
        # executescript commits whatever is open first, then runs the script as
        # written: the BEGIN ... COMMIT around it makes the migration all or nothing.
        try:
            conn.executescript(
                "BEGIN IMMEDIATE;\n"
                "CREATE TABLE IF NOT EXISTS schema_version ("
                "version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL);\n"
                f"{m.sql}\n;\n"
                f"INSERT INTO schema_version VALUES ({m.version}, '{m.name}', '{now}');\n"
                "COMMIT;")
        except sqlite3.Error:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
    return latest_version()


def check_version(conn: sqlite3.Connection, where: str) -> None:
    """Refuse, for a reader, a corpus this despatch cannot read as it is."""
    version = current_version(conn)
    latest = latest_version()
    if version == 0:
        raise CorpusError(f"{where}: not a despatch corpus")
    if version > latest:
        raise CorpusError(f"{where}: made by a newer despatch (schema {version}); this one reads up to {latest}")
    if version < latest:
        raise CorpusError(f"{where}: made by an older despatch (schema {version}); "
                          "run `despatch ingest` on it once to bring it up to date")


# -- PostgreSQL -----------------------------------------------------------------

# pg_advisory_xact_lock key held while migrating: "desp" and 1. Another process opening the
# same fresh database waits on it, then finds the migrations applied and applies nothing.
MIGRATION_LOCK = 0x6465737000000001
SCHEMA_VERSION_PG = ("CREATE TABLE IF NOT EXISTS schema_version ("
                     "version integer PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())")


def current_version_postgresql(conn: psycopg.Connection) -> int:
    """The schema version of the database `conn` is connected to; 0 if it has no schema_version table."""
    exists = conn.execute("SELECT to_regclass('schema_version') IS NOT NULL").fetchone()
    if not exists or not exists[0]:
        return 0
    row = conn.execute("SELECT max(version) FROM schema_version").fetchone()
    return int(row[0] or 0) if row else 0


def migrate_postgresql(conn: psycopg.Connection, where: str) -> int:
    """Bring the PostgreSQL corpus at `conn` to the latest version in one transaction; the version reached.

    `conn` is in autocommit mode; DDL is transactional in PostgreSQL, so every pending
    migration and its schema_version row commit together or not at all.
    """
    pending = migrations("postgresql")
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (MIGRATION_LOCK,))
        version = current_version_postgresql(conn)
        latest = len(pending)
        if version > latest:
            raise CorpusError(f"{where}: made by a newer despatch (schema {version}); this one reads up to {latest}")
        if version < latest:
            conn.execute(SCHEMA_VERSION_PG)
        for m in pending:
            if m.version <= version:
                continue
            conn.execute(m.sql.encode("utf-8"))  # several statements, no parameters: sent as one simple query
            conn.execute("INSERT INTO schema_version (version, name) VALUES (%s, %s)", (m.version, m.name))
    return latest


def check_postgresql(conn: psycopg.Connection, where: str) -> None:
    """Refuse, for a reader, a PostgreSQL corpus this despatch cannot read as it is."""
    version = current_version_postgresql(conn)
    latest = latest_version("postgresql")
    if version == 0:
        row = conn.execute("SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema()").fetchone()
        if row and row[0]:
            raise CorpusError(f"{where}: not a despatch corpus")
        raise CorpusError(f"{where}: no corpus here; `despatch ingest FILES --db {where}` makes one")
    if version > latest:
        raise CorpusError(f"{where}: made by a newer despatch (schema {version}); this one reads up to {latest}")
    if version < latest:
        raise CorpusError(f"{where}: made by an older despatch (schema {version}); "
                          "run `despatch ingest` on it once to bring it up to date")
