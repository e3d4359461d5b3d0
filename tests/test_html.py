"""The HTML writer: a standalone page whose note markers and notes link both ways, escaped everywhere."""
from __future__ import annotations

import copy
import re

from lxml import html as lxml_html

from conftest import despatch
from despatch.model import Anchor, Block, DocDate, Document, EditorialMark, Note, Party, Style
from despatch.writers.html import to_html


def _page(docs: list[Document]) -> lxml_html.HtmlElement:
    return lxml_html.fromstring(to_html(docs))


def _words(text: str) -> list[str]:
    return re.findall(r"\w+", text)


def _text(el: lxml_html.HtmlElement) -> str:
    """The text a reader sees in `el`, without the note markers' numbers."""
    el = copy.deepcopy(el)
    for sup in el.xpath(".//sup[@class='fnref']"):
        sup.drop_tree()
    return el.text_content()


def _hostile() -> Document:
    """A transcription that quotes markup, as a document about a web page or a careless paste might."""
    return Document(
        id='d1"><script>alert(1)</script>',
        head=Block("The <b>Consul</b> to the Secretary of State", kind="label"),
        body=[Block('He wrote <script>alert("x")</script> & left.'),
              Block("<img src=x onerror=alert(2)> was in the cable.")],
        closer=[Block("<i>Cole</i>", kind="signed")],
        notes=[Note("Printed as <script>document.write(1)</script>.", n="1", kind="citation", anchor=Anchor("body", 0, 9))],
        classification=["<Secret>"], file_numbers=["861.00/<1>"], source_file="in/<x>.txt",
    )


def _with_enclosure() -> Document:
    """Mr. Rockhill's despatch No. 115 with its enclosure, as FRUS 1901 prints it (abridged)."""
    enc_text = "I have the honor to acknowledge the receipt of your note, and have noted its contents."
    enclosure = Document(
        id="frus1901China-d170-enc1", label="[Inclosure 1.—Translation.]",
        head=Block("Prince Ch’ing to Mr. Rockhill.", kind="label"),
        body=[Block(enc_text)],
        notes=[Note("Not printed.", n="1", kind="citation", anchor=Anchor("body", 0, enc_text.index(",") + 1))],
    )
    body = ("Sir: In further reference to my No. 115, I have the honor to inclose herewith a copy of a note "
            "from Prince Ch’ing [in reply].")
    at = body.index("[in reply]")
    return Document(
        id="frus1901China-d170", number="170",
        head=Block("Mr. Rockhill to Mr. Hay.", kind="label"),
        senders=[Party("Mr. Rockhill", name="Rockhill", start=4, end=12)],
        recipients=[Party("Mr. Hay", name="Hay", start=20, end=23)],
        dateline=Block("Peking, August 8, 1901.", kind="line"), place="Peking",
        date=DocDate("August 8, 1901", when="1901-08-08", precision="day"), channel="despatch",
        file_numbers=["File No. 893.00/1234"],
        body=[Block(body, marks=[EditorialMark("insertion", at, at + len("[in reply]"), "[in reply]")],
                    styles=[Style(0, 4, "smallcaps")])],
        closer=[Block("W. W. Rockhill.", kind="signed")],
        notes=[Note("File No. 893.00/1234.", kind="source")],
        enclosures=[enclosure],
    )


def test_example_page_is_standalone_and_english(example_docs: list[Document]) -> None:
    page = _page(example_docs)
    assert page.get("lang") == "en"
    assert page.find(".//meta[@charset]").get("charset").lower() == "utf-8"
    assert "max-width: 42em" in page.findtext(".//style")
    assert not page.xpath("//link|//script|//@src")  # nothing fetched from elsewhere
    title = page.xpath("//h1")
    assert len(title) == 1 and title[0].text_content().startswith("The Ambassador in the Soviet Union (Harriman)")


def test_markers_link_to_notes_and_back(example_docs: list[Document]) -> None:
    page = _page(example_docs)
    ids = set(page.xpath("//@id"))
    markers = page.xpath("//sup[@class='fnref']/a")
    assert [m.text for m in markers] == ["63", "64", "65", "66"]
    for marker in markers:
        target = marker.get("href").removeprefix("#")
        assert target in ids and marker.get("id") in ids
        note = page.get_element_by_id(target)
        back = note.xpath(".//a[@role='doc-backlink']")
        assert len(back) == 1 and back[0].get("href") == "#" + marker.get("id")
    assert len(ids) == len(page.xpath("//@id"))  # no id twice


