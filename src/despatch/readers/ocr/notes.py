"""The notes at the foot of a page (or in mid-stream): where they begin and end, their numbers and lines."""
from __future__ import annotations

import re
from collections.abc import Callable

from despatch.parse import lines as L
from despatch.readers.ocr.markers import _follows, _halves, _run_on, _run_on_match, _word_spaced, find_candidates
from despatch.readers.ocr.pages import NOTES_HEAD_RE, Candidate, Page, _measure
from despatch.readers.ocr.words import FROM_SUPERSCRIPT, SUP, TERMINAL

# ---------------------------------------------------------------- the notes at the foot

# The rule over the notes: "———", "____", "-----".
RULE_RE = re.compile(r"^\s*(?:[—_–─-]\s*){3,}$")
RULE_OR_HEAD = frozenset("—_–─-NF")  # how a rule or a notes heading begins, to pass other lines at a glance
# A note at the foot: "¹ Not printed.", "¹Not printed.", "12 Ante, p. 178.", "2a. Not printed.", "* See pages 3",
# and as other printers and scanners number them: "[12] Not printed.", "(12) Not printed.", "^12 Not printed.".
NOTE_START_RE = re.compile(
    rf"^\s{{0,10}}(?:(?P<sup>{SUP})\s*|(?P<num>[1-9]\d{{0,2}}[a-z]?)\.?\s+|(?P<sym>[*†‡§¶]{{1,3}})\s*"
    r"|\[(?P<bracket>[1-9]\d{0,2}[a-z]?)\]\.?\s*|\((?P<paren>[1-9]\d{0,2}[a-z]?)\)\.?\s*"
    r"|\^(?P<caret>[1-9]\d{0,2}[a-z]?)\s*)"
    r"(?P<text>\S.*)$"
)
# A note may open in lower case with an abbreviation: "i. e., the last paragraph", "ibid., p. 4".
LOWER_NOTE_RE = re.compile(r"^[a-z]{1,5}\.")
MAX_LONE_NOTE = 8  # lines: a note cited only by an unsure marker, alone at the foot, is short

# Note numbers printed in a form the text never opens a line with: "[1]", "^1" (and "¹").
PRINTED_LABELS = ("bracket", "caret")


def _note_start(line: str) -> tuple[str, str, str] | None:
    """The number, text and style of a line that may open a note: ("12", "Ante, p. 178.", "digits")."""
    m = NOTE_START_RE.match(line)
    if not m:
        return None
    if m.group("sup"):
        return m.group("sup").translate(FROM_SUPERSCRIPT), m.group("text"), "sup"
    if m.group("sym"):
        return m.group("sym"), m.group("text"), "sym"
    for style in PRINTED_LABELS:
        if m.group(style):
            return m.group(style), m.group("text"), style
    if m.group("paren"):
        return m.group("paren"), m.group("text"), "paren"
    style = "digits." if "." in line[m.end("num"):m.start("text")] else "digits"
    return m.group("num"), m.group("text"), style


def read_notes(pages: list[Page], superscript: bool) -> list[Page]:
    """Every page's notes read off its foot; a page whose notes stand in mid-stream is cut after them.

    Notes stand at the foot of a page. Where nothing else marks a page's end (no
    running head, page number or form feed) they stand in the run of lines with
    the next page's text under them, and where a document's notes are gathered
    at its end they stand before the next document: either way the page (the
    stretch of text whose markers they answer) ends with them. Numbers cited on
    a page without notes of its own stay pending until notes answer them.
    """
    out: list[Page] = []
    carry_open = False
    pending: dict[str, int] = {}  # number -> the surest marker for it, on pages since the last notes
    unmarked = len(pages) == 1  # nothing but the notes marks where a page ends
    for page in pages:
        lines = page.lines
        while lines and not lines[-1].strip():
            lines.pop()
        if out and out[-1].notes:
            for k in range(_continued_notes(out[-1], lines, carry_open)):
                _add_note_line(out[-1], lines[k])
                lines[k] = ""
        candidates = find_candidates(lines, superscript)
        for a, b, start in _scopes(lines, candidates, pending, carry_open, unmarked):
            sub = Page(lines[a:b])
            sub.candidates = [Candidate(c.line - a, c.start, c.end, c.number, c.strength, c.form)
                              for c in candidates if a <= c.line < b]
            # notes found in mid-stream that open with a numbered note carry nothing over
            carry = carry_open and (start is None or _note_start(lines[start]) is None)
            read_foot(sub, carry, pending, None if start is None else start - a)
            if sub.notes:
                pending = {}
            else:
                for c in sub.candidates:
                    pending[c.number] = max(pending.get(c.number, -1), c.strength)
            carry_open = _unfinished(sub)
            out.append(sub)
    return out


