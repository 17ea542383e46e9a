#include "solidcell/ageing/cycle_summary.hpp"

#include <cmath>
#include <limits>

#include "solidcell/base/constants.hpp"

namespace solidcell::ageing {

double pulse_resistance_ohm(const experiment::Solution& s, const std::vector<experiment::Step>& steps) {
  using experiment::StepKind;
  // The first discharging current step, else the first current step of either sign.
  const experiment::Step* chosen = nullptr;
  for (const auto& st : steps)
    if ((st.kind == StepKind::current || st.kind == StepKind::c_rate) && st.direction == experiment::Direction::discharge) {
      chosen = &st;
      break;
    }
  if (!chosen)
    for (const auto& st : steps)
      if (st.kind == StepKind::current || st.kind == StepKind::c_rate) {
        chosen = &st;
        break;
      }
  const double nan = std::numeric_limits<double>::quiet_NaN();
  if (!chosen) return nan;
  // Rows of that step (the step's number is unique in one cycle's list).
  std::size_t first = s.time_s.size(), last = 0;
  for (std::size_t k = 0; k < s.time_s.size(); ++k)
    if (s.step_number[k] == chosen->number) {
      first = std::min(first, k);
      last = k;
    }
  if (first >= s.time_s.size()) return nan;
  // Ten seconds after the step began (its first row is after its first solver step, except for a run's first step).
  double t_begin = s.time_s[first];
  for (const auto& summary : s.steps)
    if (summary.number == chosen->number) {
      t_begin = summary.start_s;
      break;
    }
  const double t_at = t_begin + resistance_pulse_s;
  std::size_t k = first;
  while (k < last && s.time_s[k + 1] < t_at) ++k;
  auto overpotential_per_amp = [&](std::size_t row) { return (s.open_circuit_voltage_V[row] - s.voltage_V[row]) / s.current_A[row]; };
  if (s.time_s[first] >= t_at) return overpotential_per_amp(first);  // the solver's first step went past 10 s
  if (k == last) return overpotential_per_amp(last);  // a step shorter than the pulse: its end
  const double w = (t_at - s.time_s[k]) / (s.time_s[k + 1] - s.time_s[k]);
  double ocv = (1 - w) * s.open_circuit_voltage_V[k] + w * s.open_circuit_voltage_V[k + 1];
  double v = (1 - w) * s.voltage_V[k] + w * s.voltage_V[k + 1];
  double i = (1 - w) * s.current_A[k] + w * s.current_A[k + 1];
  return i != 0.0 ? (ocv - v) / i : nan;
}

CycleSummary summarise_cycle(int cycle, const experiment::Solution& s, const AgeingCell& cell, const std::vector<experiment::Step>& steps,
                             const CycleSummary* first) {
  CycleSummary c;
  c.cycle = cycle;
  for (const auto& st : s.steps) {
    if (st.capacity_Ah > 0) c.discharge_capacity_Ah += st.capacity_Ah;
    else c.charge_capacity_Ah -= st.capacity_Ah;
    if (st.energy_Wh > 0) c.discharge_energy_Wh += st.energy_Wh;
  }
  c.resistance_ohm = pulse_resistance_ohm(s, steps);
  c.lithium_lost_to_sei_mol = cell.lithium_lost_to_sei_mol();
  c.lithium_total_mol = cell.lithium_moles();
  c.lithium_inventory_mol = c.lithium_total_mol - c.lithium_lost_to_sei_mol;
  c.capacity_lost_to_sei_Ah = c.lithium_lost_to_sei_mol * constants::faraday_C_per_mol / constants::seconds_per_hour;
  c.sei_thickness_m = cell.sei_thickness_m();
  c.duration_s = s.time_s.empty() ? 0.0 : s.time_s.back();
  c.stopped_early = s.failure.has_value() || !s.stopped_early.empty() || s.steps.size() < steps.size();
  const CycleSummary& ref = first ? *first : c;
  c.capacity_retention = ref.discharge_capacity_Ah > 0 ? c.discharge_capacity_Ah / ref.discharge_capacity_Ah : std::nan("");
  c.resistance_growth = c.resistance_ohm / ref.resistance_ohm - 1.0;
  return c;
}

}  // namespace solidcell::ageing
