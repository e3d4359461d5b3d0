"""A throw-away PostgreSQL server for the tests and benchmarks: Debian's binaries, a cluster in a temporary folder.

`PostgresServer.start()` runs `initdb` on a fresh data directory, then
`pg_ctl start` on a free loopback port with its socket in a folder of its own,
trust authentication for loopback connections only, and durability switched
off (fsync, full-page writes): the data dies with the test session anyway, and
every `CREATE DATABASE` would otherwise wait on the disk. `stop()` stops it and
deletes the folder.

PostgreSQL refuses to run as root, and the tests (like CI) often do: as root
the server's commands run as the `postgres` system user the Debian package
creates (through `runuser`), on a folder that user owns; otherwise they run as
whoever runs the tests. The binaries are Debian's (`apt-get install
postgresql`, which `.ci/run` does); if they are missing, `PostgresUnavailable`
says so, and the fixtures turn it into a failure, never a skip.

Each test gets a database of its own, copied from a template that already
holds the migrated schema (`new_database`), which takes a few milliseconds
where migrating afresh would take a few hundred.
"""
from __future__ import annotations

import contextlib
import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import psycopg

BIN_GLOB = "/usr/lib/postgresql/*/bin"
SERVICE_USER = "postgres"  # the system user Debian's postgresql package creates
SUPERUSER = "postgres"  # the cluster's superuser role, whoever runs the server
START_SECONDS = 60.0
INSTALL_HINT = ("PostgreSQL's server binaries (initdb, pg_ctl) are not installed: `apt-get install postgresql` "
                "(.ci/run installs it), or set DESPATCH_PG_BIN to the folder that holds them")


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server can be started here; the message says what to install."""


def find_bindir() -> Path:
    """The folder of initdb and pg_ctl: $DESPATCH_PG_BIN, else the newest of Debian's /usr/lib/postgresql/*/bin."""
    chosen = os.environ.get("DESPATCH_PG_BIN")
    candidates = [Path(chosen)] if chosen else sorted(
        (Path(p) for p in glob.glob(BIN_GLOB)), key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0,
        reverse=True)
    for folder in candidates:
        if (folder / "initdb").is_file() and (folder / "pg_ctl").is_file():
            return folder
    raise PostgresUnavailable(INSTALL_HINT)


