"""The model as JSON, its JSON Schema, and the way back.

A file holds `{"despatch": version, "schema": SCHEMA_ID, "documents": [...]}`,
each document with every field of `despatch.model.Document`: parties with
their offsets in the heading, blocks with their marks and mentions, notes with
their anchors, enclosures nested inside their parent. Serialising goes through
pydantic's `TypeAdapter`, whose Rust core walks the dataclasses directly (tens
of thousands of documents a second, far above what the writers need), and
the same adapter both generates the published schema and reads files back, so
the three cannot drift apart.
"""
from __future__ import annotations

import json
from functools import cache
from typing import Any, Final, Literal

from pydantic import TypeAdapter, ValidationError
from typing_extensions import TypedDict  # pydantic needs this TypedDict, not typing's, before Python 3.12

from despatch import __version__
from despatch.errors import InputError
from despatch.model import Document

# Names the shape of the file, not the package release: bump it when a change
# to the model would make older readers misread newer files.
SCHEMA_ID: Final = "urn:despatch:schema:document:1"
JSON_SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"


class Edition(TypedDict):
    """A despatch JSON file: the documents found in one raw file, in order."""

    despatch: str
    schema: Literal["urn:despatch:schema:document:1"]
    documents: list[Document]


@cache
def _adapter() -> TypeAdapter[Edition]:
    # Built on first use: generating the core schema costs ~50 ms, which a
    # TEI-only run should not pay.
    return TypeAdapter(Edition)


def to_json(docs: list[Document]) -> bytes:
    """The documents as one JSON file (UTF-8, indented for people who read it)."""
    edition: Edition = {"despatch": __version__, "schema": SCHEMA_ID, "documents": list(docs)}
    return _adapter().dump_json(edition, indent=2) + b"\n"


def from_json(data: bytes, path: str = "<json>") -> list[Document]:
    """The documents of a file `to_json` wrote; `path` names it in the `InputError` for anything else."""
    try:
        edition = _adapter().validate_json(data, strict=True)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = ".".join(str(p) for p in first["loc"]) or "top level"
        raise InputError(path, f"not a despatch JSON file: {where}: {first['msg']}") from None
    return edition["documents"]


def json_schema() -> dict[str, Any]:
    """The JSON Schema of what `to_json` writes, generated from the model."""
    schema = _adapter().json_schema(mode="serialization")
    # The writer always writes every field (None and [] included), so a
    # consumer may rely on each property being there; pydantic marks only
    # fields without defaults as required.
    for definition in [schema, *schema.get("$defs", {}).values()]:
        if "properties" in definition:
            definition["required"] = list(definition["properties"])
    return {
        "$schema": JSON_SCHEMA_DIALECT,
        "$id": SCHEMA_ID,
        **schema,
        "title": "despatch documents",
    }


def json_schema_text() -> str:
    """The schema as committed in `despatch/schema/document.schema.json` and printed by `despatch schema`."""
    return json.dumps(json_schema(), indent=2, ensure_ascii=False) + "\n"
