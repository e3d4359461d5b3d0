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
"""
from __future__ import annotations

import io
import posixpath
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from functools import cache, lru_cache

from lxml import etree

from despatch.errors import InputError
from despatch.parse import lines as L
from despatch.parse.front import FRONT_WINDOW, LONG_LINE
from despatch.parse.markers import TOKEN_RE, DraftNote, token
from despatch.parse.notes import split_original
from despatch.parse.structure import Draft
from despatch.readers import segment

# We read the package with zipfile and parse the few parts we need with lxml
# rather than open it with python-docx: python-docx has no API for footnotes or
# endnotes (we would be back at the raw XML anyway), it loads and parses every
# part of the package (styles, numbering, theme, images) whether needed or not,
# and it hides the parser settings and the zip member sizes that keep hostile
# files (zip bombs, entity tricks) harmless.

MAX_PART = 200 * 1024 * 1024  # no real document.xml comes near this; a zip bomb does
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # a password-protected .docx, or an old .doc, is an OLE file
ZIP_ERRORS = (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, struct.error, OSError, EOFError, ValueError,
              RuntimeError, NotImplementedError)
MAIN_NAMESPACES = (
    "http://schemas.openxmlformats.org/wordprocessingml/2006/main",  # Transitional: what everyone writes
    "http://purl.oclc.org/ooxml/wordprocessingml/main",  # Strict, which Word can save as
)
MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"
DEFAULT_MAIN = "word/document.xml"
TRUE_VALUES = frozenset(("1", "true", "on"))
SOFT_HYPHEN = "\xad"


def _parser() -> etree.XMLParser:
    # A docx may not carry a DTD, so entities are never expanded (no billion
    # laughs, no external files); huge_tree stays off so libxml2 keeps its
    # limits on nesting depth and text node size, which no real part reaches.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True, collect_ids=False)


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


# --- styles: which paragraphs are bold or headings --------------------------


def _toggle(el: etree._Element | None, val: str) -> bool | None:
    """A Word on/off property: `<w:b/>` and `<w:b w:val="1"/>` are on, `w:val="0"` is off, absent is None."""
    if el is None:
        return None
    value = el.get(val)
    return value is None or value.lower() in TRUE_VALUES


def _outline(ppr: etree._Element | None, t: _Tags) -> bool:
    """Whether paragraph properties give an outline level, Word's mark of a heading (level 9 is body text)."""
    level = ppr.find(t.outline) if ppr is not None else None
    return level is not None and level.get(t.val) != "9"


def _list_of(ppr: etree._Element | None, t: _Tags) -> tuple[str, int] | None:
    """The list (numId, level) that paragraph properties put a paragraph in; numId 0 takes it out of any list."""
    num = ppr.find(t.num_pr) if ppr is not None else None
    if num is None:
        return None
    num_id, level = num.find(t.num_id), num.find(t.ilvl)
    value = num_id.get(t.val) if num_id is not None else None
    if not value:
        return None
    return value, _int(level.get(t.val) if level is not None else None, 0)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class _Styles:
    """What the style sheet says about bold, headings and lists, each style resolved through `basedOn`."""

    resolved: dict[str, tuple[bool | None, bool, tuple[str, int] | None]]  # styleId -> bold, heading, list
    default_paragraph: str | None = None
    default_bold: bool = False

    def bold(self, sid: str | None) -> bool | None:
        found = self.resolved.get(sid) if sid else None
        return found[0] if found else None

    def is_heading(self, sid: str | None) -> bool:
        found = self.resolved.get(sid) if sid else None
        return found[1] if found else False

    def numbering(self, sid: str | None) -> tuple[str, int] | None:
        found = self.resolved.get(sid) if sid else None
        return found[2] if found else None


NO_STYLES = _Styles({})


