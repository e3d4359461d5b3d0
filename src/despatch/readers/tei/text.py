"""The base of the document reader: notes, the inline elements of a block's text and the spans they cover,
and the block with its marks, mentions and styles."""
from __future__ import annotations

from collections.abc import Callable
from typing import cast, get_args

from lxml import etree

from despatch.model import (
    Anchor,
    Block,
    BlockKind,
    Document,
    EditorialMark,
    MarkKind,
    Mention,
    MentionKind,
    Note,
    NoteKind,
    Part,
    Style,
)
from despatch.parse.marks import find_marks
from despatch.parse.notes import note_kind, split_original
from despatch.readers.tei.markup import DROPPED, _local, _precision
from despatch.readers.tei.runs import _Run, _Span, _Squashed
from despatch.readers.tei.volume import _Volume

MENTION_KINDS: dict[str, MentionKind] = {"persName": "person", "placeName": "place", "orgName": "org", "date": "date"}
# The kinds the model knows, which our writer puts in @type and @subtype.
NOTE_KINDS = set(get_args(NoteKind)) - {"source"}
MARK_KINDS = set(get_args(MarkKind))

# Says what an element inside a block's text stands for ("from", "mention", "place", ...), or None.
Roles = Callable[[etree._Element], "str | None"]


def _ref(el: etree._Element) -> str | None:
    raw = el.get("corresp") or el.get("ref")
    if not raw:
        return None
    return " ".join(token.lstrip("#") for token in raw.split()) or None


class _TextReader:
    """What every part of a document is read with: its notes, the inline text of its blocks, the blocks."""

    def __init__(self, volume: _Volume, doc: Document, enclosure: bool):
        self.volume = volume
        self.doc = doc
        self.enclosure = enclosure

    # ---- notes -------------------------------------------------------------------------

    def loose_note(self, el: etree._Element) -> None:
        """A note standing between blocks: a source note, or a footnote no text anchors."""
        note = self.note(el)
        if note is None:
            return
        if note.kind == "source" and self.enclosure and self.doc.label is None:
            self.doc.label = note.text
            return
        self.doc.notes.append(note)

    def note(self, el: etree._Element) -> Note | None:
        """The note element as a Note, anchor not yet set; None for an empty one."""
        run = self.walk(el, _Run(), _text_role, keep_notes=True)
        sq = run.finish()
        if not sq.text:
            return None
        if el.get("type") == "source":
            return Note(text=sq.text, kind="source")
        text, original = split_original(sq.text)
        cut = len(sq.text) - len(text)
        marks, mentions, styles = _decorations(sq, run, text, cut)
        typed = el.get("type")
        kind = cast(NoteKind, typed) if typed in NOTE_KINDS else note_kind(text)
        return Note(text=text, n=el.get("n"), kind=kind, original=original or el.get("subtype") == "original",
                    marks=marks, mentions=mentions, styles=styles)

    def anchor(self, run: _Run, sq: _Squashed, part: Part, index: int) -> None:
        for raw_pos, note in run.points:
            note.anchor = Anchor(part, index, sq.left(raw_pos))
            self.doc.notes.append(note)

    # ---- inline text ---------------------------------------------------------------------

    def walk(self, el: etree._Element, run: _Run, roles: Roles, keep_notes: bool = False) -> _Run:
        """All the text of el into run, its descendants inline."""
        run.add(el.text)
        for child in el:
            self.inline(child, run, roles, keep_notes)
            run.add(child.tail)
        return run

    def inline(self, el: etree._Element, run: _Run, roles: Roles, keep_notes: bool = False) -> None:
        """One element inside a block's text (its tail is the caller's)."""
        name = _local(el)
        if not name or name in DROPPED:
            if name == "pb":
                run.add(" ")  # a page break between two words still parts them
            return
        if name == "lb":
            run.add(" ")
            return
        if name == "note" and not keep_notes:
            if el.get("type") == "source":
                note = self.note(el)
                if note is not None:
                    self.doc.notes.append(note)
            elif (note := self.note(el)) is not None:
                run.points.append((run.size, note))
            return
        role = roles(el)
        span = _Span(role, el, run.size) if role else None
        self.walk(el, run, roles, keep_notes)
        if span is not None:
            span.end = run.size
            run.spans.append(span)

    # ---- blocks ----------------------------------------------------------------------------

    def block(self, sq: _Squashed, run: _Run, kind: BlockKind) -> Block:
        marks, mentions, styles = _decorations(sq, run, sq.text, 0)
        return Block(sq.text, kind=kind, marks=marks, mentions=mentions, styles=styles)


def _text_role(el: etree._Element) -> str | None:
    """What an element inside running text stands for: a mention, an editorial mark, a style."""
    name = _local(el)
    if name in MENTION_KINDS:
        return "mention"
    if name == "seg" and el.get("type") == "editorial":
        return "mark"
    if name == "hi" and el.get("rend"):
        return "style"
    return None


def _decorations(sq: _Squashed, run: _Run, text: str, cut: int) -> tuple[list[EditorialMark], list[Mention], list[Style]]:
    """Marks, mentions and styles of a run whose squashed text lost its first `cut` characters (to `text`)."""
    marks: list[EditorialMark] = []
    mentions: list[Mention] = []
    styles: list[Style] = []
    for span in run.spans:
        start, end = sq.cut(span)
        start, end = start - cut, end - cut
        if start < 0 or start >= end:
            continue
        if span.role == "mark":
            # despatch writes an editor's comment as seg inside its brackets ("[<seg>Sic</seg>]");
            # the mark itself includes them.
            if text[start - 1:start] == "[" and text[end:end + 1] == "]":
                start, end = start - 1, end + 1
            subtype = span.el.get("subtype")
            kind = cast(MarkKind, subtype) if subtype in MARK_KINDS else "editorial"
            marks.append(EditorialMark(kind=kind, start=start, end=end, text=text[start:end]))
        elif span.role == "mention":
            mentions.append(_mention(span.el, start, end, text[start:end]))
        elif span.role == "style":
            styles.append(Style(start, end, span.el.get("rend", "")))
    # Brackets no seg covers (all of them in FRUS, whose editors did not tag them;
    # those despatch left untagged inside a word) are found as the text readers find them.
    for mark in find_marks(text):
        if not any(m.start < mark.end and mark.start < m.end for m in marks):
            marks.append(mark)
    marks.sort(key=lambda m: m.start)
    mentions.sort(key=lambda m: (m.start, -m.end))
    styles.sort(key=lambda s: (s.start, -s.end))
    return marks, mentions, styles


def _mention(el: etree._Element, start: int, end: int, text: str) -> Mention:
    kind = MENTION_KINDS[_local(el)]
    value = el.get("when") if kind == "date" else None
    precision = _precision(value) if value else None
    return Mention(kind=kind, start=start, end=end, text=text, ref=_ref(el), value=value, precision=precision)
