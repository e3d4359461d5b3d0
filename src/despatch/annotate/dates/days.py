"""Days with their month: "June 2, 1944", "2 June 1944", "June 2, 16 and 27", "the 30th ultimo"."""
from __future__ import annotations

import re
from collections.abc import Iterator

from despatch.annotate.dates.arithmetic import _add_months, _safe
from despatch.annotate.dates.patterns import LIST_DAY
from despatch.annotate.dates.valuing import Found, _Base, _clock, _day, _month, _time_start
from despatch.annotate.dates.words import MONTH_REFERENCES
from despatch.model import Precision


class _Days(_Base):
    """The branches of a day printed with its month, or with "instant" or "ultimo" for one."""

    # -- branches

    def mdy(self, m: re.Match[str]) -> Iterator[Found]:
        yield from self._dated(m, "a_", m.group("a_m"), m.group("a_d") or m.group("a_dw"), m.group("a_y"),
                               m.group("a_list"), None)

    def dmy(self, m: re.Match[str]) -> Iterator[Found]:
        yield from self._dated(m, "b_", m.group("b_m"), m.group("b_d"), m.group("b_y"), m.group("b_list"),
                               m.group("b_ref"))

    def _dated(self, m: re.Match[str], p: str, month_name: str, day_text: str, year_text: str | None,
               day_list: str | None, ref_word: str | None) -> Iterator[Found]:
        month = _month(month_name)
        year = int(year_text) if year_text else None
        day = _day(day_text)
        notes = []
        if m.group(f"{p}c"):
            day = int(m.group(f"{p}c"))
            notes.append(f"editor's correction [{m.group(f'{p}c')}{m.group(f'{p}q') or ''}]"
                         + (" (queried)" if m.group(f"{p}q") else ""))
        m2 = _month(m.group(f"{p}m2")) if m.group(f"{p}m2") else None
        d2_text = m.group(f"{p}d2") or m.group(f"{p}p2")
        vmonth, vday, style, range_end = self._styled(year, month, day, m.group(f"{p}sep"), m2,
                                                       _day(d2_text) if d2_text else None, bool(m.group(f"{p}p2")))
        if style and range_end is None:
            notes.append(style)
        if ref_word and year is None and self.ref_year is not None and self.ref_month is not None:
            # "the 9th of April instant": the month is printed; the reference only confirms the year
            shift = MONTH_REFERENCES.get(ref_word, 0)
            y, _ = _add_months(self.ref_year, self.ref_month, shift)
            year = y
            notes.append(f"'{ref_word}' of {self.doc_iso}")
        yref = m.group(f"{p}yref")
        rel = m.group(f"{p}rel") or (m.group("b_pre") if p == "b_" else None)
        if yref and year is None and self.ref_year is not None:
            # "of this year", "of last year"
            year = self.ref_year + {"last": -1, "next": 1}.get(yref, 0)
            notes.append(f"'of {yref} year' from {self.doc_iso or self.ref_year}")
        when, how = self._complete(vmonth, vday, year, m.start())
        if rel and year is None and self.ref is not None:
            # "the 22d of December last": the latest such day before the document's date
            options = [d for y in range(self.ref.year - 1, self.ref.year + 2) if (d := _safe(y, vmonth, vday))]
            if rel == "last":
                when = max((d for d in options if d < self.ref), default=when)
            else:
                when = min((d for d in options if d > self.ref), default=when)
            how = f"'{rel}' from {self.doc_iso}"
        value = when.isoformat() if when else None
        self.named = when or self.named
        precision: Precision = "day"
        clock = _clock(m, p)
        end = m.end()
        list_start = m.start(f"{p}list") if day_list else None
        if range_end is not None and value:
            last = _safe(when.year if when else 0, *range_end)
            if last is not None and when is not None:
                if last < when:  # "December 28–January 3"
                    last = _safe(when.year + 1, *range_end)
                value = f"{value}/{last.isoformat()}" if last else value
                notes.append("a range")
        elif clock and value:
            value, precision = f"{value}T{clock}:00", "minute"
        else:
            clock = None  # a time after a range, or after a day with no value, is left out of the mention
        if not clock:
            end = _time_start(m, p)
        start = m.start()
        if p == "b_" and m.group("b_the") and not m.group("b_wd"):
            start = m.start("b_the")
        why = f"absolute: {month_name} {day_text}" + (f", {year_text}" if year_text else f" ({how})")
        if clock:
            why += f", {clock}"
        if notes:
            why += "; " + "; ".join(notes)
        if day_list and list_start is not None:
            yield from self._listed(m, p, start, end, list_start, month, year, value, precision, why)
            return
        yield Found(start, end, value, precision, why)

    def _listed(self, m: re.Match[str], p: str, start: int, end: int, list_start: int, month: int,
                year: int | None, value: str | None, precision: Precision, why: str) -> Iterator[Found]:
        """"June 2, 16 and 27, 1934": the first day with its month, then each further day on its own."""
        list_end = m.end(f"{p}list")
        if p == "a_":
            # month first: "June 2" is the head, the list follows it
            yield Found(start, list_start, value.split("T")[0] if value else None, "day", why)
            days = LIST_DAY.finditer(self.text, list_start, list_end)
        else:
            # day first: "the 13th and 21st of February": the head day, the list, then the month
            head_end = m.end(f"{p}cb") if m.group(f"{p}cb") else m.end(f"{p}d")
            days = LIST_DAY.finditer(self.text, list_start, list_end)
            yield Found(start, head_end, value.split("T")[0] if value else None, "day",
                        why + "; month and year from the end of the list")
        for d in days:
            day = int(d.group("c") or d.group("d").rstrip("stndrh"))
            when, how = self._complete(month, day, year, m.start())
            yield Found(d.start(), d.end(), when.isoformat() if when else None, "day",
                        f"absolute: day {d.group('d')} of a list sharing its month and year ({how})")

    def reference(self, m: re.Match[str]) -> Iterator[Found]:
        """'the 30th ultimo': a day of the month before the document's; 'June ultimo': that month."""
        word = m.group("c_ref") or m.group("c_mref")
        shift = MONTH_REFERENCES[re.sub(r"\s+", " ", word)]
        start = m.start("c_the") if m.group("c_the") and not m.group("c_wd") else m.start()
        if self.ref_year is None or self.ref_month is None:
            yield Found(start, m.end(), None, "day" if m.group("c_d") else "month", f"'{word}' with no document date")
            return
        year, month = _add_months(self.ref_year, self.ref_month, shift)
        if m.group("c_m"):
            yield Found(start, m.end(), f"{year:04d}-{month:02d}", "month",
                        f"'{word}': {m.group('c_m')} of {self.doc_iso or self.ref_year}")
            return
        day = int(m.group("c_c")) if m.group("c_c") else _day(m.group("c_d"))
        when = _safe(year, month, day)
        self.named = when or self.named
        why = f"'{word}': day {day} of month {month:02d}/{year}, from {self.doc_iso or self.ref_year}"
        yield Found(start, m.end(), when.isoformat() if when else None, "day", why)
