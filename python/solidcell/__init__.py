"""solidcell: lithium cells from design to road to factory, in Python.

The package is a thin layer over the same C++ library the ``solidcell`` command uses::

    import solidcell as sc
    cell = sc.load_cell("assb-sulfide-li")
    cell.design()["specific_energy_Wh_per_kg"]
    sol = sc.run(cell, "Discharge at 1C until 2.5 V")
    sol["Voltage [V]"]            # numpy array, no copy
    sc.abuse(cell, "heating").summary()["verdict"]

Everything is in SI units unless the name says otherwise; bad input raises ``solidcell.InputError`` (a
``ValueError``) that names the field, the value, the allowed range and the file.
"""
from __future__ import annotations

import ctypes as _ctypes
import os as _os
from pathlib import Path as _Path

_here = _Path(__file__).resolve().parent

# A wheel carries the built-in data (materials, cells, standards, lines) inside the package; the library finds
# it through SOLIDCELL_DATA_DIR unless the user has pointed that somewhere else.
if (_here / "data" / "cells").is_dir():
    _os.environ.setdefault("SOLIDCELL_DATA_DIR", str(_here / "data"))

# SUNDIALS libraries bundled in the wheel (when solidcell was built against a private SUNDIALS): load them first so
# that the extension module finds them whatever the loader's search path.
for _lib in sorted(_here.glob("libsundials_*.so*")):
    _ctypes.CDLL(str(_lib), mode=_ctypes.RTLD_GLOBAL)

from . import _core  # noqa: E402
from ._core import (  # noqa: E402
    AbuseResult,
    AgeingStudy,
    Cell,
    DriveResult,
    InputError,
    Model,
    Solution,
    Variability,
    YearResult,
    __version__,
    abuse_tests,
    builtin_cells,
    cell_from_toml,
    git_sha,
    line,
    load_cell,
    model_names,
    run_sweep,
    sweep_case,
)

__all__ = [
    "AbuseResult",
    "AgeingStudy",
    "age",
    "Cell",
    "DriveResult",
    "InputError",
    "Model",
    "Solution",
    "Variability",
    "YearResult",
    "__version__",
    "abuse",
    "abuse_matrix",
    "year",
    "abuse_tests",
    "builtin_cells",
    "cell_from_toml",
    "drive",
    "git_sha",
    "line",
    "load_cell",
    "model_names",
    "run",
    "run_sweep",
    "sweep",
    "sweep_case",
    "sweep_summary",
    "to_dataframe",
    "variability",
]


def _as_cell(cell: "Cell | str") -> Cell:
    return cell if isinstance(cell, Cell) else load_cell(str(cell))


def run(
    cell: "Cell | str",
    experiment: str,
    *,
    model: str = "dfn",
    soc: float = 1.0,
    temperature_C: "float | None" = None,
    inputs: "dict[str, float] | None" = None,
    thermal: bool = True,
    mesh: int = 10,
    rtol: float = 1e-6,
    atol: float = 0.0,
    solver: str = "ida",
) -> Solution:
    """Builds a model of ``cell`` and runs ``experiment`` (PyBaMM's step language), as ``solidcell run`` does.

    ``inputs`` sets model parameters by PyBaMM's names before the run, e.g.
    ``{"Negative particle radius [m]": 4e-6}``. To run many experiments on one cell, build a ``Model`` once and
    call its ``run`` (no rebuild between runs).
    """
    m = Model(_as_cell(cell), model, mesh=mesh, thermal=thermal)
    for name, value in (inputs or {}).items():
        m.set_input(name, float(value))
    return m.run(experiment, soc=soc, temperature_C=temperature_C, rtol=rtol, atol=atol, solver=solver)