def _read_styles(root: etree._Element, t: _Tags) -> _Styles:
    index: dict[str, etree._Element] = {}
    styles = _Styles({})
    for style in root.iterchildren(t.style):
        sid = style.get(t.style_id)
        if not sid:
            continue
        index.setdefault(sid, style)
        if style.get(t.type) == "paragraph" and (style.get(t.default) or "").lower() in TRUE_VALUES:
            styles.default_paragraph = sid
    defaults = root.find(t.doc_defaults)
    rpr = defaults.find(f"{t.rpr_default}/{t.rpr}") if defaults is not None else None
    if rpr is not None:
        styles.default_bold = bool(_toggle(rpr.find(t.b), t.val))
    for sid in index:
        bold: bool | None = None
        heading = False
        numbered: tuple[str, int] | None = None
        chain: str | None = sid
        for _ in range(20):  # basedOn may loop in a damaged style sheet
            style = index.get(chain) if chain else None
            if style is None:
                break
            rpr, ppr, name = style.find(t.rpr), style.find(t.ppr), style.find(t.name)
            if bold is None and rpr is not None:
                bold = _toggle(rpr.find(t.b), t.val)
            label = (name.get(t.val) or "").lower() if name is not None else ""
            heading = heading or label.startswith("heading") or label == "title" or _outline(ppr, t)
            numbered = numbered or _list_of(ppr, t)
            based = style.find(t.based_on)
            chain = based.get(t.val) if based is not None else None
        styles.resolved[sid] = (bold, heading, numbered)
    return styles


@lru_cache(maxsize=16)
def _style_sheet(data: bytes, ns: str) -> _Styles:
    """The resolved style sheet of a styles part; cached because a batch of files shares one template's styles."""
    try:
        return _read_styles(etree.fromstring(data, _parser()), _tags(ns))
    except etree.XMLSyntaxError:
        return NO_STYLES


# --- WordprocessingML element names, for one of the two namespaces -----------


