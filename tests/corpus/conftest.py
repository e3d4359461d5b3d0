"""Corpus fixtures: a fresh corpus per test and one built once from the dev set, for every backend."""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from corpus.support import BACKENDS, DEV, EXAMPLE
from despatch.corpus import Corpus, CorpusStore, open_corpus, open_store
from despatch.corpus.ingest import ingest


def corpus_url_in(backend: str, folder: Path) -> str:
    """Where a new, empty corpus of `backend` lives for one test (or one session)."""
    if backend == "sqlite":
        return str(folder / "corpus.sqlite")
    raise AssertionError(f"no test server for backend {backend}")


@pytest.fixture(params=BACKENDS)
def corpus_url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    return corpus_url_in(request.param, tmp_path)


@pytest.fixture
def store(corpus_url: str) -> Iterator[CorpusStore]:
    opened = open_store(corpus_url)
    yield opened
    opened.close()


@pytest.fixture(scope="session", params=BACKENDS)
def dev_corpus_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The dev set's chapters and plain transcriptions and the example, annotated, stored once."""
    url = corpus_url_in(request.param, tmp_path_factory.mktemp(f"dev-{request.param}"))
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
