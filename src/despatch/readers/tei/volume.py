"""The file and what holds for all of it: the XML parsed safely (a repeated xml:id forgiven), the volume's id
and how far its markup can be trusted."""
from __future__ import annotations

from lxml import etree

from despatch.errors import InputError
from despatch.readers.tei.markup import NS, TEI_NS, XML_ID

# Entities are never expanded (a "billion laughs" file stays small) and nothing is
# fetched; huge_tree lets a whole volume's long text nodes through.
PARSER_OPTIONS = {"resolve_entities": False, "no_network": True, "huge_tree": True, "load_dtd": False}
ID_REDEFINED = etree.ErrorTypes.DTD_ID_REDEFINED


class _Volume:
    """What holds for the whole file: its id, and how far its markup can be trusted."""

    def __init__(self, root: etree._Element, path: str):
        self.path = path
        self.prefix = _volume_id(root)
        # An edition that tags parties in any heading is taken at its word; the
        # heuristic parser is only for files that tag none (FRUS leaves titles
        # such as "Form of the Bonds To Be Issued ..." untagged on purpose).
        self.parties_tagged = bool(root.xpath("boolean(//t:head//*[@type='from' or @type='to'])", namespaces=NS))
        # The same for datelines: FRUS leaves "House of Lords, Tuesday" untagged, and means it.
        self.datelines_tagged = bool(root.xpath("boolean(//t:dateline//t:placeName|//t:dateline//t:date)", namespaces=NS))
        self.seen: set[str] = set()

    def unique(self, doc_id: str) -> str:
        out, k = doc_id, 1
        while out in self.seen:
            k += 1
            out = f"{doc_id}-{k}"
        self.seen.add(out)
        return out

    def doc_id(self, raw: str) -> str:
        if self.prefix and not raw.startswith(self.prefix):
            return f"{self.prefix}-{raw}"
        return raw


def _volume_id(root: etree._Element) -> str | None:
    own = root.get(XML_ID)
    if own:
        return own
    idno = root.xpath("string(//t:teiHeader//t:idno[@type='frus'])", namespaces=NS).strip()
    return idno or None


def _parse(data: bytes, path: str) -> etree._Element:
    if not data.strip():
        raise InputError(path, "empty file")
    try:
        root = etree.fromstring(data, etree.XMLParser(**PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        root = _despite_repeated_ids(data, path, exc)
    except ValueError as exc:  # lxml refuses some inputs (odd encodings) before parsing
        raise InputError(path, f"unreadable XML: {exc}") from None
    if root is None:
        raise InputError(path, "malformed XML: no root element")
    if not isinstance(root.tag, str) or not root.tag.startswith(f"{{{TEI_NS}}}"):
        raise InputError(path, f"not TEI: the root element is <{etree.QName(root).localname}>, not in the TEI namespace")
    return root


def _despite_repeated_ids(data: bytes, path: str, exc: etree.XMLSyntaxError) -> etree._Element:
    """The tree of a file whose only fault is an xml:id used twice, else the InputError for its fault.

    Editions do repeat ids (two notes numbered 1 in one document, as FRUS prints
    them per page), and libxml2 counts that an error; nothing is lost by reading on.
    """
    parser = etree.XMLParser(recover=True, **PARSER_OPTIONS)
    root = None
    if exc.code == ID_REDEFINED:
        root = etree.fromstring(data, parser)
    faults = [e for e in parser.error_log if e.type != ID_REDEFINED]
    if root is None or faults:
        reason = (faults[0].message if faults else str(exc).splitlines()[0]) or "not well-formed"
        raise InputError(path, f"malformed XML: {reason}") from None
    return root
