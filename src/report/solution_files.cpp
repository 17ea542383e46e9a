#include "solidcell/report/solution_files.hpp"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <fmt/format.h>

#include "solidcell/io/csv_writer.hpp"
#include "solidcell/io/text_file.hpp"
#include "solidcell/io/hdf5_file.hpp"
#include "solidcell/report/svg_chart.hpp"

namespace solidcell::report {
namespace {


std::vector<double> as_double(const std::vector<int>& v) { return std::vector<double>(v.begin(), v.end()); }

std::vector<io::Column> time_series(const experiment::Solution& s) {
  std::vector<double> temperature_C;
  for (double k : s.temperature_K) temperature_C.push_back(k - 273.15);
  return {{"Time [s]", s.time_s},
          {"Current [A]", s.current_A},
          {"Voltage [V]", s.voltage_V},
          {"Discharge capacity [A.h]", s.discharge_capacity_Ah},
          {"Discharge energy [W.h]", s.discharge_energy_Wh},
          {"Open-circuit voltage [V]", s.open_circuit_voltage_V},
          {"Cell temperature [C]", temperature_C},
          {"Step", as_double(s.step_number)}};
}

}  // namespace

nlohmann::json solution_summary(const experiment::Solution& s) {
  double max_T = s.temperature_K.empty() ? NAN : *std::max_element(s.temperature_K.begin(), s.temperature_K.end());
  nlohmann::json steps = nlohmann::json::array();
  for (const auto& st : s.steps)
    steps.push_back({{"number", st.number}, {"text", st.text}, {"start_s", st.start_s}, {"end_s", st.end_s}, {"ended_by", st.ended_by},
                     {"capacity_Ah", st.capacity_Ah}, {"energy_Wh", st.energy_Wh}});
  nlohmann::json j{
      {"model", s.model},
      {"discharge_capacity_Ah", s.discharge_capacity_Ah.empty() ? 0.0 : s.discharge_capacity_Ah.back()},
      {"energy_Wh", s.discharge_energy_Wh.empty() ? 0.0 : s.discharge_energy_Wh.back()},
      {"final_voltage_V", s.voltage_V.empty() ? NAN : s.voltage_V.back()},
      {"final_time_s", s.time_s.empty() ? 0.0 : s.time_s.back()},
      {"max_temperature_C", max_T - 273.15},
      {"solve_time_s", s.solve_time_s},
      {"solver",
       {{"integrator", s.integrator},
        {"steps", s.solver.steps},
        {"residual_evaluations", s.solver.residual_evaluations},
        {"jacobian_evaluations", s.solver.jacobian_evaluations},
        {"jacobian_residual_evaluations", s.solver.jacobian_residual_evaluations},
        {"residuals_per_jacobian", s.solver.residuals_per_jacobian}}},
      {"lithium_relative_change", (s.lithium_moles_end - s.lithium_moles_start) / s.lithium_moles_start},
      {"steps", steps},
      {"completed", !s.failure && s.stopped_early.empty()},
  };
  if (!s.stopped_early.empty()) j["stopped_early"] = s.stopped_early;
  if (s.failure)
    j["failure"] = {{"time_s", s.failure->time_s}, {"step", s.failure->step}, {"step_text", s.failure->step_text}, {"reason", s.failure->reason}};
  return j;
}

std::vector<std::filesystem::path> write_solution_files(const std::filesystem::path& dir, const experiment::Solution& s,
                                                        const RunMetadata& meta) {
  std::filesystem::create_directories(dir);
  std::vector<std::filesystem::path> written;
  auto columns = time_series(s);
  io::write_text_file_atomically(dir / "solution.csv", io::to_csv(columns));
  written.push_back(dir / "solution.csv");

  // Profiles in long form: one row per (time, x).
  std::vector<double> t, x, ce, phie, phis, sto;
  for (std::size_t k = 0; k < s.profiles.size(); ++k) {
    const auto& p = s.profiles[k];
    for (std::size_t i = 0; i < p.x_m.size(); ++i) {
      t.push_back(s.profile_time_s[k]);
      x.push_back(p.x_m[i]);
      ce.push_back(p.electrolyte_concentration[i]);
      phie.push_back(p.electrolyte_potential[i]);
      phis.push_back(p.solid_potential[i]);
      sto.push_back(p.surface_stoichiometry[i]);
    }
  }
  std::vector<io::Column> profile_columns{{"Time [s]", t},
                                          {"x [m]", x},
                                          {"Electrolyte concentration [mol.m-3]", ce},
                                          {"Electrolyte potential [V]", phie},
                                          {"Electrode potential [V]", phis},
                                          {"Particle surface stoichiometry", sto}};
  io::write_text_file_atomically(dir / "profiles.csv", io::to_csv(profile_columns));
  written.push_back(dir / "profiles.csv");

  nlohmann::json summary = solution_summary(s);
  summary["metadata"] = {{"solidcell_version", meta.version}, {"git_sha", meta.git_sha},   {"created_utc", meta.created_utc},
                         {"cell", meta.cell},                {"cell_file", meta.cell_file}, {"input_hash", meta.input_hash},
                         {"model", meta.model},              {"experiment", meta.experiment}};
  io::write_text_file_atomically(dir / "summary.json", summary.dump(2) + "\n");
  written.push_back(dir / "summary.json");

  {
    auto tmp = dir / "solution.h5.partial";
    {
      io::Hdf5File h5(tmp.string());
      for (const auto& [key, value] : summary["metadata"].items()) h5.set_attribute("/", key, value.get<std::string>());
      h5.set_attribute("/", "completed", summary["completed"].get<bool>() ? "true" : "false");
      if (s.failure) h5.set_attribute("/", "failure", s.failure->reason);
      h5.create_group("/time_series");
      for (const auto& c : columns) h5.write("/time_series/" + c.name, c.values);
      h5.create_group("/profiles");
      for (const auto& c : profile_columns) h5.write("/profiles/" + c.name, c.values);
    }
    std::filesystem::rename(tmp, dir / "solution.h5");
    written.push_back(dir / "solution.h5");
  }

  LineSeries curve{meta.cell + " (" + s.model + ")", s.discharge_capacity_Ah, s.voltage_V};
  io::write_text_file_atomically(dir / "voltage.svg", svg_line_chart("Voltage: " + meta.experiment, "discharge capacity [A.h]", "voltage [V]", {curve}));
  written.push_back(dir / "voltage.svg");
  return written;
}

}  // namespace solidcell::report
