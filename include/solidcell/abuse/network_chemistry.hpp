#pragma once
// A runaway reaction network (reaction_network.hpp) running in every control volume of the 3D conduction
// solver: the adapter between abuse's reactions and thermal::CellChemistry. The rate laws, thresholds,
// contact gates and reacting masses are those of the lumped ThermalRunawayModel; in 3D each control volume
// carries its own progress variables and its own switches. A reaction's heat per volume is
// H_k m_k / V_jr, with m_k the reacting mass of the whole cell (CellInventory, state of charge applied as
// in the lumped model) and V_jr the jelly-roll volume over which it is spread, times the cell's jelly-roll
// fraction (0 in a nail).
#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/thermal/cell_chemistry.hpp"

namespace solidcell::abuse {

// Not for concurrent use of one object (it caches per step); each solver has its own.
class NetworkChemistry final : public thermal::CellChemistry {
 public:
  // jelly_roll_fraction: one value per control volume (volume share that is jelly roll, 0-1). Throws
  // std::invalid_argument for a fraction outside [0, 1] or a non-positive volume.
  NetworkChemistry(const ReactionNetwork& network, const CellInventory& cell, double initial_soc, double jelly_roll_volume_m3,
                   std::vector<double> jelly_roll_fraction);

  std::size_t state_size() const override { return state_size_; }
  std::size_t channel_count() const override { return reactions_.size(); }
  std::string channel_name(std::size_t k) const override { return reactions_[k].name; }
  void initial_state(std::size_t cell, std::span<double> state) const override;
  double solve_step(std::size_t cell, double temperature_K, double beta_h, std::span<const double> history, std::span<double> state,
                    std::span<double> channel_heat_J_per_m3) const override;
  void heat_rates(std::size_t cell, double temperature_K, std::span<const double> state, std::span<double> channel_W_per_m3) const override;
  double heat_content(std::size_t cell, std::size_t k, std::span<const double> state) const override;
  bool ignites_within(std::size_t cell, double temperature_K, std::span<const double> state, double window_s) const override;
  void reset() override;
  void accept(std::span<const double> temperature_K, std::span<const double> states) override;

  // Readings.
  const Reaction& reaction(std::size_t k) const { return reactions_[k]; }
  bool enabled(std::size_t cell, std::size_t k) const { return enabled_[cell * reactions_.size() + k] != 0; }
  // 0 at the start, 1 when the reaction has run its course (as ThermalRunawayModel::progress).
  double progress(std::size_t k, std::span<const double> state) const;
  // Converted amount (the lumped model's c0 - c, a - a0 or x - x0).
  double converted(std::size_t k, std::span<const double> state) const;
  double reactant_kg(std::size_t k) const { return reactant_kg_[k]; }
  // H_k m_k / V_jr: heat per unit of conversion and per volume of jelly roll (J/m3).
  double heat_density_J_per_m3(std::size_t k) const { return heat_density_[k]; }
  double heat_available_J(std::size_t k) const;  // H_k m_k (full span of the variable)
  double jelly_roll_fraction(std::size_t cell) const { return fraction_[cell]; }
  double jelly_roll_volume_m3() const { return jelly_roll_volume_; }

 private:
  double rate_constant(std::size_t k, double T) const;

  std::vector<Reaction> reactions_;
  std::vector<std::size_t> index_, sei_index_;
  std::vector<double> reactant_kg_, heat_density_, e_over_r_, log_a_;
  // Reactions with the same activation energy share one exponential (Kim's SEI and negative-solvent).
  std::vector<std::size_t> arrhenius_group_;
  std::size_t group_count_ = 0;
  // ignites_within's thresholds T_k = (E_k/R) / ln(A_k window) for the last window (one window a step).
  mutable double cached_window_ = -1.0;
  mutable std::vector<double> ignition_K_;
  // solve_step's freezing temperatures for the last beta h (one per Newton iteration).
  mutable double cached_beta_h_ = -1.0;
  mutable std::vector<double> frozen_K_;
  std::vector<double> fraction_;
  std::vector<std::uint8_t> enabled_, initially_enabled_;
  double jelly_roll_volume_ = 0.0;
  std::size_t state_size_ = 0;
};

}  // namespace solidcell::abuse
