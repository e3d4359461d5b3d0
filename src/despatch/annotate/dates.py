"""dates annotator (placeholder)."""
from __future__ import annotations

from despatch.annotate.context import Context
from despatch.model import Document


def annotate(doc: Document, context: Context) -> None:
    return None
