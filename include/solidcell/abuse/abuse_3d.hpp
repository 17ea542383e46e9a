#pragma once
// Abuse tests of a pouch or cylindrical cell in 3D: the cell is a box (pouch) or a half cylinder in
// (r, theta, z) (cylindrical: wound jelly roll, can wall, mandrel hole) of control volumes
// (thermal::Conduction3d) with the layer stack's anisotropic conductivity (layer_stack.hpp), a whole
// reaction network in every control volume (network_chemistry.hpp) and a short circuit as a volumetric
// Joule source (short_circuit.hpp). A half cylinder's heats are reported for the whole cell.
// The oven (heating) test here; the nail penetration test in nail_test.hpp. Both return the lumped tests'
// AbuseResult (judged by the same verdict.hpp rules on the hottest control volume), extended by what
// only 3D knows. docs/thermal-3d.md has the equations, docs/abuse.md the tests.
#include <optional>
#include <string>
#include <vector>

#include "solidcell/abuse/cell_inventory.hpp"
#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/layer_stack.hpp"
#include "solidcell/abuse/reaction_network.hpp"
#include "solidcell/cell/cell.hpp"
#include "solidcell/thermal/conduction_3d.hpp"

namespace solidcell::abuse {

struct ThreeDOptions {
  int nx = 40;  // control volumes along the electrode length, width and through the stack (cylinder: r, theta over the half, z)
  int ny = 30;
  int nz = 17;
  // The solver's tolerances (thermal::Conduction3dOptions): the local error of a step in kelvin.
  double relative_tolerance = 1e-3;
  double absolute_tolerance_K = 0.5;
  double newton_tolerance = 0.01;
  double max_step_s = 60.0;                     // an oven ramp or a cooling hour still shows in the trace
  // A control volume igniting within a step may jump by at most this much per step (0: no limit), so that
  // the hot spot's dT/dt, which the verdict judges, is resolved over the runaway.
  double fast_reaction_max_change_K = 25.0;
  // ... except where the reaction runs its course within max(step, jump_time_s): no step could resolve it,
  // it jumps (thermal::Conduction3dOptions::jump_time_s; 0: every igniting control volume is limited).
  double jump_time_s = 1e-3;
  // A run never hangs: more than max_solver_steps step attempts over the test, or stall_window_steps attempts
  // advancing by less than stall_min_mean_step_s each on average, end it with `failure` set (the time and
  // the reason) and the results so far (Conduction3dOptions::max_total_steps, stall_*; 0: off).
  long max_solver_steps = 200000;
  long stall_window_steps = 4000;
  double stall_min_mean_step_s = 2e-5;
  std::optional<double> initial_soc;            // replaces the procedure's
  double max_operating_temperature_K = 333.15;  // GB 38031 App. C (b): 60 C typical
  // A short (separator failure, nail) drains the cell in pieces of at most this change of state of charge,
  // each with a constant current (taken at its middle) and an exactly integrated Joule heat.
  double max_soc_change_per_piece = 0.02;
};

// What 3D adds to the lumped result. trace.temperature_K is the hottest control volume's temperature
// (what the verdict judges: a thermocouple at the hot spot), temperature_rate_K_per_s its rate between
// recorded steps; the mean and coldest temperatures are here.
struct AbuseResult3d : AbuseResult {
  thermal::Conduction3dGrid grid;
  PouchBox box;
  std::vector<double> mean_temperature_K;  // per trace row, heat-capacity weighted
  std::vector<double> min_temperature_K;
  std::vector<double> final_temperature_K;  // the field at the end, index i + nx (j + ny k)
  std::vector<double> peak_temperature_K;   // the highest temperature each control volume reached
  // The short's Joule heat by where it went (electrical_heat_kJ is their sum as the solver integrated it):
  // I^2 R_int over the jelly roll, I^2 R_contact at the short site (nail surface, failed separator),
  // I^2 R_conductor in the nail.
  double internal_joule_kJ = 0.0;
  double contact_joule_kJ = 0.0;
  double conductor_joule_kJ = 0.0;
  double stored_energy_change_kJ = 0.0;
  double heat_moved_kJ = 0.0;  // |reactions| + |Joule| + |faces|: the scale of energy_balance_error_J
  thermal::Conduction3dStatistics statistics;
};

// The heating (oven) test of `procedure` on a pouch cell (box from the cell design, pouch_box) or a
// cylindrical one (half cylinder, cylinder_box: the can's outside exchanging, the mandrel's hole and the
// plane of symmetry adiabatic), every face
// exchanging with the chamber by convection and radiation (the procedure's chamber values) at the oven's
// temperature (ramp, hold, then room temperature for the observation). The network's separator short, if
// any, switches on where a control volume passes its onset; its Joule heat I^2 R_short goes into the
// failed control volumes, I^2 R_int over the jelly roll. Solver failures end the run with `failure` set.
AbuseResult3d run_heating_test_3d(const cell::Cell& cell, const CellInventory& inventory, const ReactionNetwork& network,
                                  const HeatingProcedure& procedure, const ThreeDOptions& options = {});
// The same on a given box or half cylinder (tests, studies).
AbuseResult3d run_heating_test_3d(const PouchBox& box, const CellInventory& inventory, const ReactionNetwork& network,
                                  const HeatingProcedure& procedure, const ThreeDOptions& options = {});

}  // namespace solidcell::abuse
