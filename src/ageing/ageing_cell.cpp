#include "solidcell/ageing/ageing_cell.hpp"

#include <algorithm>
#include <chrono>
#include <limits>
#include <stdexcept>

#include <fmt/format.h>

namespace solidcell::ageing {

AgeingCell::AgeingCell(electrochem::CellParameters parameters, AgeingCellOptions options) : options_(std::move(options)) {
  // A solid-state cell has no negative SEI: its fade is the solid-state one.
  parameters.sei_growth = options_.solid_state_fade && !parameters.sei ? electrochem::SeiGrowth::none : options_.sei;
  parameters.lithium_plating = options_.plating;
  parameters.active_material_loss = options_.active_material_loss;
  model_ = std::make_unique<electrochem::DfnModel>(std::move(parameters), options_.mesh);
  if (options_.simulation.cutoff_margin_V <= 0.0) options_.simulation.cutoff_margin_V = 0.1;
  if (options_.simulation.ambient_temperature_K) model_->set_temperature(*options_.simulation.ambient_temperature_K);
  state_ = model_->initial_state(options_.simulation.initial_soc);
  if (options_.solid_state_fade) {
    fade_ = std::make_unique<SolidStateFade>(*options_.solid_state_fade, *model_, state_);
    fade_->apply(*model_);
  }
}

experiment::Solution AgeingCell::advance(const std::vector<experiment::Step>& steps) {
  if (fade_) return advance_step_by_step(steps);
  experiment::SimulationOptions o = options_.simulation;
  o.initial_state = state_;
  o.record_profiles = false;
  auto sol = experiment::run_experiment(*model_, steps, o);
  // A failed run still moved the cell as far as it got.
  if (sol.final_state.size() == state_.size()) state_ = sol.final_state;
  if (!sol.time_s.empty()) time_s_ += sol.time_s.back();
  return sol;
}

void AgeingCell::set_state(std::vector<double> state) {
  if (state.size() != model_->size()) throw std::invalid_argument("AgeingCell::set_state: the state does not belong to this cell's model");
  state_ = std::move(state);
}

std::vector<double> AgeingCell::degradation_state() const {
  std::vector<double> y = state_;
  if (fade_) {
    y.resize(state_.size() + SolidStateFadeState::size);
    fade_->state().to(y.data() + state_.size());
  }
  return y;
}

void AgeingCell::set_degradation_state(std::vector<double> state) {
  const std::size_t n = model_->size();
  if (fade_ && state.size() == n + SolidStateFadeState::size) {
    SolidStateFadeState s;
    s.from(state.data() + n);
    fade_->set_state(s);
    fade_->apply(*model_);
    state.resize(n);
  }
  set_state(std::move(state));
}

std::vector<AgeingEvent> AgeingCell::take_events() {
  std::vector<AgeingEvent> e;
  e.swap(events_);
  return e;
}

// One run per step, so that each step starts from the fade its predecessors left (a discharge limited to the
// lithium the negative holds then, the interface resistances of the interphase grown so far); the runs are
// joined into one Solution as run_experiment() would have written it.
experiment::Solution AgeingCell::advance_step_by_step(const std::vector<experiment::Step>& steps) {
  experiment::SimulationOptions o = options_.simulation;
  o.record_profiles = false;
  experiment::Solution all;
  all.lithium_moles_start = model_->lithium_moles(state_.data());
  double x_min = SolidStateFade::mean_positive_stoichiometry(*model_, state_), x_max = x_min;
  double t0 = 0.0, energy0 = 0.0;
  const auto clock_start = std::chrono::steady_clock::now();
  for (std::size_t k = 0; k < steps.size(); ++k) {
    o.initial_state = state_;
    const experiment::Step step = fade_->limited(steps[k], *model_, state_);
    auto sol = experiment::run_experiment(*model_, {step}, o);
    if (sol.final_state.size() == state_.size()) state_ = sol.final_state;
    // Rows: a later run's first row repeats the previous run's last state.
    const std::size_t from = all.time_s.empty() ? 0 : 1;
    for (std::size_t r = from; r < sol.time_s.size(); ++r) {
      all.time_s.push_back(t0 + sol.time_s[r]);
      all.current_A.push_back(sol.current_A[r]);
      all.voltage_V.push_back(sol.voltage_V[r]);
      all.discharge_capacity_Ah.push_back(sol.discharge_capacity_Ah[r]);
      all.discharge_energy_Wh.push_back(energy0 + sol.discharge_energy_Wh[r]);
      all.open_circuit_voltage_V.push_back(sol.open_circuit_voltage_V[r]);
      all.temperature_K.push_back(sol.temperature_K[r]);
      all.step_number.push_back(sol.step_number[r]);
    }
    for (auto summary : sol.steps) {
      summary.start_s += t0;
      summary.end_s += t0;
      summary.text = steps[k].text;
      all.steps.push_back(summary);
    }
    all.model = sol.model;
    all.integrator = sol.integrator;
    all.solver.steps += sol.solver.steps;
    all.solver.residual_evaluations += sol.solver.residual_evaluations;
    all.solver.jacobian_evaluations += sol.solver.jacobian_evaluations;
    all.solver.jacobian_residual_evaluations += sol.solver.jacobian_residual_evaluations;
    all.solver.residuals_per_jacobian = sol.solver.residuals_per_jacobian;
    if (sol.failure) {
      all.failure = sol.failure;
      all.failure->time_s += t0;
    }
    all.stopped_early = sol.stopped_early;
    auto event = fade_->update_after_step(sol, steps[k].number, *model_);
    const double x = SolidStateFade::mean_positive_stoichiometry(*model_, state_);
    x_min = std::min(x_min, x);
    x_max = std::max(x_max, x);
    if (!sol.time_s.empty()) {
      t0 += sol.time_s.back();
      energy0 += sol.discharge_energy_Wh.back();
    }
    if (event) {
      event->time_s += t0 - (sol.time_s.empty() ? 0.0 : sol.time_s.back());
      all.stopped_early = fmt::format("step {} (\"{}\"): short circuit at t = {:.1f} s: plating at {:.3g} mA/cm2 over the lithium still in contact, above the "
                                      "critical current density {:.3g} mA/cm2",
                                      steps[k].number, steps[k].text, event->time_s, 0.1 * event->current_density_A_per_m2,
                                      0.1 * event->critical_current_density_A_per_m2);
      events_.push_back(*event);
    }
    if (sol.failure || !all.stopped_early.empty()) break;
  }
  fade_->update_after_run(x_min, x_max, *model_, state_);
  all.lithium_moles_end = model_->lithium_moles(state_.data());
  all.final_state = state_;
  all.solve_time_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - clock_start).count();
  time_s_ += t0;
  return all;
}

}  // namespace solidcell::ageing
