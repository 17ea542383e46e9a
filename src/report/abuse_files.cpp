#include "solidcell/report/abuse_files.hpp"

#include <fstream>
#include <stdexcept>

#include "solidcell/io/csv_writer.hpp"
#include "solidcell/io/text_file.hpp"
#include "solidcell/report/svg_chart.hpp"

namespace solidcell::report {
namespace {

constexpr double celsius = 273.15;


std::vector<double> in_celsius(const std::vector<double>& kelvin) {
  std::vector<double> c(kelvin.size());
  for (std::size_t k = 0; k < kelvin.size(); ++k) c[k] = kelvin[k] - celsius;
  return c;
}

std::vector<double> in_minutes(const std::vector<double>& seconds) {
  std::vector<double> m(seconds.size());
  for (std::size_t k = 0; k < seconds.size(); ++k) m[k] = seconds[k] / 60.0;
  return m;
}

}  // namespace

nlohmann::json abuse_summary(const abuse::AbuseResult& r) {
  const auto& v = r.verdict;
  nlohmann::json heat = nlohmann::json::object();
  double released_kJ = r.electrical_heat_kJ;
  for (const auto& [name, kJ] : r.reaction_heat_kJ) {
    heat[name] = kJ;
    released_kJ += kJ;
  }
  nlohmann::json gas = nlohmann::json::object();
  for (const auto& [name, mol] : r.reaction_gas_mol) gas[name] = mol;
  nlohmann::json j{
      {"test", r.test},
      {"standard", r.standard},
      {"cell", r.cell},
      {"reaction_network", r.network},
      {"thermal_runaway", v.thermal_runaway},
      {"eucar_level", v.eucar_level},
      {"verdict", v.pass ? "pass" : "fail"},
      {"peak_temperature_C", v.peak_temperature_K - celsius},
      {"onset_time_s", v.onset_time_s ? nlohmann::json(*v.onset_time_s) : nlohmann::json(nullptr)},
      {"heat_released_kJ", released_kJ},
      {"heat_by_source_kJ", heat},
      {"gas_by_source_mol", gas},
      {"electrical_heat_kJ", r.electrical_heat_kJ},
      {"terminal_energy_kJ", r.terminal_energy_kJ},
      {"short_circuit_onset_s", r.short_onset_s ? nlohmann::json(*r.short_onset_s) : nlohmann::json(nullptr)},
      {"separator_shutdown_s", r.separator_shutdown_s ? nlohmann::json(*r.separator_shutdown_s) : nlohmann::json(nullptr)},
      {"heat_from_surroundings_kJ", r.heat_from_surroundings_kJ},
      {"energy_balance_error_J", r.energy_balance_error_J},
      {"max_temperature_rate_C_per_s", v.max_temperature_rate_K_per_s},
      {"max_voltage_drop_fraction", v.max_voltage_drop_fraction},
      {"gas_mol", r.trace.gas_mol.empty() ? 0.0 : r.trace.gas_mol.back()},
      {"reasons", v.reasons},
      {"completed", r.failure.empty()},
  };
  if (r.heat_to_contact_bodies_kJ) j["heat_to_contact_bodies_kJ"] = *r.heat_to_contact_bodies_kJ;
  if (!r.failure.empty()) j["failure"] = r.failure;
  return j;
}

std::vector<std::filesystem::path> write_abuse_files(const std::filesystem::path& dir, const abuse::AbuseResult& r, const nlohmann::json& metadata) {
  std::filesystem::create_directories(dir);
  const auto& t = r.trace;
  std::vector<io::Column> columns = {
      {"Time [s]", t.time_s},
      {"Cell temperature [C]", in_celsius(t.temperature_K)},
      {"Surroundings temperature [C]", in_celsius(t.surroundings_K)},
      {"Voltage [V]", t.voltage_V},
      {"Reaction heat rate [W]", t.heat_rate_W},
      {"Temperature rate [C.s-1]", t.temperature_rate_K_per_s},
      {"State of charge", t.state_of_charge},
      {"Gas released [mol]", t.gas_mol},
  };
  if (t.current_A.size() == t.time_s.size()) columns.insert(columns.begin() + 5, {"Current [A]", t.current_A});
  for (std::size_t k = 0; k < t.reaction_names.size(); ++k) columns.push_back({"Progress: " + t.reaction_names[k], t.reaction_progress[k]});
  std::vector<std::filesystem::path> written;
  io::write_text_file_atomically(dir / "trace.csv", io::to_csv(columns));
  written.push_back(dir / "trace.csv");
  const auto minutes = in_minutes(t.time_s);
  const std::string title = r.cell + ", " + r.test + " test (" + r.standard + ")";
  io::write_text_file_atomically(dir / "temperature.svg", svg_line_chart("Temperature: " + title, "time [min]", "temperature [C]",
                                                      {{"cell", minutes, in_celsius(t.temperature_K)}, {"oven / room", minutes, in_celsius(t.surroundings_K)}}));
  written.push_back(dir / "temperature.svg");
  io::write_text_file_atomically(dir / "voltage.svg", svg_line_chart("Voltage: " + title, "time [min]", "voltage [V]", {{"cell", minutes, t.voltage_V}}));
  written.push_back(dir / "voltage.svg");
  auto summary = abuse_summary(r);
  summary["metadata"] = metadata;
  io::write_text_file_atomically(dir / "summary.json", summary.dump(2) + "\n");
  written.push_back(dir / "summary.json");
  return written;
}

}  // namespace solidcell::report
