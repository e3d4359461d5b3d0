"""Word lists a user may read and extend: one entry a line, `#` starts a comment."""
from __future__ import annotations

from functools import cache
from importlib import resources


@cache
def entries(name: str) -> tuple[str, ...]:
    """The non-empty, non-comment lines of data file `name` (e.g. "months.txt")."""
    text = resources.files(__package__).joinpath(name).read_text(encoding="utf-8")
    return tuple(line.strip() for line in text.splitlines() if line.strip() and not line.lstrip().startswith("#"))


@cache
def pairs(name: str) -> tuple[tuple[str, str], ...]:
    """Tab-separated `key<TAB>value` entries; a line without a tab maps to itself."""
    out = []
    for line in entries(name):
        key, _, value = line.partition("\t")
        out.append((key.strip(), (value or key).strip()))
    return tuple(out)
