"""How fast the date annotator runs, alone, over every document of the FRUS volumes; and dateparser beside it.

    python benchmarks/annotate_dates_speed.py [--shared ../shared] [--dateparser]

Reads ../shared/frus/*.xml with the TEI reader (not timed), then runs only
`despatch.annotate.dates.annotate` over every document and enclosure, on one
core, and prints documents/s, words/s and the dates found. The target for this
annotator alone is 1,000 documents/s (the whole annotation, four annotators,
must reach 50 documents/s per core, issue #3).

--dateparser also scores dateparser's `search_dates` on tests/data/dates.jsonl
the way tests/annotate/test_dates.py scores the annotator (a mention is right
when its text, ISO value and precision all match; dateparser gives datetimes,
so its value is cut to the precision of the gold mention it is compared with,
which favours it), and times it and `dateparser.parse` on the gold expressions.
dateparser is not a dependency of despatch: install it to run this part.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LABELLED = ROOT / "tests" / "data" / "dates.jsonl"


def annotator_speed(shared: Path) -> None:
    from despatch.annotate import dates
    from despatch.annotate.context import Context
    from despatch.annotate.text import texts
    from despatch.model import Document
    from despatch.readers.tei import read_documents

    work: list[tuple[Document, Context]] = []
    top = 0
    base = Context()
    for volume in sorted((shared / "frus").glob("*.xml")):
        docs = read_documents(volume.read_bytes(), str(volume))
        top += len(docs)
        stack: list[tuple[Document, str | None]] = [(d, None) for d in docs]
        while stack:
            doc, parent = stack.pop()
            local = base.for_document(doc, parent)
            work.append((doc, local))
            stack.extend((e, local.doc_date) for e in doc.enclosures)
    words = sum(len(t.text.split()) for doc, _ in work for t in texts(doc))
    before = sum(1 for doc, _ in work for t in texts(doc) for m in t.holder.mentions if m.kind == "date")
    dates.find_dates("June 2, 1944", "1944-06-11")  # compiled at import; this warms the handlers
    started = time.perf_counter()
    for doc, local in work:
        dates.annotate(doc, local)
    seconds = time.perf_counter() - started
    found = sum(1 for doc, _ in work for t in texts(doc) for m in t.holder.mentions if m.kind == "date") - before
    print(f"date annotator alone, one core, Python {sys.version.split()[0]}: {top} documents "
          f"({len(work)} with enclosures), {words:,} words, {found:,} dates in {seconds:.2f} s")
    print(f"  {top / seconds:,.0f} documents/s, {words / seconds:,.0f} words/s "
          f"(target 1,000 documents/s: {'met' if top / seconds >= 1000 else 'NOT met'})")


def dateparser_evaluation() -> None:
    from dateparser import parse
    from dateparser.search import search_dates

    rows = [json.loads(line) for line in LABELLED.read_text(encoding="utf-8").splitlines()]
    cut = {"year": 4, "month": 7, "season": 7, "day": 10, "minute": 19}
    gold = predicted = right = 0
    started = time.perf_counter()
    for row in rows:
        want = Counter((d["text"], d["value"], d["precision"]) for d in row["dates"])
        settings = {"RELATIVE_BASE": _base(row["doc_date"]), "PREFER_DATES_FROM": "past"}
        hits = search_dates(row["text"], languages=["en"], settings=settings) or []
        precisions = {d["text"]: d["precision"] for d in row["dates"]}
        got: Counter[tuple[str, str, str]] = Counter()
        for text, when in hits:
            precision = precisions.get(text) or "day"
            got[(text, when.isoformat()[:cut[precision]] if precision != "minute" else when.isoformat(), precision)] += 1
        gold += sum(want.values())
        predicted += sum(got.values())
        right += sum((got & want).values())
    search_seconds = time.perf_counter() - started
    expressions = [(d, row["doc_date"]) for row in rows for d in row["dates"]]
    parsed = valued = 0
    started = time.perf_counter()
    for d, doc_date in expressions:
        when = parse(d["text"], languages=["en"], settings={"RELATIVE_BASE": _base(doc_date)})
        if when is not None:
            parsed += 1
            n = cut.get(d["precision"] or "day", 10)
            valued += when.isoformat()[:n] == d["value"]
    parse_seconds = time.perf_counter() - started
    p = right / predicted if predicted else 0.0
    r = right / gold
    f1 = 2 * p * r / (p + r) if p + r else 0.0
    print(f"dateparser search_dates on {len(rows)} labelled sentences: {gold} gold, {predicted} found, {right} exact; "
          f"P {p:.3f} R {r:.3f} F1 {f1:.3f}; {search_seconds / len(rows) * 1000:.2f} ms a sentence")
    print(f"dateparser parse on the {len(expressions)} gold expressions alone: {parsed} parsed to some date, "
          f"{valued} to the gold value; {parse_seconds / len(expressions) * 1000:.2f} ms a call")

    from despatch.annotate.dates import find_dates
    started = time.perf_counter()
    for row in rows:
        find_dates(row["text"], row["doc_date"])
    ours = time.perf_counter() - started
    print(f"despatch find_dates on the same sentences: {ours / len(rows) * 1000:.3f} ms a sentence")


def _base(doc_date: str | None):  # type: ignore[no-untyped-def]
    from datetime import datetime

    return datetime.fromisoformat(doc_date[:10]) if doc_date else datetime(1925, 6, 1)


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--shared", type=Path, default=ROOT.parent / "shared", help="the shared folder (../shared)")
    ap.add_argument("--dateparser", action="store_true", help="also score and time dateparser on the labelled set")
    args = ap.parse_args(argv)
    annotator_speed(args.shared)
    if args.dateparser:
        dateparser_evaluation()


if __name__ == "__main__":
    main()
