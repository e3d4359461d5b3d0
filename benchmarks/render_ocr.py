"""Render FRUS TEI documents as OCR of the printed volumes, with gold fields for scoring.

The held-back benchmark includes OCR of printed FRUS volumes, a raw form we
have no samples of, so this script typesets the TEI the way the book prints it
and then damages it the way OCR does:

- pages of 40-50 lines, hard-wrapped at 60-75 columns, with a running head
  (page number and volume or chapter title in capitals, or the number alone),
  pages split by a form feed or only by the running head;
- the heading and document number centred, the dateline and the signature set
  to the right, small capitals printed as capitals ("PETROGRAD", "SIR:");
- paragraphs shown by a first-line indent, blank lines, or both; words broken
  at line ends with a hyphen, real compounds broken at their own hyphen;
- footnotes at the foot of the page where their marker falls, under a short
  rule, under a blank line, or right under the text, numbered with the volume's
  running numbers (renumbered per page where those would clash or run
  backwards), markers printed as superscripts or as plain digits glued to the
  word ("Sheldon:1") or set off after a stop ("Sheldon: 1"); a note printed once
  for several markers of the same number; a note that does not fit runs on to
  the next page;
- the source note as a file-number line above the heading, or as the heading's
  footnote;
- in a minority of files light OCR noise: ligatures, stray "|" or "'" at line
  ends, "rn" read for "m".

That is one printer and one scanner. `--variants` asks for layouts a different
renderer (or real OCR of a printed volume) would plausibly produce, each seeded
on its own so that the default set ("classic", the layout above) reproduces:

- foot-folio: no running head; the page number centred at the foot ("— 248 —",
  "- 248 -", "248");
- title-head: a running head with the volume's or the chapter's title only, no
  number (now and then the number at the foot instead);
- feeds: no running heads or page numbers, pages split by form feeds only;
- bare: no running heads, page numbers or form feeds: a page break is a blank
  line and the next page's first line, the notes standing in mid-stream under
  a rule (or a blank line);
- endnotes: the notes of each document gathered after its closer, under a rule,
  a blank line or "NOTES", still numbered by the volume's running count;
- brackets: markers printed "[12]" or "(12)", glued to the word or after a
  space; the notes numbered alike, or "12." or "12";
- caret: markers printed "^12", or as digits after a space after any word
  ("Klotz 2 both");
- noisy: heavier OCR noise: "tlie" for "the", "1" for "l" inside a few words,
  doubled spaces, stray commas, as well as the light slips;
- flush: every line set full left, as OCR that keeps no layout gives it: no
  centred heading, no dateline or signature set right, no indents;
- mixed: every one of these drawn at random per file, with the classic ones.

Usage (teigold.py is read from ../shared/eval beside the repository):
  python benchmarks/render_ocr.py ../shared/frus/*.xml --out /tmp/ocr-dev --sample 40 --runs 3 --seed 11
  PATH=.venv/bin:$PATH ../shared/eval/run.sh /tmp/ocr-dev
  python benchmarks/render_ocr.py ../shared/frus/*.xml --out /tmp/ocr-var --sample 7 --runs 1 --variants all

writes OUT/ocr/<volume>-<docid>.txt (one document), OUT/ocr/<volume>-pages<NN>.txt
(4-12 consecutive documents) and OUT/gold.jsonl, one line per file:
{"file": "ocr/...", "style": "ocr" | "chapter-ocr", "docs": [teigold.document_fields(div), ...]}.
A variant's files go to OUT/ocr-<variant>/ and their gold lines carry "variant": <name>.
"""
from __future__ import annotations

import argparse
import copy
import json
import random
import re
import sys
from dataclasses import dataclass, field
from itertools import pairwise
from pathlib import Path

from lxml import etree

EVAL_DIR = Path(__file__).resolve().parents[1].parent / "shared" / "eval"
sys.path.insert(0, str(EVAL_DIR))
import teigold  # the benchmark's own gold reader, beside the repo

TEI = "{http://www.tei-c.org/ns/1.0}"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
MARK_RE = re.compile("\x00(\\d+)\x00")  # a footnote placeholder inside text being typeset
TRAILING_MARKS_RE = re.compile("(?:\x00\\d+\x00)*$")
NBSP = "\x01"  # a space the line breaker must not break at ("Sheldon: 1")
LB = "\x02"  # a printed line end (<lb/>) in a dateline or closer, as against the XML's own newlines
SUPERSCRIPT = str.maketrans("0123456789abcdefgh", "⁰¹²³⁴⁵⁶⁷⁸⁹ᵃᵇᶜᵈᵉᶠᵍʰ")
VOWELS = set("aeiouyAEIOUYéèöü")
# Letter pairs a typesetter does not break between ("ca-tch" is wrong, "cat-ch" too).
DIGRAPHS = {"th", "ch", "sh", "ph", "gh", "ck", "qu", "ng", "wh", "wr", "kn", "gn"}
RULES = ["———", "____", "—————", "________"]
# How a page number alone is printed at the foot of a page.
FOLIO_FORMS = ["— {} —", "- {} -", "{}", "{}"]
ENDNOTE_HEADS = ["———", "____", "", "NOTES", "Notes"]  # "": a blank line over the endnotes
SKIP = {"pb", "fw", "figure", "anchor"}
MARKER_EXTRA = {"bracket": 2, "paren": 2, "caret": 1}
BLOCKS = {"quote", "list", "table"}


