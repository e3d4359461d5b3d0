"""Note markers: the numbers and signs in a page's text that may cite a note, and those taken as markers."""
from __future__ import annotations

import re
from bisect import bisect_right
from collections import Counter

from despatch.parse import lines as L
from despatch.parse.markers import token
from despatch.readers.ocr.pages import Candidate, Page
from despatch.readers.ocr.words import FROM_SUPERSCRIPT, SUP

# ---------------------------------------------------------------- markers

# A superscript marker: "Secretary of State¹", "Klotz²".
SUP_MARK_RE = re.compile(SUP)
# Digits glued after a word or stop, as OCR reads a superscript: "Crosby:1", "Klotz2 both", "1924.3"
# (not a time or a figure: "1:30", "2,240").
MARK_END = r"(?=[\s.,;:)\]”’\"—]|$)"  # what may follow a marker: a space, a stop, a closing quote
GLUED_MARK_RE = re.compile(r"(?<=[A-Za-zÀ-ÿ.,;:!?…)\]”’\"—])(?P<n>[1-9]\d{0,5}[a-z]?)(?![.:,]\d)" + MARK_END)
# A note marked by a sign, the printer's own or the original's: "Stevenson Scheme*", "Government†".
SYMBOL_MARK_RE = re.compile(r"(?<=[A-Za-zÀ-ÿ0-9.,;:!?…)\]”’\"—])(?P<n>[*†‡§¶]{1,3})" + MARK_END)
# Digits run on from a year, as OCR reads a superscript after it: "November 17, 193346 does".
YEAR_MARK_RE = re.compile(r"(?<=\b1[6-9]\d\d)(?P<n>[1-9]\d?[a-z]?)(?![.:,]\d)" + MARK_END)
# Digits set off by a space after a stop: "Crosby: 1 At meeting", "last, 3 relative".
SPACED_MARK_RE = re.compile(r"(?<=[.,;:!?…)\]”’\"]) (?P<n>[1-9]\d{0,5}[a-z]?)(?=\s|$)")
# A superscript as other scanners render it: after a caret, "Crosby:^1", or in brackets, "Crosby:[1]",
# "Crosby: [1]", or in parentheses, "Crosby:(1)"; "(1) that the" after a space is as often an enumeration.
CARET_MARK_RE = re.compile(r" ?\^(?P<n>[1-9]\d{0,3}[a-z]?)")
BRACKET_MARK_RE = re.compile(r"(?P<gap> ?)\[(?P<n>[1-9]\d{0,3}[a-z]?)\]")
PAREN_MARK_RE = re.compile(r"(?P<gap> ?)\((?P<n>[1-9]\d{0,3}[a-z]?)\)")
# Digits after a space after a word, as a superscript may be read: "Klotz 2 both"; looked for only
# for a note still uncited, between its neighbours' markers.
WORD_SPACED_MARK = r"(?<=[A-Za-zÀ-ÿ0-9.,;:!?)\]”’\"]) ({})(?=[\s.,;:)]|$)"
# Words after a number that make it the text’s own: "1 p.m.", "12 noon", "3 o’clock", "5 per cent", "2 %".
AFTER_NUMBER_RE = re.compile(
    r"(?:[ \n]+\[[^\]\n]{1,12}\])?"  # the editor's correction between: "2 [12] p.m."
    r"[ \n]+(?:[ap]\.\s?m\b|o’clock|o'clock|per\b|percent|th\b|st\b|nd\b|rd\b|noon\b|midnight\b|%)", re.IGNORECASE
)
# Words before a number that make it the text's own: "No. 5", "p. 12", "Jan. 9", "vol. ii. 3".
NUMBERED_WORDS = frozenset({
    "no", "nos", "p", "pp", "vol", "vols", "art", "arts", "sec", "secs", "par", "ch", "chap", "fig", "note",
    "notes", "para", "paras", "section", "article", "paragraph", "jan", "feb", "mar", "apr", "aug", "sept",
    "sep", "oct", "nov", "dec", "ibid", "ii", "iii", "iv", "v", "vi"
})
YEAR_RE = re.compile(r"1[6-9]\d\d")
THOUSANDS_RE = re.compile(r"\d{3}(?!\d)")
DIGITS_BEFORE_RE = re.compile(r"\d+$")
WORD_STOP_RE = re.compile(r"([A-Za-z]+)\.$")
NUMBER_STOP_RE = re.compile(r"\d[,.:;]$")
NEXT_WORD_RE = re.compile(r" ([A-Za-z]{2,})\b")
LIST_WORDS = frozenset({"and", "or", "nor", "to", "inclusive", "per", "percent"})
NUMBER_PARTS_RE = re.compile(r"(\d*)(\D*)")


