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

1. letters OCR misread are put right where the text itself spells the word
   otherwise ("tlie", "a1so", a speck read as " , ");
2. pages are cut at form feeds, at running heads ("248  FOREIGN RELATIONS...",
   "RUSSIA    249", or a title alone, "RUSSIA") and at page numbers alone, at
   the head or the foot of a page ("249", "— 249 —") where the page sequence
   wants one;
3. the notes are taken from the foot of each page: below a rule or "NOTES",
   or, with no rule, from the lines at the foot that open with numbers the
   markers higher on the page cite; a note the page could not hold ends at the
   top of the next page's foot. Notes may also stand in mid-stream: where
   nothing else marks a page's end, the page ends after its notes; where a
   document's notes are gathered after its closer, they answer the markers of
   the pages before them too, and may run over a page break;
4. each marker (a superscript, digits glued to the word, "Crosby:1", set off
   after a stop, "Crosby: 1", or after a word, "Klotz 2", or printed "^1", "[1]",
   "(1)") becomes a token for the note of that number, the notes' order telling
   which numbers are markers;
5. the lines are reflowed: centred lines (number, heading, "[Telegram]") and
   lines set to the right (dateline, signature) stand apart, a paragraph ends
   at an indent, a blank line, or a line its next word would have fitted on
   (a blank line where a sentence runs on is a page break); words broken at
   line ends are joined, keeping the hyphen of a compound when the text spells
   the word that way elsewhere. Text that keeps no layout at all (every line
   full left) has its heading and dateline told by their wording instead;
6. small capitals printed as capitals go back to title case, and the run of
   lines is split into documents, each with the notes its markers cite.

Every pass is linear in the text: patterns run once per page, joins look at
two lines, and the hyphen and spelling decisions read one word count.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from itertools import pairwise

