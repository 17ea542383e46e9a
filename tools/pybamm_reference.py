#!/usr/bin/env python3
"""PyBaMM reference solutions for solidcell's SPM, SPMe and DFN (LG M50, Chen 2020).

Runs PyBaMM's lithium_ion.SPM, SPMe and DFN with default options (isothermal, symmetric
Butler-Volmer, Fickian particles, Bruggeman, no contact resistance) and
ParameterValues("Chen2020") as shipped (initial concentrations untouched), on the mesh
x_n = x_s = x_p = r_n = r_p = 10 cells, for constant-current discharges at C/2, 1C and 2C
(1C = 5 A, the nominal capacity) at 298.15 K until the 2.5 V cut-off.

Usage (create the venv first with scripts/python-env.sh):

    .venv/bin/python tools/pybamm_reference.py OUTDIR    # 9 cases: OUTDIR/<model>_<rate>C.{csv,json}
                                                         # (does nothing when they are newer than this
                                                         # script, from the same PyBaMM; --force rewrites)
    .venv/bin/python tools/pybamm_reference.py OUTDIR --models DFN --rates 1
    .venv/bin/python tools/pybamm_reference.py --timing [--repeats 10]   # 1C DFN timings, JSON
    .venv/bin/python tools/pybamm_reference.py --verify  # checks docs/pybamm-conventions.md
                                                         # numerically against PyBaMM

CSV columns: time_s, current_A, voltage_V, discharge_capacity_Ah (output every --dt seconds,
5 s by default, plus the exact cut-off time as the last row). The JSON next to each CSV has
the final discharge capacity, time and voltage, solver settings, the mesh and the parameter
values actually used (plus derived values such as initial stoichiometries and OCPs, and
sample evaluations of the OCP and electrolyte functions) so that a C++ implementation can check it
uses the same numbers.

Solver: IDAKLUSolver(rtol=1e-8, atol=1e-8) (pybammsolvers); CasadiSolver(mode="safe") with
the same tolerances only if IDAKLU is unavailable. The JSON records which one ran.
"""

from __future__ import annotations

import argparse
import inspect
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

os.environ.setdefault("PYBAMM_DISABLE_TELEMETRY", "true")  # no opt-in prompt, no network

import numpy as np  # noqa: E402
import pybamm  # noqa: E402

MODELS = ("SPM", "SPMe", "DFN")
RATES = (0.5, 1.0, 2.0)
NOMINAL_CAPACITY_AH = 5.0
TEMPERATURE_K = 298.15
V_MIN = 2.5
RTOL = ATOL = 1e-8
VAR_PTS = {"x_n": 10, "x_s": 10, "x_p": 10, "r_n": 10, "r_p": 10}


# --------------------------------------------------------------------------- set-up


def make_solver(rtol: float = RTOL, atol: float = ATOL):
    """IDAKLU if it can be built here, else Casadi; returns (solver, description)."""
    try:
        solver = pybamm.IDAKLUSolver(rtol=rtol, atol=atol)
        return solver, {"name": "IDAKLUSolver", "rtol": rtol, "atol": atol}
    except Exception as exc:  # pybammsolvers missing or broken
        print(f"warning: IDAKLUSolver unavailable ({exc}); using CasadiSolver", file=sys.stderr)
        solver = pybamm.CasadiSolver(mode="safe", rtol=rtol, atol=atol)
        return solver, {"name": "CasadiSolver", "mode": "safe", "rtol": rtol, "atol": atol}


def make_parameter_values(c_rate: float) -> pybamm.ParameterValues:
    pv = pybamm.ParameterValues("Chen2020")
    pv.update(
        {
            "Current function [A]": c_rate * NOMINAL_CAPACITY_AH,
            "Ambient temperature [K]": TEMPERATURE_K,
            "Initial temperature [K]": TEMPERATURE_K,
            "Lower voltage cut-off [V]": V_MIN,
        }
    )
    return pv


def make_model(name: str) -> pybamm.BaseModel:
    return getattr(pybamm.lithium_ion, name)()  # default options: isothermal etc.


def make_simulation(name: str, c_rate: float, solver=None):
    if solver is None:
        solver, _ = make_solver()
    return pybamm.Simulation(
        make_model(name),
        parameter_values=make_parameter_values(c_rate),
        var_pts=dict(VAR_PTS),
        solver=solver,
    )


def time_grid(c_rate: float, dt: float, solver_name: str = "IDAKLUSolver"):
    """(t_eval, t_interp): t_eval ends well past the cut-off (the voltage event stops the
    solve); outputs every dt seconds. CasadiSolver ignores t_interp, so it gets the output
    grid as t_eval instead."""
    t_end = 1.25 * 3600.0 / c_rate
    grid = np.arange(0.0, t_end, dt)
    if solver_name == "IDAKLUSolver":
        return [0.0, t_end], grid
    return np.append(grid, t_end), None


def rate_label(c_rate: float) -> str:
    return f"{c_rate:g}C"


# --------------------------------------------------------------------------- recording


def _evaluate(value):
    if isinstance(value, pybamm.Symbol):
        value = value.evaluate()
    return float(np.asarray(value).reshape(-1)[0])


def parameter_record(pv: pybamm.ParameterValues) -> dict:
    """Every parameter: numbers as numbers, functions by name and module."""
    out = {}
    for key in sorted(pv.keys()):
        value = pv[key]
        if callable(value):
            out[key] = {"function": value.__name__, "module": inspect.getmodule(value).__name__}
        elif isinstance(value, int | float | np.floating | np.integer):
            out[key] = float(value)
        elif isinstance(value, pybamm.Scalar):
            out[key] = float(value.value)
        else:
            out[key] = str(value)
    return out


