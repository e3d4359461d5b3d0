"""Bad input: each bad file costs one line on stderr and no output; the batch goes on.

Files in odd but legitimate encodings (cp1252, Latin-1, UTF-8 with BOM,
CRLF line ends, UTF-16 with BOM) are not bad: they convert, with the right
text. The property test holds the readers to their contract for any bytes
at all: documents or `InputError`, nothing else.
"""
from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

from conftest import EXAMPLE, Run, despatch_process
from despatch.errors import InputError
from despatch.readers import read_bytes

TEI = "{http://www.tei-c.org/ns/1.0}"

# FRUS 1934, vol. V, document 153, as a typed transcription: curly apostrophes and dashes.
HABANA = """153.
611.3731/990: Telegram
The Chargé in Cuba (Matthews) to the Secretary of State
Habana, August 23, 1934—8 p.m. [Received 8:13 p.m.]

443. Department’s telegram No. 175, August 23, 11 a.m. [noon].[1] Cuban authorities do not concur in changes listed in paragraphs 1, 2, 3, 4, 6, 8, 9, and 10, and state that these changes will not therefore appear in the decree law.

The President now proposes to sign the decree law tomorrow morning at 10:30. However, it will be physically impossible to publish the decree law in the Official Gazette before Saturday at the earliest. No decree law is binding until published in the Official Gazette.

Matthews

Footnotes

[1] Not printed; it conveyed proposed changes in the Spanish nomenclature or schedule I (611.3731/986c).
"""
# FRUS 1925, vol. II, document 479: only Latin-1 letters, so it can be saved as ISO 8859-1.
TIGERINO = """479.
817.1051/74
Memorandum by the Secretary of State of a Conversation With the Nicaraguan Chargé (Tigerino), May 28, 1925

The Chargé stated that Nicaragua had passed the law for the establishment of a constabulary and asked us to give them the names of American officers who would act as instructors. I informed him that we had asked the Department of the Navy to give us the names of their officers.
"""


def _png() -> bytes:
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", 1, 1, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\xff\x00\x00"))
            + chunk(b"IEND", b""))


def _docx() -> bytes:
    """A minimal real .docx holding the Habana telegram, one paragraph per line."""
    w = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    paras = "".join(f'<w:p><w:r><w:t xml:space="preserve">{line}</w:t></w:r></w:p>'
                    for line in HABANA.replace("&", "&amp;").split("\n"))
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml",
                   '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
                   'content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.'
                   'relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/'
                   'word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.'
                   'document.main+xml"/></Types>')
        z.writestr("_rels/.rels",
                   '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/'
                   'package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/'
                   'officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>')
        z.writestr("word/document.xml", f'<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{w}"><w:body>'
                   f"{paras}</w:body></w:document>")
    return buf.getvalue()


def _not_docx_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        z.writestr("readme.txt", "An archive, not a Word document.")
    return buf.getvalue()


