"""Dates reckoned from the document's date: "last Tuesday", "Monday", "yesterday", "last week", "of the 19th"."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import timedelta

from despatch.annotate.dates.arithmetic import _add_months, _iso_week, _safe
from despatch.annotate.dates.valuing import Found, _Base, _clock, _day, _time_start
from despatch.annotate.dates.words import RELATIVE, WEEKDAYS


class _Relative(_Base):
    """The branches of a weekday, a relative word ("yesterday", "last month") or a day with no month."""

    def weekday(self, m: re.Match[str]) -> Iterator[Found]:
        rel = (m.group("h_rel") or m.group("h_rel2") or "").lower()
        wd = WEEKDAYS[m.group("h_wd").capitalize()]
        if m.group("h_d"):
            yield self._weekday_day(m, wd, _day(m.group("h_d")))
            return
        clock = _clock(m, "h_")
        end = m.end() if clock else _time_start(m, "h_")
        if self.ref is None:
            yield Found(m.start(), end, None, "day", "weekday with no document date")
            return
        if not rel or rel == "this":
            rel = "next" if self._future(m.start()) else "last"
            how = "future by a cue before it" if rel == "next" else "past, no future cue before it"
        else:
            how = f"'{rel}'"
        if rel == "next":
            delta = (wd - self.ref.weekday()) % 7 or 7
        else:
            delta = -((self.ref.weekday() - wd) % 7 or 7)
        when = self.ref + timedelta(days=delta)
        value, precision = when.isoformat(), "day"
        if clock:
            value, precision = f"{value}T{clock}:00", "minute"
        yield Found(m.start(), end, value, precision,  # type: ignore[arg-type]
                    f"relative: {m.group('h_wd')} ({how}) from {self.doc_iso}, {when:%A}")

    def _weekday_day(self, m: re.Match[str], wd: int, day: int) -> Found:
        """'Wednesday, the 12th': the 12th nearest the document's date (or the month last named) that is a Wednesday."""
        base = self.named or self.ref
        if base is None:
            return Found(m.start(), m.end(), None, "day", "a weekday and day with no month and no document date")
        options = []
        for shift in (0, -1, 1):
            y, mo = _add_months(base.year, base.month, shift)
            if (d := _safe(y, mo, day)) is not None:
                options.append(d)
        if not options:
            return Found(m.start(), m.end(), None, "day", "no such day")
        best = min(options, key=lambda d: (d.weekday() != wd, abs((d - base).days)))
        self.named = best
        agrees = "agrees" if best.weekday() == wd else "does not agree"
        return Found(m.start(), m.end(), best.isoformat(), "day",
                     f"relative: day {day} in the month nearest {base.isoformat()} whose weekday {agrees}")

    def relative(self, m: re.Match[str]) -> Iterator[Found]:
        phrase = re.sub(r"\s+", " ", m.group("i_w")).casefold()
        unit, offset = RELATIVE[phrase]
        why = f"relative: {phrase} from {self.doc_iso or self.ref_year}"
        end = m.end() if unit == "day" else m.end("i_w")
        if unit == "year":
            if self.ref_year is None:
                yield Found(m.start(), end, None, "year", why)
            else:
                yield Found(m.start(), end, f"{self.ref_year + offset:04d}", "year", why)
            return
        if unit == "month":
            if self.ref_year is None or self.ref_month is None:
                yield Found(m.start(), end, None, "month", why)
            else:
                y, mo = _add_months(self.ref_year, self.ref_month, offset)
                yield Found(m.start(), end, f"{y:04d}-{mo:02d}", "month", why)
            return
        if self.ref is None:
            yield Found(m.start(), end, None, "day" if unit == "day" else None, why)
            return
        if unit == "week":
            yield Found(m.start(), end, _iso_week(self.ref + timedelta(weeks=offset)), None, why + " (ISO week)")
            return
        yield Found(m.start(), end, (self.ref + timedelta(days=offset)).isoformat(), "day", why)

    def bareday(self, m: re.Match[str]) -> Iterator[Found]:
        """'of the 19th': of the month last named in the text; else the latest 19th on or before the
        document's date, or the first on or after it where a future cue stands before ("is to sail on the 10th")."""
        day = _day(m.group("j_d"))
        if self.named is not None:
            when = _safe(self.named.year, self.named.month, day)
            yield Found(m.start("j_s"), m.end(), when.isoformat() if when else None, "day",
                        f"relative: day {day} of the month last named in the text, {self.named:%Y-%m}")
            return
        if self.ref is None:
            yield Found(m.start("j_s"), m.end(), None, "day", "a day with no month and no document date")
            return
        year, month = self.ref.year, self.ref.month
        if self._future(m.start()):
            if day < self.ref.day:
                year, month = _add_months(year, month, 1)
            how = "the first on or after"
        else:
            if day > self.ref.day:
                year, month = _add_months(year, month, -1)
            how = "the latest on or before"
        when = _safe(year, month, day)
        yield Found(m.start("j_s"), m.end(), when.isoformat() if when else None, "day",
                    f"relative: day {day} with no month, {how} {self.doc_iso}")
