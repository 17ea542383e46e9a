#!/usr/bin/env bash
# The DFN benchmark against PyBaMM, both measured in this run on this machine (bench/README.md).
#
#   bench/run_bench.sh               build, time PyBaMM and solidcell, print the table, update bench/README.md
#   bench/run_bench.sh --no-readme   the same without touching bench/README.md
#   REPEATS=20 BUILD_DIR=build bench/run_bench.sh
#
# Needs a configured Release build (scripts/setup.sh or `cmake --preset default`), Google Benchmark
# (libbenchmark-dev) and the Python environment (.venv, made here by scripts/python-env.sh if missing).
set -euo pipefail
cd "$(dirname "$0")/.."

update_readme=1
[ "${1:-}" = "--no-readme" ] && update_readme=0
build="${BUILD_DIR:-build}"
repeats="${REPEATS:-20}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

scripts/python-env.sh >/dev/null
[ -f "$build/CMakeCache.txt" ] || cmake --preset default >/dev/null
cmake --build "$build" --target dfn_discharge_bench >/dev/null
bench_exe="$build/bin/dfn_discharge_bench"
[ -x "$bench_exe" ] || { echo "run_bench: $bench_exe was not built (is libbenchmark-dev installed?)" >&2; exit 1; }

load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "run_bench: PyBaMM --timing (repeats $repeats)" >&2
.venv/bin/python tools/pybamm_reference.py --timing --repeats "$repeats" > "$out/pybamm.json"
echo "run_bench: solidcell peak memory (fresh process)" >&2
"$bench_exe" --peak-memory > "$out/memory.json"
echo "run_bench: solidcell benchmarks" >&2
"$bench_exe" --benchmark_out="$out/solidcell.json" --benchmark_out_format=json >&2
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"

cpu="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
build_type="$(sed -n 's/^CMAKE_BUILD_TYPE:[A-Z]*=//p' "$build/CMakeCache.txt")"
compiler="$(sed -n 's/^CMAKE_CXX_COMPILER:[A-Z]*=//p' "$build/CMakeCache.txt")"
compiler_version="$("$compiler" --version | head -1)"
sha="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD 2>/dev/null || sha="$sha + uncommitted changes"

OUT="$out" UPDATE_README="$update_readme" NPROC="$(nproc)" CPU="$cpu" BUILD_TYPE="$build_type" \
COMPILER="$compiler_version" SHA="$sha" LOAD="$load_before -> $load_after" \
.venv/bin/python - <<'PY'
import datetime, json, os, re
from pathlib import Path

out = Path(os.environ["OUT"])
py = json.loads((out / "pybamm.json").read_text())
mem = json.loads((out / "memory.json").read_text())
gb = json.loads((out / "solidcell.json").read_text())


def ours(prefix, stat="median"):
    for b in gb["benchmarks"]:
        if b["name"].startswith(prefix) and b.get("aggregate_name") == stat:
            scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
            return b["real_time"] * scale, b["cpu_time"] * scale, b
    raise SystemExit(f"run_bench: no {stat} of {prefix} in the benchmark output")


solve, solve_cpu, solve_b = ours("BM_DfnSolveOnly")
e2e, e2e_cpu, _ = ours("BM_DfnEndToEnd")
varied, varied_cpu, varied_b = ours("BM_DfnVaried1000")
py_solve = py["solve_only_s"]["median"]
py_e2e = py["end_to_end_s"]["median"]
py_cold = py["end_to_end_s"]["cold_first"]
py_first = py["first_solve_s"]["value"]
py_build = py["build_s"]["value"]


def ms(s):
    return f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def ratio(a, b):
    return f"{a / b:.3g}x"


date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
rows = [
    ("solve only, median (model built once)", ms(solve), ms(py_solve), ratio(py_solve, solve), ">= 50x, < 0.5 ms"),
    ("end to end, median (read cell, build, solve)", ms(e2e), ms(py_e2e), ratio(py_e2e, e2e), ">= 500x"),
    ("end to end, PyBaMM's first in its process", "", ms(py_cold), ratio(py_cold, e2e), ""),
    ("PyBaMM model build (Simulation + build)", "", ms(py_build), "", ""),
    ("PyBaMM first solve of a built model", "", ms(py_first), "", ""),
    (
        "peak memory of the process (ru_maxrss)",
        f"{mem['peak_rss_after_MB']:.1f} MB ({mem['discharge_MB']:.1f} MB for the discharge)",
        f"{py['peak_rss_MB']['at_end']:.0f} MB ({py['peak_rss_MB']['after_import']:.0f} MB after import)",
        ratio(py["peak_rss_MB"]["at_end"], mem["peak_rss_after_MB"]),
        "< 10 MB",
    ),
    (
        f"1000 DFN discharges, varied parameters, {int(varied_b['threads'])} threads",
        f"{ms(varied)} wall, {ms(varied_b['process_cpu_s'])} CPU of all threads",
        "not measured",
        "",
        "< 1 s on 2 cores",
    ),
    (
        "final discharge capacity at 2.5 V",
        f"{solve_b['capacity_Ah']:.6f} A.h",
        f"{py['final_discharge_capacity_Ah']:.6f} A.h",
        "",
        "",
    ),
]
header = "| 1C DFN discharge, LG M50 | solidcell | PyBaMM " + py["pybamm_version"] + " (IDAKLU) | PyBaMM / solidcell | target |"
table = [header, "|---|---|---|---|---|"] + ["| " + " | ".join(r) + " |" for r in rows]
notes = [
    f"Measured {date} on {os.environ['NPROC']} cores of {os.environ['CPU']} (`nproc`, /proc/cpuinfo); "
    f"load average {os.environ['LOAD']} (before -> after); solidcell {os.environ['SHA']}, "
    f"{os.environ['BUILD_TYPE']} build, {os.environ['COMPILER']}; PyBaMM {py['pybamm_version']}, Python {py['python']}.",
    f"Wall-clock medians: solidcell over 5 repetitions (Google Benchmark), PyBaMM over {py['repeats']} repeats. "
    f"solidcell CPU time: solve {ms(solve_cpu)}, end to end {ms(e2e_cpu)}; the 1000 cases "
    f"{int(varied_b['failed'])} failed, capacities {varied_b['capacity_min_Ah']:.3f}-{varied_b['capacity_max_Ah']:.3f} A.h; "
    f"on {int(varied_b['threads'])} otherwise idle cores they would take about "
    f"{ms(varied_b['process_cpu_s'] / varied_b['threads'])} (CPU time / threads).",
]
text = "\n".join(table) + "\n\n" + "\n".join(notes) + "\n"
print(text)

if os.environ["UPDATE_README"] == "1":
    readme = Path("bench/README.md")
    old = readme.read_text()
    start, end = "<!-- results:start (bench/run_bench.sh writes this) -->", "<!-- results:end -->"
    if start not in old or end not in old:
        raise SystemExit("run_bench: bench/README.md has no results markers")
    new = re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: start + "\n" + text + end, old, flags=re.S)
    readme.write_text(new)
    print("run_bench: wrote the table into bench/README.md")
PY
