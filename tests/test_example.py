"""The bundled example, the telegram the project began from, converted exactly; and its golden TEI.

The golden file tests/golden/harriman-to-roosevelt-1944-06-11.xml is the
converter's whole output for the example, compared byte for byte. When a
change to the output is intended, regenerate it and review the diff:

    DESPATCH_UPDATE_GOLDEN=1 pytest tests/test_example.py
"""
from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from conftest import EXAMPLE, ROOT, despatch
from despatch.model import Document

GOLDEN = ROOT / "tests" / "golden" / "harriman-to-roosevelt-1944-06-11.xml"
TEI = "{http://www.tei-c.org/ns/1.0}"
BODY_ANCHORS = ["shuttle bombing.", "General Burrows", "General Walsh,"]


@pytest.fixture(scope="module")
def tei_bytes(tmp_path_factory: pytest.TempPathFactory) -> bytes:
    """The TEI the command writes for the example, run from the repository root as the README shows."""
    out = tmp_path_factory.mktemp("example")
    here = Path.cwd()
    os.chdir(ROOT)  # the teiHeader records the input path as given
    try:
        run = despatch("convert", EXAMPLE.relative_to(ROOT), "--out", out)
    finally:
        os.chdir(here)
    assert run.code == 0, run.stderr
    return (out / "harriman-to-roosevelt-1944-06-11.xml").read_bytes()


def test_one_document(example_docs: list[Document]) -> None:
    assert len(example_docs) == 1
    assert example_docs[0].enclosures == []


def test_parties_place_and_date(example_docs: list[Document]) -> None:
    doc = example_docs[0]
    assert [(p.name, p.office) for p in doc.senders] == [("Harriman", "Ambassador in the Soviet Union")]
    assert [p.name for p in doc.recipients] == ["Roosevelt"]
    assert doc.place == "Moscow"
    assert doc.date is not None and doc.date.when == "1944-06-11" and doc.date.precision == "day"


def test_fdr_library_note_is_the_source_note(example_docs: list[Document]) -> None:
    sources = example_docs[0].source_notes
    assert len(sources) == 1
    assert sources[0].text.startswith("Copy of telegram obtained from the Franklin D. Roosevelt Library")


def test_three_body_footnotes_each_once_at_its_marker(example_docs: list[Document]) -> None:
    doc = example_docs[0]
    notes = doc.footnotes
    assert len(notes) == 3
    for note, before in zip(notes, BODY_ANCHORS):
        assert note.anchor is not None and note.anchor.part == "body"
        text = doc.body[note.anchor.block].text
        assert text[: note.anchor.offset].endswith(before)
    assert len({n.text for n in notes}) == 3
    assert [n.running_n for n in notes] == ["64", "65", "66"]


def _text_before(paragraph: etree._Element, target: etree._Element) -> str:
    """The words of `paragraph` up to `target`, other notes left out, whatever markup holds them."""
    parts: list[str] = []

    def walk(el: etree._Element) -> bool:
        if el is target:
            return True
        if el.tag == f"{TEI}note":
            parts.append(el.tail or "")
            return False
        parts.append(el.text or "")
        for child in el:
            if walk(child):
                return True
        if el is not paragraph:
            parts.append(el.tail or "")
        return False

    walk(paragraph)
    return "".join(parts)


def test_tei_notes_at_their_markers_and_no_debris(tei_bytes: bytes) -> None:
    root = etree.fromstring(tei_bytes)
    assert b"[bookmark" not in tei_bytes and b"_ftn" not in tei_bytes and b"GoBack" not in tei_bytes
    div = root.findall(f".//{TEI}div[@type='document']")
    assert len(div) == 1
    source = div[0].findall(f".//{TEI}note[@type='source']")
    assert len(source) == 1 and "Franklin D. Roosevelt Library" in "".join(source[0].itertext())
    body_notes = [n for n in div[0].iter(f"{TEI}note") if n.get("type") != "source"]
    assert [n.get("n") for n in body_notes] == ["64", "65", "66"]
    for note, before in zip(body_notes, BODY_ANCHORS):
        paragraph = note.getparent()
        assert paragraph.tag == f"{TEI}p"
        assert _text_before(paragraph, note).endswith(before)
    assert root.findtext(f".//{TEI}head/{TEI}persName[@type='from']") == "Harriman"
    assert root.findtext(f".//{TEI}head/{TEI}persName[@type='to']") == "Roosevelt"
    assert root.findtext(f".//{TEI}dateline/{TEI}placeName") == "Moscow"
    assert root.find(f".//{TEI}dateline/{TEI}date").get("when") == "1944-06-11"


def test_golden_tei(tei_bytes: bytes) -> None:
    if os.environ.get("DESPATCH_UPDATE_GOLDEN") == "1":
        GOLDEN.parent.mkdir(parents=True, exist_ok=True)
        GOLDEN.write_bytes(tei_bytes)
    assert GOLDEN.exists(), "no golden file yet: run with DESPATCH_UPDATE_GOLDEN=1 (see this module's docstring)"
    assert tei_bytes == GOLDEN.read_bytes(), (
        "the TEI of the example changed: if intended, regenerate with DESPATCH_UPDATE_GOLDEN=1 and review the diff")
