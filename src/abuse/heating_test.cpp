#include "solidcell/abuse/heating_test.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "solidcell/abuse/runaway_driver.hpp"
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

HeatingProcedure load_heating_procedure(const std::string& name_or_path) {
  const StandardFile standard(name_or_path);
  auto root = standard.root();
  HeatingProcedure p;
  read_standard_header(root, p);
  auto h = root.table("heating");
  p.ramp_K_per_s = h.number("ramp_C_per_min", Range::positive(100.0)) / 60.0;
  p.hold_temperature_K = h.number("hold_temperature_C", Range{0.0, 500.0}) + celsius_to_K;
  p.hold_s = 60.0 * h.number("hold_min", Range::non_negative(1e4));
  p.observation_s = 60.0 * h.number("observation_min", Range::non_negative(1e4));
  p.ambient_K = h.number("ambient_C", Range{-50.0, 60.0}) + celsius_to_K;
  p.initial_soc = h.number("initial_soc", Range::unit_interval());
  p.source = h.string("source");
  if (p.hold_temperature_K <= p.ambient_K) h.fail("hold_temperature_C", fmt::format("{:g}", p.hold_temperature_K - celsius_to_K), "above ambient_C");
  auto chamber = h.table("chamber");
  p.convection_W_per_m2_K = chamber.number("convection_W_per_m2_K", Range::non_negative(1e4));
  p.emissivity = chamber.number("emissivity", Range::unit_interval());
  chamber.accept("source");
  chamber.accept("uncertainty");
  chamber.reject_unknown_keys();
  h.accept("uncertainty");
  h.accept("chamber");
  h.reject_unknown_keys();
  for (const auto& key : root.keys()) root.accept(key);  // other tests of the standard are read by their own procedures
  return p;
}

AbuseResult run_heating_test(const CellInventory& cell, const ReactionNetwork& network, const HeatingProcedure& procedure, const AbuseOptions& options) {
  AbuseResult result;
  result.test = "heating";
  result.standard = procedure.standard;
  result.cell = cell.cell_name;
  const double soc = options.initial_soc.value_or(procedure.initial_soc);
  const double T0 = procedure.ambient_K;
  const double ramp_s = (procedure.hold_temperature_K - T0) / procedure.ramp_K_per_s;
  // Phases with a smooth oven temperature, integrated one at a time (the kinks fall on restarts).
  struct Phase {
    double end_s;
    std::function<double(double)> oven;
  };
  const std::vector<Phase> phases = {
      {ramp_s, [=](double t) { return T0 + procedure.ramp_K_per_s * t; }},
      {ramp_s + procedure.hold_s, [=](double) { return procedure.hold_temperature_K; }},
      {ramp_s + procedure.hold_s + procedure.observation_s, [=](double) { return procedure.ambient_K; }},
  };
  Surroundings surroundings{phases[0].oven, procedure.convection_W_per_m2_K, procedure.emissivity};
  RunawayDriver driver(cell, network, soc, T0, surroundings, options.relative_tolerance);
  try {
    for (const auto& phase : phases) {
      surroundings.temperature_K = phase.oven;
      driver.advance_to(phase.end_s, surroundings);
    }
  } catch (const numerics::SolverFailure& f) {
    result.failure = f.what();
  }
  driver.finish(result, procedure.criterion, options.max_operating_temperature_K);
  return result;
}

}  // namespace solidcell::abuse
