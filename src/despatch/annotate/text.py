"""Every run of text in a document that annotators read: heading, dateline, body, closer, notes."""
from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from despatch.model import Block, Document, Mention, Note

TextHolder = Block | Note


@dataclass
class Text:
    """One run of text and where it stands; annotators append to `holder.mentions`."""

    holder: TextHolder
    part: str  # "head", "dateline", "body", "closer" or "note"
    index: int  # block index within its part, or note index

    @property
    def text(self) -> str:
        return self.holder.text

    def add(self, mention: Mention) -> None:
        self.holder.mentions.append(mention)


def texts(doc: Document) -> Iterator[Text]:
    """The texts of one document (not its enclosures, which are documents of their own)."""
    if doc.head.text:
        yield Text(doc.head, "head", 0)
    if doc.dateline is not None:
        yield Text(doc.dateline, "dateline", 0)
    for k, block in enumerate(doc.body):
        yield Text(block, "body", k)
    for k, block in enumerate(doc.closer):
        yield Text(block, "closer", k)
    for k, note in enumerate(doc.notes):
        yield Text(note, "note", k)
