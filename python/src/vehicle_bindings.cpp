// Vehicles from Python: a pack of cells in a car along a speed trace, as `solidcell drive` runs it.
#include <map>
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
#include "solidcell/vehicle/year_of_use.hpp"
#include "solidcell/vehicle/year_summary.hpp"

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

// A year of use with its JSON summary and its per-day columns (what pickling keeps).
struct YearHandle {
  nlohmann::json summary;
  std::shared_ptr<std::map<std::string, std::vector<double>>> days;
};

YearHandle run_year(const CellHandle& cell, const std::string& pack_name, const std::string& vehicle_name, const std::string& cycle,
                    const std::string& match, double km_per_day, const std::string& charge, const std::string& climate, int days, bool accelerate,
                    double tolerance, int mesh, double rtol, const std::string& solver, bool isothermal) {
  if (match != "volume" && match != "mass" && match != "none") throw InputError(InputLocation{"", 0, "match"}, match, "\"volume\", \"mass\" or \"none\"");
  if (solver != "ida" && solver != "bdf") throw InputError(InputLocation{"", 0, "solver"}, solver, "\"ida\" or \"bdf\"");
  if (mesh < 2 || mesh > 200) throw InputError(InputLocation{"", 0, "mesh"}, std::to_string(mesh), "allowed range [2, 200]");
  if (!(rtol >= 1e-10 && rtol <= 1e-2)) throw InputError(InputLocation{"", 0, "rtol"}, std::to_string(rtol), "allowed range [1e-10, 1e-2]");
  if (!(tolerance > 0.0 && tolerance <= 0.1)) throw InputError(InputLocation{"", 0, "tolerance"}, std::to_string(tolerance), "allowed range (0, 0.1]");
  py::gil_scoped_release release;
  const auto trace = vehicle::speed_trace_by_name_or_file(cycle);
  const auto car = vehicle::load_vehicle(vehicle_name);
  const auto reference = vehicle::load_pack(pack_name);
  const auto figures = cell::compute_design(*cell.cell, cell.origin);
  vehicle::Pack pack = reference;
  std::string sized_to = "as given";
  if (match != "none" && cell.cell->name != reference.cell) {
    const CellHandle own = load_cell_handle(reference.cell);
    pack = vehicle::size_pack_to_match(reference, vehicle::pack_figures(reference, *own.cell, cell::compute_design(*own.cell, own.origin)),
                                       cell.cell->name, *cell.cell, figures, vehicle::parse_pack_match(match));
    sized_to = match + " of " + reference.name;
  }
  vehicle::YearOptions o;
  o.days = days;
  o.km_per_day = km_per_day;
  o.charge = vehicle::parse_charge_mode(charge);
  o.climate = vehicle::load_climate(climate);
  o.accelerate = accelerate;
  o.tolerance = tolerance;
  o.mesh = mesh;
  o.relative_tolerance = rtol;
  o.integrator = solver == "ida" ? numerics::IntegratorKind::ida : numerics::IntegratorKind::bdf;
  o.thermal = !isothermal;
  const auto r = vehicle::simulate_year(*cell.cell, figures, cell.origin, pack, car, trace, o);
  YearHandle h;
  h.summary = vehicle::year_summary_json(r, car, trace, accelerate, sized_to);
  h.days = std::make_shared<std::map<std::string, std::vector<double>>>();
  auto& d = *h.days;
  for (const auto& day : r.days) {
    d["day"].push_back(day.day);
    d["simulated"].push_back(day.simulated ? 1.0 : 0.0);
    d["ambient_K"].push_back(day.ambient_K);
    d["capacity_Ah"].push_back(day.capacity_Ah);
    d["capacity_retention"].push_back(day.capacity_retention);
    d["resistance_ohm"].push_back(day.resistance_ohm);
    d["resistance_growth"].push_back(day.resistance_growth);
    d["lithium_inventory_mol"].push_back(day.lithium_inventory_mol);
    d["lithium_lost_to_sei_mol"].push_back(day.lithium_lost_to_sei_mol);
    d["capacity_lost_Ah"].push_back(day.capacity_lost_Ah);
    d["consumption_kWh_per_100km"].push_back(day.consumption_kWh_per_100km);
    d["distance_km"].push_back(day.distance_km);
    d["cell_charge_Ah"].push_back(day.cell_charge_Ah);
  }
  return h;
}

}  // namespace

void bind_vehicle(py::module_& m) {
  py::class_<YearHandle>(m, "YearResult", "A year of daily driving, parking and charging: capacity and resistance day by day")
      .def("summary", [](const YearHandle& h) { return to_python(h.summary); }, "As `solidcell year --json` (without its version stamp)")
      .def_property_readonly("capacity_retention_end", [](const YearHandle& h) { return h.summary.value("capacity_retention_end", 1.0); })
      .def_property_readonly("range_start_km", [](const YearHandle& h) { return h.summary.at("range_start_km").get<double>(); })
      .def_property_readonly("range_end_km", [](const YearHandle& h) { return h.summary.at("range_end_km").get<double>(); })
      .def("keys", [](const YearHandle& h) {
        std::vector<std::string> k;
        for (const auto& [name, _] : *h.days) k.push_back(name);
        return k;
      }, "The per-day columns")
      .def("__getitem__", [](const YearHandle& h, const std::string& name) {
        const auto it = h.days->find(name);
        if (it == h.days->end()) throw py::key_error(name);
        return array_view(h.days, it->second);
      }, "A per-day column as a read-only numpy array, e.g. year[\"capacity_retention\"]")
      .def("__repr__", [](const YearHandle& h) {
        return "<solidcell.YearResult " + h.summary.at("cell").get<std::string>() + ": " + std::to_string(h.summary.at("days").get<int>()) +
               " days, retention " + std::to_string(h.summary.value("capacity_retention_end", 1.0)) + ">";
      })
      .def(py::pickle([](const YearHandle& h) { return py::make_tuple(h.summary.dump(), py::cast(*h.days)); },
                      [](const py::tuple& t) {
                        YearHandle h;
                        h.summary = nlohmann::json::parse(t[0].cast<std::string>());
                        h.days = std::make_shared<std::map<std::string, std::vector<double>>>(t[1].cast<std::map<std::string, std::vector<double>>>());
                        return h;
                      }));
  m.def("_year", &run_year, py::arg("cell"), py::arg("pack"), py::arg("vehicle"), py::arg("cycle"), py::arg("match"), py::arg("km_per_day"),
        py::arg("charge"), py::arg("climate"), py::arg("days"), py::arg("accelerate"), py::arg("tolerance"), py::arg("mesh"), py::arg("rtol"),
        py::arg("solver"), py::arg("isothermal"));

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