from despatch.parse import lines as L
from despatch.parse.markers import OPEN, TOKEN_RE, DraftNote, token
from despatch.parse.notes import NOTES_HEADING, split_original
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
# A page number alone, at the head or the foot of the page: "249", "— 249 —", "- 249 -", "–249–".
FOLIO_RE = re.compile(r"^\s*(?P<n>\d{1,4})\s*$")
DASHED_FOLIO_RE = re.compile(r"^\s*[—–-]{1,2}\s*(?P<n>\d{1,4})\s*[—–-]{1,2}\s*$")
# A running head with a title only, no number, in capitals: "FOREIGN RELATIONS, 1918, RUSSIA, VOLUME III",
# "RUSSIA" (a signature, "LANSING", "WILLIAM H. SEWARD.", is set to the right, or ends in a stop).
TITLE_RE = re.compile(r"^\s*[A-Z][A-Z0-9 ,.;:’'&()\-—–]*[A-Z0-9)]\s*$")
VOLUME_TITLE = "FOREIGN RELATIONS"
# The rule over the notes: "———", "____", "-----".
RULE_RE = re.compile(r"^\s*(?:[—_–─-]\s*){3,}$")
# A heading over notes gathered at a document's end: "NOTES", "Footnotes:".
NOTES_HEAD_RE = re.compile(rf"^\s*{NOTES_HEADING}\s*:?\s*$", re.IGNORECASE)
RULE_OR_HEAD = frozenset("—_–─-NF")  # how a rule or a notes heading begins, to pass other lines at a glance
# A note at the foot: "¹ Not printed.", "¹Not printed.", "12 Ante, p. 178.", "2a. Not printed.", "* See pages 3",
# and as other printers and scanners number them: "[12] Not printed.", "(12) Not printed.", "^12 Not printed.".
NOTE_START_RE = re.compile(
    rf"^\s{{0,10}}(?:(?P<sup>{SUP})\s*|(?P<num>[1-9]\d{{0,2}}[a-z]?)\.?\s+|(?P<sym>[*†‡§¶]{{1,3}})\s*"
    r"|\[(?P<bracket>[1-9]\d{0,2}[a-z]?)\]\.?\s*|\((?P<paren>[1-9]\d{0,2}[a-z]?)\)\.?\s*"
    r"|\^(?P<caret>[1-9]\d{0,2}[a-z]?)\s*)"
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
# A superscript as other scanners render it: after a caret, "Crosby:^1", or in brackets, "Crosby:[1]",
# "Crosby: [1]", or in parentheses, "Crosby:(1)"; "(1) that the" after a space is as often an enumeration.
CARET_MARK_RE = re.compile(r" ?\^(?P<n>[1-9]\d{0,3}[a-z]?)")
BRACKET_MARK_RE = re.compile(r"(?P<gap> ?)\[(?P<n>[1-9]\d{0,3}[a-z]?)\]")
PAREN_MARK_RE = re.compile(r"(?P<gap> ?)\((?P<n>[1-9]\d{0,3}[a-z]?)\)")
# Digits after a space after a word, as a superscript may be read: "Klotz 2 both"; looked for only
# for a note still uncited, between its neighbours' markers.
WORD_SPACED_MARK = r"(?<=[A-Za-zÀ-ÿ0-9.,;:!?)\]”’\"]) ({})(?=[\s.,;:)]|$)"
# Words after a number that make it the text’s own: "1 p.m.", "12 noon", "3 o’clock", "5 per cent", "2 %".
AFTER_NUMBER_RE = re.compile(
    r"(?:[ \n]+\[[^\]\n]{1,12}\])?"  # the editor's correction between: "2 [12] p.m."
    r"[ \n]+(?:[ap]\.\s?m\b|o’clock|o'clock|per\b|percent|th\b|st\b|nd\b|rd\b|noon\b|midnight\b|%)", re.IGNORECASE
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

# OCR slips in words: "li" read for "h" after a consonant ("tlie", "wliich"), "1" for "l" beside
# letters ("a1so", "1etter", "wi11"), and a speck read as a comma standing alone ("the , Department").
LI_RE = re.compile(r"(?<=[b-df-hj-np-tv-z])li")  # (on case-folded words)
DIGIT_IN_WORD_RE = re.compile(r"(?<=[A-Za-z])1+(?=[A-Za-z])")
DIGIT_WORD_RE = re.compile(r"\b(?:[A-Za-z]+1|1(?!st\b|nd\b|rd\b|th\b|d\b)[a-z]{2})[A-Za-z1]*\b")

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
    broken = _syllable_breaks(lines)
    # headings centred and datelines set to the right with spaces, as a page is laid out
    set_out = sum(1 for ln in lines[:400] if len(ln) - len(ln.lstrip(" ")) >= 8)
    # a page number alone at the head or the foot of a page, or set off by dashes ("— 249 —");
    # the volume's title over a page; form feeds between pages
    foot = _folio(lines[-1]) is not None and (len(lines[-1]) - len(lines[-1].lstrip()) >= 8 or wrapped >= 3)
    furniture = _folio(lines[0]) is not None or foot or "\f" in text \
        or any(DASHED_FOLIO_RE.match(ln) for ln in lines[:400]) or bool(running_titles(text.split("\n", 400)[:400]))
    if furniture and (set_out >= 2 or wrapped >= 1 or broken >= 1):
        return True
    # a page laid out, heading centred and dateline and signature set right, over hard-wrapped lines
    if (broken >= 2 and wrapped >= 8) or (set_out >= 3 and wrapped >= 3) or (set_out >= 4 and wrapped + broken >= 1):
        return True
    # hard-wrapped, with notes under a rule that follow the volume's running count ("———" over "47. Supra."),
    # or that a superscript read as digits cites ("State1" over "1 File No. 861.77/201"): a transcription
    # numbers each document's notes from 1 and marks them "[1]"
    return wrapped >= 3 and any(RULE_RE.match(a) and (n := _note_start(b)) is not None and n[0].isdigit()
                                and (int(n[0]) > 1 or _glued_in(text, n[0])) for a, b in pairwise(lines))


def _glued_in(text: str, number: str) -> bool:
    """Whether `number` stands glued to a word in the text, as OCR reads a superscript: "State1"."""
    return re.search(rf"[a-z]{re.escape(number)}(?![\w.,]\d)\b", text) is not None


def _syllable_breaks(lines: list[str]) -> int:
    """Lines ending in a word broken between syllables, as a printer breaks them: "pres-" over "ent".

    Text wrapped by a program breaks only at a compound's own hyphen ("Ninety-" over "nine",
    "time-" over "table"): a compound the text spells elsewhere, or one whose first part is a word
    of the text, is not counted.
    """
    vocab: Counter[str] | None = None
    count = 0
    for a, b in pairwise(lines):
        a = a.rstrip()
        if not (a.endswith("-") and a[-2:-1].islower() and b.strip()[:1].islower()):
            continue
        if vocab is None:
            vocab = vocabulary("\n".join(lines))
        left = LAST_WORD_RE.search(a[:-1])
        right = FIRST_WORD_RE.match(b.strip())
        first, second = (left.group(0).lower() if left else ""), (right.group(0).lower() if right else "")
        if first and vocab.get(first, 0) <= 1 and not vocab.get(f"{first}-{second}"):  # (counted once: here)
            count += 1
    return count


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
    # "printed": a form that is never the text's own (a superscript, "^1"), dropped if it cites no
    # note; "bracket" and "paren": "[1]", "(1)", one number whole (no two markers side by side)
    form: str = ""


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


def _measure(lines: list[str]) -> int:
    """The printed measure: where the long lines end, outliers aside."""
    ends = sorted(len(ln.rstrip()) for ln in lines if len(ln.strip()) > 10)
    return ends[min(len(ends) - 1, int(len(ends) * 0.95))] if ends else 70


def running_titles(lines: list[str]) -> set[str]:
    """The running heads printed without a page number: a title in capitals, centred, over a blank line.

    Taken are a title naming the volume ("FOREIGN RELATIONS, 1918, RUSSIA"), one at the top of two
    pages or more, one whose words are all in a title taken ("RUSSIA"), and one at the very top of
    the text with no dateline under it (a heading in capitals has one, "PROTOCOL" over "Peking, ...").
    """
    width = _measure(lines)
    found: dict[str, list[int]] = {}
    for i, line in enumerate(lines):
        if not TITLE_RE.match(line) or (i + 1 < len(lines) and lines[i + 1].strip()) or NOTES_HEAD_RE.match(line):
            continue
        if i > 0 and lines[i - 1].strip() and not line.startswith("\f"):
            continue  # a running head stands at the top of its page
        title = " ".join(line.split())
        if sum(1 for c in title if c.isalpha()) < 4:
            continue
        lead, gap = len(line) - len(line.lstrip()), width - len(line.rstrip())
        if VOLUME_TITLE in title or (lead >= 4 and abs(lead - gap) <= 6):
            found.setdefault(title, []).append(i)
    taken = {t for t, at in found.items() if VOLUME_TITLE in t or len(at) >= 2}
    words = {w for t in taken for w in re.findall(r"[A-Z]{2,}", t)}
    first = next((i for i, ln in enumerate(lines) if ln.strip()), -1)
    for t, at in found.items():
        if t not in taken and (all(w in words for w in re.findall(r"[A-Z]{2,}", t))
                               or (at[0] == first and not _dateline_under(lines, first))):
            taken.add(t)
    return taken


def _dateline_under(lines: list[str], i: int) -> bool:
    """Whether the line of text under line i is a dateline (a running title stands over a heading)."""
    below = next((ln for ln in lines[i + 1:i + 6] if ln.strip()), "")
    return L.parse_dateline(" ".join(below.split())) is not None


def _folio(line: str) -> tuple[int, bool] | None:
    """The page number of a line that holds one alone, and whether dashes set it off: "— 249 —"."""
    m = DASHED_FOLIO_RE.match(line)
    if m is not None:
        return int(m.group("n")), True
    m = FOLIO_RE.match(line)
    return (int(m.group("n")), False) if m is not None else None


def split_pages(text: str) -> list[Page]:
    """The pages of the text, running heads, running titles and page numbers removed; none empty.

    Form feeds cut pages; so do running heads, running titles and page numbers at the head or
    the foot of a page. Pages with none of these are cut later, after the notes at their foot.
    """
    titles = running_titles(text.split("\n"))
    chunks = text.split("\f")
    pages: list[Page] = []
    for chunk in chunks:
        lines = chunk.split("\n")
        if len(chunks) > 1:
            _drop_furniture(lines, titles)
        # where form feeds cut the pages, a number alone in the text is left alone
        marks = _page_marks(lines, titles, lone_numbers=len(chunks) == 1)
        for a, b in zip([-1, *marks], [*marks, len(lines)]):
            if any(ln.strip() for ln in lines[a + 1:b]):
                pages.append(Page(lines[a + 1:b]))
    return pages


def _page_marks(lines: list[str], titles: set[str], lone_numbers: bool) -> list[int]:
    """The lines that are page furniture: running heads and titles, page numbers at head or foot.

    A page number alone ("249") is one only where it stands apart and the sequence of pages wants
    it (a figure of the text, "1250", does not follow on); "— 249 —" always is.
    """
    found: list[tuple[int, int | None, bool]] = []  # line, page number, sure
    for i, line in enumerate(lines):
        text = line.strip()
        if not text:
            continue
        # (a page number stands at a line's edge, or alone between dashes: most lines are passed at a glance)
        numbered = text[0].isdigit() or text[-1].isdigit() or (text[0] in "—–-" and len(text) <= 12)
        number = _strong_head(line) if numbered else None
        if number is not None:
            found.append((i, number, True))
        elif titles and text.isupper() and " ".join(text.split()) in titles and (
                i + 1 >= len(lines) or not lines[i + 1].strip()):
            found.append((i, None, True))
        elif numbered and (folio := _folio(line)) is not None and (folio[1] or lone_numbers):
            found.append((i, folio[0], folio[1]))
    texts = [i for i, ln in enumerate(lines) if ln.strip()]
    ends = (texts[0], texts[-1]) if texts else (0, 0)
    marks: list[int] = []
    expected: int | None = None
    for pos, (i, number, sure) in enumerate(found):
        if not sure:
            after = next((n for _, n, _ in found[pos + 1:pos + 3] if n is not None), None)
            apart = (i == ends[0] or not lines[i - 1].strip()) and (i + 1 >= len(lines) or not lines[i + 1].strip())
            # the first page number: at the top or the foot of the text, or followed by the next
            wanted = number == expected or (expected is None and (i in ends or after == (number or 0) + 1))
            if not (apart and wanted):
                continue
        marks.append(i)
        if number is not None:
            expected = number + 1
    return marks


def _drop_furniture(lines: list[str], titles: set[str]) -> None:
    """Remove the running head at the top of a page (and a page number at its foot), in place."""
    top = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if top is not None and (_strong_head(lines[top]) is not None or _folio(lines[top])
                            or " ".join(lines[top].split()) in titles):
        lines[top] = ""
    bottom = next((i for i in range(len(lines) - 1, -1, -1) if lines[i].strip()), None)
    if bottom is not None and bottom != top and _folio(lines[bottom]):
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
    found = [(m.start(), m.end(), m.group("n"), 2, "printed" if superscript else "")
             for m in SYMBOL_MARK_RE.finditer(text)]
    if "^" in text:
        found += [(m.start(), m.end(), m.group("n"), 2, "printed") for m in CARET_MARK_RE.finditer(text)]
    if superscript:
        found += [(m.start(), m.end(), m.group(0).translate(FROM_SUPERSCRIPT), 2, "printed")
                  for m in SUP_MARK_RE.finditer(text)]
    else:
        for m in GLUED_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), _glued_strength(text, m.start(), m.end()), ""))
        for m in YEAR_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), -1 if AFTER_NUMBER_RE.match(text, m.end()) else 0, ""))
        for m in SPACED_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), _spaced_strength(text, m.start(), m.end()), ""))
        if "[" in text:
            # "2 [12] p.m.": a figure put right by the editor, not a marker
            found += [(m.start(), m.end(), m.group("n"), 0 if text[max(0, m.start() - 1):m.start()].isdigit() else 2,
                       "bracket") for m in BRACKET_MARK_RE.finditer(text)]
        if "(" in text:
            for m in PAREN_MARK_RE.finditer(text):
                found.append((m.start(), m.end(), m.group("n"), _paren_strength(text, m), "paren"))
    out = []
    for start, end, number, strength, form in sorted(found):
        if strength >= 0:
            i = bisect_right(starts, start) - 1
            out.append(Candidate(i, start - starts[i], end - starts[i], number, strength, form))
    return out


