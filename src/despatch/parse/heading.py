"""The heading's parties: who sent the document and to whom.

FRUS headings name a party by office and name ("The Ambassador in the Soviet
Union (Harriman)"), by form of address and name ("Mr. Hay"), by title and name
("President Roosevelt") or by office alone ("the Secretary of State").
"""
from __future__ import annotations

import re
from functools import cache

from despatch.data import entries
from despatch.model import Party

# " to " between the two parties, never inside parentheses.
TO_RE = re.compile(r"\s+to\.?\s+", re.IGNORECASE)  # "to." where a speck was read as a stop
# Headings that name only an author: "Memorandum by the Secretary of State",
# "Memorandum of Conversation, by the Chief of the Division of Far Eastern Affairs (Hornbeck)".
BY_RE = re.compile(r"^(?:[A-Z][\w’'\-]*\s*){1,4}(?:[\w ,’'\-]{0,60}?),?\s+by\s+(?P<party>.+)$")
# A heading that names a kind of paper before (perhaps) its parties.
PAPER_RE = re.compile(
    r"^(?:Memorandum|Aide-M[ée]moire|Notes?|Minutes|Record|Report|Statement|Press Release|Draft|Telegram|Circular|"
    r"Instructions?|Message|Letter)\b"
)
PAPER_FROM_RE = re.compile(r"\b[Ff]rom\s+(?P<left>.+?)\s+to\s+(?P<right>.+)$")
ARTICLE_RE = re.compile(r"^(?:all\s+)?(?:the|a|an)\s+", re.IGNORECASE)
PAREN_RE = re.compile(r"\s*\(([^()]{1,80})\)\s*")
# A right-hand side that continues an office rather than naming the recipient:
# "The Minister to China (Conger) to ..." splits after the parentheses, not at "Minister to".
OFFICE_BEFORE_TO_RE = re.compile(
    r"\b(?:Minister|Ambassador|Envoy|Delegate|Delegates|Commissioner|Consul|Agent|Representative|Adviser|Advisor|Mission|Legation|Embassy)$",
    re.IGNORECASE,
)
# The letter a heading of an enclosed paper may carry: "A. Mr. Varas to Mr. Seward."
LABEL_RE = re.compile(r"^[A-Z]\.\s+")
QUALIFIER_RE = re.compile(r"\s+(?:of|in|at|for)\s+(?:the\s+)?[A-Z].*$")
# What a heading adds after the recipient: "Mr. Seward to Mr. Schurz, with accompaniments."
RIDER_RE = re.compile(r",\s+(?:with|and|inclosing|enclosing|transmitting)\b.*$")
OFFICE_WORDS_RE = re.compile(
    r"\b(?:Secretary|Minister|Ambassador|Chargé|Consul|Counselor|Counsellor|Commissioner|Chief|Director|"
    r"Adviser|Advisor|Delegate|President|Governor|Agent|Attaché|Legation|Embassy|Department|Office|Division|"
    r"Mission|Government|Ministry|Council|Committee|Commission|Board|Chairman|Admiral|General)\b|^[a-z]"
)


@cache
def _titles() -> tuple[str, ...]:
    return tuple(sorted(entries("titles.txt"), key=len, reverse=True))


@cache
def _honorifics() -> tuple[str, ...]:
    return tuple(sorted(entries("honorifics.txt"), key=len, reverse=True))


def _strip_prefix(text: str, prefixes: tuple[str, ...], capital: bool) -> tuple[str, str]:
    """(prefix, rest) for the longest prefix followed by a space and a word, else ("", text).

    With `capital`, the word must be capitalised: "President Roosevelt" has a
    title, "President of the Council" does not.
    """
    for p in prefixes:
        if text.startswith(p + " ") and len(text) > len(p) + 1:
            nxt = text[len(p) + 1]
            if nxt.isupper() or (not capital and nxt.isalpha()):
                return p, text[len(p) + 1:]
    return "", text


def _split_parties(head: str) -> tuple[str, str] | None:
    """The heading cut at the " to " that separates sender from recipient."""
    depth_ok = []
    for m in TO_RE.finditer(head):
        before = head[:m.start()]
        if before.count("(") != before.count(")"):
            continue
        depth_ok.append(m)
    if not depth_ok:
        return None
    closed = head.find(")")
    for m in depth_ok:
        if closed != -1 and m.start() < closed:
            continue
        if OFFICE_BEFORE_TO_RE.search(head[:m.start()]) and m is not depth_ok[-1]:
            continue
        return head[:m.start()], head[m.end():]
    m = depth_ok[0]
    return head[:m.start()], head[m.end():]


