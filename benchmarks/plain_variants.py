"""Typed transcriptions marked in other ways: the dev set's plain files with their note
markers as superscripts ("Frazar¹"), carets ("Frazar^1") or parentheses ("Frazar(1)"), and
their notes under other headers ("Endnotes", "NOTES:", a rule, "* * *") and numbered
"1.", "1", "[1]" or "(1)". The gold fields are the dev set's own.

Usage:
  python benchmarks/plain_variants.py OUT            (reads ../shared/eval/dev)
  PATH=.venv/bin:$PATH ../shared/eval/run.sh OUT
"""
from __future__ import annotations

import argparse
import json
import random
import re
from pathlib import Path

DEV = Path(__file__).resolve().parents[1].parent / "shared" / "eval" / "dev"
SUPERSCRIPT = str.maketrans("0123456789", "⁰¹²³⁴⁵⁶⁷⁸⁹")
NOTES_HEADER_RE = re.compile(r"\n\n(?:Notes|NOTES|Footnotes|---)\n\n")
MARKER_RE = re.compile(r"\[(\d{1,2})\]")
MARKERS = {
    "sup": lambda m: m.group(1).translate(SUPERSCRIPT),
    "caret": lambda m: f"^{m.group(1)}",
    "paren": lambda m: f"({m.group(1)})",
}
HEADERS = ["Endnotes", "NOTES:", "Footnotes:", "____________", "* * *", "Notes"]


def variant(text: str, style: str, rng: random.Random) -> str | None:
    """The transcription re-marked in `style`; None when it has no notes section."""
    header = NOTES_HEADER_RE.search(text)
    if header is None:
        return None
    body, notes = text[:header.start()], text[header.end():]
    body = MARKER_RE.sub(MARKERS[style], body)
    notes = re.sub(r"^\[(\d+)\] ", lambda m: rng.choice([f"{m[1]}. ", f"{m[1]} ", f"[{m[1]}] ", f"({m[1]}) "]),
                   notes, flags=re.MULTILINE)
    return f"{body}\n\n{rng.choice(HEADERS)}\n\n{notes}"


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--seed", type=int, default=5)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    gold = []
    for line in (DEV / "gold.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if entry["style"] != "plain":
            continue
        text = (DEV / entry["file"]).read_text(encoding="utf-8")
        for style in MARKERS:
            marked = variant(text, style, rng)
            if marked is None:
                continue
            name = f"{style}/{Path(entry['file']).name}"
            (args.out / style).mkdir(parents=True, exist_ok=True)
            (args.out / name).write_text(marked, encoding="utf-8")
            gold.append({**entry, "file": name})
    (args.out / "gold.jsonl").write_text("".join(json.dumps(g, ensure_ascii=False) + "\n" for g in gold),
                                         encoding="utf-8")
    print(f"{len(gold)} files in {args.out}")


if __name__ == "__main__":
    main()
