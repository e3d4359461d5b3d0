"""A file's documents as the rows a store keeps: the work of ingest that needs no database.

`prepare_documents` files every mention under its index entry (with the
editor's curation applied, see `annotate.index.Curation`), then turns each
document into `DocumentRows`: the columns a result list shows, the texts the
full-text index reads, the notes, mentions and parties as rows, the facet
terms a search counts, and the whole document as stored bytes. It runs in the
worker processes of an ingest, so the process that writes the store only
executes inserts; and it knows no SQL, so every backend stores the same rows.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import NamedTuple, cast

from despatch.annotate.index import Curation, Index, entity_id
from despatch.annotate.text import texts
from despatch.corpus.codec import encode_document
from despatch.model import Block, Document, Entity, Mention, MentionKind, Note, Party

# Facets a document is filed under. The first six are `api.FACETS`; "month" draws the
# histogram and the chronology; the *_mentioned facets list where a place or an
# organization is named, for its index page.
TERM_FACETS = ("sender", "recipient", "place", "person", "channel", "year", "month",
               "place_mentioned", "org_mentioned")
ENTITY_FACET = {"person": "person", "place": "place_mentioned", "org": "org_mentioned"}
# Sorts after every ISO date, so undated documents come last in the chronology.
UNDATED = "~"


class PartyRow(NamedTuple):
    role: str  # "from" or "to"
    position: int
    text: str
    name: str | None
    office: str | None
    ref: str | None  # the index entry the heading's mention of the party links to


class NoteRow(NamedTuple):
    part: int  # which of `Document.all_documents()` holds the note: 0 the document, 1... its enclosures
    position: int
    n: str | None
    kind: str
    text: str
    anchor_part: str | None
    anchor_block: int | None
    anchor_offset: int | None


class MentionRow(NamedTuple):
    seq: int
    part: int  # as NoteRow.part
    holder: str  # "head", "dateline", "body", "closer" or "note"
    block: int
    start: int
    end: int
    kind: str
    text: str
    ref: str | None
    value: str | None
    precision: str | None
    form: str


class TermRow(NamedTuple):
    facet: str
    value: str  # what a filter takes: an index id, or a name when the party or place has no entry
    label: str


class SearchText(NamedTuple):
    """The four columns of the full-text index; the heading weighs most in ranking."""

    head: str
    body: str
    notes: str
    parties: str


@dataclass
class DocumentRows:
    id: str
    position: int
    number: str | None
    head: str
    date: str | None  # ISO 8601 at the precision printed
    date_text: str | None
    precision: str | None
    chrono: str  # the chronology's sort key: the ISO date, or UNDATED
    place: str | None
    channel: str | None
    classification: list[str]
    file_numbers: list[str]
    source_file: str | None
    source_format: str | None
    data: bytes  # the whole document, `codec.encode_document`
    search: SearchText
    parties: list[PartyRow] = field(default_factory=list)
    notes: list[NoteRow] = field(default_factory=list)
    mentions: list[MentionRow] = field(default_factory=list)
    terms: list[TermRow] = field(default_factory=list)
    enclosures: list[str] = field(default_factory=list)  # ids of the enclosures inside, at any depth


@dataclass
class PreparedFile:
    """One raw file ready to store: what it was when read, its documents and its index entries."""

    path: str  # the file's absolute path: its identity in the store
    sha256: str
    size: int
    mtime: float
    annotated: bool
    documents: list[DocumentRows]
    entities: list[Entity]  # the file's own entries; the store merges them with other files'
    warnings: list[str] = field(default_factory=list)


def iso_date(when: str | None) -> str | None:
    """An ISO date string, or None for a date the reader could not make ISO."""
    return when if when and when[:4].isdigit() else None


def prepare_documents(docs: list[Document],
                      curation: Curation | None = None) -> tuple[list[DocumentRows], list[Entity]]:
    """The rows of `docs` and the index entries they point to, with `curation` applied to every link."""
    index = Index(curation=curation or Curation())
    # Links are made afresh here rather than taken from the annotator: a mention's
    # `value` is what the text says, the link is what the editor decided about it,
    # and the editor's decisions can change after the annotator ran.
    index.add_documents(docs)
    names = {e.id: e.name for e in index.entities.values()}
    rows = [_document_rows(doc, k, names) for k, doc in enumerate(docs)]
    return rows, list(index.entities.values())


def _document_rows(doc: Document, position: int, names: dict[str, str]) -> DocumentRows:
    date = doc.date
    when = iso_date(date.when) if date is not None else None
    parties = _parties(doc)
    rows = DocumentRows(
        id=doc.id, position=position, number=doc.number, head=doc.head.text,
        date=when, date_text=date.text if date is not None else None,
        precision=date.precision if date is not None else None,
        chrono=when or UNDATED, place=doc.place, channel=doc.channel,
        classification=list(doc.classification), file_numbers=list(doc.file_numbers),
        source_file=doc.source_file, source_format=doc.source_format,
        data=encode_document(doc), search=_search_text(doc, parties, names), parties=parties,
        enclosures=[part.id for part in doc.all_documents()[1:]],
    )
    rows.notes = [_note_row(j, k, note) for j, part in enumerate(doc.all_documents())
                  for k, note in enumerate(part.notes)]
    rows.mentions = _mentions(doc)
    rows.terms = _terms(doc, rows, names)
    return rows


def _search_text(doc: Document, parties: list[PartyRow], names: dict[str, str]) -> SearchText:
    body: list[str] = []
    notes: list[str] = []
    for k, part in enumerate(doc.all_documents()):
        if k:  # an enclosure's caption and heading are part of what its parent's reader reads
            body.extend(t for t in (part.label, part.head.text) if t)
        blocks: list[Block] = [part.dateline] if part.dateline is not None else []
        body.extend(b.text for b in blocks + part.body + part.closer)
        notes.extend(n.text for n in part.notes)
    who: list[str] = []
    for p in parties:
        who.append(p.text)
        # "Harriman" in the heading, "W. Averell Harriman" in the index: both find him.
        if p.ref and p.ref in names and names[p.ref] not in p.text:
            who.append(names[p.ref])
    return SearchText(doc.head.text, "\n".join(body), "\n".join(notes), "\n".join(who))


def _party_ref(doc: Document, party: Party) -> str | None:
    if party.start is None or party.end is None:
        return None
    for m in doc.head.mentions:
        if m.kind == "person" and m.ref and m.start < party.end and party.start < m.end:
            return m.ref
    return None


def _parties(doc: Document) -> list[PartyRow]:
    rows = []
    for role, parties in (("from", doc.senders), ("to", doc.recipients)):
        for k, p in enumerate(parties):
            rows.append(PartyRow(role, k, p.text, p.name, p.office, _party_ref(doc, p)))
    return rows


def _note_row(part: int, position: int, note: Note) -> NoteRow:
    anchor = note.anchor
    return NoteRow(part, position, note.n, note.kind, note.text,
                   anchor.part if anchor else None, anchor.block if anchor else None,
                   anchor.offset if anchor else None)


def _mentions(doc: Document) -> list[MentionRow]:
    rows: list[MentionRow] = []
    for j, part in enumerate(doc.all_documents()):
        for t in texts(part):
            for m in t.holder.mentions:
                rows.append(MentionRow(len(rows), j, t.part, t.index, m.start, m.end, m.kind, m.text,
                                       m.ref, m.value, m.precision, m.form))
    return rows


def _place_ref(doc: Document) -> str | None:
    """The index entry of the place a document was written at, from the dateline's mention of it."""
    if doc.dateline is None or not doc.place:
        return None
    places = [m for m in doc.dateline.mentions if m.kind == "place" and m.ref]
    wanted = doc.place.strip(" ,.").casefold()
    for m in places:
        if m.text.strip(" ,.").casefold() == wanted:
            return m.ref
    return places[0].ref if len(places) == 1 else None


