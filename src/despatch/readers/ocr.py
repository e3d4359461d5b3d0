"""OCR of a printed volume: pages with running heads, hard-wrapped lines, notes at the foot of each page.

    248          FOREIGN RELATIONS, 1918, RUSSIA, VOLUME III

    File No. 861.51/272
             The Ambassador in Great Britain (Page) to the
                          Secretary of State
                              [Telegram]
                                        LONDON, February 14, 1918, 10 a.m.
         8656. For McAdoo from Crosby:¹ At meeting of Finance Section of
    Inter-Allied Council on Friday, Bonar Law and Klotz² both being pres-
    ent, Klotz proposed following resolution which was adopted:
    ———
         ¹ Oscar T. Crosby, delegate of the U.S. Treasury to the Inter-
    Allied Council on War Purchases and Finance.
         ² Louis Lucien Klotz, French Minister of Finance.

The reader undoes the printing, page by page and then line by line:

1. pages are cut at form feeds or at running heads ("248  FOREIGN RELATIONS...",
   "RUSSIA    249", a page number alone where the page sequence wants one);
2. the notes are taken from the foot of each page: below a rule, or, with no
   rule, from the lines at the foot that open with numbers the markers higher
   on the page cite; a note the page could not hold ends at the top of the
   next page's foot;
3. each marker (a superscript, digits glued to the word, "Crosby:1", or set off
   after a stop, "Crosby: 1") becomes a token for the note of that number on
   its page, the notes' order at the foot telling which numbers are markers;
4. the lines are reflowed: centred lines (number, heading, "[Telegram]") and
   lines set to the right (dateline, signature) stand apart, a paragraph ends
   at an indent, a blank line, or a line its next word would have fitted on;
   words broken at line ends are joined, keeping the hyphen of a compound when
   the text spells the word that way elsewhere;
5. small capitals printed as capitals go back to title case, and the run of
   lines is split into documents, each with the notes its markers cite.

Every pass is linear in the text: patterns run once per page, joins look at
two lines, and the hyphen and spelling decisions read one word count.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from dataclasses import dataclass, field
from itertools import pairwise

from despatch.parse import lines as L
from despatch.parse.markers import OPEN, TOKEN_RE, DraftNote, token
from despatch.parse.notes import split_original
from despatch.parse.structure import Draft
from despatch.readers import segment

# ---------------------------------------------------------------- characters

# Ligatures OCR keeps as single characters: "ﬁnancial", "inﬂuence".
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS + "ᵃᵇᶜᵈᵉᶠᵍʰ", "0123456789abcdefgh")
# A superscript number, with the letter of an inserted note: "¹²", "²ᵃ", "²a".
SUP = "[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[ᵃᵇᶜᵈᵉᶠᵍʰ]|[a-h](?![a-z]))?"
# A speck OCR reads at a line end: "...that they |", "...thereof.|", "...to the '".
SPECK_RE = re.compile(r"(?:\s*\||\s+['`])+\s*$")

# ---------------------------------------------------------------- page furniture

# A running head, the page number on the outside and a title in capitals:
# "248          FOREIGN RELATIONS, 1918, RUSSIA, VOLUME III" and "RUSSIA          249".
HEAD_LEFT_RE = re.compile(r"^\s*(?P<n>\d{1,4})\s+(?P<title>[A-Z][A-Z0-9 ,.;:’'&()\-—–]{2,})$")
HEAD_RIGHT_RE = re.compile(r"^\s*(?P<title>[A-Z][A-Z0-9 ,.;:’'&()\-—–]{2,}?)\s+(?P<n>\d{1,4})$")
# A page number alone: "249".
FOLIO_RE = re.compile(r"^\s*(?P<n>\d{1,4})\s*$")
# The rule over the notes: "———", "____", "-----".
RULE_RE = re.compile(r"^\s*(?:[—_–─-]\s*){3,}$")
# A note at the foot: "¹ Not printed.", "¹Not printed.", "12 Ante, p. 178.", "2a. Not printed.", "* See pages 3".
NOTE_START_RE = re.compile(
    rf"^\s{{0,10}}(?:(?P<sup>{SUP})\s*|(?P<num>[1-9]\d{{0,2}}[a-z]?)\.?\s+|(?P<sym>[*†‡§¶]{{1,3}})\s*)"
    r"(?P<text>\S.*)$"
)
# A note may open in lower case with an abbreviation: "i. e., the last paragraph", "ibid., p. 4".
LOWER_NOTE_RE = re.compile(r"^[a-z]{1,5}\.")
MAX_LONE_NOTE = 8  # lines: a note cited only by an unsure marker, alone at the foot, is short

# ---------------------------------------------------------------- markers

# A superscript marker: "Secretary of State¹", "Klotz²".
SUP_MARK_RE = re.compile(SUP)
# Digits glued after a word or stop, as OCR reads a superscript: "Crosby:1", "Klotz2 both", "1924.3"
# (not a time or a figure: "1:30", "2,240").
MARK_END = r"(?=[\s.,;:)\]”’\"—]|$)"  # what may follow a marker: a space, a stop, a closing quote
GLUED_MARK_RE = re.compile(r"(?<=[A-Za-zÀ-ÿ.,;:!?…)\]”’\"—])(?P<n>[1-9]\d{0,5}[a-z]?)(?![.:,]\d)" + MARK_END)
# A note marked by a sign, the printer's own or the original's: "Stevenson Scheme*", "Government†".
SYMBOL_MARK_RE = re.compile(r"(?<=[A-Za-zÀ-ÿ0-9.,;:!?…)\]”’\"—])(?P<n>[*†‡§¶]{1,3})" + MARK_END)
# Digits run on from a year, as OCR reads a superscript after it: "November 17, 193346 does".
YEAR_MARK_RE = re.compile(r"(?<=\b1[6-9]\d\d)(?P<n>[1-9]\d?[a-z]?)(?![.:,]\d)" + MARK_END)
# Digits set off by a space after a stop: "Crosby: 1 At meeting", "last, 3 relative".
SPACED_MARK_RE = re.compile(r"(?<=[.,;:!?…)\]”’\"]) (?P<n>[1-9]\d{0,5}[a-z]?)(?=\s|$)")
# Words after a number that make it the text's own: "1 p.m.", "3 o’clock", "5 per cent", "2 %".
AFTER_NUMBER_RE = re.compile(
    r"[ \n]+(?:[ap]\.\s?m\b|o’clock|o'clock|per\b|percent|th\b|st\b|nd\b|rd\b|%)", re.IGNORECASE
)
# Words before a number that make it the text's own: "No. 5", "p. 12", "Jan. 9", "vol. ii. 3".
NUMBERED_WORDS = frozenset({
    "no", "nos", "p", "pp", "vol", "vols", "art", "arts", "sec", "secs", "par", "ch", "chap", "fig", "note",
    "notes", "para", "paras", "section", "article", "paragraph", "jan", "feb", "mar", "apr", "aug", "sept",
    "sep", "oct", "nov", "dec", "ibid", "ii", "iii", "iv", "v", "vi"
})
YEAR_RE = re.compile(r"1[6-9]\d\d")
FIGURE_RE = re.compile(r"(?<![\d.,])\d{2,}(?![\d,])")
THOUSANDS_RE = re.compile(r"\d{3}(?!\d)")
DIGITS_BEFORE_RE = re.compile(r"\d+$")
WORD_STOP_RE = re.compile(r"([A-Za-z]+)\.$")
NUMBER_STOP_RE = re.compile(r"\d[,.:;]$")
NEXT_WORD_RE = re.compile(r" ([A-Za-z]{2,})\b")
LIST_WORDS = frozenset({"and", "or", "nor", "to", "inclusive", "per", "percent"})

# ---------------------------------------------------------------- words

# Prefixes printed with a hyphen: "to-day", "so-called", "ex-President", "vice-consul".
HYPHEN_PREFIXES = frozenset({
    "to", "so", "ex", "self", "vice", "non", "well", "half", "quasi", "anti", "co"
})
WORD_RE = re.compile(r"[A-Za-zÀ-ÿ](?:[A-Za-zÀ-ÿ’'\-]*[A-Za-zÀ-ÿ])?")
LAST_WORD_RE = re.compile(r"[\w’'\-]*$")
FIRST_WORD_RE = re.compile(r"[\w’']*")
NUMBER_PARTS_RE = re.compile(r"(\d*)(\D*)")
TERMINAL = tuple(".!?)]”\"’:;")
ROMAN_RE = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
CAPS_WORD_RE = re.compile(r"(?<![\w’'])([A-ZÀ-Þ][A-ZÀ-Þ’'\-]*[A-ZÀ-Þ])(?![\w’'])")
# Words small capitals print in capitals that stay lower case inside a name or title.
PARTICLES = frozenset({
    "of", "the", "and", "to", "in", "at", "on", "for", "de", "la", "le", "du", "des", "van", "von", "der",
    "den", "y", "da", "di", "by", "et"
})
# "rn" where English never has it, so it was an "m": "cornpelled", "payrnent" ("government" keeps its "rnm").
IMPOSSIBLE_RN_RE = re.compile(r"rn(?=[bp])|rn(?=ents?\b|ental)")
RN_WORD_RE = re.compile(r"\b[A-Za-z]*rn[A-Za-z]*\b")
# A heading line ending in an initial or a title goes on: "(J.", "Mr.", "St.".
ABBREVIATION_END_RE = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Messrs|Dr|St|Gen|Col|Lieut|Capt|Hon|Rev|Jr|Sr|No|Nos))\.$")
# A paragraph may open with a number: a telegram's ("1124."), an enumerator ("2.", "(b)").
PARAGRAPH_NUMBER_RE = re.compile(r"^(?:\d{1,4}[.)]|\(\w{1,3}\))$")


def looks_like(text: str) -> bool:
    """Whether a text is OCR of printed pages: hard-wrapped, with running heads, form feeds or superscripts."""
    if "[bookmark:" in text:
        return False
    lines = [ln for ln in text.split("\n") if ln.strip()]
    if len(lines) < 3:
        return False
    if sum(1 for ln in lines if len(ln.strip()) > 110) > max(1, len(lines) // 50):
        return False  # a transcription keeps each paragraph on one line
    if any(_strong_head(ln) is not None for ln in lines[:400]) or ("\f" in text and FOLIO_RE.match(lines[0])):
        return True
    if any(ch in text for ch in SUPERSCRIPT_DIGITS):
        return True
    wrapped = sum(1 for a, b in pairwise(lines) if 45 <= len(a.strip()) <= 100 and b.strip()[:1].islower())
    broken = sum(1 for ln in lines if ln.rstrip()[-2:-1].islower() and ln.rstrip().endswith("-"))
    # headings centred and datelines set to the right with spaces, as a page is laid out
    set_out = sum(1 for ln in lines[:400] if len(ln) - len(ln.lstrip(" ")) >= 8)
    if FOLIO_RE.match(lines[0]) is not None and (set_out >= 2 or wrapped >= 1 or broken >= 1):
        return True
    return (broken >= 2 and wrapped >= 8) or (set_out >= 3 and wrapped >= 3)


# ---------------------------------------------------------------- pages


@dataclass
class Candidate:
    """A number (or sign) in the text that may be a footnote marker."""

    line: int
    start: int
    end: int
    number: str
    # 2: a superscript, a sign, or digits glued to the word ("Crosby:1"); 1: set off by a space
    # after a stop ("Crosby: 1"); 0: doubtful ("193346", "1924, 6"), taken only where a note is due
    strength: int


@dataclass
class Page:
    """One printed page: its lines and, once read, its body, the notes at its foot and their markers."""

    lines: list[str]
    body: list[str] = field(default_factory=list)
    foot: list[str] = field(default_factory=list)
    notes: list[tuple[str, list[str]]] = field(default_factory=list)  # (number, text lines), in print order
    carried: list[str] = field(default_factory=list)  # the end of the previous page's last note
    candidates: list[Candidate] = field(default_factory=list)  # possible markers, found once per page


def _strong_head(line: str) -> int | None:
    """The page number of a running head with a title in capitals."""
    for pattern in (HEAD_LEFT_RE, HEAD_RIGHT_RE):
        m = pattern.match(line)
        if m:
            title = m.group("title").strip()
            letters = sum(1 for c in title if c.isalpha())
            # set apart by a wide space, or a title of some length: "248 FOREIGN RELATIONS, 1918"
            if letters >= 4 and re.search(r"[A-Z]{3}", title) and ("  " in line.strip() or letters >= 10):
                return int(m.group("n"))
    return None


def split_pages(text: str) -> list[Page]:
    """The pages of the text, running heads and page numbers removed."""
    if "\f" in text:
        pages = []
        for chunk in text.split("\f"):
            lines = chunk.split("\n")
            _drop_furniture(lines)
            pages.append(Page(lines))
        return pages
    lines = text.split("\n")
    heads: list[tuple[int, int, bool]] = []  # line, page number, whether it has a title
    for i, line in enumerate(lines):
        number = _strong_head(line)
        if number is not None:
            heads.append((i, number, True))
        elif (m := FOLIO_RE.match(line)) is not None:
            heads.append((i, int(m.group("n")), False))
    first_text = next((i for i, ln in enumerate(lines) if ln.strip()), 0)
    starts: list[int] = []
    expected: int | None = None
    for pos, (i, number, titled) in enumerate(heads):
        if not titled:
            # a page number alone is a head only where the sequence of pages wants one
            after = heads[pos + 1][1] if pos + 1 < len(heads) else None
            apart = (i == first_text or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
            wanted = number == expected or (expected is None and (i == first_text or after == number + 1))
            if not (apart and wanted):
                continue
        starts.append(i)
        expected = number + 1
    if not starts:
        return [Page(lines)]
    pages = [Page(lines[: starts[0]])] if any(ln.strip() for ln in lines[: starts[0]]) else []
    for a, b in zip(starts, starts[1:] + [len(lines)]):
        pages.append(Page(lines[a + 1:b]))
    return pages


def _drop_furniture(lines: list[str]) -> None:
    """Remove the running head at the top of a page (and a page number at its foot), in place."""
    top = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if top is not None and (_strong_head(lines[top]) is not None or FOLIO_RE.match(lines[top])):
        lines[top] = ""
    bottom = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if bottom is not None and bottom != top and FOLIO_RE.match(lines[bottom]):
        lines[bottom] = ""


# ---------------------------------------------------------------- markers


def find_candidates(lines: list[str], superscript: bool) -> list[Candidate]:
    """Numbers in the lines that may be markers, in reading order.

    The patterns run once over the page (lines joined by newlines), not line by
    line: a page is searched in a handful of regex passes.
    """
    text = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found = [(m.start(), m.end(), m.group("n"), 2) for m in SYMBOL_MARK_RE.finditer(text)]
    if superscript:
        found += [(m.start(), m.end(), m.group(0).translate(FROM_SUPERSCRIPT), 2) for m in SUP_MARK_RE.finditer(text)]
    else:
        for m in GLUED_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), _glued_strength(text, m.start(), m.end())))
        for m in YEAR_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), -1 if AFTER_NUMBER_RE.match(text, m.end()) else 0))
        for m in SPACED_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), _spaced_strength(text, m.start(), m.end())))
    out = []
    for start, end, number, strength in sorted(found):
        if strength >= 0:
            i = bisect_right(starts, start) - 1
            out.append(Candidate(i, start - starts[i], end - starts[i], number, strength))
    return out


def _glued_strength(text: str, at: int, end: int) -> int:
    """How likely digits glued after a word or stop are a marker: -1 for "2,240" or "10 p.m.", 0 for "7.32"."""
    if AFTER_NUMBER_RE.match(text, end):
        return -1
    if at < 2 or text[at - 1] not in ".,:" or not text[at - 2].isdigit():
        return 2
    if text[at - 1] == ",":
        return -1 if THOUSANDS_RE.match(text, at) else 2  # "2,240" is a figure, "November 1,3" a date and a marker
    digits = DIGITS_BEFORE_RE.search(text[max(0, at - 6):at - 1])  # a short window: the text is a whole page
    # "1924.3" is a year and a marker; "7.32" a decimal as likely as a paragraph number and a marker
    return 2 if digits is not None and len(digits.group(0)) >= 4 else 0


def _spaced_strength(text: str, at: int, end: int) -> int:
    """How likely a number set off by a space is a marker: -1 for the text's own ("No. 5", "7, 1 p.m.")."""
    if AFTER_NUMBER_RE.match(text, end):
        return -1
    window = text[max(0, at - 14):at]
    before = WORD_STOP_RE.search(window)
    if before is not None and before.group(1).lower() in NUMBERED_WORDS:
        return -1
    if NUMBER_STOP_RE.search(window):
        # "Nos. 12, 13 and 14" is a list of numbers; "April 20, 1925, 13 submitting" and
        # "July 9, 1924. 55 Your attention" are dates and markers
        following = NEXT_WORD_RE.match(text, end)
        if following is None:
            return 0
        word = following.group(1)
        return 1 if word.islower() and word not in LIST_WORDS or window.endswith(".") and word[0].isupper() else 0
    return 1


