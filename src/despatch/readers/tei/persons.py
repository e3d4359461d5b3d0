"""The volume's list of persons: its entries read, and given to the documents that tag those people."""
from __future__ import annotations

import re

from lxml import etree

from despatch.model import Document, Entity
from despatch.readers.tei.markup import NS, TEI_NS, XML_ID, _local
from despatch.readers.tei.runs import _Run
from despatch.readers.tei.volume import _parse


def _display_name(listed: str) -> str:
    """A list-of-persons name as it reads in a text: "Sheldon, L. P." -> "L. P. Sheldon"."""
    surname, comma, given = listed.partition(",")
    if not comma or not given.strip():
        return listed.strip()
    given = re.sub(r"\b(?:Maj|Lt|Gen|Col|Capt|Adm|Brig|Comdr|Rev|Dr|Sir|Count|Baron)\.?\s+", "", given).strip()
    return f"{given} {surname.strip()}".strip()


def _attach_persons(docs: list[Document], persons: dict[str, tuple[str, str | None]]) -> None:
    """Give each document the list's entries for the people it tags, keyed by the edition's own ids."""
    if not persons:
        return
    for doc in docs:
        seen: set[str] = set()
        for part in doc.all_documents():
            for holder in part.text_holders():
                for m in holder.mentions:
                    if m.kind != "person" or m.ref not in persons or m.ref in seen:
                        continue
                    seen.add(m.ref)
                    name, description = persons[m.ref]
                    doc.edition_index.append(Entity(id=m.ref, kind="person", name=name, forms=[name],
                                                    description=description, why="the edition's list of persons"))


def _persons(root: etree._Element) -> dict[str, tuple[str, str | None]]:
    return {entry["id"]: (_display_name(entry["name"] or ""), entry["description"])
            for entry in _person_entries(root) if entry["id"] and entry["name"]}


def read_persons(data: bytes, path: str = "<persons>") -> list[dict[str, str | None]]:
    """The volume's list of persons: id, name and description of each entry.

    FRUS prints it as `div xml:id="persons"` holding `list type="names"` items:
    `<item><persName xml:id="p_BND1">Baker, Newton D.</persName>, Secretary of War.</item>`.
    """
    return _person_entries(_parse(data, path))


def _person_entries(root: etree._Element) -> list[dict[str, str | None]]:
    out: list[dict[str, str | None]] = []
    items = root.xpath("//t:div[@xml:id='persons']//t:list//t:item[t:persName]", namespaces=NS)
    for item in items:
        name_el = item.find(f"{{{TEI_NS}}}persName")
        name = _plain(name_el)
        after = _Run()
        after.add(name_el.tail)
        for sib in name_el.itersiblings():
            after.add(_plain(sib))
            after.add(sib.tail)
        description = after.finish().text.lstrip(",;: ").strip() or None
        out.append({"id": name_el.get(XML_ID), "name": name, "description": description})
    return out


def _plain(el: etree._Element) -> str:
    """The squashed text of el, `lb` as a space, notes included."""
    run = _Run()

    def walk(node: etree._Element) -> None:
        if _local(node) == "lb":
            run.add(" ")
        elif _local(node):
            run.add(node.text)
            for child in node:
                walk(child)
        if node is not el:
            run.add(node.tail)

    walk(el)
    return run.finish().text