def local(el) -> str:
    return etree.QName(el).localname if isinstance(el.tag, str) else ""


def squash(text: str) -> str:
    return re.sub(r"\s+", " ", text).strip()


# ---------------------------------------------------------------- what is printed


@dataclass
class Footnote:
    """A note printed at the foot of a page; `gold_n` is its number in the volume (None: the source note)."""

    text: str
    gold_n: str | None
    extra: int = 0  # printed width of the marker beyond its digits: 2 for "[12]", 1 for "^12"


@dataclass
class Piece:
    """A printed unit: a paragraph, a centred heading line, a right-set dateline or signature line."""

    text: str  # with \x00K\x00 where footnote K's marker stands
    align: str  # "para", "flush", "center", "right"
    front: bool = False  # heading, source and dateline lines: set apart by blank lines in some styles


@dataclass
class Style:
    """How one file is printed and scanned; drawn at random per file so a reader must be general."""

    width: int
    page_lines: int
    paragraphs: str  # "indent", "blank", "both"
    indent: int
    markers: str  # "super", "glued", "spaced"; the variants add "bracket", "paren", "caret", "space"
    rule: str | None  # the rule over the notes; "": none, nor a blank line (notes right under the text)
    head: str  # "full", "number"; the variants add "title" (no number) and "none"
    form_feed: bool
    source: str  # "line", "footnote"
    numbers: str | None  # how document numbers are printed, None: not at all
    hyphenate: float
    noise: bool
    note_indent: int
    # the variants (`--variants`); the defaults print as the classic layout does
    folio: str = "head"  # where the page number stands: "head" (in the running head), "foot", "none"
    folio_form: str = "{}"  # a page number at the foot: "— {} —", "- {} -", "{}"
    notes_at: str = "page"  # "page": at the foot of each page; "end": after each document
    endnote_head: str = ""  # what stands over the endnotes: a rule, "" (a blank line), "NOTES"
    note_label: str = "same"  # a note's number at the foot: "same" as its marker, "dot" ("12."), "plain" ("12")
    marker_gap: bool = False  # a bracketed marker set after a space: "Sheldon: [1]"
    heavy_noise: bool = False
    flush: bool = False  # leading spaces dropped from every line


def draw_style(rng: random.Random) -> Style:
    paragraphs = rng.choice(["indent", "indent", "blank", "both"])
    return Style(
        width=rng.randint(60, 75),
        page_lines=rng.randint(40, 50),
        paragraphs=paragraphs,
        indent=rng.randint(2, 5),
        markers=rng.choice(["super", "super", "glued", "spaced"]),
        rule=rng.choice(RULES + ["", None, None]),
        head=rng.choice(["full", "full", "full", "number"]),
        form_feed=rng.random() < 0.5,
        source=rng.choice(["line", "footnote"]),
        numbers=rng.choice([None, None, "{}.", "No. {}"]),
        hyphenate=rng.uniform(0.4, 0.9),
        noise=rng.random() < 0.3,
        note_indent=rng.choice([0, 2, 3]),
    )


VARIANTS = ["foot-folio", "title-head", "feeds", "bare", "endnotes", "brackets", "caret", "noisy", "flush", "mixed"]


def draw_variant(rng: random.Random, name: str) -> Style:
    """A file's style in one of the variants: the classic draw, then the variant's own choices."""
    style = draw_style(rng)
    if name == "mixed":
        parts = [v for v in VARIANTS[:-1] if rng.random() < 0.35]
        # one way of marking pages: a file has heads, a foot folio, feeds or nothing
        pages = [v for v in parts if v in ("foot-folio", "title-head", "feeds", "bare")]
        parts = [v for v in parts if v not in pages] + pages[-1:]
    else:
        parts = [name]
    for part in parts:
        if part == "foot-folio":
            style.head, style.folio = "none", "foot"
            style.folio_form = rng.choice(FOLIO_FORMS)
        elif part == "title-head":
            style.head = "title"
            style.folio = "foot" if rng.random() < 0.3 else "none"
            style.folio_form = rng.choice(FOLIO_FORMS)
        elif part == "feeds":
            style.head, style.folio, style.form_feed = "none", "none", True
        elif part == "bare":
            style.head, style.folio, style.form_feed = "none", "none", False
            style.rule = rng.choice(RULES + [None])
        elif part == "endnotes":
            style.notes_at = "end"
            style.endnote_head = rng.choice(ENDNOTE_HEADS)
        elif part == "brackets":
            style.markers = rng.choice(["bracket", "paren"])
            style.marker_gap = rng.random() < 0.4
            style.note_label = rng.choice(["same", "same", "dot", "plain"])
        elif part == "caret":
            style.markers = rng.choice(["caret", "space"])
            style.note_label = rng.choice(["same", "dot", "plain"])
        elif part == "noisy":
            style.noise, style.heavy_noise = True, True
        elif part == "flush":
            style.flush = True
    return style


