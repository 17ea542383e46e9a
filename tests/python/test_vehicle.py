"""Driving from Python: the numbers of `solidcell drive`, and the solid-state pack of the same volume."""
import json
import subprocess

import numpy as np
import pytest

import solidcell as sc


def test_drive_matches_the_cli(cli):
    r = sc.drive(cycle="nedc")
    out = subprocess.run([cli, "drive", "--cycle", "nedc", "--json"], capture_output=True, text=True, check=True).stdout
    ref = json.loads(out)["results"][0]
    s = r.summary()
    assert s["consumption_kWh_per_100km"] == pytest.approx(ref["consumption_kWh_per_100km"], rel=1e-12)
    assert s["range_km"] == pytest.approx(ref["range_km"], rel=1e-12)
    assert s["pack"] == ref["pack"]


def test_same_volume_solid_state_pack_drives_further():
    liquid = sc.drive(cycle="nedc")
    solid = sc.drive("assb-sulfide-li", cycle="nedc", match="volume")
    ls, ss = liquid.summary(), solid.summary()
    assert ss["pack"]["volume_L"] <= ls["pack"]["volume_L"] * (1 + 1e-12)
    assert ss["pack"]["energy_kWh"] > ls["pack"]["energy_kWh"]
    assert solid.range_km > liquid.range_km
    # The cell series: the speed trace and a cell current that follows it; charge throughput by the current.
    t, i = solid.time_s, solid.cell_current_A
    assert t.shape == i.shape and solid.speed_mps.max() == pytest.approx(120 / 3.6, rel=1e-3)
    throughput = np.sum(0.5 * (np.abs(i[1:]) + np.abs(i[:-1])) * np.diff(t)) / 3600.0
    assert throughput == pytest.approx(ss["cell_charge_throughput_Ah"], rel=2e-2)


def test_bad_vehicle_input_names_the_field():
    with pytest.raises(sc.InputError) as e:
        sc.drive(cycle="nedc", temperature_C=99.0)
    assert e.value.field == "temperature_C"
    with pytest.raises(sc.InputError):
        sc.drive(cycle="no-such-cycle")


def test_drive_result_pickles():
    import pickle

    r = sc.drive(cycle="nedc")
    again = pickle.loads(pickle.dumps(r))
    assert again.summary() == r.summary()
    assert np.array_equal(again.cell_current_A, r.cell_current_A)


def test_year_matches_the_cli_and_pickles(cli):
    import pickle

    y = sc.year("liquid-ncm811-graphite", days=10, km_per_day=60.0)
    out = subprocess.run([cli, "year", "liquid-ncm811-graphite", "--days", "10", "--km-per-day", "60", "--json"], capture_output=True,
                         text=True, check=True).stdout
    ref = json.loads(out)
    s = y.summary()
    assert s["capacity_retention"] == pytest.approx(ref["capacity_retention"], rel=1e-12)
    assert s["range_end_km"] == pytest.approx(ref["range_end_km"], rel=1e-12)
    assert s["pack"] == ref["pack"] and s["days"] == 10
    # Per-day columns as numpy arrays; the SEI takes lithium every day, so capacity only falls.
    retention = y["capacity_retention"]
    assert retention.shape == (10,) and retention[0] == 1.0
    assert np.all(np.diff(retention) <= 1e-12) and retention[-1] < 1.0
    assert np.all(np.diff(y["lithium_lost_to_sei_mol"]) > 0)
    assert y.capacity_retention_end == retention[-1]
    again = pickle.loads(pickle.dumps(y))
    assert again.summary() == s and np.array_equal(again["capacity_retention"], retention)
    with pytest.raises(sc.InputError) as e:
        sc.year("liquid-ncm811-graphite", days=3, charge="overnight")
    assert "charge" in e.value.field
