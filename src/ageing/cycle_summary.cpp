#include "solidcell/ageing/cycle_summary.hpp"

#include <algorithm>
#include <cmath>
#include <limits>

#include "solidcell/base/constants.hpp"

namespace solidcell::ageing {

const char* to_string(FadeMechanism m) {
  switch (m) {
    case FadeMechanism::sei: return "SEI";
    case FadeMechanism::cei: return "CEI";
    case FadeMechanism::contact_loss: return "contact loss";
    case FadeMechanism::lithium_inventory: return "lithium inventory";
    case FadeMechanism::lithium_voids: return "lithium voids";
    case FadeMechanism::lithium_plating: return "lithium plating";
    case FadeMechanism::loss_of_active_material: return "loss of active material";
    case FadeMechanism::other: return "other";
  }
  return "?";
}

namespace {

// Shares of the capacity lost since cycle 1 (docs/ageing.md): the disconnected CAM's capacity to contact loss;
// the lithium the negative can no longer supply (losses beyond the excess) to the mechanisms that took it, in
// proportion; the rest, a kinetic loss, to the interphase and the voids in proportion to the resistance each
// added (to "other" when neither added any). Liquid cells: the SEI's and the plating's lithium (plated + dead) taken
// since cycle 1 as charge, scaled down together when they exceed the loss; the rest "other".
void share_capacity_loss(CycleSummary& c, const AgeingCell& cell, const CycleSummary& first) {
  const double lost = first.discharge_capacity_Ah - c.discharge_capacity_Ah;
  auto& a = c.capacity_lost_Ah;
  a.fill(0.0);
  c.capacity_loss_share.fill(0.0);
  if (!(lost > 0.0)) return;
  const double ah_per_mol = constants::faraday_C_per_mol / constants::seconds_per_hour;
  auto at = [&a](FadeMechanism m) -> double& { return a[static_cast<std::size_t>(m)]; };
  if (const auto* fade = cell.solid_state_fade()) {
    at(FadeMechanism::contact_loss) = first.discharge_capacity_Ah * (1.0 - c.contact_fraction);
    const double excess = fade->parameters().lithium_excess_mol.value_or(std::numeric_limits<double>::infinity());
    const double taken = c.lithium_lost_to_cei_mol + c.lithium_lost_to_plating_mol;
    const double deficit = taken > 0.0 ? std::max(0.0, taken - excess) : 0.0;
    double cei_kinetic_weight = fade->cei_area_resistance_ohm_m2(), void_weight = fade->void_area_resistance_ohm_m2();
    if (deficit > 0.0) {
      at(FadeMechanism::cei) += deficit * ah_per_mol * c.lithium_lost_to_cei_mol / taken;
      at(FadeMechanism::lithium_inventory) = deficit * ah_per_mol * c.lithium_lost_to_plating_mol / taken;
    }
    double rest = lost;
    for (double v : a) rest -= v;
    if (rest > 0.0) {
      const double w = cei_kinetic_weight + void_weight;
      if (w > 0.0) {
        at(FadeMechanism::cei) += rest * cei_kinetic_weight / w;
        at(FadeMechanism::lithium_voids) = rest * void_weight / w;
      } else {
        at(FadeMechanism::other) = rest;
      }
    }
  } else {
    const double plating = std::max(0.0, c.capacity_lost_to_negative_plating_Ah - first.capacity_lost_to_negative_plating_Ah);
    const double lam_lithium = std::max(0.0, c.lithium_lost_to_active_material_loss_mol - first.lithium_lost_to_active_material_loss_mol) * ah_per_mol;
    // The active capacity lost since cycle 1, of the electrode that lost the larger share of its material.
    auto relative_loss = [](double now, double then) { return then > 0.0 ? std::max(0.0, 1.0 - now / then) : 0.0; };
    const double lam_capacity = first.discharge_capacity_Ah * std::max(relative_loss(c.negative_active_fraction, first.negative_active_fraction),
                                                                        relative_loss(c.positive_active_fraction, first.positive_active_fraction));
    if (plating == 0.0 && lam_lithium == 0.0 && lam_capacity == 0.0) {
      at(FadeMechanism::sei) = std::min(lost, c.capacity_lost_to_sei_Ah - first.capacity_lost_to_sei_Ah);
    } else {
      const double sei = std::max(0.0, c.capacity_lost_to_sei_Ah - first.capacity_lost_to_sei_Ah);
      const double taken = sei + plating + lam_lithium;
      const double scale = taken > lost ? lost / taken : 1.0;
      at(FadeMechanism::sei) = sei * scale;
      at(FadeMechanism::lithium_plating) = plating * scale;
      at(FadeMechanism::loss_of_active_material) = lam_lithium * scale;
      // What the lithium losses leave unexplained, up to the active capacity lost: the material itself.
      const double rest = lost - taken * scale;
      at(FadeMechanism::loss_of_active_material) += std::min(rest, lam_capacity);
    }
    at(FadeMechanism::other) =
        lost - at(FadeMechanism::sei) - at(FadeMechanism::lithium_plating) - at(FadeMechanism::loss_of_active_material);
  }
  double sum = 0.0;
  for (double v : a) sum += std::max(v, 0.0);
  if (sum > 0.0)
    for (std::size_t m = 0; m < a.size(); ++m) c.capacity_loss_share[m] = std::max(a[m], 0.0) / sum;
}

}  // namespace

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
  c.plated_lithium_mol = cell.plated_lithium_mol();
  c.dead_lithium_mol = cell.dead_lithium_mol();
  c.lithium_lost_to_negative_plating_mol = cell.lithium_lost_to_plating_mol();
  c.capacity_lost_to_negative_plating_Ah = c.lithium_lost_to_negative_plating_mol * constants::faraday_C_per_mol / constants::seconds_per_hour;
  c.negative_active_fraction = cell.active_material_fraction(false);
  c.positive_active_fraction = cell.active_material_fraction(true);
  c.lithium_lost_to_active_material_loss_mol = cell.lithium_lost_to_active_material_loss_mol();
  c.lithium_inventory_mol -= c.plated_lithium_mol + c.dead_lithium_mol + c.lithium_lost_to_active_material_loss_mol;
  if (const auto* fade = cell.solid_state_fade()) {
    const auto& f = fade->state();
    c.cei_thickness_m = fade->cei_thickness_m();
    c.contact_fraction = f.contact_fraction;
    c.lithium_contact_fraction = f.lithium_contact_fraction;
    c.lithium_lost_to_cei_mol = f.lithium_lost_to_cei_mol;
    c.lithium_lost_to_contact_mol = f.lithium_lost_to_contact_mol;
    c.lithium_lost_to_plating_mol = f.lithium_lost_to_plating_mol;
    const double reservoir = fade->lithium_reservoir_mol(cell.model(), cell.state());
    c.lithium_reservoir_mol = std::isfinite(reservoir) ? reservoir : std::nan("");
    const double positive = fade->positive_lithium_mol(cell.model(), cell.state());
    c.lithium_bookkeeping_error_mol = std::isfinite(reservoir)
                                          ? positive + reservoir + fade->lost_lithium_mol() - fade->initial_lithium_mol()
                                          : std::nan("");
  }
  c.duration_s = s.time_s.empty() ? 0.0 : s.time_s.back();
  c.stopped_early = s.failure.has_value() || !s.stopped_early.empty() || s.steps.size() < steps.size();
  const CycleSummary& ref = first ? *first : c;
  c.capacity_retention = ref.discharge_capacity_Ah > 0 ? c.discharge_capacity_Ah / ref.discharge_capacity_Ah : std::nan("");
  c.resistance_growth = c.resistance_ohm / ref.resistance_ohm - 1.0;
  share_capacity_loss(c, cell, ref);
  return c;
}

}  // namespace solidcell::ageing
