"""One document element read into a Document: its children in order, its enclosures, what its apparatus says."""
from __future__ import annotations

from typing import get_args

from lxml import etree

from despatch.model import Document, Note, Part
from despatch.parse.notes import channel_in, classifications_in, file_numbers
from despatch.readers.tei.body import _BodyReader
from despatch.readers.tei.heading import _HeadingReader
from despatch.readers.tei.markup import DIV, DROPPED, FRUS_NS, XML_ID, _local

PART_ORDER = {part: k for k, part in enumerate(get_args(Part))}


class _DocReader(_HeadingReader, _BodyReader):
    """Reads one document element (a div, an attachment, a bare body) into a Document."""

    # ---- the document's children -------------------------------------------------

    def read(self, unit: etree._Element) -> Document:
        last: _DocReader | None = None
        for child in unit:
            name = _local(child)
            if not name or name in DROPPED:
                continue
            if _is_enclosure(child):
                last = self.enclosure_reader(child)
            elif last is not None:
                # FRUS sometimes closes an attachment and then prints its addressee
                # or signature in a postscript after it (frus1861 d69: the
                # "Charles Francis Adams, Esq." after Russell's letter); what
                # follows an enclosure belongs to it.
                last.child(child)
                last.derive()
            else:
                self.child(child)
        self.derive()
        return self.doc

    def child(self, el: etree._Element) -> None:
        name = _local(el)
        if not name or name in DROPPED or name == "lb":
            return
        if name == "head":
            if self.doc.head.text or any(n.anchor and n.anchor.part == "head" for n in self.doc.notes):
                self.flow(el, "label")
            else:
                self.head(el)
        elif name == "dateline":
            if self.doc.dateline is None:
                self.dateline(el)
            else:
                self.closer_line(el)
        elif name == "opener":
            # "Sir:" opens the text; only the dateline is not body
            for sub in el:
                if _local(sub) == "dateline":
                    self.child(sub)
                elif _local(sub) and _local(sub) not in DROPPED:
                    self.body(sub, "p")
        elif name == "note":
            self.loose_note(el)
        elif name == "closer":
            self.closer(el)
        elif name in ("postscript", "div", "text", "body", "front", "back", "group"):
            for sub in el:
                if _is_enclosure(sub):
                    self.enclosure_reader(sub)
                else:
                    self.child(sub)
        elif name in ("signed", "salute"):
            self.closer_block(el, "signed" if name == "signed" else "salute")
        elif name in ("byline", "docAuthor", "trailer"):
            self.closer_line(el)
        else:
            self.body(el, "p")

    def enclosure_reader(self, el: etree._Element) -> _DocReader:
        unit = _unwrap(el)
        n = len(self.doc.enclosures) + 1
        raw = unit.get(XML_ID)
        enc_id = self.volume.unique(self.volume.doc_id(raw) if raw else f"{self.doc.id}-enc{n}")
        enc = Document(id=enc_id, number=unit.get("n"), channel=unit.get("subtype"))
        enc.source_file, enc.source_format = self.volume.path, "tei"
        self.doc.enclosures.append(enc)
        reader = _DocReader(self.volume, enc, enclosure=True)
        reader.read(unit)
        return reader

    def derive(self) -> None:
        """Channel, classification and file numbers, from the source apparatus; notes in a fixed order."""
        doc = self.doc
        # Source lines first, then footnotes in the order of the text, then footnotes
        # no text anchors: the order the writer puts them in, so a file reads the same
        # however often it is written and read.
        doc.notes.sort(key=_note_order)
        sources = " ".join(n.text for n in doc.source_notes)
        labels = " ".join(x for x in (doc.label or "", sources) if x)
        doc.file_numbers = list(dict.fromkeys(file_numbers(sources)))
        if labels:
            doc.classification = classifications_in(labels)
            doc.channel = doc.channel or channel_in(labels)


def _note_order(note: Note) -> tuple[int, ...]:
    if note.anchor is None:
        return (0,) if note.kind == "source" else (2,)
    return (1, PART_ORDER[note.anchor.part], note.anchor.block, note.anchor.offset)


def _is_enclosure(el: etree._Element) -> bool:
    tag = el.tag
    if tag == f"{{{FRUS_NS}}}attachment":
        return True
    return tag == DIV and el.get("type") == "document"


def _unwrap(el: etree._Element) -> etree._Element:
    """The element holding an enclosure's content: FRUS 1861 wraps it in its own div."""
    content = [c for c in el if _local(c) and _local(c) not in DROPPED]
    if len(content) == 1 and content[0].tag == DIV and content[0].get("type") == "document":
        return content[0]
    return el