def _continued_notes(prev: Page, lines: list[str], carry_open: bool) -> int:
    """How many lines at the top of a page go on with the notes of the page before: notes gathered at
    a document's end run over the page break ("⁴⁵ Rex A. Pixley, ... of the Republic of" over the
    running head, "Haiti." and "⁴⁶ Director of ..." under it), and then the next document begins.

    The first line must number the next note as the notes before were numbered (not "2. All
    transactions...", which goes on with numbered paragraphs), or end the last note where it stopped
    mid-sentence under a text that had ended; a page's own text, which goes on with the text above, is
    neither.
    """
    first = next((i for i, ln in enumerate(lines) if ln.strip()), None)
    if first is None or not prev.notes:
        return 0
    found = _note_start(lines[first])
    number = prev.notes[-1][0]
    last_style = _note_start(prev.foot[-len(prev.notes[-1][1])]) if prev.foot else None
    if found is not None:
        if not (_follows(number, found[0]) and found[2] != "digits." and last_style and found[2] == last_style[2]):
            return 0
    else:
        ended = (prev.body[-1].rstrip().endswith(TERMINAL) or len(prev.body[-1]) - len(prev.body[-1].lstrip()) >= 8) \
            if prev.body else False
        j = next((k for k in range(first, len(lines)) if not lines[k].strip() or _note_start(lines[k])), len(lines))
        then = _note_start(lines[j]) if j < len(lines) else None
        # the run-on starts in lower case, or ends a word broken at the line's end, or the next note
        # follows it, or it is short and the next document follows it ("York." and two blank lines)
        goes_on = lines[first].strip()[:1].islower() or prev.foot[-1].rstrip().endswith("-") \
            or (then is not None and _follows(number, then[0])) \
            or (j - first <= 3 and lines[j - 1].rstrip().endswith(TERMINAL) and not "".join(lines[j:j + 2]).strip())
        if not (carry_open and ended and goes_on and _is_flush_block(lines, first, j)):
            return 0
    end = _notes_end(lines, first)
    if found is None and end - first > MAX_LONE_NOTE:
        return 0
    return end


def _add_note_line(page: Page, line: str) -> None:
    """A line of the notes at a page's foot, carried over from the next page: a new note, or more of the last."""
    if not line.strip():
        return
    page.foot.append(line)
    found = _note_start(line)
    if found is not None and _follows(page.notes[-1][0], found[0]):
        page.notes.append((found[0], [found[1]]))
    else:
        page.notes[-1][1].append(line.strip())


def _scopes(lines: list[str], candidates: list[Candidate], pending: dict[str, int], carry_open: bool,
            unmarked: bool) -> list[tuple[int, int, int | None]]:
    """The stretches of a page that each end with notes: (first line, past-last line, first note line).

    A stretch ends after notes that have more text under them; the last runs to
    the page's foot, whose notes `read_foot` finds (None). One forward pass: the
    numbers cited so far are kept as it goes.
    """
    out: list[tuple[int, int, int | None]] = []
    last_text = max((i for i, ln in enumerate(lines) if ln.strip()), default=-1)
    measured: list[int] = []

    def width() -> int:  # measured once, if a blank line over notes asks for it
        if not measured:
            measured.append(_measure(lines))
        return measured[0]

    cited = dict(pending)
    a = ci = i = 0
    while i < last_text:
        while ci < len(candidates) and candidates[ci].line < i:
            c = candidates[ci]
            cited[c.number] = max(cited.get(c.number, -1), c.strength)
            ci += 1
        start = _mid_notes(lines, i, cited, carry_open and a == 0, unmarked, width)
        if start is not None:
            end = _notes_end(lines, start)
            if end >= last_text:
                break  # the notes at the page's foot
            out.append((a, end, start))
            a = i = end
            cited = {}
            carry_open = False
            continue
        i += 1
    out.append((a, len(lines), None))
    return out


