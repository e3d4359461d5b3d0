"""Characters and words: superscripts, words broken at line ends joined, small capitals, misread letters."""
from __future__ import annotations

import re
from collections import Counter

# ---------------------------------------------------------------- characters

SUPERSCRIPT_DIGITS = "⁰¹²³⁴⁵⁶⁷⁸⁹"
FROM_SUPERSCRIPT = str.maketrans(SUPERSCRIPT_DIGITS + "ᵃᵇᶜᵈᵉᶠᵍʰ", "0123456789abcdefgh")
# A superscript number, with the letter of an inserted note: "¹²", "²ᵃ", "²a".
SUP = "[⁰¹²³⁴⁵⁶⁷⁸⁹]+(?:[ᵃᵇᶜᵈᵉᶠᵍʰ]|[a-h](?![a-z]))?"

# ---------------------------------------------------------------- words

# OCR slips in words: "li" read for "h" after a consonant ("tlie", "wliich"), "1" for "l" beside
# letters ("a1so", "1etter", "wi11"), and a speck read as a comma standing alone ("the , Department").
LI_RE = re.compile(r"(?<=[b-df-hj-np-tv-z])li")  # (on case-folded words)
DIGIT_IN_WORD_RE = re.compile(r"(?<=[A-Za-z])1+(?=[A-Za-z])")
DIGIT_WORD_RE = re.compile(r"\b(?:[A-Za-z]+1|1(?!st\b|nd\b|rd\b|th\b|d\b)[a-z]{2})[A-Za-z1]*\b")

# Prefixes printed with a hyphen: "to-day", "so-called", "ex-President", "vice-consul".
HYPHEN_PREFIXES = frozenset({
    "to", "so", "ex", "self", "vice", "non", "well", "half", "quasi", "anti", "co"
})
WORD_RE = re.compile(r"[A-Za-zÀ-ÿ](?:[A-Za-zÀ-ÿ’'\-]*[A-Za-zÀ-ÿ])?")
LAST_WORD_RE = re.compile(r"[\w’'\-]*$")
FIRST_WORD_RE = re.compile(r"[\w’']*")
TERMINAL = tuple(".!?)]”\"’:;")
ROMAN_RE = re.compile(r"^M{0,3}(?:CM|CD|D?C{0,3})(?:XC|XL|L?X{0,3})(?:IX|IV|V?I{0,3})$")
CAPS_WORD_RE = re.compile(r"(?<![\w’'])([A-ZÀ-Þ][A-ZÀ-Þ’'\-]*[A-ZÀ-Þ])(?![\w’'])")
# Words small capitals print in capitals that stay lower case inside a name or title.
PARTICLES = frozenset({
    "of", "the", "and", "to", "in", "at", "on", "for", "de", "la", "le", "du", "des", "van", "von", "der",
    "den", "y", "da", "di", "by", "et"
})
# "rn" where English never has it, so it was an "m": "cornpelled", "payrnent" ("government" keeps its "rnm").
IMPOSSIBLE_RN_RE = re.compile(r"rn(?=[bp])|rn(?=ents?\b|ental)")
RN_WORD_RE = re.compile(r"\b[A-Za-z]*rn[A-Za-z]*\b")


# ---------------------------------------------------------------- joining words


class Joiner:
    """Joins lines broken by the printer, deciding each hyphen from the text's own spellings."""

    def __init__(self, vocabulary: Counter[str]):
        self.vocab = vocabulary

    def keep_hyphen(self, left: str, right: str) -> bool:
        """Whether "left-" + "right" is a compound broken at its hyphen ("Inter-Allied", "to-day")."""
        a = LAST_WORD_RE.search(left[:-1])
        b = FIRST_WORD_RE.match(right)
        first, second = (a.group(0) if a else ""), (b.group(0) if b else "")
        if not first or not second or not first[-1].isalpha() or not second[0].isalpha():
            return True
        if second[0].isupper() and not first.isupper():
            return True  # "Inter-" over "Allied", "Austro-" over "Hungarian"
        hyphened = self.vocab.get(f"{first}-{second}".lower(), 0)
        joined = self.vocab.get(f"{first}{second}".lower(), 0)
        if hyphened or joined:
            return hyphened > joined  # the document's own spelling decides
        if "-" in first:
            return True  # "vessel-of-" over "war"
        return first.lower() in HYPHEN_PREFIXES

    def joint(self, left: str, right: str) -> tuple[str, str]:
        """The left line as it ends in running text, and what goes between it and the right line."""
        if left.endswith("-") and len(left) > 1 and left[-2].isalpha() and right[:1].isalpha():
            return (left, "") if self.keep_hyphen(left, right) else (left[:-1], "")
        if left.endswith("-") and left[-2:-1].isdigit() and right[:1].isalpha():
            return left, ""  # "100-" over "ruble denomination": a compound broken at its hyphen
        if left.endswith("—") and not left[-2:-1].isspace():
            return left, ""  # "January 7, 1925—" over "7 p.m."
        return left, " "

    def join_lines(self, lines: list[str]) -> str:
        """Printed lines as one run of text; each joint looks at two lines only, so the cost stays linear."""
        parts: list[str] = []
        for line in lines:
            line = line.strip()
            if not line:
                continue
            if parts:
                parts[-1], sep = self.joint(parts[-1], line)
                parts.append(sep)
            parts.append(line)
        return "".join(parts)


