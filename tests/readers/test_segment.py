"""Splitting a chapter into documents at their fronts."""

from despatch.readers.segment import split

CHAPTER = """127.
The Secretary of State to the Ambassador in France (Herrick)
Washington, March 3, 1925—6 p.m.

4.

The remaining sum is uncovered.

5.

[Paraphrase.] Regarding interest on Army costs, the Department would not insist. [End paraphrase.]

6.

Kellogg

128.
[Telegram]
The Ambassador in France (Herrick) to the Secretary of State
Paris, March 5, 1925.

Your 127 received.

Herrick
"""


def test_documents_split_at_their_fronts_not_at_numbered_paragraphs() -> None:
    docs = split(CHAPTER.splitlines())
    assert [d[0] for d in docs] == ["127.", "128."]


def test_a_number_over_a_source_line_and_heading_opens_a_document() -> None:
    lines = ["Text of the first.", "Kellogg", "", "12.", "[Telegram]",
             "The Ambassador in France (Herrick) to the Secretary of State", "Paris, March 5, 1925.", "", "Body."]
    assert [d[0] for d in split(lines)] == ["Text of the first.", "12."]


def test_a_long_treaty_title_under_its_number_opens_a_document() -> None:
    title = ("Agreement Regulating the Amounts To Be Allocated Out of the Second Dawes Annuity for the Armies of "
             "Occupation in the Rhineland, the Inter-Allied Rhineland High Commission, and the Inter-Allied "
             "Military Commission of Control in Germany, Signed at Paris, September 21, 1925")
    lines = ["139.", "The Ambassador in France (Herrick) to the Secretary of State", "Paris, January 19, 1925.", "",
             "Advised National Bank Belgium cabled Federal Reserve.", "Herrick", "", "140.", "", title, "",
             "The Governments of Belgium, the United States of America, France have agreed as follows:"]
    assert [d[0] for d in split(lines)] == ["139.", "140."]
