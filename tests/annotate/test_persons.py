"""People named without a title: what the company a word keeps teaches."""
from __future__ import annotations

import pytest

from despatch.annotate import learn
from despatch.annotate.persons import find_persons
from despatch.model import Block, Document


def _doc(*paragraphs: str) -> Document:
    return Document(id="t", body=[Block(text=p) for p in paragraphs])


def _persons(doc: Document, text: str) -> list[str]:
    knowledge = learn([doc])
    return [m.text for m in find_persons(text, knowledge.names, knowledge.words)]


def test_a_word_joined_to_a_known_name_is_a_person() -> None:
    doc = _doc("Mr. Stevens will go at once.",
               "Any ministry will use Stevens’s and Emerson’s force.")
    assert "Emerson" in learn([doc]).names
    assert _persons(doc, "Some government will be formed when Emerson comes.") == ["Emerson"]


def test_a_word_before_a_verb_people_do_is_a_person() -> None:
    doc = _doc("Some government will be established here when Emerson arrives at the port.")
    assert "Emerson" in learn([doc]).names


@pytest.mark.parametrize("text", [
    "The Government expects that Japan agreed to the terms.",   # a place
    "Reports in the European press stated otherwise.",            # a nationality
    "It was agreed that the Lessee agrees to pay the rent.",      # a defined term of a lease
])
def test_places_nationalities_and_terms_are_not_learnt(text: str) -> None:
    names = learn([_doc(text)]).names
    assert not {"Japan", "European", "Lessee"} & names.keys()


def test_a_numbered_relay_names_both_parties() -> None:
    doc = _doc("3169. McAdoo from Cravath: 729. Have just seen the bankers.")
    assert _persons(doc, doc.body[0].text) == ["McAdoo", "Cravath"]


def test_a_relay_from_a_word_names_no_one() -> None:
    doc = _doc("The telegram came late.", "Telegram from headquarters: all is well.")
    assert _persons(doc, "Telegram from Headquarters: all is well.") == []


def test_a_known_name_keeps_a_first_word_that_is_a_month() -> None:
    doc = _doc("The Board has appointed August Heid as its representative.",
               "Heid will sail on August 3.")
    names = learn([_doc("Mr. August Heid")]).names
    assert names.get("Heid") == "August Heid"
    assert _persons(doc, "The Board has appointed August Heid as its representative.") == ["August Heid"]


def test_an_articles_number_is_no_initial() -> None:
    doc = _doc("Article V. The High Contracting Parties agree to the terms.",
               "Article VI. Should either of the Parties fail, the Parties shall meet.")
    names = learn([doc]).names
    assert not {"Parties", "Should"} & names.keys()
    assert _persons(doc, "The Parties shall meet.") == []


@pytest.mark.parametrize("line, name, surname", [
    ("James E. Brown, Jr.", "James E. Brown", "Brown"),
    ("J. Lawrence Gilson Chairman", "J. Lawrence Gilson", "Gilson"),
    ("Wm. H. Seward.", "Wm. H. Seward", "Seward"),
])
def test_a_signature_teaches_the_name_without_suffix_or_office(line: str, name: str, surname: str) -> None:
    doc = _doc("I have the honor to be your obedient servant,")
    doc.closer = [Block(text=line, kind="signed")]
    names = learn([doc]).names
    assert names[surname] == name
    assert not {"Jr", "Chairman", "Wm"} & names.keys()


def test_a_surname_named_for_a_town_or_a_town_for_a_surname_is_a_name_by_its_shape() -> None:
    # Stalin was Donetsk's name and Molotov Perm's: the gazetteer knowing the word is no evidence
    assert _persons(_doc("x"), "In my talk with Stalin and Molotov yesterday") == ["Stalin", "Molotov"]


@pytest.mark.parametrize("text, name", [
    ("The committee would be advisory. … Kinoshita fully agreed with me.", "Kinoshita"),  # also a town
    ("This has been conveyed in Spencer’s September 18, 10 p.m.", "Spencer"),  # a telegram cited by sender
    ("Please ask Willard to keep me advised concerning the railway.", "Willard"),  # one asked by the writer
])
def test_a_word_people_are_said_to_do_or_send_is_a_name(text: str, name: str) -> None:
    assert name in learn([_doc(text)]).names


def test_one_asked_is_a_person_but_not_a_place() -> None:
    names = learn([_doc("Please ask Willard to keep me advised.", "Tell Tokyo that the ships sail.")]).names
    assert "Willard" in names and "Tokyo" not in names