def test_markers_stand_at_their_anchors(example_docs: list[Document]) -> None:
    page = _page(example_docs)
    body = copy.deepcopy(page.xpath("//div[@class='body']/p")[0])
    for sup in body.xpath(".//sup[@class='fnref']"):
        sup.text, sup.tail = f"⟨{sup.text_content()}⟩", sup.tail
        for child in list(sup):
            sup.remove(child)
    text = body.text_content()
    assert re.findall("⟨\\d+⟩", text) == ["⟨64⟩", "⟨65⟩", "⟨66⟩"]
    for after, n in (("shuttle bombing.", 64), ("General Burrows", 65), ("General Walsh,", 66)):
        assert f"{after}⟨{n}⟩" in text


def test_every_body_word_on_the_page(example_docs: list[Document]) -> None:
    page = _page(example_docs)
    shown = [_text(p) for p in page.xpath("//div[@class='body']/p")]
    assert [_words(t) for t in shown] == [_words(b.text) for b in example_docs[0].body]
    assert shown == [b.text for b in example_docs[0].body]


def test_source_classification_channel_and_dateline_shown(example_docs: list[Document]) -> None:
    page = _page(example_docs)
    source = page.xpath("//p[@class='source']")
    assert len(source) == 1 and "Franklin D. Roosevelt Library" in source[0].text_content()
    meta = dict(zip((dt.text for dt in page.xpath("//dl[@class='meta']/dt")),
                    (dd.text for dd in page.xpath("//dl[@class='meta']/dd"))))
    assert meta["Channel"] == "telegram"
    assert meta["Classification"] == "Personal for the President"
    dateline = page.xpath("//p[@class='dateline']")[0]
    assert dateline.xpath(".//time/@datetime") == ["1944-06-11"]
    assert dateline.xpath(".//span[@class='place']")[0].text == "Moscow"


def test_markup_in_the_text_is_shown_as_text() -> None:
    raw = to_html([_hostile()]).decode()
    assert "<script" not in raw and "<img" not in raw and "<b>" not in raw and "<i>" not in raw
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in raw or "&lt;script&gt;alert(&quot;x&quot;)" in raw
    page = lxml_html.fromstring(raw)
    assert not page.xpath("//script|//img|//b")
    assert _text(page.xpath("//div[@class='body']/p")[0]) == 'He wrote <script>alert("x")</script> & left.'
    assert "<Secret>" in page.xpath("//dl[@class='meta']")[0].text_content()
    for value in page.xpath("//@id|//@href"):
        assert re.fullmatch(r"#?[A-Za-z0-9_.\-]+", value)


def test_enclosure_nested_with_its_own_notes() -> None:
    page = _page([_with_enclosure()])
    article = page.xpath("//article")[0]
    enclosures = article.xpath("./section[@class='enclosure']")
    assert len(enclosures) == 1
    enc = enclosures[0]
    assert enc.xpath("./header/p[@class='label']")[0].text == "[Inclosure 1.—Translation.]"
    assert enc.xpath("./header/h2")[0].text_content() == "Prince Ch’ing to Mr. Rockhill."
    # the enclosure's note is listed in the enclosure, reached from the enclosure's marker
    marker = enc.xpath(".//sup/a")[0]
    note = page.get_element_by_id(marker.get("href")[1:])
    assert note.xpath("ancestor::section[@class='enclosure']")
    assert article.xpath("./div[@class='closer']/p[@class='signed']")[0].text_content() == "W. W. Rockhill."
    mark = article.xpath("./div[@class='body']//span[contains(@class, 'mark-insertion')]")
    assert [m.text for m in mark] == ["[in reply]"]
    assert article.xpath("./div[@class='body']//span[@class='rend-smallcaps']")[0].text == "Sir:"
    assert article.xpath(".//span[@class='party party-from']")[0].text == "Rockhill"
    assert article.xpath(".//span[@class='party party-to']")[0].text == "Hay"


def test_several_documents_one_page_with_unique_ids(example_docs: list[Document]) -> None:
    page = _page([*example_docs, _with_enclosure()])
    assert len(page.xpath("//h1")) == 1
    assert len(page.xpath("//article/header/h2")) == 2
    ids = page.xpath("//@id")
    assert len(ids) == len(set(ids))
    for href in page.xpath("//a/@href"):
        assert href[1:] in ids


def test_convert_to_html_through_the_cli(tmp_path, example_docs: list[Document]) -> None:
    from conftest import EXAMPLE

    run = despatch("convert", EXAMPLE, "--out", tmp_path, "--to", "html")
    assert run.code == 0, run.stderr
    page = lxml_html.fromstring((tmp_path / "harriman-to-roosevelt-1944-06-11.html").read_bytes())
    assert len(page.xpath("//sup[@class='fnref']")) == 4
