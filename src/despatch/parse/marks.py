"""Editorial marks inside the text: what the editor added in square brackets.

"In despatch[Sic] 563" (sic), "since the capture of Rome [on June 4]" (an
insertion), "[. . .]" (an omission), "[illegible]", "February 8 [5]" (a correction). The
text keeps the brackets; the marks say where they are and what they are.
"""
from __future__ import annotations

import re

from despatch.model import EditorialMark, MarkKind

BRACKET_RE = re.compile(r"\[([^\[\]\ue000\ue001]{1,120})\]")
SIC_RE = re.compile(r"^\s*sic\s*[.!]?\s*$", re.IGNORECASE)
OMISSION_RE = re.compile(r"^\s*(?:\.\s*){3,}$|^\s*…\s*$")
ILLEGIBLE_RE = re.compile(r"illegible|undecipherable|indecipherable|garble|omitted|blank", re.IGNORECASE)
# A figure or a doubtful reading put right: "[8]", "[1902]", "[a?]", "[5?]".
CORRECTION_RE = re.compile(r"^\s*(?:\d[\d,./–-]*|\w{1,12}\?|noon|midnight|\d{1,2}(?:[:.]\d\d)? [ap]\.\s?m\.)\s*$", re.IGNORECASE)
# Brackets that belong to the document's apparatus, not the editor's hand in the text.
NOT_A_MARK_RE = re.compile(r"^\s*(?:Received|Orig\. Note|bookmark:)", re.IGNORECASE)


def _kind(inner: str) -> MarkKind:
    if SIC_RE.match(inner):
        return "sic"
    if OMISSION_RE.match(inner):
        return "omission"
    if ILLEGIBLE_RE.search(inner):
        return "illegible"
    if CORRECTION_RE.match(inner):
        return "correction"
    return "insertion"


def find_marks(text: str) -> list[EditorialMark]:
    """Every bracketed editorial mark in `text`, in order."""
    marks = []
    for m in BRACKET_RE.finditer(text):
        inner = m.group(1)
        if NOT_A_MARK_RE.match(inner):
            continue
        marks.append(EditorialMark(kind=_kind(inner), start=m.start(), end=m.end(), text=m.group(0)))
    return marks
