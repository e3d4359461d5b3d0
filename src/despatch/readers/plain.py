"""A typed transcription: markers as [N], (N) or bare numbers, the notes at the end.

    170.
    [Telegram]
    Mr. Rockhill to Mr. Hay.
    Peking, August 8, 1901.

    Sir: In further reference to my No. 115,[1] ...

    Notes

    1. Not printed.

A file may hold several documents, each with its own notes.
"""
from __future__ import annotations

import re

from despatch.parse.markers import DraftNote, token
from despatch.parse.notes import NOTES_HEADING, split_original
from despatch.parse.structure import Draft
from despatch.readers import segment
from despatch.readers.reflow import join_broken_headings, reflow
from despatch.readers.wordexport import squash

# The line that opens the notes: "Notes", "NOTES", "Footnotes:", a rule of dashes or underscores.
NOTES_HEADER_RE = re.compile(rf"^\s*(?:{NOTES_HEADING}|-{{3,}}|_{{3,}}|[—–]{{2,}}|\*\s*\*\s*\*)\s*:?\s*$", re.IGNORECASE)
# One note: "1. Not printed.", "[1] Not printed.", "(1) Not printed.", "1 Not printed."
NOTE_LINE_RE = re.compile(r"^\s*(?:\[(?P<a>\d{1,3})\]|\((?P<b>\d{1,3})\)|(?P<c>\d{1,3})[.)]?)\s+(?P<text>\S.*)$")
SUPERSCRIPTS = str.maketrans("⁰¹²³⁴⁵⁶⁷⁸⁹", "0123456789")
TO_SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")


def looks_like(text: str) -> bool:
    return True  # the reader of last resort for text


def _note_number(m: re.Match[str]) -> str:
    return m.group("a") or m.group("b") or m.group("c")


def _notes_section(lines: list[str], header: int) -> tuple[dict[str, DraftNote], int] | None:
    """The numbered notes after a header line, and the line where they end; None if none follow."""
    notes: dict[str, DraftNote] = {}
    last: str | None = None
    blank_since = True
    j = header + 1
    while j < len(lines):
        line = lines[j]
        if not line.strip():
            blank_since = True
            j += 1
            continue
        m = NOTE_LINE_RE.match(line)
        expected = str(len(notes) + 1)
        if m and _note_number(m) == expected:
            text, original = split_original(squash(m.group("text")))
            notes[expected] = DraftNote(text=text, n=expected, original=original)
            last, blank_since = expected, False
        elif last and not blank_since:
            notes[last].text = squash(notes[last].text + " " + line)
        else:
            break
        j += 1
    return (notes, j) if notes else None


def _marker_patterns(n: str) -> list[re.Pattern[str]]:
    """Ways a typist marks note n: superscript, caret, brackets, parentheses, a digit glued on."""
    return [
        re.compile(re.escape(n.translate(TO_SUPERSCRIPT))),
        re.compile(rf"\^{n}(?!\d)"),
        re.compile(rf"\[{n}\]"),
        re.compile(rf"(?<=\S)\({n}\)"),  # glued on: "(1) That ..." opening a point numbers the point
        re.compile(rf"\({n}\)"),
        re.compile(rf"(?<=[^\s\d(\[$£^])({n})(?=[\s.,;:)\]—–-]|$)"),
    ]


def _found_in_order(text: str, marks: list[re.Pattern[str]]) -> int:
    """How many of the notes one way of marking (a pattern per note) finds, each after the one before."""
    pos = found = 0
    for pattern in marks:
        m = pattern.search(text, pos)
        if m:
            found, pos = found + 1, m.end()
    return found


def place_markers(lines: list[str], notes: dict[str, DraftNote]) -> list[str]:
    """The lines with each note's marker replaced by a token, found in note order.

    The way of marking that finds the most notes in order is tried first: a text
    whose notes are superscripts may also number its points "(1)", "(2)".
    """
    text = "\n".join(lines)
    numbers = sorted(notes, key=int)
    patterns = [_marker_patterns(n) for n in numbers]
    styles = range(len(patterns[0])) if patterns else range(0)
    best = max(styles, key=lambda k: (_found_in_order(text, [p[k] for p in patterns]), -k), default=0)
    pos = 0
    for n, ways in zip(numbers, patterns):
        for pattern in [ways[best]] + [p for k, p in enumerate(ways) if k != best]:
            m = pattern.search(text, pos)
            if m:
                text = text[:m.start()] + token(n) + text[m.end():]
                pos = m.start() + len(token(n))
                break
    return [line.translate(SUPERSCRIPTS) for line in text.split("\n")]


def read_drafts(text: str) -> list[Draft]:
    """Every document in a plain transcription."""
    lines = join_broken_headings(reflow([squash(line) for line in text.split("\n")]))
    drafts: list[Draft] = []
    current: list[str] = []
    i = 0
    while i < len(lines):
        if NOTES_HEADER_RE.match(lines[i]):
            section = _notes_section(lines, i)
            if section:
                notes, end = section
                docs = segment.split(current)
                for k, doc_lines in enumerate(docs):
                    last = k == len(docs) - 1
                    drafts.append(Draft(lines=place_markers(doc_lines, notes) if last else doc_lines,
                                        notes=notes if last else {}))
                current, i = [], end
                continue
        current.append(lines[i])
        i += 1
    for doc_lines in segment.split(current):
        drafts.append(Draft(lines=doc_lines))
    return drafts
