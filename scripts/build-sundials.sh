#!/usr/bin/env bash
# Builds SUNDIALS (IDA, IDAS, CVODE, band and KLU linear solvers) with optimisation into .deps/sundials.
#
# Why: Debian 12's libsundials-dev (6.4.1) is compiled without optimisation (its packaging replaces the
# compiler flags with -fcommon alone), which makes every IDA call several times slower. This script
# builds Debian's own source package (`apt-get source sundials`) as a Release build instead. The project
# itself accepts any SUNDIALS 6.x or 7.x that CMake finds (cmake/Sundials.cmake); this is only the
# set-up's way of providing a fast one.
#
# Idempotent: exits at once when the prefix holds a finished install of the current recipe (stamp file).
# Root or sudo is needed only for apt (enabling deb-src entries, installing build dependencies).
# Environment: FORCE=1 rebuilds; KEEP_SRC=1 keeps the source and build tree in .deps/src.
set -euo pipefail
cd "$(dirname "$0")/.."
root_dir=$(pwd)

prefix=$root_dir/.deps/sundials
work=$root_dir/.deps/src
stamp=$prefix/.solidcell-sundials-stamp
# Bump when the configuration below changes: an install made by an older recipe is then rebuilt.
recipe="recipe=1 modules=ida,idas,cvode klu=on index=64 flags=-O3"

say() { echo "build-sundials: $*"; }

if [ "${FORCE:-0}" != 1 ] && [ -f "$stamp" ] && grep -qxF "$recipe" "$stamp"; then
  say "$(head -n1 "$stamp") already in ${prefix#"$root_dir"/}"
  exit 0
fi

mkdir -p "$root_dir/.deps"
# One build at a time (two set-ups started together would otherwise share .deps/src).
exec 9>"$root_dir/.deps/.build-sundials.lock"
flock 9
if [ "${FORCE:-0}" != 1 ] && [ -f "$stamp" ] && grep -qxF "$recipe" "$stamp"; then
  say "finished by another run"
  exit 0
fi

sudo=""
if [ "$(id -u)" -ne 0 ]; then
  command -v sudo >/dev/null || { echo "build-sundials: run as root or install sudo" >&2; exit 1; }
  sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive

# 1. Source entries: add deb-src to the machine's existing entries (no host name is written anywhere).
if ! apt-cache showsrc sundials 2>/dev/null | grep -q '^Package: sundials'; then
  say "enabling deb-src entries in the existing apt sources"
  # Only archives whose Release says "Origin: Debian" (as apt-cache policy reports them) get deb-src:
  # other repositories often publish no sources, and apt-get update would fail on them.
  debian_archives() {
    apt-cache policy 2>/dev/null | awk '
      $1 ~ /^[0-9]+$/ && $2 ~ /:\/\// { uri = $2; sub(/\/+$/, "", uri) }
      /^ +release / && /o=Debian,/ { print uri }' | sort -u | tr '\n' ' '
  }
  archives=$(debian_archives)
  if [ -z "${archives// /}" ]; then
    $sudo apt-get update -qq
    archives=$(debian_archives)
  fi
  [ -n "${archives// /}" ] || { echo "build-sundials: no Debian archive in the apt sources" >&2; exit 1; }
  shopt -s nullglob
  for f in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    tmp=$(mktemp)
    if [[ $f == *.sources ]]; then
      # deb822: in each stanza with a Debian archive among its URIs, "Types: deb" -> "Types: deb deb-src".
      awk -v archives="$archives" '
        BEGIN { split(archives, a, " "); for (i in a) debian_uri[a[i]] = 1 }
        function flush(  i, l) {
          for (i = 1; i <= n; i++) {
            l = buf[i]
            if (debian && l ~ /^Types:/ && l !~ /deb-src/ && l ~ /[[:space:]]deb([[:space:]]|$)/) l = l " deb-src"
            print l
          }
          n = 0; debian = 0
        }
        /^[[:space:]]*$/ { flush(); print; next }
        {
          buf[++n] = $0
          if ($1 == "URIs:") for (i = 2; i <= NF; i++) { u = $i; sub(/\/+$/, "", u); if (u in debian_uri) debian = 1 }
        }
        END { flush() }' "$f" >"$tmp"
    else
      # one-line format: a "deb-src" copy of each active "deb" line for a Debian archive, once.
      awk -v archives="$archives" '
        BEGIN { split(archives, a, " "); for (i in a) debian_uri[a[i]] = 1 }
        { lines[NR] = $0; if ($1 == "deb-src") { r = $0; sub(/^deb-src[[:space:]]+/, "", r); have[r] = 1 } }
        END {
          for (i = 1; i <= NR; i++) {
            print lines[i]
            if (lines[i] !~ /^deb[[:space:]]/) continue
            rest = lines[i]; sub(/^deb[[:space:]]+/, "", rest)
            uri = rest; sub(/^\[[^]]*\][[:space:]]*/, "", uri); sub(/[[:space:]].*$/, "", uri); sub(/\/+$/, "", uri)
            if ((uri in debian_uri) && !(rest in have)) { print "deb-src " rest; have[rest] = 1 }
          }
        }' "$f" >"$tmp"
    fi
    if ! cmp -s "$f" "$tmp"; then
      say "  added deb-src to $f"
      $sudo cp "$tmp" "$f"
    fi
    rm -f "$tmp"
  done
  shopt -u nullglob
  say "apt-get update"
  $sudo apt-get update -qq
  apt-cache showsrc sundials 2>/dev/null | grep -q '^Package: sundials' ||
    { echo "build-sundials: no source package 'sundials' in the apt sources" >&2; exit 1; }
