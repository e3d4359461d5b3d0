"""Styles: which paragraphs are bold or headings, and in which list, by their properties and the style sheet."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from lxml import etree

from despatch.readers.docx.markup import _parser, _Tags, _tags

TRUE_VALUES = frozenset(("1", "true", "on"))


# --- styles: which paragraphs are bold or headings --------------------------


def _toggle(el: etree._Element | None, val: str) -> bool | None:
    """A Word on/off property: `<w:b/>` and `<w:b w:val="1"/>` are on, `w:val="0"` is off, absent is None."""
    if el is None:
        return None
    value = el.get(val)
    return value is None or value.lower() in TRUE_VALUES


def _outline(ppr: etree._Element | None, t: _Tags) -> bool:
    """Whether paragraph properties give an outline level, Word's mark of a heading (level 9 is body text)."""
    level = ppr.find(t.outline) if ppr is not None else None
    return level is not None and level.get(t.val) != "9"


def _list_of(ppr: etree._Element | None, t: _Tags) -> tuple[str, int] | None:
    """The list (numId, level) that paragraph properties put a paragraph in; numId 0 takes it out of any list."""
    num = ppr.find(t.num_pr) if ppr is not None else None
    if num is None:
        return None
    num_id, level = num.find(t.num_id), num.find(t.ilvl)
    value = num_id.get(t.val) if num_id is not None else None
    if not value:
        return None
    return value, _int(level.get(t.val) if level is not None else None, 0)


def _int(value: str | None, default: int) -> int:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass
class _Styles:
    """What the style sheet says about bold, headings and lists, each style resolved through `basedOn`."""

    resolved: dict[str, tuple[bool | None, bool, tuple[str, int] | None]]  # styleId -> bold, heading, list
    default_paragraph: str | None = None
    default_bold: bool = False

    def bold(self, sid: str | None) -> bool | None:
        found = self.resolved.get(sid) if sid else None
        return found[0] if found else None

    def is_heading(self, sid: str | None) -> bool:
        found = self.resolved.get(sid) if sid else None
        return found[1] if found else False

    def numbering(self, sid: str | None) -> tuple[str, int] | None:
        found = self.resolved.get(sid) if sid else None
        return found[2] if found else None


NO_STYLES = _Styles({})


def _read_styles(root: etree._Element, t: _Tags) -> _Styles:
    index: dict[str, etree._Element] = {}
    styles = _Styles({})
    for style in root.iterchildren(t.style):
        sid = style.get(t.style_id)
        if not sid:
            continue
        index.setdefault(sid, style)
        if style.get(t.type) == "paragraph" and (style.get(t.default) or "").lower() in TRUE_VALUES:
            styles.default_paragraph = sid
    defaults = root.find(t.doc_defaults)
    rpr = defaults.find(f"{t.rpr_default}/{t.rpr}") if defaults is not None else None
    if rpr is not None:
        styles.default_bold = bool(_toggle(rpr.find(t.b), t.val))
    for sid in index:
        bold: bool | None = None
        heading = False
        numbered: tuple[str, int] | None = None
        chain: str | None = sid
        for _ in range(20):  # basedOn may loop in a damaged style sheet
            style = index.get(chain) if chain else None
            if style is None:
                break
            rpr, ppr, name = style.find(t.rpr), style.find(t.ppr), style.find(t.name)
            if bold is None and rpr is not None:
                bold = _toggle(rpr.find(t.b), t.val)
            label = (name.get(t.val) or "").lower() if name is not None else ""
            heading = heading or label.startswith("heading") or label == "title" or _outline(ppr, t)
            numbered = numbered or _list_of(ppr, t)
            based = style.find(t.based_on)
            chain = based.get(t.val) if based is not None else None
        styles.resolved[sid] = (bold, heading, numbered)
    return styles


@lru_cache(maxsize=16)
def _style_sheet(data: bytes, ns: str) -> _Styles:
    """The resolved style sheet of a styles part; cached because a batch of files shares one template's styles."""
    try:
        return _read_styles(etree.fromstring(data, _parser()), _tags(ns))
    except etree.XMLSyntaxError:
        return NO_STYLES