def find_candidates(lines: list[str], superscript: bool) -> list[Candidate]:
    """Numbers in the lines that may be markers, in reading order.

    The patterns run once over the page (lines joined by newlines), not line by
    line: a page is searched in a handful of regex passes.
    """
    text = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    found = [(m.start(), m.end(), m.group("n"), 2, "printed" if superscript else "")
             for m in SYMBOL_MARK_RE.finditer(text)]
    if "^" in text:
        found += [(m.start(), m.end(), m.group("n"), 2, "printed") for m in CARET_MARK_RE.finditer(text)]
    if superscript:
        found += [(m.start(), m.end(), m.group(0).translate(FROM_SUPERSCRIPT), 2, "printed")
                  for m in SUP_MARK_RE.finditer(text)]
    else:
        for m in GLUED_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), _glued_strength(text, m.start(), m.end()), ""))
        for m in YEAR_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), -1 if AFTER_NUMBER_RE.match(text, m.end()) else 0, ""))
        for m in SPACED_MARK_RE.finditer(text):
            found.append((m.start(), m.end(), m.group("n"), _spaced_strength(text, m.start(), m.end()), ""))
        if "[" in text:
            # "2 [12] p.m.": a figure put right by the editor, not a marker
            found += [(m.start(), m.end(), m.group("n"), 0 if text[max(0, m.start() - 1):m.start()].isdigit() else 2,
                       "bracket") for m in BRACKET_MARK_RE.finditer(text)]
        if "(" in text:
            for m in PAREN_MARK_RE.finditer(text):
                found.append((m.start(), m.end(), m.group("n"), _paren_strength(text, m), "paren"))
    out = []
    for start, end, number, strength, form in sorted(found):
        if strength >= 0:
            i = bisect_right(starts, start) - 1
            out.append(Candidate(i, start - starts[i], end - starts[i], number, strength, form))
    return out


def _paren_strength(text: str, m: re.Match[str]) -> int:
    """How likely "(2)" is a marker: -1 opening a line ("   (5) Miscellaneous.—It was"); glued to a word
    or stop, sure ("Sheldon:(1)"), but after a figure doubtful ("Article 5(2)", "lines 10 and 11(56)");
    after a space, doubtful where it is one of a series or numbers a part ("the following: (1) that",
    "Article 259 (1) of the Treaty", "paragraph (2)"), else sure ("Chargé d’Affaires at Guatemala, (11)")."""
    if not text[text.rfind("\n", 0, m.start()) + 1:m.start()].strip():
        return -1
    before = text[m.start() - 1]
    if not m.group("gap"):
        return 0 if before in "0123456789([" else 2
    n = int(re.sub(r"\D", "", m.group("n")) or 0)
    word = PREVIOUS_WORD_RE.search(text, max(0, m.start() - 30), m.start())
    if before.isdigit() or f"({n - 1})" in text or f"({n + 1})" in text \
            or (word is not None and word.group(1).lower() in OWN_NUMBER_WORDS):
        return 0
    return 2


def _glued_strength(text: str, at: int, end: int) -> int:
    """How likely digits glued after a word or stop are a marker: -1 for "2,240" or "10 p.m.", 0 for "7.32"."""
    if AFTER_NUMBER_RE.match(text, end):
        return -1
    if at < 2 or text[at - 1] not in ".,:" or not text[at - 2].isdigit():
        return 2
    if text[at - 1] == ",":
        return -1 if THOUSANDS_RE.match(text, at) else 2  # "2,240" is a figure, "November 1,3" a date and a marker
    digits = DIGITS_BEFORE_RE.search(text[max(0, at - 6):at - 1])  # a short window: the text is a whole page
    # "1924.3" is a year and a marker; "7.32" a decimal as likely as a paragraph number and a marker
    return 2 if digits is not None and len(digits.group(0)) >= 4 else 0


