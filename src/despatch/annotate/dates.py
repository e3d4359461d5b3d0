"""Dates in running text, normalised to ISO 8601 with their precision.

Every text of a document (heading, dateline, body, closer, notes) is read by
one compiled master regex; each match is valued by the handler of the branch
that matched. Texts without a digit or a trigger word are skipped before the
regex runs. What is found, with examples from the FRUS volumes:

- absolute dates: "June 2, 1944", "2 June 1944", "13th October, 1925", "the
  25th of August", "Aug. 25", "Friday, July 3rd", "the first of July",
  "Edit du 19 Août 1901" (every spelling in months.txt); a time printed after
  one makes it a minute: "December 3, 1925—4 p.m.", "your 1552, July 9, 5 p.m.";
- months and years: "June, 1944"; "until November", "the end of March" (a
  full month name after a word of date_cues.txt); "in 1912", "the Treaty of
  1903", "the 1927 Treaty", "the years 1921, 1922 and 1923", "1926–1927";
- seasons: "the summer of 1923", "spring 1899", "last summer", "the coming
  winter", as ISO 8601-2 season codes: 21 spring, 22 summer, 23 autumn, 24
  winter (`1923-22`); a winter is dated by the year of its December, so "the
  winter of 1917-18" is `1917-24`;
- dates relative to the document's date (`Context.doc_date`): "to-day",
  "yesterday evening", "the day before yesterday", "last night", "this
  morning", "to-morrow" (relative_dates.txt); "last Tuesday", "Tuesday last",
  "next Friday", a bare "Monday" (before the document's date unless a word of
  future_cues.txt stands shortly before it: "will be cabled Monday"); "last
  month", "last November", "last year"; "the 1st instant", "the 24th ultimo",
  "the 3d proximo", "the 9th of this month"; and "of the 19th", "on the 22d"
  (a day with no month after on/of/since/...: the latest such day on or before
  the document's date);
- a month and day without a year take the year that puts them nearest the
  document's date ("December 28" in a letter of January 5 is last December).

Choices where the volumes leave one:
- Old and New Style: "May 2/15, 1917", "Jan. 1/14, 1918", "January 26/February
  8, 1918", "August 4 (17)" and a dash whose two days are exactly the
  Julian-Gregorian difference of that year ("April 8–20, 1861" from St.
  Petersburg) are one date, valued by the New Style day, because ISO 8601 is
  Gregorian. (The FRUS TEI gives the first, Old Style, day in its `when`.)
- Other dashes are ranges: "December 3–26, 1933" is the ISO 8601 interval
  `1933-12-03/1933-12-26`, and "1926–1927" is `1926/1927`.
- An editor's correction is taken: "February 27 [26], 1934" is 1934-02-26,
  "January 3[5?], 1925" is 1925-01-05 (a query is still the editor's best
  reading; `why` says it was queried); "[sic]" keeps the printed day.
- A week ("last week") is an ISO week, `1944-W22`, with no precision, the model
  having none for weeks.
- The whole expression is one mention: "Thursday, the twenty-seventh ultimo",
  "Saturday [November 30]" (valued by the bracket), "the 9th of April
  instant", "yesterday evening". A list shares its month and year but each day
  is a mention of its own: "June 2, 16 and 27", "the 13th and 21st of February,
  1901".
- Without a document date, an expression that needs one is still marked, with
  no value.
- Never dates: file numbers ("861.51/148", "1939/6-1244"), telegram and
  despatch numbers ("your 359", "No. 224", "despatch 1267"), page references,
  amounts ("1,944", "of 1800 tons"), "the 4th Army", "the 20th century".

Why not dateparser: the project prefers the field's own libraries, and
dateparser 1.5 (it works offline) was measured on tests/data/dates.jsonl with
`benchmarks/annotate_dates_speed.py --dateparser`. Its `search_dates`, the part
that finds dates in running text, scored P 0.12, R 0.15, F1 0.13 there (this
module: P 0.98, R 0.97): it takes numbers and words such as "may", "now" or
"second" for dates, splits or merges expressions, and knows neither
"instant"/"ultimo", Old and New Style, editorial corrections, seasons nor
weeks; and at 3-4 ms a sentence (this module: 0.06 ms) it alone would cost
more than the whole annotation budget (50 documents a second, four
annotators). Its `parse`, given the gold expressions already found, valued
126 of 209 right at 0.5-0.9 ms a call: finding the expression is the hard
part, and once found this module values it too.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from functools import cache

from despatch.annotate.context import Context
from despatch.annotate.text import texts
from despatch.data import entries, pairs
from despatch.model import Document, Mention, Precision
from despatch.parse.dates import month_numbers

# ---------------------------------------------------------------- word lists


@cache
def _month_spellings() -> tuple[list[str], list[str]]:
    """Every spelling in months.txt as printed, and the full English names (first of each line)."""
    spellings: list[str] = []
    full: list[str] = []
    for line in entries("months.txt"):
        _, *names = line.split()
        spellings.extend(names)
        full.append(names[0])
    return spellings, full


def _numbered(name: str) -> dict[str, int]:
    """A data file of `number word word...` lines, as word -> number (words as printed)."""
    out: dict[str, int] = {}
    for line in entries(name):
        number, *words = line.split()
        for word in words:
            out[word] = int(number)
    return out


def _capitalised(words: list[str]) -> list[str]:
    """Each word as listed and with a capital first letter ("to-day", "To-day")."""
    out = []
    for w in words:
        out.append(w)
        if w[:1].islower():
            out.append(w[:1].upper() + w[1:])
    return out


def _alternation(words: list[str]) -> str:
    """One pattern for a word list, as a trie ("J(?:an(?:uary\\b|\\.(?!\\w)|...)").

    A trie fails at the first letter that fits no word instead of trying every word in turn, which is
    most of the annotator's speed. Longer words are tried first, so "Sept." wins over "Sept"; a word
    ends at a word boundary, or for a dotted abbreviation at its dot; a space matches any whitespace.
    """
    trie: dict = {}
    for w in set(words):
        node = trie
        for ch in w:
            node = node.setdefault(ch, {})
        node[""] = w.endswith(".")

    def build(node: dict) -> str:
        options = [(r"\s+" if ch == " " else re.escape(ch)) + build(child)
                   for ch, child in sorted(node.items()) if ch]
        if "" in node:
            options.append(r"(?!\w)" if node[""] else r"\b")
        return options[0] if len(options) == 1 else "(?:" + "|".join(options) + ")"

    return build(trie)


MONTH_SPELLINGS, FULL_MONTHS = _month_spellings()
WEEKDAYS = _numbered("weekdays.txt")
ORDINAL_WORDS = {w: n for w, n in _numbered("ordinals.txt").items()}
ORDINAL_WORDS.update({w.replace("-", " "): n for w, n in list(ORDINAL_WORDS.items()) if "-" in w})


@cache
def _seasons() -> dict[str, tuple[int, int]]:
    """Season word -> (ISO 8601-2 code, month it opens)."""
    out = {}
    for line in entries("seasons.txt"):
        code, month, *words = line.split()
        for w in words:
            out[w] = (int(code), int(month))
    return out


SEASONS = _seasons()
RELATIVE = {k.casefold(): (v.split()[0], int(v.split()[1])) for k, v in pairs("relative_dates.txt")}
MONTH_REFERENCES = {k: int(v) for k, v in pairs("month_references.txt")}
CUES = list(entries("date_cues.txt"))
QUANTITIES = list(entries("quantity_words.txt"))
FUTURE_CUES = list(entries("future_cues.txt"))
DAY_PARTS = list(entries("day_parts.txt"))

# ---------------------------------------------------------------- pattern pieces

MONTH = _alternation(MONTH_SPELLINGS)
FULL_MONTH = _alternation(FULL_MONTHS)
WEEKDAY = _alternation(_capitalised(list(WEEKDAYS)))
SEASON = _alternation(_capitalised(list(SEASONS)))
ORD_WORD = _alternation(list(ORDINAL_WORDS))
REF = _alternation(list(MONTH_REFERENCES))
CUE = _alternation(CUES)
DAY_PART = _alternation(DAY_PARTS)
# A day of the month in figures: "2", "2d", "25th", "03". Not part of a longer number ("148", "1944").
DAYDIGITS = r"(?:[12]\d|3[01]|0?[1-9])"
ORD = r"(?:st|nd|rd|th|d)?"
DAYNUM = rf"{DAYDIGITS}{ORD}(?!\w)"
YEAR = r"(?:1[5-9]\d\d|20\d\d)(?![\d/])"
# A bare year needs a cue and a likelier range; "of 1800 tons" is a quantity.
BARE_YEAR = rf"(?:1[6-9]\d\d|20\d\d)(?![\d/]|,\d|\.\d|\s+{_alternation(QUANTITIES)})"
# An editor's corrected year: "the Haitian Constitution of 1899 [1889]".
YEAR_CORRECTION = r"(?:\s?\[(?P<yc>1[5-9]\d\d|20\d\d)\??\])"
YEAR_RANGE = r"(?:\s?[–-]\s?(?:1[5-9]\d\d|20\d\d|\d\d)(?!\d))"
AD = r"(?:A\.\s?D\.\s?)?"
THE = r"(?:[Tt]he\s+|this\s+)"
# After a date: "the 23d of February of this year", "the 22d of December last", "December 5th, last".
YEAR_REF = r"(?:,?\s+of\s+(?P<{p}yref>this|the\s+present|the\s+current|last|next)\s+year)"
REL_AFTER = r"(?:,?\s+(?P<{p}rel>last|next)\b)"


def _correction(p: str) -> str:
    """An editor's bracket after a day: "27 [26]", "3[5?]", "8 [sic]"."""
    return rf"(?P<{p}cb>\s?\[(?:(?P<{p}c>{DAYDIGITS}){ORD}(?P<{p}q>\?)?|[Ss]ic)\])?"


