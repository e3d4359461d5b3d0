"""The PostgreSQL corpus's full text: despatch's words as the index holds them, a query as a tsquery, long documents.

What `search` and `writing` build their SQL from: the text search configuration,
the columns' weights and the gap between them, the snippets' settings, and the
passages that answer a phrase in a document too long for one tsvector.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence

from despatch.corpus.query import MAX_QUERY_CHARS, AllOf, AnyOf, Node, Term, terms_of

CONFIG = "despatch"
# ts_rank_cd's weights of D (notes), C (body), B (parties), A (heading): the proportions of the
# SQLite backend's bm25 weights (0.5, 1, 4, 8): a word in the heading says most about a document.
RANK_WEIGHTS = [0.05, 0.1, 0.4, 0.8]
RANK_NORMALIZATION = 1  # divided by 1 + log(length): a long document is not first for being long
# A token PostgreSQL's parser reads as one host name and that no text can yield (despatch's words
# have no dots): put after a column and deleted from the vector, it leaves a hole of one position,
# so "Roosevelt Harriman" is no phrase when the heading ends with Roosevelt and the parties begin
# with Harriman, as in FTS5, whose columns are apart.
COLUMN_GAP = "column.gap"
HEADLINE = 'StartSel="\x02", StopSel="\x03", MaxWords=24, MinWords=12, ShortWord=0, MaxFragments=1'
ELLIPSIS = "…"
# ts_headline is given HEADLINE_WINDOW characters from this many before the first place one of the
# query's words is written: a hit, at a fraction of a long despatch's length.
HEADLINE_BEFORE = 400
HEADLINE_WINDOW = 1600
# A tsvector keeps 256 positions of a word and clamps positions at 16,383: a document with a word
# more often than this, or more words, is "long" and its phrases are looked for in passages. The
# margins cover words that unaccent makes one ("æther" and "aether").
LONG_WORD = 240
LONG_POSITIONS = 16_000
PASSAGE_WORDS = 1000
# Passages overlap by more words than a phrase can have (a query is at most 500 characters), so
# every phrase of a long document is whole in some passage.
PASSAGE_OVERLAP = MAX_QUERY_CHARS // 2 + 6

# Combining marks of the blocks Latin, Greek and Cyrillic accents come from: what NFD splits off
# an accented letter, so "Chargé" is "charge" as SQLite's unicode61 (remove_diacritics 2) reads it.
COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# What the tokenizers split at: everything that is not a letter or a digit ("_" and "—" too).
SEPARATORS = re.compile(r"[\W_]+")


def index_words(text: str) -> str:
    """`text` as the words the full-text index holds, one space apart: "Chargé d'Affaires" -> "charge d affaires"."""
    if not text.isascii():
        text = COMBINING.sub("", unicodedata.normalize("NFD", text))
    return SEPARATORS.sub(" ", text.lower()).strip()


def tsquery_text(node: Node, mode: str = "exact") -> str | None:
    """The query tree as `to_tsquery` input; None for a tree no document can match.

    Every word is quoted and made of letters and digits only, so nothing the user
    typed is read as an operator. `mode` "wider" matches at least what the tree
    matches with every phrase read as its words anywhere (what a long document's
    vector can still answer), "narrower" at most (phrases match nothing): the
    opposite of each other, as a NOT turns one into the other.
    """
    if isinstance(node, Term):
        words = index_words(node.text).split()
        if not words or (mode == "narrower" and len(words) > 1):
            return None
        quoted = [f"'{w}'" for w in words]
        if node.prefix:
            quoted[-1] += ":*"
        return "(" + (" & " if mode == "wider" else " <-> ").join(quoted) + ")"
    if isinstance(node, AnyOf):
        parts = [p for p in (tsquery_text(n, mode) for n in node.parts) if p is not None]
        return "(" + " | ".join(parts) + ")" if parts else None
    assert isinstance(node, AllOf)
    keep = [tsquery_text(n, mode) for n in node.parts]
    if any(p is None for p in keep):
        return None
    flipped = {"wider": "narrower", "narrower": "wider"}.get(mode, mode)
    without = [p for p in (tsquery_text(n, flipped) for n in node.without) if p is not None]
    both = " & ".join(p for p in keep if p is not None)
    return f"(({both}) & !({' | '.join(without)}))" if without else f"({both})"


def has_phrase(node: Node) -> bool:
    return any(len(index_words(t.text).split()) > 1 for t in terms_of(node))


def long_condition(node: Node, queries: list[str]) -> str:
    """The tree as SQL for a long document: a word looked up in its vector, a phrase in its passages.

    The tsquery text of each leaf is appended to `queries`; the SQL takes them, normalised,
    as parameters in that order.
    """
    if isinstance(node, Term):
        text = tsquery_text(node)
        if text is None:
            return "false"
        queries.append(text)
        if len(index_words(node.text).split()) > 1:
            return "d.n IN (SELECT p.doc FROM passages p WHERE p.search @@ %s::tsquery)"
        return "d.search @@ %s::tsquery"
    if isinstance(node, AnyOf):
        return "(" + " OR ".join(long_condition(n, queries) for n in node.parts) + ")"
    keep = " AND ".join(long_condition(n, queries) for n in node.parts)
    if not node.without:
        return f"({keep})"
    return f"({keep} AND NOT ({' OR '.join(long_condition(n, queries) for n in node.without)}))"


def shown_terms(node: Node) -> list[Term]:
    """The terms a match may show: every one not excluded."""
    if isinstance(node, Term):
        return [node]
    return [t for part in node.parts for t in shown_terms(part)]


def headline_text(node: Node) -> str | None:
    """What a snippet marks: any of the terms not excluded (a window of a long text may hold one, not all)."""
    parts = [q for q in map(tsquery_text, shown_terms(node)) if q is not None]
    return " | ".join(parts) or None


def is_long(columns: Sequence[str]) -> bool:
    """Whether a document's words (as `index_words` gives them, by column) outgrow a tsvector's positions."""
    words = " ".join(columns).split()
    if len(words) <= LONG_WORD:
        return False
    return len(words) + len(columns) > LONG_POSITIONS or max(Counter(words).values()) > LONG_WORD


def passages(columns: Sequence[str]) -> list[str]:
    """A long document's words in overlapping passages, each column apart, none with a word too often."""
    out: list[str] = []
    for column in columns:
        words = column.split()
        start = 0
        while start < len(words):
            end = min(len(words), start + PASSAGE_WORDS)
            while max(Counter(words[start:end]).values()) > LONG_WORD:
                end = start + (end - start) // 2  # a table of figures, "1 1 1 1": a shorter passage
            out.append(" ".join(words[start:end]))
            if end >= len(words):
                break
            # Normally a step of PASSAGE_WORDS - PASSAGE_OVERLAP; at least half a passage, so that a
            # column of one word repeated is not cut into a passage per word.
            start = max(start + max(1, (end - start) // 2), end - PASSAGE_OVERLAP)
    return out
