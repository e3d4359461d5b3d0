"""Where a document closes: the signature, and what may stand under it."""

import pytest

from despatch.parse.closer import closer_lines
from despatch.parse.lines import closer_parts


@pytest.mark.parametrize("lines, signature", [
    (["I have the honor to be, your obedient servant,", "WM. L. DAYTON.",
      "Hon. William H. Seward, Secretary of State."], 1),
    (["I have the honor to be, your obedient servant,", "WM. L. DAYTON.",
      "Hon William H. Seward, Secretary of State."], 1),  # the stop after "Hon" dropped
    (["P. S.—I open my despatch to acknowledge yours.", "H. S. SANFORD.", "H. S. S."], 1),
])
def test_the_signature_above_address_lines_and_initials(lines: list[str], signature: int) -> None:
    sig, both = closer_lines(lines, list(range(len(lines))))
    assert (sig, both) == ([signature], None)


@pytest.mark.parametrize("line, parts", [
    ("By direction of the Acting Governor: C. A. McIlvaine Executive Secretary",
     [("By direction of the Acting Governor:", "line"), ("C. A. McIlvaine", "signed"), ("Executive Secretary", "line")]),
    ("For the Ambassador: Robert M. Scotten Counselor of Embassy",
     [("For the Ambassador:", "line"), ("Robert M. Scotten", "signed"), ("Counselor of Embassy", "line")]),
    ("MELANCTON SMITH, Commander.", [("MELANCTON SMITH,", "signed"), ("Commander.", "line")]),
])
def test_a_signature_line_parted_into_name_and_the_rest(line: str, parts: list) -> None:
    assert closer_parts(line) == parts
