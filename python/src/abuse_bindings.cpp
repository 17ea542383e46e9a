// Abuse tests (heating, nail, overcharge, crush, short) judged against a standard, as `solidcell abuse` runs them.
#include <memory>
#include <optional>
#include <string>
#include <tuple>

#include <pybind11/stl.h>

#include "bindings.hpp"
#include "cell_handle.hpp"
#include "solidcell/abuse/test_matrix.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/report/abuse_files.hpp"

namespace solidcell::python {

namespace {

using abuse::AbuseResult;

std::shared_ptr<AbuseResult> run_test(const CellHandle& cell, const std::string& test, const std::string& standard, std::optional<double> soc,
                                      const std::string& network, bool three_d, std::optional<std::tuple<int, int, int>> grid,
                                      double max_operating_C, std::optional<std::tuple<double, double>> nail_position) {
  auto c = abuse::make_abuse_case(*cell.cell, cell.origin, network);
  if (soc) {
    if (!(*soc >= 0.0 && *soc <= 1.0)) throw InputError(InputLocation{"", 0, "soc"}, std::to_string(*soc), "allowed range [0, 1]");
    c.options.initial_soc = *soc;
  }
  if (!(max_operating_C > 0.0 && max_operating_C <= 200.0))
    throw InputError(InputLocation{"", 0, "max_operating_C"}, std::to_string(max_operating_C), "allowed range (0, 200] C");
  c.options.max_operating_temperature_K = max_operating_C + 273.15;
  c.three_d = three_d;
  if (grid) {
    const auto [nx, ny, nz] = *grid;
    if (nx < 1 || ny < 1 || nz < 1 || nx * ny * nz > 2000000)
      throw InputError(InputLocation{"", 0, "grid"}, std::to_string(nx) + "x" + std::to_string(ny) + "x" + std::to_string(nz),
                       "at least 1 control volume per direction, at most 2,000,000 in all");
    c.three_d_options.nx = nx;
    c.three_d_options.ny = ny;
    c.three_d_options.nz = nz;
  }
  if (nail_position) {
    c.nail_position_x = std::get<0>(*nail_position);
    c.nail_position_y = std::get<1>(*nail_position);
  }
  py::gil_scoped_release release;
  return std::make_shared<AbuseResult>(abuse::run_abuse_test(test, c, standard));
}


// Pickling keeps every field of the lumped result (a 3D result travels as its lumped part: trace and verdict).
py::tuple abuse_result_state(const AbuseResult& r) {
  const auto& t = r.trace;
  const auto& v = r.verdict;
  return py::make_tuple(
      py::make_tuple(r.test, r.standard, r.cell, r.network, r.failure, r.charge_end),
      py::make_tuple(t.time_s, t.temperature_K, t.surroundings_K, t.voltage_V, t.current_A, t.heat_rate_W, t.temperature_rate_K_per_s,
                     t.state_of_charge, t.gas_mol, t.reaction_names, t.reaction_progress, t.force_N, t.displacement_m),
      py::make_tuple(v.thermal_runaway, v.standard_criterion_met, v.onset_time_s, v.eucar_level, v.pass, v.peak_temperature_K,
                     v.max_temperature_rate_K_per_s, v.max_voltage_drop_fraction, v.reasons),
      py::make_tuple(r.reaction_heat_kJ, r.reaction_gas_mol, r.electrical_heat_kJ, r.terminal_energy_kJ, r.heat_from_surroundings_kJ,
                     r.energy_balance_error_J, r.short_onset_s, r.separator_shutdown_s, r.charge_end_s, r.charge_in_Ah,
                     r.side_reaction_charge_Ah, r.side_reaction_heat_kJ, r.plated_lithium_g, r.heat_to_contact_bodies_kJ));
}

std::shared_ptr<AbuseResult> abuse_result_from_state(const py::tuple& state) {
  if (state.size() != 4) throw std::runtime_error("solidcell.AbuseResult: pickled state of another version");
  auto r = std::make_shared<AbuseResult>();
  auto names = state[0].cast<py::tuple>();
  r->test = names[0].cast<std::string>();
  r->standard = names[1].cast<std::string>();
  r->cell = names[2].cast<std::string>();
  r->network = names[3].cast<std::string>();
  r->failure = names[4].cast<std::string>();
  r->charge_end = names[5].cast<std::string>();
  auto tr = state[1].cast<py::tuple>();
  auto& t = r->trace;
  using Series = std::vector<double>;
  t.time_s = tr[0].cast<Series>();
  t.temperature_K = tr[1].cast<Series>();
  t.surroundings_K = tr[2].cast<Series>();
  t.voltage_V = tr[3].cast<Series>();
  t.current_A = tr[4].cast<Series>();
  t.heat_rate_W = tr[5].cast<Series>();
  t.temperature_rate_K_per_s = tr[6].cast<Series>();
  t.state_of_charge = tr[7].cast<Series>();
  t.gas_mol = tr[8].cast<Series>();
  t.reaction_names = tr[9].cast<std::vector<std::string>>();
  t.reaction_progress = tr[10].cast<std::vector<Series>>();
  t.force_N = tr[11].cast<Series>();
  t.displacement_m = tr[12].cast<Series>();
  auto ve = state[2].cast<py::tuple>();
  auto& v = r->verdict;
  v.thermal_runaway = ve[0].cast<bool>();
  v.standard_criterion_met = ve[1].cast<bool>();
  v.onset_time_s = ve[2].cast<std::optional<double>>();
  v.eucar_level = ve[3].cast<int>();
  v.pass = ve[4].cast<bool>();
  v.peak_temperature_K = ve[5].cast<double>();
  v.max_temperature_rate_K_per_s = ve[6].cast<double>();
  v.max_voltage_drop_fraction = ve[7].cast<double>();
  v.reasons = ve[8].cast<std::vector<std::string>>();
  auto en = state[3].cast<py::tuple>();
  using Named = std::vector<std::pair<std::string, double>>;
  r->reaction_heat_kJ = en[0].cast<Named>();
  r->reaction_gas_mol = en[1].cast<Named>();
  r->electrical_heat_kJ = en[2].cast<double>();
  r->terminal_energy_kJ = en[3].cast<double>();
  r->heat_from_surroundings_kJ = en[4].cast<double>();
  r->energy_balance_error_J = en[5].cast<double>();
  r->short_onset_s = en[6].cast<std::optional<double>>();
  r->separator_shutdown_s = en[7].cast<std::optional<double>>();
  r->charge_end_s = en[8].cast<double>();
  r->charge_in_Ah = en[9].cast<double>();
  r->side_reaction_charge_Ah = en[10].cast<double>();
  r->side_reaction_heat_kJ = en[11].cast<double>();
  r->plated_lithium_g = en[12].cast<double>();
  if (en.size() > 13) r->heat_to_contact_bodies_kJ = en[13].cast<std::optional<double>>();
  return r;
}

}  // namespace

void bind_abuse(py::module_& m) {
  py::class_<AbuseResult, std::shared_ptr<AbuseResult>>(m, "AbuseResult", "One abuse test: trace (numpy views), verdict, heat and gas")
      .def_property_readonly("test", [](const AbuseResult& r) { return r.test; })
      .def_property_readonly("standard", [](const AbuseResult& r) { return r.standard; })
      .def_property_readonly("cell", [](const AbuseResult& r) { return r.cell; })
      .def_property_readonly("network", [](const AbuseResult& r) { return r.network; })
      .def_property_readonly("passed", [](const AbuseResult& r) { return r.verdict.pass; })
      .def_property_readonly("thermal_runaway", [](const AbuseResult& r) { return r.verdict.thermal_runaway; })
      .def_property_readonly("eucar_level", [](const AbuseResult& r) { return r.verdict.eucar_level; })
      .def_property_readonly("onset_time_s", [](const AbuseResult& r) { return r.verdict.onset_time_s; })
      .def_property_readonly("peak_temperature_C", [](const AbuseResult& r) { return r.verdict.peak_temperature_K - 273.15; })
      .def_property_readonly("reasons", [](const AbuseResult& r) { return r.verdict.reasons; })
      .def_property_readonly("reaction_heat_kJ", [](const AbuseResult& r) {
        py::dict d;
        for (const auto& [name, kJ] : r.reaction_heat_kJ) d[py::str(name)] = kJ;
        return d;
      })
      .def_property_readonly("reaction_gas_mol", [](const AbuseResult& r) {
        py::dict d;
        for (const auto& [name, mol] : r.reaction_gas_mol) d[py::str(name)] = mol;
        return d;
      })
      .def_property_readonly("failure", [](const AbuseResult& r) { return r.failure; })
      .def_property_readonly("time_s", [](const std::shared_ptr<AbuseResult>& r) { return array_view(r, r->trace.time_s); })
      .def_property_readonly("temperature_K", [](const std::shared_ptr<AbuseResult>& r) { return array_view(r, r->trace.temperature_K); })
      .def_property_readonly("surroundings_K", [](const std::shared_ptr<AbuseResult>& r) { return array_view(r, r->trace.surroundings_K); })
      .def_property_readonly("voltage_V", [](const std::shared_ptr<AbuseResult>& r) { return array_view(r, r->trace.voltage_V); })
      .def_property_readonly("current_A", [](const std::shared_ptr<AbuseResult>& r) { return array_view(r, r->trace.current_A); })
      .def_property_readonly("heat_rate_W", [](const std::shared_ptr<AbuseResult>& r) { return array_view(r, r->trace.heat_rate_W); })
      .def_property_readonly("state_of_charge", [](const std::shared_ptr<AbuseResult>& r) { return array_view(r, r->trace.state_of_charge); })
      .def_property_readonly("gas_mol", [](const std::shared_ptr<AbuseResult>& r) { return array_view(r, r->trace.gas_mol); })
      .def_property_readonly("reaction_progress", [](const std::shared_ptr<AbuseResult>& r) {
        py::dict d;
        for (std::size_t k = 0; k < r->trace.reaction_names.size() && k < r->trace.reaction_progress.size(); ++k)
          d[py::str(r->trace.reaction_names[k])] = array_view(r, r->trace.reaction_progress[k]);
        return d;
      })
      .def("summary", [](const AbuseResult& r) { return to_python(report::abuse_summary(r)); },
           "As `solidcell abuse --json` prints it: thermal_runaway, eucar_level, verdict, peak_temperature_C, onset_time_s, heat_released_kJ, ...")
      .def("__repr__", [](const AbuseResult& r) {
        return "<solidcell.AbuseResult " + r.cell + " " + r.test + " (" + r.standard + "): " + (r.verdict.pass ? "pass" : "FAIL") + ">";
      })
      .def(py::pickle(&abuse_result_state, &abuse_result_from_state));

  m.def("abuse", &run_test, py::arg("cell"), py::arg("test") = "heating", py::kw_only(), py::arg("standard") = "gb38031-2025",
        py::arg("soc") = py::none(), py::arg("network") = "", py::arg("three_d") = false, py::arg("grid") = py::none(),
        py::arg("max_operating_C") = 60.0, py::arg("nail_position") = py::none(),
        "Runs one abuse test (heating, nail, overcharge, crush, short) under a standard; the verdict comes from the model");
  m.def("abuse_tests", &abuse::abuse_test_names, "The abuse tests in the order of the report's matrix");
}

}  // namespace solidcell::python
