"""Existing TEI editions in: FRUS volumes and the TEI despatch itself writes, mapped onto the model.

An edition has already done the work the text readers guess at, so this
reader trusts its markup and only falls back on `despatch.parse` where the
markup is silent:

  div[@type="document"]       a Document; xml:id (prefixed with the volume id), @n, @subtype as channel
  head                        the heading; persName/gloss[@type="from"|"to"] are the parties
  note[@type="source"]        source notes (an enclosure's first one is its label)
  dateline                    placeName, date[@when], date[@type="received"] or "[Received ...]"
  p, list, table, quote       body blocks, in the order of the text; postscript p's too
  note[@n]                    footnotes, anchored where the element stood
  persName, placeName, ...    mentions; seg[@type="editorial"] are editorial marks
  closer                      salute, signed and the lines between
  frus:attachment             an enclosure, with all of the above

Text is read the way the FRUS benchmark reads it (eval/teigold.py): notes
left out of the text they sit in, `lb` and `pb` as a space, whitespace
squashed; every offset points into that squashed text. `hi rend` becomes the
styles of the block or note.

Where the volumes leave a choice:
- a `div type="document"` inside another document is an enclosure, whether an
  attachment wraps it (frus1861 wraps every enclosure so) or not; one inside an
  attachment of a mere section (frus1861's "Schedule A") is a document;
- what is printed after an attachment (an addressee in a postscript, a closer)
  belongs to that attachment;
- an edition that tags parties or datelines anywhere is taken at its word: the
  heading and dateline parsers only read files that tag none.

The package: `markup` holds the namespaces and what every part shares, `runs`
the text of a block as it is read, `volume` the file and what holds for all of
it, `text`, `body`, `heading` and `document` the reader of one document
(layer on layer: inline text and notes, the body and closer, the heading and
dateline, the document's children), `persons` the list of persons.
"""
from __future__ import annotations

from pathlib import Path

from lxml import etree

from despatch.errors import InputError
from despatch.model import Document
from despatch.readers.tei.document import _DocReader
from despatch.readers.tei.markup import DIV, TEI_NS, XML_ID
from despatch.readers.tei.persons import _attach_persons, _persons, read_persons
from despatch.readers.tei.volume import _parse, _Volume

__all__ = ["read_documents", "read_persons"]



def _top_documents(root: etree._Element) -> list[etree._Element]:
    """Document divs not inside another document, in order (those inside are read as its enclosures)."""
    return [div for div in root.iter(DIV)
            if div.get("type") == "document"
            and not any(a.tag == DIV and a.get("type") == "document" for a in div.iterancestors())]


def read_documents(data: bytes, path: str) -> list[Document]:
    """Every document of a TEI edition (a FRUS volume, a file despatch wrote), enclosures inside their parent."""
    root = _parse(data, path)
    volume = _Volume(root, path)
    try:
        divs = _top_documents(root)
        docs: list[Document] = []
        if divs:
            for k, div in enumerate(divs):
                raw = div.get(XML_ID)
                doc_id = volume.unique(volume.doc_id(raw) if raw else f"{volume.prefix or Path(path).stem}-doc{k + 1}")
                docs.append(_read_one(volume, div, doc_id))
        else:
            body = root.find(f".//{{{TEI_NS}}}text/{{{TEI_NS}}}body")
            if body is not None:
                doc = _read_one(volume, body, volume.unique(volume.prefix or Path(path).stem))
                if doc.body or doc.head.text:
                    docs.append(doc)
    except RecursionError:
        raise InputError(path, "elements nested too deeply") from None
    if not docs:
        raise InputError(path, "no document in this TEI file (no div type=\"document\" and no text in its body)")
    _attach_persons(docs, _persons(root))
    return docs


def _read_one(volume: _Volume, el: etree._Element, doc_id: str) -> Document:
    doc = Document(id=doc_id, number=el.get("n"), channel=el.get("subtype"))
    doc.source_file, doc.source_format = volume.path, "tei"
    return _DocReader(volume, doc, enclosure=False).read(el)
