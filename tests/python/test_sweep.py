"""Sweeps from Python: the runner of `solidcell sweep`, its summary as a DataFrame, and resume."""
import pytest

import solidcell as sc

SPEC = """
[sweep]
name = "py-design-grid"
study = "design"
method = "grid"

[study]
cell = "assb-sulfide-li"

[[parameter]]
name = "positive.areal_capacity_mAh_per_cm2"
values = [2.0, 3.0, 4.0]

[outputs]
summary = ["Capacity [A.h]", "Specific energy [W.h.kg-1]"]
"""


def test_design_sweep_and_resume(tmp_path):
    pd = pytest.importorskip("pandas")
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    out = tmp_path / "out"
    report = sc.sweep(str(spec), output=str(out), threads=2)
    assert report["complete"] and report["cases"] == 3 and report["failed"] == 0
    df = sc.sweep_summary(str(out))
    assert isinstance(df, pd.DataFrame) and len(df) == 3
    cap = df.filter(like="Capacity").iloc[:, 0].to_numpy()
    # Capacity is proportional to the cathode's areal capacity (same area): 2 : 3 : 4.
    assert cap[1] / cap[0] == pytest.approx(1.5, rel=1e-9)
    assert cap[2] / cap[0] == pytest.approx(2.0, rel=1e-9)
    # Parquet from Python holds the same table.
    pytest.importorskip("pyarrow")
    sc.sweep_summary(str(out), parquet=str(tmp_path / "summary.parquet"))
    back = pd.read_parquet(tmp_path / "summary.parquet")
    assert back.equals(df)
    again = sc.sweep(str(spec), output=str(out), resume=True)
    assert again["ran"] == 0 and again["already_done"] == 3


def test_malformed_spec_names_the_field(tmp_path):
    spec = tmp_path / "bad.toml"
    spec.write_text(SPEC.replace('method = "grid"', 'method = "latin"'))
    with pytest.raises(sc.InputError) as e:
        sc.sweep(str(spec), output=str(tmp_path / "o"))
    assert e.value.field == "sweep.method" and e.value.line == 5


AGEING_SPEC = """
[sweep]
name = "py-ageing"
study = "ageing"
method = "grid"
[study]
cell = "liquid-ncm811-graphite"
experiment = "Discharge at 1C until 2.5 V, Charge at 0.5C until 4.2 V, Hold at 4.2 V until C/20"
cycles = 3
[[parameter]]
name = "ambient_temperature_K"
values = [298.15, 318.15]
"""


def test_ageing_sweep_equals_age(tmp_path):
    spec = tmp_path / "ageing.toml"
    spec.write_text(AGEING_SPEC)
    sc.sweep(str(spec), output=str(tmp_path / "out"), threads=2)
    df = sc.sweep_summary(str(tmp_path / "out"), parquet=str(tmp_path / "s.parquet"))
    assert list(df["status"]) == ["done", "done"]
    hot = sc.age("liquid-ncm811-graphite", AGEING_SPEC.split('experiment = "')[1].split('"')[0], 3, temperature_C=45.0)
    assert df["Capacity retention"][1] == pytest.approx(hot["Capacity retention"][-1], rel=1e-12)
    assert df["SEI thickness [m]"][1] > df["SEI thickness [m]"][0]


