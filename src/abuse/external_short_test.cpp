#include "solidcell/abuse/external_short_test.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

#include "solidcell/abuse/runaway_driver.hpp"
#include "solidcell/abuse/standard_file.hpp"
#include "solidcell/base/data_paths.hpp"
#include "solidcell/base/input_error.hpp"
#include "solidcell/io/toml_table.hpp"

namespace solidcell::abuse {
namespace {

using io::Range;
constexpr double celsius_to_K = 273.15;

}  // namespace

ExternalShortProcedure load_external_short_procedure(const std::string& name_or_path) {
  const StandardFile standard(name_or_path);
  auto root = standard.root();
  ExternalShortProcedure p;
  read_standard_header(root, p);
  auto t = root.table("external_short");
  p.resistance_ohm = 1e-3 * t.number("resistance_mohm", Range::positive(1e6));
  p.short_s = 60.0 * t.number("short_min", Range::positive(1e5));
  if (auto within = t.optional_number("until_ambient_within_C", Range::positive(100.0))) p.until_ambient_within_K = *within;
  p.observation_s = 60.0 * t.number("observation_min", Range::non_negative(1e5));
  p.ambient_K = t.number("ambient_C", Range{-50.0, 100.0}) + celsius_to_K;
  p.initial_soc = t.number("initial_soc", Range::unit_interval());
  if (auto limit = t.optional_number("max_case_temperature_C", Range{0.0, 2000.0})) p.max_case_temperature_K = *limit + celsius_to_K;
  p.source = t.string("source");
  auto chamber = t.table("chamber");
  p.convection_W_per_m2_K = chamber.number("convection_W_per_m2_K", Range::non_negative(1e4));
  p.emissivity = chamber.number("emissivity", Range::unit_interval());
  chamber.accept("source");
  chamber.accept("uncertainty");
  chamber.reject_unknown_keys();
  t.accept("uncertainty");
  t.accept("chamber");
  t.reject_unknown_keys();
  for (const auto& key : root.keys()) root.accept(key);  // other tests of the standard are read by their own procedures
  return p;
}

AbuseResult run_external_short_test(const CellInventory& cell, const ReactionNetwork& network, const ExternalShortProcedure& p,
                                    const AbuseOptions& options) {
  AbuseResult result;
  result.test = "short";
  result.standard = p.standard;
  result.cell = cell.cell_name;
  const double soc = options.initial_soc.value_or(p.initial_soc);
  const double Ta = p.ambient_K;
  Surroundings room{[Ta](double) { return Ta; }, p.convection_W_per_m2_K, p.emissivity};
  RunawayDriver driver(cell, network, soc, Ta, room, options.relative_tolerance);
  ElectricalLoad shorted;
  const double R = p.resistance_ohm;
  shorted.external_ohm = [R](double) { return R; };
  double peak = Ta;
  // UL 1642 / UN 38.3: the short stays until the cell has warmed and come back to near the ambient.
  RunawayDriver::StopCondition back_at_ambient;
  if (p.until_ambient_within_K) {
    const double within = *p.until_ambient_within_K;
    back_at_ambient = [&peak, Ta, within](double, double, double, double T) {
      peak = std::max(peak, T);
      return peak > Ta + within && T <= Ta + within;
    };
  }
  double short_end = p.short_s;
  try {
    driver.advance_to(p.short_s, room, shorted, back_at_ambient);
    short_end = driver.time();
    driver.advance_to(short_end + p.observation_s, room);
  } catch (const numerics::SolverFailure& f) {
    result.failure = f.what();
  }
  driver.finish(result, p.criterion, options.max_operating_temperature_K);
  result.verdict.reasons.insert(result.verdict.reasons.begin(),
                                fmt::format("short of {:g} mOhm held for {:.0f} s; peak short current {:.0f} A (transport limit {:.0f} A)", 1e3 * R,
                                            short_end,
                                            result.trace.current_A.empty() ? 0.0 : *std::max_element(result.trace.current_A.begin(), result.trace.current_A.end()),
                                            cell.limiting_current_A));
  if (p.max_case_temperature_K) {
    const double limit = *p.max_case_temperature_K;
    if (result.verdict.peak_temperature_K > limit) {
      result.verdict.pass = false;
      result.verdict.reasons.push_back(fmt::format("case temperature {:.1f} C exceeds the standard's {:.0f} C: fail",
                                                   result.verdict.peak_temperature_K - celsius_to_K, limit - celsius_to_K));
    } else {
      result.verdict.reasons.push_back(fmt::format("case temperature {:.1f} C within the standard's {:.0f} C",
                                                   result.verdict.peak_temperature_K - celsius_to_K, limit - celsius_to_K));
    }
  }
  return result;
}

}  // namespace solidcell::abuse
