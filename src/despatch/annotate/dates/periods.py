"""Months, seasons and years: "June, 1944", "the summer of 1923", "last November", "until November", "in 1912"."""
from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import date

from despatch.annotate.dates.arithmetic import _nearest_month, _relative_season
from despatch.annotate.dates.patterns import FULL_MONTH_RE, LIST_YEAR
from despatch.annotate.dates.valuing import Found, _Base, _month
from despatch.annotate.dates.words import SEASONS


class _Periods(_Base):
    """The branches of a month, a season or a year, printed or named from the document's date."""

    def my(self, m: re.Match[str]) -> Iterator[Found]:
        month = _month(m.group("d_m"))
        yield Found(m.start(), m.end(), f"{int(m.group('d_y')):04d}-{month:02d}", "month", "absolute: month and year")

    def season(self, m: re.Match[str]) -> Iterator[Found]:
        code, _ = SEASONS[m.group("e_s").lower()]
        start = m.start("e_the") if m.group("e_the") else m.start("e_s")
        yield Found(start, m.end(), f"{m.group('e_y')}-{code}", "season",
                    f"absolute: {m.group('e_s').lower()} {m.group('e_y')} (ISO 8601-2 season code {code})")

    def relseason(self, m: re.Match[str]) -> Iterator[Found]:
        rel = m.group("f_rel").split()[-1].lower()
        code, _ = SEASONS[m.group("f_s").lower()]
        if self.ref is None:
            yield Found(m.start(), m.end(), None, "season", "relative season with no document date")
            return
        year, code = _relative_season(code, rel, self.ref)
        yield Found(m.start(), m.end(), f"{year}-{code}", "season",
                    f"relative: {m.group(0).lower()} from {self.doc_iso}")

    def relmonth(self, m: re.Match[str]) -> Iterator[Found]:
        rel = (m.group("g_rel") or m.group("g_rel2")).lower()
        month = _month(m.group("g_m") or m.group("g_m2"))
        if self.ref_year is None or self.ref_month is None:
            yield Found(m.start(), m.end(), None, "month", "relative month with no document date")
            return
        here = self.ref_year * 12 + self.ref_month - 1
        if rel == "last":  # the latest such month before the document's month
            k = max(k for k in range(here - 12, here) if k % 12 == month - 1)
        elif rel == "next":
            k = min(k for k in range(here + 1, here + 13) if k % 12 == month - 1)
        else:
            k = self.ref_year * 12 + month - 1
        yield Found(m.start(), m.end(), f"{k // 12:04d}-{k % 12 + 1:02d}", "month",
                    f"relative: {m.group(0)} from {self.doc_iso or self.ref_year}")

    def baremonth(self, m: re.Match[str]) -> Iterator[Found]:
        """'until November', 'the months of May, June, July, and August of the present year'."""
        names = list(FULL_MONTH_RE.finditer(self.text, m.start("k_m"), m.end("k_m")))
        yref = m.group("k_yref")
        for k, name in enumerate(names):
            # "of the present year" belongs to the last month of the list, and dates them all
            end = m.end() if yref and k == len(names) - 1 else name.end()
            month = _month(name.group(0))
            if self.ref is None and self.ref_year is None:
                yield Found(name.start(), end, None, "month", "a month with no year and no document date")
                continue
            if yref and self.ref_year is not None:
                year = self.ref_year + {"last": -1, "next": 1}.get(yref, 0)
                how = f"'of {yref} year' from {self.doc_iso or self.ref_year}"
            else:
                ref = self.ref or date(self.ref_year or 1, self.ref_month or 6, 1)
                year, month = _nearest_month(month, ref)
                how = f"year nearest the document's date {self.doc_iso or self.ref_year}"
            yield Found(name.start(), end, f"{year:04d}-{month:02d}", "month", f"absolute: {name.group(0)}, {how}")

    def year(self, m: re.Match[str]) -> Iterator[Found]:
        for y in LIST_YEAR.finditer(self.text, m.start("l_list"), m.end("l_list")):
            if y.group("yc"):
                yield Found(y.start(), y.end(), y.group("yc"), "year",
                            f"absolute: a year after a cue word; editor's correction [{y.group('yc')}]")
            else:
                yield self._year(y.start(), y.end(), y.group("y"), y.group("r"), "a year after a cue word")

    def yearattr(self, m: re.Match[str]) -> Iterator[Found]:
        yield self._year(m.start("m_y"), m.end("m_y"), m.group("m_y"), None, "a year naming a thing ('the 1927 Treaty')")

    def _year(self, start: int, end: int, first: str, rng: str | None, why: str) -> Found:
        if not rng:
            return Found(start, end, first, "year", f"absolute: {why}")
        last = re.sub(r"\D", "", rng)
        if len(last) == 2:
            last = first[:2] + last
        return Found(start, end, f"{first}/{last}", "year", f"absolute: a range of years, {why}")
