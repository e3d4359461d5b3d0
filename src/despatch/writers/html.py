"""A readable, standalone HTML page for the documents of one file.

Python turns each document into a small view (every block already rendered
to safe inline HTML, with note markers at their exact anchors by way of
`despatch.writers.inline.walk`, as the TEI writer places its notes); the
Jinja2 template `templates/document.html` lays the views out. Text reaches
the page only through `escaped` (markupsafe's escaping, as plain strings),
`markupsafe.escape` or the template's autoescaping, so a document that quotes
`<script>` shows it as text. The web app (`despatch.web`) lays out the same
views (`document_view`), with mentions made links by its own `MentionTag`.

Ids on the page: a document is `doc-ID`, its k-th note `fn-ID-k` and that
note's marker `fnref-ID-k` (ID is the document id made safe for a URL
fragment), so a marker links to its note and the note back to its marker.
"""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import cache
from pathlib import PurePath

from jinja2 import Environment, PackageLoader
from markupsafe import Markup, escape

from despatch import __version__
from despatch.model import Block, DocDate, Document, Mention, Note, Part
from despatch.writers.inline import Point, Span, walk

ID_BAD = re.compile(r"[^A-Za-z0-9_.\-]")
REND_BAD = re.compile(r"[^a-z0-9\-]")  # a `Style.rend` becomes a class name: rend-italic, rend-smallcaps
# What <time datetime> accepts of our ISO 8601 values: a year, a month, a day, a local date and time.
HTML_DATETIME = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?)?)?$")
# The top heading level of a document: h1 when it is the page's only document,
# h2 under the page's own h1 otherwise; enclosures go one level down each.
MAX_LEVEL = 6

# What a mention becomes: its opening and closing tags. The standalone page marks
# it with a span; the web app (despatch.web) makes it a link to the index entry.
MentionTag = Callable[[Mention], tuple[Markup, Markup]]


@dataclass
class NoteView:
    id: str
    marker_id: str | None  # None for a note with no marker in the text
    n: str
    kind: str
    original: bool
    text: Markup


@dataclass
class BlockView:
    kind: str
    html: Markup


@dataclass
class DocView:
    id: str
    level: int
    heading: Markup
    number: str | None
    label: str | None  # an enclosure's caption, when the heading is not already it
    dateline: Markup | None
    meta: list[tuple[str, str]]
    sources: list[NoteView]
    body: list[BlockView]
    closer: list[BlockView]
    notes: list[NoteView]
    warnings: list[str]
    enclosures: list[DocView] = field(default_factory=list)


@cache
def _environment() -> Environment:
    return Environment(loader=PackageLoader("despatch.writers", "templates"), autoescape=True,
                       trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)


class PageIds:
    """Fragment ids, unique on the page even when two document ids clean up to the same text."""

    def __init__(self) -> None:
        self.used: set[str] = set()

    def claim(self, raw: str) -> str:
        base = ID_BAD.sub("_", raw) or "document"
        value, k = base, 1
        while value in self.used:
            k += 1
            value = f"{base}_{k}"
        self.used.add(value)
        return value


def escaped(text: str) -> str:
    """`text` escaped for HTML text and attribute values, exactly as `markupsafe.escape` writes it.

    A plain `str`: the inline HTML of a block is built from many small pieces and
    wrapped in `Markup` once, where a `Markup` per piece was most of a web page's
    rendering time.
    """
    return (text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
            .replace('"', "&#34;").replace("'", "&#39;"))


def tag(name: str, **attrs: str | None) -> tuple[Markup, Markup]:
    """Opening and closing tag; attribute values are escaped, None leaves the attribute out.

    `name` and the attribute names come from this code, never from a document.
    """
    # Plain string building rather than `Markup.format`: this runs for every mention of
    # every page the web app serves.
    parts = "".join(f' {k.rstrip("_").replace("_", "-")}="{escaped(v)}"' for k, v in attrs.items() if v is not None)
    return Markup(f"<{name}{parts}>"), Markup(f"</{name}>")


