"""From a document's lines to the model: heading, dateline, body, closer, enclosures, notes.

Every text reader (Word export, plain transcription, OCR, .docx) ends here: it
hands over a `Draft` (logical lines with marker tokens, the notes by marker
key) and gets back a `Document` with each note at its exact anchor.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from despatch.model import Anchor, Block, BlockKind, Document, Note, Part
from despatch.parse import lines as L
from despatch.parse.heading import parse_parties
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

FRONT_WINDOW = 8  # a heading and dateline stand within the first lines of a document
LONG_LINE = 300  # longer than any heading or dateline: the body has begun


@dataclass
class Draft:
    """What a text reader hands on: logical lines ("" between groups) and the notes by marker key."""

    lines: list[str]
    notes: dict[str, DraftNote] = field(default_factory=dict)
    head_index: int | None = None  # the heading's line, when the raw form says (bold in .docx)


@dataclass
class Front:
    """Where the parts before the body stand, as line indices."""

    number: str | None = None
    sources: list[int] = field(default_factory=list)
    head: int | None = None
    dateline: int | None = None
    received: int | None = None
    body_start: int = 0


def _non_blank(lines: list[str], start: int, end: int) -> list[int]:
    return [i for i in range(start, end) if lines[i].strip()]


def find_front(lines: list[str], start: int, end: int, head_hint: int | None = None) -> Front:
    """Number, source lines, heading and dateline at the top of lines[start:end]."""
    idx = _non_blank(lines, start, end)
    front = Front(body_start=end)
    if not idx:
        return front
    k = 0
    number = L.is_number_line(lines[idx[0]])
    if number and len(idx) > 1:
        front.number, k = number, 1
    window = []
    for i in idx[k:k + FRONT_WINDOW]:
        if len(L.plain(lines[i])) > LONG_LINE:
            break
        window.append(i)

    if head_hint is not None and head_hint in idx:
        head_pos = idx.index(head_hint)
        front.sources = [i for i in idx[k:head_pos]]
        front.head = head_hint
        rest = idx[head_pos + 1:head_pos + 3]
        for i in rest:
            if L.parse_dateline(lines[i]):
                front.dateline = i
                break
            if not L.is_source_line(lines[i]):
                break
            front.sources.append(i)
    else:
        _front_from_wording(lines, window, front)

    last = max(x for x in (front.head, front.dateline, *front.sources, idx[k - 1] if k else None, -1) if x is not None)
    after = [i for i in idx if i > last]
    if front.dateline is not None and after and L.is_received_line(lines[after[0]]):
        front.received = after[0]
        last = after[0]
    front.body_start = last + 1 if last >= 0 else start
    return front


def _front_from_wording(lines: list[str], window: list[int], front: Front) -> None:
    dateline_pos = next((p for p, i in enumerate(window) if L.parse_dateline(lines[i])), None)
    if dateline_pos is not None:
        front.dateline = window[dateline_pos]
        if dateline_pos == 0:
            return
        head_pos = dateline_pos - 1
        # "[Telegram]" printed between heading and dateline belongs to the source apparatus
        if head_pos >= 1 and L.is_source_line(lines[window[head_pos]]) and not L.is_source_line(lines[window[head_pos - 1]]):
            front.sources.append(window[head_pos])
            head_pos -= 1
        front.head = window[head_pos]
        front.sources = window[:head_pos] + front.sources
        return
    # a typed transcription sets its front apart with a blank line: look for the heading there
    group: list[int] = []
    for i in window:
        if group and i != group[-1] + 1:
            break
        group.append(i)
    after_group = group[-1] + 1 if group else 0
    separate = bool(group) and len(group) <= 4 and after_group < len(lines) and not lines[after_group].strip()
    candidates = group if separate else window[:4]
    found = next((p for p, i in enumerate(candidates) if L.is_heading(lines[i])), None)
    heading_at = len(group) - 1 if found is None and separate else found
    if heading_at is not None:
        front.head = window[heading_at]
        front.sources = window[:heading_at]


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


def _closer_lines(lines: list[str], idx: list[int]) -> tuple[list[int], tuple[int, str, str] | None]:
    """Signature lines closing a run of lines, and a last line holding courtesy and signature together.

    Address lines and postscripts printed under a signature ("JAMES S. PIKE,
    Esq., &c.", "P. S.—I have this moment received ...") are stepped over: they
    stay in the body, the signature before them closes it.
    """
    end = len(idx)
    while end > 0 and end > len(idx) - 3 and L.is_after_signature(lines[idx[end - 1]]):
        end -= 1
    sig: list[int] = []
    for i in reversed(idx[:end]):
        if L.is_signature(lines[i]) and not L.is_enclosure_label(lines[i]):
            sig.insert(0, i)
            continue
        break
    if sig and len(sig) == end:
        sig = sig[1:]  # a document is never all signature
    if not sig and end:
        both = L.split_salute(lines[idx[end - 1]])
        if both:
            return [], (idx[end - 1], both[0], both[1])
    return sig, None


def _after_letter(lines: list[str], idx: list[int], p: int) -> bool:
    """Whether idx[p] opens a new paper after a signed and addressed letter, with no caption.

    "WM. L. DAYTON." over "Hon. WILLIAM H. SEWARD, Secretary of State." closes a
    letter; what follows ("A." then "YOUR MAJESTY: ...") is a paper enclosed with it.
    """
    if p < 2 or p >= len(idx) - 1:
        return False
    return (L.is_address_line(lines[idx[p - 1]]) and L.is_signature(lines[idx[p - 2]])
            and not L.is_after_signature(lines[idx[p]]))


def _without(idx: list[int], drop: list[int]) -> list[int]:
    gone = set(drop)
    return [i for i in idx if i not in gone]


def assemble(draft: Draft, doc_id: str) -> Document:
    """The document in `draft`, with enclosures split off and every note anchored.

    A document closes with its signature, before any enclosure, each enclosure
    with its own; some raw forms move every signature to the very end instead,
    the document's first and its enclosures' after it, and that order is
    understood too.
    """
    lines = draft.lines
    front = find_front(lines, 0, len(lines), draft.head_index)
    body_idx = _non_blank(lines, front.body_start, len(lines))
    cuts = [p for p, i in enumerate(body_idx) if L.is_attachment_caption(lines[i]) or _after_letter(lines, body_idx, p)]
    parts = [body_idx[a:b] for a, b in zip([0, *cuts], [*cuts, len(body_idx)])]
    own_sig, own_salute = _closer_lines(lines, parts[0]) if cuts else ([], None)
    gathered: list[int] = []  # every signature printed together at the very end
    salute = own_salute
    if cuts and (own_sig or own_salute):
        main_sig = own_sig
    else:
        gathered, last_salute = _closer_lines(lines, parts[-1])
        main_sig, salute = gathered[:1], salute or last_salute
        if not cuts and len(gathered) > 1:
            main_sig = gathered  # extra lines under one signature: an office, a seal, a second signer
    doc = Document(id=doc_id)
    main_idx = _without(parts[0], own_sig if cuts else main_sig)
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
        enc_sig = [] if gathered else _closer_lines(lines, part[1:])[0][:1]
        if gathered and n + 1 < len(gathered):
            enc_sig = [gathered[n + 1]]
        enc = _enclosure(draft, _without(part, gathered + enc_sig), f"{doc_id}-enc{n + 1}")
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
        _front_from_wording(lines, window, probe)
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
    for i in front.sources:
        text, found = strip_tokens(lines[i].strip())
        doc.notes.append(Note(text=text, kind="source", marks=find_marks(text)))
        for key, _ in found:  # "[Translation]⁸": a note on the source line stands under the document
            if key in notes:
                draft = notes[key]
                doc.notes.append(Note(text=draft.text, n=draft.n or key, kind=note_kind(draft.text),
                                      original=draft.original, running_n=draft.running_n, marks=find_marks(draft.text)))
    if front.head is not None:
        doc.head = _block(lines[front.head], "label", "head", 0, notes, doc.notes)
        doc.senders, doc.recipients = parse_parties(doc.head.text)
    if front.dateline is not None:
        dateline_line = lines[front.dateline]
        if front.received is not None:
            dateline_line = dateline_line.rstrip() + " " + lines[front.received].strip()
        doc.dateline = _block(dateline_line, "line", "dateline", 0, notes, doc.notes)
        parsed = L.parse_dateline(doc.dateline.text)
        if parsed:
            doc.place, doc.date, doc.received = parsed.place, parsed.date, parsed.received
    texts = _split_enumerations([lines[i] for i in body_idx])
    for n, (text, kind) in enumerate(zip(texts, _list_kinds(texts))):
        doc.body.append(_block(text, kind, "body", n, notes, doc.notes))
    _source_note_on_heading(doc, has_source_lines=bool(front.sources))


# A paragraph opening with its own enumerator: "(1) Can increases in duties be requested ...".
ENUMERATED_RE = re.compile(r"^(\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+(?=\S)")


def _split_enumerations(texts: list[str]) -> list[str]:
    """Runs of two or more enumerated paragraphs as label and item lines, as FRUS lists them.

    A single numbered paragraph stays a paragraph: telegrams number theirs ("2180. Your 1787").
    """
    out: list[str] = []
    k = 0
    while k < len(texts):
        run = k
        while run < len(texts) and ENUMERATED_RE.match(texts[run]):
            run += 1
        if run - k >= 2:
            for text in texts[k:run]:
                m = ENUMERATED_RE.match(text)
                assert m is not None
                out += [m.group(1), text[m.end():]]
            k = run
        else:
            out.append(texts[k])
            k += 1
    return out


def _list_kinds(texts: list[str]) -> list[BlockKind]:
    """"label" for a line that is only an enumerator ("(a)", "2.", "IV."), "item" for the line it labels."""
    kinds: list[BlockKind] = ["p"] * len(texts)
    for k, text in enumerate(texts[:-1]):
        if L.is_list_label(text) and kinds[k] == "p" and not L.is_list_label(texts[k + 1]):
            kinds[k], kinds[k + 1] = "label", "item"
    return kinds


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
