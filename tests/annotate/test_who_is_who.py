"""Issue #3 on the founding telegram and on real FRUS documents: mentions, links, the index."""
from __future__ import annotations

from pathlib import Path

import pytest

from despatch.annotate import Context, annotate_documents, learn
from despatch.annotate.context import Knowledge
from despatch.annotate.index import Curation, Index, entity_id
from despatch.annotate.text import texts
from despatch.model import Document, Mention
from despatch.readers import read_file
from despatch.readers.tei import read_documents

REPO = Path(__file__).resolve().parents[2]
EXAMPLE = REPO / "examples" / "harriman-to-roosevelt-1944-06-11.txt"
FRUS = REPO.parent / "shared" / "frus"


@pytest.fixture(scope="module")
def example() -> tuple[Document, Index]:
    docs = read_file(EXAMPLE)
    index = annotate_documents(docs)
    return docs[0], index


def _mentions(doc: Document, kind: str) -> list[Mention]:
    return [m for t in texts(doc) for m in t.holder.mentions if m.kind == kind]


def test_the_people_of_the_example(example: tuple[Document, Index]) -> None:
    doc, _ = example
    body_people = {m.value for b in doc.body for m in b.mentions if m.kind == "person" and m.form == "name"}
    surnames = {v.split()[-1] for v in body_people if v}
    assert {"Stalin", "Burrows", "Deane", "Walsh", "Olson", "Arnold"} <= surnames


def test_titles_and_ranks_stay_part_of_the_mention(example: tuple[Document, Index]) -> None:
    doc, _ = example
    texts_found = {m.text for b in doc.body for m in b.mentions if m.kind == "person"}
    assert {"General Burrows", "General Deane", "Admiral Olson", "General Arnold"} <= texts_found


def test_the_places_of_the_example(example: tuple[Document, Index]) -> None:
    doc, index = example
    places = {m.value for m in _mentions(doc, "place")}
    assert {"Vladivostok", "Sovietskaya Gavan", "Galatz", "Rumania"} <= places
    gavan = index.entities[entity_id("place", "Sovietskaya Gavan")]
    assert gavan.latitude is not None and gavan.longitude is not None


def test_yesterday_evening_is_the_tenth(example: tuple[Document, Index]) -> None:
    doc, _ = example
    dates = {m.text: m.value for m in _mentions(doc, "date")}
    assert dates["yesterday evening"] == "1944-06-10"


def test_burrows_and_walsh_are_described_by_their_notes(example: tuple[Document, Index]) -> None:
    doc, index = example
    burrows = next(m for b in doc.body for m in b.mentions if m.text == "General Burrows")
    walsh = next(m for b in doc.body for m in b.mentions if m.text == "General Walsh")
    assert index.entities[burrows.ref].description.startswith("Lt. Gen. Montagu Brocas Burrows")
    assert index.entities[walsh.ref].description.startswith("Maj. Gen. Robert LeGrow Walsh")
    # the note's own name and the text's rank-and-surname are one entry
    assert "Lt. Gen. Montagu Brocas Burrows" in index.entities[burrows.ref].forms
    assert "described by note" in (burrows.why or "")


def test_the_writer_is_i_and_harriman(example: tuple[Document, Index]) -> None:
    doc, index = example
    harriman = entity_id("person", "Harriman")
    pronouns = [m for b in doc.body for m in b.mentions if m.form == "pronoun"]
    assert pronouns and all(m.ref == harriman for m in pronouns)
    head = [m for m in doc.head.mentions if m.kind == "person"]
    assert harriman in {m.ref for m in head}
    assert index.entities[harriman].offices[0].title == "Ambassador in the Soviet Union"
    assert index.entities[harriman].offices[0].first_seen == "1944-06-11"


def test_every_linked_mention_says_why(example: tuple[Document, Index]) -> None:
    doc, _ = example
    for kind in ("person", "place", "org", "date"):
        for m in _mentions(doc, kind):
            assert m.why, f"{kind} {m.text!r} has no reason"


@pytest.fixture(scope="module")
def frus1934() -> list[Document]:
    docs = read_documents((FRUS / "frus1934v05.xml").read_bytes(), "frus1934v05.xml")[:80]
    for doc in docs:
        for part in doc.all_documents():
            for t in texts(part):  # forget the edition's own tags: the annotators must find them
                t.holder.mentions = []
    return docs


def test_an_office_is_identified_by_its_signature_and_its_date(frus1934: list[Document]) -> None:
    annotate_documents(frus1934, Context(knowledge=learn(frus1934)))
    from_secretary = [d for d in frus1934 if d.head.text.startswith("The Secretary of State to") and d.signed == "Hull"]
    assert from_secretary
    for doc in from_secretary:
        office = [m for m in doc.head.mentions if m.form == "office"]
        assert office and office[0].value.endswith("Hull") and "signed Hull" in (office[0].why or "")
    to_secretary = [d for d in frus1934 if d.head.text.endswith("to the Secretary of State")]
    identified = [d for d in to_secretary if any(m.form == "office" for m in d.head.mentions)]
    assert len(identified) >= len(to_secretary) * 0.8


def test_the_same_person_across_documents_is_one_entry(frus1934: list[Document]) -> None:
    index = annotate_documents(frus1934, Context(knowledge=learn(frus1934)))
    sevier = [e for e in index.entities.values() if e.kind == "person" and e.name.endswith("Sevier")]
    assert len(sevier) == 1
    assert len(sevier[0].documents) > 10
    assert any(o.title == "Ambassador in Chile" for o in sevier[0].offices)


def test_curation_merges_and_splits_survive_a_rebuild(frus1934: list[Document]) -> None:
    curation = Curation()
    first = annotate_documents(frus1934, Context(knowledge=learn(frus1934)), Index(curation=curation))
    people = sorted((e for e in first.entities.values() if e.kind == "person"), key=lambda e: -len(e.documents))
    keep, fold = people[0], people[1]
    curation.merge(fold.id, keep.id)
    doc_id, form = next((doc.id, m.text) for doc in frus1934 for t in texts(doc) for m in t.holder.mentions
                        if m.ref == keep.id)
    curation.split(keep.id, doc_id, form, "p-someone-else")
    again = annotate_documents(frus1934, Context(knowledge=learn(frus1934)), Index(curation=curation))
    assert fold.id not in again.entities
    assert set(fold.documents) <= set(again.entities[keep.id].documents) | {doc_id}
    assert again.entities["p-someone-else"].documents == [doc_id]


def test_an_editions_list_of_persons_names_and_describes_its_people() -> None:
    """FRUS prints a list of persons; importing the volume puts its names and descriptions in the index."""
    docs = read_documents((FRUS / "frus1918Russiav03.xml").read_bytes(), "frus1918Russiav03.xml")
    index = annotate_documents(docs)
    baker = index.entities[entity_id("person", "Newton D. Baker")]
    assert baker.description is not None and "Secretary of War" in baker.description
    assert baker.documents
    tagged = [m for doc in docs for b in doc.body for m in b.mentions if m.ref == baker.id]
    assert tagged and all(m.value == "Newton D. Baker" for m in tagged)


def test_an_office_held_by_two_equally_near_goes_to_the_earlier_sighting() -> None:
    for order in (["Hughes", "Kellogg"], ["Kellogg", "Hughes"]):
        offices = {"secretary of state": {}}
        for name in order:
            offices["secretary of state"][name] = {"1925-03-01"} if name == "Hughes" else {"1925-03-11"}
        assert Knowledge(offices=offices).holder("the Secretary of State", "1925-03-06") == ("Hughes", "1925-03-01")
