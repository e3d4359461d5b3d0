"""Page furniture and pages: the text cut into printed pages, running heads and page numbers taken out."""
from __future__ import annotations

import re
from dataclasses import dataclass, field

from despatch.parse import lines as L
from despatch.parse.notes import NOTES_HEADING

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
# A heading over notes gathered at a document's end: "NOTES", "Footnotes:".
NOTES_HEAD_RE = re.compile(rf"^\s*{NOTES_HEADING}\s*:?\s*$", re.IGNORECASE)


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
