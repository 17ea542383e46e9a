"""Shared fixtures of the Python tests: the package must be importable (pip install . into the venv, or
PYTHONPATH=<build>/python for a CMake build with -DSOLIDCELL_BUILD_PYTHON=ON); the CLI, for the tests that
compare with it or render its report, comes from $SOLIDCELL_CLI (scripts/test.sh sets it to build/bin/solidcell)."""
import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="session")
def cli() -> str:
    path = os.environ.get("SOLIDCELL_CLI") or shutil.which("solidcell") or str(REPO / "build" / "bin" / "solidcell")
    if not Path(path).is_file():
        pytest.skip(f"the solidcell CLI is not built ({path}); set SOLIDCELL_CLI")
    return path


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return REPO.parent / "shared"
