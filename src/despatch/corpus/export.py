"""A corpus, or one search's documents, out as one file: TEI, JSON or CSV.

Exports go through `api.Corpus` only, so they read any backend. TEI is one
edition with every document and the index entries they name in `back`; JSON
is the model as `writers.json` writes it with the index beside the
documents (`writers.json.from_json` reads it back); CSV is one row per
document, for a spreadsheet.
"""
from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator

from despatch import __version__
from despatch.annotate.text import texts
from despatch.corpus.api import Corpus, SearchQuery
from despatch.corpus.codec import document_json, entity_json
from despatch.model import Entity

FORMATS = ("tei", "json", "csv")
CSV_COLUMNS = ("id", "date", "place", "sender", "recipient", "channel", "file_numbers", "heading", "source_file")
ENTITY_PAGE = 1000


def all_entities(corpus: Corpus) -> Iterator[Entity]:
    offset = 0
    while True:
        page = corpus.entities(limit=ENTITY_PAGE, offset=offset)
        yield from page
        if len(page) < ENTITY_PAGE:
            return
        offset += len(page)


def export_tei(corpus: Corpus, query: SearchQuery | None = None, title: str | None = None) -> bytes:
    from despatch.writers.tei import to_tei

    docs = list(corpus.documents(query))
    index = {e.id: e for e in all_entities(corpus)}
    heading = title or (f"despatch corpus: {query.text}" if query is not None and query.text else "despatch corpus")
    return to_tei(docs, title=heading, index=index)


def export_json(corpus: Corpus, query: SearchQuery | None = None) -> bytes:
    """The documents in `writers.json`'s file shape, and the index entries they name under "index"."""
    from despatch.writers.json import SCHEMA_ID

    out = io.BytesIO()
    out.write(json.dumps({"despatch": __version__, "schema": SCHEMA_ID}, ensure_ascii=False)[:-1].encode())
    # Each document is serialised as the corpus yields it rather than the list at once:
    # the model objects of a whole corpus need not be in memory together.
    out.write(b', "documents": [')
    named: set[str] = set()
    for k, doc in enumerate(corpus.documents(query)):
        if k:
            out.write(b",\n")
        out.write(document_json(doc))
        for part in doc.all_documents():
            named.update(m.ref for t in texts(part) for m in t.holder.mentions if m.ref)
    out.write(b'], "index": {"entities": [')
    first = True
    for entry in all_entities(corpus):
        if query is not None and entry.id not in named:
            continue
        out.write((b"" if first else b",\n") + entity_json(entry).encode())
        first = False
    out.write(b"]}}\n")
    return out.getvalue()


def export_csv(corpus: Corpus, query: SearchQuery | None = None) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for doc in corpus.documents(query):
        writer.writerow([
            doc.id,
            doc.date.when if doc.date is not None and doc.date.when else "",
            doc.place or "",
            "; ".join(dict.fromkeys(p.text for p in doc.senders)),  # people named together share one text
            "; ".join(dict.fromkeys(p.text for p in doc.recipients)),
            doc.channel or "",
            "; ".join(doc.file_numbers),
            doc.head.text,
            doc.source_file or "",
        ])
    return out.getvalue().encode("utf-8")


def export(corpus: Corpus, fmt: str, query: SearchQuery | None = None) -> bytes:
    if fmt == "tei":
        return export_tei(corpus, query)
    if fmt == "json":
        return export_json(corpus, query)
    if fmt == "csv":
        return export_csv(corpus, query)
    raise ValueError(f"unknown export format {fmt!r}; choose from {', '.join(FORMATS)}")
