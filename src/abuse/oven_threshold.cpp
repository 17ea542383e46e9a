#include "solidcell/abuse/oven_threshold.hpp"

namespace solidcell::abuse {

HeatingProcedure constant_oven(double oven_K, const OvenThresholdOptions& o) {
  HeatingProcedure p;
  p.standard = "constant oven";
  p.title = "oven at a constant temperature (Hatchard 2001, Kim 2007)";
  p.ambient_K = o.room_K;
  p.ramp_K_per_s = 1e3;  // a step into the hot oven
  p.hold_temperature_K = oven_K;
  p.hold_s = o.exposure_s;
  p.observation_s = 0.0;
  p.initial_soc = o.soc;
  p.convection_W_per_m2_K = o.convection_W_per_m2_K;
  p.emissivity = o.emissivity;
  p.criterion = o.criterion;
  return p;
}

OvenThreshold oven_threshold(const CellInventory& cell, const ReactionNetwork& network, const OvenThresholdOptions& o) {
  OvenThreshold result;
  auto runs_away = [&](double oven_K) {
    ++result.runs;
    AbuseOptions options;
    options.initial_soc = o.soc;
    const auto r = run_heating_test(cell, network, constant_oven(oven_K, o), options);
    return r.failure.empty() ? r.verdict.thermal_runaway : true;  // a solver failure mid-runaway counts as runaway
  };
  double lo = o.low_K, hi = o.high_K;
  if (runs_away(lo)) {
    result.runs_away_at_low = true;
    return result;
  }
  if (!runs_away(hi)) return result;
  while (hi - lo > o.resolution_K) {
    const double mid = 0.5 * (lo + hi);
    (runs_away(mid) ? hi : lo) = mid;
  }
  result.threshold_K = 0.5 * (lo + hi);
  return result;
}

}  // namespace solidcell::abuse
