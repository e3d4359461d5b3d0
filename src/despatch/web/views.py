"""What the pages show, built from the corpus's answers: snippets, documents, citations.

The document itself is laid out by the HTML writer's views
(`despatch.writers.html.document_view`), the same safe inline HTML the
standalone page uses, with one change: a person, place or organization
mention becomes a link to its index entry and a date a link to the search
for that day or month. Text only ever reaches a page escaped, here through
`markupsafe` and in the templates through autoescaping.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from urllib.parse import urlencode

from markupsafe import Markup, escape

from despatch.corpus.api import Hit
from despatch.model import Block, Document, Mention
from despatch.web.params import iso_period, segment
from despatch.writers.html import DocView, document_view, mention_span, tag

HIT_OPEN, HIT_CLOSE = "\x02", "\x03"  # how the store marks a hit inside a snippet (corpus.api.Hit)
# Control characters other than the hit markers, which a damaged source may carry into a snippet.
SNIPPET_NOISE = re.compile("[\x00\x01\x04-\x08\x0b\x0c\x0e-\x1f\x7f]")
LINKED_KINDS = ("person", "place", "org")
KIND_LABELS = {"person": "People", "place": "Places", "org": "Organizations"}
KIND_SINGULAR = {"person": "person", "place": "place", "org": "organization"}


def snippet_html(snippet: str) -> Markup:
    """A snippet as HTML: the text escaped first, then the store's hit markers turned into `<mark>`.

    Escaping first means no character of the document can ever open a tag;
    the markers are control characters escaping leaves alone. A snippet cut
    inside a hit is closed at its end, and a stray closing marker dropped.
    """
    out: list[str] = []
    inside = False
    for piece in re.split(f"([{HIT_OPEN}{HIT_CLOSE}])", SNIPPET_NOISE.sub("", snippet)):
        if piece == HIT_OPEN:
            if not inside:
                out.append("<mark>")
                inside = True
        elif piece == HIT_CLOSE:
            if inside:
                out.append("</mark>")
                inside = False
        else:
            out.append(str(escape(piece)))
    if inside:
        out.append("</mark>")
    return Markup("".join(out))


def snippet_text(snippet: str) -> tuple[str, list[tuple[int, int]]]:
    """A snippet as plain text and the [start, end) offsets of its hits in that text, for the JSON API."""
    text: list[str] = []
    spans: list[tuple[int, int]] = []
    at, start = 0, None
    for piece in re.split(f"([{HIT_OPEN}{HIT_CLOSE}])", SNIPPET_NOISE.sub("", snippet)):
        if piece == HIT_OPEN:
            start = at if start is None else start
        elif piece == HIT_CLOSE:
            if start is not None:
                spans.append((start, at))
                start = None
        else:
            text.append(piece)
            at += len(piece)
    if start is not None:
        spans.append((start, at))
    return "".join(text), spans


def snippet_is_head(hit: Hit) -> bool:
    """A snippet that is only the heading again (the hit was in the heading) says nothing the list does not."""
    text, _ = snippet_text(hit.snippet)
    return " ".join(text.strip(" …").split()) == " ".join(hit.head.split())


def document_url(doc_id: str) -> str:
    return f"/documents/{segment(doc_id)}"


def entity_url(entity_id: str) -> str:
    return f"/entities/{segment(entity_id)}"


def date_search_url(value: str) -> str | None:
    """The search for the day, month or year an ISO date names; None for anything else."""
    try:
        period = iso_period(value[:10])
    except ValueError:
        return None
    if period is None:
        return None
    return "/?" + urlencode({"date_from": period, "date_to": period, "sort": "date"})


def mention_link(m: Mention) -> tuple[Markup, Markup]:
    """A mention as a link: persons, places and organizations to their entry, dates to their day's search."""
    css = f"mention mention-{m.kind}"
    if m.form == "pronoun":
        # "I", "he": linked in the model, but a link on every pronoun would drown the names
        return tag("span", class_=f"{css} pronoun", title=m.value)
    if m.kind in LINKED_KINDS and m.ref:
        return tag("a", class_=css, href=entity_url(m.ref), title=m.value)
    if m.kind == "date" and m.value:
        href = date_search_url(m.value)
        if href:
            return tag("a", class_=css, href=href, title=f"Documents of {m.value}")
    return mention_span(m)


@dataclass
class NamedHere:
    """An index entry named in a document, for the document page's list of people, places, organizations."""

    id: str
    name: str
    count: int


@dataclass
class DocumentPage:
    view: DocView
    named: dict[str, list[NamedHere]] = field(default_factory=dict)  # kind -> entries, most named first
    citation: str = ""
    date_label: str | None = None


def _mentions(doc: Document) -> list[Mention]:
    out: list[Mention] = []
    for part in doc.all_documents():
        blocks: list[Block] = [part.head, *part.body, *part.closer]
        if part.dateline is not None:
            blocks.append(part.dateline)
        for block in blocks:
            out.extend(block.mentions)
        for note in part.notes:
            out.extend(note.mentions)
    return out


def named_in(doc: Document) -> dict[str, list[NamedHere]]:
    """The index entries a document names, by kind, most often named first."""
    counts: Counter[tuple[str, str]] = Counter()
    names: dict[str, str] = {}
    for m in _mentions(doc):
        if m.kind in LINKED_KINDS and m.ref and m.form == "name":
            counts[(m.kind, m.ref)] += 1
            # the canonical name when the annotator gave one, else the longest form met
            candidate = m.value or m.text
            if len(candidate) > len(names.get(m.ref, "")):
                names[m.ref] = candidate
    out: dict[str, list[NamedHere]] = {}
    for (kind, ref), n in sorted(counts.items(), key=lambda kv: (-kv[1], names[kv[0][1]].lower())):
        out.setdefault(kind, []).append(NamedHere(ref, names[ref], n))
    return out


def document_date_label(doc: Document) -> str | None:
    if doc.date is None:
        return None
    return doc.date.text.strip().rstrip(".,") or doc.date.when


def citation(doc: Document, url: str, accessed: date, edition: str) -> str:
    """ "Heading, Place, Date, File No. …, in EDITION, URL, accessed YYYY-MM-DD"."""
    parts = [(doc.head.text or doc.label or doc.id).strip().rstrip(".")]
    if doc.place:
        parts.append(doc.place.strip())
    when = document_date_label(doc)
    if when:
        parts.append(when)
    if doc.file_numbers:
        parts.append(("File No. " if len(doc.file_numbers) == 1 else "File Nos. ") + "; ".join(doc.file_numbers))
    parts += [f"in {edition}", url, f"accessed {accessed.isoformat()}"]
    return ", ".join(p for p in parts if p)


def document_page(doc: Document, url: str, accessed: date, edition: str) -> DocumentPage:
    return DocumentPage(view=document_view(doc, level=1, mention_tag=mention_link), named=named_in(doc),
                        citation=citation(doc, url, accessed, edition), date_label=document_date_label(doc))


def hit_parties(hit: Hit) -> str:
    """ "Harriman to Roosevelt", as a result list shows who wrote to whom."""
    senders = "; ".join(hit.senders)
    recipients = "; ".join(hit.recipients)
    if senders and recipients:
        return f"{senders} to {recipients}"
    return senders or (f"to {recipients}" if recipients else "")
