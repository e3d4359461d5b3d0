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

Usage (teigold.py is read from ../shared/eval beside the repository):
  python benchmarks/render_ocr.py ../shared/frus/*.xml --out /tmp/ocr-dev --sample 40 --runs 3 --seed 11
  PATH=.venv/bin:$PATH ../shared/eval/run.sh /tmp/ocr-dev

writes OUT/ocr/<volume>-<docid>.txt (one document), OUT/ocr/<volume>-pages<NN>.txt
(4-12 consecutive documents) and OUT/gold.jsonl, one line per file:
{"file": "ocr/...", "style": "ocr" | "chapter-ocr", "docs": [teigold.document_fields(div), ...]}.
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
SKIP = {"pb", "fw", "figure", "anchor"}
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
    markers: str  # "super", "glued", "spaced"
    rule: str | None  # the rule over the notes; "": none, nor a blank line (notes right under the text)
    head: str  # "full", "number"
    form_feed: bool
    source: str  # "line", "footnote"
    numbers: str | None  # how document numbers are printed, None: not at all
    hyphenate: float
    noise: bool
    note_indent: int


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


class Collector:
    """Walks one document div and lists its printed pieces and footnotes, in print order."""

    def __init__(self, style: Style, notes: list[Footnote]):
        self.style = style
        self.notes = notes
        self.pieces: list[Piece] = []

    def mark(self, text: str, gold_n: str | None) -> str:
        self.notes.append(Footnote(squash(text), gold_n))
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
    """Printed width: a placeholder is as wide as its note's number."""
    return len(MARK_RE.sub(lambda m: "x" * len(notes[int(m.group(1))].gold_n or "9"), word))


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
    room = style.page_lines - 2  # under the running head and its blank line
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
    if style.head == "number":
        return f"{page_no:>{w}}" if page_no % 2 else str(page_no)
    if page_no % 2 == 0:
        gap = max(4, (w - len(titles[0])) // 2 - len(str(page_no)))
        return f"{page_no}{' ' * gap}{titles[0]}"
    line = " " * max(0, (w - len(titles[1])) // 2) + titles[1]
    return line + " " * max(4, w - len(line) - len(str(page_no))) + str(page_no)


def fill_markers(text: str, numbers: dict[int, str], style: Style) -> str:
    """Placeholders replaced by the markers as printed: "¹²", or digits glued on ("Sheldon:1", "Sheldon: 1")."""
    def marker(m: re.Match[str]) -> str:
        number = numbers.get(int(m.group(1))) or "1"
        return number.translate(SUPERSCRIPT) if style.markers == "super" else number

    return MARK_RE.sub(marker, text).replace(NBSP, " ")


def compose(pages: list[Page], style: Style, notes: list[Footnote], wrapped: dict[int, list[str]],
            rng: random.Random, first_page: int, titles: tuple[str, str]) -> str:
    """The OCR text: each page's running head, body, and notes under a rule."""
    numbering = number_notes(pages, notes)
    out: list[str] = []
    for p, page in enumerate(pages):
        nums = numbering[p]
        body = [fill_markers(line.text, nums, style) for line in page.body]
        foot = list(page.carried)
        for i, k in enumerate(page.notes):
            lines = wrapped[k]
            if page.cut and i == len(page.notes) - 1:
                lines = lines[: page.cut]
            foot += [fill_markers(ln, nums, style) for ln in lines]
        lines = [running_head(first_page + p, style, titles), ""] + body
        while lines and not lines[-1].strip():
            lines.pop()
        if foot:
            lines += [] if style.rule == "" else [""] if style.rule is None else ["", style.rule]
            lines += foot
        if style.noise:
            lines = lines[:2] + add_noise(lines[2:], rng)
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


def render(divs: list, style: Style, rng: random.Random, titles: tuple[str, str], first_page: int) -> str:
    """The OCR text of consecutive documents, as they run on over the printed pages."""
    notes: list[Footnote] = []
    lines: list[Line] = []
    for d in divs:
        col = Collector(style, notes)
        col.document(d, d.get("n"))
        if lines:
            lines += [Line(""), Line("")]
        lines += typeset(col.pieces, style, rng, notes)
    wrapped = {k: wrap(f"\x00{k}\x00 {note.text}", style.width, style.note_indent, rng, style.hyphenate, notes)
               for k, note in enumerate(notes)}
    pages = paginate(lines, style, notes, wrapped)
    return compose(pages, style, notes, wrapped, rng, first_page, titles)


def render_volume(path: Path, out: Path, args: argparse.Namespace, rng: random.Random) -> list[dict]:
    """Single documents and runs of documents from one volume, written under out/ocr; their gold lines."""
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
        text = render([d], draw_style(rng), rng, titles_of(tree, d), pages.get(tree.getpath(d)) or rng.randint(2, 900))
        (out / "ocr" / name).write_text(text, encoding="utf-8")
        gold.append({"file": f"ocr/{name}", "style": "ocr", "docs": [teigold.document_fields(d)]})
    for r in range(args.runs):
        start, size = 0, 4
        for _ in range(500):  # a run of consecutive documents, short ones only for fixtures
            size = rng.randint(4, 12) if not args.max_chars else 4
            start = rng.randrange(0, max(1, len(divs) - size))
            if all(short[start:start + size]):
                break
        run = divs[start:start + size]
        name = f"{vol}-pages{r:02d}.txt"
        text = render(run, draw_style(rng), rng, titles_of(tree, run[0]), pages.get(tree.getpath(run[0])) or rng.randint(2, 900))
        (out / "ocr" / name).write_text(text, encoding="utf-8")
        gold.append({"file": f"ocr/{name}", "style": "chapter-ocr", "docs": [teigold.document_fields(d) for d in run]})
    return gold


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("volumes", nargs="+")
    ap.add_argument("--out", required=True)
    ap.add_argument("--sample", type=int, default=40, help="single-document files per volume")
    ap.add_argument("--runs", type=int, default=3, help="multi-document files per volume")
    ap.add_argument("--seed", type=int, default=11)
    ap.add_argument("--max-chars", type=int, default=0, help="only documents this short (small fixtures)")
    args = ap.parse_args(argv)
    out = Path(args.out)
    (out / "ocr").mkdir(parents=True, exist_ok=True)
    gold: list[dict] = []
    for path in args.volumes:
        gold += render_volume(Path(path), out, args, random.Random(f"{args.seed}-{Path(path).stem}"))
    with open(out / "gold.jsonl", "w", encoding="utf-8") as f:
        f.writelines(json.dumps(g, ensure_ascii=False) + "\n" for g in gold)
    print(f"{len(gold)} files in {out}")


if __name__ == "__main__":
    main()
