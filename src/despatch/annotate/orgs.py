"""Organizations: governments, ministries, missions, legations, armies, banks, companies, parties, assemblies.

Two finders, whose longer mention wins where they meet:

- known names (`organizations.tsv`): names with variants ("State Department"
  is the Department of State) or without a head word ("Kuomintang", "Cheka");
- head words (`org_heads.txt`): an organization's name ends in a word such as
  Mission, Board, Government, Legation, Air Force, Bank. The mention takes the
  capitalised words right before it ("the 15th Army Air Force", "the
  Hongkong and Shanghai Bank", "His Majesty's Government") and an "of/for/on"
  complement after it ("the Ministry of Foreign Affairs", "the Committee on
  Foreign Relations"); a diplomatic post also takes "at/in/to" and a place
  ("the Legation at Peking", "the United States Military Mission in the Soviet
  Union"): the place is part of the organization's name, and the overlap
  settler keeps the longer mention. A head with neither ("the Department",
  "the Government", "the Legation") is a reference, not a name, and is not
  tagged, except the heads that are names by themselves ("the Senate").

Decisions: governments are organizations ("the Chinese Government" has the
value "Government of China", like "the Government of China"); plurals ("the
Allied Governments") are not one organization and are not tagged; "the" stays
out of every mention; a title or a person's name after "of" is not part of the
name ("the Government of President Martínez" is not tagged).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from despatch.annotate.context import Context
from despatch.annotate.places import NAME_WORD, NameTable, gazetteer, lookup, name_key
from despatch.annotate.text import texts
from despatch.data import entries, pairs
from despatch.model import Document, Mention

# Longest modifier run walked back from a head word: "Central Flax Growers'
# Cooperative Association" is four words; beyond six a run is a heading in capitals.
MAX_MODIFIERS = 6


@dataclass(frozen=True, slots=True)
class KnownOrg:
    """An organization of organizations.tsv: its canonical name and why it is known."""

    name: str
    source: str


@dataclass(frozen=True)
class _Rules:
    heads: re.Pattern[str]  # every head word, longest first
    kinds: dict[str, str]  # head -> "body", "post" or "name"
    non_modifiers: frozenset[str]
    possessives: frozenset[str]  # "Majesty's", "People's": possessives inside a name
    demonyms: dict[str, str]  # "Chinese" -> "China"
    titles: frozenset[str]  # first words of titles and forms of address: "General", "Mr."
    known: NameTable[KnownOrg]


@cache
def _rules() -> _Rules:
    kinds = {head: kind for head, kind in pairs("org_heads.txt")}
    alternation = "|".join(re.escape(h) for h in sorted(kinds, key=len, reverse=True))
    known: dict[str, KnownOrg] = {}
    for line in entries("organizations.tsv"):
        names_cell, _, note = line.partition("\t")
        names = [n.strip() for n in names_cell.split("|") if n.strip()]
        why = "known organization" + (f" ({note.strip()})" if note.strip() else "")
        for variant in names:
            key = name_key(variant)
            if key is not None:
                known.setdefault(key, KnownOrg(names[0], why))
    return _Rules(
        # A head is a whole word; "Governments" is a plural, not a head.
        heads=re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])"),
        kinds=kinds,
        non_modifiers=frozenset(entries("org_non_modifiers.txt")),
        possessives=frozenset(entries("org_possessives.txt")),
        demonyms=dict(pairs("demonyms.tsv")),
        titles=frozenset(t.split()[0] for t in entries("titles.txt") + entries("honorifics.txt")),
        known=NameTable(known),
    )


# A word that may stand in an organization's name before its head: a capitalised
# word ("Inter-Allied", "Tsung-li"), an ordinal ("15th", "2d"), an abbreviation ("U.S.").
_MODIFIER = re.compile(rf"(?:{NAME_WORD.pattern}|\d+(?:st|nd|rd|th|d))(?:['’]s|s['’])?")
_ABBREVIATION = re.compile(r"(?:[A-Z]\.)+")
# The words before a head, split at spaces and dashes: "companies—China Merchants Steam Navigation Company".
_TOKEN = re.compile(r"[^\s—–]+")
# A capitalised word right after a head, which makes the head part of another name:
# "the Guatemalan Customs Tariff", "the Government Printing Office".
_WORD_AFTER = re.compile(r"[ \n]([A-Z][\w'’-]*)")
_COMPANY_SUFFIXES = frozenset({"Ltd", "Limited", "Inc", "Incorporated"})
# A complement after the head: "of Foreign Affairs", "of the United States of America",
# "on Boundaries and Waters", "for Relief": capitalised words joined by particles.
_WORD = r"[A-Z][\w'’-]*(?<!['’]s)"
_COMPLEMENT = re.compile(
    rf"[ \n](of|for|on)[ \n](the[ \n])?({_WORD}(?:[ \n](?:(?:of|for)[ \n](?:the[ \n])?|(?:and|&|de|del|y)[ \n])?{_WORD})*)")
# A post's place: "at Peking", "in the Soviet Union", "to Moscow".
_POST_PLACE = re.compile(r"[ \n](at|in|to)[ \n](the[ \n])?(?=[A-Z])")
# A complement's words that are not part of a name: a date ("of March 5"), a title ("of President Martínez").
_NOT_COMPLEMENT = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November|December)(?:[ \n]\d|$)"
    r"|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec|No)$"
    r"|(?:Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|Sunday"
    r"|President|General|King|Queen|Emperor|Mr|Mrs|Dr|Senator|Admiral)\b")


def _modifiers_start(text: str, start: int, rules: _Rules) -> tuple[int, list[str]]:
    """Where the capitalised words before a head begin, and those words: "the [Red] Air Force"."""
    left = text[max(0, start - 160):start]
    offset = start - len(left)
    if not left or left[-1] not in " \n—–":
        return start, []
    toks = [(m.start() + offset, m.group()) for m in _TOKEN.finditer(left)]
    begin = start
    words: list[str] = []
    k = len(toks) - 1
    while k >= 0 and len(words) < MAX_MODIFIERS:
        pos, tok = toks[k]
        if tok in ("and", "&") and words and k > 0:
            # "the Hongkong and Shanghai Bank": "and" joins two modifiers, not two names
            # ("National City Company and Czechoslovak Government").
            before = toks[k - 1][1]
            if _is_modifier(before, rules) and not rules.heads.fullmatch(before):
                words[:0] = [before, tok]
                begin = toks[k - 1][0]
                k -= 2
                continue
            break
        opening = tok[:1] in "(“\"‘["
        if opening:
            tok, pos = tok[1:], pos + 1  # "(Great Knives Society)": the name starts inside the bracket
        if not _is_modifier(tok, rules) or _sentence_adverb(text, pos, tok):
            break
        words.insert(0, tok)
        begin = pos
        k -= 1
        if opening:
            break
    if words and words[0] in ("Majesty's", "Majesty’s") and k >= 0 and toks[k][1] in ("His", "Her"):
        words.insert(0, toks[k][1])  # "His Majesty's Government"
        begin = toks[k][0]
    return begin, words


def _continued(text: str, end: int, rules: _Rules) -> bool:
    """Whether a capitalised word after a head carries the name on ("Customs Tariff"); a title,
    date or another head does not ("the British Military Mission General Burrows", "Navy Department")."""
    after = _WORD_AFTER.match(text, end)
    if after is None:
        return False
    word = after.group(1)
    if word in _COMPANY_SUFFIXES or rules.heads.match(word):
        return False
    return not (word.rstrip(".") in rules.non_modifiers or word in rules.titles)


def _sentence_adverb(text: str, pos: int, tok: str) -> bool:
    """An adverb opening a sentence: "Probably British Government thought...", not a name's first word."""
    if not (tok.endswith("ly") and len(tok) > 5):
        return False
    before = text[max(0, pos - 3):pos].rstrip()
    return not before or before[-1] in ".:;!?"


