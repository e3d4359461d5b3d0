"""A Word document saved as plain text, footnotes and bookmark debris included.

What Word writes (see examples/): the text with `[bookmark: _ftn_GoBack1][2]`
where each footnote marker stood, then a rule, then the notes twice, once with
the printed volume's running numbers glued to the text ("64[Orig. Note] The
First shuttle...") and once as `[bookmark: _ftn1][2] [Orig. Note] The First
shuttle...`. The two copies are reconciled into one note each, keeping the
running number. Several documents in one file each end with their own
apparatus.
"""
from __future__ import annotations

import re

from despatch.parse.markers import DraftNote, token
from despatch.parse.notes import split_original
from despatch.parse.structure import Draft
from despatch.readers import segment

# A footnote marker in the text: "[bookmark: _ftn_GoBack1][2]" (any bookmark name before "[N]").
MARKER_RE = re.compile(r"\[bookmark:[^\]]*\]\s*\[(\d{1,4})\]")
# Bookmarks that mark nothing we need: "[bookmark: _GoBack]".
DEBRIS_RE = re.compile(r"\[bookmark:[^\]]*\]")
# The rule Word prints above the notes: "_________________________________".
RULE_RE = re.compile(r"^\s*_{5,}\s*$")
# A note of the second copy: "[bookmark: _ftn1][2] [Orig. Note] The First shuttle ..."
NOTE_LINE_RE = re.compile(r"^\s*\[bookmark:[^\]]*\]\s*\[(\d{1,4})\]\s?(.*)$")
# A note of the first copy, its running number glued on: "64[Orig. Note] The First shuttle ..."
RUNNING_LINE_RE = re.compile(r"^\s*(\d{1,4})\S")
WS_RE = re.compile(r"\s+")


def squash(text: str) -> str:
    return WS_RE.sub(" ", text).strip()


def looks_like(text: str) -> bool:
    """Whether a text is a Word export: it carries footnote bookmarks."""
    return "[bookmark:" in text


def _apparatus(lines: list[str], start: int) -> tuple[list[str], dict[int, str], int]:
    """Both copies of the notes after the rule at lines[start]; and where the apparatus ends."""
    running: list[str] = []
    second: dict[int, str] = {}
    last: str | None = None  # which copy the previous line belonged to, for continuation lines
    blank_since = False
    j = start + 1
    while j < len(lines):
        line = lines[j]
        if not line.strip():
            blank_since = True
            j += 1
            continue
        m = NOTE_LINE_RE.match(line)
        if m:
            second[int(m.group(1))] = m.group(2)
            last, blank_since = "second", False
        elif not second and RUNNING_LINE_RE.match(line) and not DEBRIS_RE.search(line):
            running.append(line)
            last, blank_since = "running", False
        elif last and not blank_since:
            if last == "second":
                key = max(second)
                second[key] += " " + line.strip()
            else:
                running[-1] += " " + line.strip()
        else:
            break
        j += 1
    return running, second, j


def _running_numbers(running: list[str], texts: list[str]) -> list[str | None]:
    """Each note's running number: what its first-copy line has before the second copy's text."""
    out: list[str | None] = []
    for k, text in enumerate(texts):
        number = None
        if k < len(running):
            line, tail = squash(running[k]), squash(text)
            if tail and line.endswith(tail) and line[: len(line) - len(tail)].strip().isdigit():
                number = line[: len(line) - len(tail)].strip()
        out.append(number)
    return out


def _from_running_only(running: list[str]) -> list[tuple[str, str]]:
    """Running number and text when Word kept only the first copy: the numbers run on by one."""
    first = re.match(r"\d{1,4}", running[0].strip())
    digits = first.group(0) if first else ""
    for width in range(len(digits), 0, -1):
        base = int(digits[:width])
        if all(line.strip().startswith(str(base + k)) for k, line in enumerate(running)):
            return [(str(base + k), line.strip()[len(str(base + k)):]) for k, line in enumerate(running)]
    return [(m.group(1), line.strip()[len(m.group(1)):]) for line in running if (m := re.match(r"(\d+)", line.strip()))]


def reconcile(running: list[str], second: dict[int, str]) -> dict[str, DraftNote]:
    """One note per footnote from Word's two copies, keyed by the number at its marker."""
    notes: dict[str, DraftNote] = {}
    if second:
        keys = sorted(second)
        numbers = _running_numbers(running, [second[k] for k in keys])
        for key, number in zip(keys, numbers):
            text, original = split_original(squash(second[key]))
            notes[str(key)] = DraftNote(text=text, n=str(key), original=original, running_n=number)
    elif running:
        for k, (number, raw) in enumerate(_from_running_only(running)):
            text, original = split_original(squash(raw))
            notes[str(k + 1)] = DraftNote(text=text, n=str(k + 1), original=original, running_n=number)
    return notes


def clean_line(line: str) -> str:
    """A text line with markers as tokens and every other bookmark gone."""
    line = MARKER_RE.sub(lambda m: token(m.group(1)), line)
    return squash(DEBRIS_RE.sub("", line))


def read_drafts(text: str) -> list[Draft]:
    """Every document in a Word export, as drafts for the structure parser."""
    lines = text.split("\n")
    chunks: list[tuple[list[str], dict[str, DraftNote]]] = []
    current: list[str] = []
    i = 0
    while i < len(lines):
        if RULE_RE.match(lines[i]):
            running, second, end = _apparatus(lines, i)
            if running or second:
                chunks.append((current, reconcile(running, second)))
                current, i = [], end
                continue
        current.append(lines[i])
        i += 1
    if any(line.strip() for line in current):
        chunks.append((current, {}))
    drafts: list[Draft] = []
    for chunk, notes in chunks:
        docs = segment.split([clean_line(line) for line in chunk])
        for k, doc_lines in enumerate(docs):
            # the apparatus closes the last document of its chunk
            drafts.append(Draft(lines=doc_lines, notes=notes if k == len(docs) - 1 else {}))
    return drafts
