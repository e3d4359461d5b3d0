"""Typed transcriptions: note markers in every style a typist uses, notes under any header."""
from __future__ import annotations

import pytest

from despatch.readers import read_bytes

TEXT = """The Ambassador in Japan (Morris) to the Secretary of State
Tokyo, August 27, 1918.

I asked Frazar{m1} to check the facts. I am of the opinion: (1) That it would be a misfortune;
(2) that Preston,{m2} Bullard and Kopp should stay.

Morris

{header}

1. Everett W. Frazar, of Tokyo.
2. Charles L. Preston, of the American Red Cross.
"""


@pytest.mark.parametrize("m1, m2", [("¹", "²"), ("^1", "^2"), ("[1]", "[2]"), ("(1)", "(2)")])
@pytest.mark.parametrize("header", ["Notes", "Endnotes", "NOTES:", "Footnotes", "____________"])
def test_each_note_at_its_own_marker(m1: str, m2: str, header: str) -> None:
    text = TEXT.format(m1=m1, m2=m2, header=header)
    doc = read_bytes(text.encode(), "morris.txt")[0]
    placed = {}
    for note in doc.notes:
        block = doc.body[note.anchor.block]
        placed[note.n] = block.text[:note.anchor.offset].split()[-1]
    assert placed == {"1": "Frazar", "2": "Preston,"}
    assert [b.text for b in doc.closer] == ["Morris"]


def test_stars_over_the_notes_of_a_transcription() -> None:
    doc = read_bytes(TEXT.format(m1="[1]", m2="[2]", header="* * *").encode(), "morris.txt")[0]
    assert [n.text for n in doc.notes] == ["Everett W. Frazar, of Tokyo.", "Charles L. Preston, of the American Red Cross."]
    assert [b.text for b in doc.closer] == ["Morris"]
