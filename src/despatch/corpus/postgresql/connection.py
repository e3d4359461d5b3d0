"""The PostgreSQL corpus's connections: the URL read and shown, the sessions' settings, the advisory locks' keys."""
from __future__ import annotations

import hashlib

import psycopg
from psycopg.conninfo import conninfo_to_dict

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


def is_postgresql(url: str) -> bool:
    return url.startswith(("postgresql://", "postgres://", "postgresql+"))


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


def _path_key(path: str) -> int:
    """A path as the second key of its advisory lock (a collision only makes two files wait on each other)."""
    return int.from_bytes(hashlib.blake2b(path.encode("utf-8", "surrogatepass"), digest_size=4).digest(),
                          "big", signed=True)


def _one_line(exc: BaseException) -> str:
    return " ".join(str(exc).split()) or type(exc).__name__


def _configure_reader(conn: psycopg.Connection) -> None:
    """A pooled reader's transactions: read-only, each seeing one committed state throughout."""
    conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
    conn.read_only = True
