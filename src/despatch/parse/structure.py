"""From a document's lines to the model: heading, dateline, body, closer, enclosures, notes.

Every text reader (Word export, plain transcription, OCR, .docx) ends here: it
hands over a `Draft` (logical lines with marker tokens, the notes by marker
key) and gets back a `Document` with each note at its exact anchor.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from despatch.model import Anchor, Block, BlockKind, Document, Note, Part
from despatch.parse import lines as L
from despatch.parse.closer import after_letter, closer_lines, without
from despatch.parse.front import LONG_LINE, Front, find_front, front_from_wording, non_blank
from despatch.parse.heading import parse_parties
from despatch.parse.lists import list_kinds, split_enumerations
from despatch.parse.markers import DraftNote, strip_tokens
from despatch.parse.marks import find_marks
from despatch.parse.notes import (
    channel_in,
    classifications_in,
    file_numbers,
    leading_classification,
    looks_like_source,
    note_kind,
)
from despatch.parse.typography import restore_typography


@dataclass
class Draft:
    """What a text reader hands on: logical lines ("" between groups) and the notes by marker key."""

    lines: list[str]
    notes: dict[str, DraftNote] = field(default_factory=dict)
    head_index: int | None = None  # the heading's line, when the raw form says (bold in .docx)


def _block(line: str, kind: BlockKind, part: Part, index: int, notes: dict[str, DraftNote], out: list[Note]) -> Block:
    """A block from one line, its markers turned into anchored notes."""
    text, found = strip_tokens(line.strip())
    # strip_tokens keeps leading text intact; a marker at the very start anchors at 0
    for key, offset in found:
        draft = notes.get(key)
        if draft is None:
            continue
        out.append(Note(text=draft.text, n=draft.n or key, kind=note_kind(draft.text), anchor=Anchor(part, index, offset),
                        original=draft.original, running_n=draft.running_n, marks=find_marks(draft.text)))
    return Block(text=text, kind=kind, marks=find_marks(text))


def assemble(draft: Draft, doc_id: str) -> Document:
    """The document in `draft`, with enclosures split off and every note anchored.

    A document closes with its signature, before any enclosure, each enclosure
    with its own; some raw forms move every signature to the very end instead,
    the document's first and its enclosures' after it, and that order is
    understood too.
    """
    lines = draft.lines
    front = find_front(lines, 0, len(lines), draft.head_index)
    body_idx = non_blank(lines, front.body_start, len(lines))
    # a caption opening the body ("[Translation.]" with nothing before it) describes the document itself
    cuts = [p for p, i in enumerate(body_idx)
            if p > 0 and (L.is_attachment_caption(lines[i]) or after_letter(lines, body_idx, p))]
    parts = [body_idx[a:b] for a, b in zip([0, *cuts], [*cuts, len(body_idx)])]
    own_sig, own_salute = closer_lines(lines, parts[0]) if cuts else ([], None)
    gathered: list[int] = []  # every signature printed together at the very end
    salute = own_salute
    if cuts and (own_sig or own_salute):
        main_sig = own_sig
    else:
        gathered, last_salute = closer_lines(lines, parts[-1])
        main_sig, salute = gathered[:1], salute or last_salute
        if not cuts and len(gathered) > 1:
            main_sig = gathered  # extra lines under one signature: an office, a seal, a second signer
    doc = Document(id=doc_id)
    main_idx = without(parts[0], own_sig if cuts else main_sig)
    if salute and (not cuts or own_salute):
        main_idx = [i for i in main_idx if i != salute[0]]
    _fill(doc, draft, front, main_idx)
    if salute and (not cuts or own_salute):
        doc.closer = [Block(salute[1], kind="salute"), Block(salute[2], kind="signed")]
    elif main_sig:
        _signature(doc, draft, lines[main_sig[0]])
        for extra in main_sig[1:]:
            doc.closer.append(_block(lines[extra], "line", "closer", len(doc.closer), draft.notes, doc.notes))
    for n, part in enumerate(parts[1:]):
        enc_sig = [] if gathered else closer_lines(lines, part[1:])[0][:1]
        if gathered and n + 1 < len(gathered):
            enc_sig = [gathered[n + 1]]
        enc = _enclosure(draft, without(part, gathered + enc_sig), f"{doc_id}-enc{n + 1}")
        if enc_sig:
            _signature(enc, draft, lines[enc_sig[0]])
        doc.enclosures.append(enc)
    _keep_unplaced_notes(doc, draft)
    _derive(doc)
    restore_typography(doc)
    return doc


def _keep_unplaced_notes(doc: Document, draft: Draft) -> None:
    """A note whose marker was never found is kept, unanchored, and said to be so: nothing is lost."""
    placed = {n.n for part in doc.all_documents() for n in part.notes if n.anchor is not None}
    for key, note in draft.notes.items():
        if (note.n or key) not in placed:
            doc.notes.append(Note(text=note.text, n=note.n or key, kind=note_kind(note.text), original=note.original,
                                  running_n=note.running_n, marks=find_marks(note.text)))
            doc.warnings.append(f"note {note.n or key} has no marker in the text")

def _signature(doc: Document, draft: Draft, line: str) -> None:
    """Closer blocks from a signature line; a marker on it stays with the part that held it."""
    if len(strip_tokens(line)[1]) == 0:
        for text, kind in L.closer_parts(line):
            doc.closer.append(Block(text, kind="signed" if kind == "signed" else "line"))
        return
    doc.closer.append(_block(line, "signed", "closer", len(doc.closer), draft.notes, doc.notes))


def _caption_like(line: str) -> bool:
    """A short line that heads an enclosure: "Imperial decree issued by the Emperor at Tai-Yuan Fu, Shansi."."""
    text = L.plain(line)
    return 0 < len(text) <= 200 and ": " not in text and not text.endswith((":", ",")) and not L.is_signature(line)


def _enclosure(draft: Draft, idx: list[int], enc_id: str) -> Document:
    lines = draft.lines
    sub = Front(body_start=idx[-1] + 1)
    rest = idx[1:]
    window = [i for i in rest[:4] if len(L.plain(lines[i])) <= LONG_LINE]
    if window:
        # an enclosure's front is heading and dateline only: its caption is already taken
        probe = Front()
        front_from_wording(lines, window, probe)
        if probe.head is not None and (probe.dateline is not None or L.is_heading(lines[probe.head])) \
                and (_caption_like(lines[probe.head]) or L.is_heading(lines[probe.head])):
            sub.head, sub.dateline, sub.sources = probe.head, probe.dateline, probe.sources
        elif probe.dateline is not None and probe.dateline == window[0]:
            sub.dateline = probe.dateline
        elif _caption_like(lines[window[0]]):
            sub.head = window[0]
    last = max((x for x in (sub.head, sub.dateline, *sub.sources) if x is not None), default=idx[0])
    enc = Document(id=enc_id)
    label, _found = strip_tokens(L.plain(lines[idx[0]]))
    enc.label = label
    _fill(enc, draft, sub, [i for i in rest if i > last])
    return enc


def _fill(doc: Document, draft: Draft, front: Front, body_idx: list[int]) -> None:
    lines, notes = draft.lines, draft.notes
    doc.number = front.number
    on_sources: list[str] = []
    for i in front.sources:
        text, found = strip_tokens(lines[i].strip())
        doc.notes.append(Note(text=text, kind="source", marks=find_marks(text)))
        on_sources += [key for key, _ in found if key in notes]
    if front.head is not None:
        doc.head = _block(lines[front.head], "label", "head", 0, notes, doc.notes)
        doc.senders, doc.recipients = parse_parties(doc.head.text)
    for key in on_sources:
        # "[Telegram—Extract]¹": a note on a source line belongs to the heading, as FRUS anchors it
        on_source = notes[key]
        doc.notes.append(Note(text=on_source.text, n=on_source.n or key, kind=note_kind(on_source.text),
                              anchor=Anchor("head", 0, len(doc.head.text)), original=on_source.original,
                              running_n=on_source.running_n, marks=find_marks(on_source.text)))
    if front.dateline is not None:
        dateline_line = lines[front.dateline]
        if front.received is not None:
            dateline_line = dateline_line.rstrip() + " " + lines[front.received].strip()
        doc.dateline = _block(dateline_line, "line", "dateline", 0, notes, doc.notes)
        parsed = L.parse_dateline(doc.dateline.text)
        if parsed:
            doc.place, doc.date, doc.received = parsed.place, parsed.date, parsed.received
    texts = split_enumerations([lines[i] for i in body_idx])
    for n, (text, kind) in enumerate(zip(texts, list_kinds(texts))):
        doc.body.append(_block(text, kind, "body", n, notes, doc.notes))
    _source_note_on_heading(doc, has_source_lines=bool(front.sources))


def _source_note_on_heading(doc: Document, has_source_lines: bool) -> None:
    """A footnote on the heading is the source note (FRUS practice), unless the source was printed above."""
    head_notes = [n for n in doc.notes if n.anchor is not None and n.anchor.part == "head"]
    if not head_notes or has_source_lines:
        return
    by_number = sorted(head_notes, key=lambda n: int(n.n) if n.n and n.n.isdigit() else 0)
    chosen = next((n for n in by_number if looks_like_source(n.text)), None)
    if chosen is None:
        last = head_notes[-1]
        if last.anchor is not None and last.anchor.offset >= len(doc.head.text.rstrip(" .")) - 1:
            chosen = last
    if chosen is not None:
        chosen.kind = "source"


def _derive(doc: Document) -> None:
    """Channel, classification and file numbers, read from the source apparatus and the opening."""
    for part in doc.all_documents():
        sources = " ".join(n.text for n in part.source_notes)
        labels = " ".join(x for x in (part.label or "", sources) if x)
        part.file_numbers = list(dict.fromkeys(file_numbers(sources)))
        part.classification = classifications_in(labels) if labels else []
        opening = part.body[0].text if part.body else ""
        lead = leading_classification(opening)
        if lead and lead not in part.classification:
            part.classification.append(lead)
        part.channel = channel_in(labels) or _channel_from_heading(part)


def complete_years(docs: list[Document]) -> None:
    """Give a year to datelines printed without one ("Washington, December 21.").

    The year comes from the document before it in the same file, else from the
    full dates the document itself cites; either way the document says so.
    """
    previous: str | None = None
    for doc in docs:
        date = doc.date
        if date is not None and date.when and date.when.startswith("--"):
            year = previous or _year_cited(doc)
            if year:
                date.when = f"{year}-{date.when[2:]}"
                doc.warnings.append(f"year of the date taken from {'the document before' if previous else 'dates the text cites'}")
        if doc.date is not None and doc.date.when and doc.date.when[:4].isdigit():
            previous = doc.date.when[:4]


def _year_cited(doc: Document) -> str | None:
    from collections import Counter

    from despatch.parse.dates import DATE_RE

    years: Counter[str] = Counter()
    for text in [b.text for b in doc.body] + [n.text for n in doc.notes]:
        for m in DATE_RE.finditer(text):
            years[m.group("year") or m.group("year2") or m.group("year3")] += 1
    return years.most_common(1)[0][0] if years else None


def _channel_from_heading(doc: Document) -> str | None:
    head = doc.head.text
    for word in ("Memorandum", "Aide-Mémoire", "Note", "Telegram", "Letter", "Circular", "Instruction"):
        if head.startswith(word):
            return channel_in(word)
    if doc.received is not None or (doc.date is not None and doc.date.precision == "minute"):
        return "telegram"
    return None
