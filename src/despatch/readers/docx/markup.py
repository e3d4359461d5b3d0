"""The XML of the parts: the parser that keeps hostile files harmless, and the WordprocessingML element names
the walk compares, for either of the two namespaces."""
from __future__ import annotations

from functools import cache

from lxml import etree

MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _parser() -> etree.XMLParser:
    # A docx may not carry a DTD, so entities are never expanded (no billion
    # laughs, no external files); huge_tree stays off so libxml2 keeps its
    # limits on nesting depth and text node size, which no real part reaches.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False,
                           remove_comments=True, remove_pis=True, collect_ids=False)


# --- WordprocessingML element names, for one of the two namespaces -----------


class _Tags:
    """Clark names of the elements we look at, so the walk compares strings and never builds them."""

    def __init__(self, ns: str):
        def w(local: str) -> str:
            return f"{{{ns}}}{local}"

        self.ns = ns
        self.val = w("val")
        self.id = w("id")
        self.type = w("type")
        self.default = w("default")
        self.style_id = w("styleId")
        self.custom_mark = w("customMarkFollows")
        self.fld_type = w("fldCharType")
        self.body, self.p, self.r, self.t, self.tbl, self.tr, self.tc = (
            w("body"), w("p"), w("r"), w("t"), w("tbl"), w("tr"), w("tc"))
        self.ppr, self.rpr, self.pstyle, self.rstyle, self.b = w("pPr"), w("rPr"), w("pStyle"), w("rStyle"), w("b")
        self.vanish, self.outline, self.dele = w("vanish"), w("outlineLvl"), w("del")
        self.footnote, self.endnote = w("footnote"), w("endnote")
        self.footnote_ref, self.endnote_ref = w("footnoteReference"), w("endnoteReference")
        self.fld_char = w("fldChar")
        self.num_pr, self.num_id, self.ilvl = w("numPr"), w("numId"), w("ilvl")
        self.num, self.abstract_num, self.abstract_num_id, self.lvl = (
            w("num"), w("abstractNum"), w("abstractNumId"), w("lvl"))
        self.start, self.num_fmt, self.lvl_text = w("start"), w("numFmt"), w("lvlText")
        self.lvl_override, self.start_override = w("lvlOverride"), w("startOverride")
        self.style, self.based_on, self.name = w("style"), w("basedOn"), w("name")
        self.doc_defaults, self.rpr_default = w("docDefaults"), w("rPrDefault")
        self.spaces = frozenset(map(w, ("tab", "ptab", "br", "cr")))
        self.hyphens = frozenset(map(w, ("noBreakHyphen",)))
        # Inline content that is never text: deleted or moved-away runs, properties, marks without content.
        self.skip_inline = frozenset(map(w, ("pPr", "del", "moveFrom", "sdtPr", "sdtEndPr", "rPr")))
        # Block content that is never text: section and table properties, imported chunks we cannot read.
        self.skip_block = frozenset(map(w, ("sectPr", "tblPr", "tblGrid", "trPr", "tcPr", "sdtPr", "sdtEndPr",
                                            "altChunk", "del", "moveFrom")))
        self.alternate = f"{{{MC}}}AlternateContent"
        self.choice = f"{{{MC}}}Choice"


@cache
def _tags(ns: str) -> _Tags:
    return _Tags(ns)