whole_docx = _docx()
BAD: dict[str, bytes] = {
    "empty.txt": b"",
    "whitespace.txt": b"  \n\t\n   \n",
    "junk.txt": bytes(range(256)) * 8 + bytes((k * 37) % 256 for k in range(3000)),
    "truncated.docx": whole_docx[: len(whole_docx) // 2],
    "archive.docx": _not_docx_zip(),
    "malformed.xml": b'<?xml version="1.0"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div type="document">'
                     b"<head>Mr. Hay to Mr. Conger</head><p>unclosed",
    "nodoc.txt": b"\n\n \n",
    "picture.txt": _png(),
}
GOOD: dict[str, bytes] = {
    "cp1252.txt": HABANA.encode("cp1252"),
    "latin1.txt": TIGERINO.encode("latin-1"),
    "utf8-bom.txt": b"\xef\xbb\xbf" + HABANA.encode("utf-8"),
    "crlf.txt": HABANA.replace("\n", "\r\n").encode("utf-8"),
    "utf16.txt": HABANA.encode("utf-16"),  # Python writes the BOM
    "word.docx": whole_docx,
}


@dataclass
class Batch:
    src: Path
    out: Path
    run: Run


@pytest.fixture(scope="module")
def batch(tmp_path_factory: pytest.TempPathFactory) -> Batch:
    """One `despatch convert` over a folder of every bad and every good file, through the real entry point."""
    src = tmp_path_factory.mktemp("in")
    out = tmp_path_factory.mktemp("out")
    for name, data in {**BAD, **GOOD}.items():
        (src / name).write_bytes(data)
    (src / "example.txt").write_bytes(EXAMPLE.read_bytes())
    return Batch(src, out, despatch_process("convert", src, "--out", out, "--to", "tei,json"))


def test_batch_fails_but_goes_on(batch: Batch) -> None:
    out, run = batch.out, batch.run
    assert run.code == 1
    assert "Traceback" not in run.stderr
    assert f"failures         {len(BAD)}" in run.stderr
    assert sorted(p.name for p in out.iterdir()) == sorted(
        f"{Path(n).stem}{ext}" for n in [*GOOD, "example.txt"] for ext in (".json", ".xml"))


@pytest.mark.parametrize("name", sorted(BAD))
def test_bad_file_is_one_line_with_its_reason(batch: Batch, name: str) -> None:
    src, out, run = batch.src, batch.out, batch.run
    lines = [line for line in run.stderr.splitlines() if line.startswith(f"{src / name}:")]
    assert len(lines) == 1, run.stderr
    reason = lines[0].removeprefix(f"{src / name}:").strip()
    assert reason and "internal error" not in reason
    assert not list(out.glob(Path(name).stem + ".*"))


def test_no_temporary_file_left(batch: Batch) -> None:
    out = batch.out
    assert not [p for p in out.rglob("*") if p.name.startswith(".") or p.suffix == ".tmp"]


@pytest.mark.parametrize("name", ["empty.txt", "whitespace.txt", "nodoc.txt"])
def test_empty_files_say_so(batch: Batch, name: str) -> None:
    src, run = batch.src, batch.run
    assert f"{src / name}: empty file" in run.stderr.splitlines()


@pytest.mark.parametrize("name", ["junk.txt", "picture.txt"])
def test_binary_files_say_so(batch: Batch, name: str) -> None:
    src, run = batch.src, batch.run
    assert f"{src / name}: binary file, not text" in run.stderr.splitlines()


def _tei_text(path: Path) -> str:
    root = etree.parse(str(path)).getroot()
    return "".join(root.find(f".//{TEI}body").itertext())


@pytest.mark.parametrize("name", ["cp1252.txt", "utf8-bom.txt", "crlf.txt", "utf16.txt"])
def test_encodings_give_the_right_text(batch: Batch, name: str) -> None:
    out = batch.out
    tei = out / (Path(name).stem + ".xml")
    text = _tei_text(tei)
    assert "Department’s telegram No. 175" in text
    assert "Habana, August 23, 1934—8 p.m." in text
    assert "The Chargé in Cuba (Matthews)" in text
    assert "\ufeff" not in text and "\r" not in text and "â€" not in text
    root = etree.parse(str(tei)).getroot()
    assert root.find(f".//{TEI}persName[@type='from']").text == "Matthews"
    assert root.find(f".//{TEI}dateline/{TEI}date").get("when").startswith("1934-08-23")


def test_latin1_gives_the_right_text(batch: Batch) -> None:
    out = batch.out
    text = _tei_text(out / "latin1.xml")
    assert "Memorandum by the Secretary of State of a Conversation With the Nicaraguan Chargé (Tigerino)" in text
    assert "The Chargé stated" in text


# Pieces of the raw forms, so that generated input reaches past the decoder into the parsers.
FRAGMENTS = [
    "[bookmark: _ftn_GoBack0][1]", "[bookmark: _ftn0][1] ", "[1]", "(2)", "³", "[Orig. Note] ", "63", "\n", "\n\n",
    "_________________________________\n", "Notes\n", "Footnotes\n", "---\n", "1. Not printed.\n", "170.\n",
    "[Telegram]\n", "File No. 861.51/148\n", "The Ambassador in the Soviet Union (Harriman) to President Roosevelt",
    "Mr. Rockhill to Mr. Hay.\n", "Moscow, 11 June 1944\n", "Peking, August 8, 1901.\n",
    "Washington, May 29, 1925—5 p.m. [Received 8:13 p.m.]\n", "[Sic]", "[on June 4]", "[. . .]", "Sir: ", "Kellogg\n",
    "[Inclosure 1.—Translation.]\n", "I have the honor to be, sir, your obedient servant,\n", "W. W. Rockhill.\n",
    "Personal for the President.", "   ", "\t", "\r\n", "\ufeff", "é", "’", "—", "\x00", "\x0c",
]
# And of TEI, which any file starting "<?xml" or "<TEI" is read as, whatever its name.
TEI_FRAGMENTS = [
    '<?xml version="1.0" encoding="UTF-8"?>', '<TEI xmlns="http://www.tei-c.org/ns/1.0">', "</TEI>", "<text><body>",
    "</body></text>", '<div type="document" xml:id="d1" n="1">', "</div>", "<head>", "</head>",
    '<persName type="from">Harriman</persName>', '<gloss type="to">the Secretary of State</gloss>',
    "<dateline>", "</dateline>", "<placeName>Moscow</placeName>", '<date when="1944-06-11">11 June 1944</date>',
    '<note type="source">File No. 861.51/148</note>', '<note n="1">', "</note>", "<p>", "</p>", "<closer>",
    "</closer>", "<signed>Kellogg</signed>", '<frus:attachment xmlns:frus="http://history.state.gov/frus/ns/1.0">',
    "</frus:attachment>", "<list><item>", "</item></list>", "<lb/>", "<pb n='2'/>", "Sir:", " ", "&amp;", "&bogus;",
]
raw = st.one_of(
    st.binary(max_size=2000),
    st.lists(st.sampled_from(TEI_FRAGMENTS), max_size=60).map(lambda parts: "".join(parts).encode("utf-8")),
    st.text(max_size=2000).map(lambda s: s.encode("utf-8")),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(lambda parts: "".join(parts).encode("utf-8")),
    st.lists(st.sampled_from(FRAGMENTS), max_size=60).map(lambda parts: "".join(parts).encode("utf-16")),
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(raw)
def test_any_bytes_give_documents_or_input_error(data: bytes) -> None:
    try:
        docs = read_bytes(data, "x.txt")
    except InputError as exc:
        assert exc.path == "x.txt" and exc.reason
        return
    assert docs and all(d.source_file == "x.txt" for d in docs)