class Collector:
    """Walks one document div and lists its printed pieces and footnotes, in print order."""

    def __init__(self, style: Style, notes: list[Footnote]):
        self.style = style
        self.notes = notes
        self.pieces: list[Piece] = []

    def mark(self, text: str, gold_n: str | None) -> str:
        self.notes.append(Footnote(squash(text), gold_n, MARKER_EXTRA.get(self.style.markers, 0)))
        return f"\x00{len(self.notes) - 1}\x00"

    def inline(self, el, lines: bool = False) -> str:
        """The printed text of el: small capitals in capitals, notes as placeholders, <lb/> as a line end or space."""
        parts: list[str] = []

        def walk(node, caps: bool) -> None:
            name = local(node)
            if name == "note":
                if node.get("type") != "source":
                    parts.append(self.mark(teigold.text_of(node, skip_notes=False), node.get("n")))
            elif name in SKIP:
                pass
            elif name == "lb":
                parts.append(LB if lines else " ")
            else:
                inner_caps = caps or (name == "hi" and node.get("rend") == "smallcaps")
                if node.text:
                    parts.append(node.text.upper() if inner_caps else node.text)
                for child in node:
                    walk(child, inner_caps)
            if node is not el and node.tail:
                parts.append(node.tail.upper() if caps else node.tail)

        walk(el, False)
        text = "".join(parts)
        # a marker set after a space in the TEI is printed against the word before it
        text = re.sub(r"\s+(\x00\d+\x00)", r"\1", text)
        if lines:
            return "\n".join(squash(t) for t in text.split(LB) if t.strip())
        return squash(text)

    def add(self, text: str, align: str, front: bool = False) -> None:
        """A piece; centred and right-set text keeps its line ends ("\\n")."""
        text = text.strip()
        if text:
            self.pieces.append(Piece(text, align, front))

    def document(self, div, number: str | None) -> None:
        """The pieces of a document: number, source line, heading, dateline, body, closer, enclosures."""
        if number and self.style.numbers:
            self.add(self.style.numbers.format(number), "center", front=True)
        # the later volumes print the source (file number and channel) as the heading's footnote
        sources = [c for c in div if local(c) == "note" and c.get("type") == "source"]
        texts = [squash(teigold.text_of(c)) for c in sources]
        as_footnote = self.style.source == "footnote" and any(not t.startswith("[") for t in texts)
        head_at: int | None = None
        for child in div:
            name = local(child)
            if name == "note" and child.get("type") == "source":
                text = squash(teigold.text_of(child))
                if not as_footnote:
                    self.add(text, "center" if text.startswith("[") else "flush", front=True)
            elif name == "head":
                head_at = len(self.pieces)
                self.add(self.inline(child), "center", front=True)
            else:
                self.body(child)
        if as_footnote and head_at is not None and head_at < len(self.pieces):
            # the source note is the heading's first footnote: its marker goes before any other at the end
            head = self.pieces[head_at]
            trailing = TRAILING_MARKS_RE.search(head.text)
            at = trailing.start() if trailing else len(head.text)
            head.text = head.text[:at] + self.mark(" ".join(texts), None) + head.text[at:]

    def body(self, el) -> None:
        name = local(el)
        if name == "note":
            if el.get("type") == "source":
                text = squash(teigold.text_of(el))
                if text:
                    self.add(text, "center", front=True)
            elif self.pieces:
                # a note standing between the parts ("[Translation]" with a note on it): marker on the line before
                self.pieces[-1].text += self.mark(teigold.text_of(el, skip_notes=False), el.get("n"))
        elif name in SKIP:
            return
        elif name == "head":
            self.add(self.inline(el), "center", front=True)
        elif name == "dateline":
            self.add(self.inline(el, lines=True), "right", front=True)
        elif name == "opener":
            for sub in el:
                if local(sub) == "dateline":
                    self.body(sub)
                else:
                    self.paragraph(sub)
        elif name in ("p", "ab", "salute"):
            self.paragraph(el)
        elif name == "quote":
            inner = [c for c in el if local(c) in ("p", "list", "table", "quote")]
            if inner and not (el.text or "").strip():
                for c in inner:
                    self.body(c)
            else:
                self.add(self.inline(el), "para")
        elif name == "list":
            pending = ""
            for item in el:
                if local(item) == "label":
                    pending = self.inline(item)
                elif local(item) == "item":
                    self.paragraph(item, prefix=pending)
                    pending = ""
                elif local(item) == "head":
                    self.add(self.inline(item), "center")
        elif name == "table":
            for row in el.iter(f"{TEI}row"):
                cells = [self.inline(c) for c in row if local(c) == "cell"]
                self.add("   ".join(c for c in cells if c), "flush")
        elif name == "closer":
            if any(local(c) == "list" for c in el.iter()):
                for item in el.iter(f"{TEI}item"):
                    self.add(self.inline(item), "right")
            else:
                self.add(self.inline(el, lines=True), "right")
        elif name in ("postscript", "attachment", "div"):  # a nested div: an enclosure printed in full
            for sub in el:
                self.body(sub)
        else:
            text = self.inline(el)
            if text:
                self.add(text, "para")

    def paragraph(self, p, prefix: str = "") -> None:
        """A paragraph (or list item, after its label); quotes, lists and tables in it are printed on their own."""
        align = {"flushleft": "flush", "center": "center", "right": "right"}.get(p.get("rend") or "", "para")
        if not any(local(c) in BLOCKS for c in p):
            self.add(squash(f"{prefix} {self.inline(p)}"), align)
            return
        # the paragraph's own text is cut around the blocks it holds; each run is printed on its own
        holder = etree.Element(f"{TEI}p")
        holder.text = f"{prefix} {p.text or ''}"
        for c in p:
            if local(c) in BLOCKS:
                self.add(self.inline(holder), align)
                align = "flush"  # what follows a block quote goes on with the paragraph, unindented
                self.body(c)
                holder = etree.Element(f"{TEI}p")
                holder.text = c.tail
            else:
                holder.append(copy.deepcopy(c))  # the copy keeps its tail
        self.add(self.inline(holder), align)


