"""Where a document closes: its signature, the courtesy before it, what may follow it."""
from __future__ import annotations

import re

from despatch.parse import lines as L

INITIALS_RE = re.compile(r"^(?:[A-Z]\.\s?){2,4}$")


def closer_lines(lines: list[str], idx: list[int]) -> tuple[list[int], tuple[int, str, str] | None]:
    """Signature lines closing a run of lines, and a last line holding courtesy and signature together.

    Address lines and postscripts printed under a signature ("JAMES S. PIKE,
    Esq., &c.", "P. S.—I have this moment received ...") are stepped over: they
    stay in the body, the signature before them closes it.
    """
    end = len(idx)
    while end > 0 and end > len(idx) - 3 and L.is_after_signature(lines[idx[end - 1]]):
        end -= 1
    if end > 1 and INITIALS_RE.match(L.plain(lines[idx[end - 1]])) and L.is_signature(lines[idx[end - 2]]):
        end -= 1  # a postscript initialled under the signature: "H. S. SANFORD." then "H. S. S."
    sig: list[int] = []
    for i in reversed(idx[:end]):
        if L.is_signature(lines[i]) and not L.is_enclosure_label(lines[i]):
            sig.insert(0, i)
            continue
        break
    if sig and len(sig) == end:
        sig = sig[1:]  # a document is never all signature
    if not sig and end:
        both = L.split_salute(lines[idx[end - 1]])
        if both:
            return [], (idx[end - 1], both[0], both[1])
    return sig, None


def after_letter(lines: list[str], idx: list[int], p: int) -> bool:
    """Whether idx[p] opens a new paper after a signed and addressed letter, with no caption.

    "WM. L. DAYTON." over "Hon. WILLIAM H. SEWARD, Secretary of State." closes a
    letter; what follows ("A." then "YOUR MAJESTY: ...") is a paper enclosed with it.
    """
    if p < 2 or p >= len(idx) - 1:
        return False
    return (L.is_address_line(lines[idx[p - 1]]) and L.is_signature(lines[idx[p - 2]])
            and not L.is_after_signature(lines[idx[p]]))


def without(idx: list[int], drop: list[int]) -> list[int]:
    gone = set(drop)
    return [i for i in idx if i not in gone]
