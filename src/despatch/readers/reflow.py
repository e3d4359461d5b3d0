"""Hard-wrapped text back into one line per paragraph.

A transcription typed or saved at a fixed width breaks every paragraph into
lines of about that width. A line was broken there because the next word did
not fit; a line that ends short of the width (a heading, a dateline, a
signature, a paragraph's last line) ends where its writer ended it. That rule
needs no knowledge of the document and leaves short lines alone.
"""
from __future__ import annotations

import re
from itertools import pairwise

from despatch.parse import lines as L

NUMBERED_RE = re.compile(r"^\s*(?:\[\d{1,3}\]|\(\d{1,3}\)|\d{1,3}\.)\s")
MIN_WIDTH, MAX_WIDTH = 40, 130  # typewriters, e-mail and word processors wrap in this range
MIN_SHARE = 0.5  # of the long lines, how many must be broken by the width to call the text wrapped


def _width(lines: list[str]) -> int | None:
    """The width the text was wrapped at (its longest lines, outliers aside), if it looks wrapped."""
    lengths = [len(line.rstrip()) for line in lines if line.strip()]
    if len(lengths) < 4:
        return None
    longest = sorted(lengths)[int(len(lengths) * 0.95)]
    if not MIN_WIDTH <= longest <= MAX_WIDTH:
        return None
    return longest


def _broken(line: str, following: str, width: int) -> bool:
    """Whether `line` ended only because the first word of `following` would not fit on it.

    A line opening with a number ("2. Not printed.", "[3] See ...") starts a note or
    a numbered point of its own, wherever the line before it ended.
    """
    if not line.strip() or not following.strip() or NUMBERED_RE.match(following):
        return False
    first = following.split(maxsplit=1)[0]
    return len(line.rstrip()) + 1 + len(first) > width


def _front_line(line: str, following: str, width: int) -> bool:
    """A line of a document's front that ends where its writer ended it, however long the next word:
    a source or number line, or a line followed by one (a heading over "[Telegram]") or by a dateline,
    unless the two make one dateline ("Legation of the United States, Honolulu," over "September 5, 1861")."""
    if L.is_source_line(line) or L.is_number_line(line) is not None or L.is_source_line(following):
        return True
    if L.parse_dateline(following) is None:
        return False
    joined = L.parse_dateline(f"{line.strip()} {following.strip()}")
    return joined is None or joined.place is None or L.is_heading(line) or L.parse_dateline(line) is not None


def reflow(lines: list[str]) -> list[str]:
    """`lines` with each wrapped paragraph joined into one line; unwrapped text comes back unchanged."""
    width = _width(lines)
    if width is None:
        return lines
    long = [(a, b) for a, b in pairwise(lines) if len(a.rstrip()) >= 0.75 * width]
    broken = sum(1 for a, b in long if _broken(a, b, width))
    if broken < 2 or broken < MIN_SHARE * len(long):
        return lines
    out: list[str] = []
    joining = False
    in_front = True  # the lines before a document's first blank line: number, source, heading, dateline
    for k, line in enumerate(lines):
        if joining:
            tail = out[-1].rstrip()
            glue = "" if tail.endswith("-") and not tail.endswith(" -") else " "
            out[-1] = tail + glue + line.strip()
        else:
            out.append(line)
        following = lines[k + 1] if k + 1 < len(lines) else ""
        joining = _broken(line, following, width) and not (in_front and _front_line(line, following, width))
        if not line.strip():
            in_front = False
        elif not following.strip() and k + 2 < len(lines) and not lines[k + 2].strip():
            in_front = True  # two blank lines: another document may begin
    return out


def join_broken_headings(lines: list[str]) -> list[str]:
    """A heading broken before a word in lower case, over its dateline, put back on one line.

    "The Ambassador in Cuba (Caffery) to the Secretary" over "of State": no heading
    line begins in lower case, so the short line ending the front is the heading's
    end, whatever width the text was typed at.
    """
    out: list[str] = []
    for k, line in enumerate(lines):
        text = line.strip()
        following = next((x for x in lines[k + 1:k + 3] if x.strip()), "")
        if (out and out[-1].strip() and text[:1].islower() and len(text) <= 60
                and (L.parse_dateline(following) is not None or L.is_source_line(following))
                and L.is_heading(f"{out[-1].strip()} {text}")):
            out[-1] = f"{out[-1].rstrip()} {text}"
            continue
        out.append(line)
    return out