def mention_span(m: Mention) -> tuple[Markup, Markup]:
    """The standalone page's mention: a span that names its index entry."""
    return tag("span", class_=f"mention mention-{m.kind}", data_ref=m.ref, title=m.value)


def inline_html(block: Block, spans: list[Span], points: list[Point],
                mention_tag: MentionTag = mention_span) -> Markup:
    """A block's text as inline HTML: its marks and mentions as spans, note markers at their offsets."""
    every = list(spans)
    for style in block.styles:
        every.append(Span(style.start, style.end, tag("span", class_=f"rend-{REND_BAD.sub('', style.rend.lower())}")))
    for mark in block.marks:
        every.append(Span(mark.start, mark.end, tag("span", class_=f"mark mark-{mark.kind}",
                                                    title=f"editorial mark: {mark.kind}")))
    for m in block.mentions:
        every.append(Span(m.start, m.end, mention_tag(m)))
    out: list[str] = []
    for kind, item in walk(block.text, every, points):
        if kind == "text":
            out.append(escaped(item))
        elif kind == "open":
            out.append(item.payload[0])
        elif kind == "close":
            out.append(item.payload[1])
        else:
            out.append(item.payload)
    # every piece is escaped text or a tag made above: safe to mark as such in one go
    return Markup("".join(out))


def _date_tag(date: DocDate, css: str) -> tuple[Markup, Markup]:
    if date.when and HTML_DATETIME.match(date.when):
        return tag("time", class_=css, datetime=date.when)
    return tag("span", class_=css)