def _mid_notes(lines: list[str], i: int, cited: dict[str, int], carry_open: bool, unmarked: bool,
               width: Callable[[], int]) -> int | None:
    """The first line of notes opening at line i, in the stream of lines: under a rule or "NOTES"; or,
    where nothing else marks the pages or under a closer, under a blank line, every note cited by a
    sure marker above ("Crosby:1", "Crosby¹")."""
    line = lines[i]
    if line.lstrip()[:1] in RULE_OR_HEAD and (RULE_RE.match(line) or NOTES_HEAD_RE.match(line)):
        j = next((k for k in range(i + 1, min(i + 3, len(lines))) if lines[k].strip()), None)
        if j is None:
            return None
        found = _note_start(lines[j])
        if found is None:
            # the end of a note begun on the page before, above this page's own
            return j if carry_open and _is_flush_block(lines, j, j + 1) else None
        # under "NOTES", or under a rule: a note cited above, numbered as none of the text is, or followed by
        # the next ("1. File No. 861.24/50" and "2. Sent via the Consulate"), the markers unread as yet
        if NOTES_HEAD_RE.match(line) or found[2] in ("sup", "sym", *PRINTED_LABELS) or cited.get(found[0], -1) >= 0:
            return j
        then = _note_start(lines[j + 1]) if j + 1 < len(lines) else None
        return j if then is not None and then[2] == found[2] and _follows(found[0], then[0]) else None
    if line.strip() or i + 1 >= len(lines):
        return None
    found = _note_start(lines[i + 1])
    if found is None or cited.get(found[0], -1) < 2:
        return None
    if found[1][:1].islower() and not LOWER_NOTE_RE.match(found[1]):
        return None
    above = next((lines[k] for k in range(i - 1, -1, -1) if lines[k].strip()), "")
    lead = len(above) - len(above.lstrip())
    if L.parse_dateline(above.strip()) or above.lstrip().startswith("[") or not (
            (unmarked and lead < 8) or (lead >= 8 and len(above) >= width() - 3)):
        # under the text of a page with nothing else to end it, or under a closer set right; not
        # under a heading or a dateline ("(Washington)²" over "2. Your 115, December 31"); in a
        # page of its own, a blank line over notes is their foot's, found there
        return None
    end = _notes_end(lines, i + 1)
    numbers = [f[0] for k in range(i + 1, end) if (f := _note_start(lines[k])) and f[2] == found[2]]
    return i + 1 if all(cited.get(n, -1) == 2 for n in numbers) else None


def _notes_end(lines: list[str], j: int) -> int:
    """Where the notes from line j stop: at a blank line the next note does not follow."""
    first = _note_start(lines[j])
    number, style = (first[0], first[2]) if first else ("", "")
    k = j + 1
    while k < len(lines):
        if not lines[k].strip():
            nxt = next((m for m in range(k + 1, min(k + 3, len(lines))) if lines[m].strip()), None)
            found = _note_start(lines[nxt]) if nxt is not None else None
            if nxt is None or found is None or not (_follows(number, found[0]) and (not style or found[2] == style)):
                return k
            k = nxt
            continue
        found = _note_start(lines[k])
        if found is not None and (not number or (found[2] == style and _follows(number, found[0]))):
            number, style = found[0], found[2]
        k += 1
    return len(lines)


