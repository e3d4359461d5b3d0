"""Valuing a match: the Found it gives, its month, day and time read from the groups, and what every handler
of a branch starts from (the text, the document's date, the day last named) with the helpers they share."""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

from despatch.annotate.dates.arithmetic import _from_iso, _julian_offset, _nearest_year, _safe
from despatch.annotate.dates.patterns import FUTURE
from despatch.annotate.dates.words import ORDINAL_WORDS
from despatch.model import Precision
from despatch.parse.dates import month_numbers

# ---------------------------------------------------------------- valuing the branches


@dataclass
class Found:
    """One date found: its span in the text, value, precision and how the value was reached."""

    start: int
    end: int
    value: str | None
    precision: Precision | None
    why: str


def _month(name: str) -> int:
    return month_numbers().get(name.casefold(), 0)


def _day(text: str) -> int:
    """'25th', '2d', '03', 'twenty-seventh' -> the number."""
    word = ORDINAL_WORDS.get(re.sub(r"\s+", " ", text))
    if word:
        return word
    return int(text.rstrip("stndrh"))


def _clock(m: re.Match[str], p: str) -> str | None:
    """HH:MM of a time group, the editor's corrected hour if any; None when no time was printed."""
    if not m.group(f"{p}t"):
        return None
    if m.group(f"{p}noon"):
        return "12:00"
    if m.group(f"{p}mid"):
        return "00:00"
    hour = int(m.group(f"{p}hc") or m.group(f"{p}h"))
    minute = int(m.group(f"{p}mi") or 0)
    pm = m.group(f"{p}ap").lower() == "p"
    if pm and hour != 12:
        hour += 12
    elif not pm and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _time_start(m: re.Match[str], p: str) -> int:
    return m.start(f"{p}t") if m.group(f"{p}t") else m.end()


class _Base:
    """The text and the document's date the handlers value against, and the helpers they share."""

    def __init__(self, text: str, doc_date: str | None):
        self.text = text
        self.doc_iso = doc_date[:10] if doc_date else None
        self.ref = _from_iso(doc_date)
        # A document dated only to the month ("1861-06") still gives a year and month.
        self.ref_year = int(doc_date[:4]) if doc_date and doc_date[:4].isdigit() else None
        self.ref_month = int(doc_date[5:7]) if doc_date and len(doc_date) >= 7 and doc_date[5:7].isdigit() else None
        # The last day named with its month in this text: "my despatch of the 4th of September went on
        # the 7th" -- a later bare "the 7th" is of that month.
        self.named: date | None = None

    # -- helpers

    def _complete(self, month: int, day: int, year: int | None, at: int = 0) -> tuple[date | None, str]:
        """A day and month with the printed year, or the year the document's date suggests."""
        if year is not None:
            return _safe(year, month, day), "as printed"
        if self.ref is not None:
            future = self._future(at)
            return (_nearest_year(month, day, self.ref, future),
                    f"year from the document's date {self.doc_iso}" + (", a future cue before it" if future else ""))
        if self.ref_year is not None:
            return _safe(self.ref_year, month, day), f"year of the document's date {self.ref_year}"
        return None, "no year printed and no document date"

    def _styled(self, year: int | None, m1: int, d1: int, sep: str | None, m2: int | None, d2: int | None,
                paren: bool) -> tuple[int, int, str | None, tuple[int, int] | None]:
        """The month and day to value by, a note, and the end of a range if it is one."""
        if d2 is None:
            return m1, d1, None, None
        month2 = m2 or m1
        if sep == "/" or paren:
            return month2, d2, "Old/New Style: valued by the New Style day", None
        y = year or self.ref_year or 1900
        first, second = _safe(y, m1, d1), _safe(y, month2, d2)
        if first and second and (second - first).days == _julian_offset(y):
            return month2, d2, "Old/New Style (the days differ by the Julian lag): valued by the New Style day", None
        return m1, d1, "range", (month2, d2)

    def _future(self, at: int) -> bool:
        """Whether a future cue stands in the clause before `at`: "will be cabled Monday", "is to sail on the 10th"."""
        return bool(FUTURE.search(re.split(r"[.;:,]", self.text[max(0, at - 60):at])[-1]))