def _paren_strength(text: str, m: re.Match[str]) -> int:
    """How likely "(2)" is a marker: -1 opening a line ("   (5) Miscellaneous.—It was"); glued to a word
    or stop, sure ("Sheldon:(1)"), but after a figure doubtful ("Article 5(2)", "lines 10 and 11(56)");
    after a space, doubtful where it is one of a series or numbers a part ("the following: (1) that",
    "Article 259 (1) of the Treaty", "paragraph (2)"), else sure ("Chargé d’Affaires at Guatemala, (11)")."""
    if not text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip():
        return -1
    before = text[m.start() - 1]
    if not m.group("gap"):
        return 0 if before in "0123456789([" else 2
    n = int(re.sub(r"\D", "", m.group("n")) or 0)
    word = PREVIOUS_WORD_RE.search(text, max(0, m.start() - 30), m.start())
    if before.isdigit() or f"({n - 1})" in text or f"({n + 1})" in text \
            or (word is not None and word.group(1).lower() in OWN_NUMBER_WORDS):
        return 0
    return 2


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


# Note numbers printed in a form the text never opens a line with: "[1]", "^1" (and "¹").
PRINTED_LABELS = ("bracket", "caret")


def _note_start(line: str) -> tuple[str, str, str] | None:
    """The number, text and style of a line that may open a note: ("12", "Ante, p. 178.", "digits")."""
    m = NOTE_START_RE.match(line)
    if not m:
        return None
    if m.group("sup"):
        return m.group("sup").translate(FROM_SUPERSCRIPT), m.group("text"), "sup"
    if m.group("sym"):
        return m.group("sym"), m.group("text"), "sym"
    for style in PRINTED_LABELS:
        if m.group(style):
            return m.group(style), m.group("text"), style
    if m.group("paren"):
        return m.group("paren"), m.group("text"), "paren"
    style = "digits." if "." in line[m.end("num"):m.start("text")] else "digits"
    return m.group("num"), m.group("text"), style



