"""What a user typed, made safe before any backend sees it: the query parsed, repaired and bounded.

A historian types `"most secret" treaty OR convention NOT Japan*`; the search
box is not a place for syntax errors. `parse_text` reads such a query into a
small tree (`Term`, `AllOf`, `AnyOf`) and repairs what it can (an
unbalanced quote is closed, a stray `)` or a dangling `AND` dropped, a column
filter such as `head:Lansing` read as the word it filters); what it cannot
mean anything by (`*` alone, `NOT Japan` with nothing to keep) is a
`QueryError` whose message tells the user what to type instead.
`check_query` bounds the rest of a `SearchQuery` (page sizes, dates, filter
lengths). Each backend renders the tree in its own syntax (FTS5 for SQLite,
tsquery for PostgreSQL), so both accept exactly the same queries.
"""
from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from despatch.corpus.api import FACETS, QueryError, SearchQuery

MAX_QUERY_CHARS = 500
MAX_LIMIT = 100
MAX_OFFSET = 10_000
MAX_FILTER_CHARS = 200
MAX_TERMS = 32  # each term is a doclist the index must merge; 32 is far beyond what people type
MIN_PREFIX = 2  # "a*" would expand to every word beginning with a: a scan of the whole vocabulary
SORTS = ("relevance", "date", "-date")

# Operators are upper case, as in FTS5 and in search engines' help pages; "and" in
# lower case is a word of the text ("Peace and Commerce").
OPERATORS = frozenset({"AND", "OR", "NOT"})
# Control characters (a NUL from a pasted binary, a form feed) and halves of surrogate
# pairs (from a broken URL decoder) are never text anyone searches for.
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f\ud800-\udfff]")
# A column filter as FTS5 writes one, `head:Lansing`: the words are searched everywhere.
COLUMN = re.compile(r"(?:head|heading|title|body|text|notes?|parties):", re.IGNORECASE)
# A query splits at white space, quotes and brackets: `(treaty OR "most secret")*`.
# `-"most secret"` keeps its minus: it excludes the phrase.
TOKEN = re.compile(r'-?"[^"]*"?|[()]|[^\s"()]+')
# What the tokenizers index: letters and digits. "_" and "—" are separators to them.
WORD = re.compile(r"[^\W_]")
ISO_DATE = re.compile(r"(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?")


@dataclass(frozen=True)
class Term:
    """A word or a phrase; `prefix` for `treat*`, which also finds treaty and treaties."""

    text: str
    prefix: bool = False

    @property
    def phrase(self) -> bool:
        return len(self.text.split()) > 1


@dataclass(frozen=True)
class AllOf:
    """Every part must match (implicit between words, or `AND`); `without` must not (`NOT`, `-word`)."""

    parts: tuple[Node, ...]
    without: tuple[Node, ...] = ()


@dataclass(frozen=True)
class AnyOf:
    """At least one part must match (`OR`)."""

    parts: tuple[Node, ...]


Node = Term | AllOf | AnyOf


def terms_of(node: Node) -> list[Term]:
    """Every term in the tree, excluded ones too."""
    if isinstance(node, Term):
        return [node]
    out: list[Term] = []
    for part in node.parts:
        out.extend(terms_of(part))
    if isinstance(node, AllOf):
        for part in node.without:
            out.extend(terms_of(part))
    return out


class _Parser:
    """Recursive descent over the tokens; every repair happens here, every refusal too."""

    def __init__(self, tokens: list[str]):
        self.tokens = tokens
        self.pos = 0

    def peek(self) -> str | None:
        return self.tokens[self.pos] if self.pos < len(self.tokens) else None

    def take(self) -> str:
        token = self.tokens[self.pos]
        self.pos += 1
        return token

    def parse(self) -> Node | None:
        node = self.any_of()
        # A `)` with no `(` before it ends `any_of` early; the rest is still the query.
        while self.peek() is not None:
            self.take()
            more = self.any_of()
            node = more if node is None else node if more is None else AllOf((node, more))
        return node

    def any_of(self) -> Node | None:
        parts: list[Node] = []
        while True:
            node = self.all_of()
            if node is not None:
                parts.append(node)
            if self.peek() == "OR":
                self.take()  # `a OR OR b` and a trailing `OR` are repaired by skipping the empty side
                continue
            break
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else AnyOf(tuple(parts))

    def all_of(self) -> Node | None:
        keep: list[Node] = []
        drop: list[Node] = []
        negate = False
        while (token := self.peek()) is not None and token not in ("OR", ")"):
            self.take()
            if token == "AND":
                continue  # implicit anyway; a dangling one means nothing
            if token == "NOT":
                negate = True
                continue
            node: Node | None
            if token == "(":
                node = self.any_of()
                if self.peek() == ")":
                    self.take()  # an unclosed `(` closes at the end of the query
            else:
                node, minus = _term(token)
                negate = negate or minus
            if node is not None:
                (drop if negate else keep).append(node)
            negate = False
        if drop and not keep:
            words = " ".join(_show(n) for n in drop)
            raise QueryError(f"“NOT {words}” needs words to keep as well: try “treaty NOT {words}”")
        if not keep:
            return None
        if len(keep) == 1 and not drop:
            return keep[0]
        return AllOf(tuple(keep), tuple(drop))