def _is_modifier(tok: str, rules: _Rules) -> bool:
    if not _MODIFIER.fullmatch(tok) and not _ABBREVIATION.fullmatch(tok):
        return False
    if tok.rstrip(".") in rules.non_modifiers or tok in rules.non_modifiers:
        return False
    if tok.endswith(("'s", "’s")):
        return tok in rules.possessives
    return True


def _complement(text: str, end: int, kind: str, of: bool) -> tuple[int, str | None]:
    """Where a head's complement ends, and the place it names if it names one; `of`: may it take "of/for/on"."""
    m = _COMPLEMENT.match(text, end) if of and kind != "named" else None
    if m and m.group(1) == "on" and kind != "body":
        m = None  # "the Senate on Mar. 3": only a body is named "on" something ("Committee on Foreign Relations")
    if m:
        words = m.group(3)
        cut = _NOT_COMPLEMENT.search(words)
        if cut:
            words = words[:cut.start()].rstrip()
            words = re.sub(r"[ \n](?:of|for|and|&|de|del|y)(?:[ \n]the)?$", "", words)
        # "the Corps of American engineers": a nationality after "of" is an adjective, not a name.
        if words and words[0].isupper() and (words not in _rules().demonyms or lookup(words) is not None):
            finish = m.start(3) + len(words)
            return finish, words
    if kind == "post":
        m = _POST_PLACE.match(text, end)
        if m:
            for start, stop, _key, _place in gazetteer().find(text[m.end():m.end() + 80]):
                if start == 0:
                    return m.end() + stop, None
                break
    return end, None


