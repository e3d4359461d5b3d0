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

The package: `words` reads the word lists, `patterns` builds the master
regex from them, `arithmetic` reckons with dates, `valuing` holds what every
handler shares, and `days`, `periods` and `relative` the handlers of the
branches; `_Valuer`, here, is all the handlers together.
"""
from __future__ import annotations

import re
from collections.abc import Callable, Iterator

from despatch.annotate.context import Context
from despatch.annotate.dates.days import _Days
from despatch.annotate.dates.patterns import BRANCHES, DIGIT, KEYWORD, MASTER
from despatch.annotate.dates.periods import _Periods
from despatch.annotate.dates.relative import _Relative
from despatch.annotate.dates.valuing import Found
from despatch.annotate.text import texts
from despatch.model import Document, Mention

__all__ = ["Found", "annotate", "find_dates"]


class _Valuer(_Days, _Periods, _Relative):
    """Values the matches of one text against one document date."""


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
