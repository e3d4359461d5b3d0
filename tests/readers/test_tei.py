"""The TEI edition reader: FRUS markup onto the model, and back out through our writer unchanged.

Snippets are real FRUS encodings (frus1918Russiav03, frus1925v02, frus1861,
frus1901China). The round trip reads each whole volume in /work/shared/frus,
writes it with `despatch.writers.tei`, and reads both files with the
benchmark's own ruler (`teigold.py`), field by field.
"""
from __future__ import annotations

import collections
import dataclasses
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from despatch.errors import InputError
from despatch.model import Anchor, Block, DocDate, Document, EditorialMark, Mention, Note, Party, Style
from despatch.readers.tei import read_documents, read_persons
from despatch.writers.tei import to_tei

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
FRUS = SHARED / "frus"
VOLUMES = sorted(FRUS.glob("*.xml")) if FRUS.is_dir() else []

TEI_OPEN = ('<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:frus="http://history.state.gov/frus/ns/1.0"{root}>'
            "<teiHeader><fileDesc><titleStmt><title>t</title></titleStmt></fileDesc></teiHeader>"
            "<text><body>")
TEI_CLOSE = "</body></text></TEI>"


def tei(body: str, root_id: str | None = "frus1918Russiav03") -> bytes:
    root = f' xml:id="{root_id}"' if root_id else ""
    return (TEI_OPEN.format(root=root) + body + TEI_CLOSE).encode()


def one(body: str, **kw: Any) -> Document:
    docs = read_documents(tei(body, **kw), "snippet.xml")
    assert len(docs) == 1
    return docs[0]


# frus1918Russiav03 d119, as printed.
D119 = """
<div type="document" xml:id="d119" n="119">
  <note rend="inline" type="source">File No. 861.51/437</note>
  <head><hi rend="italic">The Ambassador in Great Britain</hi> (<persName type="from"
      corresp="#p_DJW1"><hi rend="italic">Davis</hi></persName>) <hi rend="italic">to the
      <gloss type="to">Secretary of State</gloss></hi></head>
  <note rend="inline" type="source">[Telegram]</note>
  <dateline><placeName><hi rend="smallcaps">London</hi></placeName>, <date
      when="1918-12-24"><hi rend="italic">December 24, 1918</hi></date>.<lb/>[<hi
      rend="italic">Received 6.17 p.m.</hi>]</dateline>
  <p>4877. [For] War Trade Board from <persName corresp="#p_SLP1">Sheldon</persName>:<note n="1"
      xml:id="d119fn1"><persName corresp="#p_SLP1">L. P. Sheldon</persName>, representative in
      London of the War Trade Board.</note></p>
  <p>2180. Your 1787, Department’s 3289, undated.<note n="2" xml:id="d119fn2">See footnote 1,
      <hi rend="italic">ante</hi>, p. 93.</note> The British Treasury wish to leave the provision
      of currency in Siberia to the United States Government.</p>
  <closer><signed><hi rend="smallcaps">Davis</hi></signed></closer>
</div>
"""


# ---- heading, dateline, source, notes -------------------------------------------------


def test_heading_parties_with_offsets_and_office():
    doc = one(D119)
    assert doc.id == "frus1918Russiav03-d119"
    assert doc.number == "119"
    assert doc.head.text == "The Ambassador in Great Britain (Davis) to the Secretary of State"
    assert doc.head.kind == "label"
    [sender], [recipient] = doc.senders, doc.recipients
    assert (sender.name, sender.office) == ("Davis", "Ambassador in Great Britain")
    assert doc.head.text[sender.start:sender.end] == "Davis"
    assert (recipient.name, recipient.office) == (None, "Secretary of State")
    assert doc.head.text[recipient.start:recipient.end] == "Secretary of State"
    assert Style(0, 31, "italic") in doc.head.styles


def test_dateline_place_date_received():
    doc = one(D119)
    assert doc.dateline is not None
    assert doc.dateline.text == "London, December 24, 1918. [Received 6.17 p.m.]"
    assert doc.place == "London"
    assert doc.date == DocDate("December 24, 1918", "1918-12-24", "day")
    assert doc.received == DocDate("Received 6.17 p.m.", "1918-12-24T18:17:00", "minute")


def test_source_notes_channel_and_file_numbers():
    doc = one(D119)
    assert [n.text for n in doc.source_notes] == ["File No. 861.51/437", "[Telegram]"]
    assert all(n.anchor is None for n in doc.source_notes)
    assert doc.channel == "telegram"
    assert doc.file_numbers == ["861.51/437"]


