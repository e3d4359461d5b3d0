"""Documents and index entries as the bytes a store keeps, and back, unchanged.

A stored document is the model as `despatch.writers.json` writes it (the same
pydantic serialisation of the same dataclasses, so `document(id)` gives back
exactly what was ingested), without the file envelope and indentation, and
compressed: a FRUS document's 5-10 kB of JSON keeps in 2-3 kB, and zlib
decompresses it in a few microseconds, far below a page's budget.
"""
from __future__ import annotations

import dataclasses
import zlib
from dataclasses import asdict
from functools import cache

from pydantic import TypeAdapter

from despatch.model import Document, Entity, Office

# Bump when the stored form changes; a store records the version it was written with.
DOCUMENT_FORMAT = "despatch-document-json-zlib:1"


@cache
def _documents() -> TypeAdapter[Document]:
    return TypeAdapter(Document)


def encode_document(doc: Document) -> bytes:
    return zlib.compress(_documents().dump_json(doc), 6)


def decode_document(data: bytes) -> Document:
    return _documents().validate_json(zlib.decompress(data), strict=True)


def document_json(doc: Document) -> bytes:
    """One document as compact JSON, for stores that keep JSON themselves (PostgreSQL's jsonb)."""
    return _documents().dump_json(doc)


@cache
def _entities() -> TypeAdapter[Entity]:
    return TypeAdapter(Entity)


def entity_json(entry: Entity) -> str:
    """An index entry as JSON: every field of `model.Entity`."""
    return _entities().dump_json(entry).decode("utf-8")


def entity_from_json(data: str | bytes) -> Entity:
    return _entities().validate_json(data, strict=True)


def entity_dict(entry: Entity) -> dict:
    return asdict(entry)


def copy_entity(entry: Entity, **changes: object) -> Entity:
    """`entry` with `changes`, sharing no list with it.

    Field by field rather than with `dataclasses.asdict`, which deep-copies every
    string of an entry named in tens of thousands of documents.
    """
    fields = {f.name: getattr(entry, f.name) for f in dataclasses.fields(entry)}
    fields.update(changes)
    fields["forms"] = list(fields["forms"])
    fields["documents"] = list(fields["documents"])
    fields["offices"] = [Office(o.title, o.first_seen, o.last_seen) for o in fields["offices"]]
    return Entity(**fields)
