"""Footnote markers as readers hand them on: a private-use token in the text.

Every reader turns whatever its raw form uses for a footnote marker
(`[bookmark: _ftn_GoBack1][2]`, `[2]`, a superscript, a Word footnote
reference) into one token, `\\ue000KEY\\ue001`, and gives the note's text under
the same KEY. The structure parser then strips the tokens and records each
note's exact anchor (block and character offset) without caring where the
marker came from.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

OPEN, CLOSE = "\ue000", "\ue001"
TOKEN_RE = re.compile(f"{OPEN}([^{CLOSE}]*){CLOSE}")


def token(key: str) -> str:
    return f"{OPEN}{key}{CLOSE}"


@dataclass
class DraftNote:
    """A note's text as the reader found it, before it has an anchor or a kind."""

    text: str
    n: str | None = None
    original: bool = False
    running_n: str | None = None


def strip_tokens(text: str) -> tuple[str, list[tuple[str, int]]]:
    """`text` without marker tokens, and each token's key with its offset in the clean text.

    Whitespace before a marker is dropped ("done. [2]" anchors after "done.");
    a marker glued between two words keeps one space so the words stay apart.
    """
    if OPEN not in text:
        return text, []
    out: list[str] = []
    found: list[tuple[str, int]] = []
    length = 0
    pos = 0
    for m in TOKEN_RE.finditer(text):
        before = text[pos:m.start()]
        piece = before.rstrip()
        after = text[m.end():m.end() + 1]
        if piece != before and after.isalnum():
            piece += " "
        out.append(piece)
        length += len(piece)
        found.append((m.group(1), length - (1 if piece.endswith(" ") and piece != before.rstrip() else 0)))
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), found


def has_tokens(text: str) -> bool:
    return OPEN in text