def test_sweep_case_reads_either_layout(tmp_path):
    """sweep_case() gives a case's parameters, scalars and arrays whether the sweep wrote one file per case or
    batches of cases ([outputs] cases_per_file), and both layouts hold the same numbers."""
    np = pytest.importorskip("numpy")
    per_case = tmp_path / "per_case.toml"
    per_case.write_text(SPEC)
    batched = tmp_path / "batched.toml"
    batched.write_text(SPEC + "cases_per_file = 2\n")
    sc.sweep(str(per_case), output=str(tmp_path / "a"), threads=2)
    sc.sweep(str(batched), output=str(tmp_path / "b"), threads=2)
    files = sorted(p.name for p in (tmp_path / "b" / "cases").iterdir())
    assert files and all(f.startswith("batch-") for f in files) and len(files) < 3
    for k, areal in enumerate([2.0, 3.0, 4.0]):
        a = sc.sweep_case(str(tmp_path / "a"), k)
        b = sc.sweep_case(str(tmp_path / "b"), k)
        assert a["case"] == b["case"] == k and b["status"] == "done" and b["failure"] == ""
        assert b["parameters"]["positive.areal_capacity_mAh_per_cm2"] == areal
        assert a["scalars"] == b["scalars"] and b["scalars"]["Capacity [A.h]"] > 0
        assert set(a["arrays"]) == set(b["arrays"]) and b["arrays"]
        for name, values in b["arrays"].items():
            assert isinstance(values, np.ndarray) and values.dtype == np.float64
            np.testing.assert_array_equal(values, a["arrays"][name])
        assert set(b["units"]) == set(b["arrays"])
    with pytest.raises(KeyError):
        sc.sweep_case(str(tmp_path / "b"), 3)


INTERRUPT_SPEC = """
[sweep]
name = "py-interrupt"
study = "experiment"
method = "latin_hypercube"
samples = 600
seed = 3
[study]
cell = "lgm50"
model = "dfn"
experiment = "Discharge at {current_A} A until 2.5 V"
isothermal = true
[[parameter]]
name = "current_A"
low = 2.5
high = 10.0
[outputs]
cases_per_file = 1000
"""

RUNNER = """
import sys
import solidcell as sc
try:
    sc.sweep(sys.argv[1], output=sys.argv[2], threads=2)
    print("finished")
except KeyboardInterrupt as e:
    print("interrupted:", e)
"""


def test_ctrl_c_in_python_keeps_every_finished_case(tmp_path):
    """Ctrl-C (a notebook's interrupt) during sc.sweep(): KeyboardInterrupt after every finished case is written;
    resume=True runs exactly the rest."""
    import re
    import signal
    import subprocess
    import sys
    import time

    spec = tmp_path / "spec.toml"
    spec.write_text(INTERRUPT_SPEC)
    out = tmp_path / "out"
    runner = tmp_path / "runner.py"
    runner.write_text(RUNNER)
    proc = subprocess.Popen([sys.executable, str(runner), str(spec), str(out)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 60
    while not (out / "manifest.json").exists() and time.time() < deadline and proc.poll() is None:
        time.sleep(0.005)
    time.sleep(0.3)
    proc.send_signal(signal.SIGINT)
    stdout, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 0, stderr
    if stdout.startswith("finished"):
        pytest.skip("the sweep finished before the signal (a very fast machine)")
    assert stdout.startswith("interrupted:") and "resume=True" in stdout, stdout + stderr
    done = int(re.search(r"(\d+) of 600 cases are in", stdout).group(1))
    assert 0 < done < 600
    rest = sc.sweep(str(spec), output=str(out), threads=2, resume=True)
    assert rest["already_done"] == done and rest["ran"] == 600 - done and rest["complete"]
    assert sc.sweep_case(str(out), 599)["status"] == "done"


def test_sweep_progress_lines_and_callback(tmp_path, capsys):
    """progress=True prints the CLI's plain progress lines; a callable sees the counts rise to every case; an
    exception in the callable stops the sweep and comes back out."""
    spec = tmp_path / "spec.toml"
    spec.write_text(SPEC)
    sc.sweep(str(spec), output=str(tmp_path / "a"), threads=1, progress=True)
    lines = capsys.readouterr().out.strip().splitlines()
    assert lines and lines[-1].startswith("case 3/3 done")
    seen = []
    sc.sweep(str(spec), output=str(tmp_path / "b"), threads=1, progress=seen.append)
    assert seen[-1]["ran"] == seen[-1]["to_run"] == 3 and seen[-1]["cases"] == 3
    assert all(a["ran"] <= b["ran"] for a, b in zip(seen, seen[1:]))

    def fail(p):
        raise ValueError("stop here")

    with pytest.raises(ValueError, match="stop here"):
        sc.sweep(str(spec), output=str(tmp_path / "c"), threads=1, progress=fail)
