"""The shipped examples run as a new user runs them: every script under examples/python, and every sweep spec
under examples/sweeps (to completion, no case failed, each case readable back)."""
import subprocess
import sys

import pytest

import solidcell as sc
from conftest import REPO

SCRIPTS = sorted((REPO / "examples" / "python").glob("*.py"))
SPECS = sorted((REPO / "examples" / "sweeps").glob("*.toml"))


def test_examples_exist():
    assert len(SCRIPTS) >= 5 and len(SPECS) >= 5


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_python_example_runs(script, tmp_path):
    done = subprocess.run([sys.executable, str(script)], cwd=tmp_path, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert done.stdout.strip(), "an example should show what it computed"


@pytest.mark.parametrize("spec", SPECS, ids=lambda p: p.name)
def test_example_sweep_runs(spec, tmp_path):
    out = tmp_path / "out"
    report = sc.sweep(str(spec), output=str(out), threads=2)
    assert report["complete"] and report["failed"] == 0 and report["cases"] == report["ran"] > 0
    first, last = sc.sweep_case(str(out), 0), sc.sweep_case(str(out), report["cases"] - 1)
    assert first["status"] == last["status"] == "done" and first["scalars"]
