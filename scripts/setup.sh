#!/usr/bin/env bash
# One command from a fresh Debian 12 machine to a working solidcell: install what is missing, build,
# and run the main job (`solidcell qualify`) on the built-in cells.
set -euo pipefail
cd "$(dirname "$0")/.."

scripts/install-deps.sh
scripts/build-sundials.sh
cmake --preset default
cmake --build --preset default
build/bin/solidcell qualify
