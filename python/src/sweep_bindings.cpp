// Sweeps from Python: the same runner as `solidcell sweep` (threads in this process), resumable.
#include <atomic>
#include <optional>
#include <string>

#include <fmt/format.h>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "solidcell/sweep/result_store.hpp"
#include "solidcell/sweep/sweep_runner.hpp"
#include "solidcell/sweep/sweep_spec.hpp"

namespace solidcell::python {

namespace {

py::dict progress_dict(const sweep::SweepProgress& p) {
  py::dict d;
  d["cases"] = p.cases;
  d["already_done"] = p.already_done;
  d["to_run"] = p.to_run;
  d["ran"] = p.ran;
  d["failed"] = p.failed;
  d["elapsed_s"] = p.elapsed_s;
  d["line"] = sweep::progress_line(p);
  return d;
}

py::dict run_sweep_file(const std::string& spec_path, const std::string& output, int threads, bool resume, py::object progress) {
  sweep::SweepReport r;
  std::optional<py::error_already_set> callback_error;  // raised by `progress`: stops the sweep, raised again
  // Ctrl-C (a notebook's interrupt) stops the sweep as it does the CLI: no new cases, every finished one
  // written; then KeyboardInterrupt. Python's handler can only run on this thread with the GIL, so the
  // progress callback (this thread, every 0.2 s) asks it.
  std::atomic<bool> stop{false};
  bool keyboard = false;
  {
    py::gil_scoped_release release;
    const auto spec = sweep::read_sweep_spec(spec_path);
    sweep::SweepOptions o;
    o.output = output;
    o.threads = threads;
    o.resume = resume;
    o.interrupt = &stop;
    o.progress = [&](const sweep::SweepProgress& p) {
      if (stop && progress.is_none()) return;
      py::gil_scoped_acquire gil;
      if (!stop && PyErr_CheckSignals() != 0) {
        PyErr_Clear();
        keyboard = true;
        stop = true;
      }
      if (!progress.is_none() && !callback_error) {
        try {
          progress(progress_dict(p));
        } catch (py::error_already_set& e) {
          callback_error = std::move(e);
          stop = true;
        }
      }
    };
    r = sweep::run_sweep(spec, o);
  }
  if (callback_error) throw std::move(*callback_error);
  if (keyboard) {
    const auto message = fmt::format("sweep interrupted: {} of {} cases are in {}; sweep(..., resume=True) finishes it", r.already_done + r.ran, r.cases,
                                     r.output);
    PyErr_SetString(PyExc_KeyboardInterrupt, message.c_str());
    throw py::error_already_set();
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
        py::arg("progress") = py::none(),
        "Runs a sweep spec (TOML, docs/sweeps.md) on this process's threads; returns what was done. `progress`, if given, is called with a "
        "dict (cases, already_done, to_run, ran, failed, elapsed_s, line) about every 0.2 s and at the end");
  m.def("sweep_case", &sweep_case, py::arg("folder"), py::arg("case"),
        "One case of a sweep's output folder (case or batch files): status, failure, parameters, scalars, arrays (numpy), units");
}

}  // namespace solidcell::python
