"""Ageing from Python: a fast-charge cycling study of the LG M50 with SEI growth, lithium plating and loss of
active material, and a year of driving in Berlin for the sulfide lithium cell beside the liquid baseline.

    python examples/python/ageing_and_year.py
"""
import solidcell as sc

if __name__ == "__main__":
    fast = "Discharge at 1C until 2.5 V, Charge at 2C until 4.2 V, Hold at 4.2 V until C/20"
    study = sc.age("lgm50", fast, 30, plating="irreversible", lam="stress-driven", temperature_C=10.0)
    print(study.degradation)
    for name in ("SEI", "lithium plating", "loss of active material"):
        print(f"  share of the capacity lost to {name}: {study['Share of capacity lost: ' + name][-1]:.2f}")
    print(f"  retention after {len(study.capacity_retention)} cycles: {study.capacity_retention[-1]:.4f}")

    for cell in ("assb-sulfide-li", "liquid-ncm811-graphite"):
        year = sc.year(cell, climate="berlin")
        coldest = year["ambient_K"].min() - 273.15
        print(f"{cell}: {year.capacity_retention_end:.4f} of its capacity after a Berlin year (coldest day {coldest:.1f} C), "
              f"range {year.range_start_km:.0f} -> {year.range_end_km:.0f} km")