def _halves(number: str) -> list[str]:
    """The numbers two markers side by side may be: "1920" -> 1, 920, 19, 20, 192, 0 (pairs in a row)."""
    return [part for i in range(1, len(number)) if number[i] != "0" for part in (number[:i], number[i:])]


def _follows(a: str, b: str) -> bool:
    """Whether note number b comes right after a: 5 -> 6, 2 -> 2a, 2a -> 2b, 2a -> 3."""
    ma, mb = NUMBER_PARTS_RE.match(a), NUMBER_PARTS_RE.match(b)
    if ma is None or mb is None:
        return False
    (da, la), (db, lb) = ma.groups(), mb.groups()
    if not da or not db:
        return False
    if da == db:
        return (not la and lb == "a") or (len(la) == 1 and len(lb) == 1 and ord(lb) == ord(la) + 1)
    return int(db) == int(da) + 1 and not lb


# ---------------------------------------------------------------- the notes at the foot


def _note_start(line: str) -> tuple[str, str, str] | None:
    """The number, text and style of a line that may open a note: ("12", "Ante, p. 178.", "digits")."""
    m = NOTE_START_RE.match(line)
    if not m:
        return None
    if m.group("sup"):
        return m.group("sup").translate(FROM_SUPERSCRIPT), m.group("text"), "sup"
    if m.group("sym"):
        return m.group("sym"), m.group("text"), "sym"
    style = "digits." if "." in line[m.end("num"):m.start("text")] else "digits"
    return m.group("num"), m.group("text"), style


