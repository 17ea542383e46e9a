"""Abuse tests from Python give what `solidcell abuse --json` gives, with the trace as numpy arrays."""
import json
import pickle
import subprocess

import numpy as np
import pytest

import solidcell as sc


def test_heating_test_matches_the_cli(cli, tmp_path):
    r = sc.abuse("liquid-ncm811-graphite", "heating")
    out = subprocess.run([cli, "abuse", "liquid-ncm811-graphite", "--test", "heating", "--json", "-o", str(tmp_path / "a")],
                         capture_output=True, text=True, check=True).stdout
    ref = json.loads(out)
    ref = ref[0] if isinstance(ref, list) else ref
    s = r.summary()
    for key in ("thermal_runaway", "eucar_level", "verdict", "onset_time_s"):
        assert s[key] == ref[key], key
    assert s["peak_temperature_C"] == pytest.approx(ref["peak_temperature_C"], rel=1e-9)
    assert s["heat_released_kJ"] == pytest.approx(ref["heat_released_kJ"], rel=1e-9)


def test_trace_and_heat_bookkeeping():
    r = sc.abuse(sc.load_cell("assb-sulfide-li"), "heating")
    t, T = r.time_s, r.temperature_K
    assert t.shape == T.shape and np.all(np.diff(t) > 0)
    assert r.peak_temperature_C == pytest.approx(T.max() - 273.15, abs=1e-9)
    # GB 38031 heating: the chamber reaches 130 C (5 C/min) and holds; the sulfide cell passes (docs/abuse.md).
    assert r.surroundings_K.max() == pytest.approx(130.0 + 273.15, abs=0.5)
    assert r.passed
    total = sum(r.reaction_heat_kJ.values())
    assert total == pytest.approx(r.summary()["heat_released_kJ"], rel=1e-6, abs=1e-9)
    again = pickle.loads(pickle.dumps(r))
    assert np.array_equal(again.temperature_K, r.temperature_K)
    assert again.summary() == r.summary()


def test_matrix_runs_every_test_and_unknown_test_is_an_error():
    m = sc.abuse_matrix("liquid-ncm811-graphite")
    assert list(m) == sc.abuse_tests()
    verdicts = {k: (v.summary()["verdict"] if not isinstance(v, str) else v) for k, v in m.items()}
    # The liquid pouch's built-in matrix (docs/abuse.md): fails the nail only.
    assert verdicts["nail"] == "fail"
    assert all(verdicts[k] == "pass" for k in ("heating", "overcharge", "crush", "short"))
    with pytest.raises(sc.InputError):
        sc.abuse("liquid-ncm811-graphite", "drop")
    with pytest.raises(sc.InputError) as e:
        sc.abuse("liquid-ncm811-graphite", "heating", soc=2.0)
    assert e.value.field == "soc"


def test_crush_in_3d_matches_the_cli_and_is_hotter_than_the_lumped_crush(cli, tmp_path):
    # GB/T 31485's 30 % crush fails the liquid pouch's separator; in 3D the short's heat stays in the crushed strip.
    r = sc.abuse("liquid-ncm811-graphite", "crush", standard="gbt31485-2015", three_d=True, grid=(12, 4, 4))
    out = subprocess.run([cli, "abuse", "liquid-ncm811-graphite", "--test", "crush", "--standard", "gbt31485-2015", "--3d",
                          "--grid", "12x4x4", "--json", "-o", str(tmp_path / "c")], capture_output=True, text=True, check=True).stdout
    ref = json.loads(out)
    ref = ref[0] if isinstance(ref, list) else ref
    s = r.summary()
    for key in ("thermal_runaway", "eucar_level", "verdict"):
        assert s[key] == ref[key], key
    assert s["peak_temperature_C"] == pytest.approx(ref["peak_temperature_C"], rel=1e-9)
    lumped = sc.abuse("liquid-ncm811-graphite", "crush", standard="gbt31485-2015")
    assert r.peak_temperature_C > lumped.peak_temperature_C
    # The indenter and the base took heat (3D only), kept through pickling.
    assert s["heat_to_contact_bodies_kJ"] == pytest.approx(ref["heat_to_contact_bodies_kJ"], rel=1e-9)
    assert "heat_to_contact_bodies_kJ" not in lumped.summary()
    assert pickle.loads(pickle.dumps(r)).summary() == s
    with pytest.raises(sc.InputError) as e:
        sc.abuse("lgm50", "nail", nail_position=(0.5, 1.0))
    assert e.value.field == "nail.position_y_fraction"
    # Off the axis the chord meets the jelly roll further in: the first short comes later than through the axis.
    axis = sc.abuse("lgm50", "nail", grid=(6, 4, 4))
    off = sc.abuse("lgm50", "nail", nail_position=(0.5, 0.8), grid=(6, 4, 4))
    assert off.summary()["short_circuit_onset_s"] > axis.summary()["short_circuit_onset_s"] > 0.0
