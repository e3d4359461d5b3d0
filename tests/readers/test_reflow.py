"""Hard-wrapped typed transcriptions read like unwrapped ones."""
from __future__ import annotations

import textwrap
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from despatch.readers import read_bytes
from despatch.readers.reflow import join_broken_headings, reflow

REPO = Path(__file__).resolve().parents[2]
DEV = REPO.parent / "shared" / "eval" / "dev"

WORD = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=12)


@settings(max_examples=200, deadline=None)
@given(paragraphs=st.lists(st.lists(WORD, min_size=80, max_size=160), min_size=2, max_size=5),
       width=st.integers(min_value=50, max_value=100))
def test_wrapped_paragraphs_come_back_whole(paragraphs: list[list[str]], width: int) -> None:
    """Text clearly wrapped (every paragraph over several lines) at any width comes back one line a paragraph."""
    texts = [" ".join(words) for words in paragraphs]
    lines: list[str] = []
    for text in texts:
        lines += textwrap.wrap(text, width, break_on_hyphens=False) + [""]
    assert [line for line in reflow(lines) if line] == texts


def test_unwrapped_text_is_left_alone() -> None:
    lines = ["Mr. Hay to Mr. Conger.", "Washington, November 16, 1900.", "", "A" * 300, "", "Hay"]
    assert reflow(lines) == lines


def test_a_heading_stays_apart_from_its_dateline_and_notes_from_each_other() -> None:
    body = "The British Treasury wish to leave the provision of currency in Siberia to the United States"
    lines = [
        "The Chairman of the Advisory Commission of Railway Experts to Russia",
        "(Stevens) to the Secretary of State",
        "Harbin, July 18, 1918, 4 p.m.",
        "",
        *textwrap.wrap(body * 3, 68),
        "",
        "Notes",
        "",
        *textwrap.wrap("1. " + "Not printed; see telegram No. 473, Dec. 17, 1924, to the Ambassador in Great Britain.", 68),
        "2. Ante, p. 93.",
    ]
    out = reflow(lines)
    assert out[0] == "The Chairman of the Advisory Commission of Railway Experts to Russia (Stevens) to the Secretary of State"
    assert out[1] == "Harbin, July 18, 1918, 4 p.m."
    assert out[3] == " ".join(textwrap.wrap(body * 3, 68))
    assert out[-1] == "2. Ante, p. 93."


def test_a_dateline_wrapped_over_two_lines_is_joined() -> None:
    body = "I have not been able yet to obtain from the Hawaiian government such a proclamation"
    lines = [
        "Mr. Dryer to Mr. Seward.",
        "Legation of the United States at the Hawaiian Islands, Honolulu,",
        "September 5, 1861",
        "",
        *textwrap.wrap(body * 3, 70),
    ]
    out = reflow(lines)
    assert out[:2] == ["Mr. Dryer to Mr. Seward.",
                       "Legation of the United States at the Hawaiian Islands, Honolulu, September 5, 1861"]


def test_a_real_transcription_wrapped_at_72_in_cp1252_with_crlf() -> None:
    original = (DEV / "plain" / "frus1918Russiav03-d119.txt").read_text(encoding="utf-8")
    wrapped = "\r\n".join(line for para in original.split("\n") for line in (textwrap.wrap(para, 72) or [""]))
    plain_doc = read_bytes(original.encode("utf-8"), "d119.txt")[0]
    wrapped_doc = read_bytes(wrapped.encode("cp1252"), "d119.txt")[0]
    assert wrapped_doc.head.text == plain_doc.head.text
    assert wrapped_doc.date == plain_doc.date
    assert [b.text for b in wrapped_doc.body] == [b.text for b in plain_doc.body]
    assert [(n.text, n.anchor) for n in wrapped_doc.notes] == [(n.text, n.anchor) for n in plain_doc.notes]


def test_a_heading_broken_before_a_word_in_lower_case_is_joined() -> None:
    lines = ["611.3731/908: Telegram", "", "The Ambassador in Cuba (Caffery) to the Secretary", "of State", "",
             "Habana, August 15, 1934—noon.", "", "394. My telegram 380, August 10, noon."]
    out = join_broken_headings(lines)
    assert out[2] == "The Ambassador in Cuba (Caffery) to the Secretary of State"
    assert out[3:] == lines[4:]
    assert join_broken_headings(["Sir: The proposal", "was agreed on March 3, 1925."]) == [
        "Sir: The proposal", "was agreed on March 3, 1925."]