def derived_record(pv: pybamm.ParameterValues) -> dict:
    """Values a C++ implementation can assert against (raw parameter functions, no
    PyBaMM regularisation: see docs/pybamm-conventions.md for the wrappers)."""
    F, R = float(pybamm.constants.F.value), float(pybamm.constants.R.value)
    T = TEMPERATURE_K
    g = lambda k: float(pv[k])  # noqa: E731
    c_n0, c_p0 = g("Initial concentration in negative electrode [mol.m-3]"), g(
        "Initial concentration in positive electrode [mol.m-3]"
    )
    c_n_max, c_p_max = g("Maximum concentration in negative electrode [mol.m-3]"), g(
        "Maximum concentration in positive electrode [mol.m-3]"
    )
    c_e0 = g("Initial concentration in electrolyte [mol.m-3]")
    U_n, U_p = pv["Negative electrode OCP [V]"], pv["Positive electrode OCP [V]"]
    j0_n = pv["Negative electrode exchange-current density [A.m-2]"]
    j0_p = pv["Positive electrode exchange-current density [A.m-2]"]
    D_e, kappa_e = pv["Electrolyte diffusivity [m2.s-1]"], pv["Electrolyte conductivity [S.m-1]"]
    sto_n0, sto_p0 = c_n0 / c_n_max, c_p0 / c_p_max
    A_cc = g("Electrode height [m]") * g("Electrode width [m]") * g(
        "Number of electrodes connected in parallel to make a cell"
    )
    L = {k: g(f"{k} thickness [m]") for k in ("Negative electrode", "Separator", "Positive electrode")}
    eps_s_n = g("Negative electrode active material volume fraction")
    eps_s_p = g("Positive electrode active material volume fraction")
    R_n, R_p = g("Negative particle radius [m]"), g("Positive particle radius [m]")
    samples = [0.05, 0.25, 0.5, 0.75, 0.95]
    c_e_samples = [250.0, 500.0, 1000.0, 1500.0, 2000.0]
    return {
        "constants": {"F [C.mol-1]": F, "R [J.mol-1.K-1]": R, "T [K]": T, "F/RT [V-1]": F / (R * T)},
        "A_cc [m2]": A_cc,
        "L_x [m]": sum(L.values()),
        "a_n = 3 eps_s_n / R_n [m-1]": 3 * eps_s_n / R_n,
        "a_p = 3 eps_s_p / R_p [m-1]": 3 * eps_s_p / R_p,
        "1C current density I/A_cc at 5 A [A.m-2]": NOMINAL_CAPACITY_AH / A_cc,
        "initial negative stoichiometry": sto_n0,
        "initial positive stoichiometry": sto_p0,
        "U_n(initial) [V]": _evaluate(U_n(sto_n0)),
        "U_p(initial) [V]": _evaluate(U_p(sto_p0)),
        "initial OCV U_p - U_n [V]": _evaluate(U_p(sto_p0)) - _evaluate(U_n(sto_n0)),
        "j0_n(c_e0, c_n0, T) [A.m-2]": _evaluate(j0_n(c_e0, c_n0, c_n_max, T)),
        "j0_p(c_e0, c_p0, T) [A.m-2]": _evaluate(j0_p(c_e0, c_p0, c_p_max, T)),
        "samples": {
            "sto": samples,
            "U_n(sto) [V]": [_evaluate(U_n(s)) for s in samples],
            "U_p(sto) [V]": [_evaluate(U_p(s)) for s in samples],
            "c_e [mol.m-3]": c_e_samples,
            "D_e(c_e, T) [m2.s-1]": [_evaluate(D_e(c, T)) for c in c_e_samples],
            "kappa_e(c_e, T) [S.m-1]": [_evaluate(kappa_e(c, T)) for c in c_e_samples],
        },
    }


def mesh_record(sim: pybamm.Simulation) -> dict:
    mesh = sim.mesh
    rec = {"var_pts": dict(VAR_PTS)}
    for dom in ("negative electrode", "separator", "positive electrode", "negative particle", "positive particle"):
        sub = mesh[dom]
        rec[dom] = {"edges [m]": sub.edges.tolist(), "nodes [m]": sub.nodes.tolist(), "coord_sys": sub.coord_sys}
    return rec


def final_state_record(sol: pybamm.Solution) -> dict:
    names = [
        "Average negative particle stoichiometry",
        "Average positive particle stoichiometry",
        "X-averaged negative particle surface stoichiometry",
        "X-averaged positive particle surface stoichiometry",
        "X-averaged electrolyte concentration [mol.m-3]",
    ]
    out = {}
    for name in names:
        try:
            out[name] = {"initial": float(sol[name].entries[0]), "final": float(sol[name].entries[-1])}
        except Exception:  # variable absent in this model
            pass
    return out