# ---------------------------------------------------------------- typesetting


@dataclass
class Line:
    """A printed body line, placeholders still in, and the footnotes whose markers it carries."""

    text: str
    notes: list[int] = field(default_factory=list)


def display_len(word: str, notes: list[Footnote]) -> int:
    """Printed width: a placeholder is as wide as its note's number (and brackets)."""
    def shown(m: re.Match[str]) -> str:
        note = notes[int(m.group(1))]
        return "x" * (len(note.gold_n or "9") + note.extra)

    return len(MARK_RE.sub(shown, word))


def syllable_breaks(core: str) -> list[int]:
    """Places a typesetter might break a plain word: vowel | consonant-vowel, or consonant | consonant."""
    out = []
    for i in range(3, len(core) - 2):
        a, b, c = core[i - 1], core[i], core[i + 1]
        if (a + b).lower() in DIGRAPHS or (b + c).lower() in DIGRAPHS:
            continue
        if (a in VOWELS and b not in VOWELS and c in VOWELS) or (a not in VOWELS and b not in VOWELS):
            out.append(i)
    return out


def split_word(word: str, room: int, rng: random.Random, prob: float, notes: list[Footnote]) -> tuple[str, str] | None:
    """The word broken so that its first part, hyphen included, fits in `room`; None to carry it whole."""
    if room < 3 or rng.random() > prob:
        return None
    # a compound or a dash-joined pair breaks at its own hyphen or dash, nothing added
    for sep in ("-", "—"):
        at = word.rfind(sep, 0, len(word) - 1)
        while at > 0:
            head = word[: at + 1]
            if display_len(head, notes) <= room and not MARK_RE.search(head):
                return head, word[at + 1:]
            at = word.rfind(sep, 0, at)
    m = re.match(r"^([“\"(\[‘]*)([A-Za-zéèöü]+)(.*)$", word)
    if not m or len(m.group(2)) < 6 or "-" in word or "—" in word:
        return None
    lead, core, rest = m.groups()
    for i in reversed(syllable_breaks(core)):
        head = lead + core[:i] + "-"
        if len(head) <= room:
            return head, core[i:] + rest
    return None


def wrap(text: str, width: int, first_indent: int, rng: random.Random, prob: float, notes: list[Footnote]) -> list[str]:
    """Hard-wrap text at `width`, the first line indented, breaking words with a hyphen now and then."""
    words = [w for w in text.split(" ") if w]
    lines: list[str] = []
    cur, cur_len, fresh = " " * first_indent, first_indent, True
    i = 0
    while i < len(words):
        w = words[i]
        need = display_len(w, notes) + (0 if fresh else 1)
        if cur_len + need <= width or fresh:
            cur += w if fresh else " " + w
            cur_len += need
            fresh = False
            i += 1
            continue
        parts = split_word(w, width - cur_len - 1, rng, prob, notes)
        if parts:
            cur += " " + parts[0]
            words[i] = parts[1]
        lines.append(cur)
        cur, cur_len, fresh = "", 0, True
    if not fresh:
        lines.append(cur)
    return lines


