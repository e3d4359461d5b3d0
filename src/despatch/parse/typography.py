"""Typography a raw text lost but the edition's conventions restore.

Printed volumes set a letter's salutation in small capitals ("SIR: I have
the honor..."), enumerating letters in italics ("(a)", "(b)") and the
addressee's name under a letter in small capitals.
Plain text, Word exports and OCR keep the words but not the type, so these
rules put it back where the convention is firm; readers that know the type
(.docx runs, TEI `hi`) keep their own.
"""
from __future__ import annotations

import re

from despatch.model import Block, Document, Style

# "Sir: I have the honor", "No. 224 Sir: The Department", "My Dear Mr. Secretary: ...",
# "Highness, Excellency: Referring to ...", "Dear Allen: Oliphant, of the Foreign Office, ..."
SALUTATION_RE = re.compile(r"^(?:No\.\s*\d+[A-Za-z]?\.?\]?\s+)?(?P<s>[A-Z][\w’'.,\- ]{0,48}?)\s*:(?=\s|$)")
# "For Morris:", "From Sheldon:" address a telegram's text; they are not salutations.
ADDRESS_LEAD = frozenset({"For", "From", "To", "Following", "Repeat", "Repeated", "Present", "Subject"})
SALUTATION_WORDS = frozenset({"and", "of", "the", "le", "la", "de", "del", "di", "my", "dear"})
# Formal openings of resolutions and treaties: "Whereas, the Government ...", "Witnesseth:",
# "Article II. The Government ...", "“Art. 3. ..."
FORMULA_RE = re.compile(r"^[“\"]?(?P<s>Whereas|Witnesseth|Resolved|Article|Art\.)(?=[,:\s])")
# A quoted article of a treaty, anywhere in a paragraph: "... as follows:— “Article 1 “The territory ..."
QUOTED_ARTICLE_RE = re.compile(r"(?<=[“\"])(?P<s>Article|Art\.)(?=\s+[\dIVXLC]+\b)")
# A letter enumerating a point: "(a)", "(b)", "a)", and "a." opening an item.
LETTER_RE = re.compile(r"\((?P<l>[a-z])\)|(?:^|(?<=\s))(?P<m>[a-z])\)|^(?P<n>[a-z])\.(?=\s|$)")
ABBREVIATION_END_RE = re.compile(r"(?:&c|\b[A-Z]|Esq|Jr|Sr)\.$")
# An address line under a letter: "Charles Francis Adams, Esq., &c., &c., &c."
ADDRESSEE_RE = re.compile(r"^(?:(?:Hon\.|His Excellency|To)\s+)*(?P<name>[A-Z][\w.’' ]{2,60}?),\s+(?:Esq\.|Minister|Secretary|Envoy|Consul|&c\.)")


def _salutation(text: str) -> tuple[int, int] | None:
    m = SALUTATION_RE.match(text)
    if not m:
        return None
    words = [w.strip(",.") for w in m.group("s").split()]
    if not words or len(words) > 7 or words[0] in ADDRESS_LEAD:
        return None
    if all(w[:1].isupper() or w.lower() in SALUTATION_WORDS for w in words if w):
        return m.start("s"), m.end("s")
    return None


def _letter_styles(text: str) -> list[Style]:
    out = []
    for m in LETTER_RE.finditer(text):
        group = next(g for g in ("l", "m", "n") if m.group(g))
        out.append(Style(m.start(group), m.end(group), "italic"))
    return out


def body_styles(block: Block, opening: bool) -> list[Style]:
    """The conventional typography of one body block; `opening` for the first blocks of a letter."""
    text = block.text
    styles: list[Style] = []
    span = _salutation(text) if opening else None
    formula = FORMULA_RE.match(text)
    if span:
        styles.append(Style(span[0], span[1], "smallcaps"))
    elif formula:
        styles.append(Style(formula.start("s"), formula.end("s"), "smallcaps"))
    styles += [Style(m.start("s"), m.end("s"), "smallcaps") for m in QUOTED_ARTICLE_RE.finditer(text, 1)]
    styles += _letter_styles(text)
    return styles


def address_styles(block: Block) -> list[Style]:
    """An addressee line: the name in small capitals, what follows it in italics but the closing stop.

    "Hon. WILLIAM H. SEWARD, *Secretary of State, Washington*." as the 1860s volumes print it.
    """
    m = ADDRESSEE_RE.match(block.text)
    if not m:
        return []
    styles = [Style(m.start("name"), m.end("name"), "smallcaps")]
    rest_start = block.text.find(",", m.end("name")) + 1
    while rest_start < len(block.text) and block.text[rest_start] == " ":
        rest_start += 1
    text = block.text.rstrip()
    # the closing stop stays roman, unless it ends an abbreviation ("&c.", "D. C.")
    rest_end = len(text) - 1 if text.endswith(".") and not ABBREVIATION_END_RE.search(text) else len(text)
    if rest_start < rest_end:
        styles.append(Style(rest_start, rest_end, "italic"))
    return styles


def restore_typography(doc: Document) -> None:
    """Add conventional styles to the body blocks of a document read from plain text."""
    for part in doc.all_documents():
        count = len(part.body)
        for k, block in enumerate(part.body):
            if block.styles:
                continue
            styles = body_styles(block, opening=k < 3)
            if k >= count - 3:
                styles += address_styles(block)
            block.styles = sorted(styles, key=lambda s: s.start)
