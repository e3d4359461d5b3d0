"""TEI P5 with the conventions of the FRUS edition.

One `div type="document"` per document: source notes first, `head` with the
parties as `persName`/`gloss type="from|to"`, `dateline` with `placeName` and
`date when`, `p` for the body with each footnote as `note n` at its anchor,
`closer/signed`, and each enclosure as a `frus:attachment` inside its parent.
Mentions found by the annotators become `persName`, `placeName`, `orgName`
and `date` with a `ref` to the index.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Mapping

from lxml import etree

from despatch import __version__
from despatch.model import Block, Document, EditorialMark, Entity, Mention, Note, Part
from despatch.writers.inline import Point, Span, walk

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NSMAP = {None: TEI_NS, "frus": FRUS_NS}
MENTION_ELEMENT = {"person": "persName", "place": "placeName", "org": "orgName", "date": "date"}
NCNAME_BAD = re.compile(r"[^\w.\-]")
# Characters XML 1.0 cannot carry at all; a hostile or damaged file may hold them.
XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def t(name: str) -> str:
    return f"{{{TEI_NS}}}{name}"


def xml_id(raw: str) -> str:
    """`raw` made a valid xml:id (an NCName)."""
    value = NCNAME_BAD.sub("_", raw)
    return value if value[:1].isalpha() or value[:1] == "_" else f"d{value}"


def clean(text: str | None) -> str:
    return XML_BAD.sub("", text or "")


def _note_element(note: Note, doc_id: str, index: int, whole_words: bool = True) -> etree._Element:
    el = etree.Element(t("note"))
    if note.kind == "source":
        el.set("type", "source")
    else:
        el.set("n", note.running_n or note.n or str(index + 1))
        el.set("type", note.kind)
        # printed numbers repeat inside a document (FRUS restarts them), so the id uses the position
        el.set(XML_ID, xml_id(f"{doc_id}fn{index + 1}"))
    if note.original:
        el.set("subtype", "original")
    _fill(el, Block(note.text, marks=note.marks, mentions=note.mentions, styles=note.styles), [], [],
          whole_words=whole_words)
    return el


# The editor's comments are set in italics inside their brackets ("[sic]", "August 7 [8]");
# words the editor supplies to complete the text stay roman ("[For] War Trade Board").
COMMENT_MARKS = frozenset({"sic", "correction", "illegible"})


def _mark_spans(text: str, mark: EditorialMark) -> list[Span]:
    attrs = {"type": "editorial", "subtype": mark.kind}
    if mark.kind in COMMENT_MARKS:
        return [Span(mark.start + 1, mark.end - 1, ("seg", {**attrs, "rend": "italic"}))]
    # a supplied word is marked only where the mark is a word of its own, so that the
    # markup never splits "[the]," into two words for a reader that counts them
    before = text[mark.start - 1:mark.start]
    after = text[mark.end:mark.end + 1]
    if before.strip() == "" and after.strip() == "":
        return [Span(mark.start, mark.end, ("seg", attrs))]
    return []


def _span_element(payload: tuple[str, dict[str, str]]) -> etree._Element:
    name, attrs = payload
    el = etree.Element(t(name) if ":" not in name else name)
    for key, value in attrs.items():
        el.set(key, value)
    return el


def _append_text(el: etree._Element, text: str) -> None:
    text = clean(text)
    if len(el):
        el[-1].tail = (el[-1].tail or "") + text
    else:
        el.text = (el.text or "") + text


# What XML Schema dates (and so TEI's @when) accept; other ISO 8601 values (seasons) go to @when-iso.
XSD_DATE_RE = re.compile(r"^(?:\d{4}(?:-(?:0[1-9]|1[0-2])(?:-\d{2}(?:T\d{2}:\d{2}(?::\d{2})?)?)?)?|--\d{2}-\d{2})$")


def _mention_span(m: Mention, text: str, whole_words: bool) -> Span:
    """A mention as FRUS marks it: the name itself in persName, a title or an office reference outside.

    With `whole_words`, the element reaches out to the spaces around the mention
    ("<persName>Sheldon:</persName>"): annotating must never cut a written word
    in two, or a tool that counts words would find different words in the
    annotated text than in the plain one.
    """
    attrs = {"ref": f"#{m.ref}"} if m.ref else {}
    start = m.name_start if m.kind == "person" and m.name_start is not None and m.form == "name" else m.start
    end = m.end
    if whole_words:
        start, end = _word_bounds(text, start, end, m.kind == "person")
    if m.kind == "person" and m.form != "name":
        return Span(start, end, ("rs", {"type": "person", **attrs}))
    if m.kind == "date" and m.value:
        first, slash, last = m.value.partition("/")
        if slash and XSD_DATE_RE.match(first) and XSD_DATE_RE.match(last):
            attrs["from"], attrs["to"] = first, last  # "from the 16th to the 30th ultimo"
        else:
            attrs["when" if XSD_DATE_RE.match(m.value) else "when-iso"] = m.value
    return Span(start, end, (MENTION_ELEMENT[m.kind], attrs))


# Punctuation a person's name may take in without changing the name it gives: brackets
# before it, stops and brackets after it. A possessive stays outside ("Stevens</persName>’s"),
# as editions mark it. Places, organizations and dates take in the whole written word.
LEADING_TAKEN = "(["
TRAILING_TAKEN = ".,;:)]"


def _word_bounds(text: str, start: int, end: int, name_only: bool) -> tuple[int, int]:
    """The mention widened to whole words; a person's name (`name_only`) takes in only punctuation,
    and the rest of a word it starts inside ("Lieutenant-<persName>General Gaselee" would part the rank)."""
    if name_only and start > 0 and (text[start - 1] == "-" or text[start - 1].isalpha()):
        while start > 0 and not text[start - 1].isspace():
            start -= 1
    while start > 0 and (text[start - 1] in LEADING_TAKEN if name_only else not text[start - 1].isspace()):
        start -= 1
    while end < len(text) and (text[end] in TRAILING_TAKEN if name_only else not text[end].isspace()):
        end += 1
    return start, end


def _fill(el: etree._Element, block: Block, spans: list[Span], points: list[Point],
          skip_kinds: frozenset[str] = frozenset(), whole_words: bool = True) -> None:
    """Write block text into el with its mentions, marks, extra spans and note points."""
    all_spans = list(spans)
    for style in block.styles:
        all_spans.append(Span(style.start, style.end, ("hi", {"rend": style.rend})))
    for mark in block.marks:
        all_spans.extend(_mark_spans(block.text, mark))
    given = {(sp.start, sp.end): sp for sp in spans}
    for m in block.mentions:
        if m.kind in skip_kinds:
            continue
        span = _mention_span(m, block.text, whole_words)
        same = given.get((span.start, span.end))
        if same is not None and (same.payload[0] == span.payload[0] or m.kind == "person"):
            # a heading's party is also a mention: one element, its type from the heading, its ref from the index
            if "ref" in span.payload[1]:
                same.payload[1]["ref"] = span.payload[1]["ref"]
            continue
        all_spans.append(span)
    stack = [el]
    for kind, item in walk(block.text, all_spans, points):
        if kind == "text":
            _append_text(stack[-1], item)
        elif kind == "open":
            child = _span_element(item.payload)
            stack[-1].append(child)
            stack.append(child)
        elif kind == "close":
            stack.pop()
        else:
            stack[-1].append(item.payload)


# FRUS lists pair a label ("(a)") with its item and neither is a paragraph; table rows sit in
# a table and quoted paragraphs in a quote.
CONTAINER_OF = {"label": "list", "item": "list", "table": "table", "quote": "quote"}


# The dateline's place and date are marked from the document's own fields, not its mentions.
DATELINE_OWN = frozenset({"place", "date"})


class _DocWriter:
    """Writes one document (and its enclosures) into a parent element."""

    def __init__(self, doc: Document):
        self.doc = doc
        self.doc_id = xml_id(doc.id)
        # an edition read from TEI keeps its own element boundaries; our annotations keep words whole
        self.whole_words = doc.source_format != "tei"

    def points(self, part: Part, index: int) -> list[Point]:
        return [Point(n.anchor.offset, _note_element(n, self.doc_id, k, self.whole_words))
                for k, n in enumerate(self.doc.notes)
                if n.anchor is not None and n.anchor.part == part and n.anchor.block == index]

    def head_spans(self) -> list[Span]:
        spans = []
        for role, parties in (("from", self.doc.senders), ("to", self.doc.recipients)):
            for k, party in enumerate(parties):
                if party.start is None or party.end is None:
                    continue
                name = "persName" if party.name else "gloss"
                # FRUS types the first of several named together: "(<persName type="from">Donnelly</persName>
                # and <persName>Turkel</persName>)"
                spans.append(Span(party.start, party.end, (name, {"type": role} if k == 0 else {})))
        return spans

    def dateline_spans(self) -> list[Span]:
        doc, text = self.doc, self.doc.dateline.text if self.doc.dateline else ""
        spans = []
        date_at = -1
        if doc.date is not None and doc.date.text:
            date_at = text.find(doc.date.text)
            if date_at >= 0:
                attrs = {"when": doc.date.when} if doc.date.when else {}
                spans.append(Span(date_at, date_at + len(doc.date.text), ("date", attrs)))
        if doc.place:
            at = text.find(doc.place)
            if at >= 0 and (date_at < 0 or at < date_at):
                spans.append(Span(at, at + len(doc.place), ("placeName", {})))
        if doc.received is not None and doc.received.when:
            at = text.find(doc.received.text)
            if at >= 0:
                spans.append(Span(at, at + len(doc.received.text), ("date", {"type": "received", "when-iso": doc.received.when})))
        return spans

    def write_body(self, div: etree._Element) -> None:
        """Paragraphs; runs of list items, table rows and quoted paragraphs in their own containers."""
        group: etree._Element | None = None
        group_kind = None
        for k, block in enumerate(self.doc.body):
            kind = CONTAINER_OF.get(block.kind)
            if kind is None:
                group = group_kind = None
                _fill(etree.SubElement(div, t("p")), block, [], self.points("body", k), whole_words=self.whole_words)
                continue
            if group is None or group_kind != kind:
                group, group_kind = etree.SubElement(div, t(kind)), kind
            if block.kind == "table":
                holder = etree.SubElement(etree.SubElement(group, t("row")), t("cell"))
            elif block.kind == "quote":
                holder = etree.SubElement(group, t("p"))
            else:
                holder = etree.SubElement(group, t(block.kind))
            _fill(holder, block, [], self.points("body", k), whole_words=self.whole_words)

    def write(self, parent: etree._Element, element: str) -> etree._Element:
        doc = self.doc
        div = etree.SubElement(parent, element)
        if element == t("div"):
            div.set("type", "document")
            div.set(XML_ID, self.doc_id)
            if doc.number:
                div.set("n", doc.number)
            if doc.channel:
                div.set("subtype", doc.channel)
        if doc.label:
            _fill(etree.SubElement(div, t("note"), type="source"), Block(doc.label), [], [])
        for k, note in enumerate(doc.notes):
            if note.kind == "source" and note.anchor is None:
                div.append(_note_element(note, self.doc_id, k, self.whole_words))
        if doc.head.text or any(n.anchor and n.anchor.part == "head" for n in doc.notes):
            _fill(etree.SubElement(div, t("head")), doc.head, self.head_spans(), self.points("head", 0),
                  whole_words=False)
        if doc.dateline is not None:
            _fill(etree.SubElement(div, t("dateline")), doc.dateline, self.dateline_spans(), self.points("dateline", 0),
                  DATELINE_OWN)
        self.write_body(div)
        if doc.closer:
            closer = etree.SubElement(div, t("closer"))
            for k, block in enumerate(doc.closer):
                if block.kind in ("signed", "salute"):
                    _fill(etree.SubElement(closer, t(block.kind)), block, [], self.points("closer", k),
                          whole_words=self.whole_words)
                else:
                    etree.SubElement(closer, t("lb"))
                    holder = etree.SubElement(closer, t("seg"))
                    _fill(holder, block, [], self.points("closer", k), whole_words=self.whole_words)
        for k, note in enumerate(doc.notes):
            if note.kind != "source" and note.anchor is None:
                div.append(_note_element(note, self.doc_id, k, self.whole_words))
        for enc in doc.enclosures:
            _DocWriter(enc).write(div, f"{{{FRUS_NS}}}attachment")
        return div


def _header(title: str, source: str | None) -> etree._Element:
    header = etree.Element(t("teiHeader"))
    file_desc = etree.SubElement(header, t("fileDesc"))
    etree.SubElement(etree.SubElement(file_desc, t("titleStmt")), t("title")).text = clean(title)
    pub = etree.SubElement(file_desc, t("publicationStmt"))
    etree.SubElement(pub, t("p")).text = f"Converted by despatch {__version__}."
    src = etree.SubElement(file_desc, t("sourceDesc"))
    etree.SubElement(src, t("p")).text = clean(f"Raw source: {source}" if source else "Raw source not recorded.")
    return header


def _referenced(docs: list[Document]) -> list[str]:
    refs: dict[str, None] = {}
    for doc in docs:
        for part in doc.all_documents():
            for holder in part.text_holders():
                for m in holder.mentions:
                    if m.ref:
                        refs[m.ref] = None
    return list(refs)


def _back(index: Mapping[str, Entity], refs: list[str]) -> etree._Element | None:
    """The index entries these documents point to: FRUS's persons list, with places and organizations."""
    lists = {"person": t("listPerson"), "place": t("listPlace"), "org": t("listOrg")}
    items = {"person": t("person"), "place": t("place"), "org": t("org")}
    names = {"person": t("persName"), "place": t("placeName"), "org": t("orgName")}
    div = etree.Element(t("div"), type="index")
    holders: dict[str, etree._Element] = {}
    for ref in refs:
        entry = index.get(ref)
        if entry is None:
            continue
        if entry.kind not in holders:
            holders[entry.kind] = etree.SubElement(div, lists[entry.kind])
        item = etree.SubElement(holders[entry.kind], items[entry.kind])
        item.set(XML_ID, xml_id(entry.id))
        etree.SubElement(item, names[entry.kind]).text = clean(entry.name)
        if entry.modern_name and entry.modern_name != entry.name:
            etree.SubElement(item, names[entry.kind], type="modern").text = clean(entry.modern_name)
        if entry.latitude is not None and entry.longitude is not None:
            location = etree.SubElement(item, t("location"))
            etree.SubElement(location, t("geo")).text = f"{entry.latitude} {entry.longitude}"
        if entry.description:
            etree.SubElement(item, t("note")).text = clean(entry.description)
    return div if len(div) else None


def tei_tree(docs: Iterable[Document], title: str | None = None, index: Mapping[str, Entity] | None = None) -> etree._Element:
    docs = list(docs)
    source = docs[0].source_file if docs else None
    root = etree.Element(t("TEI"), nsmap=NSMAP)
    root.append(_header(title or (docs[0].head.text if len(docs) == 1 and docs[0].head.text else source or "despatch"), source))
    text = etree.SubElement(root, t("text"))
    body = etree.SubElement(text, t("body"))
    for doc in docs:
        _DocWriter(doc).write(body, t("div"))
    if index:
        back = _back(index, _referenced(docs))
        if back is not None:
            etree.SubElement(text, t("back")).append(back)
    return root


def to_tei(docs: Iterable[Document], title: str | None = None, index: Mapping[str, Entity] | None = None) -> bytes:
    """The documents as one TEI file; with `index`, the entries they mention follow in `back`."""
    return etree.tostring(tei_tree(docs, title, index), xml_declaration=True, encoding="UTF-8", pretty_print=True)
