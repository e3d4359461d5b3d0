"""Arithmetic on dates: a day that may not exist, months added, the likeliest year of a day or month printed
without one, the Julian lag, seasons and ISO weeks."""
from __future__ import annotations

from datetime import date, timedelta

from despatch.annotate.dates.words import SEASONS

# ---------------------------------------------------------------- arithmetic on dates


PAST_WINDOW = timedelta(days=240)


def _from_iso(iso: str | None) -> date | None:
    if not iso or len(iso) < 10:
        return None
    try:
        return date(int(iso[:4]), int(iso[5:7]), int(iso[8:10]))
    except ValueError:
        return None


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    k = year * 12 + month - 1 + delta
    return k // 12, k % 12 + 1


def _nearest_year(month: int, day: int, ref: date, future: bool = False) -> date | None:
    """The year of a day and month printed without one, from the document's date `ref`.

    Reports mostly look back: the latest such day up to PAST_WINDOW before the document (allowing
    a few weeks after it, for received lines and near plans), unless a future cue stands before it
    ("will be rescinded ... on June 1st"); failing both, the nearest ("December 28" in a letter of
    January 5 is last December).
    """
    options = [d for y in (ref.year - 1, ref.year, ref.year + 1) if (d := _safe(y, month, day))]
    if not options:
        return None
    if future:
        ahead = [d for d in options if d >= ref - timedelta(days=1)]
        if ahead:
            return min(ahead)
    else:
        behind = [d for d in options if ref - PAST_WINDOW <= d <= ref + timedelta(days=45)]
        if behind:
            return max(behind)
    return min(options, key=lambda d: abs((d - ref).days))


def _nearest_month(month: int, ref: date) -> tuple[int, int]:
    """The year of the month with this number nearest `ref`'s month: "until November" in July is this November."""
    here = ref.year * 12 + ref.month - 1
    year = min((ref.year - 1, ref.year, ref.year + 1), key=lambda y: abs(y * 12 + month - 1 - here))
    return year, month


def _julian_offset(year: int) -> int:
    """Days the Julian calendar lagged the Gregorian in `year` (10 in 1582-1699 ... 13 in 1900-2099)."""
    return year // 100 - year // 400 - 2


def _season_start(year: int, code: int) -> date:
    opens = {c: m for c, m in SEASONS.values()}
    return date(year, opens[code], 1)


def _season_now(ref: date) -> tuple[int, int]:
    """(year, code) of the season `ref` falls in; January and February are last year's winter."""
    best = max(((y, c) for y in (ref.year - 1, ref.year) for c in sorted({c for c, _ in SEASONS.values()})
                if _season_start(y, c) <= ref), key=lambda yc: _season_start(*yc))
    return best


def _relative_season(code: int, rel: str, ref: date) -> tuple[int, int]:
    """'last summer': the latest summer begun before this season; 'next'/'coming': the first to begin after `ref`."""
    candidates = [(y, code) for y in range(ref.year - 2, ref.year + 2)]
    if rel in ("last", "past"):
        now = _season_start(*_season_now(ref))
        return max((yc for yc in candidates if _season_start(*yc) < now), key=lambda yc: yc[0])
    if rel in ("next", "coming"):
        return min((yc for yc in candidates if _season_start(*yc) > ref), key=lambda yc: yc[0])
    # "this summer": the one nearest the document's date
    return min(candidates, key=lambda yc: abs((_season_start(*yc) - ref).days))


def _iso_week(d: date) -> str:
    year, week, _ = d.isocalendar()
    return f"{year}-W{week:02d}"
