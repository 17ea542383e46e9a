"""One year of the 0.2 GWh/yr sulfide pilot line and the spread of 20,000 of its cells.

    python examples/python/production_line.py
"""
import numpy as np

import solidcell as sc

year = sc.line("sulfide-assb-pilot")
print(f"{year['gwh_per_year']:.3f} GWh/yr, yield {year['yield']:.1%}, bottleneck {year['bottleneck']}, "
      f"{year['cost_per_kWh_usd']:.0f} USD/kWh")

v = sc.variability(sc.load_cell("assb-sulfide-li"), n=20000, seed=1)
q = v.model_capacity_Ah
print(f"1C capacity {q.mean():.3f} +- {q.std():.3f} A.h (p01 {np.percentile(q, 1):.3f}, p99 {np.percentile(q, 99):.3f}); "
      f"in specification {v.yield_:.1%}")
