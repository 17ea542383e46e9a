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
