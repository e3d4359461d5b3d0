"""Lay a block's spans (parties, mentions, marks) and points (note anchors) over its text.

Writers that produce markup (TEI, HTML) share this: it turns a block's text
plus its offsets into a flat sequence of events a writer can nest elements
from, so each writer only says what element a span or point becomes.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class Span:
    start: int
    end: int
    payload: Any
    children: list[Span] = field(default_factory=list)


@dataclass
class Point:
    offset: int
    payload: Any


def nest(spans: list[Span]) -> list[Span]:
    """Spans as a forest: a span inside another becomes its child.

    A span that starts inside another but runs past its end is cut at that end
    (markup cannot cross), so no span is lost, only shortened.
    """
    ordered = sorted((s for s in spans if 0 <= s.start < s.end), key=lambda s: (s.start, -s.end))
    roots: list[Span] = []
    stack: list[Span] = []
    for span in ordered:
        while stack and span.start >= stack[-1].end:
            stack.pop()
        if stack and span.end > stack[-1].end:
            span = Span(span.start, stack[-1].end, span.payload)
        (stack[-1].children if stack else roots).append(span)
        stack.append(span)
    return roots


def walk(text: str, spans: list[Span], points: list[Point]) -> list[tuple[str, Any]]:
    """Events over `text`: ("text", str), ("open", span), ("close", span), ("point", point).

    A point at a span's end comes after the span closes, so a note after a
    name ("General Burrows[3]") follows the name rather than sitting inside it.
    """
    pts = sorted((p for p in points if 0 <= p.offset <= len(text)), key=lambda p: p.offset)
    return _events(text, nest(spans), pts, 0, len(text))


def _events(text: str, spans: list[Span], points: list[Point], start: int, end: int) -> list[tuple[str, Any]]:
    out: list[tuple[str, Any]] = []
    pos, i = start, 0

    def flush(limit: int) -> None:
        nonlocal pos, i
        while i < len(points) and points[i].offset <= limit:
            p = points[i]
            if p.offset > pos:
                out.append(("text", text[pos:p.offset]))
                pos = p.offset
            out.append(("point", p))
            i += 1

    for span in spans:
        flush(span.start)
        if span.start > pos:
            out.append(("text", text[pos:span.start]))
        out.append(("open", span))
        inner = []
        while i < len(points) and points[i].offset < span.end:
            inner.append(points[i])
            i += 1
        out.extend(_events(text, span.children, inner, span.start, span.end))
        out.append(("close", span))
        pos = span.end
    flush(end)
    if end > pos:
        out.append(("text", text[pos:end]))
    return out