def read_foot(page: Page, superscript: bool, carry_open: bool) -> None:
    """Split the page into body and foot, and the foot into notes (and the run-on of the last page's note)."""
    lines = page.lines
    while lines and not lines[-1].strip():
        lines.pop()
    cited: dict[str, int] = {}  # number -> first line a marker for it stands on
    sure: dict[str, int] = {}
    page.candidates = find_candidates(lines, superscript)
    for c in page.candidates:
        for number in [c.number] + (_halves(c.number) if c.strength >= 1 else []):
            cited.setdefault(number, c.line)
            if c.strength == 2:
                sure.setdefault(number, c.line)
    start = _foot_start(lines, cited, sure, carry_open)
    if start is None:
        page.body = lines
        return
    ruled = start > 0 and RULE_RE.match(lines[start - 1]) is not None
    page.body = lines[: start - 1] if ruled else lines[:start]
    page.foot = [ln for ln in lines[start:] if ln.strip()]
    current: list[str] | None = None
    style = ""
    for ln in page.foot:
        found = _note_start(ln)
        # a line opens a note if a marker above cites its number, if it is printed like the note
        # before it and numbered next ("5 Ibid." after "4 Not printed."), or numbered in superscript;
        # "2. All transactions..." inside a note's own text is none of these
        if found and (
            cited.get(found[0], start) < start
            or (current is None and not carry_open)  # the first line of a foot found to be notes
            or (current is not None and found[2] == style and _follows(page.notes[-1][0], found[0]))
            or found[2] == "sup"
        ):
            style = found[2]
            current = [found[1]]
            page.notes.append((found[0], current))
        elif current is not None:
            current.append(ln.strip())
        else:
            page.carried.append(ln.strip())


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """The runs of non-blank lines, as (first, past-last) indices."""
    out: list[tuple[int, int]] = []
    a = None
    for i, ln in enumerate(lines):
        if ln.strip():
            a = i if a is None else a
        elif a is not None:
            out.append((a, i))
            a = None
    if a is not None:
        out.append((a, len(lines)))
    return out