def read_notes(pages: list[Page], superscript: bool) -> list[Page]:
    """Every page's notes read off its foot; a page whose notes stand in mid-stream is cut after them.

    Notes stand at the foot of a page. Where nothing else marks a page's end (no
    running head, page number or form feed) they stand in the run of lines with
    the next page's text under them, and where a document's notes are gathered
    at its end they stand before the next document: either way the page (the
    stretch of text whose markers they answer) ends with them. Numbers cited on
    a page without notes of its own stay pending until notes answer them.
    """
    out: list[Page] = []
    carry_open = False
    pending: dict[str, int] = {}  # number -> the surest marker for it, on pages since the last notes
    unmarked = len(pages) == 1  # nothing but the notes marks where a page ends
    for page in pages:
        lines = page.lines
        while lines and not lines[-1].strip():
            lines.pop()
        if out and out[-1].notes:
            for k in range(_continued_notes(out[-1], lines, carry_open)):
                _add_note_line(out[-1], lines[k])
                lines[k] = ""
        candidates = find_candidates(lines, superscript)
        for a, b, start in _scopes(lines, candidates, pending, carry_open, unmarked):
            sub = Page(lines[a:b])
            sub.candidates = [Candidate(c.line - a, c.start, c.end, c.number, c.strength, c.form)
                              for c in candidates if a <= c.line < b]
            # notes found in mid-stream that open with a numbered note carry nothing over
            carry = carry_open and (start is None or _note_start(lines[start]) is None)
            read_foot(sub, carry, pending, None if start is None else start - a)
            if sub.notes:
                pending = {}
            else:
                for c in sub.candidates:
                    pending[c.number] = max(pending.get(c.number, -1), c.strength)
            carry_open = _unfinished(sub)
            out.append(sub)
    return out


def _continued_notes(prev: Page, lines: list[str], carry_open: bool) -> int:
    """How many lines at the top of a page go on with the notes of the page before: notes gathered at
    a document's end run over the page break ("⁴⁵ Rex A. Pixley, ... of the Republic of" over the
    running head, "Haiti." and "⁴⁶ Director of ..." under it), and then the next document begins.

    The first line must number the next note as the notes before were numbered (not "2. All
    transactions...", which goes on with numbered paragraphs), or end the last note where it stopped
    mid-sentence under a text that had ended; a page's own text, which goes on with the text above, is
    neither.
    """
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None or not prev.notes:
        return 0
    found = _note_start(lines[first])
    number = prev.notes[-1][0]
    last_style = _note_start(prev.foot[-len(prev.notes[-1][1])]) if prev.foot else None
    if found is not None:
        if not (_follows(number, found[0]) and found[2] != "digits." and last_style and found[2] == last_style[2]):
            return 0
    else:
        ended = (prev.body[-1].rstrip().endswith(TERMINAL) or len(prev.body[-1]) - len(prev.body[-1].lstrip()) >= 8) \
            if prev.body else False
        j = next((k for k in range(first, len(lines)) if not lines[k].strip() or _note_start(lines[k])), len(lines))
        then = _note_start(lines[j]) if j < len(lines) else None
        # the run-on starts in lower case, or ends a word broken at the line's end, or the next note
        # follows it, or it is short and the next document follows it ("York." and two blank lines)
        goes_on = lines[first].strip()[:1].islower() or prev.foot[-1].rstrip().endswith("-") \
            or (then is not None and _follows(number, then[0])) \
            or (j - first <= 3 and lines[j - 1].rstrip().endswith(TERMINAL) and not "".join(lines[j:j + 2]).strip())
        if not (carry_open and ended and goes_on and _is_flush_block(lines, first, j)):
            return 0
    end = _notes_end(lines, first)
    if found is None and end - first > MAX_LONE_NOTE:
        return 0
    return end


def _add_note_line(page: Page, line: str) -> None:
    """A line of the notes at a page's foot, carried over from the next page: a new note, or more of the last."""
    if not line.strip():
        return
    page.foot.append(line)
    found = _note_start(line)
    if found is not None and _follows(page.notes[-1][0], found[0]):
        page.notes.append((found[0], [found[1]]))
    else:
        page.notes[-1][1].append(line.strip())


def _scopes(lines: list[str], candidates: list[Candidate], pending: dict[str, int], carry_open: bool,
            unmarked: bool) -> list[tuple[int, int, int | None]]:
    """The stretches of a page that each end with notes: (first line, past-last line, first note line).

    A stretch ends after notes that have more text under them; the last runs to
    the page's foot, whose notes `read_foot` finds (None). One forward pass: the
    numbers cited so far are kept as it goes.
    """
    out: list[tuple[int, int, int | None]] = []
    last_text = max((i for i, ln in enumerate(lines) if ln.strip()), default=-1)
    measured: list[int] = []

    def width() -> int:  # measured once, if a blank line over notes asks for it
        if not measured:
            measured.append(_measure(lines))
        return measured[0]

    cited = dict(pending)
    a = ci = i = 0
    while i < last_text:
        while ci < len(candidates) and candidates[ci].line < i:
            c = candidates[ci]
            cited[c.number] = max(cited.get(c.number, -1), c.strength)
            ci += 1
        start = _mid_notes(lines, i, cited, carry_open and a == 0, unmarked, width)
        if start is not None:
            end = _notes_end(lines, start)
            if end >= last_text:
                break  # the notes at the page's foot
            out.append((a, end, start))
            a = i = end
            cited = {}
            carry_open = False
            continue
        i += 1
    out.append((a, len(lines), None))
    return out


