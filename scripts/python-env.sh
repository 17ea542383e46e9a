#!/usr/bin/env bash
# Creates (or refreshes) the project's Python virtual environment at .venv and installs
# requirements-dev.txt into it (PyBaMM and what tools/pybamm_reference.py needs).
#
#   scripts/python-env.sh            create/update .venv; fast no-op when already up to date
#   scripts/python-env.sh --force    rebuild .venv from scratch
#   PYTHON=/usr/bin/python3 scripts/python-env.sh   use another interpreter (default: first python3 on PATH)
#
# Idempotent: a stamp file (.venv/.requirements-stamp) records the interpreter and the sha256 of
# requirements-dev.txt; when both match, the script exits at once. A fresh install downloads about
# 150 MB of wheels from PyPI and takes about 20-40 s on the 2-core development machine.
# Afterwards: .venv/bin/python tools/pybamm_reference.py /tmp/pybamm-ref
set -euo pipefail
cd "$(dirname "$0")/.."

venv=.venv
req=requirements-dev.txt
stamp="$venv/.requirements-stamp"
python="${PYTHON:-python3}"

if [ "${1:-}" = "--force" ]; then
  rm -rf "$venv"
fi

command -v "$python" >/dev/null || { echo "python-env: $python not found" >&2; exit 1; }
py_id="$("$python" -c 'import sys; print(sys.version.split()[0], sys.executable)')"
want="$(sha256sum "$req" | cut -d' ' -f1) $py_id"

if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ] && "$venv/bin/python" -c '' 2>/dev/null; then
  echo "python-env: $venv up to date ($py_id)"
  exit 0
fi

# A venv made by another interpreter (or a broken one) is rebuilt rather than patched.
if [ -d "$venv" ] && { [ ! -f "$stamp" ] || [ "$(cut -d' ' -f2- "$stamp")" != "$py_id" ] \
                       || ! "$venv/bin/python" -c '' 2>/dev/null; }; then
  echo "python-env: recreating $venv for $py_id"
  rm -rf "$venv"
fi

if [ ! -x "$venv/bin/python" ]; then
  if ! "$python" -c 'import venv, ensurepip' 2>/dev/null; then
    # Debian's own python3 ships venv/ensurepip separately.
    ver="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    sudo=""
    [ "$(id -u)" -eq 0 ] || sudo="sudo"
    echo "python-env: installing python3-venv (python$ver-venv) from apt"
    $sudo apt-get update -qq
    DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends \
      python3-venv "python$ver-venv" >/dev/null
  fi
  echo "python-env: creating $venv with $py_id"
  "$python" -m venv "$venv"
fi

start=$(date +%s)
echo "python-env: installing $req into $venv"
"$venv/bin/python" -m pip install -q --disable-pip-version-check --upgrade pip
"$venv/bin/python" -m pip install -q --disable-pip-version-check -r "$req"
echo "$want" > "$stamp"
echo "python-env: done in $(( $(date +%s) - start )) s"
