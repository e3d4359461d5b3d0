"""What only the SQLite backend does: facets counted in memory for large results, kept fresh across writers."""
from __future__ import annotations

from pathlib import Path

import pytest

from corpus.support import DEV, EXAMPLE
from despatch.corpus import SearchQuery, open_corpus, open_store
from despatch.corpus import sqlite as backend
from despatch.corpus.ingest import ingest

QUERIES = [SearchQuery(text="government"), SearchQuery(text="treaty OR convention", channel="telegram"),
           SearchQuery(date_from="1861", date_to="1901"), SearchQuery(text="minister", sort="-date", limit=50)]


@pytest.mark.parametrize("dev_corpus_url", ["sqlite"], indirect=True)
def test_facets_counted_in_memory_are_those_counted_by_sql(dev_corpus_url: str,
                                                           monkeypatch: pytest.MonkeyPatch) -> None:
    corpus = open_corpus(dev_corpus_url)
    try:
        by_sql = [corpus.search(q) for q in QUERIES]
        monkeypatch.setattr(backend, "FACETS_IN_SQL", 0)
        in_memory = [corpus.search(q) for q in QUERIES]
    finally:
        corpus.close()
    assert in_memory == by_sql
    assert all(r.facets["person"] and r.histogram for r in by_sql)


def test_a_reader_sees_what_a_writer_stores_after_it_opened(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(backend, "FACETS_IN_SQL", 0)
    db = str(tmp_path / "c.sqlite")
    writer = open_store(db)
    ingest(writer, [DEV / "chapter" / "frus1861-chapter00.txt"], annotate=True)
    reader = open_corpus(db)
    try:
        before = reader.search(SearchQuery(text="minister OR Ambassador"))
        ingest(writer, [EXAMPLE], annotate=True)
        after = reader.search(SearchQuery(text="minister OR Ambassador"))
        assert after.total == before.total + 1
        years = {v.value: v.count for v in after.facets["year"]}
        assert years["1944"] == 1 and "1944" not in {v.value for v in before.facets["year"]}
    finally:
        reader.close()
        writer.close()