def _mid_notes(lines: list[str], i: int, cited: dict[str, int], carry_open: bool, unmarked: bool,
               width: Callable[[], int]) -> int | None:
    """The first line of notes opening at line i, in the stream of lines: under a rule or "NOTES"; or,
    where nothing else marks the pages or under a closer, under a blank line, every note cited by a
    sure marker above ("Crosby:1", "Crosby¹")."""
    line = lines[i]
    if line.lstrip()[:1] in RULE_OR_HEAD and (RULE_RE.match(line) or NOTES_HEAD_RE.match(line)):
        j = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].strip()), None)
        if j is None:
            return None
        found = _note_start(lines[j])
        if found is None:
            # the end of a note begun on the page before, above this page's own
            return j if carry_open and _is_flush_block(lines, j, j + 1) else None
        # under "NOTES", or under a rule: a note cited above, numbered as none of the text is, or followed by
        # the next ("1. File No. 861.24/50" and "2. Sent via the Consulate"), the markers unread as yet
        if NOTES_HEAD_RE.match(line) or found[2] in ("sup", "sym", *PRINTED_LABELS) or cited.get(found[0], -1) >= 0:
            return j
        then = _note_start(lines[j + 1]) if j + 1 < len(lines) else None
        return j if then is not None and then[2] == found[2] and _follows(found[0], then[0]) else None
    if line.strip() or i + 1 >= len(lines):
        return None
    found = _note_start(lines[i + 1])
    if found is None or cited.get(found[0], -1) < 2:
        return None
    if found[1][:1].islower() and not LOWER_NOTE_RE.match(found[1]):
        return None
    above = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
    lead = len(above) - len(above.lstrip())
    if L.parse_dateline(above.strip()) or above.lstrip().startswith("[") or not (
            (unmarked and lead < 8) or (lead >= 8 and len(above) >= width() - 3)):
        # under the text of a page with nothing else to end it, or under a closer set right; not
        # under a heading or a dateline ("(Washington)²" over "2. Your 115, December 31"); in a
        # page of its own, a blank line over notes is their foot's, found there
        return None
    end = _notes_end(lines, i + 1)
    numbers = [f[0] for k in range(i + 1, end) if (f := _note_start(lines[k])) and f[2] == found[2]]
    return i + 1 if all(cited.get(n, -1) == 2 for n in numbers) else None


def _notes_end(lines: list[str], j: int) -> int:
    """Where the notes from line j stop: at a blank line the next note does not follow."""
    first = _note_start(lines[j])
    number, style = (first[0], first[2]) if first else ("", "")
    k = j + 1
    while k < len(lines):
        if not lines[k].strip():
            nxt = next((m for m in range(k + 1, min(k + 3, len(lines))) if lines[m].strip()), None)
            found = _note_start(lines[nxt]) if nxt is not None else None
            if nxt is None or found is None or not (_follows(number, found[0]) and (not style or found[2] == style)):
                return k
            k = nxt
            continue
        found = _note_start(lines[k])
        if found is not None and (not number or (found[2] == style and _follows(number, found[0]))):
            number, style = found[0], found[2]
        k += 1
    return len(lines)


def read_foot(page: Page, carry_open: bool, pending: dict[str, int] | None = None, start: int | None = None) -> None:
    """Split the page into body and foot, and the foot into notes (and the run-on of the last page's note).

    `pending` holds numbers cited on pages before, still unanswered (endnotes);
    `start`, where the notes begin, if already known.
    """
    lines = page.lines
    while lines and not lines[-1].strip():
        lines.pop()
    cited: dict[str, int] = {}  # number -> first line a marker for it stands on
    sure: dict[str, int] = {}
    for number, strength in (pending or {}).items():
        if strength >= 1:
            cited[number] = -1
            if strength == 2:
                sure[number] = -1
    for c in page.candidates:
        for number in [c.number] + (_halves(c.number) if c.strength >= 1 and c.form not in ("bracket", "paren") else []):
            cited.setdefault(number, c.line)
            if c.strength == 2:
                sure.setdefault(number, c.line)
    if start is None:
        start = _foot_start(lines, cited, sure, carry_open)
        if start is not None and pending and not _answers_pending(lines, start, page.candidates):
            start = None
    if start is None:
        page.body = lines
        return
    page.body = lines[:start]
    while page.body and not page.body[-1].strip():
        page.body.pop()
    if page.body and (RULE_RE.match(page.body[-1]) or NOTES_HEAD_RE.match(page.body[-1])):
        page.body.pop()  # the rule over the notes, or their heading
        while page.body and not page.body[-1].strip():
            page.body.pop()
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
            or found[2] in ("sup", *PRINTED_LABELS)
        ):
            style = found[2]
            current = [found[1]]
            page.notes.append((found[0], current))
        elif current is not None:
            current.append(ln.strip())
        else:
            page.carried.append(ln.strip())


def _answers_pending(lines: list[str], start: int, candidates: list[Candidate]) -> bool:
    """Whether notes found at line `start` may answer markers of the pages before: a page's own notes
    do (a marker on the page cites the first), and so do notes gathered at a document's end, under a
    rule, a heading or the closer; "(1) That it should confirm..." under the text goes on with it."""
    first = _note_start(lines[start])
    if first is None or any(c.number == first[0] and c.line < start for c in candidates):
        return True
    above = next((ln for ln in reversed(lines[:start]) if ln.strip()), "")
    return bool(RULE_RE.match(above) or NOTES_HEAD_RE.match(above)) or len(above) - len(above.lstrip()) >= 8


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
        if RULE_RE.match(lines[i]) or NOTES_HEAD_RE.match(lines[i]):
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
    if cited.get(first[0], end) >= j and not (
            (first[2] == "digits" and end - j <= MAX_LONE_NOTE
             and (_run_on_above(lines, j, first[0]) or _spaced_above(lines, j, first[0])))
            or _spaced_run(lines, j, end, first)):
        return False  # no marker above cites it, not even one run on from a figure ("December 111")
    if first[1][:1].islower() and not LOWER_NOTE_RE.match(first[1]):
        return False  # a note opens with a capital ("Not printed.", "Ante, p. 6."); "3 about 7 taels" is text
    numbers = [first[0]]
    for k in range(j + 1, end):
        found = _note_start(lines[k])
        if found is not None and found[2] == first[2] and _follows(numbers[-1], found[0]):
            if cited.get(found[0], end) >= j and not _run_on_above(lines, j, found[0]) \
                    and not _spaced_above(lines, j, found[0]):
                return False  # "9. The Congress..." with no marker 9 above: numbered paragraphs, not notes
            numbers.append(found[0])
    # alone, a note numbered bare ("21 Not printed.") and short, or one a sure marker cites;
    # "7. The value..." under a "25.7" is a numbered paragraph
    lone = first[2] != "digits." and end - j <= MAX_LONE_NOTE
    return len(numbers) >= 2 or lone or sure.get(first[0], end) < j


