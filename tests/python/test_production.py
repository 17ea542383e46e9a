"""The pilot line and variability from Python: the CLI's numbers, arrays per cell."""
import json
import subprocess

import numpy as np
import pytest

import solidcell as sc


def test_line_matches_the_cli(cli):
    py = sc.line("sulfide-assb-pilot", period="30d", seed=3)
    out = subprocess.run([cli, "line", "sulfide-assb-pilot", "--period", "30d", "--seed", "3", "--json"], capture_output=True, text=True,
                         check=True).stdout
    ref = json.loads(out)
    for key in ("cells_per_year", "gwh_per_year", "bottleneck", "yield", "cost_per_kWh_usd"):
        assert py[key] == ref[key], key


def test_variability_arrays_and_bins():
    v = sc.variability(sc.load_cell("assb-sulfide-li"), n=2000, seed=5, threads=2)
    cap = v.design_capacity_Ah
    assert cap.shape == (2000,)
    assert np.all(np.isfinite(v.model_capacity_Ah))
    counts = np.bincount(v.bin, minlength=len(v.bin_names))
    assert counts.sum() == 2000
    s = v.summary()
    assert s["yield"] == pytest.approx(v.yield_)
    # The same seed gives the same cells, whatever the thread count.
    w = sc.variability(sc.load_cell("assb-sulfide-li"), n=2000, seed=5, threads=1)
    assert np.array_equal(w.design_capacity_Ah, cap)
    with pytest.raises(sc.InputError) as e:
        sc.variability(sc.load_cell("assb-sulfide-li"), n=0)
    assert e.value.field == "n"


def test_variability_pickles_for_process_pools():
    import pickle

    v = sc.variability(sc.load_cell("assb-sulfide-li"), n=300, seed=2, threads=1)
    again = pickle.loads(pickle.dumps(v))
    assert again.summary() == v.summary()
    assert again.cells == v.cells and again.yield_ == v.yield_ and again.bin_names == v.bin_names
    for name in ("design_capacity_Ah", "energy_Wh", "mass_kg", "model_capacity_Ah", "resistance_ohm", "positive_thickness_m"):
        assert np.array_equal(getattr(again, name), getattr(v, name), equal_nan=True), name
    assert np.array_equal(again.bin, v.bin)