def _second(p: str) -> str:
    """A second day: Old/New Style ("May 2/15", "January 26/February 8", "August 4 (17)") or a range ("3–26")."""
    return (rf"(?:\s?(?P<{p}sep>[/–-])\s?(?:(?P<{p}m2>{MONTH})\s+)?(?P<{p}d2>{DAYNUM})"
            rf"|\s\((?P<{p}p2>{DAYNUM})\))?")


def _time(p: str) -> str:
    """A time printed after a date: "—4 p.m.", ", 11.30 a.m.", ", noon", ", 4 [7] p.m.", " 8 p.m."."""
    return (rf"(?P<{p}t>(?:,|\s?[—–-]|\s)\s*(?:at\s+)?"
            rf"(?:(?P<{p}h>1[0-2]|0?\d)(?:[.:](?P<{p}mi>[0-5]\d))?(?:\s?\[(?P<{p}hc>1[0-2]|0?\d)\??\])?"
            rf"\s?(?P<{p}ap>[ap])\.\s?m\b\.?|(?:12\s+)?(?P<{p}noon>noon)|(?:12\s+)?(?P<{p}mid>midnight)))?")


# Each branch is one convention; its named outer group says which handler values it. Branches that
# start with a cue word ("on", "in") consume the cue but the mention starts after it.
BRANCHES: dict[str, str] = {
    # "June 2, 1944", "Friday, July 3rd", "Saturday [November 30]", "May 2/15, 1917", "January 3[5?], 1925",
    # "December 3, 1925—4 p.m.", "Department's 1552, July 9, 5 p.m.", "June 2, 16 and 27, 1934"
    "mdy": (rf"(?:(?:(?:[Nn]ext|[Ll]ast|[Tt]his)\s+)?(?P<a_wd>{WEEKDAY})(?:,?\s+(?P<a_br>\[)|,?\s+))?(?P<a_m>{MONTH})(?:\s*(?P<a_d>{DAYNUM})|\s+(?P<a_dw>{ORD_WORD}))"
            rf"{_correction('a_')}{_second('a_')}"
            rf"(?P<a_list>(?:,\s+{DAYNUM}(?:\s?\[[^\]]{{1,5}}\])?)*,?\s+and\s+{DAYNUM}(?:\s?\[[^\]]{{1,5}}\])?)?"
            rf"(?:,?\s*{AD}(?P<a_y>{YEAR})|{YEAR_REF.format(p='a_')}|{REL_AFTER.format(p='a_')})?(?(a_br)\])"
            rf"(?:{_time('a_')})"),
    # "2 June 1944", "13th October, 1925", "the 25th of August", "On Monday, the first of July",
    # "the 9th day of March instant", "the 13th and 21st of February, 1901"
    "dmy": (rf"(?:(?P<b_wd>{WEEKDAY}),?\s+)?(?P<b_the>{THE})?(?<![\w.,/$£-])"
            rf"(?P<b_d>{DAYNUM}|(?<=he\s|is\s){ORD_WORD}){_correction('b_')}{_second('b_')}"
            rf"(?P<b_list>(?:(?:,\s*|,?\s+(?:and|or)\s+)(?:the\s+)?{DAYNUM})*)"
            rf"(?:\s+day)?(?:\s+of)?\s+(?:(?P<b_pre>last|next)\s+)?(?P<b_m>{MONTH})"
            rf"(?:,?\s*{AD}(?P<b_y>{YEAR})|,?\s+(?P<b_ref>{REF})|{YEAR_REF.format(p='b_')}|{REL_AFTER.format(p='b_')})?"
            rf"{_time('b_')}"),
    # "the 30th ultimo", "the 4th, instant", "Thursday, the twenty-seventh ultimo", "9th instant",
    # "the 9th of this month"; "June ultimo" (a month)
    "reference": (rf"(?:(?P<c_wd>{WEEKDAY}),?\s+)?(?P<c_the>{THE})?(?<![\w.,/$£-])"
            rf"(?:(?P<c_d>{DAYNUM}|(?<=he\s){ORD_WORD}){_correction('c_')}(?:\s+day\s+of)?,?\s+(?P<c_ref>{REF})"
            rf"|(?P<c_m>{FULL_MONTH})\s+(?P<c_mref>{REF}))"),
    # "June, 1944", "December 1933"
    "my": rf"(?P<d_m>{MONTH}),?\s+(?P<d_y>{YEAR})",
    # "the summer of 1923", "spring 1899", "the winter of 1917-18"
    "season": (rf"(?P<e_the>{THE})?(?:(?:early|late)\s+)?(?P<e_s>{SEASON})(?:\s+of)?,?\s+"
               rf"(?P<e_y>{YEAR})(?P<e_r>{YEAR_RANGE})?"),
    # "last summer", "next winter", "the coming winter"
    "relseason": (rf"(?P<f_rel>[Ll]ast|[Nn]ext|[Tt]his|[Tt]he\s+coming|[Tt]he\s+past|[Tt]he\s+present)\s+"
                  rf"(?P<f_s>{SEASON})"),
    # "last November", "next March", "November last", "September next"
    "relmonth": (rf"(?:(?P<g_rel>[Ll]ast|[Nn]ext|[Tt]his)\s+(?P<g_m>{FULL_MONTH})(?!\s*\d)"
                 rf"|(?P<g_m2>{FULL_MONTH}),?\s+(?P<g_rel2>last|next)\b)"),
    # "last Tuesday", "Sunday last", "next Friday", "Monday", "Saturday morning", "Saturday 8 p.m."
    # "Wednesday, the 12th": a weekday and a day, the month found by the weekday. A weekday counted
    # from another day is not dated: "the preceding Monday", "the first Monday in September".
    "weekday": (rf"(?<!following\s)(?<!previous\s)(?<!preceding\s)(?<!first\s)(?<!second\s)(?<!third\s)"
                rf"(?<!fourth\s)(?:(?P<h_rel>[Ll]ast|[Nn]ext|[Tt]his)\s+)?(?P<h_wd>{WEEKDAY})"
                rf"(?:,?\s+the\s+(?P<h_d>{DAYDIGITS}(?:st|nd|rd|th|d)|{ORD_WORD})(?!\w)(?!\s+(?:of|day)\b)"
                rf"|(?:\s+(?P<h_rel2>last|next)\b)?(?:\s+{DAY_PART})?{_time('h_')})"),
    # "to-day", "yesterday evening", "the day before yesterday", "last month", "last year", "last week"
    "relative": rf"(?<!the\s)(?<!The\s)(?P<i_w>{_alternation(_capitalised(list(RELATIVE)))})(?:\s+(?P<i_part>{DAY_PART}))?",
    # "of the 19th", "on the 22d": a day with no month
    "bareday": (rf"\b(?:[Oo]n|[Oo]f|[Ss]ince|[Uu]ntil|till|[Bb]efore|[Aa]fter|[Ff]rom|by)\s+(?P<j_s>the\s+(?P<j_d>{DAYDIGITS}(?:st|nd|rd|th|d)(?!\w)))"
                rf"(?!\s*(?:[\[(]|[-–,/]\s*\d)|,?\s*{REF}|\s+(?:[A-Z]|{_alternation(list(entries('not_after_day.txt')))}))"),
    # "until November", "the end of March", "in May": a full month name after a cue
    # "the months of May, June, July, and August"
    "baremonth": (rf"\b(?:{CUE}|to|mid-|and)\s*(?P<k_m>{FULL_MONTH}(?:(?:,\s*|,?\s+(?:and|or|to)\s+){FULL_MONTH})*)"
                  rf"(?:{YEAR_REF.format(p='k_')}|(?![\s,]*(?:\d|the\s+\d|{ORD_WORD}|{REF}|last\b|next\b)))"),
    # "in 1912", "the Treaty of 1903", "the years 1921, 1922 and 1923", "from 1926–1927 to 1930–1931"
    "year": (rf"\b(?:{CUE})\s+(?:the\s+(?:years?\s+)?)?(?P<l_list>{BARE_YEAR}(?:{YEAR_CORRECTION.replace('yc', 'l_c')}|{YEAR_RANGE})?"
             rf"(?:(?:,\s*|,?\s+(?:and|or|to)\s+){BARE_YEAR}(?:{YEAR_CORRECTION.replace('yc', 'l_c2')}|{YEAR_RANGE})?)*)"),
    # "the 1927 Treaty", "the 1921 loan agreement"
    "yearattr": rf"\b{THE}(?P<m_y>{BARE_YEAR})(?=\s+[A-Za-z])",
}
# The letters each branch can begin with. Every date starts a word; a word start that no branch can
# begin with is refused after one test, and each branch is tried only where it can begin: together
# they make the master regex about five times faster on the FRUS volumes.
_CUE_INITIALS = "".join(sorted({w[0] for w in CUES}))
FIRST_CHARS = {
    "mdy": "A-ZNnLlt", "dmy": "A-Z0-9Ttt", "reference": "A-Z0-9Tt", "my": "A-Z", "season": "TtsSaAfFwWel",
    "relseason": "LlNnTt", "relmonth": "LlNnTtA-Z", "weekday": "LlNnTtA-Z", "relative": "TtYyLlNnDd",
    "bareday": "OoSsUutBbAaFf", "baremonth": _CUE_INITIALS + "tma", "year": _CUE_INITIALS, "yearattr": "Tt",
}
MASTER = re.compile(
    r"\b(?=[0-9A-Zabdefilmnostuwy])(?:"
    + "|".join(f"(?P<{name}>(?=[{FIRST_CHARS[name]}]){pattern})" for name, pattern in BRANCHES.items())
    + ")"
)

