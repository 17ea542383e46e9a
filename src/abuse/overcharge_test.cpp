#include "solidcell/abuse/overcharge_test.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include <fmt/format.h>

#include "solidcell/abuse/runaway_driver.hpp"
#include "solidcell/base/constants.hpp"
#include "solidcell/abuse/standard_file.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"
#include "solidcell/numerics/dae_integrator.hpp"

namespace solidcell::abuse {
namespace {

using io::Range;
constexpr double celsius_to_K = 273.15;

}  // namespace

OverchargeProcedure load_overcharge_procedure(const std::string& name_or_path) {
  const StandardFile standard(name_or_path);
  auto root = standard.root();
  OverchargeProcedure p;
  read_standard_header(root, p);
  auto o = root.table("overcharge");
  p.current_multiple = o.number("current_multiple", Range::positive(100.0));
  p.current_rate_hours = o.number("current_rate_hours", Range::positive(100.0));
  p.initial_soc = o.number("initial_soc", Range::unit_interval());
  p.voltage_limit_factor = o.optional_number("voltage_limit_factor", Range{1.0, 10.0, true, false});
  p.soc_limit = o.optional_number("soc_limit", Range{0.0, 10.0, true, false});
  if (auto minutes = o.optional_number("max_charge_min", Range::positive(1e5))) p.max_charge_s = 60.0 * *minutes;
  p.max_charge_input = o.optional_number("max_charge_input", Range::positive(100.0));
  p.observation_s = 60.0 * o.number("observation_min", Range::non_negative(1e5));
  if (auto f = o.optional_number("supply_voltage_factor", Range{1.0, 10.0})) p.supply_voltage_factor = *f;
  if (p.voltage_limit_factor && p.supply_voltage_factor <= *p.voltage_limit_factor)
    o.fail("supply_voltage_factor", fmt::format("{:g}", p.supply_voltage_factor), "above voltage_limit_factor (the supply must reach the stop voltage)");
  p.ambient_K = o.number("ambient_C", Range{-50.0, 60.0}) + celsius_to_K;
  p.source = o.string("source");
  if (p.soc_limit && *p.soc_limit <= p.initial_soc)
    o.fail("soc_limit", io::format_number(*p.soc_limit), fmt::format("above initial_soc ({:g})", p.initial_soc));
  if (!p.voltage_limit_factor && !p.soc_limit && !p.max_charge_s && !p.max_charge_input)
    o.fail("voltage_limit_factor", "", "at least one limit: voltage_limit_factor, soc_limit, max_charge_min or max_charge_input");
  auto env = o.table("environment");
  p.convection_W_per_m2_K = env.number("convection_W_per_m2_K", Range::non_negative(1e4));
  p.emissivity = env.number("emissivity", Range::unit_interval());
  env.accept("source");
  env.accept("uncertainty");
  env.reject_unknown_keys();
  o.accept("uncertainty");
  o.accept("environment");
  o.reject_unknown_keys();
  for (const auto& key : root.keys()) root.accept(key);  // the standard's other tests are read by their own procedures
  return p;
}

AbuseResult run_overcharge_test(const CellInventory& cell, const ReactionNetwork& network, const OverchargeProcedure& procedure,
                                const AbuseOptions& options) {
  const InputLocation where{"", 0, "overcharge"};
  if (!cell.electrodes)
    throw InputError({"", 0, "cell.electrodes"}, cell.cell_name, "an inventory made from a cell file: the overcharge continues its electrodes past full");
  const double current = procedure.current_A(cell.capacity_Ah);
  if (!(current > 0.0) || !std::isfinite(current))
    throw InputError({"", 0, "overcharge.current_multiple"}, fmt::format("{:g} A", current), "a positive charge current");
  const double soc0 = options.initial_soc.value_or(procedure.initial_soc);
  const double Q_C = cell.capacity_Ah * constants::seconds_per_hour;
  // The charge-counted limits become the phase's end time; the voltage limit is an event.
  double t_soc = std::numeric_limits<double>::infinity(), t_time = t_soc;
  if (procedure.soc_limit) t_soc = std::max(0.0, (*procedure.soc_limit - soc0) * Q_C / current);
  if (procedure.max_charge_s) t_time = *procedure.max_charge_s;
  if (procedure.max_charge_input) t_time = std::min(t_time, *procedure.max_charge_input * Q_C / current);
  const double t_end = std::min(t_soc, t_time);
  std::optional<double> voltage_limit;
  if (procedure.voltage_limit_factor) {
    if (!(cell.charge_voltage_max_V > 0.0))
      throw InputError({"", 0, "cell.voltage_max_V"}, cell.cell_name, "a charge cut-off voltage for the overcharge's voltage limit");
    voltage_limit = *procedure.voltage_limit_factor * cell.charge_voltage_max_V;
  }
  if (!std::isfinite(t_end) && !voltage_limit)
    throw InputError(where, "", "a limit that ends the charge: voltage_limit_factor, soc_limit, max_charge_min or max_charge_input");

  AbuseResult result;
  result.test = "overcharge";
  result.standard = procedure.standard;
  result.cell = cell.cell_name;
  const double T0 = procedure.ambient_K;
  Surroundings surroundings{[T0](double) { return T0; }, procedure.convection_W_per_m2_K, procedure.emissivity};
  ModelFeatures features;
  features.overcharge = true;
  RunawayDriver driver(cell, network, soc0, T0, surroundings, options.relative_tolerance, features);
  ElectricalLoad charger;
  charger.charger_A = [current](double) { return current; };
  // A laboratory supply has a compliance voltage; 2 x the charge cut-off (the UN 38.3 T7 supply rule) unless the
  // procedure names another. It matters when a shutdown separator cuts the ionic path: the supply then holds
  // its voltage and its current falls.
  charger.charger_max_V = procedure.supply_voltage_factor * cell.charge_voltage_max_V;
  try {
    bool at_voltage = false;
    if (voltage_limit) {
      const double v_max = *voltage_limit;
      // A voltage limit with no other limit: charge until the voltage, however long (the solver's step limit
      // ends a charge that never gets there).
      const double end = std::isfinite(t_end) ? t_end : 1e3 * Q_C / current;
      at_voltage = driver.advance_to_level(end, surroundings, charger, [v_max](double, double v, double, double) { return v_max - v; });
    } else {
      driver.advance_to(t_end, surroundings, charger);
    }
    result.charge_end = at_voltage ? "voltage limit" : t_soc <= t_time ? "state-of-charge limit" : "time limit";
    result.charge_end_s = driver.time();
    driver.advance_to(driver.time() + procedure.observation_s, surroundings);  // the charger off
  } catch (const numerics::SolverFailure& f) {
    result.failure = f.what();
    if (result.charge_end.empty()) result.charge_end_s = driver.time();
  }
  driver.finish(result, procedure.criterion, options.max_operating_temperature_K);

  const auto& model = driver.model();
  const double* y = driver.state().data();
  result.charge_in_Ah = model.charger_charge_C(y) / constants::seconds_per_hour;
  result.side_reaction_charge_Ah = model.side_charge_C(y) / constants::seconds_per_hour;
  result.side_reaction_heat_kJ = model.side_heat_J(y) / 1000.0;
  const auto y0 = model.initial_state(T0);
  result.plated_lithium_g = 1000.0 * (model.lithium_metal_kg(y) - model.lithium_metal_kg(y0.data()));
  // Lithium plated on a graphite host is irreversible damage (EUCAR 2) even when nothing else happened.
  const auto& e = *cell.electrodes;
  const double soc_max = result.trace.state_of_charge.empty() ? soc0 : *std::max_element(result.trace.state_of_charge.begin(), result.trace.state_of_charge.end());
  if (e.negative_host && soc_max > e.plating_onset_soc) {
    const double plated_g = 1000.0 * (soc_max - e.plating_onset_soc) * e.capacity_C / constants::faraday_C_per_mol * 6.941e-3;
    result.verdict.reasons.push_back(fmt::format("lithium plated on the full graphite host ({:.2f} g at {:.1f} % SOC, from {:.1f} %): irreversible damage",
                                                 plated_g, 100.0 * soc_max, 100.0 * e.plating_onset_soc));
    if (result.verdict.eucar_level < 2) result.verdict.eucar_level = 2;
  }
  return result;
}

}  // namespace solidcell::abuse
