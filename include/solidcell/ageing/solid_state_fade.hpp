#pragma once
// Solid-state fade (docs/ageing.md): a degradation state that each solved step's own history moves, applied to
// the DFN through its inputs before the next step.
//  - cathode|electrolyte interphase (CEI): parabolic growth, d(delta^2)/dt = 2 k0 arrh(Ea, T)
//    max(0, exp(beta F (U_p - U_ox) / RT) - 1), U_p = V + U_neg; adds resistivity x delta to the positive's
//    interface resistance per CAM area and binds lithium (c_Li x delta x CAM area);
//  - contact loss: the CAM's volume swing over a run, eps(x_min) - eps(x_max), beyond a critical strain costs the
//    fraction k (swing - crit) (P_ref / P)^n of the remaining contact; the positive's active fraction follows,
//    and the lithium in the particles cut off is lost;
//  - lithium inventory: each plating loses (1 - CE) of the lithium plated;
//  - voids: stripping above i_void(P, T) loses lithium contact, k (i / i_void - 1) per stripped charge; the
//    lithium interface resistance grows as 1 / theta_Li and the plating current concentrates as i / theta_Li;
//  - short: a plating step whose i / theta_Li exceeds CCD(P, T) shorts the cell (an event; the run ends).
// Every lithium loss is paid by the negative's lithium (the excess foil and what is plated); a discharge step
// ends when that runs out, which is how a lost inventory becomes lost capacity (at once for an anode-free cell).
#include <optional>
#include <string>
#include <vector>

#include "solidcell/cell/cell.hpp"
#include "solidcell/electrochem/dfn_model.hpp"
#include "solidcell/experiment/simulation.hpp"
#include "solidcell/experiment/step.hpp"

namespace solidcell::ageing {

struct SolidStateFadeParameters {
  cell::SolidStateDegradation rates;
  // Lithium of the negative at rest when fully discharged: the excess foil (lithium_metal), 0 (anode_free);
  // nullopt for an alloy or composite negative, whose lithium does not limit a discharge here.
  std::optional<double> lithium_excess_mol;
};

// The cell file's [degradation] table with the cell's lithium excess; nullopt when the file has none.
// model_area_m2: the electrode area of the model built from the cell (electrochem::model_parameters).
std::optional<SolidStateFadeParameters> solid_state_fade_parameters(const cell::Cell& cell, double model_area_m2);

// A short at the lithium negative: the plating current (over the remaining lithium contact) above the CCD.
struct AgeingEvent {
  std::string kind = "short circuit";
  int cycle = 0;            // set by the cycle study; 0 outside one
  double time_s = 0.0;      // into the run (advance) that raised it
  int step = 0;             // the step's number in that run
  double current_density_A_per_m2 = 0.0;  // local: |I| / A / theta_Li
  double critical_current_density_A_per_m2 = 0.0;
  double stack_pressure_Pa = 0.0;
  double temperature_K = 0.0;
};

// The degradation state. Its numbers extrapolate linearly (accelerated cycle studies) with the DFN's unknowns.
struct SolidStateFadeState {
  double cei_thickness_squared_m2 = 0.0;
  double contact_fraction = 1.0;          // of the positive's CAM still connected
  double lithium_contact_fraction = 1.0;  // of the lithium|electrolyte interface still in contact
  double lithium_lost_to_cei_mol = 0.0;
  double lithium_lost_to_contact_mol = 0.0;
  double lithium_lost_to_plating_mol = 0.0;  // coulombic inefficiency
  static constexpr std::size_t size = 6;
  void to(double* out) const;
  void from(const double* in);
};

class SolidStateFade {
 public:
  // Reads the model's base inputs (interface resistances, active fraction) from its parameters.
  SolidStateFade(SolidStateFadeParameters parameters, const electrochem::DfnModel& model, const std::vector<double>& fresh_state);

  const SolidStateFadeParameters& parameters() const { return p_; }
  const SolidStateFadeState& state() const { return s_; }
  void set_state(const SolidStateFadeState& s) { s_ = s; }

  // Sets the model's inputs from the degradation state (after set_state, and after each update).
  void apply(electrochem::DfnModel& model) const;
  // The step with a discharge limited to the negative's lithium (steps that discharge at a fixed current or power).
  experiment::Step limited(const experiment::Step& step, const electrochem::DfnModel& model, const std::vector<double>& y) const;
  // Moves the state by one solved step (its rows in `run`, a run of that step alone) and applies it to the model.
  // An event when the step shorts the cell.
  std::optional<AgeingEvent> update_after_step(const experiment::Solution& run, int step_number, electrochem::DfnModel& model);
  // Contact loss for a whole run, from the lowest and highest mean CAM stoichiometry it reached.
  void update_after_run(double x_min, double x_max, electrochem::DfnModel& model, const std::vector<double>& y);

  // The lithium of the negative that a discharge can still strip [mol]; +inf for an unlimited negative.
  double lithium_reservoir_mol(const electrochem::DfnModel& model, const std::vector<double>& y) const;
  // The lithium in the positive's connected particles [mol].
  double positive_lithium_mol(const electrochem::DfnModel& model, const std::vector<double>& y) const;
  double cei_thickness_m() const;
  // Resistances added per electrode area [Ohm m2]: the interphase's film over the CAM area in contact, and the
  // lithium interface's growth from voids.
  double cei_area_resistance_ohm_m2() const;
  double void_area_resistance_ohm_m2() const;
  double lost_lithium_mol() const { return s_.lithium_lost_to_cei_mol + s_.lithium_lost_to_contact_mol + s_.lithium_lost_to_plating_mol; }
  // The fresh cell's lithium in the positive and the negative's reservoir [mol]: what the electrodes hold now plus
  // every loss, when the bookkeeping closes.
  double initial_lithium_mol() const { return initial_lithium_mol_; }

  // Local helpers, exposed for tests.
  double cei_growth_rate_m2_per_s(double positive_potential_V, double temperature_K) const;  // d(delta^2)/dt
  double cam_volume_strain(double stoichiometry) const;
  double void_critical_current_A_per_m2(double temperature_K) const;
  double critical_current_density_A_per_m2(double temperature_K) const;
  double contact_loss_per_cycle(double strain_swing) const;
  // Mean stoichiometry of the positive's particles (lithium per c_max).
  static double mean_positive_stoichiometry(const electrochem::DfnModel& model, const std::vector<double>& y);

 private:
  SolidStateFadeParameters p_;
  SolidStateFadeState s_;
  double positive_resistance0_ = 0.0;  // Ohm m2 per CAM area
  double active_fraction0_ = 0.0;
  double lithium_resistance0_ = 0.0;
  double cam_area_m2_ = 0.0;           // a_s L_pos A at the start
  double reservoir0_mol_ = 0.0;        // the negative's lithium in the fresh state
  double initial_lithium_mol_ = 0.0;   // positive + negative reservoir in the fresh state
  double negative_potential_V_ = 0.0;
  double electrode_area_m2_ = 0.0;
};

}  // namespace solidcell::ageing