def _foot_start(lines: list[str], cited: dict[str, int], sure: dict[str, int], carry_open: bool) -> int | None:
    """Where the notes begin: under the rule, or at the blocks at the foot that read as cited notes."""
    for i in range(len(lines) - 1, 0, -1):
        if RULE_RE.match(lines[i]):
            below = next((ln for ln in lines[i + 1:] if ln.strip()), "")
            # a rule over notes, not a line of dashes in the text
            if below and (_note_start(below) is not None or carry_open):
                return i + 1
            break
    blocks = _blocks(lines)
    start: int | None = None
    seen: set[str] = set()
    style = ""
    for a, b in reversed(blocks[1:]):  # the page's first block is its text
        opening = _note_start(lines[a])
        if not _cited_run(lines, a, len(lines), cited, sure) or (style and opening and opening[2] != style):
            # (the notes of a page are numbered alike: "2. Referring to..." over "¹² 816.01/368" is text)
            if carry_open and _is_flush_block(lines, a, b) and opening is None:
                start = a  # the end of the last page's note, above this page's own (if any)
            break
        style = opening[2] if opening else style
        numbers = [found[0] for j in range(a, b) if (found := _note_start(lines[j])) and cited.get(found[0], a) < a]
        if seen.intersection(numbers) or len(set(numbers)) < len(numbers):
            break  # numbers that repeat belong to numbered paragraphs, not notes
        seen.update(numbers)
        start = a
    if start is None and blocks:
        # no blank line over the notes: the first line of the last block from which the lines read as notes
        a, b = blocks[-1]
        start = next((j for j in range(a + 1, b) if _cited_run(lines, j, b, cited, sure)), None)
    return start


