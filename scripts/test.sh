#!/usr/bin/env bash
# Runs every test: C++ unit tests and CLI tests (built first if needed), then the Python package, installed
# into .venv from this checkout, and its tests (which compare with the CLI and open the report in Chromium).
#   scripts/test.sh             the Release build in build/
#   scripts/test.sh --sanitize  the unit tests again under AddressSanitizer + UBSan, in build-sanitize/
set -euo pipefail
cd "$(dirname "$0")/.."

preset=default
if [ "${1:-}" = "--sanitize" ]; then
  preset=sanitize
fi
scripts/install-deps.sh
scripts/build-sundials.sh
scripts/python-env.sh   # PyBaMM, the reference of the cross-check tests
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
if [ "$preset" = sanitize ]; then
  export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
fi
ctest --preset "$preset" -j "$(nproc)"
if [ "$preset" = default ]; then
  # pip builds the extension with the pinned build tools of .venv (requirements-dev.txt); build/python-wheel
  # keeps its objects, so a second run recompiles only what changed.
  .venv/bin/python -m pip install -q --no-build-isolation --disable-pip-version-check .
  SOLIDCELL_CLI="$PWD/build/bin/solidcell" .venv/bin/python -m pytest -q -p no:cacheprovider tests/python
fi