def typeset(pieces: list[Piece], style: Style, rng: random.Random, notes: list[Footnote]) -> list[Line]:
    """The printed lines of one document: headings centred, dateline and signature set right, paragraphs wrapped."""
    out: list[Line] = []
    width = style.width
    prev: Piece | None = None
    for piece in pieces:
        text = piece.text
        if style.markers == "spaced":
            # OCR reads the superscript after a stop as a number set off by a space: "Sheldon: 1"
            text = re.sub(r"([.,;:)\]”’])(\x00\d+\x00)", lambda m: m.group(1) + NBSP + m.group(2), text)
        elif style.markers == "space" or (style.marker_gap and style.markers in ("bracket", "paren")):
            # after any word: "Klotz 2 both", "Sheldon: [1]"
            text = re.sub(r"(?<=\S)(\x00\d+\x00)", NBSP + r"\1", text)
        blank = prev is not None and (
            style.paragraphs != "indent" or piece.front != prev.front or (piece.front and rng.random() < 0.3)
        )
        if blank and out and out[-1].text:
            out.append(Line(""))
        for segment in text.split("\n"):
            if piece.align == "center":
                for ln in wrap(segment, width - 16, 0, rng, 0.0, notes):
                    out.append(Line(" " * max(0, (width - display_len(ln, notes)) // 2) + ln))
            elif piece.align == "right":
                for ln in wrap(segment, width - 14, 0, rng, 0.0, notes):
                    out.append(Line(" " * max(0, width - display_len(ln, notes)) + ln))
            else:
                indent = style.indent if piece.align == "para" and style.paragraphs != "blank" else 0
                out += [Line(ln) for ln in wrap(segment, width, indent, rng, style.hyphenate, notes)]
        prev = piece
    for line in out:
        line.notes = [int(k) for k in MARK_RE.findall(line.text)]
    return out


# ---------------------------------------------------------------- pages


@dataclass
class Page:
    body: list[Line] = field(default_factory=list)
    notes: list[int] = field(default_factory=list)  # notes printed here, once each, in marker order
    carried: list[str] = field(default_factory=list)  # the end of a note begun on the page before
    cut: int = 0  # lines of the last note printed here when it runs on (0: all of it)


def note_key(k: int, notes: list[Footnote]) -> tuple[str | None, str]:
    # two markers with the same number and text point at one printed note ("25 Not printed.")
    return (notes[k].gold_n, notes[k].text) if notes[k].gold_n is not None else (f"#{k}", notes[k].text)


def paginate(lines: list[Line], style: Style, notes: list[Footnote], wrapped: dict[int, list[str]]) -> list[Page]:
    """Fill pages with body lines and each page's notes at its foot; a note that does not fit runs on."""
    # under the running head and its blank line, over the page number at the foot and its blank line
    room = style.page_lines - (2 if style.head != "none" else 0) - (2 if style.folio == "foot" else 0)
    pages: list[Page] = []
    page = Page()

    def foot(p: Page, extra: list[int]) -> int:
        n = len(p.carried) + sum(len(wrapped[k]) for k in p.notes + extra)
        return n + 2 if n else 0  # a blank line and the rule (or a second blank)

    def new_notes(p: Page, line: Line) -> list[int]:
        keys = {note_key(k, notes) for k in p.notes}
        out = []
        for k in line.notes:
            if note_key(k, notes) not in keys:
                keys.add(note_key(k, notes))
                out.append(k)
        return out

    def next_page(carried: list[str]) -> Page:
        nonlocal page
        pages.append(page)
        # a run-on longer than a page fills pages of its own
        while len(carried) + 2 > room - 4:
            pages.append(Page(carried=carried[: room - 6]))
            carried = carried[room - 6:]
        page = Page(carried=carried)
        return page

    for line in lines:
        if not page.body and not line.text:
            continue  # a page never opens with a blank line
        new = new_notes(page, line)
        if len(page.body) + 1 + foot(page, new) <= room:
            page.body.append(line)
            page.notes += new
            continue
        if new:
            # set the line here and let its last note run on, if two lines of that note still fit
            used = len(page.body) + 1 + foot(page, new[:-1]) + (0 if foot(page, new[:-1]) else 2)
            free = room - used
            if free >= 2 and len(wrapped[new[-1]]) > free:
                page.body.append(line)
                page.notes += new
                page.cut = free
                next_page(wrapped[new[-1]][free:])
                continue
        next_page([])
        if line.text:
            page.body.append(line)
            page.notes += new_notes(page, line)
    pages.append(page)
    return [p for p in pages if p.body or p.notes or p.carried]


def number_notes(pages: list[Page], notes: list[Footnote]) -> list[dict[int, str]]:
    """The number printed for each note on each page: the volume's, unless the page would print one twice."""
    out: list[dict[int, str]] = []
    for page in pages:
        numbers: dict[int, str] = {}
        texts: dict[str, str] = {}
        clash = False
        for k in page.notes:
            n = notes[k].gold_n
            if n is not None:
                clash = clash or texts.get(n, notes[k].text) != notes[k].text
                texts[n] = notes[k].text
                numbers[k] = n
        for k in page.notes:
            if notes[k].gold_n is None:
                # the heading's source note takes the number before the page's first, as a running series would
                first = next((notes[j].gold_n or "" for j in page.notes if notes[j].gold_n), "")
                guess = str(int(first) - 1) if first.isdigit() and int(first) > 1 else ""
                clash = clash or not guess or guess in texts
                numbers[k] = guess
                texts[guess] = notes[k].text
        printed = [int(numbers[k]) for k in page.notes if numbers.get(k, "").isdigit()]
        if any(b <= a for a, b in pairwise(printed)):
            clash = True  # numbers on a page run upward: these came from different printed pages
        if clash:
            # the volume numbers its notes page by page: so do we
            numbers = {k: str(i + 1) for i, k in enumerate(page.notes)}
        # a second marker for a note printed once takes that note's number
        by_key = {note_key(k, notes): numbers[k] for k in page.notes}
        for line in page.body:
            for k in line.notes:
                numbers.setdefault(k, by_key.get(note_key(k, notes), "1"))
        out.append(numbers)
    return out


def running_head(page_no: int, style: Style, titles: tuple[str, str]) -> str:
    """ "248        FOREIGN RELATIONS, 1918, RUSSIA, VOLUME III" on the left page, "RUSSIA    249" on the right."""
    w = style.width
    if style.head == "title":
        title = titles[page_no % 2]
        return " " * max(0, (w - len(title)) // 2) + title
    if style.head == "number":
        return f"{page_no:>{w}}" if page_no % 2 else str(page_no)
    if page_no % 2 == 0:
        gap = max(4, (w - len(titles[0])) // 2 - len(str(page_no)))
        return f"{page_no}{' ' * gap}{titles[0]}"
    line = " " * max(0, (w - len(titles[1])) // 2) + titles[1]
    return line + " " * max(4, w - len(line) - len(str(page_no))) + str(page_no)


MARKER_FORMS = {"super": "{}", "bracket": "[{}]", "paren": "({})", "caret": "^{}"}


def fill_markers(text: str, numbers: dict[int, str], style: Style) -> str:
    """Placeholders replaced by the markers as printed: "¹²", or digits glued on ("Sheldon:1", "Sheldon: 1"),
    "[12]", "(12)", "^12"."""
    def marker(m: re.Match[str]) -> str:
        number = numbers.get(int(m.group(1))) or "1"
        if style.markers == "super":
            return number.translate(SUPERSCRIPT)
        return MARKER_FORMS.get(style.markers, "{}").format(number)

    return MARK_RE.sub(marker, text).replace(NBSP, " ")


def note_label(number: str, style: Style) -> str:
    """A note's number as printed at its head: as its marker, "12." or "12"."""
    if style.note_label == "dot":
        return f"{number}."
    if style.note_label == "plain":
        return number
    return number.translate(SUPERSCRIPT) if style.markers == "super" else MARKER_FORMS.get(style.markers, "{}").format(number)


def label_note(lines: list[str], k: int, numbers: dict[int, str], style: Style) -> list[str]:
    """A wrapped note's lines with its number printed the style's way; the classic way is the marker's own."""
    if style.note_label == "same" and style.markers in ("super", "glued", "spaced"):
        return [fill_markers(ln, numbers, style) for ln in lines]
    head = lines[0].replace(f"\x00{k}\x00", note_label(numbers.get(k) or "1", style), 1)
    return [fill_markers(ln, numbers, style) for ln in [head, *lines[1:]]]


def compose(pages: list[Page], style: Style, notes: list[Footnote], wrapped: dict[int, list[str]],
            rng: random.Random, first_page: int, titles: tuple[str, str], endnumbers: dict[int, str]) -> str:
    """The OCR text: each page's running head, body, and notes under a rule; and its page number."""
    numbering = [endnumbers] * len(pages) if style.notes_at == "end" else number_notes(pages, notes)
    out: list[str] = []
    for p, page in enumerate(pages):
        nums = numbering[p]
        body = [fill_markers(line.text, nums, style) for line in page.body]
        foot = list(page.carried)
        for i, k in enumerate(page.notes):
            lines = wrapped[k]
            if page.cut and i == len(page.notes) - 1:
                lines = lines[: page.cut]
            foot += label_note(lines, k, nums, style)
        head = [running_head(first_page + p, style, titles), ""] if style.head != "none" else []
        lines = head + body
        while lines and not lines[-1].strip():
            lines.pop()
        if foot:
            lines += [] if style.rule == "" else [""] if style.rule is None else ["", style.rule]
            lines += foot
        if style.noise:
            lines = lines[:len(head)] + add_noise(lines[len(head):], rng)
        if style.heavy_noise:
            lines = lines[:len(head)] + add_heavy_noise(lines[len(head):], rng)
        if style.folio == "foot":
            folio = style.folio_form.format(first_page + p)
            lines += ["", " " * max(0, (style.width - len(folio)) // 2) + folio]
        if style.flush:
            lines = [ln.lstrip() for ln in lines]
        text = "\n".join(lines) + "\n"
        if p:
            text = ("\f" if style.form_feed else "\n") + text
        out.append(text)
    return "".join(out)


def add_noise(lines: list[str], rng: random.Random) -> list[str]:
    """A few OCR slips on a page: a ligature, a speck at a line end, "rn" read for "m"."""
    lines = list(lines)
    filled = [i for i, ln in enumerate(lines) if len(ln.strip()) > 20]
    for _ in range(rng.randint(1, 4) if filled else 0):
        i = rng.choice(filled)
        ln, kind = lines[i], rng.random()
        if kind < 0.4:
            m = re.search(r"f[il]", ln)
            if m:
                lines[i] = ln[: m.start()] + ("ﬁ" if m.group(0) == "fi" else "ﬂ") + ln[m.end():]
        elif kind < 0.75:
            lines[i] = ln.rstrip() + rng.choice([" |", "|", " '"])
        else:
            words = [m for m in re.finditer(r"\b[a-z]*m[a-z]*\b", ln) if len(m.group(0)) >= 5]
            if words:
                m = rng.choice(words)
                lines[i] = ln[: m.start()] + m.group(0).replace("m", "rn", 1) + ln[m.end():]
    return lines


# Words OCR misreads in a worn or faint print: "tlie" for "the", "1" for "l".
THE_RE = re.compile(r"\b([Tt])he\b")
L_WORD_RE = re.compile(r"\b[A-Za-z]*[a-z]l[a-z][A-Za-z]*\b|\bl[a-z]{3,}\b")


def add_heavy_noise(lines: list[str], rng: random.Random) -> list[str]:
    """More slips on a page, each still a scorable word: "tlie", "a1so", doubled spaces, stray commas."""
    lines = list(lines)
    filled = [i for i, ln in enumerate(lines) if len(ln.strip()) > 20]
    for _ in range(rng.randint(3, 8) if filled else 0):
        i = rng.choice(filled)
        ln, kind = lines[i], rng.random()
        if kind < 0.35:
            found = list(THE_RE.finditer(ln))
            if found:
                m = rng.choice(found)
                lines[i] = ln[: m.start()] + m.group(1) + "lie" + ln[m.end():]
        elif kind < 0.55:
            found = list(L_WORD_RE.finditer(ln))
            if found:
                m = rng.choice(found)
                word = m.group(0)
                at = rng.choice([j for j, c in enumerate(word[:-1]) if c == "l"])  # never the last letter
                lines[i] = ln[: m.start()] + word[:at] + "1" + word[at + 1:] + ln[m.end():]
        elif kind < 0.8:
            gaps = [m.start() for m in re.finditer(r"(?<=\S) (?=\S)", ln)]
            if gaps:
                at = rng.choice(gaps)
                lines[i] = ln[:at] + "  " + ln[at + 1:]
        else:
            gaps = [m.start() for m in re.finditer(r"(?<=[a-z]) (?=[a-z])", ln)]
            if gaps:
                at = rng.choice(gaps)
                lines[i] = ln[:at] + rng.choice([",", " ,", "."]) + ln[at:]
    return lines


# ---------------------------------------------------------------- volumes


def titles_of(tree, div) -> tuple[str, str]:
    """Running titles: the volume's ("FOREIGN RELATIONS, 1918, RUSSIA, VOLUME III") and the country's ("RUSSIA")."""
    def title(kind: str) -> str:
        return squash(" ".join(tree.xpath(f"//t:titleStmt/t:title[@type='{kind}']//text()", namespaces=NS)))

    year = re.search(r"\b1[89]\d\d\b", title("series") + " " + title("complete"))
    volume = title("volume").split(",")[0]
    if len(volume) > 20:
        volume = ""
    left = ", ".join(x for x in ("FOREIGN RELATIONS", year.group(0) if year else "", volume, title("volumenumber")) if x)
    right = ""
    for anc in div.iterancestors(f"{TEI}div"):
        head = anc.find(f"{TEI}head")
        if anc.get("type") == "compilation" and head is not None:
            right = squash(head.text or "").rstrip(":")
            break
    right = right if 0 < len(right) <= 30 else (volume or "FOREIGN RELATIONS")
    return left.upper(), right.upper()


def first_pages(tree) -> dict[str, int]:
    """For each document div (by its path in the tree), the printed page it starts on."""
    out: dict[str, int] = {}
    page = 0
    for el in tree.iter(f"{TEI}pb", f"{TEI}div"):
        if local(el) == "pb":
            n = el.get("n") or ""
            page = int(n) if n.isdigit() else page
        elif el.get("type") == "document":
            out[tree.getpath(el)] = page
    return out


def number_endnotes(lines: list[Line], notes: list[Footnote]) -> tuple[list[int], dict[int, str]]:
    """A document's notes printed once each, in marker order, and every marker's number: the volume's
    running count, unless the document would print one number twice or backwards (then 1, 2, ...)."""
    printed: list[int] = []
    keys: dict[tuple[str | None, str], int] = {}
    for line in lines:
        for k in line.notes:
            if note_key(k, notes) not in keys:
                keys[note_key(k, notes)] = k
                printed.append(k)
    numbers = {k: notes[k].gold_n or "" for k in printed}
    first = next((numbers[k] for k in printed if numbers[k]), "")
    for k in printed:
        if not numbers[k]:  # the heading's source note takes the number before the first
            numbers[k] = str(int(first) - 1) if first.isdigit() and int(first) > 1 else ""
    values = [numbers[k] for k in printed]
    digits = [int(v) for v in values if v.isdigit()]
    if "" in values or len(set(values)) < len(values) or any(b <= a for a, b in pairwise(digits)):
        numbers = {k: str(i + 1) for i, k in enumerate(printed)}
    for line in lines:
        for k in line.notes:
            numbers.setdefault(k, numbers[keys[note_key(k, notes)]])
    return printed, numbers


def endnotes(lines: list[Line], style: Style, rng: random.Random, notes: list[Footnote],
             numbers: dict[int, str]) -> list[Line]:
    """A document's notes after its closer, under a rule, a blank line or a "NOTES" heading; markers
    stay in the text and leave the page's foot empty."""
    printed, own = number_endnotes(lines, notes)
    numbers.update(own)
    for line in lines:
        line.notes = []
    if not printed:
        return []
    out = [Line("")]
    if style.endnote_head in RULES:
        out.append(Line(style.endnote_head))
    elif style.endnote_head:
        out += [Line(" " * max(0, (style.width - len(style.endnote_head)) // 2) + style.endnote_head), Line("")]
    for k in printed:
        text = f"{note_label(own[k], style)} {notes[k].text}"
        out += [Line(ln) for ln in wrap(text, style.width, style.note_indent, rng, style.hyphenate, notes)]
    return out


def render(divs: list, style: Style, rng: random.Random, titles: tuple[str, str], first_page: int) -> str:
    """The OCR text of consecutive documents, as they run on over the printed pages."""
    notes: list[Footnote] = []
    lines: list[Line] = []
    endnumbers: dict[int, str] = {}
    for d in divs:
        col = Collector(style, notes)
        col.document(d, d.get("n"))
        if lines:
            lines += [Line(""), Line("")]
        doc = typeset(col.pieces, style, rng, notes)
        lines += doc
        if style.notes_at == "end":
            lines += endnotes(doc, style, rng, notes, endnumbers)
    wrapped = {k: wrap(f"\x00{k}\x00 {note.text}", style.width, style.note_indent, rng, style.hyphenate, notes)
               for k, note in enumerate(notes)} if style.notes_at == "page" else {}
    pages = paginate(lines, style, notes, wrapped)
    return compose(pages, style, notes, wrapped, rng, first_page, titles, endnumbers)


def render_volume(path: Path, out: Path, args: argparse.Namespace, rng: random.Random,
                  variant: str = "classic") -> list[dict]:
    """Single documents and runs of documents from one volume in one layout, written under out/ocr
    (out/ocr-<variant> for a variant); their gold lines."""
    folder = "ocr" if variant == "classic" else f"ocr-{variant}"
    extra = {} if variant == "classic" else {"variant": variant}

    def style() -> Style:
        return draw_style(rng) if variant == "classic" else draw_variant(rng, variant)

    vol = path.stem
    tree = etree.parse(str(path), etree.XMLParser(huge_tree=True))
    pages = first_pages(tree)
    divs = [d for d in tree.iter(f"{TEI}div") if d.get("type") == "document" and d.find(f"{TEI}head") is not None]
    short = [not args.max_chars or len(squash(teigold.text_of(d, skip_notes=False))) <= args.max_chars for d in divs]
    gold: list[dict] = []
    pool = [k for k in range(len(divs)) if short[k]]
    for k in rng.sample(pool, min(args.sample, len(pool))):
        d = divs[k]
        name = f"{vol}-{d.get(XML_ID) or f'n{k}'}.txt"
        text = render([d], style(), rng, titles_of(tree, d), pages.get(tree.getpath(d)) or rng.randint(2, 900))
        (out / folder / name).write_text(text, encoding="utf-8")
        gold.append({"file": f"{folder}/{name}", "style": "ocr", **extra, "docs": [teigold.document_fields(d)]})
    for r in range(args.runs):
        start, size = 0, 4
        for _ in range(500):  # a run of consecutive documents, short ones only for fixtures
            size = rng.randint(4, 12) if not args.max_chars else 4
            start = rng.randrange(0, max(1, len(divs) - size))
            if all(short[start:start + size]):
                break
        run = divs[start:start + size]
        name = f"{vol}-pages{r:02d}.txt"
        text = render(run, style(), rng, titles_of(tree, run[0]), pages.get(tree.getpath(run[0])) or rng.randint(2, 900))
        (out / folder / name).write_text(text, encoding="utf-8")
        gold.append({"file": f"{folder}/{name}", "style": "chapter-ocr", **extra,
                     "docs": [teigold.document_fields(d) for d in run]})
    return gold


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("volumes", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--sample", type=int, default=40, help="single-document files per volume")
    ap.add_argument("--runs", type=int, default=3, help="multi-document files per volume")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--max-chars", type=int, default=0, help="only documents this short (small fixtures)")
    ap.add_argument("--variants", default="classic",
                    help=f"comma-separated layouts: classic, {', '.join(VARIANTS)}, or all (the variants)")
    args = ap.parse_args(argv)
    variants = VARIANTS if args.variants == "all" else [v.strip() for v in args.variants.split(",") if v.strip()]
    unknown = [v for v in variants if v != "classic" and v not in VARIANTS]
    if unknown:
        ap.error(f"unknown variant {unknown[0]!r}")
    out = Path(args.out)
    gold: list[dict] = []
    for variant in variants:
        (out / ("ocr" if variant == "classic" else f"ocr-{variant}")).mkdir(parents=True, exist_ok=True)
        for path in args.volumes:
            # the classic layout keeps its first seeds, so the sets made before variants existed reproduce
            seed = f"{args.seed}-{Path(path).stem}" + ("" if variant == "classic" else f"-{variant}")
            gold += render_volume(Path(path), out, args, random.Random(seed), variant)
    with open(out / "gold.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(g, ensure_ascii=False) + "\n" for g in gold)
    print(f"{len(gold)} files in {out}")


if __name__ == "__main__":
    main()
