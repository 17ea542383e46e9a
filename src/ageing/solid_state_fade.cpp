#include "solidcell/ageing/solid_state_fade.hpp"

#include <algorithm>
#include <cmath>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

#include "solidcell/base/constants.hpp"
#include "solidcell/electrochem/parameters.hpp"

namespace solidcell::ageing {
namespace {

constexpr double F = constants::faraday_C_per_mol;
constexpr double R = constants::gas_constant_J_per_mol_K;
constexpr double lithium_mol_per_m3 = 534.0 / 6.941e-3;  // lithium metal: 534 kg/m3, 6.941 g/mol
constexpr double reference_temperature_K = 298.15;

double mol_per_Ah() { return constants::seconds_per_hour / F; }

}  // namespace

void SolidStateFadeState::to(double* out) const {
  out[0] = cei_thickness_squared_m2;
  out[1] = contact_fraction;
  out[2] = lithium_contact_fraction;
  out[3] = lithium_lost_to_cei_mol;
  out[4] = lithium_lost_to_contact_mol;
  out[5] = lithium_lost_to_plating_mol;
}

void SolidStateFadeState::from(const double* in) {
  // Extrapolation may carry a fraction past its bounds: keep the physical range.
  cei_thickness_squared_m2 = std::max(in[0], 0.0);
  contact_fraction = std::clamp(in[1], 1e-6, 1.0);
  lithium_contact_fraction = std::clamp(in[2], 1e-6, 1.0);
  lithium_lost_to_cei_mol = in[3];
  lithium_lost_to_contact_mol = in[4];
  lithium_lost_to_plating_mol = in[5];
}

std::optional<SolidStateFadeParameters> solid_state_fade_parameters(const cell::Cell& cell, double model_area_m2) {
  if (!cell.degradation) return std::nullopt;
  SolidStateFadeParameters p;
  p.rates = *cell.degradation;
  switch (cell.negative.kind) {
    case cell::NegativeKind::lithium_metal: p.lithium_excess_mol = cell.negative.lithium_foil_thickness_m * model_area_m2 * lithium_mol_per_m3; break;
    case cell::NegativeKind::anode_free: p.lithium_excess_mol = 0.0; break;
    case cell::NegativeKind::composite: break;
  }
  return p;
}

SolidStateFade::SolidStateFade(SolidStateFadeParameters parameters, const electrochem::DfnModel& model, const std::vector<double>& fresh)
    : p_(std::move(parameters)) {
  const auto& cp = model.parameters();
  if (!cp.solid_state || !cp.lithium_metal || cp.negative)
    throw std::invalid_argument("SolidStateFade: needs a solid-state cell with a planar (lithium, anode-free or alloy-foil) negative");
  positive_resistance0_ = cp.positive.interface_resistance;
  active_fraction0_ = cp.positive.active_fraction;
  lithium_resistance0_ = cp.lithium_metal->interface_resistance;
  negative_potential_V_ = cp.lithium_metal->open_circuit_potential;
  cam_area_m2_ = cp.positive.surface_area_per_volume * cp.positive.thickness_m * cp.electrode_area_m2;
  electrode_area_m2_ = cp.electrode_area_m2;
  if (p_.lithium_excess_mol) {
    // The fresh state may be partly charged: what left the positive relative to full discharge is plated.
    const double x_now = mean_positive_stoichiometry(model, fresh);
    const double x_full = mean_positive_stoichiometry(model, model.initial_state(0.0));
    const double host_mol = cp.positive.active_fraction * cp.positive.thickness_m * cp.electrode_area_m2 * cp.positive.max_concentration;
    reservoir0_mol_ = *p_.lithium_excess_mol + std::max(0.0, (x_full - x_now) * host_mol);
  }
  initial_lithium_mol_ = positive_lithium_mol(model, fresh) + reservoir0_mol_;
}

double SolidStateFade::mean_positive_stoichiometry(const electrochem::DfnModel& model, const std::vector<double>& y) {
  const auto& cp = model.parameters();
  // A planar negative holds no particles: the model's lithium is the positive's less the stripped metal.
  const double particles = model.lithium_moles(y.data()) + y[model.capacity_index()] * constants::seconds_per_hour / F;
  return particles / (cp.positive.active_fraction * cp.positive.thickness_m * cp.electrode_area_m2 * cp.positive.max_concentration);
}

double SolidStateFade::positive_lithium_mol(const electrochem::DfnModel& model, const std::vector<double>& y) const {
  return model.lithium_moles(y.data()) + y[model.capacity_index()] * constants::seconds_per_hour / F;
}

double SolidStateFade::lithium_reservoir_mol(const electrochem::DfnModel& model, const std::vector<double>& y) const {
  if (!p_.lithium_excess_mol) return std::numeric_limits<double>::infinity();
  // Stripped metal (discharge capacity) left it; every lithium loss is paid from it.
  return reservoir0_mol_ - y[model.capacity_index()] * mol_per_Ah() - s_.lithium_lost_to_cei_mol - s_.lithium_lost_to_plating_mol;
}

double SolidStateFade::cei_thickness_m() const { return std::sqrt(p_.rates.cei_initial_thickness_m * p_.rates.cei_initial_thickness_m + s_.cei_thickness_squared_m2); }

double SolidStateFade::cei_area_resistance_ohm_m2() const {
  const double film = p_.rates.cei_resistivity_ohm_m * (cei_thickness_m() - p_.rates.cei_initial_thickness_m);
  return film / (cam_area_m2_ * s_.contact_fraction / electrode_area_m2_);
}

double SolidStateFade::void_area_resistance_ohm_m2() const { return lithium_resistance0_ * (1.0 / s_.lithium_contact_fraction - 1.0); }

double SolidStateFade::cei_growth_rate_m2_per_s(double u, double T) const {
  const auto& r = p_.rates;
  // The potential's factor at the reference temperature: Ea is the apparent activation energy at a fixed potential.
  const double drive = std::exp(r.cei_potential_factor * F * (u - r.cei_onset_potential_V) / (R * reference_temperature_K)) - 1.0;
  return 2.0 * r.cei_rate_constant_m2_per_s * electrochem::arrhenius(r.cei_activation_energy_J_per_mol, T, reference_temperature_K) *
         std::max(0.0, drive);
}

double SolidStateFade::cam_volume_strain(double x) const {
  const auto& r = p_.rates;
  const double w = (r.cam_shrink_onset_stoichiometry - x) / (r.cam_shrink_onset_stoichiometry - r.cam_shrink_end_stoichiometry);
  return r.cam_volume_change * std::clamp(w, 0.0, 1.0);
}

double SolidStateFade::contact_loss_per_cycle(double swing) const {
  const auto& r = p_.rates;
  const double pressure = std::pow(r.contact_reference_pressure_Pa / r.stack_pressure_Pa, r.contact_pressure_exponent);
  return std::min(1.0, r.contact_loss_per_strain * std::max(0.0, swing - r.contact_critical_strain) * pressure);
}

double SolidStateFade::void_critical_current_A_per_m2(double T) const {
  const auto& r = p_.rates;
  // Lithium creeps and diffuses faster when warm: the same Arrhenius factor as the CCD.
  return r.void_critical_current_A_per_m2 * std::pow(r.stack_pressure_Pa / r.void_reference_pressure_Pa, r.void_pressure_exponent) *
         electrochem::arrhenius(r.ccd_activation_energy_J_per_mol, T, reference_temperature_K);
}

double SolidStateFade::critical_current_density_A_per_m2(double T) const {
  const auto& r = p_.rates;
  return r.ccd_A_per_m2 * std::pow(r.stack_pressure_Pa / r.ccd_reference_pressure_Pa, r.ccd_pressure_exponent) *
         electrochem::arrhenius(r.ccd_activation_energy_J_per_mol, T, reference_temperature_K);
}

void SolidStateFade::apply(electrochem::DfnModel& model) const {
  const double film = p_.rates.cei_resistivity_ohm_m * (cei_thickness_m() - p_.rates.cei_initial_thickness_m);
  model.set_input("Positive electrode interface resistance [Ohm.m2]", std::min(1.0, positive_resistance0_ + film));
  model.set_input("Positive electrode active material volume fraction", active_fraction0_ * s_.contact_fraction);
  model.set_input("Lithium metal interface resistance [Ohm.m2]", std::min(1.0, lithium_resistance0_ / s_.lithium_contact_fraction));
}

experiment::Step SolidStateFade::limited(const experiment::Step& step, const electrochem::DfnModel& model, const std::vector<double>& y) const {
  using experiment::StepKind;
  const bool discharges = step.direction == experiment::Direction::discharge &&
                          (step.kind == StepKind::current || step.kind == StepKind::c_rate || step.kind == StepKind::power);
  const double reservoir = lithium_reservoir_mol(model, y);
  if (!discharges || !std::isfinite(reservoir)) return step;
  experiment::Step s = step;
  experiment::Termination t;
  t.quantity = experiment::Termination::Quantity::capacity;
  t.crossing = experiment::Termination::Crossing::rising;
  t.value = std::max(reservoir / mol_per_Ah(), 1e-9);
  t.text = fmt::format("the negative's lithium is stripped ({:.4g} A.h)", t.value);
  s.terminations.push_back(t);
  return s;
}

std::optional<AgeingEvent> SolidStateFade::update_after_step(const experiment::Solution& run, int step_number, electrochem::DfnModel& model) {
  const auto& r = p_.rates;
  const double area = model.parameters().electrode_area_m2;
  std::optional<AgeingEvent> event;
  double plated_mol = 0.0;
  const double delta_before = cei_thickness_m();
  for (std::size_t k = 0; k + 1 < run.time_s.size(); ++k) {
    const double dt = run.time_s[k + 1] - run.time_s[k];
    if (!(dt > 0.0)) continue;
    const double T = 0.5 * (run.temperature_K[k] + run.temperature_K[k + 1]);
    // Cathode potential vs Li: the terminal voltage plus the negative's potential (its overpotential is small).
    const double g0 = cei_growth_rate_m2_per_s(run.voltage_V[k] + negative_potential_V_, run.temperature_K[k]);
    const double g1 = cei_growth_rate_m2_per_s(run.voltage_V[k + 1] + negative_potential_V_, run.temperature_K[k + 1]);
    s_.cei_thickness_squared_m2 += 0.5 * (g0 + g1) * dt;
    const double current = 0.5 * (run.current_A[k] + run.current_A[k + 1]);
    if (current < 0.0) {
      plated_mol += -current * dt / F;
      if (r.ccd_A_per_m2 > 0.0 && !event) {
        const double local = -run.current_A[k + 1] / area / s_.lithium_contact_fraction;
        const double ccd = critical_current_density_A_per_m2(run.temperature_K[k + 1]);
        if (local > ccd) event = AgeingEvent{"short circuit", 0, run.time_s[k + 1], step_number, local, ccd, r.stack_pressure_Pa, run.temperature_K[k + 1]};
      }
    } else if (current > 0.0 && r.void_critical_current_A_per_m2 > 0.0) {
      const double i = current / area;
      const double limit = void_critical_current_A_per_m2(T);
      if (i > limit) s_.lithium_contact_fraction *= std::exp(-r.void_loss_per_charge_m2_per_C * (i / limit - 1.0) * i * dt);
    }
  }
  // The new interphase binds lithium over the CAM still in contact.
  const double grown = cei_thickness_m() - delta_before;
  s_.lithium_lost_to_cei_mol += r.cei_lithium_mol_per_m3 * grown * cam_area_m2_ * s_.contact_fraction;
  if (p_.lithium_excess_mol) s_.lithium_lost_to_plating_mol += (1.0 - r.coulombic_efficiency) * plated_mol;
  apply(model);
  return event;
}

void SolidStateFade::update_after_run(double x_min, double x_max, electrochem::DfnModel& model, const std::vector<double>& y) {
  const double swing = cam_volume_strain(x_min) - cam_volume_strain(x_max);
  const double loss = contact_loss_per_cycle(swing);
  if (loss <= 0.0) return;
  // The particles cut off keep their lithium, lost to the cell.
  s_.lithium_lost_to_contact_mol += loss * positive_lithium_mol(model, y);
  s_.contact_fraction *= 1.0 - loss;
  apply(model);
}

}  // namespace solidcell::ageing
