"""Reflow: printed lines back into logical lines, from where each stands on the page and how it ends."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import pairwise

from despatch.parse import lines as L
from despatch.readers.ocr.words import TERMINAL, Joiner, soften_caps

# ---------------------------------------------------------------- reflow

# A heading line ending in an initial or a title goes on: "(J.", "Mr.", "St.".
ABBREVIATION_END_RE = re.compile(r"(?:\b[A-Z]|\b(?:Mr|Mrs|Messrs|Dr|St|Gen|Col|Lieut|Capt|Hon|Rev|Jr|Sr|No|Nos))\.$")
# A paragraph may open with a number: a telegram's ("1124."), an enumerator ("2.", "(b)").
PARAGRAPH_NUMBER_RE = re.compile(r"^(?:\d{1,4}[.)]|\(\w{1,3}\))$")


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
