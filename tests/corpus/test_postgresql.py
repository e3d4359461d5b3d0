"""What only the PostgreSQL corpus does, on a real server: the same results as SQLite, writers at once, safety.

The rest of the corpus suite runs on both backends; here are the checks that
need two corpora side by side (the dev set in a SQLite file and in a
PostgreSQL database must answer every query alike), two processes at once
(two `despatch ingest` on overlapping inputs, four processes opening one fresh
database), or PostgreSQL itself (read-only readers, the server's errors).
"""
from __future__ import annotations

import subprocess
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from conftest import DESPATCH, despatch
from corpus.conftest import _migrate
from corpus.support import DEV, EXAMPLE, EXAMPLE_ID, assert_index_exact
from despatch.annotate.index import Curation
from despatch.corpus import Corpus, CorpusError, SearchQuery, open_corpus, open_store
from despatch.corpus.ingest import ingest, prepare_file
from despatch.corpus.postgresql import index_words, is_long, passages, tsquery_text
from despatch.corpus.prepare import PreparedFile, prepare_documents
from despatch.corpus.query import parse_text
from despatch.corpus.schema import latest_version
from despatch.readers import read_file
from postgres import PostgresServer

PLAIN = sorted((DEV / "plain").glob("*.txt"))
CHAPTERS = sorted((DEV / "chapter").glob("*.txt"))


# -- words and queries -------------------------------------------------------------


@pytest.mark.parametrize(("printed", "indexed"), [
    ("The Chargé in Haiti (Woodward) to the Secretary of State", "the charge in haiti woodward to the secretary of state"),
    ("Austria-Hungary", "austria hungary"),
    ("No. 105. Telegram 1918-03-05", "no 105 telegram 1918 03 05"),
    ("M. Delcassé’s “most secret” note_book", "m delcasse s most secret note book"),
    ("Señor Madero, Ministro de Relaciones Exteriores", "senor madero ministro de relaciones exteriores"),
])
def test_words_are_those_sqlite_indexes(printed: str, indexed: str) -> None:
    assert index_words(printed) == indexed


@pytest.mark.parametrize(("typed", "tsquery"), [
    ('"letters of marque"', "('letters' <-> 'of' <-> 'marque')"),
    ("treat*", "('treat':*)"),
    ("treaty OR convention", "(('treaty') | ('convention'))"),
    ("treaty -convention", "((('treaty')) & !(('convention')))"),
    ("Austria-Hungary", "('austria' <-> 'hungary')"),
    ("Chargé", "('charge')"),
    ("'; DROP TABLE documents; --", "(('drop') & ('table') & ('documents'))"),
])
def test_queries_become_tsqueries_of_quoted_words(typed: str, tsquery: str) -> None:
    node = parse_text(typed)
    assert node is not None and tsquery_text(node) == tsquery


def test_a_phrase_read_wider_and_narrower() -> None:
    node = parse_text('treaty -"most favored nation"')
    assert node is not None
    # NOT turns "wider" into "narrower" for what it excludes: a phrase there excludes nothing
    assert tsquery_text(node, "wider") == "(('treaty'))"
    assert tsquery_text(node, "narrower") == "((('treaty')) & !(('most' & 'favored' & 'nation')))"


def test_long_documents_are_cut_into_overlapping_passages() -> None:
    text = (DEV / "chapter" / "frus1925v02-chapter00.txt").read_text(encoding="utf-8")
    words = index_words(text)
    assert is_long([words]) and not is_long([index_words(EXAMPLE.read_text(encoding="utf-8"))])
    cut = passages([words])
    assert len(cut) > 1 and " ".join(cut[0].split()[-50:]) in cut[1]
    assert all(max(Counter(p.split()).values()) <= 240 for p in cut)


# -- the same answers as SQLite ------------------------------------------------------


@pytest.fixture(scope="module")
def twins(postgres_server: PostgresServer, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Corpus, Corpus]]:
    """The dev set stored alike in a SQLite file and a PostgreSQL database: (sqlite, postgresql)."""
    urls = [str(tmp_path_factory.mktemp("twins") / "corpus.sqlite"), postgres_server.new_database(prepare=_migrate)]
    for url in urls:
        writer = open_store(url)
        try:
            report = ingest(writer, [DEV / "chapter", DEV / "plain", EXAMPLE], annotate=True)
        finally:
            writer.close()
        assert not report.failures
    corpora = [open_corpus(url) for url in urls]
    yield corpora[0], corpora[1]
    for corpus in corpora:
        corpus.close()
    postgres_server.drop(urls[1])


