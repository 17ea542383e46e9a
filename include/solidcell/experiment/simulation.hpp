#pragma once
// Runs a cell model through an experiment with IDA: one integration per step, consistent
// re-initialisation at every step change, and events for the step's limits and the cell's cut-offs.
// A solver failure ends the run but keeps everything computed so far, with when, where and why.
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/electrochem/battery_model.hpp"
#include "solidcell/experiment/step.hpp"
#include "solidcell/numerics/dae_integrator.hpp"

namespace solidcell::experiment {

struct SimulationOptions {
  double initial_soc = 1.0;
  // Unset: the model's own ambient temperature (its reference temperature, or an "Ambient temperature [K]"
  // input set on it).
  std::optional<double> ambient_temperature_K;
  double relative_tolerance = 1e-6;
  double absolute_tolerance = 0.0;  // in units of each unknown's scale (c_max, c_e0, 1 V, the capacity); 0: as relative
  double cutoff_margin_V = 0.0;  // the cell's voltage window, widened by this much, ends any step
  long max_solver_steps_per_step = 20000;  // beyond this a step is stalling: it fails with that reason
  numerics::LinearSolverKind linear_solver = numerics::LinearSolverKind::sparse;  // IDA's linear solver
  numerics::IntegratorKind integrator = numerics::IntegratorKind::ida;  // bdf: the lean integrator (bdf_integrator.hpp)
  std::function<void(int step, int steps, double t)> progress;  // called after each step (may be empty)
  // A state to start from instead of rest at initial_soc: the final_state of an earlier run of the same model
  // (cycling studies carry the cell's state, its degradation included, from one run to the next).
  std::optional<std::vector<double>> initial_state;
  // Leave out the through-thickness profiles at the end of each step (long cycling studies do not read them).
  bool record_profiles = true;
  // When the integrator fails inside a step, solve that step again from its start, first with the same integrator at
  // a tenth of the tolerance, then with the other one (IDA <-> BDF), before reporting a failure: IDA's Newton
  // iteration can stall against the steep OCP wall of a fully lithiated positive where a tighter run goes through.
  bool switch_integrator_on_failure = true;
};

struct StepSummary {
  int number = 0;
  std::string text;
  double start_s = 0.0;
  double end_s = 0.0;
  std::string ended_by;  // "duration", "until ..." or "cell voltage limit ..."
  double capacity_Ah = 0.0;  // charge passed, positive on discharge
  double energy_Wh = 0.0;    // positive on discharge
};

struct SolverFailureInfo {
  double time_s = 0.0;
  int step = 0;
  std::string step_text;
  std::string reason;
};

struct Solution {
  std::string model;
  // Time series, one row per solver step.
  std::vector<double> time_s, current_A, voltage_V, discharge_capacity_Ah, discharge_energy_Wh, open_circuit_voltage_V,
      temperature_K;
  std::vector<int> step_number;
  // Profiles through the thickness at the end of every step.
  std::vector<double> profile_time_s;
  std::vector<electrochem::Profiles> profiles;
  std::vector<StepSummary> steps;
  std::optional<SolverFailureInfo> failure;
  // Failures a fallback got past (switch_integrator_on_failure): where, and what failed.
  std::vector<SolverFailureInfo> recovered_failures;
  std::string stopped_early;  // why the experiment ended before its last step, if it did
  double solve_time_s = 0.0;
  std::string integrator;             // "IDA" or "BDF", with its linear solver
  numerics::SolverStatistics solver;  // the integrator's work over the whole experiment
  double lithium_moles_start = 0.0;
  double lithium_moles_end = 0.0;
  std::vector<double> final_state;  // the model's unknowns at the end: SimulationOptions::initial_state of a next run
};

Solution run_experiment(electrochem::BatteryModel& model, const std::vector<Step>& steps, const SimulationOptions& options);

}  // namespace solidcell::experiment
