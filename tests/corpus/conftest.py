"""Corpus fixtures: fresh corpora per test and one built once from the dev set, for every backend.

A SQLite corpus is a file in the test's folder; a PostgreSQL corpus is a new
database on the session's throw-away server (tests/postgres.py), copied from a
template that already holds the schema, and dropped after the test.
"""
from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from corpus.support import BACKENDS, DEV, EXAMPLE
from despatch.corpus import Corpus, CorpusStore, open_corpus, open_store
from despatch.corpus.ingest import ingest
from postgres import PostgresServer

NewCorpus = Callable[..., str]


def _migrate(url: str) -> None:
    """Apply the migrations to the database at `url` (a writer opening it does)."""
    open_store(url).close()


def corpus_url_in(backend: str, folder: Path, request: pytest.FixtureRequest, name: str = "corpus") -> str:
    """Where a new, empty corpus of `backend` lives for one test (or one session)."""
    if backend == "sqlite":
        return str(folder / f"{name}.sqlite")
    if backend == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        return server.new_database(prepare=_migrate)
    raise AssertionError(f"no test server for backend {backend}")


@pytest.fixture(params=BACKENDS)
def backend(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture
def new_corpus_url(backend: str, tmp_path: Path, request: pytest.FixtureRequest) -> Iterator[NewCorpus]:
    """Makes fresh, empty corpora of the test's backend: `new_corpus_url("name")` is a new one each call."""
    made: list[str] = []

    def make(name: str = "corpus") -> str:
        url = corpus_url_in(backend, tmp_path, request, name)
        made.append(url)
        return url

    yield make
    if backend == "postgresql":
        server: PostgresServer = request.getfixturevalue("postgres_server")
        for url in made:
            server.drop(url)


@pytest.fixture
def corpus_url(new_corpus_url: NewCorpus) -> str:
    return new_corpus_url()


@pytest.fixture
def store(corpus_url: str) -> Iterator[CorpusStore]:
    opened = open_store(corpus_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session", params=BACKENDS)
def dev_corpus_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The dev set's chapters and plain transcriptions and the example, annotated, stored once."""
    url = corpus_url_in(request.param, tmp_path_factory.mktemp(f"dev-{request.param}"), request)
    writer = open_store(url)
    try:
        report = ingest(writer, [DEV / "chapter", DEV / "plain", EXAMPLE], annotate=True)
    finally:
        writer.close()
    assert not report.failures, report.failures
    return url


@pytest.fixture(scope="session")
def dev_corpus(dev_corpus_url: str) -> Iterator[Corpus]:
    corpus = open_corpus(dev_corpus_url)
    yield corpus
    corpus.close()
