"""The index of persons, places and organizations, built from the documents themselves.

Every mention's `value` (the fullest form of the name the annotators found)
becomes an index entry with a stable id: `p-` for persons, `pl-` for places,
`o-` for organizations, then the name in lower case with hyphens
("p-montagu-brocas-burrows"). Ids depend only on names, so re-reading the same
documents gives the same ids, and an editor's corrections, kept apart in
`Curation` (merge two entries, split a form off an entry), apply again after
every re-ingest.
"""
from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from despatch.annotate.text import texts
from despatch.model import Document, Entity, Mention, MentionKind, Office

PREFIX: dict[str, str] = {"person": "p", "place": "pl", "org": "o"}
SLUG_RE = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode().lower()
    return SLUG_RE.sub("-", plain).strip("-") or "x"


def entity_id(kind: MentionKind, value: str) -> str:
    return f"{PREFIX[kind]}-{slug(value)}"


@dataclass
class Curation:
    """An editor's corrections to the automatic index, applied after every build.

    `merges` sends every mention of one entry to another ("p-hay" -> "p-john-hay");
    `splits` sends the mentions of one form in one document to a new entry
    (the second "Adams" of a volume, who is not the first).
    """

    merges: dict[str, str] = field(default_factory=dict)
    splits: list[dict[str, str]] = field(default_factory=list)  # {"id", "document", "form", "new_id"}

    @classmethod
    def load(cls, path: Path) -> Curation:
        if not path.exists():
            return cls()
        data = json.loads(path.read_text(encoding="utf-8"))
        return cls(merges=dict(data.get("merges", {})), splits=list(data.get("splits", [])))

    def save(self, path: Path) -> None:
        from despatch.pipeline import write_atomic

        write_atomic(path, json.dumps(asdict(self), ensure_ascii=False, indent=1).encode("utf-8"))

    def merge(self, source: str, target: str) -> None:
        if source == target:
            raise ValueError("an entry cannot be merged into itself")
        self.merges[source] = target
        # an entry merged earlier into `source` follows it
        for key, value in list(self.merges.items()):
            if value == source:
                self.merges[key] = target

    def split(self, entry: str, document: str, form: str, new_id: str) -> None:
        self.splits.append({"id": entry, "document": document, "form": form, "new_id": new_id})

    def resolve(self, entry: str, document: str, form: str) -> str:
        for s in self.splits:
            if s["id"] == entry and s["document"] == document and s["form"] == form:
                entry = s["new_id"]
                break
        seen = set()
        while entry in self.merges and entry not in seen:
            seen.add(entry)
            entry = self.merges[entry]
        return entry


@dataclass
class Index:
    """Entries by id, grown document by document."""

    entities: dict[str, Entity] = field(default_factory=dict)
    curation: Curation = field(default_factory=Curation)

    def add_documents(self, docs: Iterable[Document]) -> None:
        for doc in docs:
            # the source edition's own list of persons, keyed by its ids ("p_BND1"): a mention
            # the edition tagged takes the list's full name, and the entry its description
            listed = {entry.id: entry for entry in doc.edition_index}
            for part in doc.all_documents():
                self._add(part, doc.id, listed)

    def _add(self, doc: Document, top_id: str, listed: dict[str, Entity]) -> None:
        date = doc.date.day if doc.date is not None else None
        for t in texts(doc):
            for m in t.holder.mentions:
                if m.kind == "date" or not (m.value or m.text):
                    continue
                entry = listed.get(m.ref or "") if m.kind == "person" else None
                if entry is not None:
                    m.value, m.why = entry.name, f"the edition's list of persons ({entry.id})"
                self._link(m, doc, top_id)
                if entry is not None and m.ref in self.entities:
                    known = self.entities[m.ref]
                    if entry.description and (known.description is None or len(entry.description) > len(known.description)):
                        known.description = entry.description
        for party in doc.senders + doc.recipients:
            if party.name and party.office and party.start is not None:
                refs = [m.ref for m in doc.head.mentions if m.kind == "person" and m.start == party.start and m.ref]
                entry = self.entities.get(refs[0]) if refs else None
                if entry is not None:
                    _note_office(entry, party.office, date)

    def _id(self, kind: MentionKind, value: str, doc_id: str, form: str) -> str:
        return self.curation.resolve(entity_id(kind, value), doc_id, form)

    def _link(self, m: Mention, doc: Document, top_id: str) -> None:
        value = m.value or m.text
        ref = self._id(m.kind, value, top_id, m.text)
        m.ref = ref
        entry = self.entities.get(ref)
        if entry is None:
            entry = self.entities[ref] = Entity(id=ref, kind=m.kind, name=value, why=m.why)
            if m.kind == "place":
                _locate(entry, value)
        if len(value) > len(entry.name) and m.form == "name":
            entry.name = value
        form = m.text if m.form == "name" else None
        if form and form not in entry.forms:
            entry.forms.append(form)
        if top_id not in entry.documents:
            entry.documents.append(top_id)
        if m.why and m.why.startswith("biographical note"):
            for note in doc.notes:
                if m in note.mentions and (entry.description is None or len(note.text) > len(entry.description)):
                    entry.description = note.text

    def to_json(self) -> bytes:
        entries = sorted(self.entities.values(), key=lambda e: (e.kind, e.name))
        return json.dumps({"entities": [asdict(e) for e in entries]}, ensure_ascii=False, indent=1).encode("utf-8")


def _locate(entry: Entity, value: str) -> None:
    """A place's modern name and coordinates, where the offline gazetteer knows them."""
    from despatch.annotate.places import lookup

    place = lookup(value)
    if place is not None:
        entry.modern_name = place.modern
        entry.latitude, entry.longitude = place.latitude, place.longitude


def _note_office(entry: Entity, title: str, date: str | None) -> None:
    for office in entry.offices:
        if office.title == title:
            if date and (office.first_seen is None or date < office.first_seen):
                office.first_seen = date
            if date and (office.last_seen is None or date > office.last_seen):
                office.last_seen = date
            return
    entry.offices.append(Office(title=title, first_seen=date, last_seen=date))


def merge_entity(into: dict[str, Entity], entry: Entity) -> None:
    """Fold one file's entry into a batch's: forms, documents and offices joined, the fuller name kept."""
    known = into.get(entry.id)
    if known is None:
        into[entry.id] = Entity(**{**asdict(entry), "offices": [Office(**asdict(o)) for o in entry.offices]})
        return
    if len(entry.name) > len(known.name):
        known.name = entry.name
    for form in entry.forms:
        if form not in known.forms:
            known.forms.append(form)
    for doc in entry.documents:
        if doc not in known.documents:
            known.documents.append(doc)
    for office in entry.offices:
        for date in (office.first_seen, office.last_seen):
            _note_office(known, office.title, date)
    if entry.description and (known.description is None or len(entry.description) > len(known.description)):
        known.description = entry.description
    for attr in ("modern_name", "latitude", "longitude"):
        if getattr(known, attr) is None:
            setattr(known, attr, getattr(entry, attr))


def batch_index_json(groups: Iterable[list[Entity]]) -> bytes:
    """One index for a whole conversion, from each file's entries."""
    merged: dict[str, Entity] = {}
    for entries in groups:
        for entry in entries:
            merge_entity(merged, entry)
    return Index(entities=merged).to_json()