class _DocRenderer:
    """Builds the view of one document and, recursively, its enclosures."""

    def __init__(self, doc: Document, ids: PageIds, level: int, mention_tag: MentionTag = mention_span):
        self.doc = doc
        self.ids = ids
        self.level = level
        self.mention_tag = mention_tag
        self.id = ids.claim(f"doc-{doc.id}")
        stem = self.id.removeprefix("doc-")
        self.note_ids = [ids.claim(f"fn-{stem}-{k + 1}") for k in range(len(doc.notes))]
        self.marker_ids = [ids.claim(f"fnref-{stem}-{k + 1}") if n.anchor is not None else None
                           for k, n in enumerate(doc.notes)]

    @staticmethod
    def number(note: Note, k: int) -> str:
        # The volume's running number when the raw form kept it, as the TEI writer prints it.
        return note.running_n or note.n or str(k + 1)

    def points(self, part: Part, index: int) -> list[Point]:
        points = []
        for k, note in enumerate(self.doc.notes):
            marker_id = self.marker_ids[k]
            if note.anchor is None or marker_id is None or note.anchor.part != part or note.anchor.block != index:
                continue
            n = self.number(note, k)
            marker = Markup('<sup class="fnref"><a href="#{}" id="{}" role="doc-noteref" aria-label="Note {}">{}</a></sup>')
            points.append(Point(note.anchor.offset, marker.format(self.note_ids[k], marker_id, n, n)))
        return points

    def head_spans(self) -> list[Span]:
        spans = []
        for role, parties in (("from", self.doc.senders), ("to", self.doc.recipients)):
            for party in parties:
                if party.start is not None and party.end is not None:
                    spans.append(Span(party.start, party.end, tag("span", class_=f"party party-{role}",
                                                                  title=party.office)))
        return spans

    def dateline_spans(self) -> list[Span]:
        doc = self.doc
        text = doc.dateline.text if doc.dateline else ""
        spans = []
        date_at = -1
        if doc.date is not None and doc.date.text:
            date_at = text.find(doc.date.text)
            if date_at >= 0:
                spans.append(Span(date_at, date_at + len(doc.date.text), _date_tag(doc.date, "date")))
        if doc.place:
            at = text.find(doc.place)
            # a place named again after the date ("…, 1918, at Vologda") is not the dateline's place
            if at >= 0 and (date_at < 0 or at < date_at):
                spans.append(Span(at, at + len(doc.place), tag("span", class_="place")))
        if doc.received is not None and doc.received.text:
            at = text.find(doc.received.text)
            if at >= 0:
                spans.append(Span(at, at + len(doc.received.text), _date_tag(doc.received, "received")))
        return spans

    def meta(self) -> list[tuple[str, str]]:
        doc = self.doc
        rows = []
        if doc.channel:
            rows.append(("Channel", doc.channel))
        if doc.classification:
            rows.append(("Classification", "; ".join(doc.classification)))
        if doc.file_numbers:
            rows.append(("File number" if len(doc.file_numbers) == 1 else "File numbers", "; ".join(doc.file_numbers)))
        if doc.received is not None and doc.dateline is None:
            rows.append(("Received", doc.received.text))
        return rows

    def note_view(self, note: Note, k: int) -> NoteView:
        text = self.inline(Block(note.text, marks=note.marks, mentions=note.mentions, styles=note.styles), [], [])
        return NoteView(id=self.note_ids[k], marker_id=self.marker_ids[k], n=self.number(note, k),
                        kind=note.kind, original=note.original, text=text)

    def inline(self, block: Block, spans: list[Span], points: list[Point]) -> Markup:
        return inline_html(block, spans, points, self.mention_tag)

    def blocks(self, part: Part, blocks: list[Block]) -> list[BlockView]:
        return [BlockView(b.kind, self.inline(b, [], self.points(part, k))) for k, b in enumerate(blocks)]

    def view(self) -> DocView:
        doc = self.doc
        heading = self.inline(doc.head, self.head_spans(), self.points("head", 0))
        label = doc.label
        if not doc.head.text.strip():
            # every section needs a heading: an enclosure without one goes by its caption
            heading = escape(doc.label or doc.number or doc.id)
            label = None
        dateline = self.inline(doc.dateline, self.dateline_spans(), self.points("dateline", 0)) if doc.dateline else None
        notes = [self.note_view(n, k) for k, n in enumerate(doc.notes)]
        return DocView(
            id=self.id, level=min(self.level, MAX_LEVEL), heading=heading, number=doc.number, label=label,
            dateline=dateline, meta=self.meta(),
            sources=[v for v, n in zip(notes, doc.notes) if n.kind == "source"],
            body=self.blocks("body", doc.body), closer=self.blocks("closer", doc.closer),
            notes=[v for v, n in zip(notes, doc.notes) if n.kind != "source"],
            warnings=list(doc.warnings),
            enclosures=[_DocRenderer(e, self.ids, self.level + 1, self.mention_tag).view() for e in doc.enclosures],
        )


def document_view(doc: Document, level: int = 1, ids: PageIds | None = None,
                  mention_tag: MentionTag = mention_span) -> DocView:
    """The view of one document and its enclosures, every block already safe inline HTML.

    `level` is the heading level of the document's own heading; `ids` keeps
    fragment ids unique when a page holds several documents; `mention_tag`
    says what a person, place, organization or date becomes (a span here, a
    link in the web app).
    """
    return _DocRenderer(doc, ids or PageIds(), level, mention_tag).view()


def _page_title(docs: list[Document]) -> str:
    if len(docs) == 1:
        return docs[0].head.text.strip() or docs[0].label or docs[0].id
    source = docs[0].source_file if docs else None
    name = PurePath(source).name if source else "despatch"
    return f"{name}: {len(docs)} documents"


def to_html(docs: list[Document]) -> bytes:
    """The documents as one standalone HTML page, one after another."""
    docs = list(docs)
    ids = PageIds()
    level = 1 if len(docs) == 1 else 2
    views = [document_view(d, level, ids) for d in docs]
    source = docs[0].source_file if docs else None
    page = _environment().get_template("document.html").render(
        title=_page_title(docs), page_heading=level > 1, documents=views, source=source, version=__version__)
    return page.encode("utf-8")