fi

# 2. Build dependencies: compiler, CMake, dpkg-source (dpkg-dev) and SuiteSparse's KLU.
packages=(build-essential cmake dpkg-dev libsuitesparse-dev)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  say "installing ${missing[*]}"
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >"$root_dir/.deps/apt-install.log" 2>&1 ||
    { tail -n 20 "$root_dir/.deps/apt-install.log" >&2; exit 1; }
fi

# 3. Debian's source package (upstream tarball with Debian's patches applied).
start=$(date +%s)
rm -rf "$work"
mkdir -p "$work"
say "apt-get source sundials"
(cd "$work" && apt-get source -qq sundials >/dev/null 2>"$work/apt-source.log") ||
  { cat "$work/apt-source.log" >&2; exit 1; }
src=$(find "$work" -mindepth 1 -maxdepth 1 -type d -name 'sundials-*' | head -n1)
[ -n "$src" ] && [ -f "$src/CMakeLists.txt" ] || { echo "build-sundials: no source tree in $work" >&2; exit 1; }
debver=$(cd "$src" && dpkg-parsechangelog -S Version 2>/dev/null || echo unknown)
say "source $(basename "$src") (Debian $debver)"

# Installed libraries find each other through $ORIGIN rather than the absolute prefix that SUNDIALS
# writes into their RUNPATH, so the checkout can move (a no-op where the line is absent).
sed -i 's|set(CMAKE_INSTALL_RPATH "${CMAKE_INSTALL_FULL_LIBDIR}")|set(CMAKE_INSTALL_RPATH "$ORIGIN")|' \
  "$src/cmake/SundialsSetupCompilers.cmake" 2>/dev/null || true

# 4. Configure: Release with -O3, shared libraries, only the modules the engine uses.
generator=()
command -v ninja >/dev/null && generator=(-G Ninja)
# Flags come from here only (a packaging environment's CFLAGS would otherwise be appended).
unset CFLAGS CXXFLAGS CPPFLAGS LDFLAGS
say "configuring"
cmake -S "$src" -B "$work/build" "${generator[@]}" -Wno-dev \
  -DCMAKE_BUILD_TYPE=Release \
  -DCMAKE_C_FLAGS_RELEASE="-O3 -DNDEBUG" \
  -DCMAKE_INSTALL_PREFIX="$prefix" \
  -DCMAKE_INSTALL_LIBDIR=lib \
  -DBUILD_SHARED_LIBS=ON -DBUILD_STATIC_LIBS=OFF \
  -DBUILD_IDA=ON -DBUILD_IDAS=ON -DBUILD_CVODE=ON \
  -DBUILD_ARKODE=OFF -DBUILD_CVODES=OFF -DBUILD_KINSOL=OFF \
  -DBUILD_FORTRAN_MODULE_INTERFACE=OFF \
  -DEXAMPLES_ENABLE_C=OFF -DEXAMPLES_ENABLE_CXX=OFF -DEXAMPLES_INSTALL=OFF \
  -DENABLE_MPI=OFF -DENABLE_OPENMP=OFF -DENABLE_PTHREAD=OFF \
  -DSUNDIALS_INDEX_SIZE=64 -DSUNDIALS_PRECISION=double \
  -DENABLE_KLU=ON \
  -DKLU_INCLUDE_DIR=/usr/include/suitesparse \
  -DKLU_LIBRARY_DIR="/usr/lib/$(dpkg-architecture -qDEB_HOST_MULTIARCH 2>/dev/null || echo x86_64-linux-gnu)" \
  >"$work/configure.log" 2>&1 || { tail -n 40 "$work/configure.log" >&2; exit 1; }

# 5. Build and install into a clean prefix.
say "building with $(nproc) jobs"
cmake --build "$work/build" -j "$(nproc)" >"$work/build.log" 2>&1 ||
  { tail -n 40 "$work/build.log" >&2; exit 1; }
rm -rf "$prefix"
cmake --install "$work/build" >"$work/install.log" 2>&1 || { tail -n 40 "$work/install.log" >&2; exit 1; }

version=$(sed -n 's/^#define SUNDIALS_VERSION "\(.*\)"$/\1/p' "$prefix/include/sundials/sundials_config.h")
elapsed=$(( $(date +%s) - start ))
{
  echo "SUNDIALS $version (Debian source $debver)"
  echo "$recipe"
  echo "built $(date -u +%Y-%m-%dT%H:%M:%SZ) in ${elapsed}s"
} >"$stamp"
[ "${KEEP_SRC:-0}" = 1 ] || rm -rf "$work"
say "SUNDIALS $version installed in ${prefix#"$root_dir"/} (${elapsed}s)"