def read_foot(page: Page, carry_open: bool, pending: dict[str, int] | None = None, start: int | None = None) -> None:
    """Split the page into body and foot, and the foot into notes (and the run-on of the last page's note).

    `pending` holds numbers cited on pages before, still unanswered (endnotes);
    `start`, where the notes begin, if already known.
    """
    lines = page.lines
    while lines and not lines[-1].strip():
        lines.pop()
    cited: dict[str, int] = {}  # number -> first line a marker for it stands on
    sure: dict[str, int] = {}
    for number, strength in (pending or {}).items():
        if strength >= 1:
            cited[number] = -1
            if strength == 2:
                sure[number] = -1
    for c in page.candidates:
        for number in [c.number] + (_halves(c.number) if c.strength >= 1 and c.form not in ("bracket", "paren") else []):
            cited.setdefault(number, c.line)
            if c.strength == 2:
                sure.setdefault(number, c.line)
    if start is None:
        start = _foot_start(lines, cited, sure, carry_open)
        if start is not None and pending and not _answers_pending(lines, start, page.candidates):
            start = None
    if start is None:
        page.body = lines
        return
    page.body = lines[:start]
    while page.body and not page.body[-1].strip():
        page.body.pop()
    if page.body and (RULE_RE.match(page.body[-1]) or NOTES_HEAD_RE.match(page.body[-1])):
        page.body.pop()  # the rule over the notes, or their heading
        while page.body and not page.body[-1].strip():
            page.body.pop()
    page.foot = [ln for ln in lines[start:] if ln.strip()]
    current: list[str] | None = None
    style = ""
    for ln in page.foot:
        found = _note_start(ln)
        # a line opens a note if a marker above cites its number, if it is printed like the note
        # before it and numbered next ("5 Ibid." after "4 Not printed."), or numbered in superscript;
        # "2. All transactions..." inside a note's own text is none of these
        if found and (
            cited.get(found[0], start) < start
            or (current is None and not carry_open)  # the first line of a foot found to be notes
            or (current is not None and found[2] == style and _follows(page.notes[-1][0], found[0]))
            or found[2] in ("sup", *PRINTED_LABELS)
        ):
            style = found[2]
            current = [found[1]]
            page.notes.append((found[0], current))
        elif current is not None:
            current.append(ln.strip())
        else:
            page.carried.append(ln.strip())


def _answers_pending(lines: list[str], start: int, candidates: list[Candidate]) -> bool:
    """Whether notes found at line `start` may answer markers of the pages before: a page's own notes
    do (a marker on the page cites the first), and so do notes gathered at a document's end, under a
    rule, a heading or the closer; "(1) That it should confirm..." under the text goes on with it."""
    first = _note_start(lines[start])
    if first is None or any(c.number == first[0] and c.line < start for c in candidates):
        return True
    above = next((ln for ln in reversed(lines[:start]) if ln.strip()), "")
    return bool(RULE_RE.match(above) or NOTES_HEAD_RE.match(above)) or len(above) - len(above.lstrip()) >= 8


def _blocks(lines: list[str]) -> list[tuple[int, int]]:
    """The runs of non-blank lines, as (first, past-last) indices."""
    out: list[tuple[int, int]] = []
    a = None
    for i, ln in enumerate(lines):
        if ln.strip():
            a = i if a is None else a
        elif a is not None:
            out.append((a, i))
            a = None
    if a is not None:
        out.append((a, len(lines)))
    return out


def _foot_start(lines: list[str], cited: dict[str, int], sure: dict[str, int], carry_open: bool) -> int | None:
    """Where the notes begin: under the rule, or at the blocks at the foot that read as cited notes."""
    for i in range(len(lines) - 1, 0, -1):
        if RULE_RE.match(lines[i]) or NOTES_HEAD_RE.match(lines[i]):
            below = next((ln for ln in lines[i + 1:] if ln.strip()), "")
            # a rule over notes, not a line of dashes in the text
            if below and (_note_start(below) is not None or carry_open):
                return i + 1
            break
    blocks = _blocks(lines)
    start: int | None = None
    seen: set[str] = set()
    style = ""
    for a, b in reversed(blocks[1:]):  # the page's first block is its text
        opening = _note_start(lines[a])
        if not _cited_run(lines, a, len(lines), cited, sure) or (style and opening and opening[2] != style):
            # (the notes of a page are numbered alike: "2. Referring to..." over "¹² 816.01/368" is text)
            if carry_open and _is_flush_block(lines, a, b) and opening is None:
                start = a  # the end of the last page's note, above this page's own (if any)
            break
        style = opening[2] if opening else style
        numbers = [found[0] for j in range(a, b) if (found := _note_start(lines[j])) and cited.get(found[0], a) < a]
        if seen.intersection(numbers) or len(set(numbers)) < len(numbers):
            break  # numbers that repeat belong to numbered paragraphs, not notes
        seen.update(numbers)
        start = a
    if start is None and blocks:
        # no blank line over the notes: the first line of the last block from which the lines read as notes
        a, b = blocks[-1]
        start = next((j for j in range(a + 1, b) if _cited_run(lines, j, b, cited, sure)), None)
    return start