def free_port() -> int:
    """A loopback TCP port nobody listens on now (the server may still lose it to a race: `start` retries)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PostgresServer:
    """One throw-away cluster; see the module's docstring."""

    def __init__(self, bindir: Path | None = None):
        self.bindir = bindir or find_bindir()
        self.root = Path(tempfile.mkdtemp(prefix="despatch-pg-"))
        self.data = self.root / "data"
        self.sockets = self.root / "sockets"
        self.log = self.root / "server.log"
        self.port = 0
        self._as_service_user = os.geteuid() == 0
        self._template_ready = False
        self._made = 0

    # -- running the server's commands ------------------------------------

    def _command(self, *args: str | Path) -> list[str]:
        argv = [str(a) for a in args]
        if self._as_service_user:
            # PostgreSQL will not run as root; the Debian package's system user owns the cluster.
            return ["runuser", "-u", SERVICE_USER, "--", *argv]
        return argv

    def _run(self, *args: str | Path, timeout: float = START_SECONDS) -> subprocess.CompletedProcess[str]:
        return subprocess.run(self._command(*args), capture_output=True, text=True, timeout=timeout, check=False,
                              cwd=self.root)

    def _prepare_folder(self) -> None:
        self.sockets.mkdir()
        if self._as_service_user:
            try:
                user = pwd.getpwnam(SERVICE_USER)
            except KeyError:
                raise PostgresUnavailable(f"there is no `{SERVICE_USER}` system user to run PostgreSQL as "
                                          "(root cannot); `apt-get install postgresql` creates it") from None
            for path in (self.root, self.sockets):
                os.chown(path, user.pw_uid, user.pw_gid)

    # -- life -------------------------------------------------------------

    def start(self) -> PostgresServer:
        self._prepare_folder()
        init = self._run(self.bindir / "initdb", "-D", self.data, "-U", SUPERUSER, "--auth=trust",
                         "--encoding=UTF8", "--locale=C", "--no-sync")
        if init.returncode != 0:
            raise PostgresUnavailable(f"initdb failed: {init.stderr.strip() or init.stdout.strip()}")
        # Loopback connections only, without passwords: the cluster lives as long as the tests.
        (self.data / "pg_hba.conf").write_text(
            "local all all trust\nhost all all 127.0.0.1/32 trust\nhost all all ::1/128 trust\n", encoding="utf-8")
        settings = {
            "listen_addresses": "127.0.0.1",
            "unix_socket_directories": str(self.sockets),
            "fsync": "off", "synchronous_commit": "off", "full_page_writes": "off",
            "shared_buffers": "256MB", "max_connections": "200", "jit": "off",
            "log_min_messages": "warning",
        }
        last_error = ""
        for _ in range(5):
            self.port = free_port()
            options = " ".join(f"-c {k}={v}" for k, v in {**settings, "port": str(self.port)}.items())
            # -w: pg_ctl polls the server until it accepts connections, up to -t seconds.
            started = self._run(self.bindir / "pg_ctl", "-D", self.data, "-l", self.log, "-o", options,
                                "-w", "-t", str(int(START_SECONDS)), "start")
            if started.returncode == 0:
                self._wait_until_ready()
                return self
            last_error = self._log_tail() or started.stderr.strip()
            if "already in use" not in last_error and "could not bind" not in last_error:
                break
        raise PostgresUnavailable(f"PostgreSQL did not start: {last_error}")

    def _log_tail(self) -> str:
        try:
            return "\n".join(self.log.read_text(encoding="utf-8", errors="replace").splitlines()[-10:])
        except OSError:
            return ""

    def _wait_until_ready(self) -> None:
        """Connect until the server answers, within a deadline (pg_ctl -w has normally waited already)."""
        deadline = time.monotonic() + START_SECONDS
        while True:
            try:
                with psycopg.connect(self.url("postgres"), connect_timeout=5):
                    return
            except psycopg.OperationalError as exc:
                if time.monotonic() > deadline:
                    raise PostgresUnavailable(f"PostgreSQL does not accept connections: {exc}") from None
                time.sleep(0.05)

    def stop(self) -> None:
        if self.data.is_dir():
            self._run(self.bindir / "pg_ctl", "-D", self.data, "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    # -- databases --------------------------------------------------------

    def url(self, database: str) -> str:
        return f"postgresql://{SUPERUSER}@127.0.0.1:{self.port}/{database}"

    def admin(self, *statements: str) -> None:
        """Run statements that cannot run in a transaction (CREATE/DROP DATABASE) on the maintenance database."""
        with psycopg.connect(self.url("postgres"), autocommit=True) as conn:
            for sql in statements:
                conn.execute(sql)  # type: ignore[arg-type]  # the tests' own literal statements

    def empty_database(self, name: str | None = None) -> str:
        """A new database with nothing in it (not even despatch's schema); its URL."""
        self._made += 1
        name = name or f"empty_{self._made}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return self.url(name)

    def new_database(self, prepare: Callable[[str], None] | None = None) -> str:
        """A new database copied from the template that holds despatch's schema; its URL.

        `prepare(url)` makes the template the first time (the tests pass a function that
        opens a store on it and closes it again, which applies the migrations).
        """
        if not self._template_ready:
            self.admin("CREATE DATABASE despatch_template TEMPLATE template0")
            if prepare is not None:
                prepare(self.url("despatch_template"))
            self._template_ready = True
        self._made += 1
        name = f"corpus_{self._made}"
        self.admin(f'CREATE DATABASE "{name}" TEMPLATE despatch_template')
        return self.url(name)

    def drop(self, url: str) -> None:
        """Drop the database at `url`, whoever is still connected to it."""
        name = url.rsplit("/", 1)[1]
        with contextlib.suppress(psycopg.Error):
            self.admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
