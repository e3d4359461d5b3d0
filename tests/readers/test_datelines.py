"""Datelines: place, date and time, and the received line kept apart."""

import pytest

from despatch.parse.lines import parse_dateline


@pytest.mark.parametrize("line, place, when, received", [
    ("Moscow, June 11, 1944.", "Moscow", "1944-06-11", None),
    ("Paris, May 3, 1925. [Received May 4.]", "Paris", "1925-05-03", "1925-05-04"),
    ("Washington, undated.", "Washington", None, None),
    # an undated document keeps its place; the received date is not the document's date
    ("Washington, undated. [Received April 21, 1917.]", "Washington", None, "1917-04-21"),
    ("Monrovia [undated]. [Received October 29, 1924—9:05 p.m.]", "Monrovia", None, "1924-10-29T21:05:00"),
])
def test_dateline_fields(line: str, place: str, when: str | None, received: str | None) -> None:
    found = parse_dateline(line)
    assert found is not None
    assert found.place == place
    assert (found.date.when if found.date else None) == when
    assert (found.received.when if found.received else None) == received


@pytest.mark.parametrize("line", [
    "The Government of Liberia undertakes to lease the land as provided.",
    "Convention Between the United States and Mexico, Signed at Washington, December 23, 1925",
])
def test_not_a_dateline(line: str) -> None:
    assert parse_dateline(line) is None


@pytest.mark.parametrize("line, place, when", [
    ("Paris, June —, 1861.", "Paris", "1861-06"),  # the day left blank
    # the same day in both calendars: the first is the document's
    ("Legation of the United States, St. Petersburg, December 31, 1860, (January 12, 1861.)",
     "St. Petersburg", "1860-12-31"),
])
def test_blank_day_and_double_dating(line: str, place: str, when: str) -> None:
    found = parse_dateline(line)
    assert found is not None and found.date is not None
    assert (found.place, found.date.when) == (place, when)