class _Tags:
    """Clark names of the elements we look at, so the walk compares strings and never builds them."""

    def __init__(self, ns: str):
        def w(local: str) -> str:
            return f"{{{ns}}}{local}"

        self.ns = ns
        self.val = w("val")
        self.id = w("id")
        self.type = w("type")
        self.default = w("default")
        self.style_id = w("styleId")
        self.custom_mark = w("customMarkFollows")
        self.fld_type = w("fldCharType")
        self.body, self.p, self.r, self.t, self.tbl, self.tr, self.tc = (
            w("body"), w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc"))
        self.ppr, self.rpr, self.pstyle, self.rstyle, self.b = w("pPr"), w("rPr"), w("pStyle"), w("rStyle"), w("b")
        self.vanish, self.outline, self.dele = w("vanish"), w("outlineLvl"), w("del")
        self.footnote, self.endnote = w("footnote"), w("endnote")
        self.footnote_ref, self.endnote_ref = w("footnoteReference"), w("endnoteReference")
        self.fld_char = w("fldChar")
        self.num_pr, self.num_id, self.ilvl = w("numPr"), w("numId"), w("ilvl")
        self.num, self.abstract_num, self.abstract_num_id, self.lvl = (
            w("num"), w("abstractNum"), w("abstractNumId"), w("lvl"))
        self.start, self.num_fmt, self.lvl_text = w("start"), w("numFmt"), w("lvlText")
        self.lvl_override, self.start_override = w("lvlOverride"), w("startOverride")
        self.style, self.based_on, self.name = w("style"), w("basedOn"), w("name")
        self.doc_defaults, self.rpr_default = w("docDefaults"), w("rPrDefault")
        self.spaces = frozenset(map(w, ("tab", "ptab", "br", "cr")))
        self.hyphens = frozenset(map(w, ("noBreakHyphen",)))
        # Inline content that is never text: deleted or moved-away runs, properties, marks without content.
        self.skip_inline = frozenset(map(w, ("pPr", "del", "moveFrom", "sdtPr", "sdtEndPr", "rPr")))
        # Block content that is never text: section and table properties, imported chunks we cannot read.
        self.skip_block = frozenset(map(w, ("sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "sdtPr", "sdtEndPr",
                                            "altChunk", "del", "moveFrom")))
        self.alternate = f"{{{MC}}}AlternateContent"
        self.choice = f"{{{MC}}}Choice"


@cache
def _tags(ns: str) -> _Tags:
    return _Tags(ns)


# --- list numbering: the "1." and "(a)" Word prints but does not store in the text --


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""  # w:lvlText, "(%1)" or "%1.%2."


# A level's number inside its label text: "%1" in "(%1)".
LEVEL_REF_RE = re.compile(r"%([1-9])")
UNNUMBERED = frozenset(("bullet", "none"))  # a bullet is a symbol, not part of the text
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = []
    for value, digits in ROMAN:
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    """A list counter as Word prints it in one of its common number formats."""
    if fmt in ("lowerLetter", "upperLetter") and 0 < n <= 26 * 20:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word goes on "aa", "bb" after "z"
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _level(lvl: etree._Element, t: _Tags) -> _Level:
    start, fmt, text = lvl.find(t.start), lvl.find(t.num_fmt), lvl.find(t.lvl_text)
    return _Level(start=_int(start.get(t.val) if start is not None else None, 1),
                  fmt=(fmt.get(t.val) if fmt is not None else None) or "decimal",
                  text=(text.get(t.val) if text is not None else None) or "")


def _read_lists(root: etree._Element, t: _Tags) -> dict[str, dict[int, _Level]]:
    """numId -> level -> how its label is printed, abstract definitions and overrides resolved."""
    abstract: dict[str | None, dict[int, _Level]] = {}
    for definition in root.iter(t.abstract_num):
        abstract[definition.get(t.abstract_num_id)] = {
            _int(lvl.get(t.ilvl), 0): _level(lvl, t) for lvl in definition.iterchildren(t.lvl)}
    lists: dict[str, dict[int, _Level]] = {}
    for num in root.iter(t.num):
        ref = num.find(t.abstract_num_id)
        levels = dict(abstract.get(ref.get(t.val) if ref is not None else None) or {})
        for override in num.iterchildren(t.lvl_override):
            k = _int(override.get(t.ilvl), 0)
            lvl = override.find(t.lvl)
            if lvl is not None:
                levels[k] = _level(lvl, t)
            start = override.find(t.start_override)
            if start is not None and k in levels:
                levels[k] = replace(levels[k], start=_int(start.get(t.val), 1))
        num_id = num.get(t.num_id)
        if num_id:
            lists[num_id] = levels
    return lists


@lru_cache(maxsize=16)
def _list_definitions(data: bytes, ns: str) -> dict[str, dict[int, _Level]]:
    """The list definitions of a numbering part, cached like the style sheet."""
    try:
        return _read_lists(etree.fromstring(data, _parser()), _tags(ns))
    except etree.XMLSyntaxError:
        return {}


class _Lists:
    """The labels of numbered paragraphs, counted in reading order; numbering.xml is read on first need."""

    def __init__(self, load: Callable[[], dict[str, dict[int, _Level]]]):
        self._load = load
        self._defs: dict[str, dict[int, _Level]] | None = None
        self.counters: dict[str, list[int | None]] = {}

    def label(self, num_id: str, level: int) -> str:
        if self._defs is None:
            self._defs = self._load()
        levels = self._defs.get(num_id)
        if not levels or level not in levels or not 0 <= level <= 8:
            return ""
        counts = self.counters.setdefault(num_id, [None] * 9)
        current = counts[level]
        counts[level] = levels[level].start if current is None else current + 1
        for deeper in range(level + 1, 9):
            counts[deeper] = None  # a new item restarts the levels under it
        if levels[level].fmt in UNNUMBERED:
            return ""

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            value = counts[k]
            return _format_number(levels[k].start if value is None else value, levels[k].fmt)

        return LEVEL_REF_RE.sub(number, levels[level].text).strip()


# --- text ------------------------------------------------------------------


@dataclass
class _Para:
    """One logical line and whether the raw form marks it the way headings are marked."""

    text: str
    marked: bool = False  # all bold, or in a Heading style


@dataclass
class _Paragraph:
    """A w:p as read: its text pieces and what tells whether it is a heading."""

    pieces: list[str] = field(default_factory=list)
    bold: int = 0  # runs with visible text set in bold
    plain: int = 0  # runs with visible text not in bold
    heading_style: bool = False
    mark_deleted: bool = False  # its paragraph mark is a tracked deletion: it runs on into the next one

    def line(self) -> _Para:
        return _Para(_clean("".join(self.pieces)), (self.bold > 0 and self.plain == 0) or self.heading_style)


class _Walker:
    """Reads paragraphs and tables into lines, one pass over the tree, tokens where notes are referenced."""

    def __init__(self, tags: _Tags, styles: _Styles, lists: _Lists, refs: _References | None):
        self.t = tags
        self.styles = styles
        self.lists = lists
        self.refs = refs
        # Complex fields (`fldChar` begin / separate / end) may span runs and
        # paragraphs; True on the stack while inside a field's code, whose text
        # is never shown.
        self.fields: list[bool] = []
        self.custom_key: str | None = None

    # block level

    def blocks(self, parent: etree._Element) -> list[_Para]:
        out: list[_Para] = []
        held: _Paragraph | None = None
        for el in self._block_elements(parent):
            if el.tag == self.t.tbl:
                out.extend(_Para(row) for row in self.table_rows(el))
                continue
            para = self.paragraph(el)
            if held is not None:
                held.pieces.extend(para.pieces)
                held.bold, held.plain = held.bold + para.bold, held.plain + para.plain
                held.mark_deleted = para.mark_deleted
                para, held = held, None
            if para.mark_deleted:
                held = para
                continue
            out.append(para.line())
        if held is not None:
            out.append(held.line())
        return out

    def _block_elements(self, parent: etree._Element) -> Iterator[etree._Element]:
        """Paragraphs and tables in order, through content controls and custom XML wrappers."""
        t = self.t
        for el in parent:
            tag = el.tag
            if tag == t.p or tag == t.tbl:
                yield el
            elif tag == t.alternate:
                choice = el.find(t.choice)
                if choice is not None:
                    yield from self._block_elements(choice)
            elif isinstance(tag, str) and tag not in t.skip_block:
                yield from self._block_elements(el)

    def table_rows(self, tbl: etree._Element) -> list[str]:
        """One line per row, the cells' words joined by spaces; a nested table's rows run on inside its cell."""
        rows: list[str] = []
        for row in self._descend(tbl, self.t.tr):
            cells = []
            for cell in self._descend(row, self.t.tc):
                parts = []
                for el in self._block_elements(cell):
                    if el.tag == self.t.tbl:
                        parts.extend(self.table_rows(el))
                    else:
                        parts.append("".join(self.paragraph(el).pieces))
                cells.append(" ".join(parts))
            rows.append(_clean(" ".join(cells)))
        return rows

    def _descend(self, parent: etree._Element, wanted: str) -> Iterator[etree._Element]:
        t = self.t
        for el in parent:
            if el.tag == wanted:
                yield el
            elif isinstance(el.tag, str) and el.tag not in t.skip_block and el.tag not in (t.tbl, t.p):
                yield from self._descend(el, wanted)

    # inline level

    def paragraph(self, p: etree._Element) -> _Paragraph:
        t, styles = self.t, self.styles
        para = _Paragraph()
        ppr = p.find(t.ppr)
        style_el = ppr.find(t.pstyle) if ppr is not None else None
        style = style_el.get(t.val) if style_el is not None else styles.default_paragraph
        if ppr is not None:
            mark = ppr.find(t.rpr)
            para.mark_deleted = mark is not None and mark.find(t.dele) is not None
            para.heading_style = _outline(ppr, t) if ppr.find(t.outline) is not None else styles.is_heading(style)
            numbered = _list_of(ppr, t) or styles.numbering(style)
        else:
            para.heading_style = styles.is_heading(style)
            numbered = styles.numbering(style)
        if numbered is not None and numbered[0] != "0":
            label = self.lists.label(*numbered)
            if label:
                para.pieces.append(label + " ")
        para_bold = styles.bold(style)
        self._inline(p, para, styles.default_bold if para_bold is None else para_bold)
        if self.fields and any(self.fields):
            # A field's result may run over many paragraphs (a table of contents), its code
            # never does: a code left open is a damaged field, and must not hide the rest.
            self.fields = [in_code for in_code in self.fields if not in_code]
        return para

    def _inline(self, parent: etree._Element, para: _Paragraph, para_bold: bool) -> None:
        t = self.t
        for el in parent:
            tag = el.tag
            if tag == t.r:
                self._run(el, para, para_bold)
            elif tag == t.alternate:
                choice = el.find(t.choice)
                if choice is not None:
                    self._inline(choice, para, para_bold)
            elif isinstance(tag, str) and tag not in t.skip_inline:
                # hyperlinks, inserted text, smart tags, simple fields, content controls
                self._inline(el, para, para_bold)

    def _run(self, r: etree._Element, para: _Paragraph, para_bold: bool) -> None:
        t = self.t
        pieces = para.pieces
        bold = para_bold
        for el in r:
            tag = el.tag
            if tag == t.t:
                text = el.text
                if not text or (self.fields and any(self.fields)):
                    continue
                if self.custom_key is not None and self.refs is not None:
                    # the symbol printed in place of a number ("*") belongs to the marker, not the text
                    self.refs.mark(self.custom_key, text.strip())
                    self.custom_key = None
                    continue
                pieces.append(text)
                if not text.isspace():
                    if bold:
                        para.bold += 1
                    else:
                        para.plain += 1
            elif tag == t.rpr:
                if _toggle(el.find(t.vanish), t.val):
                    return  # hidden text is not printed
                direct = _toggle(el.find(t.b), t.val)
                if direct is None:
                    style = el.find(t.rstyle)
                    if style is not None:
                        direct = self.styles.bold(style.get(t.val))
                bold = para_bold if direct is None else direct
            elif tag in t.spaces:
                if not (self.fields and any(self.fields)):
                    pieces.append(" ")
            elif tag in t.hyphens:
                pieces.append("-")
            elif tag == t.fld_char:
                kind = el.get(t.fld_type)
                if kind == "begin":
                    self.fields.append(True)
                elif kind == "separate" and self.fields:
                    self.fields[-1] = False
                elif kind == "end" and self.fields:
                    self.fields.pop()
            elif (tag == t.footnote_ref or tag == t.endnote_ref) and self.refs is not None:
                custom = (el.get(t.custom_mark) or "").lower() in TRUE_VALUES
                key = self.refs.key("footnote" if tag == t.footnote_ref else "endnote", el.get(t.id), custom)
                if key:
                    pieces.append(token(key))
                    self.custom_key = key if custom else None
        self.custom_key = None


def _clean(text: str) -> str:
    """One line: soft hyphens out, every run of whitespace (tabs, breaks, no-break spaces) one space."""
    if SOFT_HYPHEN in text:
        text = text.replace(SOFT_HYPHEN, "")
    return " ".join(text.split())


# --- notes -----------------------------------------------------------------


class _Notes:
    """The notes of one kind (footnotes or endnotes) by id, numbered as Word prints them when first referenced."""

    def __init__(self, kind: str, prefix: str):
        self.kind = kind
        self.prefix = prefix  # keeps endnote keys apart from footnote keys; the printed number is in DraftNote.n
        self.texts: dict[str, str] = {}
        self.count = 0

    def load(self, root: etree._Element, walker: _Walker) -> None:
        tags = walker.t
        element = tags.footnote if self.kind == "footnote" else tags.endnote
        for note in root.iter(element):
            if note.get(tags.type) not in (None, "normal"):
                continue  # separator, continuationSeparator, continuationNotice: rules, not notes
            note_id = note.get(tags.id)
            if note_id is not None:
                self.texts[note_id] = " ".join(p.text for p in walker.blocks(note) if p.text)


class _References:
    """Hands out a key for each reference in the text, in order, and collects the notes under those keys."""

    def __init__(self) -> None:
        self.kinds: dict[str, _Notes] = {}
        self.notes: dict[str, DraftNote] = {}
        self.custom = 0

    def key(self, kind: str, note_id: str | None, custom_mark: bool) -> str:
        """The key of the note `note_id` referenced here, or "" for a reference to no note."""
        notes = self.kinds.get(kind)
        if notes is None or note_id is None or note_id not in notes.texts:
            return ""
        text, original = split_original(notes.texts[note_id])
        if custom_mark:
            # a custom mark ("*") takes no number in Word's sequence; its symbol is read from the run
            self.custom += 1
            key = f"c{self.custom}"
            n = None
        else:
            notes.count += 1
            key = f"{notes.prefix}{notes.count}"
            n = str(notes.count)
        self.notes[key] = DraftNote(text=text, n=n, original=original)
        return key

    def mark(self, key: str, symbol: str) -> None:
        if symbol:
            self.notes[key].n = symbol


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