def _spaced_strength(text: str, at: int, end: int) -> int:
    """How likely a number set off by a space is a marker: -1 for the text's own ("No. 5", "7, 1 p.m.")."""
    if AFTER_NUMBER_RE.match(text, end):
        return -1
    window = text[max(0, at - 14):at]
    before = WORD_STOP_RE.search(window)
    if before is not None and before.group(1).lower() in NUMBERED_WORDS:
        return -1
    if NUMBER_STOP_RE.search(window):
        # "Nos. 12, 13 and 14" is a list of numbers; "April 20, 1925, 13 submitting" and
        # "July 9, 1924. 55 Your attention" are dates and markers
        following = NEXT_WORD_RE.match(text, end)
        if following is None:
            return 0
        word = following.group(1)
        return 1 if word.islower() and word not in LIST_WORDS or window.endswith(".") and word[0].isupper() else 0
    return 1


def _halves(number: str) -> list[str]:
    """The numbers two markers side by side may be: "1920" -> 1, 920, 19, 20, 192, 0 (pairs in a row)."""
    return [part for i in range(1, len(number)) if number[i] != "0" for part in (number[:i], number[i:])]


def _follows(a: str, b: str) -> bool:
    """Whether note number b comes right after a: 5 -> 6, 2 -> 2a, 2a -> 2b, 2a -> 3."""
    ma, mb = NUMBER_PARTS_RE.match(a), NUMBER_PARTS_RE.match(b)
    if ma is None or mb is None:
        return False
    (da, la), (db, lb) = ma.groups(), mb.groups()
    if not da or not db:
        return False
    if da == db:
        return (not la and lb == "a") or (len(la) == 1 and len(lb) == 1 and ord(lb) == ord(la) + 1)
    return int(db) == int(da) + 1 and not lb


def _run_on(number: str) -> re.Pattern[str]:
    """A marker run on from a figure: "instruction No. 592" + "4"; the figure is in group 1."""
    return re.compile(rf"(?<!\d)(\d{{2,}}?){re.escape(number)}(?![.:,]\d)" + MARK_END)


def _run_on_match(pattern: re.Pattern[str], line: str, pos: int = 0) -> re.Match[str] | None:
    """The first run-on marker in the line from pos, a year left whole: "1934" is not "193" and a marker 4."""
    for m in pattern.finditer(line, pos):
        if not YEAR_RE.fullmatch(m.group(0).rstrip(".,;:)]”’\"—")):
            return m
    return None


# ---------------------------------------------------------------- markers in the text


Chosen = list[tuple[Candidate, list[str]]]  # markers taken on a page, each with the keys of its notes


def place_markers(pages: list[Page], superscript: bool, figures: Counter[str]) -> tuple[list[list[str]], set[str]]:
    """Every page's body lines with markers as tokens keyed "page.number"; and the keys used.

    A page's notes are looked for on the page first. Notes gathered at the end
    of a document answer markers on the pages before theirs too: where a page
    leaves notes uncited, the pages since the last notes are read with it.
    """
    chosen_on: list[dict[tuple[int, int], tuple[Candidate, list[str]]]] = []
    pending: list[int] = []
    for p, page in enumerate(pages):
        chosen = _page_markers(page, p, pages, superscript, figures)
        chosen_on.append({(c.line, c.start): (c, keys) for c, keys in chosen})
        if not page.notes:
            pending.append(p)
            continue
        numbers = {n for n, _ in page.notes}
        if pending and len(_cited_here(chosen, p)) < len(numbers):
            pool = [(q, c) for q in [*pending, p] for c in pages[q].candidates if c.line < len(pages[q].body)]
            order = {n: i for i, (n, _) in reversed(list(enumerate(page.notes)))}
            wider = _match(pool, order, p, {})
            if len({k for _, _, keys in wider for k in keys}) > len(_cited_here(chosen, p)):
                for q in [*pending, p]:
                    own = {at: pair for at, pair in chosen_on[q].items() if not pair[1] or not pair[1][0].startswith(f"{p}.")}
                    own.update({(c.line, c.start): (c, keys) for r, c, keys in wider if r == q})
                    chosen_on[q] = own
        pending = []
    bodies: list[list[str]] = []
    used: set[str] = set()
    for page, chosen_at in zip(pages, chosen_on):
        out = list(page.body)
        for (line, _), (c, keys) in sorted(chosen_at.items(), reverse=True):
            out[line] = out[line][: c.start] + "".join(token(k) for k in keys) + out[line][c.end:]
            used.update(keys)
        bodies.append(out)
    return bodies, used