def every_hit(corpus: Corpus, query: SearchQuery) -> list[str]:
    found: list[str] = []
    while True:
        result = corpus.search(SearchQuery(**{**query.__dict__, "limit": 100, "offset": len(found)}))
        found.extend(h.doc_id for h in result.hits)
        if not result.hits or len(found) >= result.total:
            return found


QUERIES = ["treaty", "treat*", '"letters of marque"', "treaty OR convention", "treaty NOT convention",
           "(treaty OR convention) NOT privateering", '"most favored nation"', "charge", "Chargé", "government",
           '"secretary of state"', '"of the government"', 'government -"the government of"', "minister -legation",
           "Austria-Hungary", "Seward", "Vladivostok", '"the United States"', '"in the"', "Harriman Roosevelt",
           '"Roosevelt the Ambassador"', "1918", "secret*", '"Secretary of"*']


@pytest.mark.parametrize("text", QUERIES)
def test_both_backends_find_the_same_documents_and_count_the_same_facets(twins: tuple[Corpus, Corpus],
                                                                         text: str) -> None:
    sqlite, postgresql = twins
    query = SearchQuery(text=text, limit=0)
    a, b = sqlite.search(query), postgresql.search(query)
    assert a.total == b.total and a.total > 0 or text == '"Roosevelt the Ambassador"'
    assert a.facets == b.facets and a.histogram == b.histogram
    assert set(every_hit(sqlite, query)) == set(every_hit(postgresql, query))
    by_date = SearchQuery(text=text, sort="date")
    assert every_hit(sqlite, by_date) == every_hit(postgresql, by_date)


def test_both_backends_filter_alike(twins: tuple[Corpus, Corpus]) -> None:
    sqlite, postgresql = twins
    facets = sqlite.search(SearchQuery(limit=0)).facets
    assert facets == postgresql.search(SearchQuery(limit=0)).facets
    queries = [SearchQuery(text="government", sender=facets["sender"][0].value, year=int(facets["year"][0].value)),
               SearchQuery(text="minister", place=facets["place"][0].value, channel=facets["channel"][0].label),
               SearchQuery(person=facets["person"][1].label.upper(), sort="-date"),
               SearchQuery(text="treaty OR convention", date_from="1900", date_to="1925-06", sort="-date"),
               SearchQuery(recipient=facets["recipient"][0].value, date_from="1861-05-01")]
    for query in queries:
        a, b = sqlite.search(SearchQuery(**{**query.__dict__, "limit": 0})), postgresql.search(
            SearchQuery(**{**query.__dict__, "limit": 0}))
        assert a.total == b.total > 0 and a.facets == b.facets and a.histogram == b.histogram
        assert every_hit(sqlite, query) == every_hit(postgresql, query) or query.sort == "relevance"
    assert sqlite.chronology() == postgresql.chronology()
    assert sqlite.correspondents() == postgresql.correspondents()
    assert sqlite.entities(limit=1000) == postgresql.entities(limit=1000)
    assert sqlite.neighbours(EXAMPLE_ID) == postgresql.neighbours(EXAMPLE_ID)


# -- writers at once ---------------------------------------------------------------


