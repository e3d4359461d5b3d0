"""What a single line of a document is: a heading, a dateline, a source line, a signature...

Each test looks at one logical line (markers already tokenised) and answers
from its wording alone, so the same tests serve every raw form and the
segmenter that splits a file into documents.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, replace
from functools import cache, lru_cache

from despatch.data import entries
from despatch.model import DocDate
from despatch.parse.dates import MONTH, find_date, month_numbers, parse_received
from despatch.parse.markers import TOKEN_RE
from despatch.parse.notes import FILE_NUMBER_RE

# A document number on a line of its own: "170.", "No. 170", "[170]", "Document 170".
NUMBER_LINE_RE = re.compile(r"^\s*(?:Document|Doc\.|No\.)?\s*\[?(?P<n>\d{1,4}[A-Za-z]?)\]?\.?\s*$")
# An enclosure's caption: "[Inclosure 1.—Translation.]", "Enclosure 2", "[Annex]", "[Subenclosure]".
ENCLOSURE_RE = re.compile(
    r"^\s*\[\s*(?:Inclosure|Enclosure|Sub-?[ie]nclosure|Annex|Attachment|Appendix|Exhibit|Tab)\b[^\[\]]{0,100}\]\.?\s*$"
    r"|^\s*(?:Inclosure|Enclosure|Sub-?[ie]nclosure)\b(?:\s+(?:No\.\s*)?\d+)?[^\[\]]{0,60}$"
    r"|^\s*(?:Annex|Appendix|Exhibit)\s+(?:No\.\s*)?[\dIVXLA-Z]{1,5}\.?$",
    re.IGNORECASE,
)
# Inside a document's body, a bracketed translation or copy note also opens an attachment:
# "[Translation.—Original written in French.]" after the letter that encloses it.
CAPTION_RE = re.compile(r"^\s*\[\s*(?:Translation|Extract|Paraphrase|Copy)\b[^\[\]]{0,100}\]\.?\s*$", re.IGNORECASE)
# A received line printed under the dateline: "[Received 9 p.m.]".
RECEIVED_LINE_RE = re.compile(r"^\s*\[\s*Received\b[^\]]*\]?\.?\s*$", re.IGNORECASE)
PARTICLES = frozenset(entries("particles.txt"))
# A heading naming two parties: "The Ambassador in Great Britain (Davis) to the Secretary of State",
# "Mr. Hay to Mr. Conger.", "Acting Secretary Hill to the Imperial German Chargé d’Affaires."
PARTIES_HEAD_RE = re.compile(r"^(?P<left>[A-Z“\"].{0,200}?)\s+to\s+(?P<right>(?:the|all|[A-Z“\"]).{0,200})$")
# A heading naming a kind of paper: "Memorandum by the Secretary of State", "Press Release Issued by ...".
PAPER_HEAD_RE = re.compile(
    r"^(?:Memorandum|Aide-M[ée]moire|Note|Notes|Telegram|Cablegram|Telegraphic|Statement|Press Release|Report|Minutes|Record|Draft|"
    r"Treaty|Agreement|Convention|Protocol|Declaration|Proclamation|Decree|Edict|Imperial edict|Resolution|"
    r"Circular|Letter|Instructions?|Message|Address|Speech|Exchange of Notes)\b"
)
# "Washington, December 21." / "Peking, December 20, 4 p.m." (no year printed)
YEARLESS_DATELINE_RE = re.compile(
    rf"^\[?(?P<place>[^\[\]\d,]{{1,60}}(?:,\s*[^\[\]\d,]{{1,40}})?),?\]?\s+(?P<month>{MONTH})\s+(?P<day>\d{{1,2}})"
    r"(?:st|nd|rd|th|d)?\.?\s*(?:[,—–-]\s*[^\[\]]{0,20})?(?:\[Received[^\]]*\]\.?)?$",
    re.IGNORECASE,
)
# Words of a title, never of a place: "... Convention Between the United States and Mexico,
# Signed at Washington, December 23, 1925" is a heading that ends in a date, not a dateline.
NOT_PLACE_RE = re.compile(r"\b(?:Between|Signed|Concluded|Issued|Convention|Treaty|Agreement|Protocol|Memorandum|Statement)\b")
UNDATED_RE = re.compile(r"^\[?(?P<place>[^\[\]\d]{1,80}?),?\s*\[?undated\]?\.?", re.IGNORECASE)
WORD_RE = re.compile(r"[\w’'\-.&]+")
SALUTE_SIGNED_RE = re.compile(
    r"^(?P<salute>.*\b(?:etc\.|servant|respectfully|sincerely|faithfully|truly|consideration|cordially)[.,]*\]?)\s+"
    r"(?P<name>[A-Z][^,;:]{1,60}\.?)$"
)
NAME_PARTICLES = frozenset(entries("name_particles.txt"))
# Treaties print each signer with a seal: "Frank B. Kellogg [seal] A. Piip [seal]".
SEAL_RE = re.compile(r"\[\s*(?:seal|L\.\s*S\.)\s*\]", re.IGNORECASE)
# Letters an editor supplied inside a name: "S[umner] W[elles]", "A[rthur] N. Y[oung]".
EDITOR_BRACKETS_RE = re.compile(r"[\[\]]")
# An office printed after the name without a comma: "Robert M. Scotten Counselor of Embassy".
TRAILING_OFFICE_RE = re.compile(
    r"\s+(?=(?:Acting\s+|Assistant\s+|Under\s+|Vice\s+|Executive\s+|Special\s+|Private\s+)?"
    r"(?:Secretary|Counselor|Counsellor|Minister|Ambassador|Consul|"
    r"Chargé|Commissioner|President|Chairman|Director|Chief|General Receiver|Receiver|Agent|Attaché|Governor)\b)"
)
# A period closing a surname, not an initial: where one signer ends and the next begins.
NAME_END_RE = re.compile(r"(?<=[a-z]{2})\.\s+(?=[A-Z])")
# "For the Secretary of State: Joseph C. Grew", "For the [Acting] Secretary of State: Francis White",
# "(For the Ambassador) Herbert W. Brooks", "By direction of the Acting Governor: C. A. McIlvaine"
SIGNED_FOR_RE = re.compile(
    r"^\(?(?:For|By)\s+(?:(?:direction|order|authority|command)\s+of\s+)?(?:the\s+)?[\[A-Z][^:()]{2,60}[:)]\s*")
# An address line, printed under the text in older volumes, names the recipient, not the signer:
# "Charles Francis Adams, Esq., &c., &c., &c.", "To the Right Honorable Lord Lyons, &c.",
# "His Excellency Hon. William H. Seward, Secretary of State, Washington, D. C."
ADDRESS_RE = re.compile(
    r"\bEsq\b|&c\.|\bHon\b|\bHonou?rable\b|^(?:To|His|Her|Their|Mr|Mrs|Messrs|Monsieur|Señor|Senor)\b\.?"
)




@cache
def _not_signature_openers() -> frozenset[str]:
    return frozenset(entries("not_signature_openers.txt"))


@cache
def _institution_re() -> re.Pattern[str]:
    words = entries("institutions.txt")
    return re.compile(r"\b(?:" + "|".join(re.escape(w) for w in words) + r")\b", re.IGNORECASE)


def plain(line: str) -> str:
    """The line without marker tokens."""
    return TOKEN_RE.sub("", line).strip()


# A list label standing alone: "(a)", "a.", "(1)", "2.", "IV.", "(iii)".
LIST_LABEL_RE = re.compile(r"^\(?(?:[a-zA-Z]|\d{1,3}|[ivxlc]{1,6}|[IVXLC]{1,6})[.)]?\)?\.?$")


def is_list_label(line: str) -> bool:
    text = plain(line)
    return bool(text) and len(text) <= 8 and bool(LIST_LABEL_RE.match(text)) and any(ch in text for ch in ".()")


def is_number_line(line: str) -> str | None:
    m = NUMBER_LINE_RE.match(plain(line))
    return m.group("n") if m else None


def is_enclosure_label(line: str) -> bool:
    return bool(ENCLOSURE_RE.match(plain(line)))


def is_attachment_caption(line: str) -> bool:
    """An enclosure label, or a bracketed translation/copy note standing in a body."""
    text = plain(line)
    return bool(ENCLOSURE_RE.match(text) or CAPTION_RE.match(text))


def is_received_line(line: str) -> bool:
    return bool(RECEIVED_LINE_RE.match(plain(line)))


def _name_like(words: list[str], particles: frozenset[str] = PARTICLES) -> bool:
    """Every word capitalised, an initial or a particle, and at least one real capitalised word."""
    real = 0
    for w in words:
        core = w.strip("“”\"'’(),.;:[]")
        if not core:
            continue
        if core.lower() in particles:
            continue
        if not core[0].isupper():
            return False
        if len(core) > 1 and core[1:].replace(".", "").replace("-", "").replace("’", "").replace("'", "").isalpha():
            real += 1
        elif len(core.rstrip(".")) <= 2:
            continue
    return real > 0


@lru_cache(maxsize=8192)
def is_heading(line: str) -> bool:
    """A heading by its wording: two parties joined by "to", or a kind of paper."""
    text = plain(line)
    if not text or len(text) > 300 or SERIES_RE.match(text):
        return False
    if PAPER_HEAD_RE.match(text):
        return True
    m = PARTIES_HEAD_RE.match(text)
    if not m:
        return False
    left = re.sub(r"\([^()]*\)", " ", m.group("left"))
    right = re.sub(r"\([^()]*\)", " ", m.group("right"))
    return _name_like(WORD_RE.findall(left)) and _name_like(WORD_RE.findall(right)[:8])


@lru_cache(maxsize=8192)
def is_source_line(line: str) -> bool:
    """A line printed above a heading that tells where the text comes from."""
    text = plain(line)
    if not text or len(text) > 400:
        return False
    if text.startswith("[") and text.rstrip(".").endswith("]"):
        return True
    if text.startswith("File No") or SERIES_RE.match(text):
        return True
    # "861.51/437", "711.12155/145: Telegram", "893.00/3145 [Telegram]"
    m = FILE_NUMBER_RE.match(text)
    return m is not None and len(text) - m.end() <= 40


def has_file_number(line: str) -> bool:
    """A source line that gives a decimal file number ("File No. 861.00/1616", "711.12155/145: Telegram")."""
    return is_source_line(line) and bool(FILE_NUMBER_RE.search(plain(line)))


# A publication series printed as the source: "Treaty Series No. 866", "Executive Agreement Series No. 67".
SERIES_RE = re.compile(r"^[A-Z][\w ]{0,40}\bSeries,?\s+No\.\s*\d+\.?$")


@dataclass
class Dateline:
    """A dateline's parts: "Moscow, 11 June 1944" -> place Moscow, date 1944-06-11."""

    place: str | None
    date: DocDate | None
    received: DocDate | None