def _named(m: Mention) -> bool:
    # "I" and "he" link a person to a document they wrote, not one that names them.
    return m.ref is not None and m.form != "pronoun"


def _terms(doc: Document, rows: DocumentRows, names: dict[str, str]) -> list[TermRow]:
    terms: dict[tuple[str, str], str] = {}

    def add(facet: str, value: str | None, label: str | None) -> None:
        if value and (facet, value) not in terms:
            terms[(facet, value)] = label or value

    for p in rows.parties:
        who = p.name or p.text
        add("sender" if p.role == "from" else "recipient", p.ref or who, names.get(p.ref or "", who))
    if doc.place:
        ref = _place_ref(doc)
        add("place", ref or doc.place, names.get(ref or "", doc.place))
    if doc.channel:
        add("channel", doc.channel.lower(), doc.channel)
    if rows.date:
        add("year", rows.date[:4], rows.date[:4])
        if len(rows.date) >= 7:
            add("month", rows.date[:7], rows.date[:7])
    for part in doc.all_documents():
        for t in texts(part):
            for m in t.holder.mentions:
                facet = ENTITY_FACET.get(m.kind)
                if facet and _named(m) and m.ref:
                    add(facet, m.ref, names.get(m.ref, m.value or m.text))
    return [TermRow(f, v, label) for (f, v), label in terms.items()]


def raw_entity_id(row: MentionRow) -> str | None:
    """The id a mention has before any curation: what `Curation` records its decisions against."""
    if row.kind not in ("person", "place", "org"):
        return None
    return entity_id(cast(MentionKind, row.kind), row.value or row.text)
