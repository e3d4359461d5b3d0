"""A document as a file to download: TEI, JSON or plain text.

TEI and JSON come from the writers, the TEI with the index entries the
document points to in its back matter (looked up in the corpus, so the
file's `ref`s resolve). Plain text has no writer of its own yet; it is
rendered here: the heading, source note, dateline, paragraphs with each note
number in brackets at its anchor, the closer, the notes, then each enclosure.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from despatch.corpus.api import Corpus
from despatch.model import Block, Document, Entity, Part
from despatch.writers.inline import Point, walk
from despatch.writers.json import to_json
from despatch.writers.tei import to_tei

FILENAME_BAD = re.compile(r"[^A-Za-z0-9_.\-]")


@dataclass(frozen=True)
class Download:
    suffix: str
    media_type: str
    render: Callable[[Document, Corpus], bytes]


def _index(doc: Document, corpus: Corpus) -> dict[str, Entity]:
    refs: dict[str, None] = {}
    for part in doc.all_documents():
        for holder in part.text_holders():
            for m in holder.mentions:
                if m.ref and m.kind != "date":
                    refs[m.ref] = None
    index: dict[str, Entity] = {}
    for ref in refs:
        page = corpus.entity(ref, limit=0)  # the entry alone: no documents listed
        if page is not None:
            index[ref] = page.entity
    return index


def tei_bytes(doc: Document, corpus: Corpus) -> bytes:
    return to_tei([doc], index=_index(doc, corpus))


def json_bytes(doc: Document, corpus: Corpus) -> bytes:
    return to_json([doc])


def _note_number(doc: Document, k: int) -> str:
    note = doc.notes[k]
    return note.running_n or note.n or str(k + 1)


def _line(doc: Document, part: Part, index: int, block: Block) -> str:
    points = [Point(n.anchor.offset, f"[{_note_number(doc, k)}]") for k, n in enumerate(doc.notes)
              if n.anchor is not None and n.anchor.part == part and n.anchor.block == index]
    return "".join(item if kind == "text" else item.payload for kind, item in walk(block.text, [], points)
                   if kind in ("text", "point"))


def _text_lines(doc: Document, depth: int) -> list[str]:
    lines: list[str] = []
    if depth:
        lines += ["", "-" * 40, ""]
    if doc.number:
        lines.append(f"{doc.number}.")
    if doc.label:
        lines.append(doc.label)
    if doc.head.text.strip():
        lines.append(_line(doc, "head", 0, doc.head))
    for note in doc.source_notes:
        lines.append(f"Source: {note.text}")
    for term, value in (("Channel", doc.channel), ("Classification", "; ".join(doc.classification)),
                        ("File number", "; ".join(doc.file_numbers))):
        if value:
            lines.append(f"{term}: {value}")
    if doc.dateline is not None:
        lines += ["", _line(doc, "dateline", 0, doc.dateline)]
    for k, block in enumerate(doc.body):
        lines += ["", _line(doc, "body", k, block)]
    if doc.closer:
        lines.append("")
        lines += [_line(doc, "closer", k, b) for k, b in enumerate(doc.closer)]
    notes = [(k, n) for k, n in enumerate(doc.notes) if n.kind != "source"]
    if notes:
        lines += ["", "Notes", ""]
        lines += [f"[{_note_number(doc, k)}] {'[Orig. Note] ' if n.original else ''}{n.text}" for k, n in notes]
    for enclosure in doc.enclosures:
        lines += _text_lines(enclosure, depth + 1)
    return lines


def text_bytes(doc: Document, corpus: Corpus) -> bytes:
    return ("\n".join(_text_lines(doc, 0)).strip() + "\n").encode("utf-8")


DOWNLOADS = {
    "xml": Download("xml", "application/tei+xml", tei_bytes),
    "json": Download("json", "application/json", json_bytes),
    "txt": Download("txt", "text/plain; charset=utf-8", text_bytes),
}


def filename(doc_id: str, suffix: str) -> str:
    """A file name any system accepts, whatever the document id holds."""
    return f"{FILENAME_BAD.sub('_', doc_id)[:120] or 'document'}.{suffix}"
