"""What an ingest asks of a store: the writing half of a corpus, the same for every backend.

`api.Corpus` is what readers hold. A store is a corpus that can also be
written: `despatch ingest`, `despatch index merge|split` and the PostgreSQL
backend to come (issue 5) meet here. Every method that changes the store is
one transaction.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Protocol

from despatch.annotate.context import Knowledge
from despatch.annotate.index import Curation
from despatch.corpus.api import Corpus
from despatch.corpus.prepare import PreparedFile


@dataclass(frozen=True)
class StoredFile:
    """A file as the store last took it in."""

    id: int
    path: str
    sha256: str
    annotated: bool
    documents: int


class CorpusStore(Corpus, Protocol):
    def files(self) -> dict[str, StoredFile]:
        """Every file stored, by absolute path."""
        ...

    def knowledge(self) -> Knowledge:
        """What every file ingested so far taught the annotators."""
        ...

    def learn(self, knowledge: Knowledge) -> None:
        """Add to what the annotators know (it only grows)."""
        ...

    def store(self, files: list[PreparedFile]) -> list[str | None]:
        """Add or replace `files` in one transaction; for each, None or the one line why it was not stored."""
        ...

    def remove(self, paths: Iterable[str]) -> int:
        """Forget the files at `paths` and their documents; how many documents went."""
        ...

    def curation(self) -> Curation:
        """The editor's merges and splits, as `prepare_documents` applies them."""
        ...

    def merge(self, source: str, target: str) -> int:
        """Merge index entry `source` into `target`, now and after every ingest; documents touched."""
        ...

    def split(self, entry_id: str, document: str, form: str, new_id: str | None = None) -> str:
        """Give a form in one document an entry of its own, now and after every ingest; its id."""
        ...

    def integrity(self) -> list[str]:
        """What is wrong with the store's files or indexes; empty when nothing is."""
        ...