def run_case(name: str, c_rate: float, outdir: Path, dt: float) -> dict:
    solver, solver_desc = make_solver()
    sim = make_simulation(name, c_rate, solver)
    t_eval, t_interp = time_grid(c_rate, dt, solver_desc["name"])
    t0 = time.perf_counter()
    sol = sim.solve(t_eval, t_interp=t_interp)
    wall = time.perf_counter() - t0

    t = sol["Time [s]"].entries
    I = sol["Current [A]"].entries
    V = sol["Voltage [V]"].entries
    Q = sol["Discharge capacity [A.h]"].entries
    label = f"{name.lower()}_{rate_label(c_rate)}"
    csv_path = outdir / f"{label}.csv"
    with csv_path.open("w") as f:
        f.write("time_s,current_A,voltage_V,discharge_capacity_Ah\n")
        for row in zip(t, I, V, Q, strict=True):
            f.write("{:.6f},{:.12g},{:.12g},{:.12g}\n".format(*row))

    pv = make_parameter_values(c_rate)
    summary = {
        "model": name,
        "pybamm_model_name": sim.model.name,
        "c_rate": c_rate,
        "current_A": c_rate * NOMINAL_CAPACITY_AH,
        "final_time_s": float(t[-1]),
        "final_voltage_V": float(V[-1]),
        "final_discharge_capacity_Ah": float(Q[-1]),
        "initial_voltage_V": float(V[0]),
        "termination": str(sol.termination),
        "n_rows": len(t),
        "output_dt_s": dt,
        "wall_time_s": wall,
        "solver": solver_desc,
        "pybamm_version": pybamm.__version__,
        "python": platform.python_version(),
        "model_options": {k: str(v) for k, v in sim.model.options.items()},
        "mesh": mesh_record(sim),
        "final_state": final_state_record(sol),
        "derived": derived_record(pv),
        "parameters": parameter_record(pv),
    }
    (outdir / f"{label}.json").write_text(json.dumps(summary, indent=1) + "\n")
    return summary


# --------------------------------------------------------------------------- timing


def _peak_rss_MB() -> float:
    import resource  # Unix only; --timing is for the Linux benchmark machine

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0  # KiB on Linux


def run_timing(repeats: int, dt: float, rtol: float = RTOL, atol: float = ATOL) -> dict:
    c_rate = 1.0
    rss_import = _peak_rss_MB()
    t_eval, t_interp = time_grid(c_rate, dt, make_solver()[1]["name"])

    # (b) end to end first, so that its first repeat is the cold one in this process (only
    # `import pybamm` done): new model object, parameters, mesh, discretisation, solver,
    # solve. Later repeats profit from PyBaMM's in-process caches.
    e2e_times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sim2 = make_simulation("DFN", c_rate, make_solver(rtol, atol)[0])
        sol2 = sim2.solve(t_eval, t_interp=t_interp)
        e2e_times.append(time.perf_counter() - t0)

    # (a) solve only: model built and discretised once, solver set up by a warm-up solve
    solver, solver_desc = make_solver(rtol, atol)
    t0 = time.perf_counter()
    sim = make_simulation("DFN", c_rate, solver)
    sim.build()
    build_s = time.perf_counter() - t0
    model = sim.built_model
    t0 = time.perf_counter()
    sol = solver.solve(model, t_eval, t_interp=t_interp)
    first_solve_s = time.perf_counter() - t0
    solve_times = []
    for _ in range(repeats):
        t0 = time.perf_counter()
        sol = solver.solve(model, t_eval, t_interp=t_interp)
        solve_times.append(time.perf_counter() - t0)

    q1 = float(sol["Discharge capacity [A.h]"].entries[-1])
    q2 = float(sol2["Discharge capacity [A.h]"].entries[-1])
    return {
        "case": "DFN, 1C (5 A) discharge from 100 % SOC to 2.5 V, Chen2020, 10 cells per region and particle",
        "solver": solver_desc,
        "output": f"outputs every {dt:g} s, stopped by the 2.5 V event",
        "repeats": repeats,
        "solve_only_s": {
            "median": statistics.median(solve_times),
            "min": min(solve_times),
            "max": max(solve_times),
            "all": solve_times,
            "what": "solver.solve(built_model) on the already discretised model, after one warm-up solve",
        },
        "first_solve_s": {
            "value": first_solve_s,
            "what": "first solve of a freshly built model: IDAKLU set-up (CasADi functions, Jacobian) + solve",
        },
        "build_s": {"value": build_s, "what": "Simulation() + build(): parameter processing, mesh, discretisation"},
        "end_to_end_s": {
            "median": statistics.median(e2e_times),
            "min": min(e2e_times),
            "max": max(e2e_times),
            "cold_first": e2e_times[0],
            "all": e2e_times,
            "what": "DFN() + ParameterValues + Simulation + solve, fresh solver each time; `import pybamm` excluded; "
            "cold_first is the first one in the process",
        },
        "final_discharge_capacity_Ah": q1,
        "final_time_s": float(sol["Time [s]"].entries[-1]),
        "end_to_end_same_result": abs(q1 - q2) < 1e-9,
        "peak_rss_MB": {
            "after_import": rss_import,
            "at_end": _peak_rss_MB(),
            "what": "getrusage ru_maxrss of this process: after `import pybamm`, and after all the timed runs",
        },
        "pybamm_version": pybamm.__version__,
        "python": platform.python_version(),
        "machine": {"cpu_count": os.cpu_count(), "platform": platform.platform(), "processor": platform.machine()},
    }


# --------------------------------------------------------------------------- verification
#
# An independent NumPy implementation of the discrete equations exactly as written in
# docs/pybamm-conventions.md. `--verify` evaluates it on states taken from PyBaMM's own
# solutions (and on randomly perturbed copies of them, so that the algebraic residuals are
# not trivially zero) and compares with PyBaMM's discretised right-hand sides, algebraic
# residuals and voltage. Agreement to round-off means the document is exact.

_TOL_U = 1e-10  # pybamm.settings.tolerances["U__c_s"], also D__c_s and sigma__c_s


