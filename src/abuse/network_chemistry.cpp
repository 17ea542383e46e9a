#include "solidcell/abuse/network_chemistry.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <limits>
#include <stdexcept>
#include <string>

#include "solidcell/base/constants.hpp"

namespace solidcell::abuse {
namespace {

constexpr double R = constants::gas_constant_J_per_mol_K;


// Newton's iteration on g(v) = 0 kept inside [low, high] with g(low) <= 0 <= g(high) (bisection when a
// step would leave the bracket). g returns (value, slope > 0).
template <class G>
double bracketed_root(G g, double low, double high, double guess) {
  double v = std::clamp(guess, low, high);
  const double scale = std::max(std::abs(low), std::abs(high)) + 1e-300;
  for (int iteration = 0; iteration < 60; ++iteration) {
    const auto [value, slope] = g(v);
    if (value == 0.0) return v;
    (value < 0.0 ? low : high) = v;
    double next = slope > 0.0 ? v - value / slope : 0.5 * (low + high);
    if (!(next >= low && next <= high)) next = 0.5 * (low + high);
    // 1e-11 of the bracket: far below the solver's tolerances; the heat is booked from whatever state
    // this returns, so energy stays conserved exactly.
    if (std::abs(next - v) <= 1e-11 * scale || high - low <= 1e-11 * scale) return next;
    v = next;
  }
  return v;
}

}  // namespace

NetworkChemistry::NetworkChemistry(const ReactionNetwork& network, const CellInventory& cell, double initial_soc, double jelly_roll_volume_m3,
                                   std::vector<double> jelly_roll_fraction)
    : reactions_(network.reactions), fraction_(std::move(jelly_roll_fraction)), jelly_roll_volume_(jelly_roll_volume_m3) {
  if (!(jelly_roll_volume_m3 > 0.0) || !std::isfinite(jelly_roll_volume_m3))
    throw std::invalid_argument("NetworkChemistry: jelly_roll_volume_m3 = " + std::to_string(jelly_roll_volume_m3) + ": must be positive");
  for (std::size_t c = 0; c < fraction_.size(); ++c)
    if (!(fraction_[c] >= 0.0 && fraction_[c] <= 1.0))
      throw std::invalid_argument("NetworkChemistry: jelly_roll_fraction[" + std::to_string(c) + "] = " + std::to_string(fraction_[c]) + ": must be in [0, 1]");
  std::size_t next = 0;
  for (const auto& r : reactions_) {
    index_.push_back(next++);
    sei_index_.push_back(r.law == RateLaw::sei_limited ? next++ : 0);
    // The same reacting mass as the lumped model (ThermalRunawayModel).
    const double kg = cell.reactant_mass_kg(r.reactant, initial_soc) * r.reactant_mass_fraction * (r.scales_with_soc ? initial_soc : 1.0);
    reactant_kg_.push_back(kg);
    heat_density_.push_back(r.heat_J_per_kg * kg / jelly_roll_volume_m3);
    e_over_r_.push_back(r.activation_energy_J_per_mol / R);
    log_a_.push_back(r.frequency_factor_per_s > 0.0 ? std::log(r.frequency_factor_per_s) : -1e300);
    initially_enabled_.push_back(!r.onset_K && r.enabled_after < 0 ? 1 : 0);
    std::size_t group = group_count_;
    for (std::size_t j = 0; j + 1 < e_over_r_.size(); ++j)
      if (e_over_r_[j] == e_over_r_.back()) group = arrhenius_group_[j];
    if (group == group_count_) ++group_count_;
    arrhenius_group_.push_back(group);
  }
  state_size_ = next;
  reset();
}

void NetworkChemistry::reset() {
  const std::size_t m = reactions_.size();
  enabled_.assign(fraction_.size() * m, 0);
  for (std::size_t c = 0; c < fraction_.size(); ++c) std::copy_n(initially_enabled_.begin(), m, enabled_.begin() + static_cast<std::ptrdiff_t>(c * m));
}

void NetworkChemistry::initial_state(std::size_t, std::span<double> state) const {
  for (std::size_t k = 0; k < reactions_.size(); ++k) {
    state[index_[k]] = reactions_[k].initial_value;
    if (reactions_[k].law == RateLaw::sei_limited) state[sei_index_[k]] = reactions_[k].sei_thickness_initial;
  }
}

double NetworkChemistry::rate_constant(std::size_t k, double T) const {
  return reactions_[k].frequency_factor_per_s * std::exp(-e_over_r_[k] / T);
}

double NetworkChemistry::converted(std::size_t k, std::span<const double> state) const {
  const auto& r = reactions_[k];
  const double v = state[index_[k]];
  return grows(r.law) ? v - r.initial_value : r.initial_value - v;
}

double NetworkChemistry::progress(std::size_t k, std::span<const double> state) const {
  return abuse::progress(reactions_[k], state[index_[k]]);
}

double NetworkChemistry::heat_available_J(std::size_t k) const {
  const auto& r = reactions_[k];
  const double span = grows(r.law) ? 1.0 - r.initial_value : r.initial_value;
  return r.heat_J_per_kg * reactant_kg_[k] * span;
}

double NetworkChemistry::heat_content(std::size_t cell, std::size_t k, std::span<const double> state) const {
  return fraction_[cell] * heat_density_[k] * converted(k, state);
}

double NetworkChemistry::solve_step(std::size_t cell, double T, double beta_h, std::span<const double> history, std::span<double> state,
                                    std::span<double> channel_heat) const {
  const std::size_t m = reactions_.size();
  const double fraction = fraction_[cell];
  const std::uint8_t* on = enabled_.data() + cell * m;
  // exp(-E/RT) per distinct activation energy, computed when first needed.
  constexpr std::size_t local_groups = 16;
  double local[local_groups];
  std::vector<double> heap;
  double* boltzmann = local;
  if (group_count_ > local_groups) {
    heap.assign(group_count_, -1.0);
    boltzmann = heap.data();
  } else {
    std::fill_n(local, group_count_, -1.0);
  }
  const double inverse_T = 1.0 / T;
  auto arrhenius = [&](std::size_t k) {
    double& b = boltzmann[arrhenius_group_[k]];
    if (b < 0.0) b = std::exp(-e_over_r_[k] * inverse_T);
    return reactions_[k].frequency_factor_per_s * b;
  };
  if (beta_h != cached_beta_h_) {
    // Below T_k = (E_k/R) / ln(A_k beta_h / eps) a reaction moves its variable by less than eps = 1e-13 in
    // a step: it is left frozen (its heat booked as zero, so energy stays exact), saving exponentials in
    // cold cells.
    frozen_K_.resize(m);
    for (std::size_t k = 0; k < m; ++k) {
      const double log_a_step = log_a_[k] + std::log(beta_h) + 13.0 * std::log(10.0);
      frozen_K_[k] = log_a_step > 0.0 ? e_over_r_[k] / log_a_step : std::numeric_limits<double>::infinity();
    }
    cached_beta_h_ = beta_h;
  }
  double derivative = 0.0;
  for (std::size_t k = 0; k < m; ++k) {
    const auto& r = reactions_[k];
    const std::size_t i = index_[k];
    const double h = history[i];
    // A switched-off or frozen reaction (or no jelly roll here) keeps its history.
    if (!on[k] || fraction == 0.0 || beta_h == 0.0 || (r.law != RateLaw::melting && T < frozen_K_[k])) {
      state[i] = h;
      if (r.law == RateLaw::sei_limited) state[sei_index_[k]] = history[sei_index_[k]];
      channel_heat[k] = 0.0;
      continue;
    }
    double v = h, dv_dT = 0.0;  // the new value and its derivative in T (0 where clipped)
    const double activation = e_over_r_[k] * inverse_T * inverse_T;  // d ln k / dT
    switch (r.law) {
      case RateLaw::melting: {
        // x = h + beta_h (1 - x) max(0, T - T_m): linear in x.
        const double superheat = std::max(0.0, T - r.melting_K);
        const double tau = beta_h * superheat;
        v = (h + tau) / (1.0 + tau);
        if (v > 1.0 || v < 0.0) {
          v = std::clamp(v, 0.0, 1.0);
        } else if (superheat > 0.0) {
          dv_dT = beta_h * (1.0 - h) / ((1.0 + tau) * (1.0 + tau));
        }
        break;
      }
      case RateLaw::nth_order: {
        // c = h - tau c^m on [0, h]; clipped at 0 when the history already overshot.
        if (h <= 1e-13 * r.initial_value) {  // exhausted (or the history overshot): no exponential
          v = std::max(h, 0.0);
          break;
        }
        const double k_T = arrhenius(k);
        const double tau = beta_h * k_T;
        const double order = r.order;
        double power = 0.0;  // c^m at the solution
        if (order == 1.0) {
          v = h / (1.0 + tau);
          power = v;
        } else {
          v = bracketed_root([&](double c) {
                const double p = std::pow(c, order);
                return std::pair<double, double>{c - h + tau * p, 1.0 + tau * order * (c > 0.0 ? p / c : (order < 1.0 ? 1e300 : 0.0))};
              }, 0.0, h, state[i]);
          power = std::pow(v, order);
        }
        const double slope = 1.0 + tau * order * (v > 0.0 ? power / v : 0.0);
        dv_dT = -beta_h * k_T * activation * power / slope;
        break;
      }
      case RateLaw::sei_limited: {
        // c and the SEI thickness z move together: c + z = h_c + h_z = S, so one equation in c:
        // g(c) = c - h_c + tau exp(-(S - c)/z_ref) c^m on [0, h_c].
        const std::size_t j = sei_index_[k];
        const double hz = history[j];
        if (h <= 1e-13 * r.initial_value) {  // exhausted (or the history overshot)
          v = std::max(h, 0.0);
          state[j] = hz + h - v;  // keeps c + z
          break;
        }
        const double sum = h + hz;
        const double zr = r.sei_thickness_reference, order = r.order;
        // Rate constant and inhibition in one exponential: A exp(-E/RT - (S - c)/z_ref).
        const double log_base = log_a_[k] - e_over_r_[k] * inverse_T;
        auto g = [&](double c) {
          const double rate = std::exp(log_base - (sum - c) / zr);
          const double p = order == 1.0 ? c : std::pow(c, order);
          const double dp = order == 1.0 ? 1.0 : (c > 0.0 ? order * p / c : 0.0);
          return std::array<double, 3>{c - h + beta_h * rate * p, 1.0 + beta_h * rate * (p / zr + dp), rate * p};
        };
        // Newton's iteration in the bracket [0, h] (g(0) <= 0 <= g(h)) from the caller's guess (the previous
        // Newton iterate's state, close): usually one or two exponentials.
        double low = 0.0, high = h, c = std::clamp(state[i], 0.0, h);
        std::array<double, 3> at{};
        for (int iteration = 0; iteration < 60; ++iteration) {
          at = g(c);
          (at[0] < 0.0 ? low : high) = c;
          double next = c - at[0] / at[1];
          if (!(next >= low && next <= high)) next = 0.5 * (low + high);
          const bool done = std::abs(next - c) <= 1e-11 * h || high - low <= 1e-11 * h;
          c = next;
          if (done) break;
        }
        v = c;
        state[j] = sum - v;
        dv_dT = -beta_h * activation * at[2] / at[1];  // at the last iterate: the Jacobian needs no more
        break;
      }
      case RateLaw::autocatalytic: {
        // a = h + tau a^m1 (1 - a)^m2 on [h, 1]; clipped to [0, 1] when the history overshot.
        if (h >= 1.0 - 1e-13 || h <= 0.0) {  // exhausted, or the history overshot
          v = std::clamp(h, 0.0, 1.0);
          break;
        }
        const double k_T = arrhenius(k);
        const double tau = beta_h * k_T;
        const double m1 = r.order, m2 = r.order_2;
        double f = 0.0, slope = 1.0;
        if (m1 == 1.0 && m2 == 1.0) {
          // tau a^2 + (1 - tau) a - h = 0: the one root in [0, 1], in the form without cancellation.
          const double b = 1.0 - tau;
          const double root = std::sqrt(b * b + 4.0 * tau * h);
          v = b >= 0.0 ? 2.0 * h / (b + root) : (root - b) / (2.0 * tau);
          v = std::clamp(v, h, 1.0);
          f = v * (1.0 - v);
          slope = 1.0 - tau * (1.0 - 2.0 * v);
        } else {
          auto g = [&](double a) {
            const double pa = std::pow(a, m1), pb = std::pow(1.0 - a, m2);
            const double df = (a > 0.0 ? m1 * pa / a : 0.0) * pb - pa * (a < 1.0 ? m2 * pb / (1.0 - a) : 0.0);
            return std::pair<double, double>{a - h - tau * pa * pb, 1.0 - tau * df};
          };
          v = bracketed_root(g, h, 1.0, std::clamp(state[i], h, 1.0));
          f = std::pow(v, m1) * std::pow(1.0 - v, m2);
          slope = g(v).second;
        }
        if (slope > 0.0) dv_dT = beta_h * k_T * activation * f / slope;
        break;
      }
    }
    state[i] = v;
    const double sign = grows(r.law) ? 1.0 : -1.0;
    const double heat = fraction * heat_density_[k];
    channel_heat[k] = heat * sign * (v - h);
    derivative += heat * sign * dv_dT;
  }
  return derivative;
}

void NetworkChemistry::heat_rates(std::size_t cell, double T, std::span<const double> state, std::span<double> channel) const {
  const std::size_t m = reactions_.size();
  for (std::size_t k = 0; k < m; ++k) {
    channel[k] = 0.0;
    if (!enabled_[cell * m + k] || fraction_[cell] == 0.0) continue;
    const auto& r = reactions_[k];
    const double v = state[index_[k]];
    double rate = 0.0;
    switch (r.law) {
      case RateLaw::melting: rate = std::max(1.0 - v, 0.0) * std::max(0.0, T - r.melting_K); break;
      case RateLaw::nth_order: rate = rate_constant(k, T) * std::pow(std::max(v, 0.0), r.order); break;
      case RateLaw::sei_limited:
        rate = rate_constant(k, T) * std::exp(-state[sei_index_[k]] / r.sei_thickness_reference) * std::pow(std::max(v, 0.0), r.order);
        break;
      case RateLaw::autocatalytic: rate = rate_constant(k, T) * std::pow(std::max(v, 0.0), r.order) * std::pow(std::max(1.0 - v, 0.0), r.order_2); break;
    }
    channel[k] = fraction_[cell] * heat_density_[k] * rate;
  }
}

bool NetworkChemistry::ignites_within(std::size_t cell, double T, std::span<const double> state, double window_s) const {
  const std::size_t m = reactions_.size();
  if (fraction_[cell] == 0.0 || !(window_s > 0.0)) return false;
  if (window_s != cached_window_) {
    // A exp(-E/RT) window > 1  <=>  T > (E/R) / ln(A window): no exponential per cell.
    ignition_K_.resize(m);
    const double log_window = std::log(window_s);
    for (std::size_t k = 0; k < m; ++k) {
      const double log_aw = log_a_[k] + log_window;
      ignition_K_[k] = log_aw > 0.0 ? e_over_r_[k] / log_aw : std::numeric_limits<double>::infinity();
    }
    cached_window_ = window_s;
  }
  for (std::size_t k = 0; k < m; ++k) {
    const auto& r = reactions_[k];
    if (!enabled_[cell * m + k] || heat_density_[k] == 0.0) continue;
    const double v = state[index_[k]];
    const double left = grows(r.law) ? 1.0 - v : v;  // what is still to react
    if (left <= 1e-9) continue;
    if (r.law == RateLaw::melting) {
      if (std::max(0.0, T - r.melting_K) * window_s > 1.0) return true;
      continue;
    }
    if (T <= ignition_K_[k]) continue;
    if (r.law != RateLaw::sei_limited) return true;
    // The SEI's inhibition slows it: the exact test.
    if (window_s * rate_constant(k, T) * std::exp(-state[sei_index_[k]] / r.sei_thickness_reference) > 1.0) return true;
  }
  return false;
}

void NetworkChemistry::accept(std::span<const double> temperature, std::span<const double> states) {
  const std::size_t m = reactions_.size();
  for (std::size_t c = 0; c < fraction_.size(); ++c) {
    std::uint8_t* on = enabled_.data() + c * m;
    const auto state = states.subspan(c * state_size_, state_size_);
    // Twice, so that a gate opened by a reaction switched on here is seen at once (as the lumped driver's
    // restart re-check does).
    for (int pass = 0; pass < 2; ++pass) {
      for (std::size_t k = 0; k < m; ++k) {
        if (on[k]) continue;
        const auto& r = reactions_[k];
        const bool onset_ok = !r.onset_K || temperature[c] >= *r.onset_K;
        const bool gate_ok = r.enabled_after < 0 || progress(static_cast<std::size_t>(r.enabled_after), state) >= 0.5;
        if (onset_ok && gate_ok) on[k] = 1;
      }
    }
  }
}

}  // namespace solidcell::abuse
