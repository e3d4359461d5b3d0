"""The body and the closer: block-level elements (p, list, table, quote) as blocks, the closer's lines."""
from __future__ import annotations

import re

from lxml import etree

from despatch.model import Anchor, BlockKind
from despatch.readers.tei.markup import DROPPED, _local
from despatch.readers.tei.runs import _Run
from despatch.readers.tei.text import _text_role, _TextReader

# Block structures that end the paragraph they stand in ("... reads as follows: <quote>").
SPLITTERS = {"p", "list", "table", "quote"}
# What a closer line may be without being worth a block: the "." after <signed>.
PUNCTUATION_ONLY = re.compile(r"^[\s.,;:\u2014\u2013-]*$")


class _BodyReader(_TextReader):
    """Reads the body and the closer of a document into blocks."""

    # ---- body -----------------------------------------------------------------------

    def body(self, el: etree._Element, p_kind: BlockKind) -> None:
        """A block-level element of the body, as one or more blocks."""
        name = _local(el)
        if name == "p":
            self.flow(el, p_kind)
        elif name == "list":
            for sub in el:
                sub_name = _local(sub)
                if sub_name in ("label", "head"):
                    self.flow(sub, "label")
                elif sub_name == "item":
                    self.flow(sub, "item")
                elif sub_name == "note":
                    self.loose_note(sub)
                elif sub_name and sub_name not in DROPPED:
                    self.body(sub, "p")
        elif name == "table":
            for sub in el:
                if _local(sub) == "head":
                    self.flow(sub, "label")
                elif _local(sub) == "row":
                    self.row(sub)
        elif name == "quote":
            self.flow(el, "quote")
        elif name in ("item", "label"):
            self.flow(el, "item" if name == "item" else "label")
        else:
            self.flow(el, "p")

    def flow(self, el: etree._Element, kind: BlockKind) -> None:
        """The text of el as a block of `kind`; a list, table, quote or p inside it ends the block there."""
        inner_p: BlockKind = "quote" if kind == "quote" else "p"
        run = _Run()
        run.add(el.text)
        for child in el:
            name = _local(child)
            if name in SPLITTERS:
                self.flush(run, kind)
                self.body(child, inner_p)
                run = _Run()
            else:
                self.inline(child, run, _text_role)
            run.add(child.tail)
        self.flush(run, kind)

    def row(self, el: etree._Element) -> None:
        run = _Run()
        for cell in el:
            if _local(cell) == "cell":
                if run.size:
                    run.add(" ")
                self.walk(cell, run, _text_role)
        self.flush(run, "table")

    def flush(self, run: _Run, kind: BlockKind) -> None:
        if run.empty():
            return
        sq = run.finish()
        body = self.doc.body
        if not sq.text and body:
            # Only a note left over (after a nested list, say): it follows the block before.
            for _, note in run.points:
                note.anchor = Anchor("body", len(body) - 1, len(body[-1].text))
                self.doc.notes.append(note)
            return
        body.append(self.block(sq, run, kind))
        self.anchor(run, sq, "body", len(body) - 1)

    # ---- closer ------------------------------------------------------------------------

    def closer(self, el: etree._Element) -> None:
        line = _Run()
        line.add(el.text)
        for child in el:
            name = _local(child)
            if name in ("signed", "salute"):
                self.closer_run(line)
                self.closer_block(child, "signed" if name == "signed" else "salute")
                line = _Run()
            elif name in ("lb", "dateline"):
                self.closer_run(line)
                line = _Run()
                if name == "dateline":
                    self.closer_line(child)
            elif name in SPLITTERS:
                self.closer_run(line)
                self.closer_line(child)
                line = _Run()
            else:
                self.inline(child, line, _text_role)
            line.add(child.tail)
        self.closer_run(line)

    def closer_block(self, el: etree._Element, kind: BlockKind) -> None:
        run = self.walk(el, _Run(), _text_role)
        self.closer_run(run, kind, keep=True)

    def closer_line(self, el: etree._Element) -> None:
        self.closer_run(self.walk(el, _Run(), _text_role))

    def closer_run(self, run: _Run, kind: BlockKind = "line", keep: bool = False) -> None:
        if run.empty():
            return
        sq = run.finish()
        closer = self.doc.closer
        if not keep and PUNCTUATION_ONLY.match(sq.text) and closer:
            # The "." printed after a signature is not a line of its own; a note on it
            # goes with the block before.
            for _, note in run.points:
                note.anchor = Anchor("closer", len(closer) - 1, len(closer[-1].text))
                self.doc.notes.append(note)
            return
        if PUNCTUATION_ONLY.match(sq.text) and not run.points and not keep:
            return
        closer.append(self.block(sq, run, kind))
        self.anchor(run, sq, "closer", len(closer) - 1)