def _place(before_date: str) -> str | None:
    """The place in the words before the date, institutions in front of it left out."""
    text = before_date.strip().strip(",;:—–- ").replace("[", "").replace("]", "").strip(", ")
    if not text:
        return None
    parts = [p.strip() for p in text.split(",")]
    while len(parts) > 1 and _institution_re().search(parts[0]):
        parts = parts[1:]
    place = ", ".join(p for p in parts if p).strip("“”\" ")
    return place or None


def parse_dateline(line: str) -> Dateline | None:
    """The dateline in `line`, or None when the line is not a dateline."""
    found = _dateline(plain(line))
    if found is None:
        return None
    # callers keep and amend the dates (a year supplied later), so each gets its own copy
    return Dateline(found.place, replace(found.date) if found.date else None,
                    replace(found.received) if found.received else None)


@lru_cache(maxsize=8192)
def _dateline(text: str) -> Dateline | None:
    if not text or len(text) > 260:
        return None
    undated = UNDATED_RE.match(text)
    if undated and _name_like(WORD_RE.findall(undated.group("place"))):
        # the received line may carry a date, but it is not the document's
        rest = text[undated.end():]
        if not re.sub(r"[\[(]\s*Received[^\])]*[\])]?", "", rest, flags=re.IGNORECASE).strip(" .,;:[]()"):
            return Dateline(_place(undated.group("place")), None, parse_received(rest, None))
    found = find_date(text)
    if found is None:
        return _dateline_without_year(text)
    before = text[:found.start]
    if len(before) > 140 or NOT_PLACE_RE.search(before) or PAPER_HEAD_RE.match(text):
        return None
    words = WORD_RE.findall(before)
    if len(words) > 16 or (words and not _name_like(words)):
        return None
    after = text[found.end:]
    received = parse_received(after, found.date)
    rest = re.sub(r"\[\s*Received[^\]]*\]?", "", after, flags=re.IGNORECASE)
    rest = re.sub(r"\(\s*Received[^)]*\)", "", rest, flags=re.IGNORECASE)
    # the same day in the other calendar: "December 31, 1860, (January 12, 1861.)"
    rest = re.sub(r"\(\s*[^()]{3,30}\b1[5-9]\d\d\.?\s*\)", "", rest)
    if len(rest.strip(" .,;:—–-[]()")) > 12:
        return None
    return Dateline(_place(before), found.date, received)


