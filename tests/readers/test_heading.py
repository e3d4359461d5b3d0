"""Senders and recipients read from a heading: names and offices kept apart."""

import pytest

from despatch.parse.heading import parse_parties


def _names(parties) -> list[tuple[str | None, str | None]]:
    return [(p.name, p.office) for p in parties]


@pytest.mark.parametrize("head, senders, recipients", [
    ("The Ambassador in the Soviet Union (Harriman) to President Roosevelt",
     [("Harriman", "Ambassador in the Soviet Union")], [("Roosevelt", "President")]),
    ("The American Technical Advisers (Nufer, Donnelly, and Turkel) to the Ambassador in Cuba (Caffery)",
     [("Nufer", "American Technical Advisers"), ("Donnelly", "American Technical Advisers"),
      ("Turkel", "American Technical Advisers")], [("Caffery", "Ambassador in Cuba")]),
    ("Mr. Martin, consul at Nanking, to Mr. Rockhill.", [("Martin", "consul at Nanking")], [("Rockhill", None)]),
    ("A. Mr. Varas to Mr. Seward.", [("Varas", None)], [("Seward", None)]),  # an enclosed paper's letter
    ("Messrs. Baring Brothers and Co. to Mr. Seward", [("Baring Brothers and Co", None)], [("Seward", None)]),
    ("Mr. Seward to Mr. Adams, with accompaniments.", [("Seward", None)], [("Adams", None)]),
    ("The Secretary of State to. the Minister in Guatemala (Geissler)",  # a speck read as a stop
     [(None, "Secretary of State")], [("Geissler", "Minister in Guatemala")]),
])
def test_parties(head: str, senders: list, recipients: list) -> None:
    found = parse_parties(head)
    assert (_names(found[0]), _names(found[1])) == (senders, recipients)
    for party in found[0] + found[1]:
        assert head[party.start:party.end] == (party.name or party.office)
