"""A Word .docx package: paragraphs in word/document.xml, real footnotes and endnotes in their own parts.

The raw form, as Word, LibreOffice or pandoc write it: a zip whose main part
(named in _rels/.rels, nearly always word/document.xml) holds the body as
paragraphs of runs of text::

    <w:p><w:r><w:rPr><w:b/></w:rPr><w:t>The Acting Secretary of State to the Consul at Archangel (Cole)</w:t></w:r>
         <w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:footnoteReference w:id="20"/></w:r></w:p>

A footnote's marker is the `w:footnoteReference` run; its text is the
`w:footnote` with the same id in word/footnotes.xml, opened by a
`w:footnoteRef` mark. The ids are not what is printed: Word numbers the notes
1, 2, 3... in the order of their references, so that is how they are keyed.
Endnotes (word/endnotes.xml) work the same way with their own numbering. The
heading is usually the one bold paragraph at the top (pandoc's `**heading**`)
or a paragraph in a Heading style. Tracked changes are read as accepted:
deleted text is dropped, inserted text kept. A table row is one line.
Several documents in one file are split as text files are.

The package: `markup` holds the parser and the element names, `styles` and
`lists` read the style sheet and the list numbering, `text` walks the
paragraphs and tables into lines and keeps the notes; here, the parts are
read from the zip and the lines cut into documents.
"""
from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from functools import cache

from lxml import etree

from despatch.errors import InputError
from despatch.parse import lines as L
from despatch.parse.front import FRONT_WINDOW, LONG_LINE
from despatch.parse.markers import TOKEN_RE, DraftNote
from despatch.parse.structure import Draft
from despatch.readers import segment
from despatch.readers.docx.lists import _Level, _list_definitions, _Lists
from despatch.readers.docx.markup import _parser, _tags
from despatch.readers.docx.styles import NO_STYLES, _style_sheet
from despatch.readers.docx.text import _Notes, _Para, _References, _Walker

__all__ = ["document_bounds", "head_index", "read_drafts"]

# We read the package with zipfile and parse the few parts we need with lxml
# rather than open it with python-docx: python-docx has no API for footnotes or
# endnotes (we would be back at the raw XML anyway), it loads and parses every
# part of the package (styles, numbering, theme, images) whether needed or not,
# and it hides the parser settings and the zip member sizes that keep hostile
# files (zip bombs, entity tricks) harmless.

# Here rather than in a module of their own, MAX_PART and the `_Package` that reads it: a test sets MAX_PART
# on this module.
MAX_PART = 200 * 1024 * 1024  # no real document.xml comes near this; a zip bomb does
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected .docx, or an old .doc, is an OLE file
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, OSError, EOFError, ValueError,
              RuntimeError, NotImplementedError)
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # Transitional: what everyone writes
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict, which Word can save as
)
DEFAULT_MAIN = "word/document.xml"


# --- the package -----------------------------------------------------------


class _Package:
    """The zip's parts by name, read with size limits; every failure is an InputError."""

    def __init__(self, data: bytes, path: str):
        self.path = path
        if data.startswith(OLE_MAGIC):
            raise InputError(path, "encrypted or old-format Word file (an OLE container, not a .docx package)")
        try:
            self.zip = zipfile.ZipFile(io.BytesIO(data))
            infos = self.zip.infolist()
        except ZIP_ERRORS:
            raise InputError(path, "not a readable .docx (broken or truncated zip)") from None
        # part names are case-insensitive in a package
        self.members = {info.filename.lstrip("/").lower(): info for info in infos}
        self.parser = _parser()

    def has(self, name: str) -> bool:
        return name.lower() in self.members

    def read(self, name: str) -> bytes:
        info = self.members[name.lower()]
        if info.flag_bits & 0x1:
            raise InputError(self.path, f"encrypted zip member {name}")
        if info.file_size > MAX_PART:
            raise InputError(self.path, f"{name} is too large ({info.file_size // (1024 * 1024)} MB uncompressed)")
        try:
            with self.zip.open(info) as f:
                data = f.read(MAX_PART + 1)
        except ZIP_ERRORS:
            raise InputError(self.path, f"cannot read {name} (damaged zip)") from None
        if len(data) > MAX_PART:
            raise InputError(self.path, f"{name} is too large")
        return data

    def xml(self, name: str) -> etree._Element:
        try:
            return etree.fromstring(self.read(name), self.parser)
        except etree.XMLSyntaxError as exc:
            raise InputError(self.path, f"malformed XML in {name} (line {exc.lineno})") from None

    def relations(self, source: str) -> dict[str, str]:
        """Relationship type (its last path segment) -> target part name, for the part `source` ("" = package)."""
        folder, base = posixpath.split(source)
        rels = posixpath.join(folder, "_rels", base + ".rels")
        if not self.has(rels):
            return {}
        try:
            root = self.xml(rels)
        except InputError:
            return {}  # a damaged map falls back to the conventional part names
        out: dict[str, str] = {}
        for rel in root.iter("{*}Relationship"):
            kind, target = rel.get("Type", ""), rel.get("Target", "")
            if not target or rel.get("TargetMode") == "External":
                continue
            name = target.lstrip("/") if target.startswith("/") else posixpath.normpath(posixpath.join(folder, target))
            out.setdefault(kind.rsplit("/", 1)[-1], name)
        return out


