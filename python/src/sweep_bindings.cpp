// Sweeps from Python: the same runner as `solidcell sweep` (threads in this process), resumable.
#include <string>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "solidcell/sweep/result_store.hpp"
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
  d["interrupted"] = r.interrupted;
  return d;
}

// One case of a sweep's output folder, whichever layout holds it (one file per case, or batches).
py::dict sweep_case(const std::string& folder, std::size_t id) {
  std::optional<sweep::CaseRecord> r;
  {
    py::gil_scoped_release release;
    r = sweep::read_sweep_case(folder, id);
  }
  if (!r) throw py::key_error("case " + std::to_string(id) + " is in no result file of " + folder + "/cases");
  py::dict parameters, scalars, arrays, units;
  for (std::size_t k = 0; k < r->parameter_names.size(); ++k) parameters[py::str(r->parameter_names[k])] = r->parameter_values[k];
  for (std::size_t k = 0; k < r->scalar_names.size(); ++k) scalars[py::str(r->scalar_names[k])] = r->scalars[k];
  for (auto& a : r->arrays) {
    arrays[py::str(a.name)] = py::array_t<double>(static_cast<py::ssize_t>(a.values.size()), a.values.data());
    units[py::str(a.name)] = a.unit;
  }
  py::dict d;
  d["case"] = r->id;
  d["status"] = r->done ? "done" : "failed";
  d["failure"] = r->failure;
  d["parameters"] = parameters;
  d["scalars"] = scalars;
  d["arrays"] = arrays;
  d["units"] = units;
  return d;
}

}  // namespace

void bind_sweep(py::module_& m) {
  m.def("run_sweep", &run_sweep_file, py::arg("spec"), py::kw_only(), py::arg("output") = "", py::arg("threads") = 0, py::arg("resume") = false,
        "Runs a sweep spec (TOML, docs/sweeps.md) on this process's threads; returns what was done");
  m.def("sweep_case", &sweep_case, py::arg("folder"), py::arg("case"),
        "One case of a sweep's output folder (case or batch files): status, failure, parameters, scalars, arrays (numpy), units");
}

}  // namespace solidcell::python