def vocabulary(text: str) -> Counter[str]:
    """Every word of the text, case-folded, compounds whole, for the hyphen and "rn" decisions."""
    return Counter(WORD_RE.findall(text.lower()))


# ---------------------------------------------------------------- small capitals and slips


def soften_caps(line: str) -> str:
    """Small capitals printed as capitals, back in title case: "SIR:", "WILLIAM H. SEWARD", "PETROGRAD".

    FRUS sets salutations, signatures, places and addressees in small capitals
    many times more often than it prints a word in true capitals; roman
    numerals ("Article IV") are left as they are.
    """
    if not CAPS_WORD_RE.search(line):
        return line
    out: list[str] = []
    pos = 0
    run_end = -1
    for m in CAPS_WORD_RE.finditer(line):
        word = m.group(1)
        if ROMAN_RE.match(word):
            continue
        out.append(line[pos:m.start()])
        in_run = run_end >= 0 and not line[run_end:m.start()].strip(" ,.")
        if in_run and word.lower() in PARTICLES:
            out.append(word.lower())  # "SECRETARY OF STATE" -> "Secretary of State"
        else:
            out.append("-".join(_capitalised(part) for part in word.split("-")))
        pos = run_end = m.end()
    out.append(line[pos:])
    return "".join(out)


def _capitalised(part: str) -> str:
    # "O’BRIEN" -> "O’Brien", "LENDER’S" -> "Lender’s"
    if len(part) > 2 and part[1] in "’'":
        return part[:3] + part[3:].lower()
    return part[:1] + part[1:].lower()


def fix_rn(lines: list[str], vocab: Counter[str]) -> list[str]:
    """ "darnages" -> "damages": "rn" read for "m" where the text spells the word (or a form of it) with "m".

    A word that itself recurs is left alone ("return", "modern"), and so is one
    with no "m" form in the text: without a dictionary, evidence comes from the
    document. Where English has no "rn" at all (at a word's start, before b or
    p, in "-rnent"), the "m" is sure.
    """

    def known(word: str) -> bool:
        w = word.lower()
        forms = {w, w + "s", w + "es", w + "ed", w + "d", w + "ing", w + "ly"}
        for suffix in ("s", "es", "ed", "d", "ing", "ly"):
            if w.endswith(suffix) and len(w) - len(suffix) >= 4:
                forms.add(w[: -len(suffix)])
        return any(vocab.get(f, 0) for f in forms)

    def fix(m: re.Match[str]) -> str:
        word = m.group(0)
        if vocab.get(word.lower(), 0) > 1:
            return word
        if word.startswith("rn"):
            return "m" + word[2:]
        sure = IMPOSSIBLE_RN_RE.search(word)
        if sure:
            return word[: sure.start()] + "m" + word[sure.start() + 2:]
        at = word.find("rn")
        while at >= 0:
            candidate = word[:at] + "m" + word[at + 2:]
            if known(candidate):
                return candidate
            at = word.find("rn", at + 1)
        return word

    return [RN_WORD_RE.sub(fix, line) if "rn" in line else line for line in lines]


def repair_slips(text: str, vocab: Counter[str]) -> str:
    """Letters OCR misread, put right on the text's own evidence: "tlie" -> "the", "a1so" -> "also",
    and a speck read as a comma standing alone ("the , Department") dropped.

    A word is changed only to a spelling the text itself (`vocab`, its words
    case-folded) uses more often than the misreading; a digit between two
    letters is changed always, as no number is printed so. The suspects are
    found among the text's distinct words, then put right in one pass.
    """
    if " , " in text:
        text = text.replace(" , ", " ")

    def known(word: str, than: str) -> bool:
        count = vocab.get(word.lower(), 0)
        return count >= 2 and count > vocab.get(than.lower(), 0)

    def digits(m: re.Match[str]) -> str:
        word = m.group(0)
        letter = "L" if word.isupper() else "l"
        inner = DIGIT_IN_WORD_RE.sub(lambda d: letter * len(d.group(0)), word)
        if "1" not in inner:
            return inner
        whole = inner.replace("1", letter)  # "wi11", "1etter"; "Klotz1" is a word and a marker
        return whole if known(whole, inner.strip("1")) else inner

    text = DIGIT_WORD_RE.sub(digits, text)  # first: "t1ie" is "tlie", then "the"
    fixes: dict[str, str] = {}
    for word in vocab:
        if "li" in word and LI_RE.search(word):
            whole = LI_RE.sub("h", word)
            options = [whole] + [word[:m.start()] + "h" + word[m.start() + 2:] for m in LI_RE.finditer(word)]
            fixed = next((w for w in options if known(w, word)), None)
            if fixed is not None:
                fixes[word] = fixed
    if fixes:
        words = re.compile(r"\b(?:" + "|".join(map(re.escape, fixes)) + r")\b", re.IGNORECASE)
        text = words.sub(lambda m: _same_case(fixes[m.group(0).lower()], m.group(0)), text)
    return text


def _same_case(word: str, like: str) -> str:
    """`word` in the case of `like`: "the" like "Tlie" is "The", like "TLIE" is "THE"."""
    if like.isupper():
        return word.upper()
    return word[:1].upper() + word[1:] if like[:1].isupper() else word
