"""OCR of a printed volume: pages with running heads, hard-wrapped lines, notes at the foot of each page.

    248          FOREIGN RELATIONS, 1918, RUSSIA, VOLUME III

    File No. 861.51/272
             The Ambassador in Great Britain (Page) to the
                          Secretary of State
                              [Telegram]
                                        LONDON, February 14, 1918, 10 a.m.
         8656. For McAdoo from Crosby:¹ At meeting of Finance Section of
    Inter-Allied Council on Friday, Bonar Law and Klotz² both being pres-
    ent, Klotz proposed following resolution which was adopted:
    ———
         ¹ Oscar T. Crosby, delegate of the U.S. Treasury to the Inter-
    Allied Council on War Purchases and Finance.
         ² Louis Lucien Klotz, French Minister of Finance.

The reader undoes the printing, page by page and then line by line:

1. letters OCR misread are put right where the text itself spells the word
   otherwise ("tlie", "a1so", a speck read as " , ");
2. pages are cut at form feeds, at running heads ("248  FOREIGN RELATIONS...",
   "RUSSIA    249", or a title alone, "RUSSIA") and at page numbers alone, at
   the head or the foot of a page ("249", "— 249 —") where the page sequence
   wants one;
3. the notes are taken from the foot of each page: below a rule or "NOTES",
   or, with no rule, from the lines at the foot that open with numbers the
   markers higher on the page cite; a note the page could not hold ends at the
   top of the next page's foot. Notes may also stand in mid-stream: where
   nothing else marks a page's end, the page ends after its notes; where a
   document's notes are gathered after its closer, they answer the markers of
   the pages before them too, and may run over a page break;
4. each marker (a superscript, digits glued to the word, "Crosby:1", set off
   after a stop, "Crosby: 1", or after a word, "Klotz 2", or printed "^1", "[1]",
   "(1)") becomes a token for the note of that number, the notes' order telling
   which numbers are markers;
5. the lines are reflowed: centred lines (number, heading, "[Telegram]") and
   lines set to the right (dateline, signature) stand apart, a paragraph ends
   at an indent, a blank line, or a line its next word would have fitted on
   (a blank line where a sentence runs on is a page break); words broken at
   line ends are joined, keeping the hyphen of a compound when the text spells
   the word that way elsewhere. Text that keeps no layout at all (every line
   full left) has its heading and dateline told by their wording instead;
6. small capitals printed as capitals go back to title case, and the run of
   lines is split into documents, each with the notes its markers cite.

Every pass is linear in the text: patterns run once per page, joins look at
two lines, and the hyphen and spelling decisions read one word count.
"""
from __future__ import annotations

import re
from collections import Counter

from despatch.parse.markers import OPEN, TOKEN_RE, DraftNote, token
from despatch.parse.notes import split_original
from despatch.parse.structure import Draft
from despatch.readers import segment
from despatch.readers.ocr.detect import looks_like
from despatch.readers.ocr.layout import Row, reflow
from despatch.readers.ocr.markers import place_markers
from despatch.readers.ocr.notes import read_notes
from despatch.readers.ocr.pages import split_pages
from despatch.readers.ocr.words import HYPHEN_PREFIXES, SUPERSCRIPT_DIGITS, Joiner, fix_rn, repair_slips, vocabulary

__all__ = [
    "HYPHEN_PREFIXES", "Draft", "Joiner", "fix_rn", "looks_like", "read_drafts", "read_notes", "repair_slips",
    "split_pages", "vocabulary",
]

# ---------------------------------------------------------------- the whole

# Ligatures OCR keeps as single characters: "ﬁnancial", "inﬂuence".
LIGATURES = {"ﬀ": "ff", "ﬁ": "fi", "ﬂ": "fl", "ﬃ": "ffi", "ﬄ": "ffl", "ﬅ": "st", "ﬆ": "st"}
# A speck OCR reads at a line end: "...that they |", "...thereof.|", "...to the '".
SPECK_RE = re.compile(r"(?:\s*\||\s+['`])+\s*$")
FIGURE_RE = re.compile(r"(?<![\d.,])\d{2,}(?![\d,])")