# --- documents -------------------------------------------------------------


def _is_marked_heading(line: str) -> bool:
    """A bold line the structure parser may take as the heading: not a document number, source line or caption.

    A dateline is not ruled out: bold headings hold dates ("Treaty Between the
    United States of America and Cuba, Signed at Washington, March 2, 1904").
    """
    return not (L.is_number_line(line) or L.is_source_line(line) or L.is_enclosure_label(line))


def head_index(lines: list[str], marked: list[bool]) -> int | None:
    """The bold (or Heading-style) line at the top of one document, when bold sets it apart.

    Of several, the first that also reads as a heading wins, so a bold
    "Strictly Confidential" above "Mr. Hay to Mr. Conger." is passed over.
    """
    idx = [i for i, line in enumerate(lines) if line.strip()]
    if len(idx) > 1 and all(marked[i] for i in idx):
        return None  # a document set all in bold says nothing about its heading
    found: list[int] = []
    for i in idx[:FRONT_WINDOW + 1]:  # + 1: a document number may stand first
        if len(L.plain(lines[i])) > LONG_LINE:
            break
        if marked[i] and _is_marked_heading(lines[i]):
            found.append(i)
    return next((i for i in found if L.is_heading(lines[i])), found[0] if found else None)


def document_bounds(lines: list[str], marked: list[bool]) -> list[tuple[int, int]]:
    """Where each document begins and ends: the text segmenter's cuts, kept only at bold headings when bold is used.

    The segmenter judges by wording, and an enclosure's heading over its
    dateline reads like a new document ("The Dean of the diplomatic corps to
    the Chinese plenipotentiaries"). A file whose first document has a bold
    heading shows how it marks documents, so a cut without one is undone.
    """
    starts = segment.document_starts(lines)
    bounds = list(zip(starts, starts[1:] + [len(lines)]))
    if len(bounds) < 2 or head_index(lines[bounds[0][0]:bounds[0][1]], marked[bounds[0][0]:bounds[0][1]]) is None:
        return bounds
    kept = [bounds[0]]
    for start, end in bounds[1:]:
        if head_index(lines[start:end], marked[start:end]) is None:
            kept[-1] = (kept[-1][0], end)
        else:
            kept.append((start, end))
    return kept


def _drafts(paras: list[_Para], notes: dict[str, DraftNote]) -> list[Draft]:
    """One draft per document, each with the notes whose markers its text holds."""
    lines = [p.text for p in paras]
    marked = [p.marked for p in paras]
    drafts: list[Draft] = []
    for start, end in document_bounds(lines, marked):
        doc_lines = lines[start:end]
        own: dict[str, DraftNote] = {}
        if notes:
            for line in doc_lines:
                for key in TOKEN_RE.findall(line):
                    if key in notes:
                        own[key] = notes[key]
        drafts.append(Draft(lines=doc_lines, notes=own, head_index=head_index(doc_lines, marked[start:end])))
    return drafts


def read_drafts(data: bytes, path: str) -> list[Draft]:
    """Every document in a .docx, its footnotes and endnotes keyed by their printed numbers."""
    package = _Package(data, path)
    main = package.relations("").get("officeDocument", DEFAULT_MAIN)
    if not package.has(main):
        main = DEFAULT_MAIN
    if not package.has(main):
        raise InputError(path, "not a Word document (a zip without word/document.xml)")
    root = package.xml(main)
    ns = etree.QName(root).namespace or ""
    if ns not in MAIN_NAMESPACES or etree.QName(root).localname != "document":
        raise InputError(path, f"not a Word document ({main} holds no w:document)")
    tags = _tags(ns)
    parts = package.relations(main)
    folder = posixpath.dirname(main)

    styles = NO_STYLES
    styles_part = parts.get("styles", posixpath.join(folder, "styles.xml"))
    if package.has(styles_part):
        try:
            styles = _style_sheet(package.read(styles_part), ns)
        except InputError:
            pass  # styles only inform the heading guess and list labels; the text does not need them

    numbering_part = parts.get("numbering", posixpath.join(folder, "numbering.xml"))

    @cache
    def list_definitions() -> dict[str, dict[int, _Level]]:
        try:
            return _list_definitions(package.read(numbering_part), ns) if package.has(numbering_part) else {}
        except InputError:
            return {}  # a damaged numbering part costs the list labels, not the document

    refs = _References()
    for kind, prefix in (("footnote", ""), ("endnote", "e")):
        part = parts.get(f"{kind}s", posixpath.join(folder, f"{kind}s.xml"))
        notes = _Notes(kind, prefix)
        if package.has(part):
            notes.load(package.xml(part), _Walker(tags, styles, _Lists(list_definitions), None))
        refs.kinds[kind] = notes

    body = root.find(tags.body)
    if body is None:
        return []
    paras = _Walker(tags, styles, _Lists(list_definitions), refs).blocks(body)
    return _drafts(paras, refs.notes)