def test_footnotes_anchored_where_the_note_stood():
    doc = one(D119)
    first, second = doc.footnotes
    assert first.n == "1" and first.kind == "biographical"
    assert first.anchor == Anchor("body", 0, len("4877. [For] War Trade Board from Sheldon:"))
    assert first.mentions == [Mention("person", 0, 13, "L. P. Sheldon", ref="p_SLP1")]
    assert second.kind == "citation" and second.text == "See footnote 1, ante, p. 93."
    assert second.styles == [Style(16, 20, "italic")]
    text = doc.body[1].text
    assert text[:second.anchor.offset].endswith("undated.")
    assert text.startswith("2180. Your 1787, Department’s 3289, undated. The British")


def test_body_mentions_marks_and_signed():
    doc = one(D119)
    block = doc.body[0]
    assert block.text == "4877. [For] War Trade Board from Sheldon:"
    assert block.mentions == [Mention("person", 33, 40, "Sheldon", ref="p_SLP1")]
    assert block.marks == [EditorialMark("insertion", 6, 11, "[For]")]
    assert doc.signed == "Davis"
    assert doc.closer[0].styles == [Style(0, 5, "smallcaps")]


def test_heading_note_and_time_of_day():
    # frus1918Russiav03 d15: a note on the heading, a dateline with a time.
    doc = one("""
<div type="document" xml:id="d15" n="15">
  <note rend="inline" type="source">File No. 861.51/157</note>
  <head><hi rend="italic">The <gloss type="from">Acting Secretary of State</gloss> to the Ambassador
      in Russia</hi> (<persName type="to" corresp="#p_FDR1"><hi rend="italic">Francis</hi></persName>)<note
      n="1" xml:id="d15fn1">Sent at the same time to the Special Mission.</note></head>
  <dateline><placeName><hi rend="smallcaps">Washington</hi></placeName>, <date
      when="1917-07-10T18:00:00"><hi rend="italic">July 10, 1917, 6 p.m.</hi></date></dateline>
  <p>Your 15, July 8, 7 p.m.</p>
</div>""")
    assert doc.recipients[0].name == "Francis"
    assert doc.recipients[0].office == "Ambassador in Russia"
    [note] = doc.footnotes
    assert note.anchor == Anchor("head", 0, len(doc.head.text))
    assert doc.date == DocDate("July 10, 1917, 6 p.m.", "1917-07-10T18:00:00", "minute")


def test_unplaced_footnote_after_the_heading_keeps_no_anchor():
    # frus1925v02: "File translation revised." stands between head and dateline.
    doc = one("""
<div type="document" xml:id="d8" n="8">
  <note rend="inline" type="source">711.3912/7</note>
  <head>The Panamanian Minister (<persName type="from">Alfaro</persName>) to the <gloss type="to">Secretary
      of State</gloss></head>
  <note n="8" xml:id="d8fn8">File translation revised.</note>
  <p>Excellency: I have the honor to refer to the conversation.</p>
</div>""")
    [note] = doc.footnotes
    assert note.anchor is None and note.n == "8"


# ---- body structure -------------------------------------------------------------------


def test_lists_tables_quotes_in_the_order_of_the_text():
    # frus1925v02 d127 (list with an item of paragraphs), frus1901China (quote inside p), frus1861 (table).
    doc = one("""
<div type="document" xml:id="d127" n="127">
  <head>The Secretary of State to the Ambassador in France (<persName type="to">Herrick</persName>)</head>
  <p>Department understands proposal involves: <list>
      <label>1.</label>
      <item>first, 55,000,000 gold marks cash priority.</item>
      <label>2.</label>
      <item><p>(<hi rend="italic">a</hi>) Amount received from Belgium.</p>
        <p>(<hi rend="italic">b</hi>) Assume waiver.</p></item>
    </list></p>
  <p>The Imperial message is respectfully transmitted, as follows: <quote rend="blockquote">
      <p>The Emperor of China to His Excellency the President.</p>
      <p><hi rend="smallcaps">Kwanghsu</hi>, twenty-sixth year.</p>
    </quote></p>
  <p>The following are the names: <table rows="2" cols="2">
      <row><cell>Rev. G. G. Goss</cell><cell>September 25, 1861.</cell></row>
      <row><cell>Rev. John G. Butler</cell><cell>September 25, 1861.</cell></row>
    </table></p>
  <pb n="139" xml:id="pg_139" facs="0221"/>
  <p>I have [etc.]</p>
</div>""")
    assert [(b.kind, b.text) for b in doc.body] == [
        ("p", "Department understands proposal involves:"),
        ("label", "1."),
        ("item", "first, 55,000,000 gold marks cash priority."),
        ("label", "2."),
        ("p", "(a) Amount received from Belgium."),
        ("p", "(b) Assume waiver."),
        ("p", "The Imperial message is respectfully transmitted, as follows:"),
        ("quote", "The Emperor of China to His Excellency the President."),
        ("quote", "Kwanghsu, twenty-sixth year."),
        ("p", "The following are the names:"),
        ("table", "Rev. G. G. Goss September 25, 1861."),
        ("table", "Rev. John G. Butler September 25, 1861."),
        ("p", "I have [etc.]"),
    ]


