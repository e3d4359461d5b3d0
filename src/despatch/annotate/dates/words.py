"""The word lists: spellings of months, weekdays, ordinals, seasons, relative dates and cue words, read from
the data files, and the pattern that matches the words of a list."""
from __future__ import annotations

import re
from functools import cache

from despatch.data import entries, pairs

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
