// Sweeps from Python: the same runner as `solidcell sweep` (threads in this process), resumable.
#include <string>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "solidcell/sweep/sweep_runner.hpp"
#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::python {

namespace {

py::dict run_sweep_file(const std::string& spec_path, const std::string& output, int threads, bool resume) {
  sweep::SweepReport r;
  {
    py::gil_scoped_release release;
    const auto spec = sweep::read_sweep_spec(spec_path);
    sweep::SweepOptions o;
    o.output = output;
    o.threads = threads;
    o.resume = resume;
    r = sweep::run_sweep(spec, o);
  }
  py::dict d;
  d["output"] = r.output;
  d["cases"] = r.cases;
  d["already_done"] = r.already_done;
  d["ran"] = r.ran;
  d["failed"] = r.failed;
  d["complete"] = r.complete;
  d["summary_rows"] = r.summary_rows;
  d["wall_s"] = r.wall_s;
  d["threads"] = r.threads;
  return d;
}

}  // namespace

void bind_sweep(py::module_& m) {
  m.def("run_sweep", &run_sweep_file, py::arg("spec"), py::kw_only(), py::arg("output") = "", py::arg("threads") = 0, py::arg("resume") = false,
        "Runs a sweep spec (TOML, docs/sweeps.md) on this process's threads; returns what was done");
}

}  // namespace solidcell::python
