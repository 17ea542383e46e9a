#include "solidcell/abuse/thermal_runaway_model.hpp"

#include <algorithm>
#include <cmath>

#include "solidcell/base/constants.hpp"

namespace solidcell::abuse {
namespace {

constexpr double R = constants::gas_constant_J_per_mol_K;
constexpr double stefan_boltzmann = 5.670374419e-8;
constexpr double lithium_molar_mass_kg = 6.941e-3;

}  // namespace

ThermalRunawayModel::ThermalRunawayModel(const CellInventory& cell, const ReactionNetwork& network, double initial_soc, Surroundings surroundings,
                                         ElectricalLoad load, ModelFeatures features)
    : features_(features), cell_(cell), network_(network), surroundings_(std::move(surroundings)), load_(std::move(load)), initial_soc_(initial_soc) {
  std::size_t next = 0;
  for (const auto& r : network_.reactions) {
    index_.push_back(next++);
    sei_index_.push_back(r.law == RateLaw::sei_limited ? next++ : 0);
    reactant_kg_.push_back(cell_.reactant_mass_kg(r.reactant, initial_soc) * r.reactant_mass_fraction * (r.scales_with_soc ? initial_soc : 1.0));
    // A reaction without threshold or gate runs from the start.
    enabled_.push_back(!r.onset_K && r.enabled_after < 0 ? 1 : 0);
    char follows = 0;
    if (features_.overcharge) {
      if (r.reactant == Reactant::positive_active && r.scales_with_soc) follows = 1;
      if (r.reactant == Reactant::lithium_metal) follows = 2;
      if (r.reactant == Reactant::negative_active && r.scales_with_soc && cell_.electrodes && cell_.electrodes->negative_host) follows = 3;
    }
    follows_.push_back(follows);
    converted_index_.push_back(follows ? next++ : 0);
  }
  temperature_index_ = next++;
  soc_index_ = next++;
  exchanged_index_ = next++;
  electrical_heat_index_ = next++;
  terminal_energy_index_ = next++;
  charger_charge_index_ = next++;
  if (features_.overcharge) {
    side_charge_index_ = next++;
    side_heat_index_ = next++;
    side_stored_index_ = next++;
    emf_energy_index_ = next++;
  }
  size_ = next;
}

double ThermalRunawayModel::lithium_mass_kg(double soc, double side_C) const {
  double kg = cell_.reactant_mass_kg(Reactant::lithium_metal, soc);
  if (cell_.electrodes)
    kg += cell_.electrodes->overcharge_plated_soc(soc) * cell_.electrodes->capacity_C / constants::faraday_C_per_mol * lithium_molar_mass_kg;
  if (network_.overcharge) kg += std::max(side_C, 0.0) / constants::faraday_C_per_mol * network_.overcharge->lithium_per_electron * lithium_molar_mass_kg;
  return kg;
}

double ThermalRunawayModel::lithium_metal_kg(const double* y) const {
  if (!features_.overcharge) return cell_.reactant_mass_kg(Reactant::lithium_metal, initial_soc_);
  return lithium_mass_kg(std::max(initial_soc_, y[soc_index_]), y[side_charge_index_]);
}

double ThermalRunawayModel::reacting_mass_kg(std::size_t k, const double* y) const {
  if (!follows_[k]) return reactant_kg_[k];
  const auto& r = network_.reactions[k];
  const double s = std::max(initial_soc_, y[soc_index_]);  // charging raises it; a discharge keeps the start's, as without the feature
  if (follows_[k] == 3) return cell_.reactant_mass_kg(r.reactant, s) * r.reactant_mass_fraction * std::min(s, cell_.electrodes->plating_onset_soc);
  const double scale = r.reactant_mass_fraction * (r.scales_with_soc ? s : 1.0);
  if (follows_[k] == 1) return cell_.reactant_mass_kg(r.reactant, s) * scale;
  return lithium_mass_kg(s, y[side_charge_index_]) * scale;
}

double ThermalRunawayModel::mass_rate_kg_per_s(std::size_t k, const double* y, const double* yp) const {
  if (!follows_[k]) return 0.0;
  const auto& r = network_.reactions[k];
  const double soc = y[soc_index_];
  const double dsoc = soc > initial_soc_ ? yp[soc_index_] : 0.0;
  const double s = std::max(initial_soc_, soc);
  const double fraction = r.reactant_mass_fraction;
  if (follows_[k] == 1) return cell_.reactant_mass_kg(r.reactant, s) * fraction * dsoc;
  if (follows_[k] == 3) return s < cell_.electrodes->plating_onset_soc ? cell_.reactant_mass_kg(r.reactant, s) * fraction * dsoc : 0.0;
  // d/dt of lithium_mass_kg(s, q) * fraction * (s if scales_with_soc)
  double dm_ds = (s > 0.0 && s < 1.0) ? cell_.lithium_plated_full_kg : 0.0;
  if (cell_.electrodes && s > (cell_.electrodes->negative_host ? cell_.electrodes->plating_onset_soc : 1.0))
    dm_ds += cell_.electrodes->capacity_C / constants::faraday_C_per_mol * lithium_molar_mass_kg;
  const double per_C = network_.overcharge && y[side_charge_index_] > 0.0
                           ? network_.overcharge->lithium_per_electron * lithium_molar_mass_kg / constants::faraday_C_per_mol
                           : 0.0;
  const double m = lithium_mass_kg(s, y[side_charge_index_]);
  const double dm = dm_ds * dsoc + per_C * yp[side_charge_index_];
  return r.scales_with_soc ? fraction * (dm * s + m * dsoc) : fraction * dm;
}

double ThermalRunawayModel::side_current_A(double soc, double T, double overpotential_V) const {
  if (!features_.overcharge || !network_.overcharge || !cell_.electrodes) return 0.0;
  const auto& x = *network_.overcharge;
  // Decades above the reference potential, capped far above any charger's current (the positive's wall at
  // x = 0 would overflow the exponential).
  const double potential = cell_.electrodes->positive_potential_V(soc) + overpotential_V;
  const double decades = std::min((potential - x.reference_potential_V) / x.tafel_slope_V_per_decade, 12.0);
  const double arrhenius = std::exp(-x.activation_energy_J_per_mol / R * (1.0 / T - 1.0 / x.reference_temperature_K));
  return cell_.electrodes->facing_area_m2 * x.reference_current_A_per_m2 * std::pow(10.0, decades) * arrhenius;
}

std::vector<double> ThermalRunawayModel::initial_state(double temperature_K) const {
  std::vector<double> y(size_, 0.0);
  for (std::size_t k = 0; k < network_.reactions.size(); ++k) {
    const auto& r = network_.reactions[k];
    y[index_[k]] = r.initial_value;
    if (r.law == RateLaw::sei_limited) y[sei_index_[k]] = r.sei_thickness_initial;
  }
  y[temperature_index_] = temperature_K;
  y[soc_index_] = initial_soc_;
  return y;
}

std::vector<double> ThermalRunawayModel::absolute_tolerances(double rtol) const {
  std::vector<double> atol(size_, rtol);  // progress variables are of order 1
  atol[temperature_index_] = rtol * 300.0;
  atol[exchanged_index_] = rtol * std::max(1.0, cell_.heat_capacity_J_per_K * 100.0);
  atol[electrical_heat_index_] = atol[exchanged_index_];
  atol[terminal_energy_index_] = atol[exchanged_index_];
  atol[charger_charge_index_] = rtol * std::max(1.0, cell_.capacity_Ah * constants::seconds_per_hour * 1e-3);
  if (features_.overcharge) {
    atol[side_charge_index_] = rtol * std::max(1.0, cell_.capacity_Ah * constants::seconds_per_hour * 1e-3);
    for (auto i : {side_heat_index_, side_stored_index_, emf_energy_index_}) atol[i] = atol[exchanged_index_];
    for (std::size_t k = 0; k < follows_.size(); ++k)
      if (follows_[k]) atol[converted_index_[k]] = atol[exchanged_index_] / std::max(std::abs(network_.reactions[k].heat_J_per_kg), 1.0);
  }
  return atol;
}

double ThermalRunawayModel::rate(std::size_t k, const double* y, double T) const {
  if (!enabled_[k]) return 0.0;
  const auto& r = network_.reactions[k];
  const double v = y[index_[k]];
  if (r.law == RateLaw::melting) return std::max(1.0 - v, 0.0) * std::max(0.0, T - r.melting_K);  // per K and s
  const double arrhenius = r.frequency_factor_per_s * std::exp(-r.activation_energy_J_per_mol / (R * T));
  switch (r.law) {
    case RateLaw::nth_order: return arrhenius * std::pow(std::max(v, 0.0), r.order);
    case RateLaw::sei_limited:
      return arrhenius * std::exp(-y[sei_index_[k]] / r.sei_thickness_reference) * std::pow(std::max(v, 0.0), r.order);
    case RateLaw::autocatalytic: return arrhenius * std::pow(std::max(v, 0.0), r.order) * std::pow(std::max(1.0 - v, 0.0), r.order_2);
    case RateLaw::melting: break;
  }
  return 0.0;
}

double ThermalRunawayModel::internal_resistance_ohm() const {
  const double r = cell_.internal_resistance_ohm;
  return shutdown_on_ && !short_on_ && network_.separator_shutdown ? r * network_.separator_shutdown->resistance_factor : r;
}

double ThermalRunawayModel::internal_conductance_S(double t) const {
  double g = 0.0;
  if (short_on_ && network_.internal_short) g += 1.0 / network_.internal_short->resistance_ohm;
  if (load_.internal_short_ohm) g += 1.0 / load_.internal_short_ohm(t);  // 1/inf = 0: open
  return g;
}

ThermalRunawayModel::Circuit ThermalRunawayModel::circuit(double t, const double* y) const {
  const double soc = std::max(y[soc_index_], 0.0);
  // The EMF fades over the last 0.1 % of charge so that a short cannot drive the state of charge below zero.
  // Past full it goes on only with the overcharge feature (the inventory's electrodes).
  const double emf = features_.overcharge ? cell_.open_circuit_voltage(soc) * std::min(1.0, soc / 1e-3)
                                          : cell_.open_circuit_voltage(std::min(soc, 1.0)) * std::min(1.0, soc / 1e-3);
  // The side reaction runs beside intercalation, fed by the charger or, at rest, by the cell itself. It sees the
  // positive at U_p + (V - U_ocv): the whole overpotential at the positive, so a short that pulls V down stops it.
  const bool side_on = features_.overcharge && network_.overcharge && cell_.electrodes;
  const double T = y[temperature_index_];
  const double tafel = side_on ? network_.overcharge->tafel_slope_V_per_decade : 1.0;
  const double r_int = internal_resistance_ohm();
  // The side reaction at the positive sees the electrodes' share of the overpotential, not the drop across a
  // shut-down separator (which its current must cross too).
  const double electrode_share = cell_.internal_resistance_ohm / r_int;
  const double g_in = internal_conductance_S(t);
  const double g_ext = load_.external_ohm ? 1.0 / load_.external_ohm(t) : 0.0;
  const double g = g_in + g_ext;
  const double charger = load_.charger_A ? load_.charger_A(t) : 0.0;
  const double limit = cell_.limiting_current_A;
  // g(x): the ohmic current x, capped smoothly at the transport limit on discharge.
  auto limited = [limit](double x, double& slope) {
    if (x <= 0.0 || !std::isfinite(limit)) {
      slope = 1.0;
      return x;
    }
    const double s4 = 1.0 + std::pow(x / limit, 4);
    slope = std::pow(s4, -1.25);
    return x * std::pow(s4, -0.25);
  };
  // The unlimited solution, then Newton on  g((emf - V)/R) + I_charger - V G = 0  (decreasing in V).
  double v = (emf / r_int + charger) / (1.0 / r_int + g);
  if (side_on) {
    // f(V) = g((emf - V)/R) + I_charger - I_side(V) - V G falls with V: safeguarded Newton in a bracket.
    auto f = [&](double vv, double& df) {
      double sl = 1.0;
      const double side = side_current_A(soc, T, (vv - emf) * electrode_share);
      const double dside = side * std::log(10.0) / tafel * electrode_share;
      const double value = limited((emf - vv) / r_int, sl) + charger - side - vv * g;
      df = -sl / r_int - g - dside;
      return value;
    };
    double df = 0.0;
    double hi = v, lo = v;  // f(v) = -I_side(v) <= 0 at the solution without the side reaction
    for (double step = 0.01; f(lo, df) <= 0.0 && step < 1e6; step *= 2.0) lo = v - step;
    for (int it = 0; it < 200 && hi - lo > 1e-14 * std::max(1.0, std::abs(hi)); ++it) {
      const double fv = f(v, df);
      if (fv == 0.0) break;
      (fv > 0.0 ? lo : hi) = v;
      double next = v - fv / df;
      if (!(next > lo && next < hi)) next = 0.5 * (lo + hi);
      if (std::abs(next - v) <= 1e-14 * std::max(1.0, std::abs(v))) {
        v = next;
        break;
      }
      v = next;
    }
  } else if (std::isfinite(limit)) {
    for (int it = 0; it < 60; ++it) {
      double slope = 1.0;
      const double f = limited((emf - v) / r_int, slope) + charger - v * g;
      const double df = -slope / r_int - g;
      const double dv = -f / df;
      v += dv;
      if (std::abs(dv) <= 1e-13 * std::max(1.0, std::abs(v))) break;
    }
  }
  Circuit c;
  c.voltage_V = v;
  double slope = 1.0;
  c.current_A = limited((emf - v) / r_int, slope);
  c.internal_short_A = v * g_in;
  c.external_A = v * g_ext;
  c.heat_W = (emf - v) * c.current_A + v * v * g_in;
  c.emf_V = emf;
  // The charger's compliance: past it the terminal voltage is held and the charger gives what the cell takes.
  c.charger_A = charger;
  if (charger > 0.0 && v > load_.charger_max_V) {
    v = load_.charger_max_V;
    c.voltage_V = v;
    c.current_A = limited((emf - v) / r_int, slope);
    c.internal_short_A = v * g_in;
    c.external_A = v * g_ext;
    c.heat_W = (emf - v) * c.current_A + v * v * g_in;
    c.charger_A = v * g - c.current_A + (side_on ? side_current_A(soc, T, (v - emf) * electrode_share) : 0.0);
  }
  const double side = side_on ? side_current_A(soc, T, (v - emf) * electrode_share) : 0.0;
  if (side != 0.0) {
    c.side_A = side;
    c.side_heat_W = side * (v - network_.overcharge->equilibrium_potential_V);
    c.heat_W += c.side_heat_W;
  }
  return c;
}

double ThermalRunawayModel::surroundings_heat_W(double t, double T) const {
  const double Ta = surroundings_.temperature_K(t);
  const double A = cell_.surface_m2;
  return surroundings_.convection_W_per_m2_K * A * (Ta - T) + surroundings_.emissivity * stefan_boltzmann * A * (Ta * Ta * Ta * Ta - T * T * T * T);
}

bool ThermalRunawayModel::residual(double t, const double* y, const double* yp, double* r) const {
  const double T = y[temperature_index_];
  if (!(T > 100.0 && T < 5000.0)) return false;
  double heat = 0.0;
  for (std::size_t k = 0; k < network_.reactions.size(); ++k) {
    const auto& rx = network_.reactions[k];
    const double rk = rate(k, y, T);
    const double sign = grows(rx.law) ? 1.0 : -1.0;
    r[index_[k]] = yp[index_[k]] - sign * rk;
    if (rx.law == RateLaw::sei_limited) r[sei_index_[k]] = yp[sei_index_[k]] - rk;
    if (follows_[k]) {
      // New reactant joins at the initial value (it has not reacted); reactant that leaves (a discharge) leaves at
      // the present composition. The converted mass is integrated on its own, so the heat stays exact.
      const double m = reacting_mass_kg(k, y);
      const double floor = 1e-9;  // kg: an empty anode-free lithium pool; new lithium then sets v to v0 at once
      r[index_[k]] -= (rx.initial_value - y[index_[k]]) * std::max(mass_rate_kg_per_s(k, y, yp), 0.0) / std::max(m, floor);
      r[converted_index_[k]] = yp[converted_index_[k]] - m * rk;
      heat += rx.heat_J_per_kg * m * rk;
    } else {
      heat += rx.heat_J_per_kg * reactant_kg_[k] * rk;
    }
  }
  const Circuit c = circuit(t, y);
  const double exchanged = surroundings_heat_W(t, T);
  r[temperature_index_] = cell_.heat_capacity_J_per_K * yp[temperature_index_] - heat - c.heat_W - exchanged;
  r[soc_index_] = yp[soc_index_] + c.current_A / (cell_.capacity_Ah * constants::seconds_per_hour);
  r[exchanged_index_] = yp[exchanged_index_] - exchanged;
  r[electrical_heat_index_] = yp[electrical_heat_index_] - c.heat_W;
  r[terminal_energy_index_] = yp[terminal_energy_index_] - c.voltage_V * (c.external_A - c.charger_A);
  r[charger_charge_index_] = yp[charger_charge_index_] - c.charger_A;
  if (features_.overcharge) {
    r[side_charge_index_] = yp[side_charge_index_] - c.side_A;
    r[side_heat_index_] = yp[side_heat_index_] - c.side_heat_W;
    r[side_stored_index_] = yp[side_stored_index_] - c.side_A * (network_.overcharge ? network_.overcharge->equilibrium_potential_V : 0.0);
    r[emf_energy_index_] = yp[emf_energy_index_] + c.emf_V * c.current_A;
  }
  return true;
}

double ThermalRunawayModel::progress(std::size_t k, const double* y) const {
  return abuse::progress(network_.reactions[k], y[index_[k]]);
}

double ThermalRunawayModel::reaction_heat_J(std::size_t k, const double* y) const {
  const auto& r = network_.reactions[k];
  const double v = y[index_[k]];
  if (follows_[k]) return r.heat_J_per_kg * y[converted_index_[k]];
  const double converted = abuse::converted(r, v);
  return r.heat_J_per_kg * reactant_kg_[k] * converted;
}

double ThermalRunawayModel::reaction_heat_available_J(std::size_t k, const double* y) const {
  if (!follows_[k]) return reaction_heat_available_J(k);
  // The reactant now present (and what already reacted): a charge can make more of it than there was at the start.
  const auto& r = network_.reactions[k];
  const double span = convertible(r);
  return r.heat_J_per_kg * std::max(reacting_mass_kg(k, y) * span, std::abs(y[converted_index_[k]]));
}

double ThermalRunawayModel::reaction_heat_available_J(std::size_t k) const {
  const auto& r = network_.reactions[k];
  const double span = convertible(r);
  return r.heat_J_per_kg * reactant_kg_[k] * span;
}

double ThermalRunawayModel::reaction_heat_rate_W(std::size_t k, const double* y) const {
  return network_.reactions[k].heat_J_per_kg * reacting_mass_kg(k, y) * rate(k, y, y[temperature_index_]);
}

double ThermalRunawayModel::reaction_gas_mol(std::size_t k, const double* y) const {
  const auto& r = network_.reactions[k];
  const double v = y[index_[k]];
  const double converted = abuse::converted(r, v);
  return r.gas_mol_per_kg * (follows_[k] ? std::max(y[converted_index_[k]], 0.0) : reactant_kg_[k] * std::max(converted, 0.0));
}

double ThermalRunawayModel::gas_mol(const double* y) const {
  double mol = 0.0;
  for (std::size_t k = 0; k < network_.reactions.size(); ++k) mol += reaction_gas_mol(k, y);
  if (features_.overcharge && network_.overcharge)
    mol += std::max(y[side_charge_index_], 0.0) / constants::faraday_C_per_mol * network_.overcharge->gas_mol_per_mol_electrons;
  return mol;
}

}  // namespace solidcell::abuse
