"""List numbering: the labels ("1.", "(a)", "iv.") Word prints before numbered paragraphs but does not store."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache

from lxml import etree

from despatch.readers.docx.markup import _parser, _Tags, _tags
from despatch.readers.docx.styles import _int

# --- list numbering: the "1." and "(a)" Word prints but does not store in the text --


@dataclass
class _Level:
    start: int = 1
    fmt: str = "decimal"
    text: str = ""  # w:lvlText, "(%1)" or "%1.%2."


# A level's number inside its label text: "%1" in "(%1)".
LEVEL_REF_RE = re.compile(r"%([1-9])")
UNNUMBERED = frozenset(("bullet", "none"))  # a bullet is a symbol, not part of the text
ROMAN = ((1000, "m"), (900, "cm"), (500, "d"), (400, "cd"), (100, "c"), (90, "xc"), (50, "l"), (40, "xl"),
         (10, "x"), (9, "ix"), (5, "v"), (4, "iv"), (1, "i"))


def _roman(n: int) -> str:
    out = []
    for value, digits in ROMAN:
        count, n = divmod(n, value)
        out.append(digits * count)
    return "".join(out)


def _format_number(n: int, fmt: str) -> str:
    """A list counter as Word prints it in one of its common number formats."""
    if fmt in ("lowerLetter", "upperLetter") and 0 < n <= 26 * 20:
        letter = chr(ord("a") + (n - 1) % 26) * ((n - 1) // 26 + 1)  # Word goes on "aa", "bb" after "z"
        return letter.upper() if fmt == "upperLetter" else letter
    if fmt in ("lowerRoman", "upperRoman") and 0 < n < 4000:
        return _roman(n).upper() if fmt == "upperRoman" else _roman(n)
    if fmt == "decimalZero":
        return f"{n:02d}"
    return str(n)


def _level(lvl: etree._Element, t: _Tags) -> _Level:
    start, fmt, text = lvl.find(t.start), lvl.find(t.num_fmt), lvl.find(t.lvl_text)
    return _Level(start=_int(start.get(t.val) if start is not None else None, 1),
                  fmt=(fmt.get(t.val) if fmt is not None else None) or "decimal",
                  text=(text.get(t.val) if text is not None else None) or "")


def _read_lists(root: etree._Element, t: _Tags) -> dict[str, dict[int, _Level]]:
    """numId -> level -> how its label is printed, abstract definitions and overrides resolved."""
    abstract: dict[str | None, dict[int, _Level]] = {}
    for definition in root.iter(t.abstract_num):
        abstract[definition.get(t.abstract_num_id)] = {
            _int(lvl.get(t.ilvl), 0): _level(lvl, t) for lvl in definition.iterchildren(t.lvl)}
    lists: dict[str, dict[int, _Level]] = {}
    for num in root.iter(t.num):
        ref = num.find(t.abstract_num_id)
        levels = dict(abstract.get(ref.get(t.val) if ref is not None else None) or {})
        for override in num.iterchildren(t.lvl_override):
            k = _int(override.get(t.ilvl), 0)
            lvl = override.find(t.lvl)
            if lvl is not None:
                levels[k] = _level(lvl, t)
            start = override.find(t.start_override)
            if start is not None and k in levels:
                levels[k] = replace(levels[k], start=_int(start.get(t.val), 1))
        num_id = num.get(t.num_id)
        if num_id:
            lists[num_id] = levels
    return lists


@lru_cache(maxsize=16)
def _list_definitions(data: bytes, ns: str) -> dict[str, dict[int, _Level]]:
    """The list definitions of a numbering part, cached like the style sheet."""
    try:
        return _read_lists(etree.fromstring(data, _parser()), _tags(ns))
    except etree.XMLSyntaxError:
        return {}


class _Lists:
    """The labels of numbered paragraphs, counted in reading order; numbering.xml is read on first need."""

    def __init__(self, load: Callable[[], dict[str, dict[int, _Level]]]):
        self._load = load
        self._defs: dict[str, dict[int, _Level]] | None = None
        self.counters: dict[str, list[int | None]] = {}

    def label(self, num_id: str, level: int) -> str:
        if self._defs is None:
            self._defs = self._load()
        levels = self._defs.get(num_id)
        if not levels or level not in levels or not 0 <= level <= 8:
            return ""
        counts = self.counters.setdefault(num_id, [None] * 9)
        current = counts[level]
        counts[level] = levels[level].start if current is None else current + 1
        for deeper in range(level + 1, 9):
            counts[deeper] = None  # a new item restarts the levels under it
        if levels[level].fmt in UNNUMBERED:
            return ""

        def number(m: re.Match[str]) -> str:
            k = int(m.group(1)) - 1
            if k not in levels:
                return ""
            value = counts[k]
            return _format_number(levels[k].start if value is None else value, levels[k].fmt)

        return LEVEL_REF_RE.sub(number, levels[level].text).strip()
