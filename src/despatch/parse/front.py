"""The front of a document: number, source lines, heading, dateline, received line.

Where they stand is read from the lines' wording (`parse.lines`), from a blank
line setting the front apart in typed transcriptions, or from the raw form's
own hint (a bold heading in .docx).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from despatch.parse import lines as L

FRONT_WINDOW = 8  # a heading and dateline stand within the first lines of a document
LONG_LINE = 300  # longer than any heading or dateline: the body has begun


@dataclass
class Front:
    """Where the parts before the body stand, as line indices."""

    number: str | None = None
    sources: list[int] = field(default_factory=list)
    head: int | None = None
    dateline: int | None = None
    received: int | None = None
    body_start: int = 0


def non_blank(lines: list[str], start: int, end: int) -> list[int]:
    return [i for i in range(start, end) if lines[i].strip()]


def find_front(lines: list[str], start: int, end: int, head_hint: int | None = None) -> Front:
    """Number, source lines, heading and dateline at the top of lines[start:end]."""
    idx = non_blank(lines, start, end)
    front = Front(body_start=end)
    if not idx:
        return front
    k = 0
    number = L.is_number_line(lines[idx[0]])
    if number and len(idx) > 1:
        front.number, k = number, 1
    window = []
    for i in idx[k:k + FRONT_WINDOW]:
        if len(L.plain(lines[i])) > LONG_LINE:
            break
        window.append(i)

    if head_hint is not None and head_hint in idx:
        head_pos = idx.index(head_hint)
        front.sources = [i for i in idx[k:head_pos]]
        front.head = head_hint
        rest = idx[head_pos + 1:head_pos + 3]
        for i in rest:
            if L.parse_dateline(lines[i]):
                front.dateline = i
                break
            if not L.is_source_line(lines[i]):
                break
            front.sources.append(i)
    else:
        front_from_wording(lines, window, front)

    last = max(x for x in (front.head, front.dateline, *front.sources, idx[k - 1] if k else None, -1) if x is not None)
    after = [i for i in idx if i > last]
    if front.dateline is not None and after and L.is_received_line(lines[after[0]]):
        front.received = after[0]
        last = after[0]
    front.body_start = last + 1 if last >= 0 else start
    return front


def _dateline_at(lines: list[str], window: list[int], p: int) -> bool:
    """Whether window[p] is this document's dateline.

    A date alone on its line ("July 25, 1918.") dates the document only right
    under its heading and source lines; further down, after another heading, it
    dates a paper the document quotes.
    """
    found = L.parse_dateline(lines[window[p]])
    if found is None:
        return False
    if found.place is not None or p < 2:
        return True
    return all(L.is_source_line(lines[i]) or L.is_number_line(lines[i]) for i in window[:p - 1])


def _salutation_alone(line: str) -> bool:
    """ "Sir:", "To the Senate and House of Representatives:": the letter has begun."""
    text = L.plain(line)
    return text.endswith(":") and len(text) <= 80 and not L.is_source_line(line)


def front_from_wording(lines: list[str], window: list[int], front: Front) -> None:
    # the front ends where the letter begins: a dateline under "To the Senate ...:" and the text
    # ("White House, December 11, 1901.") dates a message at its foot
    letter = next((p for p, i in enumerate(window) if _salutation_alone(lines[i])), len(window))
    dateline_pos = next((p for p in range(min(letter + 1, len(window))) if _dateline_at(lines, window, p)), None)
    if dateline_pos is not None:
        front.dateline = window[dateline_pos]
        if dateline_pos == 0:
            return
        head_pos = dateline_pos - 1
        # "[Telegram]" printed between heading and dateline belongs to the source apparatus
        if head_pos >= 1 and L.is_source_line(lines[window[head_pos]]) and not L.is_source_line(lines[window[head_pos - 1]]):
            front.sources.append(window[head_pos])
            head_pos -= 1
        front.head = window[head_pos]
        front.sources = window[:head_pos] + front.sources
        return
    # a typed transcription sets its front apart with a blank line
    window = window[:letter]
    group: list[int] = []
    for i in window:
        if group and i != group[-1] + 1:
            break
        group.append(i)
    after_group = group[-1] + 1 if group else 0
    separate = bool(group) and len(group) <= 4 and after_group < len(lines) and not lines[after_group].strip()
    candidates = group if separate else window[:4]
    found = next((p for p, i in enumerate(candidates) if L.is_heading(lines[i])), None)
    heading_at = len(group) - 1 if found is None and separate else found
    if heading_at is not None:
        front.head = window[heading_at]
        front.sources = window[:heading_at]