# A postscript under a letter: "P. S.—I have this moment received your despatches".
POSTSCRIPT_RE = re.compile(r"^\s*(?:P\.\s?S\.|Postscript\b|PS\b)")


def is_after_signature(line: str) -> bool:
    """What may follow a signature and still belong to the letter: an address line or a postscript."""
    return is_address_line(line) or bool(POSTSCRIPT_RE.match(plain(line)))


def is_address_line(line: str) -> bool:
    """A line naming the addressee under a letter: "Charles Francis Adams, Esq., &c., &c., &c."."""
    text = plain(line)
    return 0 < len(text) <= 160 and bool(ADDRESS_RE.search(text)) and not text.endswith(":")


def signers(text: str) -> list[str]:
    """The names on a signature line; treaties print several, each with its seal.

    "Frank B. Kellogg [seal] A. Piip [seal]"; "M. C. Czikann. S. Pichon. Salvago Raggi."
    """
    names = []
    for piece in SEAL_RE.split(text):
        names += NAME_END_RE.split(piece)
    return [n.strip(" ,") for n in names if n.strip(" ,")]


def _is_one_signature(text: str) -> bool:
    name, _, office = text.partition(",")
    if name.split()[:1] and name.split()[0].strip(".,") in _not_signature_openers():
        return False
    trailing = TRAILING_OFFICE_RE.search(name)
    if trailing and not office:
        name = name[:trailing.start()]
    name = EDITOR_BRACKETS_RE.sub("", name)
    words = WORD_RE.findall(name)
    if not words or len(words) > 6 or any(ch.isdigit() for ch in name):
        return False
    if words[0] in ("The", "the") and not name.isupper():
        return False
    if office and (len(office.split()) > 14 or any(ch.isdigit() for ch in office) or not title_case(office)):
        return False
    return _name_like(words, NAME_PARTICLES)