# The cheap test before the master regex: every date has a digit or one of these words. Most texts
# have a digit, found at C speed; only the rest are searched for a word.
DIGIT = re.compile(r"[0-9]")
KEYWORD = re.compile(_alternation(
    MONTH_SPELLINGS + _capitalised(list(WEEKDAYS) + list(SEASONS) + list(RELATIVE) + list(MONTH_REFERENCES))
).replace(r"\b", "").replace(r"(?!\w)", ""))
LIST_DAY = re.compile(rf"(?P<d>{DAYNUM})(?:\s?\[(?P<c>{DAYDIGITS}){ORD}(?P<q>\?)?\])?")
FULL_MONTH_RE = re.compile(FULL_MONTH)
LIST_YEAR = re.compile(rf"(?P<y>{BARE_YEAR})(?:{YEAR_CORRECTION}|(?P<r>{YEAR_RANGE}))?")
FUTURE = re.compile(r"\b" + _alternation(FUTURE_CUES) + r"|\bto\s+be\b|\b(?:is|are)\s+to\b")


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


class _Valuer:
    """Values the matches of one text against one document date."""

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

    def _future(self, at: int) -> bool:
        """Whether a future cue stands in the clause before `at`: "will be cabled Monday", "is to sail on the 10th"."""
        return bool(FUTURE.search(re.split(r"[.;:,]", self.text[max(0, at - 60):at])[-1]))

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


HANDLERS: dict[str, Callable[[_Valuer, re.Match[str]], Iterator[Found]]] = {
    name: getattr(_Valuer, name) for name in BRANCHES
}


def find_dates(text: str, doc_date: str | None = None) -> list[Found]:
    """Every date expression in `text`, valued against the document's ISO date."""
    if not DIGIT.search(text) and not KEYWORD.search(text):
        return []
    valuer = _Valuer(text, doc_date)
    found: list[Found] = []
    for m in MASTER.finditer(text):
        found.extend(HANDLERS[m.lastgroup or ""](valuer, m))
    return found


def annotate(doc: Document, context: Context) -> None:
    """Add a date mention for every date expression in every text of `doc`."""
    for t in texts(doc):
        found = find_dates(t.text, context.doc_date)
        if not found:
            continue
        # An edition that already tagged a date (the FRUS TEI does, rarely) is taken at its word.
        tagged = [(x.start, x.end) for x in t.holder.mentions if x.kind == "date"]
        for f in found:
            if any(f.start < e and s < f.end for s, e in tagged):
                continue
            t.add(Mention(kind="date", start=f.start, end=f.end, text=t.text[f.start:f.end], value=f.value,
                          precision=f.precision, why=f.why))
