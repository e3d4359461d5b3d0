"""The heading and the dateline: the parties, tagged or parsed, and the document's place, date and receipt."""
from __future__ import annotations

import re

from lxml import etree

from despatch.model import DocDate, Party
from despatch.parse.dates import parse_received
from despatch.parse.heading import parse_parties
from despatch.parse.lines import parse_dateline
from despatch.readers.tei.markup import _local, _precision
from despatch.readers.tei.runs import _Run
from despatch.readers.tei.text import _text_role, _TextReader

PARTY_TYPES = ("from", "to")
# A place name's own trailing punctuation, as FRUS tags it: "Washington," -> "Washington";
# a final abbreviation keeps its period ("Washington, D. C.").
PLACE_TRAIL = re.compile(r"(?:[\s,;:]+|(?<=\w{3})\.)+$")


class _HeadingReader(_TextReader):
    """Reads the heading and the dateline of a document."""

    # ---- heading and dateline -----------------------------------------------------

    def head(self, el: etree._Element) -> None:
        run = self.walk(el, _Run(), _head_role)
        sq = run.finish()
        block = self.block(sq, run, "label")
        self.doc.head = block
        self.anchor(run, sq, "head", 0)
        parties: dict[str, list[Party]] = {"from": [], "to": []}
        for span in run.spans:
            if span.role in PARTY_TYPES:
                start, end = sq.cut(span)
                if start < end:
                    value = sq.text[start:end]
                    named = _local(span.el) == "persName"
                    parties[span.role].append(Party(text=value, name=value if named else None,
                                                    office=None if named else value, start=start, end=end))
        if parties["from"] or parties["to"]:
            _offices(sq.text, parties)
        elif not self.volume.parties_tagged:
            parties["from"], parties["to"] = parse_parties(sq.text)
        self.doc.senders, self.doc.recipients = parties["from"], parties["to"]

    def dateline(self, el: etree._Element) -> None:
        run = self.walk(el, _Run(), _dateline_role)
        sq = run.finish()
        doc = self.doc
        doc.dateline = self.block(sq, run, "line")
        self.anchor(run, sq, "dateline", 0)
        place = date = received = None
        for span in run.spans:
            start, end = sq.cut(span)
            text = sq.text[start:end] if start < end else ""
            if span.role == "place" and place is None and text:
                place = PLACE_TRAIL.sub("", text) or text
            elif span.role == "received" and received is None:
                when = span.el.get("when") or span.el.get("when-iso")
                received = DocDate(text=text, when=when, precision=_precision(when) if when else None)
            elif span.role == "date" and date is None and span.el.get("when"):
                when = span.el.get("when", "")
                date = DocDate(text=text, when=when, precision=_precision(when))
        if not self.volume.datelines_tagged:
            # An untagged dateline (a TEI file from elsewhere): read it as the text readers do.
            parsed = parse_dateline(sq.text)
            if parsed is not None:
                place, date, received = parsed.place, parsed.date, parsed.received
        if received is None:
            received = parse_received(sq.text, date)
        doc.place, doc.date, doc.received = place, date, received


def _head_role(el: etree._Element) -> str | None:
    """In a heading, persName/gloss/roleName with @type from|to are the parties."""
    if _local(el) in ("persName", "gloss", "roleName") and el.get("type") in PARTY_TYPES:
        return el.get("type")
    return _text_role(el)


def _dateline_role(el: etree._Element) -> str | None:
    """In a dateline, placeName and date are the document's place and date, not mentions."""
    name = _local(el)
    if name == "placeName":
        return "place"
    if name == "date":
        return "received" if el.get("type") == "received" else "date"
    return _text_role(el)


def _offices(head: str, parties: dict[str, list[Party]]) -> None:
    """Offices for tagged names, from the heuristic parse of the same heading.

    "The Ambassador in France (Herrick) to the Secretary of State": FRUS tags
    only "Herrick"; the parser's sender with that name knows the office.
    """
    parsed = dict(zip(PARTY_TYPES, parse_parties(head), strict=True))
    for role in PARTY_TYPES:
        for party in parties[role]:
            if party.name is None:
                continue
            match = next((p for p in parsed[role] if p.name == party.name or (
                p.start is not None and p.end is not None and party.start is not None and party.end is not None
                and p.start < party.end and party.start < p.end)), None)
            if match is not None:
                party.office = match.office
                party.text = match.text
