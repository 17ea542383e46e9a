#!/usr/bin/env python3
"""PyBaMM reference for solidcell's lithium plating (docs/ageing.md): fast charges of the LG M50 (Chen 2020).

Runs PyBaMM's lithium_ion.DFN with {"lithium plating": ...} (and {"SEI": ...} for one case) on
ParameterValues("Chen2020") with the plating values of data/cells/lgm50.toml's [negative.plating] table
(O'Kane 2020 and 2022, as PyBaMM's OKane2022 set gives them):

    j0_plating = F k c_e, j0_stripping = F k c_Li, k = 1e-9 m/s, alpha_plating = 0.65,
    dead lithium decay gamma = gamma_0 L_sei,0 / L_sei, gamma_0 = 1e-6 1/s, no plated lithium at the start,

isothermal, on the mesh x_n = x_s = x_p = r_n = r_p = 10 cells, from the parameter set's initial (charged) state,
through N cycles of

    Discharge at 1C until 2.5 V, Rest for 30 minutes, Charge at <C>C until 4.2 V, Hold at 4.2 V until C/20,
    Rest for 1 hour

(1C = 5 A). Cases (--case):
    irreversible               "irreversible", no SEI growth, 298.15 K, 2C charge, 3 cycles
    reversible_cold            "reversible", no SEI growth, 268.15 K, 1C charge, 2 cycles
    partially_reversible_sei   "partially reversible" with "SEI": "reaction limited", 298.15 K, 2C charge, 3 cycles

Usage:
    .venv/bin/python tools/pybamm_plating_reference.py OUT.json --case NAME [--force]
        (does nothing when OUT.json is newer than this script and was made with the same settings by the same PyBaMM)

JSON: settings, wall_time_s, and per cycle: discharge_capacity_Ah and, per step, the values at its end: voltage_V,
time_s (since the start of the run), loss_of_lithium_to_plating_mol (PyBaMM's "Loss of lithium to negative lithium
plating [mol]": plated + dead), plated_lithium_mol and dead_lithium_mol (x-averaged concentrations times the
negative's volume), loss_of_lithium_to_sei_mol; and the charge step's voltage at 20 times after its start
(charge_trace: t_s since the step's start, voltage_V).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")

import numpy as np  # noqa: E402
import pybamm  # noqa: E402

VAR_PTS = {"x_n": 10, "x_s": 10, "x_p": 10, "r_n": 10, "r_p": 10}
RTOL = 1e-6
ATOL = 1e-6
PLATING = {  # data/cells/lgm50.toml [negative.plating]
    "kinetic_rate_constant_m_per_s": 1e-9,
    "transfer_coefficient": 0.65,
    "lithium_partial_molar_volume_m3_per_mol": 1.3e-5,
    "initial_concentration_mol_per_m3": 0.0,
    "dead_lithium_decay_constant_per_s": 1e-6,
}
CASES = {
    "irreversible": {"plating": "irreversible", "sei": "none", "temperature_K": 298.15, "charge_C": 2, "cycles": 3},
    "reversible_cold": {"plating": "reversible", "sei": "none", "temperature_K": 268.15, "charge_C": 1, "cycles": 2},
    "partially_reversible_sei": {"plating": "partially reversible", "sei": "reaction limited", "temperature_K": 298.15,
                                 "charge_C": 2, "cycles": 3},
}


def cycle_steps(charge_c: float) -> list[str]:
    return ["Discharge at 1C until 2.5 V", "Rest for 30 minutes", f"Charge at {charge_c:g}C until 4.2 V",
            "Hold at 4.2 V until C/20", "Rest for 1 hour"]


def parameter_values(temperature_k: float) -> pybamm.ParameterValues:
    pv = pybamm.ParameterValues("Chen2020")
    k = PLATING["kinetic_rate_constant_m_per_s"]
    gamma0 = PLATING["dead_lithium_decay_constant_per_s"]
    faraday = pybamm.constants.F

    def j0_plating(c_e, c_li, temperature):  # O'Kane 2020: F k c_e
        return faraday * k * c_e

    def j0_stripping(c_e, c_li, temperature):  # O'Kane 2020: F k c_Li
        return faraday * k * c_li

    def dead_lithium_rate(l_sei):  # O'Kane 2022: gamma_0 L_sei,0 / L_sei
        return gamma0 * pybamm.Parameter("Initial SEI thickness [m]") / l_sei

    pv.update({
        "Ambient temperature [K]": temperature_k,
        "Initial temperature [K]": temperature_k,
        "Lithium metal partial molar volume [m3.mol-1]": PLATING["lithium_partial_molar_volume_m3_per_mol"],
        "Exchange-current density for plating [A.m-2]": j0_plating,
        "Exchange-current density for stripping [A.m-2]": j0_stripping,
        "Initial plated lithium concentration [mol.m-3]": PLATING["initial_concentration_mol_per_m3"],
        "Typical plated lithium concentration [mol.m-3]": 1000.0,
        "Lithium plating transfer coefficient": PLATING["transfer_coefficient"],
        "Dead lithium decay rate [s-1]": dead_lithium_rate,
    }, check_already_exists=False)
    return pv


def make_simulation(case: dict) -> pybamm.Simulation:
    options = {"lithium plating": case["plating"]}
    if case["sei"] != "none":
        options["SEI"] = case["sei"]
    model = pybamm.lithium_ion.DFN(options)
    experiment = pybamm.Experiment([tuple(cycle_steps(case["charge_C"]))] * case["cycles"])
    solver = pybamm.IDAKLUSolver(rtol=RTOL, atol=ATOL)
    return pybamm.Simulation(model, parameter_values=parameter_values(case["temperature_K"]), experiment=experiment,
                             var_pts=dict(VAR_PTS), solver=solver)


def records(sol, negative_volume_m3: float) -> list[dict]:
    out = []
    for n, cyc in enumerate(sol.cycles, start=1):
        if cyc is None:
            break
        q = cyc.steps[0]["Discharge capacity [A.h]"].entries
        steps = []
        for st in cyc.steps:
            sei_key = "Loss of lithium to negative SEI [mol]"
            steps.append({
                "voltage_V": float(st["Voltage [V]"].entries[-1]),
                "time_s": float(st["Time [s]"].entries[-1]),
                "loss_of_lithium_to_plating_mol": float(st["Loss of lithium to negative lithium plating [mol]"].entries[-1]),
                "plated_lithium_mol": float(st["X-averaged negative lithium plating concentration [mol.m-3]"].entries[-1])
                * negative_volume_m3,
                "dead_lithium_mol": float(st["X-averaged negative dead lithium concentration [mol.m-3]"].entries[-1])
                * negative_volume_m3,
                "loss_of_lithium_to_sei_mol": float(st[sei_key].entries[-1]),
            })
        charge = cyc.steps[2]
        t = charge["Time [s]"].entries
        v = charge["Voltage [V]"].entries
        grid = np.linspace(0.0, t[-1] - t[0], 21)[1:]
        trace = {"t_s": [float(x) for x in grid], "voltage_V": [float(x) for x in np.interp(grid + t[0], t, v)]}
        out.append({"cycle": n, "discharge_capacity_Ah": float(q[-1] - q[0]), "steps_completed": len(cyc.steps),
                    "steps": steps, "charge_trace": trace})
    return out


def settings(name: str) -> dict:
    case = CASES[name]
    return {"case": name, **case, "cycle": cycle_steps(case["charge_C"]), "plating_parameters": PLATING, "var_pts": VAR_PTS,
            "rtol": RTOL, "atol": ATOL, "pybamm": pybamm.__version__, "parameter_set": "Chen2020", "model": "DFN"}


def run_reference(out: Path, name: str, force: bool) -> None:
    want = settings(name)
    if not force and out.exists() and out.stat().st_mtime > Path(__file__).stat().st_mtime:
        try:
            if json.loads(out.read_text()).get("settings") == want:
                print(f"pybamm_plating_reference: {out} is up to date (--force to rewrite)")
                return
        except json.JSONDecodeError:
            pass
    t0 = time.perf_counter()
    sim = make_simulation(CASES[name])
    sol = sim.solve()
    wall = time.perf_counter() - t0
    pv = sim.parameter_values
    volume = (pv["Negative electrode thickness [m]"] * pv["Electrode height [m]"] * pv["Electrode width [m]"])
    recs = records(sol, volume)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"settings": want, "wall_time_s": wall, "cycles": recs}, indent=1))
    print(f"pybamm_plating_reference: {name}: {len(recs)} cycles in {wall:.1f} s -> {out}")


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