def parse_party(text: str, offset: int = 0) -> Party:
    """One side of a heading; `offset` is where `text` starts in the heading."""
    raw = text
    lead = len(raw) - len(raw.lstrip())
    text = raw.strip()
    rider = RIDER_RE.search(text)
    if rider and text[:rider.start()].count("(") == text[:rider.start()].count(")"):
        text = text[:rider.start()]  # (not ", and Turkel)" inside the parentheses)
    text = text.rstrip(".,;:")
    pos = offset + lead

    label = LABEL_RE.match(text)
    if label and _strip_prefix(text[label.end():], ("The", *_honorifics(), *_titles()), capital=False)[0]:
        text, pos = text[label.end():], pos + label.end()  # "A. Mr. Varas to Mr. Seward": a paper's letter

    article = ARTICLE_RE.match(text)
    if article:
        text, pos = text[article.end():], pos + article.end()

    paren = PAREN_RE.search(text)
    if paren and not OFFICE_WORDS_RE.search(paren.group(1)):
        name = paren.group(1).strip()
        office = (text[:paren.start()] + text[paren.end():]).strip() or None
        start = pos + text.index(paren.group(1))
        return Party(raw.strip().rstrip(".,;:"), name=name, office=office, start=start, end=start + len(name))

    office_in_paren = paren.group(1).strip() if paren else None
    core = text[:paren.start()].strip() if paren else text

    honorific, rest = _strip_prefix(core, _honorifics(), capital=False)
    title, rest2 = _strip_prefix(rest, _titles(), capital=True)
    if honorific or title or not article:
        name = QUALIFIER_RE.sub("", rest2).strip() if (title or honorific) else rest2.strip()
        qualifier = rest2[len(name):].strip() if title else ""
        office = office_in_paren or (" ".join(x for x in (title, qualifier) if x) or None)
        before, comma, after = rest2.partition(",")
        if comma and "," in name and after.strip() and OFFICE_WORDS_RE.search(after.strip()):
            name, office = before.strip(), office_in_paren or after.strip()  # "Mr. Martin, consul at Nanking"
        if name and (name[0].isupper() or honorific) and not (not honorific and not title and OFFICE_WORDS_RE.search(name)):
            start = pos + core.index(name, len(honorific) + len(title))
            return Party(raw.strip().rstrip(".,;:"), name=name, office=office, start=start, end=start + len(name))
    # named by office alone: "the Secretary of State"
    office = core
    return Party(raw.strip().rstrip(".,;:"), name=None, office=office, start=pos, end=pos + len(office))


def parse_parties(head: str) -> tuple[list[Party], list[Party]]:
    """Senders and recipients named in a heading; both empty when it names none."""
    if not head:
        return [], []
    paper = PAPER_RE.match(head)
    if paper:
        # "Memorandum From the Assistant Secretary (X) to the Secretary (Y)" names both parties;
        # "Memorandum in response to Mr. Wu's communication" names neither.
        between = PAPER_FROM_RE.search(head, paper.end())
        if between:
            left, right = between.group("left"), between.group("right")
            return [parse_party(left, between.start("left"))], [parse_party(right, between.start("right"))]
        by = BY_RE.match(head)
        return ([parse_party(by.group("party"), by.start("party"))], []) if by else ([], [])
    split = _split_parties(head)
    if split is not None:
        left, right = split
        return _several(parse_party(left, 0)), _several(parse_party(right, len(head) - len(right)))
    by = BY_RE.match(head)
    if by:
        return [parse_party(by.group("party"), by.start("party"))], []
    return [], []


# Several people in one party's parentheses: "The American Technical Advisers (Nufer, Donnelly, and Turkel)";
# outside them "Messrs. Baring Brothers and Co." is one party.
NAMES_SEPARATOR_RE = re.compile(r",?\s+and\s+|,\s+")


def _several(party: Party) -> list[Party]:
    """One party for each person named together, all with the party's office."""
    if not party.name or party.start is None or f"({party.name})" not in party.text \
            or not NAMES_SEPARATOR_RE.search(party.name):
        return [party]
    names = [n for n in NAMES_SEPARATOR_RE.split(party.name) if n]
    if not all(n[:1].isupper() and len(n.split()) <= 4 for n in names):
        return [party]
    parties, at = [], 0
    for name in names:
        at = party.name.index(name, at)
        start = party.start + at
        parties.append(Party(party.text, name=name, office=party.office, start=start, end=start + len(name)))
        at += len(name)
    return parties
