"""Shared fixtures: the bundled example, the `despatch` command run in-process or as a real process,
and a throw-away PostgreSQL server for the tests of the PostgreSQL corpus (tests/postgres.py)."""
from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from typer.testing import CliRunner

from despatch.cli import app
from despatch.model import Document
from despatch.readers import read_file
from postgres import PostgresServer, PostgresUnavailable

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "examples" / "harriman-to-roosevelt-1944-06-11.txt"
# The console script of the environment running the tests: the real entry point.
DESPATCH = Path(sys.executable).with_name("despatch")


@dataclass
class Run:
    code: int
    stdout: str
    stderr: str


def despatch(*args: str | Path) -> Run:
    """`despatch ARGS` in-process through Typer's runner, stdout and stderr apart."""
    result = CliRunner().invoke(app, [str(a) for a in args], catch_exceptions=False)
    return Run(result.exit_code, result.stdout, result.stderr)


def despatch_process(*args: str | Path, cwd: Path | None = None) -> Run:
    """`despatch ARGS` as a separate process, through the installed console script."""
    proc = subprocess.run([str(DESPATCH), *map(str, args)], capture_output=True, text=True, cwd=cwd, timeout=300,
                          check=False)
    return Run(proc.returncode, proc.stdout, proc.stderr)


@pytest.fixture(scope="session")
def example_docs() -> list[Document]:
    return read_file(EXAMPLE)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[PostgresServer]:
    """A PostgreSQL server for the whole session, started on first use; a failure, never a skip, without one."""
    try:
        server = PostgresServer().start()
    except PostgresUnavailable as exc:
        pytest.fail(f"cannot start the test PostgreSQL server: {exc}")
    try:
        yield server
    finally:
        server.stop()
