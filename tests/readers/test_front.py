"""The front of a document: what stands before the body, and when there is none."""

from despatch.parse.front import find_front

MESSAGE = [
    "To the Senate and House of Representatives:",
    "I transmit a report from the Hon. William W. Rockhill, late commissioner to China, with documents.",
    "White House, Washington, December 11, 1901.",
    "Theodore Roosevelt.",
    "",
]

TELEGRAM = [
    "File No. 861.00/1203",
    "The Ambassador in Russia (Francis) to the Secretary of State",
    "Petrograd, February 20, 1918.",
    "",
    "Sir: I have the honor to report.",
]


def test_a_message_dated_at_its_foot_has_no_front() -> None:
    front = find_front(MESSAGE, 0, len(MESSAGE))
    assert (front.head, front.dateline, front.sources, front.body_start) == (None, None, [], 0)


def test_a_telegram_front_has_source_heading_and_dateline() -> None:
    front = find_front(TELEGRAM, 0, len(TELEGRAM))
    assert (front.sources, front.head, front.dateline, front.body_start) == ([0], 1, 2, 3)
