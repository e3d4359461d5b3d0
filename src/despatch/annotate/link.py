"""Who is who inside one document: parties, offices, pronouns and biographical notes.

The sender of "The Ambassador in the Soviet Union (Harriman) to President
Roosevelt" is Harriman; in his own telegram "I" is Harriman, "the Ambassador"
is Harriman, and a note anchored after "General Burrows" that opens "Lt. Gen.
Montagu Brocas Burrows, head of ..." names and describes the same man. This
module adds those links as mentions with `value` set to the person's fullest
name; `annotate.index` turns values into index ids.
"""
from __future__ import annotations

import re

from despatch.annotate.context import Knowledge, office_key
from despatch.annotate.persons import find_persons
from despatch.annotate.text import texts
from despatch.model import Document, Mention, Party
from despatch.parse.notes import biographical_name

# The writer speaking of himself: "I brought up the question ...". Not "I." (a numeral) nor "I-".
FIRST_PERSON_RE = re.compile(r"(?<![\w.’'-])I(?![\w.’'-])")
# An office named without a name: "the Ambassador", "the Secretary of State", "the Minister".
OFFICE_RE = re.compile(
    r"\b[Tt]he\s+(?P<office>(?:Acting\s+|Assistant\s+|Under\s+)?(?:Ambassador|Minister|Secretary(?:\s+of\s+State)?|"
    r"Chargé(?:\s+d[’']\s*[Aa]ffaires)?|Consul(?:\s+General)?|President|Counselor|Commissioner))\b(?!\s+(?:of|in|at|to|for)\s+[A-Z])"
)
NOTE_NEAR = 3  # characters between a name and the marker of the note that describes it


def _party_value(party: Party) -> str | None:
    return party.name or None


def _office_head(office: str) -> str:
    return office.replace("Acting ", "").replace("Assistant ", "").split(" in ")[0].split(" at ")[0].strip()


def _signer(doc: Document) -> str | None:
    """The name a document is signed with, unless someone signed for the sender ("For the Secretary: ...")."""
    signed = doc.signed
    if not signed or any(b.kind == "line" and b.text.lstrip("(").startswith(("For ", "By ")) for b in doc.closer):
        return None
    found = find_persons(signed, {})
    return ((found[0].value if found else None) or signed).strip(" .,")


def collect_offices(docs: list[Document]) -> dict[str, dict[str, set[str]]]:
    """Who held which office when, as the batch shows it: a heading's "The Ambassador in
    Russia (Francis)" on a dated document, or a document from "The Secretary of State"
    signed "Hull"."""
    offices: dict[str, dict[str, set[str]]] = {}
    for doc in docs:
        for part in doc.all_documents():
            date = part.date.day if part.date is not None else None
            if not date:
                continue
            signer = _signer(part)
            for party in part.senders + part.recipients:
                if not party.office:
                    continue
                holder = party.name or (signer if party in part.senders and len(part.senders) == 1 else None)
                if holder:
                    offices.setdefault(office_key(party.office), {}).setdefault(holder, set()).add(date)
    return offices


def link_parties(doc: Document, knowledge: Knowledge) -> None:
    """Mentions for the heading's parties, so the heading links to the index like the text does.

    A party named by office alone is identified where the batch allows: by the
    document's own signature ("The Secretary of State to ..." signed "Hull"), or
    by who held that office nearest the document's date.
    """
    date = doc.date.day if doc.date is not None else None
    for role, parties in (("from", doc.senders), ("to", doc.recipients)):
        for party in parties:
            if party.start is None or party.end is None:
                continue
            if party.name is None and party.office:
                _identify_office(doc, party, role, knowledge, date)
                continue
            value = _party_value(party)
            if value is None:
                continue
            value = knowledge.names.get(value, value)  # "Sevier" in a heading is the "Hal Sevier" of a note
            existing = [m for m in doc.head.mentions if m.start <= party.start < m.end]
            if existing:
                for m in existing:
                    if m.kind == "person":
                        m.value = value
                continue
            doc.head.mentions.append(Mention(kind="person", start=party.start, end=party.end,
                                             text=doc.head.text[party.start:party.end], value=value,
                                             why=f"heading: {role} party", name_start=party.start))