def _dateline_without_year(text: str) -> Dateline | None:
    """ "Washington, December 21." -- a dateline whose year the volume left to its title page."""
    m = YEARLESS_DATELINE_RE.match(text)
    if not m or not _name_like(WORD_RE.findall(m.group("place"))):
        return None
    month = month_numbers()[m.group("month").casefold()]
    day = int(m.group("day"))
    if not 1 <= day <= 31:
        return None
    date_text = text[m.start("month"):m.end("day")]
    return Dateline(_place(m.group("place")), DocDate(date_text, f"--{month:02d}-{day:02d}", "day"), None)


@lru_cache(maxsize=8192)
def is_signature(line: str) -> bool:
    """A signature line: "W. W. Rockhill.", "Lansing", "Alvey A. Adee, Acting Secretary."."""
    text = plain(line)
    if not text or len(text) > 120 or text.endswith(":"):
        return False
    if ADDRESS_RE.search(text):
        return False
    names = signers(SIGNED_FOR_RE.sub("", text))
    return bool(names) and len(names) <= 4 and all(_is_one_signature(n) for n in names)


def title_case(text: str) -> bool:
    """Most words capitalised: an office ("In charge of the Consulate General"), not a sentence."""
    words = [w for w in WORD_RE.findall(text) if w.lower() not in PARTICLES]
    capital = sum(1 for w in words if w[:1].isupper())
    return bool(words) and capital * 2 >= len(words)


def closer_parts(line: str) -> list[tuple[str, str]]:
    """A signature line cut into (text, kind) parts, kind "signed" for each name itself.

    "For the Secretary of State: Joseph C. Grew" -> the line before the name, then the name;
    "MELANCTON SMITH, Commander." -> the name in capitals, then the office (older
    volumes print the signer in small capitals and the office in roman);
    "Robert M. Scotten Counselor of Embassy" -> the name, then the office;
    "Frank B. Kellogg [seal] A. Piip [seal]" -> each signer, each seal.
    """
    text = plain(line)
    parts: list[tuple[str, str]] = []
    lead = SIGNED_FOR_RE.match(text)
    if lead:
        parts.append((text[:lead.end()].strip(), "line"))
        text = text[lead.end():]
    pieces = SEAL_RE.split(text)
    seals = SEAL_RE.findall(text)
    for k, piece in enumerate(pieces):
        piece = piece.strip()
        if piece:
            parts += _one_signer(piece)
        if k < len(seals):
            parts.append((seals[k], "line"))
    return parts


def _one_signer(text: str) -> list[tuple[str, str]]:
    name, comma, office = text.partition(",")
    if comma and office.strip() and name.isupper() and not office.isupper() and not office.strip().startswith("Jr"):
        return [(name + ",", "signed"), (office.strip(), "line")]
    if not comma:
        m = TRAILING_OFFICE_RE.search(text)
        if m and len(WORD_RE.findall(text[:m.start()])) >= 2:
            return [(text[:m.start()], "signed"), (text[m.end():], "line")]
    return [(text, "signed")]


def split_salute(line: str) -> tuple[str, str] | None:
    """A closing line holding courtesy and signature: "I have, etc., John Hay." -> both parts."""
    m = SALUTE_SIGNED_RE.match(plain(line))
    if m and is_signature(m.group("name")):
        return m.group("salute"), m.group("name")
    return None