def _cited_run(lines: list[str], j: int, end: int, cited: dict[str, int], sure: dict[str, int]) -> bool:
    """Whether lines[j:end] read as notes: numbered in sequence from line j, each number cited above j."""
    first = _note_start(lines[j])
    if first is None:
        return False
    if cited.get(first[0], end) >= j and not (
            (first[2] == "digits" and end - j <= MAX_LONE_NOTE
             and (_run_on_above(lines, j, first[0]) or _spaced_above(lines, j, first[0])))
            or _spaced_run(lines, j, end, first)):
        return False  # no marker above cites it, not even one run on from a figure ("December 111")
    if first[1][:1].islower() and not LOWER_NOTE_RE.match(first[1]):
        return False  # a note opens with a capital ("Not printed.", "Ante, p. 6."); "3 about 7 taels" is text
    numbers = [first[0]]
    for k in range(j + 1, end):
        found = _note_start(lines[k])
        if found is not None and found[2] == first[2] and _follows(numbers[-1], found[0]):
            if cited.get(found[0], end) >= j and not _run_on_above(lines, j, found[0]) \
                    and not _spaced_above(lines, j, found[0]):
                return False  # "9. The Congress..." with no marker 9 above: numbered paragraphs, not notes
            numbers.append(found[0])
    # alone, a note numbered bare ("21 Not printed.") and short, or one a sure marker cites;
    # "7. The value..." under a "25.7" is a numbered paragraph
    lone = first[2] != "digits." and end - j <= MAX_LONE_NOTE
    return len(numbers) >= 2 or lone or sure.get(first[0], end) < j


def _spaced_above(lines: list[str], j: int, number: str) -> bool:
    """Whether `number` stands above line j after a space after a word, as a marker may be read
    ("State 46", "Ramirez 50"), and not as the text's own number ("Article 2", "April 20", "Fort 1,")."""
    return _word_spaced(lines, number, (0, 0), (j, 0), "", bare=True) is not None


def _spaced_run(lines: list[str], j: int, end: int, first: tuple[str, str, str]) -> bool:
    """Whether two notes or more, numbered in sequence from line j, are cited above, in their order, by
    numbers set after a word: "46. 817.00/7968" and "47. Not sent until..." under "State 46" and "1934. 47"."""
    numbers = [first[0]]
    for k in range(j + 1, end):
        found = _note_start(lines[k])
        if found is not None and found[2] == first[2] and _follows(numbers[-1], found[0]):
            numbers.append(found[0])
    if len(numbers) < 2:
        return False
    at = (0, 0)
    for n in numbers:  # in the order of the notes, as markers stand
        spaced = _word_spaced(lines, n, at, (j, 0), "", bare=True)
        if spaced is None:
            return False
        at = (spaced[0], spaced[1].end())
    return True


def _run_on_above(lines: list[str], j: int, number: str) -> bool:
    """Whether a marker for `number` may stand run on from a figure above line j: "instruction No. 5924"."""
    pattern = _run_on(number)
    return any(_run_on_match(pattern, line) for line in lines[:j])


def _is_flush_block(lines: list[str], a: int, b: int) -> bool:
    """Lines set full out, as a note runs on; not a heading or a dateline."""
    return all(len(ln) - len(ln.lstrip()) <= 6 for ln in lines[a:b] if ln.strip())


def _unfinished(page: Page) -> bool:
    """Whether the page's last note stops mid-sentence on a full line, to end at the next page's foot."""
    if not page.foot:
        return False
    last = page.foot[-1].rstrip()
    width = max(len(ln.rstrip()) for ln in page.lines)
    return last.endswith("-") or (not last.endswith(TERMINAL) and len(last) >= width - 12)