def _spaced_above(lines: list[str], j: int, number: str) -> bool:
    """Whether `number` stands above line j after a space after a word, as a marker may be read
    ("State 46", "Ramirez 50"), and not as the text's own number ("Article 2", "April 20", "Fort 1,")."""
    return _word_spaced(lines, number, (0, 0), (j, 0), "", bare=True) is not None


def _spaced_run(lines: list[str], j: int, end: int, first: tuple[str, str, str]) -> bool:
    """Whether two notes or more, numbered in sequence from line j, are cited above, in their order, by
    numbers set after a word: "46. 817.00/7968" and "47. Not sent until..." under "State 46" and "1934. 47"."""
    numbers = [first[0]]
    for k in range(j + 1, end):
        found = _note_start(lines[k])
        if found is not None and found[2] == first[2] and _follows(numbers[-1], found[0]):
            numbers.append(found[0])
    if len(numbers) < 2:
        return False
    at = (0, 0)
    for n in numbers:  # in the order of the notes, as markers stand
        spaced = _word_spaced(lines, n, at, (j, 0), "", bare=True)
        if spaced is None:
            return False
        at = (spaced[0], spaced[1].end())
    return True


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
        if left.endswith("-") and left[-2:-1].isdigit() and right[:1].isalpha():
            return left, ""  # "100-" over "ruble denomination": a compound broken at its hyphen
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
    glued, cut = _unlaid(rows, breaks, width)
    out: list[str] = []
    page_last: dict[int, int] = {}
    parts: list[str] = []  # the printed lines of the logical line being built
    open_kind = ""  # "para", "center", "right" or "" (nothing open)
    last: Row | None = None

    def close() -> None:
        nonlocal parts, open_kind
        if open_kind == "right" and len(parts) > 1 and _signer_in_capitals(parts[0]) \
                and L.parse_dateline(L.plain(" ".join(parts))) is None:
            # "TOWNSEND HARRIS," over "Minister Resident.": the signer stays in capitals, as the
            # other raw forms print him, so that the closer tells his name from his office
            out.append(f"{parts[0].strip()} {soften_caps(joiner.join_lines(parts[1:]))}")
        elif parts:
            out.append(soften_caps(joiner.join_lines(parts)))
        parts, open_kind = [], ""

    for n, row in enumerate(rows):
        kind = _kind(row, width, indent)
        # a blank line where a sentence runs on is a page break with nothing else to show it
        apart = n in breaks and not (kind == "flush" and open_kind == "para" and last is not None
                                     and _runs_over(last, row, width))
        if n in glued and parts:
            parts.append(row.text)
        elif n in cut:
            close()
            parts, open_kind = [row.text], "para"
        elif kind in ("center", "right"):
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


def _signer_in_capitals(line: str) -> bool:
    text = line.strip()
    return text.endswith(",") and text.upper() == text and L.is_signature(text)


# Words a printed line of a heading or a sentence never ends on: "...(Page) to the" over "Secretary of State".
OPEN_WORDS = frozenset({"the", "of", "to", "and", "in", "for", "by", "at", "on", "with", "a", "an", "from", "or"})
UNLAID_SHARE = 0.01  # of the rows set in from the margin, below which the text keeps no layout
MAX_HEADING_ROWS = 3


def _unlaid(rows: list[Row], breaks: set[int], width: int) -> tuple[set[int], set[int]]:
    """Where text printed with no layout (every line full left, as OCR that keeps none gives it) joins
    and parts: the rows that go on with the row above though it is short, and the rows that stand apart
    though the row above is full. Both empty for a text that keeps its layout.

    Layout told a heading of two lines ("The Secretary of State to the Ambassador in Russia" over
    "(Francis)"), a dateline of two ("LEGATION OF THE UNITED STATES," over "City of Mexico, May 29,
    1861.") and a signature ("LANSING") from the text; without it, the dateline they stand over does,
    and the words a line ends on.
    """
    if not rows or sum(1 for r in rows if r.lead >= 6) > UNLAID_SHARE * len(rows):
        return set(), set()
    glued: set[int] = set()
    cut: set[int] = set()
    for n, row in enumerate(rows):
        if n == 0 or n in breaks:
            continue
        above = rows[n - 1].raw
        if above.rsplit(" ", 1)[-1].lower() in OPEN_WORDS:
            glued.add(n)
        elif above.endswith(",") and len(above) <= 40 and above.upper() == above and L.is_signature(above):
            glued.add(n)  # "TOWNSEND HARRIS," over "Minister resident of the United States in Japan."
        elif above.endswith((*TERMINAL, ",")) and len(row.raw) <= 40 and row.raw.upper() == row.raw \
                and L.is_signature(row.raw):
            cut.add(n)  # "LANSING" under a paragraph's last line, full though it is; "TOWNSEND HARRIS," under
            # "...your most obedient humble servant,"
        elif len(above) <= 20 and L.is_number_line(above) or L.is_source_line(row.text):
            cut.add(n)  # "No. 378" over "882.6176 F 51/128" over the heading
    for d, row in enumerate(rows):
        if len(row.raw) > 80 or not L.parse_dateline(L.plain(row.text)):
            continue
        k = d - 1
        if k >= 0 and d not in breaks and rows[k].raw.endswith(",") and len(rows[k].raw) <= 60:
            glued.add(d)  # the place over the date
            k -= 1
        while k >= 0 and rows[k].raw.startswith("[") and rows[k].raw.endswith("]"):
            k -= 1  # "[Telegram]" between heading and dateline
        # the heading: the rows over it back to a blank line, a number or a source line
        for h in range(k, max(k - MAX_HEADING_ROWS + 1, 0), -1):
            prev = rows[h - 1].text
            if h in breaks or L.is_number_line(prev) or L.is_source_line(prev) or L.parse_dateline(L.plain(prev)) \
                    or rows[h - 1].raw.endswith((".", ":", ";", "]")):
                break
            glued.add(h)
    return glued, cut