def _government_value(words: list[str], complement: str | None, had_the: bool, rules: _Rules) -> str | None:
    """'Government of China' for "Chinese Government", "China Government", "Government of China"."""
    if complement is not None:
        place = lookup(complement)
        if place is None:
            return None
        article = "the " if had_the else ""
        return f"Government of {article}{place.name}"
    mod = " ".join(words)
    if mod in rules.demonyms:
        return f"Government of {rules.demonyms[mod]}"
    place = lookup(mod)
    return f"Government of {place.name}" if place is not None else None


def _normal(text: str) -> str:
    return " ".join(text.replace("’", "'").split())


def find_orgs(text: str) -> list[Mention]:
    """The organization mentions of one text, not overlapping, in text order."""
    rules = _rules()
    found: list[Mention] = []
    for start, end, _key, org in rules.known.find(text):
        found.append(Mention("org", start, end, text[start:end], value=org.name, why=org.source))
    for m in rules.heads.finditer(text):
        head = m.group()
        kind = rules.kinds[head]
        if _continued(text, m.end(), rules):
            continue
        begin, words = _modifiers_start(text, m.start(), rules)
        # "the Panamanian Government of the Navy Radio stations": a government named
        # by its nation takes no complement.
        finish, complement = _complement(text, m.end(), kind, of=not (words and head == "Government"))
        if not words and finish == m.end() and kind != "name":
            continue  # "the Department", "the Legation": a reference, not a name
        span = text[begin:finish]
        value = _normal(span)
        if finish > m.end():
            # "Department of State Conference Series": a known name the complement runs past ends there.
            finish = _known_prefix(rules, text, begin, m.end(), finish)
            span = text[begin:finish]
            value = _normal(span)
        known = rules.known.names.get(name_key(value) or "")
        if known is not None:
            value, why = known.name, f"pattern: head word {head}; {known.source}"
        else:
            why = f"pattern: head word {head}"
            if head == "Government" and len(words) <= 3:
                had_the = complement is not None and text[m.end():finish].split()[1:2] == ["the"]
                value = _government_value(words, complement, had_the, rules) or value
        found.append(Mention("org", begin, finish, span, value=value, why=why))
    return _longest(found)


def _known_prefix(rules: _Rules, text: str, begin: int, head_end: int, finish: int) -> int:
    """The end of the longest known name that starts at `begin` and ends inside the complement, else `finish`."""
    for start, stop, _key, _org in rules.known.find(text[begin:finish]):
        if start == 0 and head_end - begin < stop < finish - begin:
            return begin + stop
        break
    return finish


def _longest(mentions: list[Mention]) -> list[Mention]:
    """Longer mentions first, then the earlier found (known names before patterns); no overlaps."""
    ranked = sorted(enumerate(mentions), key=lambda km: (-(km[1].end - km[1].start), km[0]))
    kept: list[Mention] = []
    for _, m in ranked:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def annotate(doc: Document, context: Context) -> None:
    """Add an org mention for every organization named in the document's heading, dateline, body, closer and notes."""
    for t in texts(doc):
        for mention in find_orgs(t.text):
            t.add(mention)
