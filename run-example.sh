#!/usr/bin/env bash
# The main job on the bundled example: convert examples/ into out/ (TEI, JSON, HTML),
# ingest it into the corpus out/corpus.sqlite, then serve the web reader on
# http://127.0.0.1:8000/ until Ctrl-C. `./run-example.sh --no-serve` stops after ingest.
# Creates .venv and installs despatch the first time (and whenever pyproject.toml changes).
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.despatch-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/pip install --quiet --disable-pip-version-check -e .
    touch "$stamp"
fi
.venv/bin/despatch convert examples --out out --to tei,json,html --index out/index.json
.venv/bin/despatch ingest examples --db out/corpus.sqlite
echo
echo "Written under $(pwd)/out:"
find out -type f ! -name 'corpus.sqlite*' | sort | sed 's/^/  /'
echo "  out/corpus.sqlite (the searchable corpus)"
if [ "${1:-}" = "--no-serve" ]; then
    exit 0
fi
echo
echo "Read the edition at http://127.0.0.1:8000/ (search, documents, people, places, chronology); Ctrl-C stops."
exec .venv/bin/despatch serve --db out/corpus.sqlite --host 127.0.0.1 --port 8000