def test_page_breaks_part_words_and_vanish():
    doc = one('<div type="document" xml:id="d1"><p>The rep<pb n="28" xml:id="pg_28"/>resentatives'
              ' of the <lb/>powers.</p></div>')
    assert doc.body[0].text == "The rep resentatives of the powers."


def test_closer_salute_signed_and_lines():
    # frus1901China: a protocol's closer; frus1925v02 d549: an office under the signature.
    doc = one("""
<div type="document" xml:id="d70" n="70">
  <p>Done at Peking.</p>
  <closer><salute>Signed at Peking, February 9, 1901.</salute><lb/>Austro-Hungary:<lb/><signed><hi
      rend="smallcaps">Wogack</hi></signed>,<lb/><hi rend="italic">His Britannic Majesty’s Political
      Resident in the Persian Gulf.</hi></closer>
</div>""")
    assert [(b.kind, b.text) for b in doc.closer] == [
        ("salute", "Signed at Peking, February 9, 1901."),
        ("line", "Austro-Hungary:"),
        ("signed", "Wogack"),
        ("line", "His Britannic Majesty’s Political Resident in the Persian Gulf."),
    ]
    assert doc.signed == "Wogack"


def test_postscript_paragraphs_and_signature():
    doc = one("""
<div type="document" xml:id="d3" n="3">
  <p>I am, sir, your obedient servant,</p>
  <closer><signed>WILLIAM H. SEWARD.</signed></closer>
  <postscript>
    <p><hi rend="smallcaps">Charles Francis Adams</hi>, Esq., <hi rend="italic">&amp;c., &amp;c.</hi></p>
    <closer><signed>W. H. S.</signed></closer>
  </postscript>
</div>""", root_id="frus1861")
    assert [b.text for b in doc.body] == ["I am, sir, your obedient servant,", "Charles Francis Adams, Esq., &c., &c."]
    assert [b.text for b in doc.closer] == ["WILLIAM H. SEWARD.", "W. H. S."]
    assert doc.signed == "WILLIAM H. SEWARD."


# ---- enclosures --------------------------------------------------------------------------


def test_attachments_are_enclosures_with_label_and_their_own_parts():
    # frus1925v02 d549, shortened.
    doc = one("""
<div type="document" xml:id="d549" n="549">
  <note rend="inline" type="source">891.114 Narcotics/33</note>
  <head>The British Ambassador (<persName type="from">Howard</persName>) to the <gloss type="to">Secretary
      of State</gloss></head>
  <p>I have [etc.]</p>
  <closer><signed><hi rend="smallcaps">Esme Howard</hi></signed></closer>
  <frus:attachment>
    <note rend="inline" type="source">[Enclosure]</note>
    <head><hi rend="italic">Notice of British Opium Traffic Regulations, 1924</hi></head>
    <p>The following Regulations are published for general information.<note n="3" xml:id="d549fn3">Not
        printed.</note></p>
    <closer><signed><hi rend="smallcaps">Lieutenant-Colonel</hi></signed>,<lb/><hi rend="italic">His
        Britannic Majesty’s Political Resident in the Persian Gulf.</hi></closer>
  </frus:attachment>
  <postscript>
    <p><hi rend="smallcaps">Bushire.</hi></p>
  </postscript>
</div>""", root_id="frus1925v02")
    assert doc.signed == "Esme Howard"
    assert [b.text for b in doc.body] == ["I have [etc.]"]
    [enc] = doc.enclosures
    assert enc.id == "frus1925v02-d549-enc1"
    assert enc.label == "[Enclosure]"
    assert enc.source_notes == []  # the label is the source note; the writer writes it back as one
    assert enc.head.text == "Notice of British Opium Traffic Regulations, 1924"
    # what FRUS prints after an attachment belongs to it
    assert [b.text for b in enc.body] == ["The following Regulations are published for general information.", "Bushire."]
    assert enc.signed == "Lieutenant-Colonel"
    assert [n.anchor for n in enc.footnotes] == [Anchor("body", 0, len(enc.body[0].text))]
    assert doc.footnotes == []


