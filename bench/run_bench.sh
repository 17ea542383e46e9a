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
echo "run_bench: PyBaMM --timing at rtol = atol = 1e-8 (repeats $repeats)" >&2
.venv/bin/python tools/pybamm_reference.py --timing --repeats "$repeats" --rtol 1e-8 --atol 1e-8 > "$out/pybamm0.json"
echo "run_bench: PyBaMM --timing at its defaults rtol 1e-4, atol 1e-6 (repeats $repeats)" >&2
.venv/bin/python tools/pybamm_reference.py --timing --repeats "$repeats" --rtol 1e-4 --atol 1e-6 > "$out/pybamm1.json"
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
py = [json.loads((out / f"pybamm{k}.json").read_text()) for k in (0, 1)]
mem = json.loads((out / "memory.json").read_text())
gb = json.loads((out / "solidcell.json").read_text())


def ours(name, setting, bdf, stat="median"):
    prefix = f"{name}/setting:{setting}/bdf:{bdf}"
    for b in gb["benchmarks"]:
        if b["name"].startswith(prefix) and b.get("aggregate_name") == stat:
            scale = {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]]
            return b["real_time"] * scale, b["cpu_time"] * scale, b
    raise SystemExit(f"run_bench: no {stat} of {prefix} in the benchmark output")


def ms(s):
    return f"{s * 1e3:.3g} ms" if s < 1 else f"{s:.3g} s"


def ratio(a, b):
    return f"{a / b:.3g}x"


labels = ["rtol = atol = 1e-8", "PyBaMM's defaults (rtol 1e-4, atol 1e-6)"]
date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
header = ("| 1C DFN discharge, LG M50 | tolerances | solidcell, IDA | solidcell, BDF | PyBaMM " + py[0]["pybamm_version"]
          + " (IDAKLU) | PyBaMM / faster solidcell | target |")
rows = []
notes_cpu = []
for k in (0, 1):
    s_ida, s_ida_cpu, b_ida = ours("BM_DfnSolveOnly", k, 0)
    s_bdf, s_bdf_cpu, b_bdf = ours("BM_DfnSolveOnly", k, 1)
    py_solve = py[k]["solve_only_s"]["median"]
    rows.append(("solve only, median (model built once)", labels[k],
                 f"{ms(s_ida)} ({int(b_ida['steps'])} steps)", f"{ms(s_bdf)} ({int(b_bdf['steps'])} steps)", ms(py_solve),
                 ratio(py_solve, min(s_ida, s_bdf)), ">= 50x, < 0.5 ms"))
for k in (0, 1):
    e_ida, _, _ = ours("BM_DfnEndToEnd", k, 0)
    e_bdf, _, _ = ours("BM_DfnEndToEnd", k, 1)
    py_e2e = py[k]["end_to_end_s"]["median"]
    rows.append(("end to end, median (read cell, build, solve)", labels[k], ms(e_ida), ms(e_bdf), ms(py_e2e), ratio(py_e2e, min(e_ida, e_bdf)), ">= 500x"))
    rows.append(("end to end, PyBaMM's first in its process", labels[k], "", "", ms(py[k]["end_to_end_s"]["cold_first"]),
                 ratio(py[k]["end_to_end_s"]["cold_first"], min(e_ida, e_bdf)), ""))
rows.append(("PyBaMM model build (Simulation + build)", "", "", "", ms(py[0]["build_s"]["value"]), "", ""))
rows.append((
    "peak memory of the process (ru_maxrss)", "1e-8",
    f"{mem['peak_rss_after_MB']:.1f} MB ({mem['discharge_MB']:.1f} MB for the discharge)", "",
    f"{py[0]['peak_rss_MB']['at_end']:.0f} MB ({py[0]['peak_rss_MB']['after_import']:.0f} MB after import)",
    ratio(py[0]["peak_rss_MB"]["at_end"], mem["peak_rss_after_MB"]), "< 10 MB"))
for k in (0, 1):
    v_ida, _, vb_ida = ours("BM_DfnVaried1000", k, 0)
    v_bdf, _, vb_bdf = ours("BM_DfnVaried1000", k, 1)
    rows.append((f"1000 DFN discharges, varied parameters, 2 threads (wall; CPU of all threads)", labels[k],
                 f"{ms(v_ida)}; {ms(vb_ida['process_cpu_s'])}", f"{ms(v_bdf)}; {ms(vb_bdf['process_cpu_s'])}", "not measured", "",
                 "< 1 s on 2 cores"))
    for name, vb in (("IDA", vb_ida), ("BDF", vb_bdf)):
        notes_cpu.append(f"{labels[k]}, {name}: {int(vb['failed'])} of 1000 failed, capacities "
                         f"{vb['capacity_min_Ah']:.3f}-{vb['capacity_max_Ah']:.3f} A.h, about "
                         f"{ms(vb['process_cpu_s'] / 2)} on 2 otherwise idle cores (CPU time / 2)")
    _, _, b_ida = ours("BM_DfnSolveOnly", k, 0)
    _, _, b_bdf = ours("BM_DfnSolveOnly", k, 1)
    rows.append(("final discharge capacity at 2.5 V", labels[k], f"{b_ida['capacity_Ah']:.6f} A.h", f"{b_bdf['capacity_Ah']:.6f} A.h",
                 f"{py[k]['final_discharge_capacity_Ah']:.6f} A.h", "", ""))
table = [header, "|---|---|---|---|---|---|---|"] + ["| " + " | ".join(r) + " |" for r in rows]
notes = [
    f"Measured {date} on {os.environ['NPROC']} cores of {os.environ['CPU']} (`nproc`, /proc/cpuinfo); "
    f"load average {os.environ['LOAD']} (before -> after); solidcell {os.environ['SHA']}, "
    f"{os.environ['BUILD_TYPE']} build, {os.environ['COMPILER']}; PyBaMM {py[0]['pybamm_version']}, Python {py[0]['python']}.",
    f"Wall-clock medians: solidcell over 5 repetitions (Google Benchmark), PyBaMM over {py[0]['repeats']} repeats. "
    + "; ".join(notes_cpu) + ".",
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
