"""Annotators: people, places, organizations and dates in every text, linked to one index.

Each annotator module has `annotate(doc, context)` and appends `Mention`s to
the blocks and notes of a document; `annotate_documents` runs them in order of
precedence, settles overlapping mentions, links who is who inside each
document (`link`) and files every mention under an index entry (`index`).
"""
from __future__ import annotations

from collections.abc import Callable
from importlib import import_module

from despatch.annotate.context import Context, Knowledge, lower_case_words
from despatch.annotate.index import Index
from despatch.annotate.link import collect_offices, link_document
from despatch.annotate.overlap import settle_overlaps
from despatch.annotate.persons import collect_names
from despatch.model import Document

# Order matters where spans overlap: an earlier annotator's mention wins a tie.
ANNOTATORS = ("dates", "orgs", "places", "persons")

__all__ = ["Context", "Index", "Knowledge", "annotate_documents", "learn"]


def learn(docs: list[Document]) -> Knowledge:
    """What `docs` teach the annotators: people's names, and the words written in lower case."""
    from despatch.annotate.text import texts

    words = lower_case_words(t.text for doc in docs for part in doc.all_documents() for t in texts(part))
    return Knowledge(names=collect_names(docs, words), words=words, offices=collect_offices(docs))


def _annotator(name: str) -> Callable[[Document, Context], None]:
    return import_module(f"despatch.annotate.{name}").annotate  # type: ignore[no-any-return]


def annotate_documents(docs: list[Document], context: Context | None = None, index: Index | None = None) -> Index:
    """Find, settle, link and index the mentions of every document and enclosure in `docs`.

    `context` carries what the whole batch taught (see `learn`); without one,
    `docs` alone teach.
    """
    context = context or Context(knowledge=learn(docs))
    index = index if index is not None else Index()
    annotators = [_annotator(name) for name in ANNOTATORS]
    for doc in docs:
        _annotate_tree(doc, context, annotators, None)
        link_document(doc, context.knowledge)
    index.add_documents(docs)
    return index


def _annotate_tree(doc: Document, context: Context, annotators: list, parent_date: str | None) -> None:
    local = context.for_document(doc, parent_date)
    for annotate in annotators:
        annotate(doc, local)
    settle_overlaps(doc)
    for enc in doc.enclosures:
        _annotate_tree(enc, context, annotators, local.doc_date)