def _cited_run(lines: list[str], j: int, end: int, cited: dict[str, int], sure: dict[str, int]) -> bool:
    """Whether lines[j:end] read as notes: numbered in sequence from line j, each number cited above j."""
    first = _note_start(lines[j])
    if first is None:
        return False
    if cited.get(first[0], end) >= j and not (first[2] == "digits" and end - j <= MAX_LONE_NOTE
                                               and _run_on_above(lines, j, first[0])):
        return False  # no marker above cites it, not even one run on from a figure ("December 111")
    if first[1][:1].islower() and not LOWER_NOTE_RE.match(first[1]):
        return False  # a note opens with a capital ("Not printed.", "Ante, p. 6."); "3 about 7 taels" is text
    numbers = [first[0]]
    for k in range(j + 1, end):
        found = _note_start(lines[k])
        if found is not None and found[2] == first[2] and _follows(numbers[-1], found[0]):
            if cited.get(found[0], end) >= j and not _run_on_above(lines, j, found[0]):
                return False  # "9. The Congress..." with no marker 9 above: numbered paragraphs, not notes
            numbers.append(found[0])
    # alone, a note numbered bare ("21 Not printed.") and short, or one a sure marker cites;
    # "7. The value..." under a "25.7" is a numbered paragraph
    lone = first[2] != "digits." and end - j <= MAX_LONE_NOTE
    return len(numbers) >= 2 or lone or sure.get(first[0], end) < j


def _run_on(number: str) -> re.Pattern[str]:
    """A marker run on from a figure: "instruction No. 592" + "4"; the figure is in group 1."""
    return re.compile(rf"(?<!\d)(\d{{2,}}?){re.escape(number)}(?![.:,]\d)" + MARK_END)


def _run_on_match(pattern: re.Pattern[str], line: str, pos: int = 0) -> re.Match[str] | None:
    """The first run-on marker in the line from pos, a year left whole: "1934" is not "193" and a marker 4."""
    for m in pattern.finditer(line, pos):
        if not YEAR_RE.fullmatch(m.group(0).rstrip(".,;:)]”’\"—")):
            return m
    return None


def _run_on_above(lines: list[str], j: int, number: str) -> bool:
    """Whether a marker for `number` may stand run on from a figure above line j: "instruction No. 5924"."""
    pattern = _run_on(number)
    return any(_run_on_match(pattern, line) for line in lines[:j])


def _is_flush_block(lines: list[str], a: int, b: int) -> bool:
    """Lines set full out, as a note runs on; not a heading or a dateline."""
    return all(len(ln) - len(ln.lstrip()) <= 6 for ln in lines[a:b] if ln.strip())


def _unfinished(page: Page) -> bool:
    """Whether the page's last note stops mid-sentence on a full line, to end at the next page's foot."""
    if not page.foot:
        return False
    last = page.foot[-1].rstrip()
    width = max(len(ln.rstrip()) for ln in page.lines)
    return last.endswith("-") or (not last.endswith(TERMINAL) and len(last) >= width - 12)


# ---------------------------------------------------------------- joining words


class Joiner:
    """Joins lines broken by the printer, deciding each hyphen from the text's own spellings."""

    def __init__(self, vocabulary: Counter[str]):
        self.vocab = vocabulary

    def keep_hyphen(self, left: str, right: str) -> bool:
        """Whether "left-" + "right" is a compound broken at its hyphen ("Inter-Allied", "to-day")."""
        a = LAST_WORD_RE.search(left[:-1])
        b = FIRST_WORD_RE.match(right)
        first, second = (a.group(0) if a else ""), (b.group(0) if b else "")
        if not first or not second or not first[-1].isalpha() or not second[0].isalpha():
            return True
        if second[0].isupper() and not first.isupper():
            return True  # "Inter-" over "Allied", "Austro-" over "Hungarian"
        hyphened = self.vocab.get(f"{first}-{second}".lower(), 0)
        joined = self.vocab.get(f"{first}{second}".lower(), 0)
        if hyphened or joined:
            return hyphened > joined  # the document's own spelling decides
        if "-" in first:
            return True  # "vessel-of-" over "war"
        return first.lower() in HYPHEN_PREFIXES

    def joint(self, left: str, right: str) -> tuple[str, str]:
        """The left line as it ends in running text, and what goes between it and the right line."""
        if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].isalpha():
            return (left, "") if self.keep_hyphen(left, right) else (left[:-1], "")
        if left.endswith("—") and not left[-2:-1].isspace():
            return left, ""  # "January 7, 1925—" over "7 p.m."
        return left, " "

    def join_lines(self, lines: list[str]) -> str:
        """Printed lines as one run of text; each joint looks at two lines only, so the cost stays linear."""
        parts: list[str] = []
        for line in lines:
            line = line.strip()
            if not line:
                continue
            if parts:
                parts[-1], sep = self.joint(parts[-1], line)
                parts.append(sep)
            parts.append(line)
        return "".join(parts)


