// Vehicles from Python: a pack of cells in a car along a speed trace, as `solidcell drive` runs it.
#include <memory>
#include <optional>
#include <string>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cell_handle.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/cell/design.hpp"
#include "solidcell/vehicle/drive.hpp"
#include "solidcell/vehicle/drive_summary.hpp"

namespace solidcell::python {

namespace {

using vehicle::DriveReport;

// A drive's report with its JSON summary computed once: the summary and the cell series are what pickling keeps.
struct DriveHandle {
  std::shared_ptr<DriveReport> report;
  nlohmann::json summary;
};

DriveHandle make_handle(DriveReport r) {
  DriveHandle h;
  h.report = std::make_shared<DriveReport>(std::move(r));
  h.summary = vehicle::drive_summary_json(*h.report);
  return h;
}

DriveHandle run_drive(const std::optional<CellHandle>& cell, const std::string& pack_name, const std::string& vehicle_name,
                                       const std::string& cycle, std::optional<std::string> match, const std::string& model, int mesh,
                                       double temperature_C, double rtol, const std::string& solver, bool isothermal, const std::string& range) {
  if (!(temperature_C >= -40.0 && temperature_C <= 60.0))
    throw InputError(InputLocation{"", 0, "temperature_C"}, std::to_string(temperature_C), "allowed range [-40, 60] C");
  if (model != "auto" && model != "spm" && model != "spme" && model != "dfn")
    throw InputError(InputLocation{"", 0, "model"}, model, "auto, spm, spme or dfn");
  if (solver != "ida" && solver != "bdf") throw InputError(InputLocation{"", 0, "solver"}, solver, "\"ida\" or \"bdf\"");
  if (mesh < 2 || mesh > 200) throw InputError(InputLocation{"", 0, "mesh"}, std::to_string(mesh), "allowed range [2, 200]");
  if (!(rtol >= 1e-10 && rtol <= 1e-2)) throw InputError(InputLocation{"", 0, "rtol"}, std::to_string(rtol), "allowed range [1e-10, 1e-2]");
  py::gil_scoped_release release;
  const auto trace = vehicle::speed_trace_by_name_or_file(cycle);
  const auto car = vehicle::load_vehicle(vehicle_name);
  auto pack = vehicle::load_pack(pack_name);
  vehicle::DriveOptions o;
  o.model = model;
  o.mesh = mesh;
  o.ambient_temperature_K = temperature_C + 273.15;
  o.relative_tolerance = rtol;
  o.integrator = solver == "bdf" ? numerics::IntegratorKind::bdf : numerics::IntegratorKind::ida;
  o.isothermal = isothermal;
  o.range = vehicle::parse_range_method(range);
  // The pack file names its cell; another cell goes into a pack of the same volume or mass (`match`).
  const CellHandle pack_cell = load_cell_handle(pack.cell);
  const auto pack_figures_cell = cell::compute_design(*pack_cell.cell, pack_cell.origin);
  if (!cell || cell->cell->name == pack.cell) return make_handle(vehicle::drive(*pack_cell.cell, pack_figures_cell, pack_cell.origin, pack, car, trace, o));
  const auto reference = vehicle::pack_figures(pack, *pack_cell.cell, pack_figures_cell);
  const auto figures = cell::compute_design(*cell->cell, cell->origin);
  const auto matched = vehicle::size_pack_to_match(pack, reference, cell->cell->name, *cell->cell, figures, vehicle::parse_pack_match(match.value_or("volume")));
  return make_handle(vehicle::drive(*cell->cell, figures, cell->origin, matched, car, trace, o));
}

}  // namespace

void bind_vehicle(py::module_& m) {
  using Series = std::vector<double> vehicle::DriveSeries::*;
  static const std::vector<std::pair<const char*, Series>> series{
      {"time_s", &vehicle::DriveSeries::time_s},
      {"speed_mps", &vehicle::DriveSeries::speed_mps},
      {"wheel_power_W", &vehicle::DriveSeries::wheel_power_W},
      {"battery_power_W", &vehicle::DriveSeries::battery_power_W},
      {"cell_current_A", &vehicle::DriveSeries::cell_current_A},
      {"cell_voltage_V", &vehicle::DriveSeries::cell_voltage_V},
      {"soc", &vehicle::DriveSeries::soc},
      {"temperature_K", &vehicle::DriveSeries::temperature_K},
  };
  auto cls = py::class_<DriveHandle>(m, "DriveResult", "A pack in a vehicle along a speed trace: consumption, range, cell series");
  cls.def("summary", [](const DriveHandle& h) { return to_python(h.summary); },
          "As one entry of `solidcell drive --json`'s results: pack, energy balance, consumption, range, cell limits")
      .def_property_readonly("cell", [](const DriveHandle& h) { return h.summary.at("cell").get<std::string>(); })
      .def_property_readonly("consumption_kWh_per_100km", [](const DriveHandle& h) { return h.summary.at("consumption_kWh_per_100km").get<double>(); })
      .def_property_readonly("range_km", [](const DriveHandle& h) { return h.summary.at("range_km").get<double>(); })
      .def("__repr__", [](const DriveHandle& h) {
        return "<solidcell.DriveResult " + h.summary.at("cell").get<std::string>() + ": " +
               std::to_string(h.summary.at("consumption_kWh_per_100km").get<double>()) + " kWh/100 km>";
      })
      .def(py::pickle(
          [](const DriveHandle& h) {
            py::dict arrays;
            for (const auto& [name, member] : series) arrays[name] = py::cast(h.report->series.*member);
            return py::make_tuple(h.summary.dump(), arrays);
          },
          [](const py::tuple& t) {
            DriveHandle h;
            h.report = std::make_shared<DriveReport>();
            h.summary = nlohmann::json::parse(t[0].cast<std::string>());
            auto arrays = t[1].cast<py::dict>();
            for (const auto& [name, member] : series) h.report->series.*member = arrays[name].cast<std::vector<double>>();
            return h;
          }));
  for (const auto& [name, member] : series) {
    const Series m_ = member;
    cls.def_property_readonly(name, [m_](const DriveHandle& h) { return array_view(h.report, h.report->series.*m_); });
  }

  m.def("_drive", &run_drive, py::arg("cell"), py::arg("pack"), py::arg("vehicle"), py::arg("cycle"), py::arg("match"), py::arg("model"),
        py::arg("mesh"), py::arg("temperature_C"), py::arg("rtol"), py::arg("solver"), py::arg("isothermal"), py::arg("range"));
}

}  // namespace solidcell::python
