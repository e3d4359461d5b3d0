"""Text and notes: paragraphs and tables walked into lines, with a token where a note is referenced, and the
footnotes and endnotes keyed as Word numbers them."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

from despatch.parse.markers import DraftNote, token
from despatch.parse.notes import split_original
from despatch.readers.docx.lists import _Lists
from despatch.readers.docx.markup import _Tags
from despatch.readers.docx.styles import TRUE_VALUES, _list_of, _outline, _Styles, _toggle

SOFT_HYPHEN = "\xad"


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
