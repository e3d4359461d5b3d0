"""The text of a block as it is read: its raw parts, the notes and spans that fall in it, and the squashed text
with the map of raw offsets into it."""
from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field

from lxml import etree

from despatch.model import Note

WORD = re.compile(r"\S+")


@dataclass
class _Span:
    """An element covering part of a run: a party, a mention, a mark, a dateline field."""

    role: str  # "from", "to", "mention", "mark", "style", "place", "date", "received"
    el: etree._Element
    start: int
    end: int = -1


@dataclass
class _Run:
    """The raw text of one block as it is read, with where its notes and spans fall.

    Offsets are first taken in the raw text (before whitespace is squashed) and
    mapped into the squashed text by `finish`.
    """

    parts: list[str] = field(default_factory=list)
    size: int = 0
    points: list[tuple[int, Note]] = field(default_factory=list)
    spans: list[_Span] = field(default_factory=list)

    def add(self, text: str | None) -> None:
        if text:
            self.parts.append(text)
            self.size += len(text)

    def empty(self) -> bool:
        return not self.points and not "".join(self.parts).strip()

    def finish(self) -> _Squashed:
        return _Squashed("".join(self.parts))


class _Squashed:
    """Raw text with its whitespace runs squashed to one space and its edges trimmed, and the offset map."""

    def __init__(self, raw: str):
        spans = [(m.start(), m.end()) for m in WORD.finditer(raw)]
        self.starts = [s for s, _ in spans]
        self.ends = [e for _, e in spans]
        self.out_starts: list[int] = []
        pos = 0
        for s, e in spans:
            self.out_starts.append(pos)
            pos += e - s + 1
        self.text = " ".join(raw[s:e] for s, e in spans)

    def left(self, raw_pos: int) -> int:
        """Squashed offset of a raw position, before any space it stands in (note markers, span ends)."""
        i = bisect_right(self.starts, raw_pos) - 1
        if i < 0:
            return 0
        return self.out_starts[i] + min(raw_pos, self.ends[i]) - self.starts[i]

    def right(self, raw_pos: int) -> int:
        """Squashed offset of a raw position, after any space it stands in (span starts)."""
        i = bisect_right(self.starts, raw_pos) - 1
        if i < 0:
            return 0
        if raw_pos <= self.ends[i]:
            return self.out_starts[i] + raw_pos - self.starts[i]
        return self.out_starts[i + 1] if i + 1 < len(self.starts) else len(self.text)

    def cut(self, span: _Span) -> tuple[int, int]:
        return self.right(span.start), self.left(span.end)