def _continues(prev: Row, row: Row, width: int) -> bool:
    """Whether a flush line goes on with the paragraph above it."""
    if prev.raw.endswith(("-", "—")):
        return True
    word = row.raw.split(" ", 1)[0]
    opens = word[:1].isupper() or word[:1] in "“\"[(‘" or PARAGRAPH_NUMBER_RE.match(word) is not None
    # the printer would have set the word on the line above, had the paragraph gone on
    # (a little slack: the measure is estimated, and a marker may ride on the word)
    return not (opens and prev.end + 1 + len(word) <= width - 3)


def _runs_over(prev: Row, row: Row, width: int) -> bool:
    """Whether a paragraph goes on over a blank line: its line before is full and stops mid-sentence
    ("...the repre-" or "...that the", then "sentatives at" or "Government will"), as at a page's end."""
    if prev.raw.endswith("-") and prev.raw[-2:-1].isalpha() and row.raw[:1].islower():
        return True
    # (a row of a table, "Total 83,730,000", ends in a figure)
    stops_mid = prev.raw[-1:].isalpha() or prev.raw.endswith(",")
    return prev.end >= width - 6 and stops_mid and _continues(prev, row, width)


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


Chosen = list[tuple[Candidate, list[str]]]  # markers taken on a page, each with the keys of its notes


def place_markers(pages: list[Page], superscript: bool, figures: Counter[str]) -> tuple[list[list[str]], set[str]]:
    """Every page's body lines with markers as tokens keyed "page.number"; and the keys used.

    A page's notes are looked for on the page first. Notes gathered at the end
    of a document answer markers on the pages before theirs too: where a page
    leaves notes uncited, the pages since the last notes are read with it.
    """
    chosen_on: list[dict[tuple[int, int], tuple[Candidate, list[str]]]] = []
    pending: list[int] = []
    for p, page in enumerate(pages):
        chosen = _page_markers(page, p, pages, superscript, figures)
        chosen_on.append({(c.line, c.start): (c, keys) for c, keys in chosen})
        if not page.notes:
            pending.append(p)
            continue
        numbers = {n for n, _ in page.notes}
        if pending and len(_cited_here(chosen, p)) < len(numbers):
            pool = [(q, c) for q in [*pending, p] for c in pages[q].candidates if c.line < len(pages[q].body)]
            order = {n: i for i, (n, _) in reversed(list(enumerate(page.notes)))}
            wider = _match(pool, order, p, {})
            if len({k for _, _, keys in wider for k in keys}) > len(_cited_here(chosen, p)):
                for q in [*pending, p]:
                    own = {at: pair for at, pair in chosen_on[q].items() if not pair[1] or not pair[1][0].startswith(f"{p}.")}
                    own.update({(c.line, c.start): (c, keys) for r, c, keys in wider if r == q})
                    chosen_on[q] = own
        pending = []
    bodies: list[list[str]] = []
    used: set[str] = set()
    for page, chosen_at in zip(pages, chosen_on):
        out = list(page.body)
        for (line, _), (c, keys) in sorted(chosen_at.items(), reverse=True):
            out[line] = out[line][: c.start] + "".join(token(k) for k in keys) + out[line][c.end:]
            used.update(keys)
        bodies.append(out)
    return bodies, used


def _cited_here(chosen: Chosen, p: int) -> set[str]:
    return {k for _, keys in chosen for k in keys if k.startswith(f"{p}.")}