def vocabulary(text: str) -> Counter[str]:
    """Every word of the text, case-folded, compounds whole, for the hyphen and "rn" decisions."""
    return Counter(WORD_RE.findall(text.lower()))


# ---------------------------------------------------------------- reflow


@dataclass
class Row:
    """A printed body line: its text (markers as tokens) and where it stands on the page."""

    text: str  # tokenised, stripped
    raw: str  # as printed, stripped, for measuring
    lead: int
    page: int

    @property
    def end(self) -> int:
        return self.lead + len(self.raw)


def _layout(rows: list[Row]) -> tuple[int, int]:
    """The measure (right margin) and the paragraph indent of the text."""
    ends = sorted(r.end for r in rows if len(r.raw) > 10)
    if not ends:
        return 70, 0
    width = ends[min(len(ends) - 1, int(len(ends) * 0.97))]
    indents: Counter[int] = Counter()
    for a, b in pairwise(rows):
        # a paragraph's first line: indented, full to the margin (a centred heading line is not), text under it
        if 0 < a.lead <= 8 and b.lead == 0 and a.end >= width - 6 and a.page == b.page:
            indents[a.lead] += 1
    indent = indents.most_common(1)[0][0] if indents else 0
    return width, indent


def _kind(row: Row, width: int, indent: int) -> str:
    """ "center", "right", "indent" (a paragraph's first line) or "flush"."""
    gap = width - row.end
    if row.lead >= max(indent + 3, 6):
        if row.end >= width - 2 and row.lead - gap > 4:
            return "right"
        if abs(row.lead - gap) <= 4:
            return "center"
        return "right" if row.lead > gap else "center"
    if row.lead > 0 and (indent == 0 or row.lead <= indent + 2):
        return "indent"
    return "flush"


def reflow(rows: list[Row], breaks: set[int], joiner: Joiner) -> tuple[list[str], dict[int, int]]:
    """Logical lines from printed lines; and for each page, the logical line its last text went into.

    `breaks` holds the indices of rows that follow a blank line.
    """
    width, indent = _layout(rows)
    out: list[str] = []
    page_last: dict[int, int] = {}
    parts: list[str] = []  # the printed lines of the logical line being built
    open_kind = ""  # "para", "center", "right" or "" (nothing open)
    last: Row | None = None

    def close() -> None:
        nonlocal parts, open_kind
        if parts:
            out.append(soften_caps(joiner.join_lines(parts)))
        parts, open_kind = [], ""

    for n, row in enumerate(rows):
        kind = _kind(row, width, indent)
        apart = n in breaks
        if kind in ("center", "right"):
            if open_kind == kind and not apart and last is not None and _joins(kind, last.text, row.text):
                parts.append(row.text)
            else:
                close()
                parts, open_kind = [row.text], kind
        elif kind == "flush" and open_kind == "para" and not apart and last and _continues(last, row, width):
            parts.append(row.text)
        else:
            close()
            parts, open_kind = [row.text], "para"
        last = row
        page_last[row.page] = len(out)
    close()
    return out, page_last


def _continues(prev: Row, row: Row, width: int) -> bool:
    """Whether a flush line goes on with the paragraph above it."""
    if prev.raw.endswith(("-", "—")):
        return True
    word = row.raw.split(" ", 1)[0]
    opens = word[:1].isupper() or word[:1] in "“\"[(‘" or PARAGRAPH_NUMBER_RE.match(word) is not None
    # the printer would have set the word on the line above, had the paragraph gone on
    # (a little slack: the measure is estimated, and a marker may ride on the word)
    return not (opens and prev.end + 1 + len(word) <= width - 3)


def _joins(kind: str, above: str, below: str) -> bool:
    """Whether two centred (or two right-set) lines are one heading (or one dateline, one closer)."""
    a, b = L.plain(above), L.plain(below)
    if kind == "right":
        # a dateline with its "[Received ...]", a closer with its "For the Secretary of State:" and
        # the signer's office: one line each, as a transcription has them
        return True
    if a.startswith("[") and "]" not in a:
        return True  # "[Inclosure 1 in dispatch No." over "82.—Translation.]"
    if L.is_number_line(a) or a.endswith("]") or b.startswith("["):
        return False
    if a.endswith(".") and not (ABBREVIATION_END_RE.search(a) or b[:1].islower()):
        return False  # "Mr. Wright to Mr. Seward." is whole; "... Company (J." goes on
    if L.is_number_line(b):
        return a.endswith(",")  # "Signed at Washington, March 2," over "1904"
    return True


# ---------------------------------------------------------------- small capitals and slips


