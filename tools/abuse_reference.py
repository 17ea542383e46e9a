#!/usr/bin/env python3
"""Independent reference for solidcell's lumped thermal-runaway model: Kim, Pesaran and Spotnitz 2007's four
reactions in an LiCoO2 18650 (r 9 mm, L 65 mm, rho c_p 2.14e6 J/(m3 K), natural convection 7.17 W/(m2 K),
emissivity 0.8) taken from 25 C into an oven at a constant temperature, written out here with SciPy's BDF
(solve_ivp) from the equations of the paper, not from solidcell's code or data files. Used by
tests/crosscheck (onset time and peak temperature) and bench/run_abuse_bench.sh (timing).

    .venv/bin/python tools/abuse_reference.py 150 155 160          # JSON: onset and peak per oven temperature
    .venv/bin/python tools/abuse_reference.py --timing 155          # JSON: median wall time of one solve
    .venv/bin/python tools/abuse_reference.py 150 -o ref.json       # to a file
"""
import argparse
import json
import math
import statistics
import sys
import time

import numpy as np
from scipy.integrate import solve_ivp

R = 8.314462618
SIGMA = 5.670374419e-8
RADIUS, LENGTH = 0.009, 0.065
VOLUME = math.pi * RADIUS**2 * LENGTH
AREA = 2 * math.pi * RADIUS * LENGTH + 2 * math.pi * RADIUS**2
RHO_CP = 2.14e6  # J/(m3 K)
H_CONV, EMISSIVITY = 7.17, 0.8
# Kim 2007 Table 1: A [1/s], Ea [J/mol], H [J/g], W [g/m3]
SEI = (1.667e15, 1.3508e5, 257.0, 6.104e5)
NE = (2.5e13, 1.3508e5, 1714.0, 6.104e5)
PE = (6.667e13, 1.396e5, 314.0, 1.221e6)
EL = (5.14e25, 2.74e5, 155.0, 4.069e5)
T_SEI_REF = 0.033
Y0 = [0.15, 0.75, 0.033, 0.04, 1.0]  # c_sei, c_ne, t_sei, alpha, c_e


def rhs(t, y, oven_K):
    c_sei, c_ne, t_sei, alpha, c_e, T = y
    r_sei = SEI[0] * math.exp(-SEI[1] / (R * T)) * max(c_sei, 0.0)
    r_ne = NE[0] * math.exp(-t_sei / T_SEI_REF) * math.exp(-NE[1] / (R * T)) * max(c_ne, 0.0)
    r_pe = PE[0] * max(alpha, 0.0) * max(1.0 - alpha, 0.0) * math.exp(-PE[1] / (R * T))
    r_e = EL[0] * math.exp(-EL[1] / (R * T)) * max(c_e, 0.0)
    q = SEI[2] * SEI[3] * r_sei + NE[2] * NE[3] * r_ne + PE[2] * PE[3] * r_pe + EL[2] * EL[3] * r_e  # W/m3
    loss = H_CONV * AREA * (oven_K - T) + EMISSIVITY * SIGMA * AREA * (oven_K**4 - T**4)
    dT = (q * VOLUME + loss) / (RHO_CP * VOLUME)
    return [-r_sei, -r_ne, r_ne, r_pe, -r_e, dT]


def solve(oven_C, hours=4.0, rtol=1e-6):
    oven_K = oven_C + 273.15
    sol = solve_ivp(rhs, (0.0, hours * 3600.0), Y0 + [298.15], method="BDF", rtol=rtol, atol=1e-9, args=(oven_K,), dense_output=False)
    t, T = sol.t, sol.y[5]
    rate = np.array([rhs(tt, yy, oven_K)[5] for tt, yy in zip(t, sol.y.T)])
    # GB 38031-2025 App. C: dT/dt >= 1 C/s for more than 3 s (here with T far above any operating limit).
    onset = None
    start = None
    for k in range(len(t)):
        above = rate[k] >= 1.0
        if above and start is None:
            start = t[k] if k == 0 else t[k - 1] + (1.0 - rate[k - 1]) / (rate[k] - rate[k - 1]) * (t[k] - t[k - 1])
        if start is not None:
            end = t[k] if above else t[k - 1] + (rate[k - 1] - 1.0) / (rate[k - 1] - rate[k]) * (t[k] - t[k - 1])
            if end - start > 3.0:
                onset = start
                break
            if not above:
                start = None
    return {"oven_C": oven_C, "runaway": onset is not None, "onset_s": onset, "peak_C": float(T.max() - 273.15), "steps": int(len(t))}


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("ovens", nargs="+", type=float, help="oven temperatures [C]")
    ap.add_argument("--timing", action="store_true", help="time one solve per oven temperature (median of --repeats)")
    ap.add_argument("--repeats", type=int, default=10)
    ap.add_argument("-o", "--output", help="write the JSON here instead of standard output")
    args = ap.parse_args(argv)
    out = []
    for oven in args.ovens:
        result = solve(oven)
        if args.timing:
            times = []
            for _ in range(args.repeats):
                t0 = time.perf_counter()
                solve(oven)
                times.append(time.perf_counter() - t0)
            result["solve_s_median"] = statistics.median(times)
        out.append(result)
    import scipy

    text = json.dumps({"scipy_version": scipy.__version__, "cases": out}, indent=1) + "\n"
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
    else:
        sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
