#!/usr/bin/env bash
# Installs solidcell's build and test dependencies from Debian 12 (bookworm) packages.
# Skips apt entirely when everything is already installed, so repeated runs are quick.
set -euo pipefail

packages=(
  build-essential cmake ninja-build pkg-config git
  libtomlplusplus-dev nlohmann-json3-dev libfmt-dev libcli11-dev libmuparser-dev
  libgtest-dev libgmock-dev libsuitesparse-dev libhdf5-dev libbenchmark-dev
  libopenmpi-dev openmpi-bin
  chromium   # the test that opens the qualify report in a headless browser (tests/python/test_report_in_browser.py)
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
  echo "install-deps: all ${#packages[@]} packages present"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "install-deps: run as root or install sudo; missing: ${missing[*]}" >&2; exit 1; }
  sudo="sudo"
fi
echo "install-deps: installing ${missing[*]}"
$sudo apt-get update -qq
DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
