"""OCR of printed volumes (placeholder until the OCR reader lands)."""
from __future__ import annotations

from despatch.parse.structure import Draft


def looks_like(text: str) -> bool:
    return False


def read_drafts(text: str) -> list[Draft]:
    return []
