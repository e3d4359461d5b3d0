"""Split a run of lines holding several documents (a chapter, a volume) into documents.

A document begins where its front begins: a document number over a heading, a
source line over a heading, or a heading over a dateline. A heading that
follows an enclosure caption opens an enclosure, not a document.
"""
from __future__ import annotations

import re

from despatch.parse import lines as L

LOOKAHEAD = 4  # non-blank lines within which a heading finds its dateline


def _next(idx: list[int], pos: int, n: int) -> list[int]:
    return idx[pos + 1:pos + 1 + n]


def _heading_then_dateline(lines: list[str], idx: list[int], pos: int) -> bool:
    """idx[pos] is a heading and a dateline follows, maybe after a bracketed source line."""
    line = lines[idx[pos]]
    if len(L.plain(line)) > 300 or L.parse_dateline(line):
        return False
    for i in _next(idx, pos, 2):
        if L.parse_dateline(lines[i]):
            return True
        if not L.is_source_line(lines[i]) or L.is_enclosure_label(lines[i]):
            return False
    return False


def _starts_document(lines: list[str], idx: list[int], pos: int) -> bool:
    line = lines[idx[pos]]
    if L.is_enclosure_label(line):
        return False
    after = _next(idx, pos, LOOKAHEAD)
    if pos > 0 and idx[pos] - idx[pos - 1] > 2 and after:
        # Two or more blank lines set documents apart in typed transcriptions; what follows must
        # still open like a document (a heading, a dateline, a number or a source line).
        if L.is_heading(line) or L.is_number_line(line) or L.parse_dateline(line):
            return True
        if L.is_source_line(line) and (not L.is_attachment_caption(line) or L.is_heading(lines[after[0]])):
            return True
    if L.is_heading(line) and pos > 0 and L.is_signature(lines[idx[pos - 1]]) and after:
        # a signature closes a document; a heading right after it opens the next
        return True
    if L.has_file_number(line) and after and _short_title(lines[after[0]]) and not L.parse_dateline(lines[after[0]]):
        # "882.6176 F 51/18" over "Draft Agreement Number 3 Between ...": only documents carry file numbers
        return len(after) > 1
    if L.is_number_line(line):
        if _numbered_paragraph(lines, idx, pos):
            return False
        return bool(after) and (L.is_heading(lines[after[0]]) or _heading_then_dateline(lines, idx, pos + 1)
                                or L.is_source_line(lines[after[0]]))
    if L.is_source_line(line):
        # "File No. 861.77/291" and "[Telegram]" above "Mr. Hay to Mr. Conger." above "Washington, ..."
        nxt = pos + 1
        while nxt < len(idx) and nxt - pos <= 3 and L.is_source_line(lines[idx[nxt]]):
            nxt += 1
        return nxt < len(idx) and L.is_heading(lines[idx[nxt]]) and _heading_then_dateline(lines, idx, nxt)
    return _heading_then_dateline(lines, idx, pos) and (L.is_heading(line) or _short_title(line))


def _numbered_paragraph(lines: list[str], idx: list[int], pos: int) -> bool:
    """A number line that goes on a count the text above has started ("4." ... "5."): a paragraph's number."""
    n = _count(L.is_number_line(lines[idx[pos]]))
    if n is None or n < 2:
        return False
    return any(_count(L.is_number_line(lines[i])) == n - 1 for i in idx[max(0, pos - 4):pos])


def _count(number: str | None) -> int | None:
    return int(number) if number and number.isdigit() else None


# A sentence ending inside a line: "Forwarded for information. Return requested." is no title.
SENTENCE_BREAK_RE = re.compile(r"[a-z]{2,}[.!?]\s+[A-Z]")


def _short_title(line: str) -> bool:
    text = L.plain(line)
    return (0 < len(text) <= 160 and not text.endswith((":", ",")) and not SENTENCE_BREAK_RE.search(text)
            and L.title_case(text) and not L.is_signature(line))


def document_starts(lines: list[str]) -> list[int]:
    """Line indices where documents begin; the first is always the first non-blank line."""
    idx = [i for i, line in enumerate(lines) if line.strip()]
    if not idx:
        return []
    starts = [idx[0]]
    start_pos = 0
    pos = 1
    while pos < len(idx):
        if (not _in_front(lines, idx, start_pos, pos) and not L.is_attachment_caption(lines[idx[pos - 1]])
                and _starts_document(lines, idx, pos)):
            starts.append(idx[pos])
            start_pos = pos
        pos += 1
    return starts


def _in_front(lines: list[str], idx: list[int], first: int, pos: int) -> bool:
    """Whether idx[pos] still belongs to the front of the document whose first line is idx[first]."""
    return pos - first < 4 and all(
        L.is_number_line(lines[i]) or L.is_source_line(lines[i]) or L.is_heading(lines[i]) or L.parse_dateline(lines[i])
        for i in idx[first:pos]
    )


def split(lines: list[str]) -> list[list[str]]:
    """The lines of each document, in order."""
    starts = document_starts(lines)
    if not starts:
        return []
    bounds = starts[1:] + [len(lines)]
    return [lines[s:e] for s, e in zip(starts, bounds)]
