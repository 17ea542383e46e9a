#!/usr/bin/env bash
# The lumped abuse-test benchmark (bench/README.md, "Lumped oven test"): solidcell's lumped thermal-runaway
# model against an independent SciPy solution of the same equations (tools/abuse_reference.py), both timed
# in this run on this machine.
#
#   bench/run_abuse_bench.sh               build, time both, print the table, update bench/README.md
#   bench/run_abuse_bench.sh --no-readme   the same without touching bench/README.md
set -euo pipefail
cd "$(dirname "$0")/.."

update_readme=1
[ "${1:-}" = "--no-readme" ] && update_readme=0
build="${BUILD_DIR:-build}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT

scripts/python-env.sh >/dev/null
[ -f "$build/CMakeCache.txt" ] || cmake --preset default >/dev/null
cmake --build "$build" --target abuse_bench >/dev/null
load_before="$(cut -d' ' -f1-3 /proc/loadavg)"
.venv/bin/python tools/abuse_reference.py --timing --repeats 10 155 > "$out/scipy.json"
"$build/bin/abuse_bench" --benchmark_out="$out/ours.json" --benchmark_out_format=json >&2
load_after="$(cut -d' ' -f1-3 /proc/loadavg)"
cpu="$(grep -m1 '^model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//')"
sha="$(git rev-parse --short HEAD 2>/dev/null || echo unknown)"
git diff --quiet HEAD 2>/dev/null || sha="$sha + uncommitted changes"

OUT="$out" UPDATE_README="$update_readme" NPROC="$(nproc)" CPU="$cpu" SHA="$sha" LOAD="$load_before -> $load_after" \
.venv/bin/python - <<'PY'
import datetime, json, os, re
from pathlib import Path

out = Path(os.environ["OUT"])
ref = json.loads((out / "scipy.json").read_text())
gb = json.loads((out / "ours.json").read_text())


def ours(prefix):
    for b in gb["benchmarks"]:
        if b["name"].startswith(prefix) and b.get("aggregate_name") == "median":
            return b["real_time"] * {"ns": 1e-9, "us": 1e-6, "ms": 1e-3, "s": 1.0}[b["time_unit"]], b
    raise SystemExit(f"run_abuse_bench: no median of {prefix}")


def ms(s):
    return f"{s * 1e3:.3g} ms"


kim, kim_b = ours("BM_KimOven155C")
gbt, gb_b = ours("BM_HeatingTestGb38031LiquidCell")
thr, thr_b = ours("BM_OvenThresholdLiquidCell")
case = ref["cases"][0]
rows = [
    ("Kim 2007 LiCoO2 18650, 155 C oven, 4 h (runaway)", ms(kim), ms(case["solve_s_median"]), f"{case['solve_s_median'] / kim:.3g}x",
     f"{kim_b['peak_C']:.2f} C / {case['peak_C']:.2f} C", "< 50 ms"),
    ("GB 38031-2025 heating test, liquid-ncm811-graphite (1 h 52 min)", ms(gbt), "", "", f"{gb_b['peak_C']:.2f} C", "< 50 ms"),
    (f"runaway threshold by bisection ({int(thr_b['runs'])} oven runs), liquid-ncm811-graphite", ms(thr), "", "",
     f"{thr_b['threshold_C']:.1f} C", ""),
]
date = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
table = ["| lumped oven test | solidcell | SciPy BDF, same equations | SciPy / solidcell | peak (ours / SciPy) or threshold | target |",
         "|---|---|---|---|---|---|"] + ["| " + " | ".join(r) + " |" for r in rows]
notes = (f"Measured {date} on {os.environ['NPROC']} cores of {os.environ['CPU']}; load average {os.environ['LOAD']}; solidcell "
         f"{os.environ['SHA']}; SciPy {ref['scipy_version']} (solve_ivp BDF, rtol 1e-6, atol 1e-9). Medians: solidcell over 5 repetitions "
         f"(Google Benchmark), SciPy over 10 solves.")
text = "\n".join(table) + "\n\n" + notes + "\n"
print(text)
if os.environ["UPDATE_README"] == "1":
    readme = Path("bench/README.md")
    old = readme.read_text()
    start, end = "<!-- abuse-results:start (bench/run_abuse_bench.sh writes this) -->", "<!-- abuse-results:end -->"
    if start not in old or end not in old:
        raise SystemExit("run_abuse_bench: bench/README.md has no abuse results markers")
    readme.write_text(re.sub(re.escape(start) + r".*?" + re.escape(end), lambda _: start + "\n" + text + end, old, flags=re.S))
    print("run_abuse_bench: wrote the table into bench/README.md")
PY