def soften_caps(line: str) -> str:
    """Small capitals printed as capitals, back in title case: "SIR:", "WILLIAM H. SEWARD", "PETROGRAD".

    FRUS sets salutations, signatures, places and addressees in small capitals
    many times more often than it prints a word in true capitals; roman
    numerals ("Article IV") are left as they are.
    """
    if not CAPS_WORD_RE.search(line):
        return line
    out: list[str] = []
    pos = 0
    run_end = -1
    for m in CAPS_WORD_RE.finditer(line):
        word = m.group(1)
        if ROMAN_RE.match(word):
            continue
        out.append(line[pos:m.start()])
        in_run = run_end >= 0 and not line[run_end:m.start()].strip(" ,.")
        if in_run and word.lower() in PARTICLES:
            out.append(word.lower())  # "SECRETARY OF STATE" -> "Secretary of State"
        else:
            out.append("-".join(_capitalised(part) for part in word.split("-")))
        pos = run_end = m.end()
    out.append(line[pos:])
    return "".join(out)


def _capitalised(part: str) -> str:
    # "O’BRIEN" -> "O’Brien", "LENDER’S" -> "Lender’s"
    if len(part) > 2 and part[1] in "’'":
        return part[:3] + part[3:].lower()
    return part[:1] + part[1:].lower()


