// solidcell._core: the extension module. Errors cross into Python as solidcell.InputError (a ValueError that
// keeps the file, line, field, value and allowed range) and solidcell.SolverError.
#include <pybind11/pybind11.h>

#include "bindings.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/base/version_info.hpp"

namespace solidcell::python {

py::object to_python(const nlohmann::json& j) {
  // Never destroyed: a static py::object would be released after the interpreter has gone.
  static auto* loads = new py::object(py::module_::import("json").attr("loads"));
  return (*loads)(j.dump());
}

}  // namespace solidcell::python

PYBIND11_MODULE(_core, m) {
  namespace py = pybind11;
  using namespace solidcell::python;
  m.doc() = "solidcell's C++ engine (use the solidcell package, which wraps this module)";
  m.attr("__version__") = solidcell::build_info::version;
  m.attr("git_sha") = solidcell::build_info::git_sha;

  static py::exception<solidcell::InputError> input_error(m, "InputError", PyExc_ValueError);
  py::register_exception_translator([](std::exception_ptr p) {
    try {
      if (p) std::rethrow_exception(p);
    } catch (const solidcell::InputError& e) {
      // The message is the CLI's one-line form; the parts go on the exception object.
      PyObject* type = input_error.ptr();
      py::object instance = py::reinterpret_steal<py::object>(PyObject_CallFunction(type, "s", e.what()));
      instance.attr("file") = e.where().file;
      instance.attr("line") = e.where().line;
      instance.attr("field") = e.where().field;
      instance.attr("value") = e.value();
      instance.attr("allowed") = e.allowed();
      PyErr_SetObject(type, instance.ptr());
    }
  });

  bind_cells(m);
  bind_simulation(m);
  bind_abuse(m);
  bind_production(m);
  bind_sweep(m);
  bind_vehicle(m);
  bind_ageing(m);
}
