#pragma once
// A cell that remembers what it went through: one DFN with its degradation submodels, built once, and the
// state it was left in. advance() runs any experiment from that state (a cycle, a drive, a rest at a
// temperature) and keeps the state for the next call, so SEI thickness and the lithium it took accumulate.
// Cycling studies (cycle_study.hpp) and road-use scenarios drive the same object. Equations: docs/ageing.md.
#include <memory>
#include <vector>

#include "solidcell/ageing/solid_state_fade.hpp"
#include "solidcell/electrochem/battery_model.hpp"
#include "solidcell/electrochem/dfn_model.hpp"
#include "solidcell/electrochem/parameters.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/experiment/step.hpp"

namespace solidcell::ageing {

struct AgeingCellOptions {
  electrochem::SeiGrowth sei = electrochem::SeiGrowth::reaction_limited;
  // Lithium plating on the negative (needs the cell's [negative.plating] table); none by default.
  electrochem::LithiumPlating plating = electrochem::LithiumPlating::none;
  // Loss of active material in the electrodes whose cell file has an [<electrode>.active_material_loss] table.
  electrochem::ActiveMaterialLoss active_material_loss = electrochem::ActiveMaterialLoss::none;
  electrochem::Mesh mesh{};
  // Tolerances, integrator and ambient temperature of every run; initial_soc places the fresh cell. A cut-off
  // margin of 0 is widened to 0.1 V, so that a step's own "until 2.5 V" ends it rather than the cell's window
  // (which ends a whole run).
  experiment::SimulationOptions simulation{};
  // Solid-state fade (solid_state_fade.hpp; the cell file's [degradation] table): CEI, contact loss, lithium
  // inventory, voids and shorts. Set, advance() runs the steps one at a time and updates the fade after each.
  std::optional<SolidStateFadeParameters> solid_state_fade;
};

class AgeingCell {
 public:
  // Throws InputError (field "SEI") when the growth law needs SEI parameters the cell lacks.
  AgeingCell(electrochem::CellParameters parameters, AgeingCellOptions options = {});

  // Runs the steps from the present state and keeps the state they end in. The Solution's times start at 0.
  experiment::Solution advance(const std::vector<experiment::Step>& steps);

  const std::vector<double>& state() const { return state_; }
  // Replaces the state (cycle acceleration extrapolates it); it must come from this cell's model.
  void set_state(std::vector<double> state);
  // The model's state followed by the solid-state fade's numbers (none without it): what an accelerated study
  // extrapolates. set_degradation_state() takes such a vector, or the model's state alone (the fade kept).
  std::vector<double> degradation_state() const;
  void set_degradation_state(std::vector<double> state);
  // The solid-state fade, when the options set one.
  const SolidStateFade* solid_state_fade() const { return fade_.get(); }
  // Shorts raised since the last call (advance() ends its run at one).
  std::vector<AgeingEvent> take_events();
  electrochem::DfnModel& model() { return *model_; }
  const electrochem::DfnModel& model() const { return *model_; }
  const AgeingCellOptions& options() const { return options_; }

  // The degradation state now.
  double lithium_moles() const { return model_->lithium_moles(state_.data()); }          // conserved
  double lithium_lost_to_sei_mol() const { return model_->sei_lithium_moles(state_.data()); }
  double sei_thickness_m() const { return model_->mean_sei_thickness(state_.data()); }
  // Lithium plating: strippable and dead lithium in the negative now, and what plating took since the start.
  double plated_lithium_mol() const { return model_->plated_lithium_moles(state_.data()); }
  double dead_lithium_mol() const { return model_->dead_lithium_moles(state_.data()); }
  double lithium_lost_to_plating_mol() const { return model_->plating_lithium_moles(state_.data()); }
  // Loss of active material: the x-averaged active volume fraction of an electrode, and the lithium held by the material
  // lost (both electrodes).
  double active_material_fraction(bool positive) const { return model_->active_material_fraction(state_.data(), positive); }
  double lithium_lost_to_active_material_loss_mol() const {
    return model_->lost_active_material_lithium_moles(state_.data(), false) + model_->lost_active_material_lithium_moles(state_.data(), true);
  }
  // Particles + salt.
  double cyclable_lithium_mol() const {
    return lithium_moles() - lithium_lost_to_sei_mol() - plated_lithium_mol() - dead_lithium_mol() - lithium_lost_to_active_material_loss_mol();
  }
  // Summed over every advance(); cycles an accelerated study skipped or undid are not in it.
  double operating_time_s() const { return time_s_; }

 private:
  AgeingCellOptions options_;
  std::unique_ptr<electrochem::DfnModel> model_;
  std::vector<double> state_;
  double time_s_ = 0.0;
  std::unique_ptr<SolidStateFade> fade_;
  std::vector<AgeingEvent> events_;

  experiment::Solution advance_step_by_step(const std::vector<experiment::Step>& steps);
};

}  // namespace solidcell::ageing