def fix_rn(lines: list[str], vocab: Counter[str]) -> list[str]:
    """ "darnages" -> "damages": "rn" read for "m" where the text spells the word (or a form of it) with "m".

    A word that itself recurs is left alone ("return", "modern"), and so is one
    with no "m" form in the text: without a dictionary, evidence comes from the
    document. Where English has no "rn" at all (at a word's start, before b or
    p, in "-rnent"), the "m" is sure.
    """

    def known(word: str) -> bool:
        w = word.lower()
        forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w + "ly"}
        for suffix in ("s", "es", "ed", "d", "ing", "ly"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                forms.add(w[: -len(suffix)])
        return any(vocab.get(f, 0) for f in forms)

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if vocab.get(word.lower(), 0) > 1:
            return word
        if word.startswith("rn"):
            return "m" + word[2:]
        sure = IMPOSSIBLE_RN_RE.search(word)
        if sure:
            return word[: sure.start()] + "m" + word[sure.start() + 2:]
        at = word.find("rn")
        while at >= 0:
            candidate = word[:at] + "m" + word[at + 2:]
            if known(candidate):
                return candidate
            at = word.find("rn", at + 1)
        return word

    return [RN_WORD_RE.sub(fix, line) if "rn" in line else line for line in lines]


# ---------------------------------------------------------------- markers in the text


def _place_markers(page: Page, p: int, pages: list[Page], superscript: bool,
                   figures: Counter[str]) -> tuple[list[str], set[str]]:
    """The page's body lines with markers as tokens keyed "page.number"; and the keys used.

    The notes at the foot stand in the order of their first markers, so markers
    are taken in that order; a number seen again is a second marker for the same
    note ("25 Not printed." cited three times on a page).
    """
    order = {n: i for i, (n, _) in reversed(list(enumerate(page.notes)))}
    near: dict[str, int] = {}
    for q in (p - 1, p + 1):
        if 0 <= q < len(pages):
            for n, _ in pages[q].notes:
                near.setdefault(n, q)
    want = 0
    chosen: list[tuple[Candidate, list[str]]] = []
    for c in page.candidates:
        if c.line >= len(page.body):
            break  # the rest are in the notes
        numbers = [c.number]
        if c.number not in order:
            # two markers side by side read as one number: "(Laleau)¹⁹²⁰", "(Francis)12", "1925" + "45";
            # a doubtful candidate only for two notes that follow each other at the foot
            halves = _halves(c.number)
            numbers = next(([a, b] for a, b in zip(halves[::2], halves[1::2])
                            if a in order and b in order and order[a] < order[b]
                            and (c.strength >= 1 or order[b] == order[a] + 1)), numbers)
        keys = []
        for number in numbers:
            i = order.get(number)
            if i is not None and (i == want or (i < want and c.strength >= 1) or c.strength == 2):
                keys.append(f"{p}.{number}")
                want = max(want, i + 1)
            elif i is None and c.strength == 2 and number in near:
                keys.append(f"{near[number]}.{number}")  # the note went to the page before or after its marker
        if keys or superscript:
            chosen.append((c, keys))  # a superscript citing no note is dropped, not left in a word
    if not superscript and want < len(order):
        chosen = _run_on_markers(page, p, order, chosen, figures)
    out = list(page.body)
    for c, keys in reversed(chosen):
        line = out[c.line]
        out[c.line] = line[: c.start] + "".join(token(k) for k in keys) + line[c.end:]
    return out, {k for _, keys in chosen for k in keys}


def _run_on_markers(page: Page, p: int, order: dict[str, int], chosen: list[tuple[Candidate, list[str]]],
                    figures: Counter[str]) -> list[tuple[Candidate, list[str]]]:
    """Markers run on from a number ("Septem-ber 142", "Nos. 15 and 1741"), for notes still uncited.

    Looked for only between the markers of the notes before and after it, since
    "1741" is as likely a year: the note's place in the order is the evidence.
    """
    placed = {k.split(".", 1)[1]: (c.line, c.start) for c, keys in chosen for k in keys if k.startswith(f"{p}.")}
    numbers = sorted(order, key=order.__getitem__)
    found: list[tuple[Candidate, list[str]]] = []
    for i, number in enumerate(numbers):
        if number in placed:
            continue
        low = max((placed[n] for n in numbers[:i] if n in placed), default=(0, 0))
        high = min((placed[n] for n in numbers[i + 1:] if n in placed), default=(len(page.body), 0))
        pattern = _run_on(number)
        options: list[tuple[int, re.Match[str]]] = []
        for ln in range(low[0], min(high[0] + 1, len(page.body))):
            m = _run_on_match(pattern, page.body[ln], low[1] if ln == low[0] else 0)
            while m and (ln, m.end(1)) < high:
                options.append((ln, m))
                m = _run_on_match(pattern, page.body[ln], m.end())
        if options:
            # "instruction No. 5924" over "despatch No. 1184": the figure the text cites elsewhere ("No. 592")
            ln, m = max(options, key=lambda o: figures.get(o[1].group(1), 0) > 1)
            found.append((Candidate(ln, m.end(1), m.end(), number, 0), [f"{p}.{number}"]))
            placed[number] = (ln, m.end(1))
    return sorted(chosen + found, key=lambda pair: (pair[0].line, pair[0].start))


# ---------------------------------------------------------------- the whole


def _clean(text: str) -> str:
    """Ligatures undone, tabs expanded, specks and trailing spaces off every line."""
    for ligature, letters in LIGATURES.items():
        if ligature in text:
            text = text.replace(ligature, letters)
    if "\t" in text:
        text = text.expandtabs()
    lines = [ln.rstrip() for ln in text.split("\n")]
    return "\n".join(SPECK_RE.sub("", ln) if ln.endswith(("|", "'", "`")) else ln for ln in lines)


def read_drafts(text: str) -> list[Draft]:
    """Every document in the OCR of printed pages."""
    text = _clean(text)
    superscript = any(ch in text for ch in SUPERSCRIPT_DIGITS)
    pages = split_pages(text)
    carry_open = False
    for page in pages:
        read_foot(page, superscript, carry_open)
        carry_open = _unfinished(page)
    joiner = Joiner(vocabulary(text))
    figures = Counter(FIGURE_RE.findall(text))  # how often each number stands in the text, as evidence

    # the notes, each keyed by its page and number; a note's end at the next page's foot joined to it
    notes: dict[str, DraftNote] = {}
    last_key: str | None = None
    last_lines: list[str] = []
    for p, page in enumerate(pages):
        if page.carried and last_key is not None:
            last_lines.extend(page.carried)
            notes[last_key].text = _note_text(last_lines, joiner)
        for number, lines in page.notes:
            key = f"{p}.{number}"
            text_, original = split_original(_note_text(lines, joiner))
            notes[key] = DraftNote(text=text_, n=number, original=original, running_n=number)
            last_key, last_lines = key, lines

    rows: list[Row] = []
    breaks: set[int] = set()
    cited: set[str] = set()
    for p, page in enumerate(pages):
        body, used = _place_markers(page, p, pages, superscript, figures)
        cited |= used
        apart = False
        for raw, line in zip(page.body, body):
            if not line.strip():
                apart = bool(rows) and rows[-1].page == p  # a blank line within the page, not at its top
                continue
            if apart:
                breaks.add(len(rows))
            rows.append(Row(line.strip(), raw.strip(), len(line) - len(line.lstrip()), p))
            apart = False
    logical, page_last = reflow(rows, breaks, joiner)
    logical = fix_rn(logical, joiner.vocab)
    starts = segment.document_starts(logical)
    bounds = list(zip(starts, starts[1:] + [len(logical)]))
    # a note whose marker was not found stays with the document its page's text ended in
    unplaced: dict[int, list[str]] = {}
    for key in notes:
        if key not in cited:
            p = int(key.split(".", 1)[0])
            while p > 0 and p not in page_last:
                p -= 1
            at = page_last.get(p, 0)
            doc = next((k for k, (s, e) in enumerate(bounds) if s <= at < e), 0)
            unplaced.setdefault(doc, []).append(key)
    return [_draft(logical[s:e], notes, unplaced.get(k, [])) for k, (s, e) in enumerate(bounds)]


def _draft(lines: list[str], notes: dict[str, DraftNote], unplaced: list[str]) -> Draft:
    """A document's draft: one note per marker, each with a number of its own within the document.

    The page prints "25 Not printed." once for three markers, and numbers may
    start again on every page; the edition has one note per marker, and a note's
    identity must not repeat within a document, so repeats get a suffix in `n`
    (the printed number stays in `running_n`). Notes whose markers were not
    found come last, without a token: the structure parser keeps them unanchored.
    """
    own: dict[str, DraftNote] = {}
    uses: Counter[str] = Counter()
    numbers: Counter[str] = Counter()

    def copy(key: str, new: str) -> None:
        source = notes[key]
        number = source.running_n or source.n or key
        numbers[number] += 1
        n = number if numbers[number] == 1 else f"{number}.{numbers[number]}"
        own[new] = DraftNote(text=source.text, n=n, original=source.original, running_n=number)

    def rekey(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in notes:
            return m.group(0)
        uses[key] += 1
        new = key if uses[key] == 1 else f"{key}~{uses[key]}"
        copy(key, new)
        return token(new)

    out = [TOKEN_RE.sub(rekey, line) if OPEN in line else line for line in lines]
    for key in unplaced:
        copy(key, key)
    return Draft(lines=out, notes=own)


def _note_text(lines: list[str], joiner: Joiner) -> str:
    return " ".join(joiner.join_lines(lines).split())
