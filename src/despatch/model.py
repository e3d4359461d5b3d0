"""The document model: what every reader produces, annotators enrich and writers consume.

Nothing else in despatch defines document data. A raw file becomes one or more
`Document`s; each keeps its text in `Block`s (heading, dateline, paragraphs,
closer lines) and everything that points into the text (footnote anchors,
editorial marks, mentions) points at a block and a character offset in it, so
no writer ever has to re-find a marker in the text.

Offsets are Python string indices (code points) into `Block.text`, half-open
`[start, end)`.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Part = Literal["head", "dateline", "body", "closer"]
BlockKind = Literal["p", "item", "quote", "label", "table", "salute", "signed", "line"]
NoteKind = Literal["source", "citation", "biographical", "editorial"]
MarkKind = Literal["sic", "correction", "insertion", "omission", "illegible", "editorial"]
MentionKind = Literal["person", "place", "org", "date"]
Precision = Literal["year", "season", "month", "day", "minute"]
MentionForm = Literal["name", "office", "pronoun"]


@dataclass
class EditorialMark:
    """An editor's intervention printed inside the text: `[Sic]`, `[on June 4]`, `[. . .]`.

    Kinds: "sic"; "correction" (a right figure or date: "August 7 [8]"); "insertion" (words
    supplied: "[For] War Trade Board"); "omission" ("[. . .]"); "illegible" ("[garbled]").
    """

    kind: MarkKind
    start: int
    end: int
    text: str


@dataclass
class Style:
    """Typography printed in the source: "smallcaps" for a salutation, "italic" for a foreign word."""

    start: int
    end: int
    rend: str


@dataclass
class Mention:
    """A person, place, organization or date named in a block of text.

    A person mention keeps its title or rank ("General Burrows", "Mr. Seward");
    `name_start` says where the name itself begins, for writers that mark the
    name apart from a form of address. `form` tells a name from a reference by
    office ("the Ambassador") or pronoun ("I"), which are linked but not names.
    """

    kind: MentionKind
    start: int
    end: int
    text: str
    ref: str | None = None  # id of the index entry it is linked to
    value: str | None = None  # normalised form: ISO 8601 for dates, canonical name otherwise
    precision: Precision | None = None  # dates only
    why: str | None = None  # how it was found and linked, for the reader who asks
    form: MentionForm = "name"
    name_start: int | None = None  # persons: where the name proper begins, after a form of address


@dataclass
class Block:
    """A run of text: a paragraph, a list item, a heading, a closer line."""

    text: str
    kind: BlockKind = "p"
    marks: list[EditorialMark] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    styles: list[Style] = field(default_factory=list)


@dataclass
class Anchor:
    """Where a footnote marker stood: a part of the document, a block in it, an offset in that block."""

    part: Part
    block: int = 0
    offset: int = 0


@dataclass
class Note:
    """A footnote. `anchor` is None for a source line printed above the heading."""

    text: str
    n: str | None = None  # the number printed at the marker, as printed
    kind: NoteKind = "editorial"
    anchor: Anchor | None = None
    original: bool = False  # marked "[Orig. Note]" in the source
    running_n: str | None = None  # the printed volume's running note number, when the raw form kept it
    marks: list[EditorialMark] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    styles: list[Style] = field(default_factory=list)


@dataclass
class Party:
    """A sender or recipient: "The Ambassador in the Soviet Union (Harriman)" has both office and name."""

    text: str
    name: str | None = None
    office: str | None = None
    # Where the name (or, for a party named only by office, the office) stands
    # in the heading's text; None when the party did not come from the heading.
    start: int | None = None
    end: int | None = None


@dataclass
class DocDate:
    """A date as printed and as ISO 8601 (`1918-12-27T19:00:00`, `1944-06-11`, `1925-09`)."""

    text: str
    when: str | None = None
    precision: Precision | None = None

    @property
    def day(self) -> str | None:
        return self.when[:10] if self.when and len(self.when) >= 10 else None

    @property
    def time(self) -> str | None:
        return self.when[11:16] if self.when and len(self.when) > 11 else None


@dataclass
class Document:
    """One diplomatic document: a telegram, despatch, letter, memorandum, note...

    Enclosures and attachments are documents of their own in `enclosures`,
    each with its own heading, dateline, body, closer and notes.
    """

    id: str
    head: Block = field(default_factory=lambda: Block("", kind="label"))
    number: str | None = None  # the edition's document number ("170")
    label: str | None = None  # an enclosure's caption: "[Inclosure 1.—Translation.]"
    senders: list[Party] = field(default_factory=list)
    recipients: list[Party] = field(default_factory=list)
    dateline: Block | None = None
    place: str | None = None
    date: DocDate | None = None
    received: DocDate | None = None  # "[Received 9 p.m.]"
    channel: str | None = None  # telegram, despatch, letter, memorandum, note, instruction...
    classification: list[str] = field(default_factory=list)  # "Secret", "Personal for the President"
    file_numbers: list[str] = field(default_factory=list)  # "740.0011 European War 1939/6-1244"
    body: list[Block] = field(default_factory=list)
    closer: list[Block] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    enclosures: list[Document] = field(default_factory=list)
    source_file: str | None = None
    source_format: str | None = None  # the reader that produced it
    warnings: list[str] = field(default_factory=list)
    # What the source edition's own index (FRUS's list of persons) says of the people this
    # document names: the annotators' index takes their names and descriptions from it.
    edition_index: list[Entity] = field(default_factory=list)

    @property
    def source_notes(self) -> list[Note]:
        return [n for n in self.notes if n.kind == "source"]

    @property
    def footnotes(self) -> list[Note]:
        """Every note that is not the source note, in the order of the text."""
        return [n for n in self.notes if n.kind != "source"]

    @property
    def signed(self) -> str | None:
        return next((b.text for b in self.closer if b.kind == "signed"), None)

    def blocks(self, part: Part) -> list[Block]:
        """The blocks of one part of the document, the frame of every `Anchor`."""
        if part == "head":
            return [self.head]
        if part == "dateline":
            return [self.dateline] if self.dateline is not None else []
        if part == "body":
            return self.body
        return self.closer

    def text_holders(self) -> list[Block | Note]:
        """Every block and note of this document (not its enclosures): all that holds text and mentions."""
        holders: list[Block | Note] = [self.head]
        if self.dateline is not None:
            holders.append(self.dateline)
        return holders + self.body + self.closer + self.notes

    def all_documents(self) -> list[Document]:
        """This document and its enclosures, depth first."""
        out = [self]
        for enc in self.enclosures:
            out.extend(enc.all_documents())
        return out


@dataclass
class Office:
    """An office a person held, as a heading or note gives it, with the dates it was seen."""

    title: str
    first_seen: str | None = None  # ISO dates of the first and last documents naming it
    last_seen: str | None = None


@dataclass
class Entity:
    """An entry of the index: one person, place or organization, however often and variously named."""

    id: str
    kind: MentionKind
    name: str  # the fullest name known: "Montagu Brocas Burrows"
    forms: list[str] = field(default_factory=list)  # every form met: "General Burrows", "Burrows"
    description: str | None = None  # from a biographical note or an edition's list of persons
    offices: list[Office] = field(default_factory=list)
    documents: list[str] = field(default_factory=list)  # ids of documents that name it
    modern_name: str | None = None  # places: "Beijing" for Peking
    latitude: float | None = None
    longitude: float | None = None
    why: str | None = None  # where the entry came from