def _np_params(pv: pybamm.ParameterValues) -> dict:
    g = lambda k: float(pv[k])  # noqa: E731
    p = {
        "F": float(pybamm.constants.F.value),
        "R": float(pybamm.constants.R.value),
        "T": TEMPERATURE_K,
        "L_n": g("Negative electrode thickness [m]"),
        "L_s": g("Separator thickness [m]"),
        "L_p": g("Positive electrode thickness [m]"),
        "A_cc": g("Electrode height [m]") * g("Electrode width [m]"),
        "I": g("Current function [A]"),
        "eps_n": g("Negative electrode porosity"),
        "eps_s": g("Separator porosity"),
        "eps_p": g("Positive electrode porosity"),
        "b_n": g("Negative electrode Bruggeman coefficient (electrolyte)"),
        "b_s": g("Separator Bruggeman coefficient (electrolyte)"),
        "b_p": g("Positive electrode Bruggeman coefficient (electrolyte)"),
        "bs_n": g("Negative electrode Bruggeman coefficient (electrode)"),
        "bs_p": g("Positive electrode Bruggeman coefficient (electrode)"),
        "epss_n": g("Negative electrode active material volume fraction"),
        "epss_p": g("Positive electrode active material volume fraction"),
        "R_n": g("Negative particle radius [m]"),
        "R_p": g("Positive particle radius [m]"),
        "cmax_n": g("Maximum concentration in negative electrode [mol.m-3]"),
        "cmax_p": g("Maximum concentration in positive electrode [mol.m-3]"),
        "D_n": g("Negative particle diffusivity [m2.s-1]"),
        "D_p": g("Positive particle diffusivity [m2.s-1]"),
        "sigma_n": g("Negative electrode conductivity [S.m-1]"),
        "sigma_p": g("Positive electrode conductivity [S.m-1]"),
        "c_e0": g("Initial concentration in electrolyte [mol.m-3]"),
        "t_plus": g("Cation transference number"),
        "tdf": g("Thermodynamic factor"),
    }
    p["L"] = p["L_n"] + p["L_s"] + p["L_p"]
    p["i"] = p["I"] / p["A_cc"]
    p["a_n"] = 3 * p["epss_n"] / p["R_n"]
    p["a_p"] = 3 * p["epss_p"] / p["R_p"]
    return p


def _U_ref_n(s):
    return (
        1.9793 * np.exp(-39.3631 * s)
        + 0.2482
        - 0.0909 * np.tanh(29.8538 * (s - 0.1234))
        - 0.04478 * np.tanh(14.9159 * (s - 0.2769))
        - 0.0205 * np.tanh(30.4444 * (s - 0.6103))
    )


def _U_ref_p(s):
    return (
        -0.8090 * s
        + 4.4875
        - 0.0428 * np.tanh(18.5138 * (s - 0.5542))
        - 17.7326 * np.tanh(15.7890 * (s - 0.3117))
        + 17.5842 * np.tanh(15.9308 * (s - 0.3120))
    )


def _asymptote(s):
    a, b, c = 205.0568621937484, 6910.192179565431, -7.7e-4
    lim = c - np.log(2.0 / np.finfo(np.float64).eps) / b
    return a * (np.log(1 + np.exp(-b * (np.maximum(lim, s) - c))) - b * np.minimum(0, s - lim))


def _U(ref, s):
    """PyBaMM's OCP: raw fit at the clipped stoichiometry plus the two barrier terms."""
    return ref(np.clip(s, _TOL_U, 1 - _TOL_U)) + _asymptote(s) - _asymptote(1 - s)


def _regpow(x, a, scale, delta=1e-3):
    xs = x / scale
    return xs * (xs**2 + delta**2) ** ((a - 1) / 2) * scale**a


def _j0(m_ref, c_e, c_s, c_max, scales):
    """Chen2020 j0 = m_ref sqrt(c_e) sqrt(c_s) sqrt(c_max - c_s) (Arrhenius factor 1 at
    298.15 K) with each square root replaced by PyBaMM's RegPower(base, 0.5, scale). The
    scales PyBaMM ends up using differ by model (see the document): a scale of None means
    an exact square root (the base is not state-dependent)."""
    c_s = np.clip(c_s, 0.0, c_max)
    c_e = np.maximum(c_e, 0.0)
    sc_e, sc_s, sc_d = scales
    f = lambda x, sc: np.sqrt(x) if sc is None else _regpow(x, 0.5, sc)  # noqa: E731
    return m_ref * f(c_e, sc_e) * f(c_s, sc_s) * f(c_max - c_s, sc_d)


# RegPower scales (c_e, c_s_surf, c_max - c_s_surf) in PyBaMM 26.10.1.1, found by --verify
J0_SCALES = {
    "SPM": (None, "c_max", "c_max"),
    "SPMe": (1000.0, 1.0, 1.0),
    "DFN": (1000.0, "c_max", "c_max"),
}


def _j0_n(p, c_e, c_s, model):
    sc = tuple(p["cmax_n"] if s == "c_max" else s for s in J0_SCALES[model])
    return _j0(6.48e-7, c_e, c_s, p["cmax_n"], sc)


def _j0_p(p, c_e, c_s, model):
    sc = tuple(p["cmax_p"] if s == "c_max" else s for s in J0_SCALES[model])
    return _j0(3.42e-6, c_e, c_s, p["cmax_p"], sc)


def _D_e(c):
    c = np.maximum(c, 10.0) / 1000
    return 8.794e-11 * c**2 - 3.972e-10 * c + 4.862e-10