def _cited_here(chosen: Chosen, p: int) -> set[str]:
    return {k for _, keys in chosen for k in keys if k.startswith(f"{p}.")}


def _page_markers(page: Page, p: int, pages: list[Page], superscript: bool, figures: Counter[str]) -> Chosen:
    """The markers on the page, each with the keys of the notes it cites (none: a superscript to drop).

    The notes at the foot stand in the order of their first markers, so markers
    are taken in that order; a number seen again is a second marker for the same
    note ("25 Not printed." cited three times on a page).
    """
    order = {n: i for i, (n, _) in reversed(list(enumerate(page.notes)))}
    near: dict[str, int] = {}
    for q in (p - 1, p + 1):
        if 0 <= q < len(pages):
            for n, _ in pages[q].notes:
                near.setdefault(n, q)
    found = _match([(p, c) for c in page.candidates if c.line < len(page.body)], order, p, near)
    chosen = [(c, keys) for _, c, keys in found]
    if not superscript and len(_cited_here(chosen, p)) < len(order):
        chosen = _run_on_markers(page, p, order, chosen, figures)
    return chosen


def _match(candidates: list[tuple[int, Candidate]], order: dict[str, int], p: int,
           near: dict[str, int]) -> list[tuple[int, Candidate, list[str]]]:
    """Markers among the candidates (each with its page) for the notes of page p, numbered as in `order`."""
    want = 0
    chosen: list[tuple[int, Candidate, list[str]]] = []
    # "(1)" after a space yields to a surer marker of its number: it is as often an enumeration
    surer = {c.number for _, c in candidates if c.strength >= 1} if any(c.form == "paren" for _, c in candidates) else set()
    for q, c in candidates:
        if c.form == "paren" and c.strength == 0 and c.number in surer:
            continue
        numbers = [c.number]
        if c.number not in order and c.form not in ("bracket", "paren"):
            # two markers side by side read as one number: "(Laleau)¹⁹²⁰", "(Francis)12", "1925" + "45";
            # a doubtful candidate only for two notes that follow each other at the foot
            halves = _halves(c.number)
            numbers = next(([a, b] for a, b in zip(halves[::2], halves[1::2])
                            if a in order and b in order and order[a] < order[b]
                            and (c.strength >= 1 or order[b] == order[a] + 1)), numbers)
        keys = []
        for number in numbers:
            i = order.get(number)
            if i is not None and (i == want or (i < want and c.strength >= 1) or c.strength == 2):
                keys.append(f"{p}.{number}")
                want = max(want, i + 1)
            elif i is None and c.strength == 2 and number in near:
                keys.append(f"{near[number]}.{number}")  # the note went to the page before or after its marker
        if keys or c.form == "printed":
            chosen.append((q, c, keys))  # a superscript citing no note is dropped, not left in a word
    return chosen


