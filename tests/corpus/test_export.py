"""Export: the whole corpus or a search's documents as TEI, JSON or CSV, through the API and the command."""
from __future__ import annotations

import csv
import io
import json
from pathlib import Path

from lxml import etree

from conftest import despatch
from corpus.support import EXAMPLE, EXAMPLE_ID
from despatch.annotate.text import texts
from despatch.corpus import Corpus, CorpusStore, SearchQuery
from despatch.corpus.export import CSV_COLUMNS, all_entities, export_csv, export_json, export_tei
from despatch.corpus.ingest import ingest
from despatch.writers.json import from_json

TEI = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def test_tei_holds_every_document_and_the_index(dev_corpus: Corpus) -> None:
    root = etree.fromstring(export_tei(dev_corpus))
    documents = root.xpath("/t:TEI/t:text/t:body/t:div[@type='document']", namespaces=TEI)
    assert len(documents) == dev_corpus.count()
    persons = root.xpath("//t:back//t:listPerson/t:person", namespaces=TEI)
    refs = {r.lstrip("#") for r in root.xpath("//t:body//t:persName/@ref", namespaces=TEI)}
    listed = {p.get(XML_ID) for p in persons}
    assert persons and refs and refs <= listed


def test_json_reads_back_as_the_model_with_the_index(dev_corpus: Corpus) -> None:
    data = export_json(dev_corpus)
    assert from_json(data) == list(dev_corpus.documents())
    index = json.loads(data)["index"]["entities"]
    assert sorted(e["id"] for e in index) == sorted(e.id for e in all_entities(dev_corpus))


def test_csv_one_row_per_document(dev_corpus: Corpus) -> None:
    rows = list(csv.reader(io.StringIO(export_csv(dev_corpus).decode("utf-8"))))
    assert tuple(rows[0]) == CSV_COLUMNS and len(rows) == dev_corpus.count() + 1
    example = next(dict(zip(CSV_COLUMNS, r, strict=True)) for r in rows if r[0] == EXAMPLE_ID)
    assert example["date"] == "1944-06-11" and example["place"] == "Moscow" and example["channel"] == "telegram"
    assert example["sender"] == "The Ambassador in the Soviet Union (Harriman)"
    assert example["heading"] == "The Ambassador in the Soviet Union (Harriman) to President Roosevelt"
    assert example["source_file"].endswith("harriman-to-roosevelt-1944-06-11.txt")


def test_a_search_exports_its_documents_in_date_order(dev_corpus: Corpus) -> None:
    query = SearchQuery(text="privateering")
    expected = [h.doc_id for h in dev_corpus.search(SearchQuery(text="privateering", sort="date", limit=100)).hits]
    docs = from_json(export_json(dev_corpus, query))
    assert [d.id for d in docs] == expected
    index = json.loads(export_json(dev_corpus, query))["index"]["entities"]
    named = {m.ref for d in docs for p in d.all_documents() for t in texts(p) for m in t.holder.mentions if m.ref}
    assert index and {e["id"] for e in index} == named - {None}
    rows = list(csv.reader(io.StringIO(export_csv(dev_corpus, query).decode("utf-8"))))
    assert [r[0] for r in rows[1:]] == expected


def test_markup_in_the_text_stays_text(store: CorpusStore, tmp_path: Path) -> None:
    # The founding telegram with a line any HTML or XML writer must escape.
    text = EXAMPLE.read_text(encoding="utf-8").replace(
        "Personal for the President", "Personal for the President <script>alert('&amp;')</script> & Co.", 1)
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(text, encoding="utf-8")
    ingest(store, [hostile], annotate=True)
    doc = next(store.documents())
    tei = export_tei(store)
    root = etree.fromstring(tei)
    assert b"<script>" not in tei and not root.xpath("//script")
    assert "<script>alert('&amp;')</script> & Co." in "".join(root.itertext())
    assert from_json(export_json(store)) == [doc]
    rows = list(csv.reader(io.StringIO(export_csv(store).decode("utf-8"))))
    assert rows[1][0] == doc.id


def test_export_command(dev_corpus_url: str, dev_corpus: Corpus, tmp_path: Path) -> None:
    out = tmp_path / "out" / "corpus.csv"
    run = despatch("export", "--db", dev_corpus_url, "--to", "csv", "--out", out)
    assert run.code == 0, run.stderr
    assert out.read_bytes() == export_csv(dev_corpus)
    assert [p.name for p in out.parent.iterdir()] == ["corpus.csv"]  # no temporary file left beside it
    to_stdout = despatch("export", "--db", dev_corpus_url, "--to", "json", "--query", '"letters of marque"')
    assert [d.id for d in from_json(to_stdout.stdout.encode())] == [
        d.id for d in dev_corpus.documents(SearchQuery(text='"letters of marque"'))]
    tei = despatch("export", "--db", dev_corpus_url, "--to", "TEI", "--query", "privateering", "--out", "-")
    assert etree.fromstring(tei.stdout.encode()).xpath("count(//t:body/t:div)", namespaces=TEI) == \
        dev_corpus.search(SearchQuery(text="privateering")).total


def test_export_command_failures(dev_corpus_url: str, tmp_path: Path) -> None:
    unknown = despatch("export", "--db", dev_corpus_url, "--to", "docx")
    assert unknown.code == 2 and "choose from tei, json, csv" in unknown.stderr
    bad = despatch("export", "--db", dev_corpus_url, "--to", "csv", "--query", "*")
    assert bad.code == 2 and len(bad.stderr.splitlines()) == 1
    missing = despatch("export", "--db", tmp_path / "none.sqlite", "--to", "csv")
    assert missing.code == 1 and "no corpus here" in missing.stderr
    (tmp_path / "taken").mkdir()
    unwritable = despatch("export", "--db", dev_corpus_url, "--to", "csv", "--out", tmp_path / "taken")
    assert unwritable.code == 1 and unwritable.stderr.startswith(f"{tmp_path / 'taken'}: cannot write")
