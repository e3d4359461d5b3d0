"""What every part of the TEI reader shares: the TEI and FRUS namespaces, the elements that are not text,
an element's local name and the precision of a date's value."""
from __future__ import annotations

from lxml import etree

from despatch.model import Precision

TEI_NS = "http://www.tei-c.org/ns/1.0"
FRUS_NS = "http://history.state.gov/frus/ns/1.0"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
NS = {"t": TEI_NS, "frus": FRUS_NS}

# Printed furniture, not text of the document.
DROPPED = {"pb", "fw", "figure", "milestone", "cb", "anchor", "gap"}
DIV = f"{{{TEI_NS}}}div"
PRECISION_BY_LENGTH: dict[int, Precision] = {4: "year", 7: "month", 10: "day"}


def _local(el: etree._Element) -> str:
    """Local name of an element; "" for comments, processing instructions and unexpanded entities."""
    tag = el.tag
    if not isinstance(tag, str):
        return ""
    return tag.rsplit("}", 1)[-1]


def _precision(when: str) -> Precision | None:
    """How precise an ISO 8601 value is, from its length: 1925, 1925-09, 1925-09-14, 1925-09-14T16:00."""
    if len(when) >= 16:
        return "minute"
    return PRECISION_BY_LENGTH.get(len(when))