def _term(token: str) -> tuple[Term | None, bool]:
    """One token as a term, and whether a leading `-` excludes it; None if it holds no word at all."""
    # "Austria - Hungary" is two words; "-Hungary" and -"most secret" exclude.
    minus = token.startswith("-") and len(token) > 1
    if minus:
        token = token[1:]
    token = COLUMN.sub("", token, count=1) if COLUMN.match(token) else token
    if token.startswith('"'):
        text = token.strip('"')
        prefix = False
    else:
        token = token.lstrip("+")
        prefix = token.endswith("*")
        text = token.rstrip("*")
    # `head:Lansing` or `a^b`: the marks are not words, and the tokenizer drops them the
    # same way on both sides, so the words still find the text.
    text = " ".join(text.split())
    if not WORD.search(text):
        return None, minus
    if prefix and len(text) < MIN_PREFIX:
        raise QueryError(f"“{text}*” would match too many words: give at least {MIN_PREFIX} letters before *")
    return Term(text, prefix), minus


def _show(node: Node) -> str:
    if isinstance(node, Term):
        return f'"{node.text}"' if node.phrase else node.text + ("*" if node.prefix else "")
    return "(…)"


def parse_text(text: str) -> Node | None:
    """The query tree of what a user typed; None for an empty query (filters alone)."""
    if len(text) > MAX_QUERY_CHARS:
        raise QueryError(f"the query is too long ({len(text)} characters); at most {MAX_QUERY_CHARS}")
    text = CONTROL.sub(" ", text).strip()
    if not text:
        return None
    node = _Parser(TOKEN.findall(text)).parse()
    if node is None:
        raise QueryError("the query has no words to search for: type a word, a \"phrase\" or a prefix such as treat*")
    if len(terms_of(node)) > MAX_TERMS:
        raise QueryError(f"the query has too many words; at most {MAX_TERMS}")
    return node


@dataclass
class Plan:
    """A `SearchQuery` checked and normalised: what a backend runs."""

    text: Node | None
    filters: dict[str, str] = field(default_factory=dict)  # facet -> value (id or name), facets of FACETS
    date_from: str | None = None  # inclusive lower bound on the ISO date string
    date_to: str | None = None  # exclusive upper bound: "1918-03" becomes "1918-03~", after every day of March
    sort: str = "relevance"
    limit: int = 20
    offset: int = 0

    @property
    def by_relevance(self) -> bool:
        return self.sort == "relevance" and self.text is not None


def _date_bound(value: str, name: str) -> str:
    """`value` as an ISO date prefix (`1918`, `1918-03`, `1918-03-05`), checked against the calendar."""
    value = value.strip()
    match = ISO_DATE.fullmatch(value)
    if match is None:
        raise QueryError(f"{name}: expected a date such as 1918-03-05, 1918-03 or 1918, not “{value[:40]}”")
    year, month, day = match.groups()
    try:
        dt.date(int(year), int(month or 1), int(day or 1))
    except ValueError:
        raise QueryError(f"{name}: {value} is not a date in the calendar") from None
    return value


def _filter_value(value: str | int, name: str) -> str:
    text = CONTROL.sub(" ", str(value)).strip()
    if len(text) > MAX_FILTER_CHARS:
        raise QueryError(f"{name}: too long ({len(text)} characters); at most {MAX_FILTER_CHARS}")
    return text


def check_query(query: SearchQuery) -> Plan:
    """`query` parsed and bounded, or a `QueryError` saying what is wrong with it."""
    if not isinstance(query.limit, int) or not 0 <= query.limit <= MAX_LIMIT:
        raise QueryError(f"limit must be between 0 and {MAX_LIMIT}")
    if not isinstance(query.offset, int) or not 0 <= query.offset <= MAX_OFFSET:
        raise QueryError(f"offset must be between 0 and {MAX_OFFSET}")
    if query.sort not in SORTS:
        raise QueryError(f"sort must be one of {', '.join(SORTS)}")
    plan = Plan(text=parse_text(query.text or ""), sort=query.sort, limit=query.limit, offset=query.offset)
    for facet in FACETS:
        value = getattr(query, facet, None)
        if value is None or value == "":
            continue
        if facet == "year" and (not isinstance(value, int) or isinstance(value, bool) or not 0 < value < 10_000):
            raise QueryError(f"year: expected a year such as 1918, not “{str(value)[:40]}”")
        text = _filter_value(value, facet)
        if text:
            plan.filters[facet] = text
    if query.date_from:
        plan.date_from = _date_bound(_filter_value(query.date_from, "date_from"), "date_from")
    if query.date_to:
        # "~" sorts after digits and "-", so every date beginning with date_to falls below it.
        plan.date_to = _date_bound(_filter_value(query.date_to, "date_to"), "date_to") + "~"
    if plan.date_from and plan.date_to and plan.date_from > plan.date_to:
        raise QueryError("date_from is after date_to")
    return plan
