"""The .docx reader: real Word footnotes, headings in bold, tables, tracked changes and hostile packages.

Small packages are built here from the raw XML (the parts Word and pandoc
write), filled with lines from the FRUS documents of the benchmark; the last
tests read real files of the dev set and hold the result to its gold.
"""
from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from pathlib import Path

import docx as python_docx
import pytest

from despatch.errors import InputError
from despatch.model import Document
from despatch.parse.markers import token
from despatch.readers import docx, read_bytes

SHARED = Path(__file__).resolve().parents[2] / ".." / "shared"
DEV = SHARED / "eval" / "dev"

NS = ('xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" '
      'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"')
REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
SEPARATORS = ('<w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>'
              '<w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p>'
              '</w:footnote>')

# From frus1918Russiav03-d116 and frus1925v02-d53 of the dev set.
HEAD = "The Acting Secretary of State to the Consul at Archangel (Cole)"
DATELINE = "Washington, December 6, 1918, 9 p.m."
SOOKINE = ("The fundamental principles of this issue are in harmony with the plans of the Embassy outlined in a "
           "memorandum presented to the Federal Government in August, copy of which has been given Sookine.")
AFTER = (" The need for this issue will in the opinion of the Government of the United States, exist until after "
         "official recognition of a government in Russia.")
SOOKINE_NOTE = ("John Sookine, formerly secretary attached to the Russian Embassy at Washington, was at this period "
                "connected with the Kolchak government at Omsk.")
HEAD_NOTE = "The same, on the same date, to the diplomatic representatives in Great Britain (No. 3289, for Sheldon)."


# --- building packages -------------------------------------------------------


def run(text: str, bold: bool = False) -> str:
    props = "<w:rPr><w:b/></w:rPr>" if bold else ""
    return f'<w:r>{props}<w:t xml:space="preserve">{text}</w:t></w:r>'


def ref(note_id: int, kind: str = "footnote") -> str:
    return f'<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr><w:{kind}Reference w:id="{note_id}"/></w:r>'


def para(*content: str, style: str = "BodyText") -> str:
    return f'<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr>{"".join(content)}</w:p>'


def note(note_id: int, *paragraphs: str, kind: str = "footnote") -> str:
    """A footnote as pandoc writes it: the reference mark, a space, then the text."""
    mark = f"<w:r><w:{kind}Ref/></w:r>"
    first, *rest = paragraphs
    body = para(mark + run(" ") + run(first), style="FootnoteText") + "".join(para(run(p)) for p in rest)
    return f'<w:{kind} w:id="{note_id}">{body}</w:{kind}>'