def _run_on_markers(page: Page, p: int, order: dict[str, int], chosen: list[tuple[Candidate, list[str]]],
                    figures: Counter[str]) -> list[tuple[Candidate, list[str]]]:
    """Markers run on from a number ("Septem-ber 142", "Nos. 15 and 1741"), for notes still uncited.

    Looked for only between the markers of the notes before and after it, since
    "1741" is as likely a year: the note's place in the order is the evidence.
    """
    placed = {k.split(".", 1)[1]: (c.line, c.start) for c, keys in chosen for k in keys if k.startswith(f"{p}.")}
    numbers = sorted(order, key=order.__getitem__)
    found: list[tuple[Candidate, list[str]]] = []
    for i, number in enumerate(numbers):
        if number in placed:
            continue
        low = max((placed[n] for n in numbers[:i] if n in placed), default=(0, 0))
        high = min((placed[n] for n in numbers[i + 1:] if n in placed), default=(len(page.body), 0))
        pattern = _run_on(number)
        options: list[tuple[int, re.Match[str]]] = []
        for ln in range(low[0], min(high[0] + 1, len(page.body))):
            if L.is_number_line(page.body[ln].strip()):
                continue  # "No. 161" over the heading is the document's number, not "No. 16" and a marker
            m = _run_on_match(pattern, page.body[ln], low[1] if ln == low[0] else 0)
            while m and (ln, m.end(1)) < high:
                options.append((ln, m))
                m = _run_on_match(pattern, page.body[ln], m.end())
        if options:
            # "instruction No. 5924" over "despatch No. 1184": the figure the text cites elsewhere ("No. 592")
            ln, m = max(options, key=lambda o: figures.get(o[1].group(1), 0) > 1)
            found.append((Candidate(ln, m.end(1), m.end(), number, 0), [f"{p}.{number}"]))
            placed[number] = (ln, m.end(1))
        elif (spaced := _word_spaced(page.body, number, low, high, numbers[i - 1] if i else "")) is not None:
            ln, m = spaced
            found.append((Candidate(ln, m.start(), m.end(), number, 0), [f"{p}.{number}"]))
            placed[number] = (ln, m.start())
    return sorted(chosen + found, key=lambda pair: (pair[0].line, pair[0].start))


# Words a number after a space belongs to: "April 20", "Your 359", "Article 2", "about 7 taels".
OWN_NUMBER_WORDS = NUMBERED_WORDS | {
    "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
    "november", "december", "your", "my", "our", "his", "its", "their", "telegram", "telegrams", "despatch",
    "dispatch", "instruction", "number", "page", "pages", "and", "or", "to", "from", "the", "of", "about",
    "some", "than", "over", "under", "nearly", "only", "at", "by", "for", "in", "on", "with", "all", "a",
}


PREVIOUS_WORD_RE = re.compile(r"([A-Za-z]+)\W*$")
YEAR_END_RE = re.compile(r"(?<![\d.,/])1[6-9]\d\d$")


def _word_spaced(body: list[str], number: str, low: tuple[int, int], high: tuple[int, int],
                 before: str, bare: bool = False) -> tuple[int, re.Match[str]] | None:
    """A marker read as digits after a space after a word ("Klotz 2 both"), between its neighbours'
    markers, for a note still uncited: the first that is not the text's own number. After a figure
    only where the figure is the marker before (`before`, standing at `low`), "(Francis) 1 2", or a
    year, "Signed at London, February 10, 1925 6". `bare`: only a number with a space after it, as a
    marker stands after the stop ("Fort 1, Great Britain" is the text's own)."""
    pattern = re.compile(WORD_SPACED_MARK.format(re.escape(number)))
    for ln in range(low[0], min(high[0] + 1, len(body))):
        for m in pattern.finditer(body[ln], low[1] if ln == low[0] else 0):
            if (ln, m.start()) >= high:
                return None
            if body[ln][m.start() - 1].isdigit() and not (
                    (before and body[ln][:m.start()].endswith(" " + before) and low == (ln, m.start() - len(before) - 1))
                    or YEAR_END_RE.search(body[ln], max(0, m.start() - 6), m.start())):
                continue  # after a figure, only the marker before it or a year: "(Francis) 1 2", "1925 6"
            word = PREVIOUS_WORD_RE.search(body[ln], max(0, m.start() - 30), m.start())
            if word is not None and word.group(1).lower() in OWN_NUMBER_WORDS:
                continue
            if AFTER_NUMBER_RE.match(body[ln], m.end()) or body[ln].startswith(", 1", m.end()):
                continue  # "2 p.m.", "20, 1925"
            if bare and body[ln][m.end():m.end() + 1] not in ("", " "):
                continue
            return ln, m
    return None
