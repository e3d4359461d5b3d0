"""What the corpus tests share: where the real documents are, and checks any backend must pass."""
from __future__ import annotations

from pathlib import Path

from despatch.annotate.text import texts
from despatch.corpus import Corpus
from despatch.corpus.export import all_entities
from despatch.writers.json import to_json

REPO = Path(__file__).resolve().parents[2]
SHARED = REPO.parent / "shared"
DEV = SHARED / "eval" / "dev"
FRUS = SHARED / "frus"
EXAMPLE = REPO / "examples" / "harriman-to-roosevelt-1944-06-11.txt"
EXAMPLE_ID = "harriman-to-roosevelt-1944-06-11"
# Backends the suite runs against: the embedded file, and a database on a throw-away server.
BACKENDS = ("sqlite", "postgresql")


def expected_index(corpus: Corpus) -> dict[str, set[str]]:
    """Every index id the stored documents link to, with the documents that link to it, from the documents."""
    refs: dict[str, set[str]] = {}
    for doc in corpus.documents():
        for part in doc.all_documents():
            for t in texts(part):
                for m in t.holder.mentions:
                    if m.ref and m.kind != "date":
                        refs.setdefault(m.ref, set()).add(doc.id)
    return refs


def assert_index_exact(corpus: Corpus) -> None:
    """The index lists exactly the entries the documents link to, each with exactly their documents."""
    entries = {e.id: set(e.documents) for e in all_entities(corpus)}
    assert entries == expected_index(corpus)


def snapshot(corpus: Corpus) -> dict:
    """Everything a reader can see of a corpus, to compare two states of it."""
    return {
        "documents": [(d.id, to_json([d])) for d in corpus.documents()],
        "entities": sorted((e.id, e.kind, e.name, tuple(e.forms), tuple(e.documents), e.description)
                           for e in all_entities(corpus)),
        "chronology": corpus.chronology(),
        "correspondents": corpus.correspondents(),
    }
