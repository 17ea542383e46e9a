#!/usr/bin/env bash
# The ageing benchmark against PyBaMM, both measured in this run on this machine (bench/README.md, "Ageing").
#
#   bench/run_ageing_bench.sh                     10 CC-CV cycles of lgm50 with SEI on both sides at two tolerance
#                                                 settings and 100 cycles at rtol 1e-6, with the ratios; 1000 cycles
#                                                 of ours (full, accelerated)
#   BUILD_DIR=/tmp/mybuild bench/run_ageing_bench.sh
set -euo pipefail
cd "$(dirname "$0")/.."
build="${BUILD_DIR:-build}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
[ -f "$build/CMakeCache.txt" ] || cmake --preset default >/dev/null
cmake --build "$build" --target ageing_bench >/dev/null
exe="$build/bin/ageing_bench"
[ -x "$exe" ] || { echo "run_ageing_bench: $exe was not built (is libbenchmark-dev installed? bench/ needs it)" >&2; exit 1; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
for setting in "1e-6 1e-6" "1e-4 1e-6"; do
  set -- $setting
  echo "run_ageing_bench: PyBaMM DFN + reaction-limited SEI, 10 cycles (build + solve), rtol $1 atol $2" >&2
  .venv/bin/python tools/pybamm_ageing_reference.py --timing --cycles 10 --rtol "$1" --atol "$2" > "$out/pybamm_$1.json"
  echo "run_ageing_bench: solidcell, 10 cycles, rtol $1 atol $2" >&2
  "$exe" --cycles 10 --rtol "$1" --atol "$2" > "$out/ours_$1.json"
done
echo "run_ageing_bench: PyBaMM and solidcell, 100 cycles, rtol 1e-6 atol 1e-6" >&2
.venv/bin/python tools/pybamm_ageing_reference.py --timing --cycles 100 --rtol 1e-6 --atol 1e-6 > "$out/pybamm100.json"
"$exe" --cycles 100 --rtol 1e-6 --atol 1e-6 > "$out/ours100.json"
echo "run_ageing_bench: solidcell, 1000 cycles, every cycle solved (rtol 1e-6)" >&2
"$exe" --cycles 1000 > "$out/ours1000.json"
echo "run_ageing_bench: solidcell, 1000 cycles, accelerated (rtol 1e-6)" >&2
"$exe" --cycles 1000 --accelerate > "$out/ours1000a.json"
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

OUT="$out" LOAD="$load_before -> $load_after" NPROC="$(nproc)" CPU="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')" \
.venv/bin/python - <<'PY'
import json, os
from pathlib import Path
out = Path(os.environ["OUT"])
print(f"machine: {os.environ['CPU']}, {os.environ['NPROC']} cores, load {os.environ['LOAD']}")
print("| case | solidcell | PyBaMM | ratio |")
print("|---|---|---|---|")
for rtol in ("1e-6", "1e-4"):
    py = json.loads((out / f"pybamm_{rtol}.json").read_text())
    o = json.loads((out / f"ours_{rtol}.json").read_text())
    print(f"| 10 CC-CV cycles, build + solve, rtol {rtol} atol 1e-6 | {o['total_s']:.3f} s (retention {o['capacity_retention_last']:.5f}) | "
          f"{py['end_to_end_s']:.2f} s (retention {py['capacity_retention_last']:.5f}), PyBaMM {py['settings']['pybamm']} | "
          f"{py['end_to_end_s'] / o['total_s']:.0f}x |")
py = json.loads((out / "pybamm100.json").read_text())
o = json.loads((out / "ours100.json").read_text())
print(f"| 100 CC-CV cycles, build + solve, rtol 1e-6 atol 1e-6 | {o['total_s']:.3f} s (retention {o['capacity_retention_last']:.5f}) | "
      f"{py['end_to_end_s']:.2f} s (retention {py['capacity_retention_last']:.5f}) | {py['end_to_end_s'] / o['total_s']:.1f}x |")
o1k = json.loads((out / "ours1000.json").read_text())
o1ka = json.loads((out / "ours1000a.json").read_text())
print(f"| 1000 CC-CV cycles, every cycle solved, rtol 1e-6 | {o1k['total_s']:.2f} s (retention {o1k['capacity_retention_last']:.4f}) | | |")
print(f"| 1000 CC-CV cycles, accelerated, rtol 1e-6 | {o1ka['total_s']:.2f} s, {o1ka['solved_cycles']} cycles solved (retention {o1ka['capacity_retention_last']:.4f}) | | |")
PY