def package(body: str, footnotes: str | None = None, endnotes: str | None = None, styles: str | None = None,
            numbering: str | None = None) -> bytes:
    """A .docx holding `body`; the other parts only when given, each with its relationship and content type."""
    parts = {"word/document.xml": f"<w:document {NS}><w:body>{body}<w:sectPr/></w:body></w:document>"}
    rels: list[str] = []
    overrides = [('<Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-'
                  'officedocument.wordprocessingml.document.main+xml"/>')]
    for name, root, content in (("footnotes", "footnotes", footnotes), ("endnotes", "endnotes", endnotes),
                                ("styles", "styles", styles), ("numbering", "numbering", numbering)):
        if content is None:
            continue
        extra = SEPARATORS.replace("footnote", name[:-1]) if name in ("footnotes", "endnotes") else ""
        parts[f"word/{name}.xml"] = f"<w:{root} {NS}>{extra}{content}</w:{root}>"
        rels.append(f'<Relationship Id="rId{len(rels) + 1}" Type="{REL}/{name}" Target="{name}.xml"/>')
        overrides.append(f'<Override PartName="/word/{name}.xml" ContentType="application/vnd.openxmlformats-'
                         f'officedocument.wordprocessingml.{name}+xml"/>')
    parts["word/_rels/document.xml.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        + "".join(rels) + "</Relationships>")
    parts["_rels/.rels"] = (
        '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>')
    parts["[Content_Types].xml"] = (
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>' + "".join(overrides) + "</Types>")
    return zip_of(parts)


def zip_of(parts: Mapping[str, str | bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as z:
        for name, content in parts.items():
            z.writestr(name, content.encode("utf-8") if isinstance(content, str) else content)
    return out.getvalue()


def telegram(body_paragraph: str, footnotes: str) -> bytes:
    """frus1918Russiav03-d116's front, one body paragraph, its signature."""
    body = (para(run("File No. 861.51/498a"), style="FirstParagraph") + para(run("[Telegram]"))
            + para(run(HEAD, bold=True), ref(20)) + para(run(DATELINE)) + body_paragraph + para(run("Polk")))
    return package(body, footnotes=footnotes)


def only_document(data: bytes) -> Document:
    docs = read_bytes(data, "d116.docx")
    assert len(docs) == 1
    return docs[0]


# --- footnotes ----------------------------------------------------------------


def test_footnote_marker_stands_at_its_reference():
    data = telegram(para(run(SOOKINE), ref(21), run(AFTER)), note(20, HEAD_NOTE) + note(21, SOOKINE_NOTE))
    [draft] = docx.read_drafts(data, "d116.docx")
    assert draft.lines[4] == SOOKINE + token("2") + AFTER
    doc = only_document(data)
    sookine = next(n for n in doc.footnotes if n.text == SOOKINE_NOTE)
    assert sookine.n == "2"
    assert sookine.anchor is not None
    assert (sookine.anchor.part, sookine.anchor.block) == ("body", 0)
    assert sookine.anchor.offset == len(SOOKINE)
    assert doc.body[0].text[: sookine.anchor.offset].endswith("given Sookine.")


def test_notes_are_numbered_in_order_of_reference_not_by_id():
    # Word's ids say nothing about the printed numbers: here the later id is referenced first.
    text = para(run("Following from Keeley:"), ref(7), run(" Proclamation issued."), ref(3))
    data = telegram(text, note(20, HEAD_NOTE) + note(3, "Not printed.") + note(7, "Ibid., p. 705."))
    [draft] = docx.read_drafts(data, "d116.docx")
    assert {k: (n.n, n.text) for k, n in draft.notes.items()} == {
        "1": ("1", HEAD_NOTE), "2": ("2", "Ibid., p. 705."), "3": ("3", "Not printed.")}
    assert draft.lines[4] == f"Following from Keeley:{token('2')} Proclamation issued.{token('3')}"


def test_note_text_joins_its_paragraphs_without_the_reference_mark():
    footnotes = note(20, HEAD_NOTE) + note(21, "John Sookine, formerly secretary attached to the Russian Embassy",
                                           "at Washington, was at this period connected with the Kolchak government "
                                           "at Omsk.")
    [draft] = docx.read_drafts(telegram(para(run(SOOKINE), ref(21)), footnotes), "d116.docx")
    assert draft.notes["2"].text == SOOKINE_NOTE


def test_original_note_label_is_detected():
    footnotes = note(20, HEAD_NOTE) + note(21, "[Orig. Note] Lt. Gen. Montagu Brocas Burrows, head of the British "
                                               "Supply Mission in the Soviet Union.")
    [draft] = docx.read_drafts(telegram(para(run("General Burrows"), ref(21), run(" called.")), footnotes), "x")
    assert draft.notes["2"].original is True
    assert draft.notes["2"].text == "Lt. Gen. Montagu Brocas Burrows, head of the British Supply Mission in the Soviet Union."
    assert draft.notes["1"].original is False


def test_endnotes_are_read_like_footnotes():
    body = para(run(HEAD, bold=True)) + para(run(DATELINE)) + para(run(SOOKINE), ref(5, "endnote"), run(AFTER))
    [draft] = docx.read_drafts(package(body, endnotes=note(5, SOOKINE_NOTE, kind="endnote")), "x")
    [(key, found)] = draft.notes.items()
    assert (found.n, found.text) == ("1", SOOKINE_NOTE)
    assert draft.lines[2] == SOOKINE + token(key) + AFTER


def test_reference_to_a_missing_note_leaves_no_marker():
    [draft] = docx.read_drafts(telegram(para(run(SOOKINE), ref(99)), note(20, HEAD_NOTE)), "x")
    assert draft.lines[4] == SOOKINE
    assert list(draft.notes) == ["1"]


def test_custom_mark_is_the_printed_number_and_takes_none_of_the_sequence():
    custom = ('<w:r><w:rPr><w:rStyle w:val="FootnoteReference"/></w:rPr>'
              '<w:footnoteReference w:customMarkFollows="1" w:id="22"/><w:t>*</w:t></w:r>')
    text = para(run("General Burrows"), custom, run(" and General Walsh"), ref(21), run(" called."))
    footnotes = note(20, HEAD_NOTE) + note(21, "Maj. Gen. Robert LeGrow Walsh.") + note(22, "Lt. Gen. Burrows.")
    [draft] = docx.read_drafts(telegram(text, footnotes), "x")
    starred = next(n for n in draft.notes.values() if n.text == "Lt. Gen. Burrows.")
    walsh = next(n for n in draft.notes.values() if n.text == "Maj. Gen. Robert LeGrow Walsh.")
    assert (starred.n, walsh.n) == ("*", "2")
    assert "*" not in draft.lines[4]


def test_strict_open_xml_is_read_too():
    strict = 'xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"'
    data = zip_of({"word/document.xml": f"<w:document {strict}><w:body>{para(run(HEAD, bold=True))}"
                                        f"{para(run(DATELINE))}</w:body></w:document>"})
    [draft] = docx.read_drafts(data, "x.docx")
    assert (draft.lines, draft.head_index) == ([HEAD, DATELINE], 0)


# --- headings -----------------------------------------------------------------


def test_bold_paragraph_is_the_heading():
    data = telegram(para(run(SOOKINE)), note(20, HEAD_NOTE))
    [draft] = docx.read_drafts(data, "x")
    assert draft.head_index == 2
    doc = only_document(data)
    assert doc.head.text == HEAD
    assert [p.office for p in doc.senders] == ["Acting Secretary of State"]
    assert [p.name for p in doc.recipients] == ["Cole"]
    assert doc.date is not None and doc.date.when == "1918-12-06T21:00:00"
    assert [n.text for n in doc.source_notes] == ["File No. 861.51/498a", "[Telegram]"]


def test_without_bold_the_heading_is_left_to_the_wording():
    body = para(run("File No. 861.51/498a")) + para(run(HEAD)) + para(run(DATELINE)) + para(run(SOOKINE))
    [draft] = docx.read_drafts(package(body), "x")
    assert draft.head_index is None
    assert read_bytes(package(body), "x.docx")[0].head.text == HEAD


def test_bold_word_in_a_paragraph_does_not_make_a_heading():
    body = (para(run(HEAD)) + para(run(DATELINE))
            + para(run("Your 33, July 21, 11 a.m. "), run("Not", bold=True), run(" printed.")))
    assert docx.read_drafts(package(body), "x")[0].head_index is None


def test_document_all_in_bold_says_nothing_about_its_heading():
    body = "".join(para(run(t, bold=True)) for t in ("File No. 861.51/498a", HEAD, DATELINE, SOOKINE))
    assert docx.read_drafts(package(body), "x")[0].head_index is None


def test_bold_line_that_reads_as_heading_wins_over_an_earlier_one():
    lines = ["Strictly Confidential", "Mr. Conger to Mr. Hay.",
             "Legation of the United States, Peking, China, November 2, 1900.", "Sir: I have the honor to report."]
    assert docx.head_index(lines, [True, True, False, False]) == 1
    assert docx.head_index(lines, [True, False, False, False]) == 0


def test_bold_from_the_style_sheet_counts():
    styles = ('<w:style w:type="paragraph" w:styleId="Strong"><w:name w:val="Strong Para"/>'
              '<w:rPr><w:b/></w:rPr></w:style>'
              '<w:style w:type="paragraph" w:styleId="Heading"><w:name w:val="Strong Heading"/>'
              '<w:basedOn w:val="Strong"/></w:style>')
    body = para(run("File No. 861.51/498a")) + para(run(HEAD), style="Heading") + para(run(DATELINE))
    assert docx.read_drafts(package(body, styles=styles), "x")[0].head_index == 1


def test_python_docx_heading_style_table_and_bold_run():
    document = python_docx.Document()
    document.add_paragraph("702.2211/57: Telegram")
    document.add_heading("The Secretary of State to the Chargé in Ecuador (De Lambert)", level=2)
    document.add_paragraph("Washington, July 28, 1925—2 p.m.")
    table = document.add_table(rows=2, cols=3)
    for r, row in enumerate([("Sucres", "1,000", "Quito"), ("Dollars", "500", "Guayaquil")]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    document.add_paragraph().add_run("Kellogg").bold = True
    out = io.BytesIO()
    document.save(out)
    [draft] = docx.read_drafts(out.getvalue(), "x.docx")
    assert draft.lines == ["702.2211/57: Telegram", "The Secretary of State to the Chargé in Ecuador (De Lambert)",
                           "Washington, July 28, 1925—2 p.m.", "Sucres 1,000 Quito", "Dollars 500 Guayaquil",
                           "Kellogg"]
    assert draft.head_index == 1


# --- text ---------------------------------------------------------------------


def test_table_rows_are_lines_with_every_word():
    cell = '<w:tc><w:tcPr><w:tcW w:w="0" w:type="auto"/></w:tcPr>{}</w:tc>'
    table = ("<w:tbl><w:tblPr/><w:tblGrid><w:gridCol/><w:gridCol/></w:tblGrid>"
             + "<w:tr>" + cell.format(para(run("Treaty Series No. 744"))) + cell.format(para(run("[seal]"))) + "</w:tr>"
             + "<w:tr>" + cell.format(para(run("Frank B.")) + para(run("Kellogg")))
             + cell.format(para(run("Austen Chamberlain"))) + "</w:tr></w:tbl>")
    lines = docx.read_drafts(package(para(run(HEAD)) + table), "x")[0].lines
    assert lines == [HEAD, "Treaty Series No. 744 [seal]", "Frank B. Kellogg Austen Chamberlain"]


def test_tracked_changes_read_as_accepted():
    body = para(
        run("The British Chargé d’Affaires has the honour to refer to the Department’s memorandum "),
        '<w:del w:id="1" w:author="E"><w:r><w:delText>of October 20 </w:delText></w:r>',
        '<w:r><w:tab/><w:footnoteReference w:id="20"/></w:r></w:del>',
        '<w:ins w:id="2" w:author="E"><w:r><w:t xml:space="preserve">of October 22 [21] </w:t></w:r></w:ins>',
        run("with regard to the proposals."))
    [draft] = docx.read_drafts(package(body, footnotes=note(20, HEAD_NOTE)), "x")
    assert draft.notes == {}
    assert draft.lines == [("The British Chargé d’Affaires has the honour to refer to the Department’s memorandum "
                            "of October 22 [21] with regard to the proposals.")]


def test_paragraph_whose_mark_was_deleted_runs_on():
    deleted_mark = '<w:p><w:pPr><w:rPr><w:del w:id="3" w:author="E"/></w:rPr></w:pPr>' + run("Undesirable") + "</w:p>"
    body = deleted_mark + para(run(" interpreters must be discharged in Japan."))
    assert docx.read_drafts(package(body), "x")[0].lines == ["Undesirable interpreters must be discharged in Japan."]


def test_no_markup_debris_leaks_into_the_text():
    body = para(
        '<w:bookmarkStart w:id="0" w:name="_GoBack"/>', run("Three months required complete "),
        '<w:proofErr w:type="spellStart"/>', run("[locomotive]"), '<w:proofErr w:type="spellEnd"/>',
        '<w:bookmarkEnd w:id="0"/>', run(" shops"),
        # a field whose code holds another field: only the outer result is printed
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText> IF </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="begin"/></w:r><w:r><w:instrText>MERGEFIELD x</w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run("Caldwell"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:r><w:instrText> = "y" "and" </w:instrText></w:r>',
        '<w:r><w:fldChar w:fldCharType="separate"/></w:r>', run(" and"), '<w:r><w:fldChar w:fldCharType="end"/></w:r>',
        '<w:r><w:tab/><w:t>work</w:t><w:br/><w:t>stopped\u00a0awaiting</w:t></w:r>',
        run(" Jaspe dredg\u00ading."),
        '<w:r><w:rPr><w:vanish/></w:rPr><w:t>hidden comment</w:t></w:r>',
        '<w:commentRangeStart w:id="1"/><w:commentRangeEnd w:id="1"/>')
    [draft] = docx.read_drafts(package(body), "x")
    assert draft.lines == ["Three months required complete [locomotive] shops and work stopped awaiting Jaspe dredging."]


def test_field_left_open_does_not_hide_what_follows():
    body = (para(run("Harbin, April 10, 1918"), '<w:r><w:fldChar w:fldCharType="begin"/></w:r>',
                 '<w:r><w:instrText>DATE</w:instrText></w:r>')
            + para(run("After a month exasperating unnecessary delays.")))
    lines = docx.read_drafts(package(body), "x")[0].lines
    assert lines == ["Harbin, April 10, 1918", "After a month exasperating unnecessary delays."]


def test_empty_paragraphs_are_empty_lines():
    body = para(run(HEAD, bold=True)) + "<w:p/>" + para(run(DATELINE)) + para(run("   "))
    assert docx.read_drafts(package(body), "x")[0].lines == [HEAD, "", DATELINE, ""]


def test_numbered_paragraphs_keep_their_printed_labels():
    numbering = ('<w:abstractNum w:abstractNumId="7"><w:lvl w:ilvl="0"><w:start w:val="1"/>'
                 '<w:numFmt w:val="lowerLetter"/><w:lvlText w:val="(%1)"/></w:lvl></w:abstractNum>'
                 '<w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num>')
    item = '<w:p><w:pPr><w:numPr><w:ilvl w:val="0"/><w:numId w:val="3"/></w:numPr></w:pPr>{}</w:p>'
    body = (para(run("Article XI")) + item.format(run("Manufacturers, merchants, and traders."))
            + item.format(run("A commercial traveler may sell his samples.")))
    lines = docx.read_drafts(package(body, numbering=numbering), "x")[0].lines
    assert lines == ["Article XI", "(a) Manufacturers, merchants, and traders.",
                     "(b) A commercial traveler may sell his samples."]


# --- several documents ----------------------------------------------------------


def test_several_documents_each_keep_their_own_notes():
    body = (para(run("702.2211/57: Telegram"))
            + para(run("The Secretary of State to the Chargé in Ecuador (De Lambert)", bold=True))
            + para(run("Washington, July 28, 1925—2 p.m.")) + para(run("25. Your 33, July 21, 11 a.m."), ref(1))
            + para(run("Kellogg"))
            + para(run("Mr. Conger to Mr. Hay.", bold=True))
            + para(run("Legation of the United States, Peking, China, November 2, 1900."))
            + para(run("Sir: I have the honor to report that the foreign representatives are making some progress."),
                   ref(2))
            + para(run("E. H. Conger.")))
    footnotes = note(1, "Not printed.") + note(2, "See For. Rel. of the United States, 1896, pp. 57–59. (W. R.)")
    first, second = docx.read_drafts(package(body, footnotes=footnotes), "chapter.docx")
    assert first.lines[first.head_index or 0] == "The Secretary of State to the Chargé in Ecuador (De Lambert)"
    assert second.lines[second.head_index or 0] == "Mr. Conger to Mr. Hay."
    assert {k: n.text for k, n in first.notes.items()} == {"1": "Not printed."}
    assert {k: n.text for k, n in second.notes.items()} == {
        "2": "See For. Rel. of the United States, 1896, pp. 57–59. (W. R.)"}


def test_enclosure_heading_without_bold_does_not_start_a_document():
    body = (para(run("Mr. Rockhill to Mr. Hay.", bold=True)) + para(run("Peking, April 18, 1901."))
            + para(run("Sir: I have the honor to inclose a copy of the note."))
            + para(run("The Dean of the diplomatic corps to the Chinese plenipotentiaries."))
            + para(run("Peking, April 17, 1901.")) + para(run("The undersigned have the honor to state the terms."))
            + para(run("W. W. Rockhill.")))
    assert len(docx.read_drafts(package(body), "x")) == 1


# --- bad input ------------------------------------------------------------------


def test_broken_zip_is_an_input_error():
    data = telegram(para(run(SOOKINE)), note(20, HEAD_NOTE))
    with pytest.raises(InputError, match="broken or truncated zip") as err:
        docx.read_drafts(data[: len(data) // 2], "cut.docx")
    assert err.value.path == "cut.docx"
    assert "\n" not in str(err.value)


def test_zip_that_is_not_a_docx_is_an_input_error():
    with pytest.raises(InputError, match="not a Word document"):
        docx.read_drafts(zip_of({"content.xml": "<office:document/>", "mimetype": "text/plain"}), "x.docx")


def test_spreadsheet_in_the_main_part_is_not_a_word_document():
    data = zip_of({"word/document.xml": '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"/>'})
    with pytest.raises(InputError, match="not a Word document"):
        docx.read_drafts(data, "x.docx")


def test_malformed_xml_is_an_input_error():
    data = zip_of({"word/document.xml": f"<w:document {NS}><w:body><w:p><w:r><w:t>Peking</w:r></w:body>"})
    with pytest.raises(InputError, match=r"malformed XML in word/document\.xml"):
        docx.read_drafts(data, "x.docx")


def test_encrypted_docx_is_an_input_error():
    # Word saves a password-protected .docx inside an OLE compound file.
    ole = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(504)
    with pytest.raises(InputError, match="encrypted"):
        docx.read_drafts(ole, "secret.docx")


def test_empty_file_and_text_in_docx_clothing_are_input_errors():
    for data in (b"", b"Mr. Hay to Mr. Conger.\n"):
        with pytest.raises(InputError):
            read_bytes(data, "x.docx")


def test_part_too_large_is_refused(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(docx, "MAX_PART", 1000)
    data = package(para(run(SOOKINE)) * 20)
    with pytest.raises(InputError, match="too large"):
        docx.read_drafts(data, "bomb.docx")


def test_entities_are_never_expanded():
    laughs = ('<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY a "ha"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;">'
              '<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY file SYSTEM "file:///etc/passwd">]>'
              f'<w:document {NS}><w:body><w:p><w:r><w:t>Peking &c; &file;</w:t></w:r></w:p></w:body></w:document>')
    lines = docx.read_drafts(zip_of({"word/document.xml": laughs}), "x.docx")[0].lines
    assert lines == ["Peking"]


def test_damaged_bytes_never_escape_as_anything_but_input_error():
    data = telegram(para(run(SOOKINE), ref(21)), note(20, HEAD_NOTE) + note(21, SOOKINE_NOTE))
    refused = 0
    for at in range(0, len(data), max(1, len(data) // 200)):
        damaged = data[:at] + bytes([data[at] ^ 0x5A]) + data[at + 1:]
        try:
            docx.read_drafts(damaged, "x.docx")  # any other exception fails the test
        except InputError as err:
            refused += 1
            assert err.path == "x.docx" and err.reason
    assert refused > 100


# --- real files of the dev set ----------------------------------------------------


def _gold(name: str) -> dict:
    with open(DEV / "gold.jsonl", encoding="utf-8") as f:
        for line in f:
            entry = json.loads(line)
            if entry["file"] == f"docx/{name}":
                [doc] = entry["docs"]
                return doc
    raise AssertionError(f"{name} not in gold.jsonl")


def _text_before(doc: Document, note_text: str) -> str:
    """The body's text before a note's anchor, spaces left out: the same whichever way words are split."""
    found = next(n for n in doc.footnotes if n.text == note_text)
    assert found.anchor is not None and found.anchor.part == "body"
    before = [b.text for b in doc.body[: found.anchor.block]] + [doc.body[found.anchor.block].text[: found.anchor.offset]]
    return "".join("".join(before).split())


def _gold_before(gold: dict, anchor: str) -> str:
    """The gold body's first K words for an anchor 'body:K', spaces left out."""
    return "".join(gold["body"].split()[: int(anchor.split(":")[1])])


def _party(parties: list) -> str:
    return "; ".join(p.name or p.office for p in parties)


@pytest.mark.parametrize("name", ["frus1925v02-d75.docx", "frus1934v05-d513.docx", "frus1934v05-d429.docx"])
def test_dev_files_match_the_gold(name: str):
    gold = _gold(name)
    [doc] = read_bytes((DEV / "docx" / name).read_bytes(), name)
    assert doc.source_format == "docx"
    assert doc.head.text == gold["head"]
    assert _party(doc.senders) == gold["from"]
    assert _party(doc.recipients) == gold["to"]
    assert doc.date is not None and doc.date.when == gold["date"]
    body_notes = [n for n in gold["notes"] if n["anchor"].startswith("body")]
    assert body_notes
    for gold_note in body_notes:
        assert _text_before(doc, gold_note["text"]) == _gold_before(gold, gold_note["anchor"])
