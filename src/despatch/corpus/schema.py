"""The SQLite corpus's schema, grown by numbered migrations.

`migrations/0001_init.sql`, `0002_....sql`... are applied in order, each in
one transaction together with its row in `schema_version`, so a corpus is
always at exactly one version. A writer brings an older corpus up to date when
it opens it; a reader refuses a corpus of another version with a message that
says what to do, rather than misreading it.
"""
from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from importlib import resources

from despatch.corpus.api import CorpusError

MIGRATION_NAME = re.compile(r"(\d{4})_[a-z0-9_]+\.sql")


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations() -> list[Migration]:
    """Every migration shipped with despatch, in order."""
    found = []
    for entry in resources.files("despatch.corpus").joinpath("migrations").iterdir():
        match = MIGRATION_NAME.fullmatch(entry.name)
        if match:
            found.append(Migration(int(match.group(1)), entry.name, entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    if [m.version for m in found] != list(range(1, len(found) + 1)):
        raise CorpusError("despatch is installed without all of its corpus migrations")
    return found


def latest_version() -> int:
    return len(migrations())


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