def test_1861_attachment_wrapping_a_document_div():
    doc = one("""
<div type="document" xml:id="d69" n="69">
  <head>Mr. <persName type="from">Adams</persName> to Mr. <persName type="to">Seward</persName>.</head>
  <p>I transmit a copy of Lord Russell's reply.</p>
  <frus:attachment>
    <div type="document">
      <head/>
      <dateline><hi rend="smallcaps">Foreign Office</hi>, <date when="1861-07-31"><hi rend="italic">July</hi> 31,
          1861</date>.</dateline>
      <p>So far as I am concerned, this statement is perfectly correct.</p>
      <closer><signed>J. RUSSELL.</signed></closer>
    </div>
  </frus:attachment>
  <postscript><p><hi rend="smallcaps">Charles Francis Adams</hi>, Esq.</p></postscript>
</div>""", root_id="frus1861")
    [enc] = doc.enclosures
    assert enc.id == "frus1861-d69-enc1"
    assert enc.date == DocDate("July 31, 1861", "1861-07-31", "day")
    assert enc.place is None
    assert [b.text for b in enc.body][-1] == "Charles Francis Adams, Esq."
    assert enc.signed == "J. RUSSELL."
    assert (doc.senders[0].name, doc.recipients[0].name) == ("Adams", "Seward")
    assert (doc.senders[0].office, doc.recipients[0].office) == (None, None)


def test_nested_document_div_is_an_enclosure_and_enclosures_nest():
    doc = one("""
<div type="document" xml:id="d36" n="36">
  <p>Text of the agreement is transmitted.</p>
  <div type="document" xml:id="d36a"><head>Text of agreement.</head><p>Her Britannic Majesty’s Government.</p>
    <frus:attachment><head>Annex.</head><p>The annex.</p></frus:attachment>
  </div>
</div>""", root_id="frus1901China")
    [enc] = doc.enclosures
    assert enc.id == "frus1901China-d36a"
    assert [b.text for b in enc.body] == ["Her Britannic Majesty’s Government."]
    assert [e.head.text for e in enc.enclosures] == ["Annex."]
    assert [b.text for b in doc.body] == ["Text of the agreement is transmitted."]


def test_document_in_an_attachment_outside_any_document_stands_alone():
    # frus1861: "Schedule A" is attached to the President's message, a div type="section".
    docs = read_documents(tei("""
<div type="section" xml:id="message"><head>Message</head><p>Fellow-citizens.</p>
  <frus:attachment><div type="document"><head><hi rend="italic">Schedule A</hi>.</head><p>Sir: Having been
  solicited by Christian ministers.</p></div></frus:attachment></div>
<div type="document" xml:id="d1" n="1"><head>Mr. Seward to Mr. Adams.</head><p>Sir.</p></div>""",
                              root_id="frus1861"), "v.xml")
    assert [d.id for d in docs] == ["frus1861-doc1", "frus1861-d1"]
    assert docs[0].head.text == "Schedule A."


# ---- fallbacks and ids -----------------------------------------------------------------------


def test_untagged_file_falls_back_on_the_heading_and_dateline_parsers():
    doc = one("""<div type="document" xml:id="x1"><head>The Ambassador in the Soviet Union (Harriman) to
      President Roosevelt</head><dateline>Moscow, June 11, 1944.</dateline><p>Text.</p></div>""", root_id=None)
    assert doc.id == "x1"
    assert [(p.name, p.office) for p in doc.senders] == [("Harriman", "Ambassador in the Soviet Union")]
    assert [p.name for p in doc.recipients] == ["Roosevelt"]
    assert doc.place == "Moscow"
    assert doc.date is not None and doc.date.when == "1944-06-11"


def test_tagged_edition_is_taken_at_its_word():
    # frus1925v02: a title heading FRUS leaves untagged on purpose; the parser would split it at "To".
    docs = read_documents(tei("""
<div type="document" xml:id="d1"><head>The Minister (<persName type="from">Kellogg</persName>) to the
  <gloss type="to">Secretary of State</gloss></head><p>Text.</p></div>
<div type="document" xml:id="d2"><head>Form of the Bonds To Be Issued Under the Loan Agreement</head>
  <dateline>House of Lords, Tuesday</dateline><p>Text.</p></div>""", root_id="frus1925v02"), "v.xml")
    assert docs[1].senders == [] and docs[1].recipients == []
    assert docs[1].place is None and docs[1].date is None


def test_volume_id_from_idno_and_unique_ids():
    data = (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><publicationStmt>'
            b'<idno type="frus">frus1934v05</idno></publicationStmt></fileDesc></teiHeader><text><body>'
            b'<div type="document" xml:id="d1"><p>One.</p></div><div type="document" xml:id="d1"><p>Two.</p></div>'
            b'</body></text></TEI>')
    assert [d.id for d in read_documents(data, "v.xml")] == ["frus1934v05-d1", "frus1934v05-d1-2"]


