"""Whether a text is OCR of printed pages: hard-wrapped, with running heads, form feeds or superscripts."""
from __future__ import annotations

import re
from collections import Counter
from itertools import pairwise

from despatch.readers.ocr.notes import RULE_RE, _note_start
from despatch.readers.ocr.pages import DASHED_FOLIO_RE, FOLIO_RE, _folio, _strong_head, running_titles
from despatch.readers.ocr.words import FIRST_WORD_RE, LAST_WORD_RE, SUPERSCRIPT_DIGITS, vocabulary


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