def test_two_ingests_at_once_store_every_document_exactly_once(postgres_server: PostgresServer) -> None:
    url = postgres_server.new_database(prepare=_migrate)
    reference = postgres_server.new_database(prepare=_migrate)
    first = [DEV / "chapter", *PLAIN[:100]]
    second = [*PLAIN[40:], DEV / "chapter", EXAMPLE]  # the chapters and 60 transcriptions in both
    runs = [subprocess.Popen([str(DESPATCH), "ingest", *map(str, inputs), "--db", url, "--quiet"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for inputs in (first, second)]
    for run in runs:
        _, err = run.communicate(timeout=300)
        assert run.returncode == 0, err
    every_file = sorted({p.resolve() for p in [*CHAPTERS, *PLAIN, EXAMPLE]})
    store = open_store(url)
    try:
        assert store.integrity() == []
        stored = {path: f.documents for path, f in store.files().items()}
        assert stored == {str(f): len(read_file(f)) for f in every_file}
        ids = [d.id for d in store.documents()]
        assert len(ids) == len(set(ids)) == store.count() == sum(stored.values())
        assert Counter(str(Path(d.source_file or "").resolve()) for d in store.documents()) == Counter(stored)
        assert_index_exact(store)
        for facet in ("sender", "person", "year"):
            for value in store.search(SearchQuery(limit=0)).facets[facet][:3]:
                filtered = int(value.value) if facet == "year" else value.value
                assert store.search(SearchQuery(limit=0, **{facet: filtered})).total == value.count  # type: ignore[arg-type]
        # The documents one process stores from all the files, no more and no fewer.
        alone = open_store(reference)
        try:
            ingest(alone, every_file, annotate=True)
            assert sorted(ids) == sorted(d.id for d in alone.documents())
            assert store.chronology() == alone.chronology()
        finally:
            alone.close()
    finally:
        store.close()
        postgres_server.drop(url)
        postgres_server.drop(reference)


OPEN_AND_CLOSE = "import sys\nfrom despatch.corpus import open_store\nopen_store(sys.argv[1]).close()\n"


def test_processes_opening_a_fresh_database_at_once_migrate_it_once(postgres_server: PostgresServer) -> None:
    url = postgres_server.empty_database()
    python = str(DESPATCH.with_name("python"))
    runs = [subprocess.Popen([python, "-c", OPEN_AND_CLOSE, url], stderr=subprocess.PIPE, text=True)
            for _ in range(4)]
    for run in runs:
        _, err = run.communicate(timeout=120)
        assert run.returncode == 0, err
    with psycopg.connect(url) as conn:
        rows = conn.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    assert rows == [(v,) for v in range(1, latest_version("postgresql") + 1)]
    postgres_server.drop(url)


# -- safety ------------------------------------------------------------------------


def test_readers_connect_read_only(postgres_server: PostgresServer) -> None:
    url = postgres_server.new_database(prepare=_migrate)
    reader = open_corpus(url)
    try:
        pool = reader._pool  # type: ignore[attr-defined]  # the reader's own connections, as its searches get them
        with pool.connection() as conn, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            conn.execute("INSERT INTO known_words VALUES ('x')")
    finally:
        reader.close()
        postgres_server.drop(url)


def test_missing_foreign_and_newer_databases_are_named(postgres_server: PostgresServer) -> None:
    with pytest.raises(CorpusError, match="no corpus here, the database does not exist"):
        open_corpus(postgres_server.url("no_such_database"))
    empty = postgres_server.empty_database()
    with pytest.raises(CorpusError, match="no corpus here; `despatch ingest FILES --db postgresql://"):
        open_corpus(empty)
    run = despatch("search", "treaty", "--db", empty)
    assert run.code == 1 and "no corpus here" in run.stderr
    with psycopg.connect(empty, autocommit=True) as conn:
        conn.execute("CREATE TABLE telegrams (id integer)")
    with pytest.raises(CorpusError, match="not a despatch corpus"):
        open_corpus(empty)
    made = postgres_server.new_database(prepare=_migrate)
    with psycopg.connect(made, autocommit=True) as conn:
        conn.execute("INSERT INTO schema_version (version, name) VALUES (99, '0099_future.sql')")
    for opening in (open_corpus, open_store):
        with pytest.raises(CorpusError, match="made by a newer despatch"):
            opening(made)
    with pytest.raises(CorpusError, match="cannot connect") as caught:
        open_store("postgresql://archivist:s3cret@127.0.0.1:1/frus")
    assert "s3cret" not in str(caught.value) and "\n" not in str(caught.value)
    for url in (empty, made):
        postgres_server.drop(url)


def test_text_postgresql_cannot_hold_fails_that_file_alone(postgres_server: PostgresServer) -> None:
    # The readers refuse a file with a NUL in it as binary; a document made some other way may still
    # carry one, and PostgreSQL text cannot: that file fails with one line, the batch goes on.
    doc = read_file(EXAMPLE)[0]
    doc.body[0].text = doc.body[0].text.replace("Personal for the President", "Personal\x00 for the President")
    rows, entities = prepare_documents([doc])
    bad = PreparedFile("/archive/with-nul.txt", "0" * 64, 1, 0.0, False, rows, entities)
    good = prepare_file(PLAIN[0], str(PLAIN[0].resolve()), False, Curation())
    assert isinstance(good, PreparedFile)
    url = postgres_server.new_database(prepare=_migrate)
    store = open_store(url)
    try:
        failed, stored = store.store([bad, good])
        assert failed is not None and failed.startswith("/archive/with-nul.txt: cannot store: ") and stored is None
        assert "\n" not in failed and store.count() == 1 and store.integrity() == []
    finally:
        store.close()
        postgres_server.drop(url)
