#!/usr/bin/env bash
# Run the tests: creates .venv and installs despatch with its test tools the first time
# (and again whenever pyproject.toml changes), then runs pytest; arguments go to pytest.
set -euo pipefail
cd "$(dirname "$0")"
[ -x .venv/bin/python ] || python3 -m venv .venv
stamp=.venv/.despatch-test-installed
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
    .venv/bin/pip install --quiet --disable-pip-version-check -e '.[test]'
    touch "$stamp" .venv/.despatch-installed
fi
exec .venv/bin/python -m pytest "$@"
