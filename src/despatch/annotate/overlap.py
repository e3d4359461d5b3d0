"""Where two annotators claim the same words, one mention stays."""
from __future__ import annotations

from despatch.annotate.text import texts
from despatch.model import Document, Mention

PRECEDENCE = {"date": 0, "org": 1, "place": 2, "person": 3}


def settle(mentions: list[Mention]) -> list[Mention]:
    """Mentions that do not overlap, in text order: the longer wins, then the kind earlier in PRECEDENCE.

    A mention inside a longer one of another kind is dropped ("Moscow" inside
    "the Moscow Soviet"); one crossing another is dropped too.
    """
    ranked = sorted(mentions, key=lambda m: (-(m.end - m.start), PRECEDENCE.get(m.kind, 9), m.start))
    kept: list[Mention] = []
    for m in ranked:
        if all(m.end <= k.start or m.start >= k.end for k in kept):
            kept.append(m)
    return sorted(kept, key=lambda m: m.start)


def settle_overlaps(doc: Document) -> None:
    for text in texts(doc):
        text.holder.mentions = settle(text.holder.mentions)
