"""Dates, times of day and datelines, as printed in diplomatic documents.

A strict grammar rather than dateparser: a dateline must be recognised as a
dateline (or refused) in microseconds, and dateparser both costs about a
millisecond a call and accepts almost any short string as a date, which would
turn headings and paragraph openings into datelines.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from despatch.data import entries
from despatch.model import DocDate, Precision


@cache
def month_numbers() -> dict[str, int]:
    """Every spelling in months.txt, case-folded, to its month number."""
    out: dict[str, int] = {}
    for line in entries("months.txt"):
        number, *names = line.split()
        for name in names:
            out[name.casefold()] = int(number)
    return out


def _month_pattern() -> str:
    names = sorted(month_numbers(), key=len, reverse=True)
    # A name without its own final period must not swallow the "." of "Sept.":
    # longest first, and a word boundary or period after it.
    return "|".join(re.escape(n) + (r"(?!\w)" if n.endswith(".") else r"\b") for n in names)


MONTH = _month_pattern()
ORDINAL = r"(?:st|nd|rd|th|d)?"
# A day, sometimes with a second calendar or an editor's correction:
# "May 2/15, 1917", "April 8–20, 1861", "January 3[5?], 1925", "February 27 [26], 1934".


def _day(group: str) -> str:
    return rf"(?P<{group}>\d{{1,2}}){ORDINAL}(?:\s*[/–-]\s*\(?\d{{1,2}}\)?{ORDINAL})?(?:\s*\[[^\]]{{1,6}}\])?"


YEAR = r"(?P<year>1[5-9]\d\d|20\d\d)"

# "June 11, 1944", "Sept. 3 1901", "11 June 1944", "the 25th of August, 1944", "June, 1944",
# "June —, 1861" (the day left blank)
DATE_RE = re.compile(
    rf"(?:(?P<m1>{MONTH})\s+{_day('day')},?\s*(?:\(\s*[^)]{{1,12}}\)\s*)?,?\s*{YEAR}"
    rf"|(?:the\s+)?{_day('dday')}\s+(?:of\s+)?(?P<m2>{MONTH}),?\s*(?P<year2>1[5-9]\d\d|20\d\d)"
    rf"|(?P<m3>{MONTH})(?:\s*[—–-]+|\s+_+)?,?\s+(?P<year3>1[5-9]\d\d|20\d\d))",
    re.IGNORECASE,
)
# A time of day after a date: "4 p.m.", "11.30 a.m.", "9:05 p. m.", "noon", "12 noon", "midnight".
TIME_RE = re.compile(
    r"(?:(?P<h>\d{1,2})(?:[.:](?P<mi>\d{2}))?\s*(?P<ap>[ap])\.?\s?m\b\.?"
    r"|(?:12\s+)?(?P<noon>noon)|(?:12\s+)?(?P<midnight>midnight))",
    re.IGNORECASE,
)
# A day and month without a year, as in received lines: "[Received June 12—8:23 a.m.]".
DAY_MONTH_RE = re.compile(
    rf"(?P<m>{MONTH})\s+(?P<day>\d{{1,2}}){ORDINAL}\b|(?P<day2>\d{{1,2}}){ORDINAL}\s+(?P<m2>{MONTH})",
    re.IGNORECASE,
)
RECEIVED_RE = re.compile(r"\[\s*Received\b(?P<body>[^\]]*)\]?", re.IGNORECASE)


def _month(name: str) -> int:
    return month_numbers().get(name.casefold(), 0)


def _clock(m: re.Match[str]) -> str | None:
    if m.group("noon"):
        return "12:00"
    if m.group("midnight"):
        return "00:00"
    hour, minute = int(m.group("h")), int(m.group("mi") or 0)
    if hour > 12 or minute > 59:
        return None
    if m.group("ap").lower() == "p" and hour != 12:
        hour += 12
    elif m.group("ap").lower() == "a" and hour == 12:
        hour = 0
    return f"{hour:02d}:{minute:02d}"


def _iso(year: int, month: int, day: int | None) -> str | None:
    if not 1 <= month <= 12:
        return None
    if day is None:
        return f"{year:04d}-{month:02d}"
    if not 1 <= day <= 31:
        return None
    return f"{year:04d}-{month:02d}-{day:02d}"


@dataclass
class FoundDate:
    """A date found in a line: where it is and what it means."""

    start: int
    end: int
    date: DocDate


# Every full date has a year; most lines have none, and this test is far cheaper than DATE_RE.
ANY_YEAR_RE = re.compile(r"(?<!\d)(?:1[5-9]|20)\d\d(?!\d)")


def find_date(text: str, start: int = 0) -> FoundDate | None:
    """The first full date (with a year) in `text` from `start`, with any time of day right after it."""
    if not ANY_YEAR_RE.search(text, start):
        return None
    m = DATE_RE.search(text, start)
    if not m:
        return None
    if m.group("m1"):
        month, day, year = _month(m.group("m1")), int(m.group("day")), int(m.group("year"))
    elif m.group("m2"):
        month, day, year = _month(m.group("m2")), int(m.group("dday")), int(m.group("year2"))
    else:
        month, day, year = _month(m.group("m3")), None, int(m.group("year3"))
    when = _iso(year, month, day)
    if when is None:
        return None
    end = m.end()
    precision: Precision = "day" if day is not None else "month"
    t = re.compile(r"\s*[,—–-]?\s*(?:at\s+)?").match(text, end)
    tm = TIME_RE.match(text, t.end()) if t else None
    if tm and day is not None:
        clock = _clock(tm)
        if clock:
            when, precision, end = f"{when}T{clock}:00", "minute", tm.end()
    return FoundDate(m.start(), end, DocDate(text=text[m.start():end], when=when, precision=precision))


def parse_received(text: str, sent: DocDate | None) -> DocDate | None:
    """The received line ("[Received June 12—8:23 a.m.]"), completed from the sending date."""
    m = RECEIVED_RE.search(text)
    if not m:
        return None
    body = m.group("body")
    label = m.group(0).strip("[] ")
    full = find_date(body)
    if full:
        return DocDate(text=label, when=full.date.when, precision=full.date.precision)
    year = sent.when[:4] if sent and sent.when else None
    day_month = DAY_MONTH_RE.search(body)
    if day_month and year:
        month = _month(day_month.group("m") or day_month.group("m2"))
        day = int(day_month.group("day") or day_month.group("day2"))
        base, rest = _iso(int(year), month, day), body[day_month.end():]
    else:
        base, rest = (sent.day if sent else None), body
    tm = TIME_RE.search(rest)
    clock = _clock(tm) if tm else None
    if base and clock:
        return DocDate(text=label, when=f"{base}T{clock}:00", precision="minute")
    return DocDate(text=label, when=base, precision="day" if base else None)
