"""What an annotator may know beyond the text in front of it: the document's date, the batch's names."""
from __future__ import annotations

from dataclasses import dataclass, field

from despatch.model import Document


@dataclass
class Context:
    """Knowledge shared by the annotators while they work through one batch of documents.

    `doc_date` is the ISO date against which relative dates ("yesterday evening",
    "the 30th ultimo") are resolved: the document's own date, or for an enclosure
    without one, its parent's. `known_names` holds surnames and full names that
    the batch's headings, signatures and notes show to be people, so a bare
    "Stevens" in a telegram can be recognised.
    """

    doc_date: str | None = None
    known_names: dict[str, str] = field(default_factory=dict)  # form -> canonical full name

    def for_document(self, doc: Document, parent_date: str | None = None) -> Context:
        date = doc.date.when if doc.date is not None and doc.date.when and doc.date.when[:1].isdigit() else None
        return Context(doc_date=date or parent_date, known_names=self.known_names)
