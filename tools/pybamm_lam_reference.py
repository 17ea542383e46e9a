#!/usr/bin/env python3
"""PyBaMM reference for solidcell's loss of active material (docs/ageing.md): cycles of the LG M50 (Chen 2020).

Runs PyBaMM's lithium_ion.DFN with {"loss of active material": "stress-driven", "particle mechanics": "swelling only",
"stress-induced diffusion": "true"} (PyBaMM's default with particle mechanics: D (1 + theta c) in the particles,
theta = 2 Omega^2 E / (9 (1 - nu) R T), Ai 2020 eq. 12) on ParameterValues("Chen2020") with the mechanics and LAM values of data/cells/lgm50.toml's
[negative.active_material_loss] and [positive.active_material_loss] tables (Ai 2020, Reniers 2019, as PyBaMM's OKane2022
set gives them):

    sigma_t = Omega E (c_mean - c_surf) / (3 (1 - nu)), sigma_r = 0 at the surface, sigma_h = (sigma_r + 2 sigma_t) / 3,
    d(eps)/dt = -beta (max(sigma_h, 0) / sigma_c)^m,

isothermal at 298.15 K, on the mesh x_n = x_s = x_p = r_n = r_p = 10 cells, from the parameter set's initial (charged)
state, through N cycles of

    Discharge at 1C until 2.5 V, Rest for 30 minutes, Charge at 1C until 4.2 V, Hold at 4.2 V until C/20,
    Rest for 30 minutes

Cases (--case):
    stress_driven          the lgm50 values, 3 cycles
    stress_driven_x100     beta 100 times larger in both electrodes (2.7778e-5 1/s), 3 cycles: a loss large enough to
                           show in the capacity

Usage:
    .venv/bin/python tools/pybamm_lam_reference.py OUT.json --case NAME [--force]
        (does nothing when OUT.json is newer than this script and was made with the same settings by the same PyBaMM)

JSON: settings, wall_time_s, and per cycle: discharge_capacity_Ah and, per step, the values at its end: voltage_V,
negative/positive_active_fraction (x-averaged active material volume fraction), negative/positive_lam_lithium_mol
(PyBaMM's "Loss of lithium due to loss of active material in ... electrode [mol]").
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

VAR_PTS = {"x_n": 10, "x_s": 10, "x_p": 10, "r_n": 10, "r_p": 10}
RTOL = 1e-6
ATOL = 1e-6
TEMPERATURE_K = 298.15
MECHANICS = {  # data/cells/lgm50.toml [negative.active_material_loss], [positive.active_material_loss]
    "Negative": {"youngs_modulus_Pa": 15e9, "poissons_ratio": 0.3, "partial_molar_volume_m3_per_mol": 3.1e-6,
                 "critical_stress_Pa": 60e6, "proportional_rate_per_s": 2.7778e-7, "exponent": 2.0},
    "Positive": {"youngs_modulus_Pa": 375e9, "poissons_ratio": 0.2, "partial_molar_volume_m3_per_mol": 1.25e-5,
                 "critical_stress_Pa": 375e6, "proportional_rate_per_s": 2.7778e-7, "exponent": 2.0},
}
CASES = {
    "stress_driven": {"rate_factor": 1.0, "cycles": 3},
    "stress_driven_x100": {"rate_factor": 100.0, "cycles": 3},
}
OPTIONS = {"loss of active material": "stress-driven", "particle mechanics": "swelling only", "stress-induced diffusion": "true"}
CYCLE = ["Discharge at 1C until 2.5 V", "Rest for 30 minutes", "Charge at 1C until 4.2 V", "Hold at 4.2 V until C/20",
         "Rest for 30 minutes"]


def parameter_values(rate_factor: float) -> pybamm.ParameterValues:
    pv = pybamm.ParameterValues("Chen2020")
    update = {"Ambient temperature [K]": TEMPERATURE_K, "Initial temperature [K]": TEMPERATURE_K,
              # Only the electrode thickness change reads these: no effect on the solution.
              "Cell thermal expansion coefficient [m.K-1]": 0.0}
    for domain, m in MECHANICS.items():
        update.update({
            f"{domain} electrode Young's modulus [Pa]": m["youngs_modulus_Pa"],
            f"{domain} electrode Poisson's ratio": m["poissons_ratio"],
            f"{domain} electrode partial molar volume [m3.mol-1]": m["partial_molar_volume_m3_per_mol"],
            f"{domain} electrode critical stress [Pa]": m["critical_stress_Pa"],
            f"{domain} electrode LAM constant proportional term [s-1]": m["proportional_rate_per_s"] * rate_factor,
            f"{domain} electrode LAM constant exponential term": m["exponent"],
            f"{domain} electrode reference concentration for free of deformation [mol.m-3]": 0.0,
            f"{domain} electrode volume change": lambda sto: 0 * sto,
        })
    pv.update(update, check_already_exists=False)
    return pv


def make_simulation(case: dict) -> pybamm.Simulation:
    model = pybamm.lithium_ion.DFN(dict(OPTIONS))
    experiment = pybamm.Experiment([tuple(CYCLE)] * case["cycles"])
    return pybamm.Simulation(model, parameter_values=parameter_values(case["rate_factor"]), experiment=experiment,
                             var_pts=dict(VAR_PTS), solver=pybamm.IDAKLUSolver(rtol=RTOL, atol=ATOL))


def records(sol) -> list[dict]:
    out = []
    for n, cyc in enumerate(sol.cycles, start=1):
        if cyc is None:
            break
        q = cyc.steps[0]["Discharge capacity [A.h]"].entries
        steps = []
        for st in cyc.steps:
            rec = {"voltage_V": float(st["Voltage [V]"].entries[-1])}
            for domain in ("negative", "positive"):
                rec[f"{domain}_active_fraction"] = float(
                    st[f"X-averaged {domain} electrode active material volume fraction"].entries[-1])
                rec[f"{domain}_lam_lithium_mol"] = float(
                    st[f"Loss of lithium due to loss of active material in {domain} electrode [mol]"].entries[-1])
            steps.append(rec)
        out.append({"cycle": n, "discharge_capacity_Ah": float(q[-1] - q[0]), "steps_completed": len(cyc.steps), "steps": steps})
    return out


def settings(name: str) -> dict:
    return {"case": name, **CASES[name], "cycle": CYCLE, "mechanics": MECHANICS, "temperature_K": TEMPERATURE_K,
            "var_pts": VAR_PTS, "rtol": RTOL, "atol": ATOL, "pybamm": pybamm.__version__, "parameter_set": "Chen2020",
            "model": "DFN", "options": OPTIONS}


def run_reference(out: Path, name: str, force: bool) -> None:
    want = settings(name)
    if not force and out.exists() and out.stat().st_mtime > Path(__file__).stat().st_mtime:
        try:
            if json.loads(out.read_text()).get("settings") == want:
                print(f"pybamm_lam_reference: {out} is up to date (--force to rewrite)")
                return
        except json.JSONDecodeError:
            pass
    t0 = time.perf_counter()
    sol = make_simulation(CASES[name]).solve()
    wall = time.perf_counter() - t0
    recs = records(sol)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"settings": want, "wall_time_s": wall, "cycles": recs}, indent=1))
    print(f"pybamm_lam_reference: {name}: {len(recs)} cycles in {wall:.1f} s -> {out}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out", type=Path)
    ap.add_argument("--case", required=True, choices=sorted(CASES))
    ap.add_argument("--force", action="store_true")
    args = ap.parse_args()
    run_reference(args.out, args.case, args.force)
    return 0


if __name__ == "__main__":
    sys.exit(main())
