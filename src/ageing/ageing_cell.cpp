#include "solidcell/ageing/ageing_cell.hpp"

#include <stdexcept>

namespace solidcell::ageing {

AgeingCell::AgeingCell(electrochem::CellParameters parameters, AgeingCellOptions options) : options_(std::move(options)) {
  parameters.sei_growth = options_.sei;
  model_ = std::make_unique<electrochem::DfnModel>(std::move(parameters), options_.mesh);
  if (options_.simulation.cutoff_margin_V <= 0.0) options_.simulation.cutoff_margin_V = 0.1;
  if (options_.simulation.ambient_temperature_K) model_->set_temperature(*options_.simulation.ambient_temperature_K);
  state_ = model_->initial_state(options_.simulation.initial_soc);
}

experiment::Solution AgeingCell::advance(const std::vector<experiment::Step>& steps) {
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

}  // namespace solidcell::ageing