def _page_markers(page: Page, p: int, pages: list[Page], superscript: bool, figures: Counter[str]) -> Chosen:
    """The markers on the page, each with the keys of the notes it cites (none: a superscript to drop).

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
    found = _match([(p, c) for c in page.candidates if c.line < len(page.body)], order, p, near)
    chosen = [(c, keys) for _, c, keys in found]
    if not superscript and len(_cited_here(chosen, p)) < len(order):
        chosen = _run_on_markers(page, p, order, chosen, figures)
    return chosen


def _match(candidates: list[tuple[int, Candidate]], order: dict[str, int], p: int,
           near: dict[str, int]) -> list[tuple[int, Candidate, list[str]]]:
    """Markers among the candidates (each with its page) for the notes of page p, numbered as in `order`."""
    want = 0
    chosen: list[tuple[int, Candidate, list[str]]] = []
    # "(1)" after a space yields to a surer marker of its number: it is as often an enumeration
    surer = {c.number for _, c in candidates if c.strength >= 1} if any(c.form == "paren" for _, c in candidates) else set()
    for q, c in candidates:
        if c.form == "paren" and c.strength == 0 and c.number in surer:
            continue
        numbers = [c.number]
        if c.number not in order and c.form not in ("bracket", "paren"):
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
        if keys or c.form == "printed":
            chosen.append((q, c, keys))  # a superscript citing no note is dropped, not left in a word
    return chosen


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
            if L.is_number_line(page.body[ln].strip()):
                continue  # "No. 161" over the heading is the document's number, not "No. 16" and a marker
            m = _run_on_match(pattern, page.body[ln], low[1] if ln == low[0] else 0)
            while m and (ln, m.end(1)) < high:
                options.append((ln, m))
                m = _run_on_match(pattern, page.body[ln], m.end())
        if options:
            # "instruction No. 5924" over "despatch No. 1184": the figure the text cites elsewhere ("No. 592")
            ln, m = max(options, key=lambda o: figures.get(o[1].group(1), 0) > 1)
            found.append((Candidate(ln, m.end(1), m.end(), number, 0), [f"{p}.{number}"]))
            placed[number] = (ln, m.end(1))
        elif (spaced := _word_spaced(page.body, number, low, high, numbers[i - 1] if i else "")) is not None:
            ln, m = spaced
            found.append((Candidate(ln, m.start(), m.end(), number, 0), [f"{p}.{number}"]))
            placed[number] = (ln, m.start())
    return sorted(chosen + found, key=lambda pair: (pair[0].line, pair[0].start))


# Words a number after a space belongs to: "April 20", "Your 359", "Article 2", "about 7 taels".
OWN_NUMBER_WORDS = NUMBERED_WORDS | {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "your", "my", "our", "his", "its", "their", "telegram", "telegrams", "despatch",
    "dispatch", "instruction", "number", "page", "pages", "and", "or", "to", "from", "the", "of", "about",
    "some", "than", "over", "under", "nearly", "only", "at", "by", "for", "in", "on", "with", "all", "a",
}


PREVIOUS_WORD_RE = re.compile(r"([A-Za-z]+)\W*$")
YEAR_END_RE = re.compile(r"(?<![\d.,/])1[6-9]\d\d$")


def _word_spaced(body: list[str], number: str, low: tuple[int, int], high: tuple[int, int],
                 before: str, bare: bool = False) -> tuple[int, re.Match[str]] | None:
    """A marker read as digits after a space after a word ("Klotz 2 both"), between its neighbours'
    markers, for a note still uncited: the first that is not the text's own number. After a figure
    only where the figure is the marker before (`before`, standing at `low`), "(Francis) 1 2", or a
    year, "Signed at London, February 10, 1925 6". `bare`: only a number with a space after it, as a
    marker stands after the stop ("Fort 1, Great Britain" is the text's own)."""
    pattern = re.compile(WORD_SPACED_MARK.format(re.escape(number)))
    for ln in range(low[0], min(high[0] + 1, len(body))):
        for m in pattern.finditer(body[ln], low[1] if ln == low[0] else 0):
            if (ln, m.start()) >= high:
                return None
            if body[ln][m.start() - 1].isdigit() and not (
                    (before and body[ln][:m.start()].endswith(" " + before) and low == (ln, m.start() - len(before) - 1))
                    or YEAR_END_RE.search(body[ln], max(0, m.start() - 6), m.start())):
                continue  # after a figure, only the marker before it or a year: "(Francis) 1 2", "1925 6"
            word = PREVIOUS_WORD_RE.search(body[ln], max(0, m.start() - 30), m.start())
            if word is not None and word.group(1).lower() in OWN_NUMBER_WORDS:
                continue
            if AFTER_NUMBER_RE.match(body[ln], m.end()) or body[ln].startswith(", 1", m.end()):
                continue  # "2 p.m.", "20, 1925"
            if bare and body[ln][m.end():m.end() + 1] not in ("", " "):
                continue
            return ln, m
    return None


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


def repair_slips(text: str, vocab: Counter[str]) -> str:
    """Letters OCR misread, put right on the text's own evidence: "tlie" -> "the", "a1so" -> "also",
    and a speck read as a comma standing alone ("the , Department") dropped.

    A word is changed only to a spelling the text itself (`vocab`, its words
    case-folded) uses more often than the misreading; a digit between two
    letters is changed always, as no number is printed so. The suspects are
    found among the text's distinct words, then put right in one pass.
    """
    if " , " in text:
        text = text.replace(" , ", " ")

    def known(word: str, than: str) -> bool:
        count = vocab.get(word.lower(), 0)
        return count >= 2 and count > vocab.get(than.lower(), 0)

    def digits(m: re.Match[str]) -> str:
        word = m.group(0)
        letter = "L" if word.isupper() else "l"
        inner = DIGIT_IN_WORD_RE.sub(lambda d: letter * len(d.group(0)), word)
        if "1" not in inner:
            return inner
        whole = inner.replace("1", letter)  # "wi11", "1etter"; "Klotz1" is a word and a marker
        return whole if known(whole, inner.strip("1")) else inner

    text = DIGIT_WORD_RE.sub(digits, text)  # first: "t1ie" is "tlie", then "the"
    fixes: dict[str, str] = {}
    for word in vocab:
        if "li" in word and LI_RE.search(word):
            whole = LI_RE.sub("h", word)
            options = [whole] + [word[:m.start()] + "h" + word[m.start() + 2:] for m in LI_RE.finditer(word)]
            fixed = next((w for w in options if known(w, word)), None)
            if fixed is not None:
                fixes[word] = fixed
    if fixes:
        words = re.compile(r"\b(?:" + "|".join(map(re.escape, fixes)) + r")\b", re.IGNORECASE)
        text = words.sub(lambda m: _same_case(fixes[m.group(0).lower()], m.group(0)), text)
    return text


def _same_case(word: str, like: str) -> str:
    """`word` in the case of `like`: "the" like "Tlie" is "The", like "TLIE" is "THE"."""
    if like.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word


def read_drafts(text: str) -> list[Draft]:
    """Every document in the OCR of printed pages."""
    text = _clean(text)
    vocab = vocabulary(text)  # for the slips and the hyphens: the text's own spellings
    text = repair_slips(text, vocab)
    superscript = any(ch in text for ch in SUPERSCRIPT_DIGITS)
    pages = read_notes(split_pages(text), superscript)
    joiner = Joiner(vocab)
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
    bodies, cited = place_markers(pages, superscript, figures)
    for p, (page, body) in enumerate(zip(pages, bodies)):
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
    """A note's printed lines as one line, words broken at line ends joined and "rn" for "m" put right."""
    return fix_rn([" ".join(joiner.join_lines(lines).split())], joiner.vocab)[0]