def _kappa_e(c):
    c = np.maximum(c, 10.0) / 1000
    return 0.1297 * c**3 - 2.51 * c**1.5 + 3.329 * c


class _Mesh1D:
    """Uniform cells per region, concatenated (PyBaMM Uniform1DSubMesh + combine_submeshes)."""

    def __init__(self, bounds, n_per):
        edges = [np.linspace(bounds[0], bounds[1], n_per + 1)]
        for lo, hi in zip(bounds[1:-1], bounds[2:], strict=True):
            edges.append(np.linspace(lo, hi, n_per + 1)[1:])
        self.edges = np.concatenate(edges)
        self.nodes = 0.5 * (self.edges[1:] + self.edges[:-1])
        self.dx = np.diff(self.edges)  # cell widths ("d_edges")
        self.dn = np.diff(self.nodes)  # node spacings ("d_nodes")
        self.n = self.nodes.size

    def grad_interior(self, u):
        return np.diff(u) / self.dn

    def _ext(self, u):
        left = 0.5 * self.dx[0] / self.dn[0]
        right = 0.5 * self.dx[-1] / self.dn[-1]
        return (1 + left) * u[0] - left * u[1], (1 + right) * u[-1] - right * u[-2]

    def harmonic_edges(self, u):
        beta = self.dx[:-1] / (self.dx[:-1] + self.dx[1:])
        inner = 1 / (beta / u[:-1] + (1 - beta) / u[1:])
        lo, hi = self._ext(u)
        return np.concatenate([[lo], inner, [hi]])

    def arithmetic_edges(self, u):
        w = self.dx[:-1] / (self.dx[:-1] + self.dx[1:])
        inner = (1 - w) * u[:-1] + w * u[1:]
        lo, hi = self._ext(u)
        return np.concatenate([[lo], inner, [hi]])

    def div(self, flux_edges):
        return np.diff(flux_edges) / self.dx

    def right_value(self, u):  # pybamm.boundary_value(., "right"), linear extrapolation
        return self._ext(u)[1]

    def left_value(self, u):
        return self._ext(u)[0]

    def mean(self, u):  # pybamm.x_average on one region: sum(u dx) / sum(dx)
        return np.sum(u * self.dx) / np.sum(self.dx)


def _particle_rhs(c, D, R, j_over_F, n_r):
    """dc/dt for one or many spheres; c has shape (n_x, n_r) (r fastest in PyBaMM's y).

    Flux -D dc/dr on edges with the Neumann values inserted (0 at r = 0, -j/(F D_surf) as
    the gradient at r = R), spherical FV divergence with exact shell volumes.
    """
    edges = np.linspace(0.0, R, n_r + 1)
    h = R / n_r
    grad = np.zeros((c.shape[0], n_r + 1))
    grad[:, 1:-1] = np.diff(c, axis=1) / h
    D_surf = D  # constant diffusivity in Chen2020: every mean of it is D
    grad[:, -1] = -j_over_F / D_surf
    N = -D * grad
    return -3 * np.diff(edges**2 * N, axis=1) / np.diff(edges**3)


def _c_surf(c):
    return 1.5 * c[..., -1] - 0.5 * c[..., -2]


def _spm_voltage(p, cn, cp, c_e=None):
    RT_F = p["R"] * p["T"] / p["F"]
    j_n = p["i"] / (p["a_n"] * p["L_n"])
    j_p = -p["i"] / (p["a_p"] * p["L_p"])
    csn, csp = _c_surf(cn), _c_surf(cp)
    ce = p["c_e0"] if c_e is None else c_e
    eta_n = 2 * RT_F * np.arcsinh(j_n / (2 * _j0_n(p, ce, csn, "SPM")))
    eta_p = 2 * RT_F * np.arcsinh(j_p / (2 * _j0_p(p, ce, csp, "SPM")))
    return _U(_U_ref_p, csp / p["cmax_p"]) - _U(_U_ref_n, csn / p["cmax_n"]) + eta_p - eta_n


class _XMesh:
    def __init__(self, p, n=10):
        L_n, L_s, L = p["L_n"], p["L_s"], p["L"]
        self.cell = _Mesh1D([0, L_n, L_n + L_s, L], n)
        self.neg = _Mesh1D([0, L_n], n)
        self.sep = _Mesh1D([L_n, L_n + L_s], n)
        self.pos = _Mesh1D([L_n + L_s, L], n)
        self.eps = np.concatenate([np.full(n, p["eps_n"]), np.full(n, p["eps_s"]), np.full(n, p["eps_p"])])
        self.tor = np.concatenate(
            [np.full(n, p["eps_n"] ** p["b_n"]), np.full(n, p["eps_s"] ** p["b_s"]), np.full(n, p["eps_p"] ** p["b_p"])]
        )
        self.sn, self.ss, self.sp = slice(0, n), slice(n, 2 * n), slice(2 * n, 3 * n)


def _electrolyte_rhs(p, xm, c_e, i_e_edges, aj_nodes):
    """d(eps c_e)/dt = -div(-tor D_e grad c_e + t+ i_e / F) + a j / F."""
    m = xm.cell
    grad = np.concatenate([[0.0], m.grad_interior(c_e), [0.0]])
    N = -m.harmonic_edges(xm.tor * _D_e(c_e)) * grad + p["t_plus"] * i_e_edges / p["F"]
    return -m.div(N) + aj_nodes / p["F"]


