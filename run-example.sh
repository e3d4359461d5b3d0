#!/usr/bin/env bash
# The main job on the bundled example: converts examples/ into out/ as TEI, JSON and HTML.
# Creates .venv and installs despatch the first time (and whenever pyproject.toml changes).
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.despatch-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/pip install --quiet --disable-pip-version-check -e .
    touch "$stamp"
fi
.venv/bin/despatch convert examples --out out --to tei,json,html
echo
echo "Written under $(pwd)/out:"
find out -type f | sort | sed 's/^/  /'
echo
echo "Read the edition: open out/harriman-to-roosevelt-1944-06-11.html in a browser."
