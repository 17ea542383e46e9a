#include "solidcell/abuse/verdict.hpp"

#include <algorithm>
#include <cmath>

#include <fmt/format.h>

namespace solidcell::abuse {

Verdict judge(const std::vector<double>& t, const std::vector<double>& T, const std::vector<double>& dTdt, const std::vector<double>& V,
              double max_operating_temperature_K, const RunawayCriterion& c, const HazardInputs& hazard,
              const std::vector<double>& chem) {
  Verdict v;
  if (t.empty()) return v;
  v.peak_temperature_K = *std::max_element(T.begin(), T.end());
  v.max_temperature_rate_K_per_s = *std::max_element(dTdt.begin(), dTdt.end());
  const double v0 = V.front();
  for (double volt : V) v.max_voltage_drop_fraction = std::max(v.max_voltage_drop_fraction, v0 > 0.0 ? (v0 - volt) / v0 : 0.0);

  // (c): the rate above its limit for longer than the duration; interval ends interpolated between rows.
  // `first_interval` is the rule's own onset; `chemical` (when the reactions' own rate is given) the first
  // instant inside such an interval at which the reactions alone heat at the limit.
  const double limit = c.temperature_rate_K_per_s;
  auto crossing = [&](const std::vector<double>& rate, std::size_t k) {
    return t[k - 1] + (limit - rate[k - 1]) / (rate[k] - rate[k - 1]) * (t[k] - t[k - 1]);
  };
  const bool with_chemistry = chem.size() == t.size();
  std::optional<double> first_interval, chemical_onset;
  std::optional<double> start;
  std::size_t start_row = 0;
  for (std::size_t k = 0; k < t.size() && !(first_interval && (chemical_onset || !with_chemistry)); ++k) {
    const bool above = dTdt[k] >= limit;
    if (above && !start) {
      start = (k > 0 && dTdt[k - 1] < limit) ? crossing(dTdt, k) : t[k];
      start_row = k > 0 ? k - 1 : 0;
    }
    if (!start) continue;
    const double end = (!above && k > 0) ? t[k - 1] + (dTdt[k - 1] - limit) / (dTdt[k - 1] - dTdt[k]) * (t[k] - t[k - 1]) : t[k];
    // An interval qualifies by its length or, for a reaction that runs out faster than a thermocouple could
    // follow (lithium burning in microseconds), by a rise larger than the rate times the duration.
    if (end - *start > c.duration_s || T[k] - T[start_row] > limit * c.duration_s) {
      if (!first_interval) first_interval = start;
      if (with_chemistry && !chemical_onset) {
        for (std::size_t m = 0; m <= k; ++m) {
          if (t[m] < *start || chem[m] < limit) continue;
          // No duration on the chemistry's own rate: lithium and oxygen can react out in a microsecond flash.
          chemical_onset = std::max(*start, (m > 0 && chem[m - 1] < limit) ? crossing(chem, m) : t[m]);
          break;
        }
      }
    }
    if (!above) start.reset();
  }
  v.onset_time_s = with_chemistry ? chemical_onset : first_interval;
  const bool rule_met_by_rate = first_interval.has_value();
  const bool rate_criterion = rule_met_by_rate;
  const bool voltage_criterion = v.max_voltage_drop_fraction > c.voltage_drop_fraction;
  const bool temperature_criterion = v.peak_temperature_K >= max_operating_temperature_K;
  v.standard_criterion_met = rate_criterion && (voltage_criterion || temperature_criterion);
  const bool chemical = hazard.decomposition_heat_fraction > 0.01 && (!with_chemistry || chemical_onset.has_value());
  v.thermal_runaway = v.standard_criterion_met && chemical;
  if (v.standard_criterion_met && !chemical) {
    v.reasons.push_back(fmt::format("the GB 38031 App. C rule is met (dT/dt >= {:g} C/s for more than {:g} s from t = {:.1f} s) by Joule heat: the "
                                    "decomposition reactions released {:.2g} % of their heat and never heated the cell at that rate on their own, so "
                                    "this is not a thermal runaway",
                                    limit, c.duration_s, *first_interval, 100 * hazard.decomposition_heat_fraction));
    v.onset_time_s.reset();
  } else if (v.thermal_runaway) {
    v.reasons.push_back(fmt::format("dT/dt >= {:g} C/s for more than {:g} s{}, the reactions alone heating at that rate from t = {:.1f} s (peak {:.3g} C/s)",
                                    limit, c.duration_s, *first_interval < *v.onset_time_s ? fmt::format(" from t = {:.1f} s", *first_interval) : "",
                                    *v.onset_time_s, v.max_temperature_rate_K_per_s));
    v.reasons.push_back(voltage_criterion ? fmt::format("voltage fell by {:.0f} % (> {:.0f} %)", 100 * v.max_voltage_drop_fraction, 100 * c.voltage_drop_fraction)
                                          : fmt::format("temperature reached {:.1f} C (maximum operating {:.1f} C)", v.peak_temperature_K - 273.15,
                                                        max_operating_temperature_K - 273.15));
  } else {
    v.reasons.push_back(fmt::format("no thermal runaway: dT/dt peaked at {:.3g} C/s (criterion {:g} C/s for more than {:g} s)",
                                    v.max_temperature_rate_K_per_s, limit, c.duration_s));
  }

  if (v.thermal_runaway) {
    if (hazard.flammable_electrolyte || hazard.lithium_burned) {
      v.eucar_level = 5;
      v.reasons.push_back(hazard.flammable_electrolyte ? "runaway with a flammable electrolyte: fire (EUCAR 5)" : "runaway with burning lithium metal: fire (EUCAR 5)");
    } else {
      v.eucar_level = 4;
      v.reasons.push_back("runaway without flammable contents: venting of hot gas (EUCAR 4)");
    }
  } else if (hazard.vent_gas_mol > 0.0 && hazard.gas_mol > hazard.vent_gas_mol) {
    v.eucar_level = 4;
    v.reasons.push_back(fmt::format("{:.3g} mol of gas exceed the {:.3g} mol the housing holds: venting (EUCAR 4)", hazard.gas_mol, hazard.vent_gas_mol));
  } else if (hazard.irreversible_change) {
    v.eucar_level = 2;
    v.reasons.push_back("decomposition reactions or a separator short left the cell irreversibly damaged (EUCAR 2)");
  } else {
    v.eucar_level = 0;
  }
  v.pass = v.eucar_level <= 4;
  v.reasons.push_back(v.pass ? "no fire, no explosion: pass" : "fire: fail");
  if (!c.pass_fail)
    v.reasons.push_back(fmt::format("{} sets no pass/fail: its outcome is the EUCAR hazard level, {} here; pass/fail is the no-fire-no-explosion rule",
                                    c.standard_name.empty() ? "the standard" : c.standard_name, v.eucar_level));
  return v;
}

}  // namespace solidcell::abuse
