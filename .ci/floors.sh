#!/usr/bin/env bash
# Proves the dependency floors: builds a second virtual environment
# (.venv-floor) with every dependency pinned at its floor
# (.ci/constraints-floor.txt, the same numbers as the `>=` floors in
# pyproject.toml), then runs the whole test suite and `infoscore demo` there.
# Exits non-zero if the install, a test or the demo fails.
#
#   bash .ci/floors.sh            # from the repository root (or anywhere)
#   bash .ci/floors.sh -x         # extra arguments go to pytest
set -euo pipefail
cd "$(dirname "$0")/.."

start=$SECONDS
venv=.venv-floor
constraints=.ci/constraints-floor.txt

rm -rf "$venv"
python3 -m venv "$venv"
"$venv/bin/python" -m pip install -q -e ".[test]" -c "$constraints" 2>&1 \
    | grep -v "Location '" || true
"$venv/bin/python" -m pip check

# The versions tested, and a check that each one is the pinned floor.
names=$(grep -E '^[A-Za-z0-9_.-]+==' "$constraints" | cut -d= -f1 | paste -sd'|')
echo "--- floor versions tested (python $("$venv/bin/python" -c 'import platform; print(platform.python_version())'))"
"$venv/bin/python" -m pip freeze | grep -iE "^($names)==" | sort -f
"$venv/bin/python" - "$constraints" <<'PY'
import sys
from importlib.metadata import version

bad = []
for line in open(sys.argv[1], encoding="utf-8"):
    line = line.split("#", 1)[0].strip()
    if not line:
        continue
    name, pinned = line.split("==")
    got = version(name)
    if got != pinned:
        bad.append(f"{name}: pinned {pinned}, installed {got}")
if bad:
    sys.exit("floor versions not installed:\n  " + "\n  ".join(bad))
PY

echo "--- lint and format at the floor ruff"
"$venv/bin/ruff" check .
"$venv/bin/ruff" format --check .

echo "--- test suite at the floors"
"$venv/bin/python" -m pytest -q -p no:cacheprovider "$@"

echo "--- infoscore demo at the floors"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$venv/bin/infoscore" demo --out "$out/demo" >"$out/demo.log" 2>&1 || {
    cat "$out/demo.log"
    echo "infoscore demo failed at the floor versions" >&2
    exit 1
}
tail -n 5 "$out/demo.log"
echo "--- floors proved in $((SECONDS - start)) s"
