"""Discharge curves of the solid-state cell and the liquid baseline, and a particle-size study on one built model.

    python examples/python/discharge_and_inputs.py            (after `pip install .`)
"""
import numpy as np

import solidcell as sc

for name in ("assb-sulfide-li", "liquid-ncm811-graphite"):
    cell = sc.load_cell(name)
    fig = cell.design()
    sol = sc.run(cell, "Discharge at 1C until 2.8 V")
    print(f"{name:24s} {fig['specific_energy_Wh_per_kg']:6.1f} Wh/kg  {fig['energy_density_Wh_per_L']:6.1f} Wh/L  "
          f"1C: {sol.discharge_capacity_Ah[-1]:.2f} A.h, mean {np.mean(sol.voltage_V):.3f} V, {len(sol)} rows")

# One model, many solves: inputs change without rebuilding (PyBaMM's parameter names).
model = sc.Model(sc.load_cell("lgm50"), "dfn")
for radius in (3e-6, 5.86e-6, 9e-6):
    model.set_input("Negative particle radius [m]", radius)
    sol = model.run("Discharge at 2C until 2.5 V")
    print(f"negative particle radius {radius * 1e6:4.1f} um: {sol.discharge_capacity_Ah[-1]:.3f} A.h at 2C")
