"""What an annotator may know beyond the text in front of it: the document's date, the batch's knowledge."""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from despatch.model import Document

LOWER_WORD_RE = re.compile(r"(?<![\w’'-])[a-z][a-z’'-]{2,}")


@dataclass
class Knowledge:
    """What a batch of documents teaches before annotation starts.

    `names`: surnames and full names the batch's headings, signatures, notes and
    titled mentions show to be people, each mapped to the fullest name known, so
    a bare "Stevens" in a telegram is recognised. `words`: words the batch writes
    in lower case, so "General Considerations" is not taken for a general.
    """

    names: dict[str, str] = field(default_factory=dict)
    words: set[str] = field(default_factory=set)

    def merge(self, other: Knowledge) -> None:
        for form, name in other.names.items():
            if len(name) > len(self.names.get(form, "")):
                self.names[form] = name
        self.words |= other.words


def lower_case_words(texts: Iterable[str]) -> set[str]:
    words: set[str] = set()
    for text in texts:
        words.update(LOWER_WORD_RE.findall(text))
    return words


@dataclass
class Context:
    """Knowledge shared by the annotators while they work through one batch of documents.

    `doc_date` is the ISO date against which relative dates ("yesterday evening",
    "the 30th ultimo") are resolved: the document's own date, or for an enclosure
    without one, its parent's.
    """

    doc_date: str | None = None
    knowledge: Knowledge = field(default_factory=Knowledge)

    @property
    def known_names(self) -> dict[str, str]:
        return self.knowledge.names

    def for_document(self, doc: Document, parent_date: str | None = None) -> Context:
        date = doc.date.when if doc.date is not None and doc.date.when and doc.date.when[:1].isdigit() else None
        return Context(doc_date=date or parent_date, knowledge=self.knowledge)
