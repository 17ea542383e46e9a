#pragma once
// Chemistry that runs in every control volume of Conduction3d: a set of local states (reaction progress
// variables) per cell, advanced with the same implicit formula as the temperatures and eliminated cell by
// cell inside each Newton iteration, and a heat per volume released by each of its channels (reactions).
// The thermal module knows nothing of reaction networks; abuse/network_chemistry.hpp adapts a network.
//
// The contract that keeps energy conservation to round-off: each channel's heat content E_k(state)
// (J/m3, released since the start) is affine in the state. The solver then books channel k's heat over a
// step as V (E_k(y) - E_k(a1 y_n + a2 y_{n-1})) / (beta h), which its own BDF formula integrates to exactly
// V (E_k(y) - E_k(y_0)).
#include <cstddef>
#include <span>
#include <string>

namespace solidcell::thermal {

class CellChemistry {
 public:
  virtual ~CellChemistry() = default;

  virtual std::size_t state_size() const = 0;     // states per control volume
  virtual std::size_t channel_count() const = 0;  // heat channels, booked separately
  virtual std::string channel_name(std::size_t channel) const = 0;

  // The states at the start (cell-major storage is the solver's business).
  virtual void initial_state(std::size_t cell, std::span<double> state) const = 0;

  // One control volume's implicit step at temperature T: solves state = history + beta_h f(state, T)
  // (history = a1 y_n + a2 y_{n-1}; state holds a first guess on entry). Writes into channel_heat each
  // channel's E_k(state) - E_k(history) (J/m3) and returns d/dT of their sum (J/(m3 K)), 0 where the
  // solution was clipped. beta_h = 0 must give state = history.
  virtual double solve_step(std::size_t cell, double temperature_K, double beta_h, std::span<const double> history, std::span<double> state,
                            std::span<double> channel_heat_J_per_m3) const = 0;

  // Heat release rates (W/m3) per channel at a state: the rate form, for the first step's predictor.
  virtual void heat_rates(std::size_t cell, double temperature_K, std::span<const double> state, std::span<double> channel_W_per_m3) const = 0;

  // E_k(state) in J/m3 (affine in the state).
  virtual double heat_content(std::size_t cell, std::size_t channel, std::span<const double> state) const = 0;

  // Whether a heat-releasing channel that still has reactant runs its course within window_s at T, i.e.
  // its first-order rate constant times window_s exceeds 1: the cell ignites within the step
  // (Conduction3dOptions::ignition_time_s). Called for every cell with one window per step, so an
  // implementation may cache per window.
  virtual bool ignites_within(std::size_t cell, double temperature_K, std::span<const double> state, double window_s) const = 0;

  // Switches (ignition thresholds, contact gates) latch here, at the start and after every accepted
  // step, from the accepted temperature and states; within a step they stay fixed, so Newton sees a
  // smooth problem. `states` is cell-major: states[cell * state_size() + s].
  virtual void reset() {}
  virtual void accept(std::span<const double> temperature_K, std::span<const double> states) {
    (void)temperature_K;
    (void)states;
  }
};

}  // namespace solidcell::thermal
