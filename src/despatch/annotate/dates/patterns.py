"""The pattern pieces: months, days, years and times as regexes, one branch for each way a date is printed,
the master regex that joins them, and the quick tests before it."""
from __future__ import annotations

import re

from despatch.annotate.dates.words import (
    CUES,
    DAY_PARTS,
    FULL_MONTHS,
    FUTURE_CUES,
    MONTH_REFERENCES,
    MONTH_SPELLINGS,
    ORDINAL_WORDS,
    QUANTITIES,
    RELATIVE,
    SEASONS,
    WEEKDAYS,
    _alternation,
    _capitalised,
)
from despatch.data import entries

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
