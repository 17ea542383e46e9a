#!/usr/bin/env python3
"""PyBaMM reference for solidcell's SEI growth (docs/ageing.md): capacity fade of the LG M50 (Chen 2020).

Runs PyBaMM's lithium_ion.DFN with {"SEI": "reaction limited"} (or another law, --sei) and otherwise default
options (isothermal, "SEI film resistance": "distributed", no porosity change), ParameterValues("Chen2020") as
shipped (its SEI values included), on the mesh x_n = x_s = x_p = r_n = r_p = 10 cells, through N cycles of

    Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20

(1C = 5 A) at 298.15 K from the parameter set's initial (charged) state.

Usage:
    .venv/bin/python tools/pybamm_ageing_reference.py OUT.json [--cycles 100] [--sei "reaction limited"]
        per-cycle summaries as JSON (does nothing when OUT.json is newer than this script and was made
        with the same settings by the same PyBaMM; --force rewrites)
    .venv/bin/python tools/pybamm_ageing_reference.py --timing [--cycles 10] [--rtol R --atol A]
        wall time of build + solve of N cycles, JSON on stdout

JSON per cycle: discharge_capacity_Ah, capacity_retention (vs cycle 1), loss_of_lithium_to_sei_mol
(PyBaMM's "Loss of lithium to negative SEI [mol]" at the end of the cycle), sei_thickness_m (x-averaged),
total_lithium_mol (particles + electrolyte + SEI lost: PyBaMM's bookkeeping).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

import pybamm  # noqa: E402

NOMINAL_CAPACITY_AH = 5.0
TEMPERATURE_K = 298.15
VAR_PTS = {"x_n": 10, "x_s": 10, "x_p": 10, "r_n": 10, "r_p": 10}
CYCLE = ("Discharge at 1C until 2.5 V", "Charge at 0.3C until 4.2 V", "Hold at 4.2 V until C/20")
RTOL = 1e-6
ATOL = 1e-6


def make_simulation(sei: str, cycles: int, rtol: float = RTOL, atol: float = ATOL):
    model = pybamm.lithium_ion.DFN({"SEI": sei})
    pv = pybamm.ParameterValues("Chen2020")
    pv.update({"Ambient temperature [K]": TEMPERATURE_K, "Initial temperature [K]": TEMPERATURE_K})
    experiment = pybamm.Experiment([CYCLE] * cycles)
    solver = pybamm.IDAKLUSolver(rtol=rtol, atol=atol)
    return pybamm.Simulation(model, parameter_values=pv, experiment=experiment, var_pts=dict(VAR_PTS), solver=solver)


def cycle_records(sol) -> list[dict]:
    out = []
    for n, cyc in enumerate(sol.cycles, start=1):
        if cyc is None:
            break
        dis = cyc.steps[0]
        q = dis["Discharge capacity [A.h]"].entries
        end = cyc.steps[-1]
        rec = {
            "cycle": n,
            "discharge_capacity_Ah": float(q[-1] - q[0]),
            "loss_of_lithium_to_sei_mol": float(end["Loss of lithium to negative SEI [mol]"].entries[-1]),
            "sei_thickness_m": float(end["X-averaged negative SEI thickness [m]"].entries[-1]),
            "total_lithium_mol": float(end["Total lithium [mol]"].entries[-1] + end["Total lithium lost [mol]"].entries[-1]
                                       if "Total lithium [mol]" in end.all_models[0].variables else float("nan")),
            "steps_completed": len(cyc.steps),
        }
        out.append(rec)
    q1 = out[0]["discharge_capacity_Ah"]
    for r in out:
        r["capacity_retention"] = r["discharge_capacity_Ah"] / q1
    return out


def settings(sei: str, cycles: int) -> dict:
    return {"sei": sei, "cycles": cycles, "cycle": list(CYCLE), "var_pts": VAR_PTS, "rtol": RTOL, "atol": ATOL,
            "temperature_K": TEMPERATURE_K, "pybamm": pybamm.__version__, "parameter_set": "Chen2020", "model": "DFN"}


def run_reference(out: Path, sei: str, cycles: int, force: bool) -> None:
    want = settings(sei, cycles)
    if not force and out.exists() and out.stat().st_mtime > Path(__file__).stat().st_mtime:
        try:
            if json.loads(out.read_text()).get("settings") == want:
                print(f"pybamm_ageing_reference: {out} is up to date (--force to rewrite)")
                return
        except json.JSONDecodeError:
            pass
    t0 = time.perf_counter()
    sim = make_simulation(sei, cycles)
    sol = sim.solve()
    wall = time.perf_counter() - t0
    records = cycle_records(sol)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"settings": want, "wall_time_s": wall, "cycles": records}, indent=1))
    print(f"pybamm_ageing_reference: {len(records)} cycles in {wall:.1f} s -> {out}")


def run_timing(sei: str, cycles: int, rtol: float, atol: float) -> dict:
    t0 = time.perf_counter()
    sim = make_simulation(sei, cycles, rtol, atol)
    sol = sim.solve()
    end_to_end = time.perf_counter() - t0
    records = cycle_records(sol)
    rec = settings(sei, cycles)
    rec.update({"rtol": rtol, "atol": atol})
    return {"settings": rec, "end_to_end_s": end_to_end, "cycles_solved": len(records),
            "capacity_retention_last": records[-1]["capacity_retention"]}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", nargs="?", type=Path)
    ap.add_argument("--cycles", type=int, default=100)
    ap.add_argument("--sei", default="reaction limited", choices=["reaction limited", "solvent-diffusion limited"])
    ap.add_argument("--timing", action="store_true")
    ap.add_argument("--force", action="store_true")
    ap.add_argument("--rtol", type=float, default=RTOL, help="--timing only (the reference is always at 1e-6)")
    ap.add_argument("--atol", type=float, default=ATOL, help="--timing only")
    args = ap.parse_args()
    if args.timing:
        print(json.dumps(run_timing(args.sei, args.cycles, args.rtol, args.atol), indent=1))
        return 0
    if args.out is None:
        ap.error("give OUT.json, or --timing")
    run_reference(args.out, args.sei, args.cycles, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
