#pragma once
// What the binding files share: numpy views over C++ vectors without copies, JSON handed to Python as
// dicts, and the registration function of each file.
#include <memory>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <pybind11/numpy.h>
#include <pybind11/pybind11.h>

namespace solidcell::python {

namespace py = pybind11;

// A read-only numpy array over `values`, which `owner` keeps alive: no copy, however large the array.
template <class Owner>
py::array_t<double> array_view(const std::shared_ptr<Owner>& owner, const std::vector<double>& values) {
  auto* keep = new std::shared_ptr<Owner>(owner);
  py::capsule base(keep, [](void* p) { delete static_cast<std::shared_ptr<Owner>*>(p); });
  py::array_t<double> a({static_cast<py::ssize_t>(values.size())}, {static_cast<py::ssize_t>(sizeof(double))}, values.data(), base);
  py::detail::array_proxy(a.ptr())->flags &= ~py::detail::npy_api::NPY_ARRAY_WRITEABLE_;
  return a;
}

// nlohmann::json -> Python objects (dict, list, float, int, str, bool, None) through the json module, which
// keeps the two libraries' number and string rules in one place.
py::object to_python(const nlohmann::json& j);

void bind_cells(py::module_& m);
void bind_simulation(py::module_& m);
void bind_abuse(py::module_& m);
void bind_production(py::module_& m);
void bind_sweep(py::module_& m);
void bind_vehicle(py::module_& m);
void bind_ageing(py::module_& m);

}  // namespace solidcell::python