def _clean(text: str) -> str:
    """Ligatures undone, tabs expanded, specks and trailing spaces off every line."""
    for ligature, letters in LIGATURES.items():
        if ligature in text:
            text = text.replace(ligature, letters)
    if "\t" in text:
        text = text.expandtabs()
    lines = [ln.rstrip() for ln in text.split("\n")]
    return "\n".join(SPECK_RE.sub("", ln) if ln.endswith(("|", "'", "`")) else ln for ln in lines)


def read_drafts(text: str) -> list[Draft]:
    """Every document in the OCR of printed pages."""
    text = _clean(text)
    vocab = vocabulary(text)  # for the slips and the hyphens: the text's own spellings
    text = repair_slips(text, vocab)
    superscript = any(ch in text for ch in SUPERSCRIPT_DIGITS)
    pages = read_notes(split_pages(text), superscript)
    joiner = Joiner(vocab)
    figures = Counter(FIGURE_RE.findall(text))  # how often each number stands in the text, as evidence

    # the notes, each keyed by its page and number; a note's end at the next page's foot joined to it
    notes: dict[str, DraftNote] = {}
    last_key: str | None = None
    last_lines: list[str] = []
    for p, page in enumerate(pages):
        if page.carried and last_key is not None:
            last_lines.extend(page.carried)
            notes[last_key].text = _note_text(last_lines, joiner)
        for number, lines in page.notes:
            key = f"{p}.{number}"
            text_, original = split_original(_note_text(lines, joiner))
            notes[key] = DraftNote(text=text_, n=number, original=original, running_n=number)
            last_key, last_lines = key, lines

    rows: list[Row] = []
    breaks: set[int] = set()
    bodies, cited = place_markers(pages, superscript, figures)
    for p, (page, body) in enumerate(zip(pages, bodies)):
        apart = False
        for raw, line in zip(page.body, body):
            if not line.strip():
                apart = bool(rows) and rows[-1].page == p  # a blank line within the page, not at its top
                continue
            if apart:
                breaks.add(len(rows))
            rows.append(Row(line.strip(), raw.strip(), len(line) - len(line.lstrip()), p))
            apart = False
    logical, page_last = reflow(rows, breaks, joiner)
    logical = fix_rn(logical, joiner.vocab)
    starts = segment.document_starts(logical)
    bounds = list(zip(starts, starts[1:] + [len(logical)]))
    # a note whose marker was not found stays with the document its page's text ended in
    unplaced: dict[int, list[str]] = {}
    for key in notes:
        if key not in cited:
            p = int(key.split(".", 1)[0])
            while p > 0 and p not in page_last:
                p -= 1
            at = page_last.get(p, 0)
            doc = next((k for k, (s, e) in enumerate(bounds) if s <= at < e), 0)
            unplaced.setdefault(doc, []).append(key)
    return [_draft(logical[s:e], notes, unplaced.get(k, [])) for k, (s, e) in enumerate(bounds)]


def _draft(lines: list[str], notes: dict[str, DraftNote], unplaced: list[str]) -> Draft:
    """A document's draft: one note per marker, each with a number of its own within the document.

    The page prints "25 Not printed." once for three markers, and numbers may
    start again on every page; the edition has one note per marker, and a note's
    identity must not repeat within a document, so repeats get a suffix in `n`
    (the printed number stays in `running_n`). Notes whose markers were not
    found come last, without a token: the structure parser keeps them unanchored.
    """
    own: dict[str, DraftNote] = {}
    uses: Counter[str] = Counter()
    numbers: Counter[str] = Counter()

    def copy(key: str, new: str) -> None:
        source = notes[key]
        number = source.running_n or source.n or key
        numbers[number] += 1
        n = number if numbers[number] == 1 else f"{number}.{numbers[number]}"
        own[new] = DraftNote(text=source.text, n=n, original=source.original, running_n=number)

    def rekey(m: re.Match[str]) -> str:
        key = m.group(1)
        if key not in notes:
            return m.group(0)
        uses[key] += 1
        new = key if uses[key] == 1 else f"{key}~{uses[key]}"
        copy(key, new)
        return token(new)

    out = [TOKEN_RE.sub(rekey, line) if OPEN in line else line for line in lines]
    for key in unplaced:
        copy(key, key)
    return Draft(lines=out, notes=own)


def _note_text(lines: list[str], joiner: Joiner) -> str:
    """A note's printed lines as one line, words broken at line ends joined and "rn" for "m" put right."""
    return fix_rn([" ".join(joiner.join_lines(lines).split())], joiner.vocab)[0]
