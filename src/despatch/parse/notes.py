"""What a note is, and what the source apparatus says: file numbers, channel, classification."""
from __future__ import annotations

import re
from functools import cache

from despatch.data import entries, pairs
from despatch.model import NoteKind

# "[Orig. Note] Copy of telegram obtained from ..." (the editor's own note, as printed)
# The word over a document's notes: "Notes", "NOTES:", "Footnotes", "FOOT-NOTES", "Endnotes".
NOTES_HEADING = r"(?:foot|end)?-?notes?"
ORIG_NOTE_RE = re.compile(r"^\s*\[\s*Orig(?:inal)?\.?\s+Note\s*\]\s*", re.IGNORECASE)

# State Department decimal file numbers, with an optional subject between class and
# document: "861.51/148", "867n.01/442", "File No. 600.939/35",
# "740.0011 European War 1939/6-1244", "123 Grew/45", "711.94/922½", "611.60 d 31/52",
# "439.11c Colom, Eduardo/27".
FILE_NUMBER_RE = re.compile(
    r"(?<![\w/.])\d{3}[a-z]?(?:\.[0-9A-Za-z]+)*(?:\s+(?:[A-Z][A-Za-z.’'-]*,?|\d{1,4}|[a-z]\b))*/[0-9A-Za-z½¼¾\-–]+(?:\s?½)?"
)

# A biographical note opens with a person's name and a description:
# "Lt. Gen. Montagu Brocas Burrows, head of the British Supply Mission in the Soviet Union."
# "L. P. Sheldon, representative in London of the War Trade Board."
# "Samuel M. Felton, Director General of Military Railways, War Department."
BIOGRAPHICAL_RE = re.compile(
    r"^(?P<name>(?:(?:[A-Z][a-z]{0,5}\.|[A-Z][\w’'\-]+|de|van|von|da|di|du|la|le|y)\s+){0,7}"
    r"[A-Z][\w’'\-]+(?:\s+(?:Jr|Sr)\.?)?),\s+(?P<what>(?:the\s+|an?\s+|former\s+|then\s+|later\s+)?[A-Za-z])"
)
# Words that open a note but never a person's name: "See, for instance, ...", "Not printed, but ...".
NOT_A_NAME_START = frozenset({"See", "Not", "For", "In", "On", "At", "As", "The", "This", "That", "Ante", "Post",
                              "Supra", "Infra", "Ibid", "Printed", "Apparently", "Presumably", "Probably",
                              "Telegram", "Despatch", "Instruction", "File", "Vol", "Foreign", "Also", "But"})


def biographical_name(text: str) -> str | None:
    """The name opening a biographical note, or None when the note is not one."""
    m = BIOGRAPHICAL_RE.match(text)
    if not m:
        return None
    name = m.group("name")
    words = name.split()
    if words[0].rstrip(".") in NOT_A_NAME_START:
        return None
    # a description after a capital must name an office, not start a sentence ("Paris, France")
    if m.group("what")[-1].isupper() and len(words) < 2:
        return None
    return name


# A citation points elsewhere: "Ante, pp. 118 and 113.", "See telegram No. 473, Dec. 17, 1924",
# "Not printed.", "Foreign Relations, 1924, vol. ii, p. 202."
CITATION_RE = re.compile(
    r"^(?:See\b|Ante\b|Post\b|Supra\b|Infra\b|Ibid|Not printed|Not found|Printed\b|Vol\.|pp?\.\s|"
    r"Foreign Relations|Document\b|Telegram No|Despatch No|Instruction No|Note No|Quoted\b|Infra,|Cf\.)"
    r"|\b(?:pp?\.\s*\d|vol\.\s*[ivxl\d]|Foreign Relations,\s*\d{4}|not printed)",
    re.IGNORECASE,
)
# Words of provenance that mark a heading note as the source note.
PROVENANCE_RE = re.compile(
    r"^\[|File No\.|\bcopy\b|\bLibrary\b|\bArchives\b|\bPapers\b|\bFiles?\b|\bLot\b|\bobtained from\b|"
    r"\bTelegram\b|\bDespatch\b|\bDispatch\b|\bInstruction\b|\breceived\b|\bparaphrase\b|\btranslation\b",
    re.IGNORECASE,
)


def split_original(text: str) -> tuple[str, bool]:
    """A note's text without its "[Orig. Note]" label, and whether it had one."""
    m = ORIG_NOTE_RE.match(text)
    return (text[m.end():], True) if m else (text, False)


def file_numbers(text: str) -> list[str]:
    """Every decimal file number in `text`, as printed (en dashes made hyphens)."""
    return [m.group(0).replace("–", "-").strip() for m in FILE_NUMBER_RE.finditer(text)]


def looks_like_source(text: str) -> bool:
    return bool(PROVENANCE_RE.search(text) or FILE_NUMBER_RE.search(text))


def note_kind(text: str) -> NoteKind:
    """Biographical, citation or editorial, by the note's own wording."""
    if biographical_name(text):
        return "biographical"
    if CITATION_RE.search(text) or FILE_NUMBER_RE.search(text):
        return "citation"
    return "editorial"


@cache
def _channel_re() -> tuple[re.Pattern[str], dict[str, str]]:
    table = {word.casefold(): channel for word, channel in pairs("channels.txt")}
    words = sorted(table, key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(w) for w in words) + r")s?\b", re.IGNORECASE), table


def channel_in(text: str) -> str | None:
    """The first channel word in `text` ("[Telegram]" -> "telegram")."""
    pattern, table = _channel_re()
    m = pattern.search(text)
    return table[m.group(1).casefold()] if m else None


@cache
def _classification_re() -> re.Pattern[str]:
    phrases = sorted(entries("classifications.txt"), key=len, reverse=True)
    return re.compile(r"\b(" + "|".join(re.escape(p) for p in phrases) + r")\b", re.IGNORECASE)


def classifications_in(text: str) -> list[str]:
    """Classification and handling phrases in a source note or an opening line."""
    seen: list[str] = []
    for m in _classification_re().finditer(text):
        phrase = m.group(1)
        if phrase.casefold() not in (s.casefold() for s in seen):
            seen.append(phrase)
    return seen


def leading_classification(text: str) -> str | None:
    """A handling line at the very start of a text: "Personal for the President. In my talk..." """
    m = _classification_re().match(text.lstrip("[ "))
    if not m:
        return None
    after = text.lstrip("[ ")[m.end():m.end() + 2]
    return m.group(1) if after[:1] in (".", "]", ":", "") else None