def abuse(cell: "Cell | str", test: str = "heating", **options) -> AbuseResult:
    """Runs one abuse test (heating, nail, overcharge, crush, short) under a standard, as ``solidcell abuse`` does.

    Options: ``standard`` ("gb38031-2025", "gbt31485-2015", "ul1642", "sae-j2464" or a file), ``soc`` (the standard's when
    None), ``network`` (a reaction set in data/abuse or a file), ``three_d`` and ``grid`` (nx, ny, nz) for the 3D
    heating and crush tests (the nail is always 3D), ``max_operating_C``, ``nail_position`` (x, y) as fractions (a
    pouch's electrode length and width; a cylindrical cell's height and its offset across the diameter, 0.5
    through the axis). The verdict comes from the model: ``result.summary()["verdict"]``.
    """
    return _core.abuse(_as_cell(cell), test, **options)


def variability(cell: "Cell | str", **options) -> Variability:
    """Samples cells of a line's scatter and grades them, as ``solidcell variability`` does.

    Options: ``n`` (cells), ``seed``, ``scatter`` (data/variability name or file; the built-in one for the cell's
    chemistry by default), ``model`` ("dfn" or "spme"), ``threads`` (0: all cores), ``per_cell``.
    """
    return _core.variability(_as_cell(cell), **options)


def abuse_matrix(cell: "Cell | str", *, standard: str = "gb38031-2025", soc: "float | None" = None) -> "dict[str, AbuseResult | str]":
    """Every abuse test of the matrix on one cell: test name -> result, or the reason it does not apply."""
    c = _as_cell(cell)
    out: "dict[str, AbuseResult | str]" = {}
    for test in abuse_tests():
        try:
            out[test] = abuse(c, test, standard=standard, soc=soc)
        except InputError as e:  # a test that does not apply to this cell is reported, not fatal (as the CLI does)
            out[test] = f"not run: {e}"
    return out


def age(
    cell: "Cell | str",
    experiment: str,
    cycles: int,
    *,
    accelerate: bool = False,
    tolerance: float = 2e-4,
    sei: str = "reaction limited",
    mesh: int = 10,
    soc: float = 1.0,
    temperature_C: float = 25.0,
    rtol: float = 1e-6,
    solver: str = "ida",
    thermal: bool = False,
    stack_pressure_MPa: "float | None" = None,
    plating: str = "none",
    lam: str = "none",
) -> AgeingStudy:
    """Cycles a cell ``cycles`` times through ``experiment`` (one cycle) with its degradation, as ``solidcell age``
    does: SEI growth for a liquid cell with a ``[negative.sei]`` table (``sei``: "reaction limited" or
    "solvent-diffusion limited"), the solid-state fade (CEI, contact loss, lithium inventory, voids, shorts) for a
    cell with a ``[degradation]`` table. ``plating`` ("irreversible", "reversible", "partially reversible") and
    ``lam`` ("stress-driven", "reaction-driven", "stress and reaction-driven") add lithium plating and loss of active
    material to a liquid cell with ``[negative.plating]`` / ``[*.active_material_loss]`` tables (``sei="none"`` for
    plating alone). ``accelerate`` solves selected cycles and extrapolates between them under
    ``tolerance`` (a fraction of retention per jump). Per-cycle columns: ``study["Capacity retention"]``,
    ``study.keys()``; ``study.cycles_to_80_percent``, ``study.events``.
    """
    return _core._age(_as_cell(cell), experiment, cycles, accelerate, tolerance, sei, mesh, soc, temperature_C, rtol, solver, thermal,
                      stack_pressure_MPa, plating, lam)


def drive(
    cell: "Cell | str | None" = None,
    *,
    pack: str = "model3-class-ncm811",
    vehicle: str = "midsize-bev",
    cycle: str = "nedc",
    match: str = "volume",
    model: str = "auto",
    mesh: int = 10,
    temperature_C: float = 25.0,
    rtol: float = 1e-5,
    solver: str = "ida",
    isothermal: bool = False,
    range: str = "mean-power",
) -> DriveResult:
    """Drives a pack of cells in a vehicle along a speed trace (``nedc`` built in, or a CSV file), as
    ``solidcell drive`` does: pack figures, consumption, range and the cell's current, voltage, SOC and
    temperature through the cycle.

    Without ``cell`` (or with the pack's own cell) the pack file is used as it is; another cell goes into a pack
    sized to the same ``match`` ("volume" or "mass") as the pack file's. ``range``: "mean-power", "simulated"
    (slow) or "nominal".
    """
    c = None if cell is None else _as_cell(cell)
    return _core._drive(c, pack, vehicle, cycle, match, model, mesh, temperature_C, rtol, solver, isothermal, range)


