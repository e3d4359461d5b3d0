"""Annotators: people, places, organizations and dates in every text, linked to one index.

Each annotator module has `annotate(doc, context)` and appends `Mention`s to
the blocks and notes of a document; `annotate_documents` runs them in order of
precedence, settles overlapping mentions and links what they found.
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from despatch.annotate.context import Context
from despatch.annotate.overlap import settle_overlaps
from despatch.model import Document

# Order matters where spans overlap: an earlier annotator's mention wins a tie.
ANNOTATORS = ("dates", "orgs", "places", "persons")


def _annotator(name: str) -> Callable[[Document, Context], None]:
    return import_module(f"despatch.annotate.{name}").annotate  # type: ignore[no-any-return]


def annotate_documents(docs: list[Document], context: Context | None = None) -> None:
    """Find and settle the mentions of every document and enclosure in `docs`."""
    context = context or Context()
    annotators = [_annotator(name) for name in ANNOTATORS]
    for doc in docs:
        _annotate_tree(doc, context, annotators, None)


def _annotate_tree(doc: Document, context: Context, annotators: list, parent_date: str | None) -> None:
    local = context.for_document(doc, parent_date)
    for annotate in annotators:
        annotate(doc, local)
    settle_overlaps(doc)
    for enc in doc.enclosures:
        _annotate_tree(enc, context, annotators, local.doc_date)