def _identify_office(doc: Document, party: Party, role: str, knowledge: Knowledge, date: str | None) -> None:
    assert party.start is not None and party.end is not None and party.office is not None
    signer = _signer(doc) if role == "from" and len(doc.senders) == 1 else None
    if signer:
        name, why = knowledge.names.get(signer, signer), f"heading: {role} party, by office; signed {signer}"
    else:
        held = knowledge.holder(party.office, date)
        if held is None:
            return
        name, why = knowledge.names.get(held[0], held[0]), f"heading: {role} party, {party.office} on {held[1]}"
    doc.head.mentions.append(Mention(kind="person", start=party.start, end=party.end,
                                     text=doc.head.text[party.start:party.end], value=name, form="office", why=why))


def link_self_and_offices(doc: Document, names: dict[str, str]) -> None:
    """"I" in a person's own document, and "the Ambassador" where one party holds that office."""
    sender = doc.senders[0].name if len(doc.senders) == 1 else None
    parties = [(p.name, p) for p in doc.senders + doc.recipients if p.name and p.office]
    for t in texts(doc):
        if t.part not in ("body",):
            continue
        taken = [(m.start, m.end) for m in t.holder.mentions]
        if sender is not None:
            for m in FIRST_PERSON_RE.finditer(t.text):
                t.add(Mention(kind="person", start=m.start(), end=m.end(), text="I", value=names.get(sender, sender),
                              form="pronoun", why=f"first person in a document from {sender}"))
        for m in OFFICE_RE.finditer(t.text):
            if any(m.start("office") < e and s < m.end() for s, e in taken):
                continue
            head = _office_head(m.group("office"))
            holders = [(name, p) for name, p in parties if p.office and _office_head(p.office).endswith(head.split()[-1])]
            if len(holders) == 1:
                name, holder = holders[0]
                t.add(Mention(kind="person", start=m.start("office"), end=m.end("office"), text=m.group("office"),
                              value=names.get(name, name), form="office",
                              why=f"office of the {'sender' if holder in doc.senders else 'recipient'} ({holder.office})"))


def link_notes(doc: Document, known: dict[str, str]) -> None:
    """A biographical note names and describes the person whose name stands before its marker."""
    for note in doc.notes:
        if note.anchor is None or not biographical_name(note.text):
            continue
        blocks = doc.blocks(note.anchor.part)
        if note.anchor.block >= len(blocks):
            continue
        block = blocks[note.anchor.block]
        before = [m for m in block.mentions if m.kind == "person" and m.form == "name"
                  and 0 <= note.anchor.offset - m.end <= NOTE_NEAR]
        lead = biographical_name(note.text) or ""
        named = [m for m in find_persons(lead, known) if m.end == len(lead)] or [
            Mention(kind="person", start=0, end=len(lead), text=lead, value=lead, why="biographical note", name_start=0)]
        full = named[-1]
        if before:
            target = before[-1]
            surname = (target.value or target.text).split()[-1]
            if surname.lower() not in full.text.lower():
                continue
            target.value = _fullest(target.value, full.value or full.text)
            target.why = f"{target.why}; described by note {note.n}" if target.why else f"described by note {note.n}"
            full.value = target.value
        full.why = "biographical note"
        note.mentions = [m for m in note.mentions if m.end <= full.start or m.start >= full.end] + [full]


def _fullest(a: str | None, b: str) -> str:
    return b if a is None or len(b) > len(a) else a


def link_document(doc: Document, knowledge: Knowledge) -> None:
    """All within-document links of a document and its enclosures."""
    for part in doc.all_documents():
        link_parties(part, knowledge)
        link_notes(part, knowledge.names)
        link_self_and_offices(part, knowledge.names)