def year(
    cell: "Cell | str",
    *,
    pack: str = "model3-class-ncm811",
    vehicle: str = "midsize-bev",
    cycle: str = "nedc",
    match: str = "volume",
    km_per_day: float = 40.0,
    charge: str = "slow",
    climate: str = "reference",
    days: int = 365,
    accelerate: bool = True,
    tolerance: float = 5e-4,
    mesh: int = 8,
    rtol: float = 1e-4,
    solver: str = "bdf",
    isothermal: bool = False,
) -> YearResult:
    """A year of use, as ``solidcell year`` runs it: two trips a day along ``cycle`` (``km_per_day`` in all),
    parking at the ``climate``'s temperature of the day ("reference" 25 C, "berlin", "phoenix", "oslo" or a CSV
    file day,temperature_C), a nightly ``charge`` ("slow" C/3 or "fast" 1.5C), with the cell's degradation; a C/3
    check-up after each solved day measures the capacity. A cell other than the pack's goes into a pack of the
    same ``match`` ("volume", "mass"; "none" keeps the pack file's counts). Per-day columns: ``year.keys()``,
    ``year["capacity_retention"]``; ``year.summary()`` as ``solidcell year --json``.
    """
    return _core._year(_as_cell(cell), pack, vehicle, cycle, match, km_per_day, charge, climate, days, accelerate, tolerance, mesh, rtol,
                       solver, isothermal)


def sweep(spec: str, *, output: str = "", threads: int = 0, resume: bool = False, progress=False) -> dict:
    """Runs a sweep spec (TOML: grid, Latin hypercube or Monte Carlo over a study's parameters; docs/sweeps.md)
    on all cores of this process, or finishes an interrupted one with ``resume=True``. Returns what was done;
    ``sweep_summary(report["output"])`` reads the results, ``sweep_case(report["output"], k)`` case k's arrays.

    ``progress=True`` prints a line ("case 420/1000 done (38.2/s, ETA 15 s)") every 10 % or 5 s; a callable gets
    a dict (cases, already_done, to_run, ran, failed, elapsed_s, line) about every 0.2 s and at the end. Ctrl-C
    (a notebook's interrupt) stops the sweep with every finished case written, then raises KeyboardInterrupt;
    ``resume=True`` finishes it."""
    if progress is True:
        state = {"decile": 0, "printed_s": 0.0}

        def progress(p):
            decile = 10 * p["ran"] // p["to_run"] if p["to_run"] else 10
            if decile > state["decile"] or p["elapsed_s"] - state["printed_s"] >= 5.0:
                state["decile"], state["printed_s"] = decile, p["elapsed_s"]
                print(p["line"], flush=True)

    elif progress is False:
        progress = None
    return run_sweep(str(spec), output=output, threads=threads, resume=resume, progress=progress)


def sweep_summary(folder: str, parquet: "str | None" = None):
    """A finished sweep's summary.csv as a pandas DataFrame (one row per case); with ``parquet``, also written
    there as Parquet (needs pyarrow or fastparquet)."""
    import pandas as pd

    df = pd.read_csv(_Path(folder) / "summary.csv")
    if parquet:
        df.to_parquet(parquet)
    return df


def to_dataframe(solution: Solution):
    """The solution's time series as a pandas DataFrame (pandas is optional: needed for this function only).

    ``to_dataframe(sol).to_parquet(path)`` writes Parquet when pyarrow is installed.
    """
    import pandas as pd

    data = {name: solution[name] for name in solution.keys()}
    data["Step"] = solution.step_number
    return pd.DataFrame(data)
