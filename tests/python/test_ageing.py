"""Ageing from Python: the retention of `solidcell age`, SEI for the liquid cell, lithium inventory for the
anode-free one, and errors naming the setting."""
import json
import subprocess

import numpy as np
import pytest

import solidcell as sc

CYCLE = "Discharge at 1C until 2.5 V, Charge at 0.3C until 4.2 V, Hold at 4.2 V until C/20"


def test_sei_study_matches_the_cli(cli, tmp_path):
    study = sc.age("lgm50", CYCLE, 10, mesh=5)
    out = subprocess.run([cli, "age", "lgm50", "--experiment", CYCLE, "--cycles", "10", "--mesh", "5", "--json", "-o", str(tmp_path / "a")],
                         capture_output=True, text=True, check=True).stdout
    ref = json.loads(out)
    assert np.allclose(study.capacity_retention, ref["capacity_retention"], rtol=0, atol=1e-12)
    assert study.degradation.startswith("SEI")
    # SEI grows and takes lithium every cycle; the bookkeeping (cyclable + SEI lithium) closes.
    sei = study["Loss of lithium to negative SEI [mol]"]
    assert np.all(np.diff(sei) > 0)
    total = study["Total lithium [mol]"]
    assert np.max(np.abs(total - total[0])) < 1e-7 * total[0]
    assert study.capacity_retention[-1] < 1.0


def test_anode_free_fade_is_lithium_inventory():
    study = sc.age("assb-sulfide-anodefree", "Charge at C/5 until 4.3 V, Discharge at C/5 until 2.5 V", 8, soc=0.0, mesh=5)
    assert study.degradation == "solid-state fade"
    share = study["Share of capacity lost: lithium inventory"][-1]
    assert share > 0.5
    assert study.capacity_retention[-1] < study.capacity_retention[1]


def test_bad_settings_name_the_field():
    with pytest.raises(sc.InputError) as e:
        sc.age("lgm50", CYCLE, 2, sei="fast")
    assert e.value.field == "sei"
    with pytest.raises(sc.InputError) as e:
        sc.age("lgm50", CYCLE, 0)
    assert e.value.field == "cycles"
    with pytest.raises(sc.InputError) as e:
        sc.age("lgm50", CYCLE, 2, stack_pressure_MPa=10.0)
    assert "stack-pressure-MPa" in e.value.field


def test_study_pickles():
    import pickle

    study = sc.age("lgm50", CYCLE, 3, mesh=5)
    again = pickle.loads(pickle.dumps(study))
    assert again.keys() == study.keys()
    assert np.array_equal(again.capacity_retention, study.capacity_retention)
    assert again.degradation == study.degradation


def test_plating_and_lam_match_the_cli(cli, tmp_path):
    fast = "Discharge at 1C until 2.5 V, Charge at 2C until 4.2 V, Hold at 4.2 V until C/20"
    study = sc.age("lgm50", fast, 3, plating="irreversible", lam="stress-driven")
    out = subprocess.run([cli, "age", "lgm50", "--experiment", fast, "--cycles", "3", "--plating", "irreversible", "--lam", "stress-driven",
                          "--json", "-o", str(tmp_path / "p")], capture_output=True, text=True, check=True).stdout
    ref = json.loads(out)
    assert np.allclose(study.capacity_retention, ref["capacity_retention"], rtol=0, atol=1e-12)
    last = ref["last_cycle"]
    plated = study["Loss of lithium to negative lithium plating [mol]"]
    assert plated[-1] == pytest.approx(last["lithium_lost_to_plating_mol"], rel=1e-12)
    assert np.all(np.diff(plated) > 0)  # irreversible: every fast charge plates more
    neg = study["X-averaged negative electrode active material volume fraction"]
    assert neg[-1] == pytest.approx(last["negative_active_material_fraction"], rel=1e-12) and neg[-1] < neg[0]
    assert study["Share of capacity lost: lithium plating"][-1] > 0.5
    with pytest.raises(sc.InputError) as e:
        sc.age("lgm50", fast, 2, plating="sometimes")
    assert "plating" in e.value.field


def test_a_cell_copied_through_its_toml_text_still_ages():
    copy = sc.cell_from_toml(sc.load_cell("liquid-ncm811-graphite").to_toml(), "copy.toml")
    study = sc.age(copy, CYCLE, 2, mesh=5)
    assert study.degradation.startswith("SEI")
    assert study["Loss of lithium to negative SEI [mol]"][-1] > 0
