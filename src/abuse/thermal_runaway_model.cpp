#include "solidcell/abuse/thermal_runaway_model.hpp"

#include <algorithm>
#include <cmath>

#include "solidcell/base/constants.hpp"

namespace solidcell::abuse {
namespace {

constexpr double R = constants::gas_constant_J_per_mol_K;
constexpr double stefan_boltzmann = 5.670374419e-8;

}  // namespace

ThermalRunawayModel::ThermalRunawayModel(const CellInventory& cell, const ReactionNetwork& network, double initial_soc, Surroundings surroundings,
                                         ElectricalLoad load)
    : cell_(cell), network_(network), surroundings_(std::move(surroundings)), load_(std::move(load)), initial_soc_(initial_soc) {
  std::size_t next = 0;
  for (const auto& r : network_.reactions) {
    index_.push_back(next++);
    sei_index_.push_back(r.law == RateLaw::sei_limited ? next++ : 0);
    reactant_kg_.push_back(cell_.reactant_mass_kg(r.reactant, initial_soc) * r.reactant_mass_fraction * (r.scales_with_soc ? initial_soc : 1.0));
    // A reaction without threshold or gate runs from the start.
    enabled_.push_back(!r.onset_K && r.enabled_after < 0 ? 1 : 0);
  }
  temperature_index_ = next++;
  soc_index_ = next++;
  exchanged_index_ = next++;
  electrical_heat_index_ = next++;
  terminal_energy_index_ = next++;
  size_ = next;
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

double ThermalRunawayModel::internal_conductance_S(double t) const {
  double g = 0.0;
  if (short_on_ && network_.internal_short) g += 1.0 / network_.internal_short->resistance_ohm;
  if (load_.internal_short_ohm) g += 1.0 / load_.internal_short_ohm(t);  // 1/inf = 0: open
  return g;
}

ThermalRunawayModel::Circuit ThermalRunawayModel::circuit(double t, const double* y) const {
  const double soc = std::max(y[soc_index_], 0.0);
  // The EMF fades over the last 0.1 % of charge so that a short cannot drive the state of charge below zero.
  const double emf = cell_.open_circuit_voltage(soc) * std::min(1.0, soc / 1e-3);
  const double r_int = cell_.internal_resistance_ohm;
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
  if (std::isfinite(limit)) {
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
    const double sign = (rx.law == RateLaw::autocatalytic || rx.law == RateLaw::melting) ? 1.0 : -1.0;  // a, x grow; c shrinks
    r[index_[k]] = yp[index_[k]] - sign * rk;
    if (rx.law == RateLaw::sei_limited) r[sei_index_[k]] = yp[sei_index_[k]] - rk;
    heat += rx.heat_J_per_kg * reactant_kg_[k] * rk;
  }
  const Circuit c = circuit(t, y);
  const double exchanged = surroundings_heat_W(t, T);
  r[temperature_index_] = cell_.heat_capacity_J_per_K * yp[temperature_index_] - heat - c.heat_W - exchanged;
  r[soc_index_] = yp[soc_index_] + c.current_A / (cell_.capacity_Ah * constants::seconds_per_hour);
  r[exchanged_index_] = yp[exchanged_index_] - exchanged;
  r[electrical_heat_index_] = yp[electrical_heat_index_] - c.heat_W;
  r[terminal_energy_index_] = yp[terminal_energy_index_] - c.voltage_V * (c.external_A - (load_.charger_A ? load_.charger_A(t) : 0.0));
  return true;
}

double ThermalRunawayModel::progress(std::size_t k, const double* y) const {
  const auto& r = network_.reactions[k];
  const double v = y[index_[k]];
  switch (r.law) {
    case RateLaw::nth_order:
    case RateLaw::sei_limited: return r.initial_value > 0.0 ? (r.initial_value - v) / r.initial_value : 0.0;
    case RateLaw::autocatalytic: return r.initial_value < 1.0 ? (v - r.initial_value) / (1.0 - r.initial_value) : 1.0;
    case RateLaw::melting: return v;
  }
  return 0.0;
}

double ThermalRunawayModel::reaction_heat_J(std::size_t k, const double* y) const {
  const auto& r = network_.reactions[k];
  const double v = y[index_[k]];
  const double converted = (r.law == RateLaw::autocatalytic || r.law == RateLaw::melting) ? v - r.initial_value : r.initial_value - v;
  return r.heat_J_per_kg * reactant_kg_[k] * converted;
}

double ThermalRunawayModel::reaction_heat_available_J(std::size_t k) const {
  const auto& r = network_.reactions[k];
  const double span = r.law == RateLaw::autocatalytic || r.law == RateLaw::melting ? 1.0 - r.initial_value : r.initial_value;
  return r.heat_J_per_kg * reactant_kg_[k] * span;
}

double ThermalRunawayModel::reaction_heat_rate_W(std::size_t k, const double* y) const {
  return network_.reactions[k].heat_J_per_kg * reactant_kg_[k] * rate(k, y, y[temperature_index_]);
}

double ThermalRunawayModel::gas_mol(const double* y) const {
  double mol = 0.0;
  for (std::size_t k = 0; k < network_.reactions.size(); ++k) {
    const auto& r = network_.reactions[k];
    const double v = y[index_[k]];
    const double converted = (r.law == RateLaw::autocatalytic || r.law == RateLaw::melting) ? v - r.initial_value : r.initial_value - v;
    mol += r.gas_mol_per_kg * reactant_kg_[k] * std::max(converted, 0.0);
  }
  return mol;
}

}  // namespace solidcell::abuse
