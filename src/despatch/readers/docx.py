"""Word .docx (placeholder until the .docx reader lands)."""
from __future__ import annotations

from despatch.errors import InputError
from despatch.parse.structure import Draft


def read_drafts(data: bytes, path: str) -> list[Draft]:
    raise InputError(path, ".docx reading is not available yet")
