"""The JSON writer, its published schema and the reader back.

The committed schema (src/despatch/schema/document.schema.json) must equal
the one generated from the model; after a change to the model, regenerate it
with `DESPATCH_UPDATE_GOLDEN=1 pytest tests/test_json.py` (or
`despatch schema > src/despatch/schema/document.schema.json`) and commit it.
"""
from __future__ import annotations

import dataclasses
import json
import os

import jsonschema
import pytest

from conftest import ROOT, despatch
from despatch import __version__
from despatch.errors import InputError
from despatch.model import Anchor, Block, DocDate, Document, EditorialMark, Mention, Note, Party
from despatch.writers.json import SCHEMA_ID, from_json, json_schema, json_schema_text, to_json

SCHEMA_FILE = ROOT / "src" / "despatch" / "schema" / "document.schema.json"


def _rich_document() -> Document:
    """A document using every part of the model: an enclosure, marks, mentions, anchored and unanchored notes."""
    body = Block("In despatch[Sic] 563, June 12, 1944, Maxwell M. Hamilton enclosed clippings.",
                 marks=[EditorialMark("sic", 11, 16, "[Sic]")],
                 mentions=[Mention("person", 38, 56, "Maxwell M. Hamilton", ref="hamilton-maxwell-m",
                                   value="Hamilton, Maxwell M.", why="name in the volume's index"),
                           Mention("date", 22, 36, "June 12, 1944", value="1944-06-12", precision="day")])
    enclosure = Document(id="d170-enc1", label="[Inclosure 1.—Translation.]",
                         head=Block("Prince Ch’ing to Mr. Rockhill", kind="label"),
                         body=[Block("I have the honor to acknowledge the receipt of your note.")],
                         closer=[Block("[Seal of the Foreign Office.]", kind="line")])
    return Document(
        id="d170", number="170", head=Block("Mr. Rockhill to Mr. Hay.", kind="label"),
        senders=[Party("Mr. Rockhill", name="Rockhill", office=None, start=4, end=12)],
        recipients=[Party("Mr. Hay", name="Hay", start=16, end=19)],
        dateline=Block("Peking, August 8, 1901.", kind="line"), place="Peking",
        date=DocDate("August 8, 1901", when="1901-08-08", precision="day"),
        received=DocDate("[Received 9 p.m.]", when="1901-08-08T21:00", precision="minute"),
        channel="despatch", classification=["Confidential"], file_numbers=["893.00/1234"],
        body=[body], closer=[Block("W. W. Rockhill.", kind="signed")],
        notes=[Note("File No. 893.00/1234.", kind="source"),
               Note("Not printed.", n="1", kind="citation", anchor=Anchor("body", 0, 16), original=True,
                    running_n="64")],
        enclosures=[enclosure], source_file="in/plain/d170.txt", source_format="plain",
        warnings=["dateline read from the second line"],
    )


def _field_names(cls: type) -> list[str]:
    return [f.name for f in dataclasses.fields(cls)]


def test_schema_committed_equals_generated() -> None:
    generated = json_schema_text()
    if os.environ.get("DESPATCH_UPDATE_GOLDEN") == "1":
        SCHEMA_FILE.write_text(generated, encoding="utf-8")
    assert SCHEMA_FILE.read_text(encoding="utf-8") == generated, (
        "the model changed: regenerate the schema with DESPATCH_UPDATE_GOLDEN=1 (see this module's docstring)")


def test_schema_names_itself_and_every_model_field() -> None:
    schema = json_schema()
    assert schema["$id"] == SCHEMA_ID
    assert schema["properties"]["schema"]["const"] == SCHEMA_ID
    defs = schema["$defs"]
    for cls in (Document, Block, Note, Anchor, Party, DocDate, EditorialMark, Mention):
        assert list(defs[cls.__name__]["properties"]) == _field_names(cls)
        assert defs[cls.__name__]["required"] == _field_names(cls)


def test_schema_command_prints_the_schema() -> None:
    run = despatch("schema")
    assert run.code == 0
    assert run.stdout == json_schema_text()


def test_example_output_validates_against_committed_schema(example_docs: list[Document]) -> None:
    schema = json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))
    jsonschema.Draft202012Validator.check_schema(schema)
    jsonschema.validate(json.loads(to_json(example_docs)), schema, cls=jsonschema.Draft202012Validator)


def test_rich_document_validates_and_keeps_every_field() -> None:
    doc = _rich_document()
    data = json.loads(to_json([doc]))
    jsonschema.validate(data, json_schema(), cls=jsonschema.Draft202012Validator)
    assert data["despatch"] == __version__
    assert data["schema"] == SCHEMA_ID
    out = data["documents"][0]
    assert list(out) == _field_names(Document)
    assert out["senders"][0] == {"text": "Mr. Rockhill", "name": "Rockhill", "office": None, "start": 4, "end": 12}
    assert out["notes"][1]["anchor"] == {"part": "body", "block": 0, "offset": 16}
    assert out["notes"][1]["running_n"] == "64" and out["notes"][1]["original"] is True
    assert out["body"][0]["marks"] == [{"kind": "sic", "start": 11, "end": 16, "text": "[Sic]"}]
    assert out["body"][0]["mentions"][0]["ref"] == "hamilton-maxwell-m"
    assert out["enclosures"][0]["label"] == "[Inclosure 1.—Translation.]"
    assert out["enclosures"][0]["head"]["text"] == "Prince Ch’ing to Mr. Rockhill"


def test_round_trip_is_identical(example_docs: list[Document]) -> None:
    first = to_json(example_docs)
    back = from_json(first)
    assert back == example_docs
    assert to_json(back) == first


def test_round_trip_of_nested_enclosures() -> None:
    doc = _rich_document()
    back = from_json(to_json([doc]))
    assert back == [doc]
    assert isinstance(back[0].enclosures[0], Document)
    assert back[0].notes[1].anchor == Anchor("body", 0, 16)


def test_output_is_utf8_not_escaped(example_docs: list[Document]) -> None:
    assert "“the sooner the better”".encode() in to_json(example_docs)


@pytest.mark.parametrize("data", [b"", b"not json", b"[]", b'{"despatch": "0.1.0", "schema": "other", "documents": []}',
                                  b'{"despatch": "0.1.0", "schema": "urn:despatch:schema:document:1", "documents": [{}]}'])
def test_from_json_refuses_other_files_with_input_error(data: bytes) -> None:
    with pytest.raises(InputError) as caught:
        from_json(data, "edition.json")
    assert str(caught.value).startswith("edition.json: not a despatch JSON file")
    assert "\n" not in str(caught.value)