def test_body_without_document_divs_is_one_document():
    data = tei("<head>A Letter</head><div><p>First paragraph.</p><p>Second paragraph.</p></div>", root_id=None)
    [doc] = read_documents(data, "some/letter.xml")
    assert doc.id == "letter"
    assert doc.head.text == "A Letter"
    assert [b.text for b in doc.body] == ["First paragraph.", "Second paragraph."]


# ---- our own TEI back in ---------------------------------------------------------------------


def _span(text: str, part: str) -> tuple[int, int]:
    start = text.index(part)
    return start, start + len(part)


def _rich() -> Document:
    text = "In despatch[Sic] 563, Maxwell M. Hamilton enclosed [on June 4] clippings."
    body = Block(text,
                 marks=[EditorialMark("sic", *_span(text, "[Sic]"), "[Sic]"),
                        EditorialMark("insertion", *_span(text, "[on June 4]"), "[on June 4]")],
                 mentions=[Mention("person", *_span(text, "Maxwell M. Hamilton"), "Maxwell M. Hamilton", ref="p_HMM1")],
                 styles=[Style(*_span(text, "despatch"), "italic")])
    enc = Document(id="x-enc1", label="[Enclosure 1—Translation]", head=Block("Memorandum", kind="label"),
                   body=[Block("An enclosed paragraph.")], closer=[Block("Molotov", kind="signed")])
    return Document(
        id="harriman-1944", number="12", channel="telegram",
        head=Block("The Ambassador in the Soviet Union (Harriman) to President Roosevelt", kind="label"),
        senders=[Party("The Ambassador in the Soviet Union (Harriman)", name="Harriman",
                       office="Ambassador in the Soviet Union", start=36, end=44)],
        recipients=[Party("President Roosevelt", name="Roosevelt", office="President", start=59, end=68)],
        dateline=Block("Moscow, June 11, 1944—4 p.m.", kind="line"), place="Moscow",
        date=DocDate("June 11, 1944—4 p.m.", "1944-06-11T16:00:00", "minute"),
        file_numbers=["740.0011 European War 1939/6-1244"],
        body=[body, Block("1.", kind="label"), Block("An item.", kind="item")],
        closer=[Block("Harriman", kind="signed")],
        notes=[Note("740.0011 European War 1939/6-1244: Telegram", kind="source"),
               Note("Not printed.", n="1", kind="citation", anchor=Anchor("body", 0, 20)),
               Note("W. Averell Harriman, Ambassador.", n="2", kind="biographical", anchor=Anchor("head", 0, 45))],
        enclosures=[enc],
    )


def test_despatch_tei_reads_back_into_the_same_model():
    original = _rich()
    [doc] = read_documents(to_tei([original]), "out.xml")
    assert doc.id == original.id and doc.number == "12" and doc.channel == "telegram"
    assert doc.head == original.head
    assert doc.senders == original.senders and doc.recipients == original.recipients
    assert (doc.dateline, doc.place, doc.date) == (original.dateline, original.place, original.date)
    assert doc.body == original.body
    assert doc.closer == original.closer
    # read back in the order of the text: the heading's note comes before the body's
    assert [(n.text, n.n, n.kind, n.anchor) for n in doc.notes] == [
        (n.text, n.n, n.kind, n.anchor) for n in (original.notes[0], original.notes[2], original.notes[1])]
    [enc] = doc.enclosures
    assert (enc.label, enc.head.text, enc.body, enc.signed) == ("[Enclosure 1—Translation]", "Memorandum",
                                                                 original.enclosures[0].body, "Molotov")
    assert doc.file_numbers == original.file_numbers


def test_original_notes_and_typed_kinds():
    doc = one("""<div type="document" xml:id="d1"><p>Copy obtained.<note n="1">[Orig. Note] Copy of telegram
      obtained from the Embassy.</note> Then.<note n="2" type="editorial" subtype="original">Not printed.</note></p></div>""")
    first, second = doc.footnotes
    assert (first.text, first.original, first.kind) == ("Copy of telegram obtained from the Embassy.", True, "editorial")
    assert (second.kind, second.original) == ("editorial", True)


def test_read_bytes_uses_this_reader():
    from despatch.readers import read_bytes

    [doc] = read_bytes(tei(D119), "frus.xml")
    assert doc.id == "frus1918Russiav03-d119" and doc.source_format == "tei"


# ---- persons ---------------------------------------------------------------------------------


