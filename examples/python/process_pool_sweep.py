"""A small design study on all cores with a process pool: cells and models pickle, so they travel to workers.

    python examples/python/process_pool_sweep.py
"""
from concurrent.futures import ProcessPoolExecutor

import numpy as np

import solidcell as sc


def capacity_at(args):
    cell, c_rate = args
    sol = sc.run(cell, f"Discharge at {c_rate}C until 3.0 V", model="dfn")
    return c_rate, sol.discharge_capacity_Ah[-1]


if __name__ == "__main__":
    cell = sc.load_cell("assb-sulfide-li")
    cases = [(cell, float(c)) for c in np.round(np.linspace(0.2, 3.0, 8), 2)]
    with ProcessPoolExecutor() as pool:
        for c_rate, q in pool.map(capacity_at, cases):
            print(f"{c_rate:4.2f}C: {q:6.2f} A.h")
