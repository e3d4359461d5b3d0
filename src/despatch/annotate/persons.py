"""People named in the text: by title, by full name, and by the names the batch already knows.

Four kinds of evidence, strongest first:

1. a title or form of address before capitalised words: "Mr. Seward",
   "General Burrows", "Lt. Gen. Montagu Brocas Burrows", "Viscount Motono";
2. the shape of a full name: initials before a surname ("L. P. Sheldon",
   "John F. Stevens") or a known given name before one ("Daniel Willard");
3. a name the batch has already shown to be a person: the parties of its
   headings, its signatures, the names opening its biographical notes, and every
   titled name found anywhere in it (`collect_names`). So a bare "Stevens" in a
   telegram is a person because a heading or "Mr. Stevens" said so;
4. the shape of a Slavic surname standing alone ("Bakhmeteff", "Tereshchenko").

No statistical model: on the 1918 Russia volume the small English spaCy
pipeline finds persons at F1 0.58 and 8,000 words/s, far below these rules on
both counts, and rules can say why they fired.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from functools import cache

from despatch.annotate import places
from despatch.annotate.context import Context
from despatch.annotate.text import texts
from despatch.data import entries, pairs
from despatch.model import Document, Mention
from despatch.parse.dates import MONTH
from despatch.parse.lines import signers
from despatch.parse.notes import biographical_name

# A given name cut short, as older volumes print them: "Wm. H. Seward", "Chas. Francis Adams".
ABBREVIATED = r"(?:Wm|Chas|Geo|Thos|Jas|Jno|Saml|Benj|Robt|Richd|Danl|Edw)\."
# A word of a name: "Stevens", "MacMurray", "McAdoo", "LeGrow", "O’Brien", "Ch’ing", "Hung-chang",
# or an initial "P."; never a possessive ending.
NAME_WORD = (rf"(?:[A-Z]\.|{ABBREVIATED}|(?:O’|O'|D’|d’)?[A-ZÀ-Ý][a-zà-öø-ÿ]+(?:[A-Z][a-zà-öø-ÿ]+|[’'](?!s\b)[a-zà-öø-ÿ]+)*"
             r"(?:-[A-Za-zà-öø-ÿ][a-zà-öø-ÿ]*)*)")
PARTICLE = r"(?:de|van|von|der|den|di|da|du|la|le|del|della|y|ten|ter|af)"
# A run of name words, particles allowed inside: "B. J. de Cologan", "Macchi di Cellere".
RUN = rf"{NAME_WORD}(?:\s+(?:{PARTICLE}\s+)*{NAME_WORD})*"
RUN_RE = re.compile(rf"(?<![\w’'.-]){RUN}")
INITIAL_RE = re.compile(rf"^(?:[A-Z]\.|{ABBREVIATED})$")
# Surnames of a Slavic shape, recognisable alone: "Bakhmeteff", "Tereshchenko", "Chaikovski".
SLAVIC_RE = re.compile(r"^[A-Z][a-z]{2,}(?:ov|ev|eff|off|ova|eva|sky|ski|skii|enko|vich|vitch|ovich|evich|in|yn)$")
# A relayed telegram names sender and addressee in its first words:
# "For Stevens from Felton: Your letter ...", "[From Sheldon]", "Following from Emerson:",
# "3169. McAdoo from Cravath: 729." (the telegram's number first, "For" left out).
RELAY_RE = re.compile(
    rf"(?:^|\[)\s*(?:\d+\.\s+)?(?:(?:\[?(?:For|To)\]?\s+)?(?P<to>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\s+)?"
    rf"(?:Following\s+)?[Ff]rom\s+"
    rf"(?P<from>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\s*[:\].]"
    rf"|^\s*(?:\[?For\]?)\s+(?P<for>{NAME_WORD}(?:\s+{NAME_WORD}){{0,2}})\s*:"
)
SENTENCE_END_RE = re.compile(r"(?:^|[.!?:;]\s*[“\"(]?|^\s*[“\"(])\s*$")


@cache
def _titles() -> dict[str, str]:
    return {title: kind for title, kind in pairs("person_titles.tsv")}


@cache
def _title_re() -> re.Pattern[str]:
    titles = sorted(_titles(), key=len, reverse=True)
    alternation = "|".join(re.escape(t) + (r"(?!\w)" if t.endswith(".") else r"\b") for t in titles)
    # one or more titles, then the name: "Lt. Gen. Montagu Brocas Burrows", "Mr. Secretary Hay"
    return re.compile(rf"(?<![\w’'])(?P<titles>(?:(?:{alternation})\s+)+)(?P<name>{RUN})")


@cache
def _not_names() -> frozenset[str]:
    return frozenset(entries("not_names.txt"))


@cache
def _given_names() -> frozenset[str]:
    return frozenset(entries("given_names.txt"))


def _title_kind(title: str) -> str | None:
    """"address", "office" or "rank" for a run of titles, by its longest known ending ("Consul General")."""
    words = title.split()
    for k in range(len(words)):
        kind = _titles().get(" ".join(words[k:]))
        if kind:
            return kind
    return None


def _trim(words: list[str]) -> tuple[int, int]:
    """Indices of the first and last word that may belong to a name (not an office, month...)."""
    stop = _not_names()
    first, last = 0, len(words) - 1
    while first <= last and words[first].rstrip(".") in stop:
        first += 1
    while last >= first and words[last].rstrip(".") in stop:
        last -= 1
    return first, last


# Words that number what follows them: "Article V. The High Contracting Parties" holds no initial.
NUMBERING_WORDS = frozenset({"Article", "Section", "Chapter", "Part", "Paragraph", "Clause", "Annex", "Appendix",
                             "Schedule", "Point", "Item", "Volume", "Vol.", "Table", "Exhibit", "Enclosure", "No."})


def _is_full_name(words: list[str], before: str = "") -> bool:
    """Initials before a surname, or a known given name before one; `before` is the word in front."""
    if len(words) < 2 or INITIAL_RE.match(words[-1]) or before in NUMBERING_WORDS:
        return False
    if any(w in _not_names() for w in words[1:] if not INITIAL_RE.match(w)):
        return False  # "V. The High Contracting Parties", "T. Should": words of a sentence, not a name
    if any(INITIAL_RE.match(w) for w in words[:-1]):
        return True
    return words[0] in _given_names()


def _full_name_at(words: list[str], before: str = "") -> int | None:
    """Where a full name begins in a run of capitalised words (at an initial or a given name), if one does."""
    for i, word in enumerate(words[:-1]):
        if (INITIAL_RE.match(word) or word in _given_names()) and _is_full_name(words[i:], words[i - 1] if i else before):
            return i
    return None


def _sentence_start(text: str, start: int) -> bool:
    return bool(SENTENCE_END_RE.search(text[max(0, start - 4):start]))


def titled_names(text: str) -> Iterable[tuple[int, int, int, str, str]]:
    """(start, name_start, end, title, name) for every name after a title in `text`."""
    stop = _not_names()
    pattern = _title_re()
    pos = 0
    while True:
        m = pattern.search(text, pos)
        if m is None:
            return
        pos = m.start() + 1
        titles = m.group("titles").split()
        if titles[0] == "M." and _after_name_word(text, m.start()):
            continue  # "Maxwell M. Hamilton": a middle initial, not "Monsieur"
        words = m.group("name").split()
        if words[0].rstrip(".") in stop:
            continue  # "Mr. President", "General Staff"; a later title may still start a name
        _, last = _trim(words)
        if last < 0:
            continue
        name = " ".join(words[: last + 1])
        rank = _title_kind(" ".join(titles)) == "rank"
        name_at = m.start("name")
        pos = name_at + len(name)
        yield m.start(), (m.start() if rank else name_at), pos, " ".join(titles), name


def _after_name_word(text: str, start: int) -> bool:
    before = text[max(0, start - 30):start].split()
    return bool(before) and bool(re.fullmatch(NAME_WORD, before[-1]))


def collect_names(docs: Iterable[Document], lower: set[str] | frozenset[str] = frozenset()) -> dict[str, str]:
    """Names the batch shows to be people, every form mapped to the fullest name known.

    Read from headings' parties, signatures, the names opening biographical
    notes, person mentions an edition already tags, and titled names anywhere.
    `lower` holds the words the batch writes in lower case: a single word after a
    rank or office that is also an ordinary word ("General Provisions") teaches nothing.
    """
    full: set[str] = set()
    for doc in docs:
        for part in doc.all_documents():
            for party in part.senders + part.recipients:
                if party.name and not party.name[0].islower():
                    full.add(party.name)
            for block in part.closer:
                if block.kind == "signed":
                    # a line of several signers ("M. C. Czikann. S. Pichon. Salvago Raggi.") teaches each
                    full.update(n.strip(" .,[]") for n in signers(block.text) if len(n.split()) <= 5)
            for note in part.notes:
                bio = biographical_name(note.text)
                if bio:
                    full.add(_strip_titles(bio))
            for t in texts(part):
                for mention in t.holder.mentions:
                    if mention.kind == "person" and mention.form == "name":
                        start = mention.name_start if mention.name_start is not None else mention.start
                        full.add(t.text[start:mention.end])
                for run in RUN_RE.finditer(t.text):
                    # "Henry Miller", "W. L. Darling": the shape of a full name teaches its surname
                    words = run.group(0).split()
                    at = _full_name_at(words)
                    if at is not None:
                        full.add(" ".join(words[at:]))
                for relay in RELAY_RE.finditer(t.text):
                    full.update(name for _, _, name in _relayed(relay, lower))
                for _, _, _, title, name in titled_names(t.text):
                    # "Consul Vladivostok reports": an office before one word may stand before a place
                    kind = _title_kind(title)
                    if " " in name or (kind == "address" or (kind == "rank" and name.lower() not in lower)):
                        full.add(name)
    forms = _forms(full)
    company = {word for doc in docs for part in doc.all_documents() for t in texts(part)
               for word in _named_by_company(t.text, forms, lower)} - forms.keys()
    return _forms(full | company) if company else forms


# A lone capitalised word joined to a known name ("Stevens’s and Emerson’s force"), before
# a verb people do ("when Emerson arrives", "Kinoshita fully agreed"), names a person, unless it is a
# place or a nationality: countries agree and capitals report as often as people do.
BESIDE_RE = re.compile(rf"(?<![\w’'.-])({NAME_WORD})(?:[’']s)?,?\s+(?:and|or)\s+({NAME_WORD})(?![\w-]|[’'](?!s\b))")
VERB_RE = re.compile(rf"(?<![\w’'.-])({NAME_WORD})(?:[’']s)?\s+(?:(?:[a-z]+ly|also|then|now|again|still)\s+)?([a-z]+)\b")
# One asked, told or thanked by the writer: "Please ask Willard to keep me advised", "Tell Willard that".
ASKED_RE = re.compile(rf"\b(?:[Aa]sk|[Tt]ell|[Ii]nstruct|[Tt]hank|[Uu]rge|[Rr]emind)\s+({NAME_WORD})(?=\s+(?:to|that)\b|[,:])")
# A telegram cited by its sender and date: "conveyed in Spencer’s September 18, 10 p.m."
CITED_BY_RE = re.compile(rf"(?<![\w’'.-])({NAME_WORD})[’']s\s+(?i:{MONTH})\s+\d")


def _named_by_company(text: str, known: dict[str, str], lower: set[str] | frozenset[str]) -> Iterable[str]:
    """Lone capitalised words in `text` that the company they keep shows to be names."""
    place_spans: list[tuple[int, int]] | None = None

    def a_place(start: int) -> bool:  # as the places annotator reads the text, not the gazetteer alone
        nonlocal place_spans
        if place_spans is None:
            place_spans = [(p.start, p.end) for p in places.find_places(text)]
        return any(s <= start < e for s, e in place_spans)

    def lone_word(m: re.Match[str], group: int) -> bool:
        word, start = m.group(group), m.start(group)
        return not (len(word) < 3 or INITIAL_RE.match(word) or word in known or word in _not_names()
                    or word in _nationalities() or a_place(start)
                    or word.lower() in lower or word.lower() in _common_words() or _sentence_start(text, start)
                    or _after_name_word(text, start) or re.match(rf"\s+{NAME_WORD}", text[m.end(group):]))
    for m in BESIDE_RE.finditer(text):
        if m.group(1) in known and lone_word(m, 2):
            yield m.group(2)
        elif m.group(2) in known and lone_word(m, 1):
            yield m.group(1)
    for m in VERB_RE.finditer(text):
        if m.group(2) in _person_verbs() and lone_word(m, 1):
            yield m.group(1)
    for m in ASKED_RE.finditer(text):
        if lone_word(m, 1):
            yield m.group(1)
    for m in CITED_BY_RE.finditer(text):
        if lone_word(m, 1):
            yield m.group(1)


def _strip_titles(text: str) -> str:
    m = _title_re().match(text.strip())
    return m.group("name") if m else text.strip()


def _forms(names: set[str]) -> dict[str, str]:
    """Each full name and its surname, both mapped to the fullest name they belong to."""
    forms: dict[str, str] = {}
    stop = _not_names()
    for name in sorted(names, key=lambda n: (len(n), n)):  # the same on every worker
        words = [w for w in name.replace(",", " ").split() if w]
        if not words or not RUN_RE.fullmatch(" ".join(words)):
            continue
        while words and (words[-1].rstrip(".") in stop or all(p in _titles() for p in words[-1].split("-"))):
            words = words[:-1]  # "J. Lawrence Gilson Chairman", "James E. Brown, Jr.", "Von Lessel, Lieutenant-General"
        if not words or all(w.rstrip(".") in stop for w in words):
            continue
        joined = " ".join(words)
        surname = words[-1]
        if INITIAL_RE.match(surname) or surname in stop:
            continue
        forms[joined] = joined
        if len(words) > 1 and surname not in stop:
            # a longer name wins the surname: sorted by length, the last written is the fullest
            forms[surname] = joined
        elif surname not in forms:
            forms[surname] = joined
    return forms


def _name_in_run(words: list[str], known: dict[str, str], before: str = "") -> tuple[int, list[str], str] | None:
    """The part of a run of capitalised words that names a person: (words skipped, name words, why).

    "Forwarded Stevens" names Stevens (known); "Inform Daniel Willard" names
    Daniel Willard (given name); "Bakhmeteff" stands alone by its shape. `before` is the word
    in front of the run.
    """
    if " ".join(words) in known:
        return 0, words, "known name" if len(words) > 1 else "known surname"
    at = _full_name_at(words, before)
    if at is not None:
        return at, words[at:], "full name"
    for i in range(1, len(words)):
        tail = words[i:]
        if " ".join(tail) in known:
            return i, tail, "known name" if len(tail) > 1 else "known surname"
    last = words[-1]
    if SLAVIC_RE.match(last) and last not in _not_names() and len(words) <= 2:
        return len(words) - 1, [last], "surname shape"
    return None


def _relayed(m: re.Match[str], lower: set[str] | frozenset[str]) -> Iterable[tuple[int, int, str]]:
    """(start, end, name) of the parties a relay line names; "Telegram from ..." names no one."""
    for group in ("to", "from", "for"):
        name = m.group(group)
        if name and name not in _not_names() and name.lower() not in lower:
            yield m.start(group), m.end(group), name


def _mention(text: str, start: int, name_start: int, end: int, value: str, why: str) -> Mention:
    return Mention(kind="person", start=start, end=end, text=text[start:end], value=value, why=why,
                   name_start=name_start)


def find_persons(text: str, known: dict[str, str], lower: set[str] | frozenset[str] = frozenset()) -> list[Mention]:
    """Person mentions in one text; `lower` holds the words the batch writes in lower case."""
    found: list[Mention] = []
    taken: list[tuple[int, int]] = []
    for start, name_start, end, title, name in titled_names(text):
        if " " not in name and name.lower() in lower and _title_kind(title) != "address" and name not in known:
            continue  # "General Considerations", "Acting Secretary Also": a word, not a name
        value = known.get(name, known.get(name.split()[-1], name))
        found.append(_mention(text, start, name_start, end, value, f"title: {title}"))
        taken.append((start, end))
    for m in RELAY_RE.finditer(text):
        for start, end, name in _relayed(m, lower):
            if not any(start < e and s < end for s, e in taken):
                found.append(_mention(text, start, start, end, known.get(name, name), "telegram relay: for/from"))
                taken.append((start, end))
    for m in RUN_RE.finditer(text):
        if any(m.start() < e and s < m.end() for s, e in taken):
            continue
        words = m.group(0).split()
        # a name the batch knows whole keeps a first word that is also a month ("August Heid")
        first, last = (0, len(words) - 1) if len(words) > 1 and " ".join(words) in known else _trim(words)
        if last < first:
            continue
        hit = _name_in_run(words[first:last + 1], known, words[first - 1] if first else "")
        if hit is None:
            continue
        skip, kept, why = hit
        offset = m.start() + len(" ".join(words[:first + skip])) + (1 if first + skip else 0)
        name = " ".join(kept)
        if len(kept) == 1 and _sentence_start(text, offset) and (
                name.lower() in _common_words() or (why != "known surname" and name.lower() in lower)):
            continue  # "Page 4 shows", "Explain delay": a word opening a sentence
        value = known.get(name, known.get(kept[-1], name))
        found.append(_mention(text, offset, offset, offset + len(name), value, why))
    return found


@cache
def _nationalities() -> frozenset[str]:
    return frozenset(key for key, _ in pairs("demonyms.tsv"))


@cache
def _person_verbs() -> frozenset[str]:
    return frozenset(entries("person_verbs.txt"))


@cache
def _common_words() -> frozenset[str]:
    return frozenset(w.lower() for w in entries("common_surnames.txt"))


def annotate(doc: Document, context: Context) -> None:
    for t in texts(doc):
        if t.part == "dateline":
            continue
        for mention in find_persons(t.text, context.known_names, context.knowledge.words):
            t.add(mention)
