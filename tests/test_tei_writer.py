"""Mentions in TEI: elements that keep the words of the text whole."""
from __future__ import annotations

from lxml import etree

from despatch.model import Block, Document, Mention
from despatch.parse.heading import parse_parties
from despatch.writers.tei import tei_tree

TEI = "{http://www.tei-c.org/ns/1.0}"


def _written(text: str, start: int, end: int, kind: str = "person") -> str:
    block = Block(text=text, mentions=[Mention(kind=kind, start=start, end=end, text=text[start:end])])
    root = tei_tree([Document(id="d1", body=[block])])
    element = {"person": "persName", "place": "placeName"}[kind]
    found = root.find(f".//{TEI}p/{TEI}{element}")
    return etree.tostring(found, method="text", encoding="unicode", with_tail=False)


def test_a_rank_found_inside_a_hyphenated_word_takes_the_whole_word() -> None:
    text = "The proposal was adopted. Lieutenant-General Gaselee agreed."
    start = text.index("General")
    assert _written(text, start, text.index(" agreed")) == "Lieutenant-General Gaselee"


def test_a_name_takes_a_stop_but_not_a_possessive() -> None:
    text = "Referred to Stevens’s report and to Stevens."
    assert _written(text, 12, 19) == "Stevens"
    last = text.rindex("Stevens")
    assert _written(text, last, last + 7) == "Stevens."


def test_a_place_takes_the_whole_written_word() -> None:
    text = "He went to Vladivostok’s harbour."
    start = text.index("Vladivostok")
    assert _written(text, start, start + len("Vladivostok"), "place") == "Vladivostok’s"


def test_people_named_together_the_first_typed_as_frus_does() -> None:
    head = "The American Technical Advisers (Donnelly and Turkel) to the Ambassador in Cuba (Caffery)"
    senders, recipients = parse_parties(head)
    doc = Document(id="d1", head=Block(text=head), senders=senders, recipients=recipients)
    names = tei_tree([doc]).findall(f".//{TEI}head/{TEI}persName")
    assert [(n.text, n.get("type")) for n in names] == [("Donnelly", "from"), ("Turkel", None), ("Caffery", "to")]
