#pragma once
// Verdicts computed from a simulated abuse test: thermal runaway by GB 38031-2025 App. C (C.5.3.7):
//   TR = (voltage drop > 25 % of the initial voltage OR T >= the maximum operating temperature)
//        AND dT/dt >= 1 C/s for more than 3 s,
// (an interval at >= 1 C/s also counts when the temperature rises by more than rate x duration within it: a
// reaction that runs out in microseconds, such as burning lithium, outruns any thermocouple),
// which a simulation also asks to be chemical: the decomposition reactions must have released more than 1 %
// of their heat (an external short can heat a cell by more than 1 C/s with Joule heat alone, and the
// standard's rule, written for the trigger cell of a propagation test, would call that runaway);
// the EUCAR hazard level (SAND2005-3123's table) by the rules below, and pass/fail for "no fire, no
// explosion" (EUCAR level <= 4).
// EUCAR rules (what a lumped simulation can tell): runaway with a flammable electrolyte, or with burning
// lithium metal, is level 5 (fire); runaway without either is 4 (venting of hot gas); no runaway but more
// gas than the housing holds is 4; no runaway but an irreversible change (a reaction released more than 1 %
// of its heat, or the separator shorted) is 2; otherwise 0. Rupture (6) and explosion (7) need pressure
// and mechanics that the lumped model does not have: they are never assigned, and the report says so.
#include <optional>
#include <string>
#include <vector>

namespace solidcell::abuse {

struct RunawayCriterion {
  double voltage_drop_fraction = 0.25;
  double temperature_rate_K_per_s = 1.0;
  double duration_s = 3.0;
  std::string source;
  // A standard that sets no pass/fail and asks for the EUCAR level (SAE J2464): the verdict then says so
  // beside the no-fire-no-explosion rule it still computes ([standard] outcome = "eucar_level").
  bool pass_fail = true;
  std::string standard_name;  // for that sentence
};

struct Verdict {
  bool thermal_runaway = false;
  bool standard_criterion_met = false;  // the standard's rule alone, before asking for chemistry
  std::optional<double> onset_time_s;  // start of the first interval with dT/dt >= the limit for longer than the duration
  int eucar_level = 0;
  bool pass = true;
  double peak_temperature_K = 0.0;
  double max_temperature_rate_K_per_s = 0.0;
  double max_voltage_drop_fraction = 0.0;
  std::vector<std::string> reasons;  // why, in words
};

struct HazardInputs {
  bool flammable_electrolyte = false;
  bool lithium_burned = false;        // a lithium-metal reaction released more than 1 % of its heat
  bool irreversible_change = false;   // some reaction ran more than 1 %, or the separator shorted
  double gas_mol = 0.0;
  double vent_gas_mol = 0.0;          // 0: no venting threshold known
  double decomposition_heat_fraction = 0.0;  // released / available exothermic reaction heat
};

// reaction_rate_K_per_s (optional, one per row): the heating rate of the reactions alone (reaction heat rate
// over heat capacity). Given, the onset is the first instant inside a qualifying interval at which the
// chemistry itself heats at the criterion's rate, and without such an instant there is no runaway: a short
// that heats the cell faster than 1 C/s with Joule heat does not move the onset to its start.
Verdict judge(const std::vector<double>& time_s, const std::vector<double>& temperature_K, const std::vector<double>& temperature_rate_K_per_s,
              const std::vector<double>& voltage_V, double max_operating_temperature_K, const RunawayCriterion& criterion,
              const HazardInputs& hazard,
              const std::vector<double>& reaction_rate_K_per_s = {});

}  // namespace solidcell::abuse
