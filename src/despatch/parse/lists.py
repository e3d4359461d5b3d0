"""Lists as FRUS sets them: a label ("(a)", "2.") and its item, neither a paragraph."""
from __future__ import annotations

import re

from despatch.model import BlockKind
from despatch.parse import lines as L

# A paragraph opening with its own enumerator: "(1) Can increases in duties be requested ...".
ENUMERATED_RE = re.compile(r"^(\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+(?=\S)")


def split_enumerations(texts: list[str]) -> list[str]:
    """Runs of two or more enumerated paragraphs as label and item lines, as FRUS lists them.

    A single numbered paragraph stays a paragraph: telegrams number theirs ("2180. Your 1787").
    """
    out: list[str] = []
    k = 0
    while k < len(texts):
        run = k
        while run < len(texts) and ENUMERATED_RE.match(texts[run]):
            run += 1
        if run - k >= 2:
            for text in texts[k:run]:
                m = ENUMERATED_RE.match(text)
                assert m is not None
                out += [m.group(1), text[m.end():]]
            k = run
        else:
            out.append(texts[k])
            k += 1
    return out


def list_kinds(texts: list[str]) -> list[BlockKind]:
    """"label" for a line that is only an enumerator ("(a)", "2.", "IV."), "item" for the line it labels."""
    kinds: list[BlockKind] = ["p"] * len(texts)
    for k, text in enumerate(texts[:-1]):
        if L.is_list_label(text) and kinds[k] == "p" and not L.is_list_label(texts[k + 1]):
            kinds[k], kinds[k + 1] = "label", "item"
    return kinds
