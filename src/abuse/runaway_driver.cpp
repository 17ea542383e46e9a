#include "solidcell/abuse/runaway_driver.hpp"

#include <cmath>

namespace solidcell::abuse {

RunawayDriver::RunawayDriver(const CellInventory& cell, const ReactionNetwork& network, double initial_soc, double initial_temperature_K,
                             Surroundings surroundings, double relative_tolerance, ModelFeatures features)
    : network_(network), model_(cell, network, initial_soc, surroundings, {}, features), surroundings_(std::move(surroundings)), initial_temperature_K_(initial_temperature_K) {
  numerics::IntegratorOptions options{relative_tolerance};
  options.max_steps = 200000;
  integrator_ = numerics::make_integrator(numerics::IntegratorKind::ida, model_, options);
  y_ = model_.initial_state(initial_temperature_K);
  for (const auto& r : network.reactions) trace_.reaction_names.push_back(r.name);
  trace_.reaction_progress.assign(network.reactions.size(), {});
}

void RunawayDriver::record() {
  const double* y = y_.data();
  trace_.time_s.push_back(t_);
  trace_.temperature_K.push_back(model_.temperature(y));
  trace_.surroundings_K.push_back(surroundings_.temperature_K(t_));
  const auto c = model_.circuit(t_, y);
  trace_.voltage_V.push_back(c.voltage_V);
  trace_.current_A.push_back(c.current_A);
  double q = 0.0;
  for (std::size_t k = 0; k < network_.reactions.size(); ++k) {
    q += model_.reaction_heat_rate_W(k, y);
    trace_.reaction_progress[k].push_back(model_.progress(k, y));
  }
  trace_.heat_rate_W.push_back(q);
  trace_.temperature_rate_K_per_s.push_back(yp_.empty() ? 0.0 : model_.temperature_rate(yp_.data()));
  trace_.state_of_charge.push_back(model_.state_of_charge(y));
  trace_.gas_mol.push_back(model_.gas_mol(y));
}

bool RunawayDriver::advance_to(double t_end, const Surroundings& surroundings, const ElectricalLoad& load, const StopCondition& stop) {
  return advance(t_end, surroundings, load, stop, {});
}

bool RunawayDriver::advance_to_level(double t_end, const Surroundings& surroundings, const ElectricalLoad& load, const StopLevel& level) {
  return advance(t_end, surroundings, load, {}, level);
}

bool RunawayDriver::advance(double t_end, const Surroundings& surroundings, const ElectricalLoad& load, const StopCondition& stop, const StopLevel& level) {
  surroundings_ = surroundings;
  model_.set_surroundings(surroundings);
  model_.set_load(load);
  if (load.internal_short_ohm) internal_path_closed_ = true;
  const std::size_t nr = network_.reactions.size();
  // Switch events: a threshold reached (T rises through it), a gate passed (progress through 1/2), the short.
  struct Switch {
    enum Kind { onset, gate, short_circuit, shutdown } kind;
    std::size_t reaction;
  };
  while (t_ < t_end) {
    std::vector<Switch> switches;
    for (std::size_t k = 0; k < nr; ++k) {
      if (model_.reaction_enabled(k)) continue;
      const auto& r = network_.reactions[k];
      const bool onset_ok = !r.onset_K || model_.temperature(y_.data()) >= *r.onset_K;
      const bool gate_ok = r.enabled_after < 0 || model_.progress(static_cast<std::size_t>(r.enabled_after), y_.data()) >= 0.5;
      if (onset_ok && gate_ok) {
        model_.enable_reaction(k);
      } else {
        switches.push_back({onset_ok ? Switch::gate : Switch::onset, k});
      }
    }
    if (network_.separator_shutdown && !model_.shutdown_enabled()) {
      if (model_.temperature(y_.data()) >= network_.separator_shutdown->onset_K) {
        model_.enable_shutdown();
        shutdown_s_ = t_;
      } else {
        switches.push_back({Switch::shutdown, 0});
      }
    }
    if (network_.internal_short && !model_.short_enabled()) {
      if (model_.temperature(y_.data()) >= network_.internal_short->onset_K) {
        model_.enable_short();
        short_onset_s_ = t_;
      } else {
        switches.push_back({Switch::short_circuit, 0});
      }
    }
    auto level_at = [&](double t, const double* yy) {
      return level(t, model_.circuit(t, yy).voltage_V, model_.state_of_charge(yy), model_.temperature(yy));
    };
    if (level && level_at(t_, y_.data()) <= 0.0) {
      if (!recorded_start_) {
        record();
        recorded_start_ = true;
      }
      return true;
    }
    integrator_->set_events(static_cast<int>(switches.size() + (level ? 1 : 0)), [&](double t, const double* yy, double* g) {
      if (level) g[switches.size()] = level_at(t, yy);
      for (std::size_t s = 0; s < switches.size(); ++s) {
        const auto& sw = switches[s];
        const double T = model_.temperature(yy);
        if (sw.kind == Switch::short_circuit) g[s] = network_.internal_short->onset_K - T;
        else if (sw.kind == Switch::shutdown) g[s] = network_.separator_shutdown->onset_K - T;
        else if (sw.kind == Switch::onset) g[s] = *network_.reactions[sw.reaction].onset_K - T;
        else g[s] = 0.5 - model_.progress(static_cast<std::size_t>(network_.reactions[sw.reaction].enabled_after), yy);
      }
    });
    integrator_->start(t_, y_, yp_);
    if (!recorded_start_) {
      record();
      recorded_start_ = true;
    }
    while (true) {
      int which = -1;
      const auto outcome = integrator_->step(t_end, t_, y_, yp_, &which);
      record();
      if (stop && stop(t_, trace_.voltage_V.back(), model_.state_of_charge(y_.data()), model_.temperature(y_.data()))) return true;
      if (outcome == numerics::DaeIntegrator::Outcome::step) continue;
      if (outcome == numerics::DaeIntegrator::Outcome::event && level && which == static_cast<int>(switches.size())) return true;
      if (outcome == numerics::DaeIntegrator::Outcome::event && which >= 0) {
        const auto& sw = switches[static_cast<std::size_t>(which)];
        if (sw.kind == Switch::short_circuit) {
          model_.enable_short();
          short_onset_s_ = t_;
        } else if (sw.kind == Switch::shutdown) {
          model_.enable_shutdown();
          shutdown_s_ = t_;
        } else if (sw.kind == Switch::onset && network_.reactions[sw.reaction].enabled_after < 0) {
          model_.enable_reaction(sw.reaction);
        }  // otherwise the loop above re-checks both conditions at the restart
      }
      break;
    }
  }
  return false;
}

void RunawayDriver::finish(AbuseResult& result, const RunawayCriterion& criterion, double max_operating_temperature_K) const {
  const double* y = y_.data();
  const std::size_t nr = network_.reactions.size();
  result.network = network_.name;
  result.trace = trace_;
  result.short_onset_s = short_onset_s_;
  result.separator_shutdown_s = shutdown_s_;
  double reactions_J = 0.0, exothermic_released_J = 0.0, exothermic_available_J = 0.0;
  bool lithium_burned = false, irreversible = model_.short_enabled() || internal_path_closed_;
  result.reaction_heat_kJ.clear();
  for (std::size_t k = 0; k < nr; ++k) {
    const double q = model_.reaction_heat_J(k, y);
    result.reaction_heat_kJ.push_back({network_.reactions[k].name, q / 1000.0});
    result.reaction_gas_mol.push_back({network_.reactions[k].name, model_.reaction_gas_mol(k, y)});
    reactions_J += q;
    const auto& r = network_.reactions[k];
    const bool ran = model_.progress(k, y) > 0.01;
    if (r.heat_J_per_kg > 0.0) {
      exothermic_released_J += std::max(q, 0.0);
      exothermic_available_J += model_.reaction_heat_available_J(k, y);
    }
    if (ran && r.heat_J_per_kg > 0.0) irreversible = true;
    if (ran && r.reactant == Reactant::lithium_metal && r.heat_J_per_kg > 0.0) lithium_burned = true;
  }
  result.electrical_heat_kJ = model_.electrical_heat_J(y) / 1000.0;
  result.terminal_energy_kJ = model_.terminal_energy_J(y) / 1000.0;
  result.heat_from_surroundings_kJ = model_.heat_exchanged_J(y) / 1000.0;
  result.energy_balance_error_J = model_.heat_capacity_J_per_K() * (model_.temperature(y) - initial_temperature_K_) -
                                  (reactions_J + model_.electrical_heat_J(y) + model_.heat_exchanged_J(y));
  HazardInputs hazard{network_.hazard.flammable_electrolyte, lithium_burned, irreversible, model_.gas_mol(y), network_.hazard.vent_gas_mol,
                      exothermic_available_J > 0.0 ? exothermic_released_J / exothermic_available_J : 0.0};
  // The chemistry's own heating rate per row, so that Joule heat does not set the onset.
  std::vector<double> chemical_rate(trace_.heat_rate_W.size());
  for (std::size_t k = 0; k < chemical_rate.size(); ++k) chemical_rate[k] = trace_.heat_rate_W[k] / model_.heat_capacity_J_per_K();
  result.verdict = judge(trace_.time_s, trace_.temperature_K, trace_.temperature_rate_K_per_s, trace_.voltage_V, max_operating_temperature_K,
                         criterion, hazard, chemical_rate);
}

}  // namespace solidcell::abuse