def _spme(p, xm, cn, cp, c_e):
    """SPMe voltage and electrolyte rhs (PyBaMM Composite conductivity/ohm, 26.x)."""
    RT_F = p["R"] * p["T"] / p["F"]
    i = p["i"]
    L_n, L_s, L_p, L = p["L_n"], p["L_s"], p["L_p"], p["L"]
    x_n, x_p = xm.neg.nodes, xm.pos.nodes
    # PyBaMM 26.10 "X-averaged electrolyte concentration": x_average(eps c_e / eps) is
    # rewritten as x_average(eps c_e) * x_average(1 / eps) (see the document).
    c_e_av = xm.cell.mean(xm.eps * c_e) * xm.cell.mean(1 / xm.eps)
    chi = 2 * (1 - p["t_plus"]) * p["tdf"]
    kap = _kappa_e(c_e_av)
    kap_n, kap_s, kap_p = kap * p["eps_n"] ** p["b_n"], kap * p["eps_s"] ** p["b_s"], kap * p["eps_p"] ** p["b_p"]
    c_e_n, c_e_s, c_e_p = c_e[xm.sn], c_e[xm.ss], c_e[xm.sp]
    mac = lambda c: np.log(np.maximum(c / c_e_av, 1e-15))  # noqa: E731
    # kinetics: x-dependent j0 (local c_e, x-averaged particle), uniform j
    csn, csp = _c_surf(cn), _c_surf(cp)
    j_n, j_p = i / (p["a_n"] * L_n), -i / (p["a_p"] * L_p)
    eta_n = 2 * RT_F * np.arcsinh(j_n / (2 * _j0_n(p, c_e_n, csn, "SPMe")))
    eta_p = 2 * RT_F * np.arcsinh(j_p / (2 * _j0_p(p, c_e_p, csp, "SPMe")))
    dphi_n_av = xm.neg.mean(eta_n) + _U(_U_ref_n, csn / p["cmax_n"])
    dphi_p_av = xm.pos.mean(eta_p) + _U(_U_ref_p, csp / p["cmax_p"])
    sig_n = p["sigma_n"] * (1 - p["eps_n"]) ** p["bs_n"]
    sig_p = p["sigma_p"] * (1 - p["eps_p"]) ** p["bs_p"]
    phi_s_n = (i / sig_n) * x_n * (x_n - 2 * L_n) / (2 * L_n)
    phi_e_const = (
        -dphi_n_av
        + xm.neg.mean(phi_s_n)
        - chi * RT_F * xm.neg.mean(mac(c_e_n))
        - i * L_n * (1 / (3 * kap_n) - 1 / kap_s)
    )
    phi_e_p = (
        phi_e_const
        + chi * RT_F * mac(c_e_p)
        - (i / kap_p) * (x_p * (2 * L - x_p) + L_p**2 - L**2) / (2 * L_p)
        - i * (L - L_p) / kap_s
    )
    const = dphi_p_av + xm.pos.mean(phi_e_p) + (i / sig_p) * (L - L_p / 3)
    phi_s_p = const - (i / sig_p) * (x_p + (x_p - L) ** 2 / (2 * L_p))
    V = xm.pos.right_value(phi_s_p)
    # electrolyte: node-valued analytic i_e, mapped to edges by (weighted) arithmetic mean
    i_e_nodes = np.concatenate([i * x_n / L_n, np.full(xm.ss.stop - xm.ss.start, i), i * (L - x_p) / L_p])
    aj = np.concatenate([np.full(x_n.size, i / L_n), np.zeros(xm.ss.stop - xm.ss.start), np.full(x_p.size, -i / L_p)])
    rhs_e = _electrolyte_rhs(p, xm, c_e, xm.cell.arithmetic_edges(i_e_nodes), aj)
    return V, rhs_e, (j_n, j_p)


def _dfn(p, xm, cn, cp, c_e, phi_n, phi_p, phi_e):
    """DFN residuals: particle rhs, electrolyte rhs, three algebraic residuals, voltage."""
    RT_F = p["R"] * p["T"] / p["F"]
    i = p["i"]
    m = xm.cell
    csn, csp = _c_surf(cn), _c_surf(cp)  # one per x node
    c_e_n, c_e_p = c_e[xm.sn], c_e[xm.sp]
    eta_n = phi_n - phi_e[xm.sn] - _U(_U_ref_n, csn / p["cmax_n"])
    eta_p = phi_p - phi_e[xm.sp] - _U(_U_ref_p, csp / p["cmax_p"])
    j_n = 2 * _j0_n(p, c_e_n, csn, "DFN") * np.sinh(0.5 * eta_n / RT_F)
    j_p = 2 * _j0_p(p, c_e_p, csp, "DFN") * np.sinh(0.5 * eta_p / RT_F)
    aj = np.concatenate([p["a_n"] * j_n, np.zeros(xm.ss.stop - xm.ss.start), p["a_p"] * j_p])
    # electrolyte current on edges: arithmetic mean of kappa*tor, harmonic mean of chiRT/(Fc)
    chi = 2 * (1 - p["t_plus"]) * p["tdf"]
    chiRT_Fc = RT_F * chi / np.maximum(c_e, 1e-2)
    grad_c = np.concatenate([[0.0], m.grad_interior(c_e), [0.0]])
    grad_phi = np.concatenate([[0.0], m.grad_interior(phi_e), [0.0]])
    i_e = m.arithmetic_edges(_kappa_e(c_e) * xm.tor) * (m.harmonic_edges(chiRT_Fc) * grad_c - grad_phi)
    res_e = p["L"] ** 2 * (m.div(i_e) - aj)
    rhs_e = _electrolyte_rhs(p, xm, c_e, i_e, aj)
    # solid: Dirichlet phi = 0 at x = 0 (ghost node), Neumann elsewhere; constant sigma
    sig_n = p["sigma_n"] * (1 - p["eps_n"]) ** p["bs_n"]
    sig_p = p["sigma_p"] * (1 - p["eps_p"]) ** p["bs_p"]
    gn = np.concatenate([[(phi_n[0] - (2 * 0.0 - phi_n[0])) / xm.neg.dx[0]], xm.neg.grad_interior(phi_n), [0.0]])
    gp = np.concatenate([[0.0], xm.pos.grad_interior(phi_p), [i / (-sig_p)]])
    res_n = p["L"] ** 2 * (xm.neg.div(-sig_n * gn) + p["a_n"] * j_n)
    res_p = p["L"] ** 2 * (xm.pos.div(-sig_p * gp) + p["a_p"] * j_p)
    V = xm.pos.right_value(phi_p)
    return {
        "rhs_cn": _particle_rhs(cn, p["D_n"], p["R_n"], j_n / p["F"], cn.shape[1]),
        "rhs_cp": _particle_rhs(cp, p["D_p"], p["R_p"], j_p / p["F"], cp.shape[1]),
        "rhs_e": rhs_e,
        "res_n": res_n,
        "res_p": res_p,
        "res_e": res_e,
        "V": V,
    }