def test_read_persons_from_the_volume_list():
    data = tei("""<div type="section" xml:id="persons"><head>List of Principal Persons</head><list type="names">
      <item><persName xml:id="p_BND1">Baker, Newton D.</persName>, Secretary of
          War.</item>
      <item><persName xml:id="p_BCR1">Barclay, Colville A. de R.</persName>, Counselor
          of the British Embassy at Washington and Chargé d’Affaires <hi rend="italic"
          >ad interim.</hi></item></list></div>""")
    assert read_persons(data) == [
        {"id": "p_BND1", "name": "Baker, Newton D.", "description": "Secretary of War."},
        {"id": "p_BCR1", "name": "Barclay, Colville A. de R.",
         "description": "Counselor of the British Embassy at Washington and Chargé d’Affaires ad interim."},
    ]


# ---- bad input -------------------------------------------------------------------------------


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document" xml:id="d1"><p>&lol9; laughs</p></div>
</body></text></TEI>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE TEI [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document" xml:id="d1"><p>x &secret; y</p></div>
</body></text></TEI>"""


def test_entities_are_never_expanded():
    # libxml2 refuses the file outright (its amplification guard) or leaves the entity
    # unexpanded; either way quickly, and never with a traceback.
    start = time.perf_counter()
    try:
        docs = read_documents(BILLION_LAUGHS, "laughs.xml")
    except InputError as exc:
        assert exc.path == "laughs.xml" and exc.reason.startswith("malformed XML")
    else:
        assert docs[0].body[0].text == "laughs"
    assert time.perf_counter() - start < 2
    [doc] = read_documents(EXTERNAL_ENTITY, "xxe.xml")
    assert doc.body[0].text == "x y"


def test_a_repeated_xml_id_is_read_through():
    data = tei('<div type="document" xml:id="d80"><p>Since your August 5.<note n="1" xml:id="d80fn1">Not printed.</note>'
               ' Lindley<note n="1" xml:id="d80fn1">Francis O. Lindley.</note></p></div>')
    [doc] = read_documents(data, "v.xml")
    assert [n.text for n in doc.footnotes] == ["Not printed.", "Francis O. Lindley."]


@pytest.mark.parametrize("data, reason", [
    (b"", "empty file"),
    (b"   \n", "empty file"),
    (b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><text><body><p>unclosed</body></TEI>", "malformed XML"),
    (bytes(range(256)) * 4, "malformed XML"),
    (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "malformed XML"),
    (b"<html><body><p>Not TEI.</p></body></html>", "not TEI"),
    (b"<TEI><text><body><p>No namespace.</p></body></text></TEI>", "not TEI"),
    (b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader/><text><body><div><p> </p></div></body></text></TEI>",
     "no document"),
    (b"<TEI xmlns='http://www.tei-c.org/ns/1.0'><teiHeader/></TEI>", "no document"),
])
def test_bad_input_is_one_input_error(data: bytes, reason: str):
    with pytest.raises(InputError) as info:
        read_documents(data, "bad.xml")
    assert info.value.path == "bad.xml"
    assert info.value.reason.startswith(reason)
    assert "\n" not in str(info.value)


def test_deep_nesting_is_an_input_error_not_a_crash():
    depth = 5000
    data = tei('<div type="document" xml:id="d1"><p>' + "<hi>" * depth + "deep" + "</hi>" * depth + "</p></div>")
    try:
        docs = read_documents(data, "deep.xml")
    except InputError as exc:
        assert exc.path == "deep.xml"
    else:
        assert docs[0].body[0].text == "deep"


# ---- whole volumes ---------------------------------------------------------------------------

def needs_volumes(test):
    """Whole-volume tests read ../shared/frus, which CI puts beside the repository: absent is a failure."""
    assert VOLUMES, f"FRUS volumes not found in {FRUS}"
    return test
FIELDS = ("from", "to", "place", "date", "source", "signed", "body", "paragraphs", "notes", "persons")


def _teigold() -> Any:
    sys.path.insert(0, str(SHARED / "eval"))
    try:
        import teigold
    finally:
        sys.path.pop(0)
    return teigold


def _comparable(fields: dict[str, Any]) -> dict[str, Any]:
    """Fields as the benchmark compares them, with positions counted in characters rather than words.

    teigold counts a word wherever an element boundary falls (`<hi>Sir</hi>:` is
    two words); the writer does not keep every boundary (FRUS's `ref` links),
    so word indices shift where the text does not. Characters do not.
    """
    norm = _teigold().norm
    words = fields["body"].split()
    offsets = [0]
    for word in words:
        offsets.append(offsets[-1] + len(word))

    def at(anchor: str) -> str:
        return f"body@{offsets[int(anchor[5:])]}" if anchor.startswith("body:") else anchor

    return {
        "from": norm(fields["from"]), "to": norm(fields["to"]), "place": norm(fields["place"]),
        "date": fields["date"], "source": norm(fields["source"]), "signed": norm(fields["signed"]),
        "body": "".join(words), "paragraphs": fields["paragraphs"],
        "notes": collections.Counter((norm(n["text"]), at(n["anchor"])) for n in fields["notes"]),
        "persons": collections.Counter((norm(p[2]), offsets[p[0]]) for p in fields["persons"]),
    }


def _nested(el: etree._Element) -> bool:
    """Whether el stands inside a document div."""
    div = "{http://www.tei-c.org/ns/1.0}div"
    return any(a.tag == div and a.get("type") == "document" for a in el.iterancestors())


class RoundTrip:
    """One volume read, written back, and both read with teigold."""

    def __init__(self, path: Path):
        teigold = _teigold()
        data = path.read_bytes()
        start = time.perf_counter()
        self.docs = read_documents(data, str(path))
        self.seconds = time.perf_counter() - start
        self.written = to_tei(self.docs)
        original = etree.fromstring(data, etree.XMLParser(huge_tree=True))
        written = etree.fromstring(self.written, etree.XMLParser(huge_tree=True))
        ns = teigold.NS
        self.original_docs = [d for d in original.xpath("//t:div[@type='document']", namespaces=ns) if not _nested(d)]
        self.written_docs = written.xpath("//t:div[@type='document']", namespaces=ns)
        # Enclosures: FRUS attachments (1861 wraps each in a div of its own) against ours; an
        # attachment outside any document (1861's "Schedule A") is a document of its own.
        self.original_encs = [a for a in original.xpath("//frus:attachment", namespaces=ns) if _nested(a)]
        self.written_encs = written.xpath("//frus:attachment", namespaces=ns)
        self.teigold = teigold

    def compare(self, pairs: list[tuple[etree._Element, etree._Element]]) -> tuple[dict[str, list], dict[str, list]]:
        """Per field, the pairs that differ: all of them, and those no known cause explains."""
        misses: dict[str, list] = {f: [] for f in FIELDS}
        unexplained: dict[str, list] = {f: [] for f in FIELDS}
        for o, w in pairs:
            a = _comparable(self.teigold.document_fields(_unwrapped(o)))
            b = _comparable(self.teigold.document_fields(w))
            causes = _known_causes(o)
            for f in FIELDS:
                if a[f] != b[f]:
                    where = (o.get("{http://www.w3.org/XML/1998/namespace}id") or o.sourceline, a[f], b[f])
                    misses[f].append(where)
                    if not any(f in KNOWN_CAUSES[c] for c in causes):
                        unexplained[f].append(where)
        return misses, unexplained


# Differences a round trip is known to make, and the fields each one moves.
KNOWN_CAUSES: dict[str, set[str]] = {
    # teigold counts the words of a list inside <signed> ("Root / Francis") as body words;
    # the model holds a signature as one signed block, written back without the list.
    "signature list": {"body", "notes", "persons"},
    # <p><list>...</list></p> and <p/>: a paragraph with no words of its own is no block.
    "empty paragraph": {"paragraphs"},
    # What FRUS prints after an attachment (an addressee, a postscript) the reader gives to
    # the attachment; its parent's fields are unchanged, the attachment's gain it.
    "trailed attachment": {"body", "paragraphs", "notes", "persons", "signed"},
}
EMPTY_P = ("boolean(.//t:p[not(text()[normalize-space()]) and "
           "not(*[not(self::t:list or self::t:table or self::t:quote or self::t:pb)])])")


def _known_causes(el: etree._Element) -> set[str]:
    ns = _teigold().NS
    causes = set()
    if el.xpath("boolean(.//t:closer//t:list)", namespaces=ns):
        causes.add("signature list")
    if el.xpath(EMPTY_P, namespaces=ns):
        causes.add("empty paragraph")
    if etree.QName(el).localname == "attachment" and _trailed(el):
        causes.add("trailed attachment")
    return causes


def _unwrapped(att: etree._Element) -> etree._Element:
    inner = [c for c in att if isinstance(c.tag, str) and etree.QName(c).localname != "pb"]
    if len(inner) == 1 and etree.QName(inner[0]).localname == "div":
        return inner[0]
    return att


def _trailed(att: etree._Element) -> bool:
    """Whether FRUS printed something after this attachment that the reader gives to it (a postscript)."""
    for sib in att.itersiblings():
        name = etree.QName(sib).localname if isinstance(sib.tag, str) else "pb"
        if name == "attachment":
            return False
        if name != "pb":
            return True
    return False


_CACHE: dict[Path, RoundTrip] = {}


def round_trip(path: Path) -> RoundTrip:
    if path not in _CACHE:
        _CACHE[path] = RoundTrip(path)
    return _CACHE[path]


def _check(title: str, pairs: list[tuple[etree._Element, etree._Element]], rt: RoundTrip, raw: float) -> None:
    """At most 1% of documents differ in any field for no known cause, and at most `raw` for any cause."""
    misses, unexplained = rt.compare(pairs)
    n = len(pairs)
    print(f"\n{title}: {n}")
    for f in FIELDS:
        print(f"  {f:10s} {1 - len(misses[f]) / n:.4f}  ({len(misses[f])} differ, {len(unexplained[f])} unexplained)")
    for f in FIELDS:
        assert len(unexplained[f]) / n <= 0.01, (f, unexplained[f][:3])
        assert len(misses[f]) / n <= raw, (f, misses[f][:3])


@needs_volumes
@pytest.mark.parametrize("path", VOLUMES, ids=lambda p: p.stem)
def test_round_trip_documents(path: Path):
    rt = round_trip(path)
    assert len(rt.written_docs) == len(rt.original_docs)
    for o, w in zip(rt.original_docs, rt.written_docs):
        raw = o.get("{http://www.w3.org/XML/1998/namespace}id")
        assert raw is None or w.get("{http://www.w3.org/XML/1998/namespace}id").endswith(f"-{raw}")
    _check(f"{path.stem} documents", list(zip(rt.original_docs, rt.written_docs)), rt, raw=0.05)


@needs_volumes
@pytest.mark.parametrize("path", VOLUMES, ids=lambda p: p.stem)
def test_round_trip_enclosures(path: Path):
    rt = round_trip(path)
    assert len(rt.written_encs) == len(rt.original_encs)
    # raw differences are many where FRUS prints addressees after attachments (1861)
    _check(f"{path.stem} enclosures", list(zip(rt.original_encs, rt.written_encs)), rt, raw=1.0)


@needs_volumes
@pytest.mark.parametrize("path", VOLUMES, ids=lambda p: p.stem)
def test_written_edition_reads_back_to_the_same_model(path: Path):
    """Read, write, read: every field of every document and enclosure as it was the first time."""
    rt = round_trip(path)
    again = read_documents(rt.written, "written.xml")
    first = [d for doc in rt.docs for d in doc.all_documents()]
    second = [d for doc in again for d in doc.all_documents()]
    assert len(first) == len(second)
    differ: collections.Counter[str] = collections.Counter()
    for a, b in zip(first, second):
        for f in dataclasses.fields(Document):
            # the edition's list of persons is an index: despatch writes it only with an annotation index
            if f.name in ("enclosures", "source_file", "edition_index"):
                continue
            x, y = getattr(a, f.name), getattr(b, f.name)
            if x != y:
                differ[f.name] += 1
    assert not differ


@needs_volumes
@pytest.mark.parametrize("path", VOLUMES, ids=lambda p: p.stem)
def test_written_volume_is_well_formed(path: Path):
    written = round_trip(path).written
    # strict parsing: a repeated xml:id or any other error fails here
    root = etree.fromstring(written, etree.XMLParser(huge_tree=True))
    assert root.xpath("count(//*[local-name()='div'][@type='document'])") > 0


@needs_volumes
@pytest.mark.parametrize("path", VOLUMES, ids=lambda p: p.stem)
def test_volume_reads_fast_and_small(path: Path):
    """Peak memory of reading one whole volume in a fresh process, and documents a second."""
    # VmHWM, not ru_maxrss: Linux carries ru_maxrss over from the forking pytest process.
    script = (
        "import json, re, sys, time\n"
        "from despatch.readers.tei import read_documents\n"
        "data = open(sys.argv[1], 'rb').read()\n"
        "t = time.perf_counter(); docs = read_documents(data, sys.argv[1]); t = time.perf_counter() - t\n"
        "n = sum(len(d.all_documents()) for d in docs)\n"
        "peak = int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1))\n"
        "print(json.dumps({'docs': len(docs), 'all': n, 'seconds': t, 'rss_mb': peak / 1024}))\n"
    )
    out = subprocess.run([sys.executable, "-c", script, str(path)], capture_output=True, text=True, check=True)
    figures = json.loads(out.stdout)
    print(f"{path.stem}: {figures['docs']} documents ({figures['all']} with enclosures) in "
          f"{figures['seconds']:.2f}s = {figures['docs'] / figures['seconds']:.0f} docs/s, peak RSS {figures['rss_mb']:.0f} MB")
    assert figures["rss_mb"] < 300
    assert figures["docs"] / figures["seconds"] > 100
