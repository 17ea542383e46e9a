"""Experiments from Python: the same numbers as the CLI, numpy views without copies, inputs without rebuilds,
conservation, pickling for process pools, and errors."""
import csv
import pickle
import subprocess
from concurrent.futures import ProcessPoolExecutor, ThreadPoolExecutor
from pathlib import Path

import numpy as np
import pytest

import solidcell as sc

DISCHARGE = "Discharge at 1C until 2.5 V"


def test_discharge_equals_the_cli_run(cli, tmp_path):
    sol = sc.run("lgm50", DISCHARGE, model="dfn")
    subprocess.run([cli, "run", "lgm50", "--experiment", DISCHARGE, "-o", str(tmp_path / "run")], check=True, capture_output=True)
    with open(tmp_path / "run" / "solution.csv") as f:
        rows = list(csv.DictReader(f))
    v_cli = np.array([float(r["Voltage [V]"]) for r in rows])
    q_cli = np.array([float(r["Discharge capacity [A.h]"]) for r in rows])
    assert len(sol) == len(rows)
    # Same library, same inputs: identical up to the CSV's printed digits.
    assert np.max(np.abs(sol["Voltage [V]"] - v_cli)) < 1e-9
    assert sol.discharge_capacity_Ah[-1] == pytest.approx(q_cli[-1], rel=1e-9)
    # The LG M50's 1C capacity (Chen 2020: 5 A.h nominal), as the C++ cross-check against PyBaMM finds it.
    assert 4.7 < sol.discharge_capacity_Ah[-1] < 5.1
    assert sol.steps[0]["ended_by"].startswith("until")
    assert sol.failure is None


def test_arrays_are_views_kept_alive_by_the_array():
    sol = sc.run("lgm50", DISCHARGE, model="spme")
    v = sol["Voltage [V]"]
    assert v.base is not None  # a view of the C++ vector, not a copy
    assert not v.flags.writeable
    w = sol.voltage_V
    assert np.shares_memory(v, w)  # both views of one buffer
    del sol
    assert np.all(np.isfinite(v)) and v[0] > v[-1]  # still valid: the array keeps the solution alive


def test_model_is_built_once_and_inputs_change_the_answer():
    m = sc.Model(sc.load_cell("lgm50"), "dfn", thermal=False)
    assert "Negative particle radius [m]" in m.input_names()
    base = m.run(DISCHARGE)
    r0 = m.get_input("Negative particle radius [m]")
    m.set_input("Negative particle radius [m]", 2.0 * r0)
    slower = m.run(DISCHARGE)
    # Larger particles: more diffusion polarisation, less capacity to the cut-off.
    assert slower.discharge_capacity_Ah[-1] < base.discharge_capacity_Ah[-1]
    m.set_input("Negative particle radius [m]", r0)
    again = m.run(DISCHARGE)
    assert again.discharge_capacity_Ah[-1] == pytest.approx(base.discharge_capacity_Ah[-1], rel=1e-10)


def test_lithium_is_conserved_and_charge_integrates_the_current():
    sol = sc.run("assb-sulfide-li", "Discharge at 0.5C until 3.0 V, Rest for 10 minutes, Charge at 0.5C until 4.2 V")
    start, end = sol.lithium_moles
    assert end == pytest.approx(start, rel=1e-6)
    q = np.concatenate([[0.0], np.cumsum(0.5 * (sol.current_A[1:] + sol.current_A[:-1]) * np.diff(sol.time_s))]) / 3600.0
    assert np.max(np.abs(q - sol.discharge_capacity_Ah)) < 1e-3 * np.max(np.abs(sol.discharge_capacity_Ah))
    assert [s["number"] for s in sol.steps] == [1, 2, 3]


def test_solution_and_model_pickle():
    m = sc.Model(sc.load_cell("lgm50"), "spme")
    m.set_input("Negative particle radius [m]", 6e-6)
    m2 = pickle.loads(pickle.dumps(m))
    assert m2.get_input("Negative particle radius [m]") == 6e-6
    sol = m.run(DISCHARGE)
    sol2 = pickle.loads(pickle.dumps(sol))
    assert np.array_equal(sol2["Voltage [V]"], sol["Voltage [V]"])
    assert sol2.steps == sol.steps
    assert sol2.profile(-1)["x [m]"].shape == sol.profile(-1)["x [m]"].shape


def _capacity(args):
    cell, radius = args
    m = sc.Model(cell, "spme")
    m.set_input("Negative particle radius [m]", radius)
    return m.run(DISCHARGE).discharge_capacity_Ah[-1]


def test_process_and_thread_pools_agree_with_a_loop():
    cell = sc.load_cell("lgm50")
    cases = [(cell, r) for r in (4e-6, 5.86e-6, 8e-6)]
    serial = [_capacity(c) for c in cases]
    with ProcessPoolExecutor(2) as pool:
        processes = list(pool.map(_capacity, cases))
    with ThreadPoolExecutor(2) as pool:  # solves release the GIL
        threads = list(pool.map(_capacity, cases))
    assert processes == serial
    assert threads == serial


def test_dataframe_and_parquet(tmp_path):
    pd = pytest.importorskip("pandas")
    df = sc.to_dataframe(sc.run("lgm50", DISCHARGE, model="spm"))
    assert list(df.columns)[:3] == ["Time [s]", "Current [A]", "Voltage [V]"]
    assert isinstance(df, pd.DataFrame)


@pytest.mark.parametrize(
    "kwargs, field",
    [({"soc": 1.5}, "soc"), ({"temperature_C": 500.0}, "temperature_C"), ({"solver": "rk4"}, "solver"), ({"model": "p2d"}, "model")],
)
def test_bad_settings_name_the_field(kwargs, field):
    with pytest.raises(sc.InputError) as e:
        sc.run("lgm50", DISCHARGE, **kwargs)
    assert e.value.field == field


def test_bad_experiment_and_input_are_clear_errors():
    with pytest.raises(sc.InputError) as e:
        sc.run("lgm50", "Discharge at 1C until")
    assert "experiment" in str(e.value)
    m = sc.Model(sc.load_cell("lgm50"), "dfn")
    with pytest.raises(sc.InputError) as e:
        m.set_input("Negative particle radius [m]", -1.0)
    assert "Negative particle radius" in str(e.value)
    with pytest.raises(sc.InputError):
        m.set_input("No such parameter [m]", 1.0)
    with pytest.raises(KeyError):
        sc.run("lgm50", DISCHARGE, model="spm")["Voltage [mV]"]