def _pybamm_pieces(sim):
    """Discretised rhs / algebraic of the built model keyed by variable name, with the
    y-slices and scales to go between PyBaMM's scaled y and physical values."""
    m = sim.built_model
    out = {}
    for kind, eqs in (("rhs", m.rhs), ("alg", m.algebraic)):
        for var, eq in eqs.items():
            sl = sim._disc.y_slices[var][0]
            out[var.name] = (kind, sl, _evaluate(var.scale), _evaluate(var.reference), eq)
    return out


def _verify_model(name: str, c_rate: float, rng) -> float:
    sim = make_simulation(name, c_rate)
    t_eval, t_interp = time_grid(c_rate, 5.0, type(sim.solver).__name__)
    sol = sim.solve(t_eval, t_interp=t_interp)
    p = _np_params(sim.parameter_values)
    xm = _XMesh(p)
    pieces = _pybamm_pieces(sim)
    pv = sim.parameter_values
    V_expr = sim._disc.process_symbol(pv.process_symbol(sim.built_model.variables["Voltage [V]"]))
    ys = sol.y.full() if hasattr(sol.y, "full") else np.asarray(sol.y)
    worst = 0.0

    def phys(y, key):
        _, sl, scale, ref, _ = pieces[key]
        return ref + scale * y[sl]

    def pyb(y, key):
        kind, _, scale, _, eq = pieces[key]
        return scale * np.asarray(eq.evaluate(0.0, y)).ravel()

    # terms that are ~0 at a solution state are compared relative to their typical size
    s_rhs_e = p["i"] / (p["F"] * p["L_p"])
    s_res = p["L"] ** 2 * p["i"] / p["L_n"]

    def cmp(label, mine, theirs, y_is_perturbed, scale=0.0):
        nonlocal worst
        mine, theirs = np.asarray(mine, float).ravel(), np.asarray(theirs, float).ravel()
        err = np.max(np.abs(mine - theirs)) / max(np.max(np.abs(theirs)), scale, 1e-300)
        worst = max(worst, err)
        tag = "perturbed" if y_is_perturbed else "solution "
        print(f"  {name:4s} {rate_label(c_rate):>4s} {tag} {label:34s} max rel diff {err:.2e}")

    idx = sorted({1, len(sol.t) // 3, 2 * len(sol.t) // 3, len(sol.t) - 1})
    for k in idx:
        y0 = ys[:, k]
        for perturbed in (False, True):
            y = y0.copy()
            if perturbed:  # 0.1 % noise on concentrations, 1 mV on potentials
                for key, (kind, sl, scale, ref, _) in pieces.items():
                    if "potential" in key:
                        y[sl] += 1e-3 * rng.standard_normal(sl.stop - sl.start) / scale
                    elif "capacity" not in key:
                        y[sl] *= 1 + 1e-3 * rng.standard_normal(sl.stop - sl.start)
            if name in ("SPM", "SPMe"):
                cn = phys(y, "X-averaged negative particle concentration [mol.m-3]")[None, :]
                cp = phys(y, "X-averaged positive particle concentration [mol.m-3]")[None, :]
                if name == "SPM":
                    V = _spm_voltage(p, cn[0], cp[0])
                    j_n, j_p = p["i"] / (p["a_n"] * p["L_n"]), -p["i"] / (p["a_p"] * p["L_p"])
                else:
                    c_e = phys(y, "Porosity times concentration [mol.m-3]") / xm.eps
                    V, rhs_e, (j_n, j_p) = _spme(p, xm, cn[0], cp[0], c_e)
                    cmp("d(eps c_e)/dt", rhs_e, pyb(y, "Porosity times concentration [mol.m-3]"), perturbed, s_rhs_e)
                cmp("dc_s,n/dt", _particle_rhs(cn, p["D_n"], p["R_n"], np.array([j_n / p["F"]]), 10),
                    pyb(y, "X-averaged negative particle concentration [mol.m-3]"), perturbed)
                cmp("dc_s,p/dt", _particle_rhs(cp, p["D_p"], p["R_p"], np.array([j_p / p["F"]]), 10),
                    pyb(y, "X-averaged positive particle concentration [mol.m-3]"), perturbed)
            else:
                cn = phys(y, "Negative particle concentration [mol.m-3]").reshape(10, 10)  # (x, r)
                cp = phys(y, "Positive particle concentration [mol.m-3]").reshape(10, 10)
                c_e = phys(y, "Porosity times concentration [mol.m-3]") / xm.eps
                r = _dfn(p, xm, cn, cp, c_e, phys(y, "Negative electrode potential [V]"),
                         phys(y, "Positive electrode potential [V]"), phys(y, "Electrolyte potential [V]"))
                V = r["V"]
                cmp("dc_s,n/dt", r["rhs_cn"], pyb(y, "Negative particle concentration [mol.m-3]"), perturbed)
                cmp("dc_s,p/dt", r["rhs_cp"], pyb(y, "Positive particle concentration [mol.m-3]"), perturbed)
                cmp("d(eps c_e)/dt", r["rhs_e"], pyb(y, "Porosity times concentration [mol.m-3]"), perturbed, s_rhs_e)
                cmp("residual phi_s,n", r["res_n"], pyb(y, "Negative electrode potential [V]"), perturbed, s_res)
                cmp("residual phi_s,p", r["res_p"], pyb(y, "Positive electrode potential [V]"), perturbed, s_res)
                cmp("residual phi_e", r["res_e"], pyb(y, "Electrolyte potential [V]"), perturbed, s_res)
            cmp("Voltage [V]", V, np.asarray(V_expr.evaluate(0.0, y)).ravel(), perturbed)
            cmp("dQ/dt [A.h/s]", p["I"] / 3600, pyb(y, "Discharge capacity [A.h]"), perturbed)
    return worst


def verify_all() -> int:
    rng = np.random.default_rng(20200801)
    worst = 0.0
    for name in MODELS:
        for c_rate in (1.0, 2.0):
            worst = max(worst, _verify_model(name, c_rate, rng))
    ok = worst < 1e-9
    print(f"verify: worst relative difference {worst:.2e}: {'OK' if ok else 'MISMATCH'}")
    return 0 if ok else 1


# --------------------------------------------------------------------------- main


def outputs_up_to_date(outdir: Path, models, rates, dt: float) -> bool:
    """True when every file this run would write exists, is newer than this script, and was made
    by the same PyBaMM version with the same output spacing (so ctest reruns cost ~nothing)."""
    script_mtime = Path(__file__).stat().st_mtime
    files = [outdir / "summary.json"]
    for name in models:
        for c_rate in rates:
            label = f"{name.lower()}_{rate_label(c_rate)}"
            files += [outdir / f"{label}.csv", outdir / f"{label}.json"]
    try:
        if any(f.stat().st_mtime <= script_mtime for f in files):
            return False
        for f in files[2::2]:  # the case JSONs
            rec = json.loads(f.read_text())
            if rec.get("pybamm_version") != pybamm.__version__ or rec.get("output_dt_s") != dt:
                return False
    except (OSError, ValueError):
        return False
    return True


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("outdir", nargs="?", help="folder for the CSV and JSON files (created)")
    ap.add_argument("--models", nargs="+", default=list(MODELS), choices=MODELS)
    ap.add_argument("--rates", nargs="+", type=float, default=list(RATES), help="C-rates (1C = 5 A)")
    ap.add_argument("--dt", type=float, default=5.0, help="output spacing in seconds (default 5)")
    ap.add_argument("--timing", action="store_true", help="time the 1C DFN and print JSON")
    ap.add_argument("--repeats", type=int, default=10, help="repeats for --timing (median reported)")
    ap.add_argument("--rtol", type=float, default=RTOL, help=f"relative tolerance for --timing (default {RTOL:g})")
    ap.add_argument("--atol", type=float, default=ATOL, help=f"absolute tolerance for --timing (default {ATOL:g})")
    ap.add_argument("--verify", action="store_true", help="check docs/pybamm-conventions.md numerically")
    ap.add_argument("--force", action="store_true", help="rewrite OUTDIR even when its files are up to date")
    args = ap.parse_args(argv)

    if args.verify:
        return verify_all()
    if args.timing:
        print(json.dumps(run_timing(args.repeats, args.dt, args.rtol, args.atol), indent=1))
        return 0
    if not args.outdir:
        ap.error("OUTDIR is required unless --timing or --verify is given")

    outdir = Path(args.outdir)
    if not args.force and outputs_up_to_date(outdir, args.models, args.rates, args.dt):
        print(f"pybamm_reference: {outdir} is up to date (newer than {Path(__file__).name}; --force to rewrite)")
        return 0
    outdir.mkdir(parents=True, exist_ok=True)
    summaries = []
    for name in args.models:
        for c_rate in args.rates:
            s = run_case(name, c_rate, outdir, args.dt)
            summaries.append(
                {k: s[k] for k in ("model", "c_rate", "final_discharge_capacity_Ah", "final_time_s", "final_voltage_V", "initial_voltage_V", "wall_time_s")}
            )
            print(
                f"{name:5s} {rate_label(c_rate):>5s}: Q = {s['final_discharge_capacity_Ah']:.6f} A.h, "
                f"t = {s['final_time_s']:.2f} s, V_end = {s['final_voltage_V']:.6f} V, "
                f"V_0 = {s['initial_voltage_V']:.6f} V ({s['wall_time_s']:.2f} s)"
            )
    (outdir / "summary.json").write_text(
        json.dumps({"pybamm_version": pybamm.__version__, "cases": summaries}, indent=1) + "\n"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
