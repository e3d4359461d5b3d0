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
    # office -> holder -> dates seen: "Secretary of State" -> {"Hull": {"1934-05-29", ...}}
    offices: dict[str, dict[str, set[str]]] = field(default_factory=dict)

    def merge(self, other: Knowledge) -> None:
        for form, name in other.names.items():
            if len(name) > len(self.names.get(form, "")):
                self.names[form] = name
        self.words |= other.words
        for office, holders in other.offices.items():
            mine = self.offices.setdefault(office, {})
            for holder, dates in holders.items():
                mine.setdefault(holder, set()).update(dates)

    def holder(self, office: str, date: str | None) -> tuple[str, str] | None:
        """Who held `office` nearest to `date` in this batch: (name, the date seen), if anyone."""
        holders = self.offices.get(office_key(office))
        if not holders or date is None:
            return None
        # ties go to the earlier sighting, then the name: the same answer in every process
        best = min(((abs(_days(seen) - _days(date)), seen, name) for name, dates in holders.items() for seen in dates),
                   default=None)
        if best is None or best[0] > MAX_TENURE_GAP_DAYS:
            return None
        return best[2], best[1]


# How far from a dated sighting an office may still be taken to be held by the same person.
MAX_TENURE_GAP_DAYS = 366


def office_key(office: str) -> str:
    """An office as a lookup key: "the Acting Secretary of State" and "Acting Secretary of State" agree."""
    words = office.replace("’", "'").split()
    while words and words[0].lower() in ("the", "a", "an"):
        words = words[1:]
    return " ".join(words).casefold()


def _days(iso: str) -> int:
    year, month, day = (int(x) for x in (iso[:4], iso[5:7] or 1, iso[8:10] or 1))
    return year * 372 + month * 31 + day


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
