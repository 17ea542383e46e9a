#pragma once
// Integrates a ThermalRunawayModel through an abuse test, phase by phase: it turns reactions on when they
// reach their ignition threshold or contact gate and the separator short on at its failure temperature
// (found as events, with a restart there), records the trace, and at the end does the heat accounting and
// the verdict. The heating test drives it (and the tests of the other abuse procedures will).
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "solidcell/abuse/heating_test.hpp"
#include "solidcell/abuse/thermal_runaway_model.hpp"
#include "solidcell/numerics/dae_integrator.hpp"

namespace solidcell::abuse {

class RunawayDriver {
 public:
  RunawayDriver(const CellInventory& cell, const ReactionNetwork& network, double initial_soc, double initial_temperature_K, Surroundings surroundings,
                double relative_tolerance, ModelFeatures features = {});

  // A phase's end before t_end (a test's limit: a voltage, a state of charge), checked after every solver
  // step, so the phase ends within one step of it.
  using StopCondition = std::function<bool(double t, double voltage_V, double soc, double temperature_K)>;
  // Integrates to t_end with these surroundings and this electrical load (each smooth over the interval),
  // or until `stop` says so; returns true when it stopped early. Throws numerics::SolverFailure.
  bool advance_to(double t_end, const Surroundings& surroundings, const ElectricalLoad& load = {}, const StopCondition& stop = {});
  // A phase's end found as an event, to the solver's root accuracy: where `level` falls through zero (positive
  // while the phase goes on, e.g. 1.1 V_max - V). Returns true when it stopped there.
  using StopLevel = std::function<double(double t, double voltage_V, double soc, double temperature_K)>;
  bool advance_to_level(double t_end, const Surroundings& surroundings, const ElectricalLoad& load, const StopLevel& level);

  double time() const { return t_; }
  double temperature_K() const { return model_.temperature(y_.data()); }
  double state_of_charge() const { return model_.state_of_charge(y_.data()); }
  double voltage_V() const { return model_.terminal_voltage(t_, y_.data()); }
  const ThermalRunawayModel& model() const { return model_; }
  const std::vector<double>& state() const { return y_; }
  // Fills the trace, heats, balance and verdict of `result` (its test, standard and names set by the caller).
  void finish(AbuseResult& result, const RunawayCriterion& criterion, double max_operating_temperature_K) const;

 private:
  void record();
  bool advance(double t_end, const Surroundings& surroundings, const ElectricalLoad& load, const StopCondition& stop, const StopLevel& level);

  const ReactionNetwork& network_;
  ThermalRunawayModel model_;
  std::unique_ptr<numerics::DaeIntegrator> integrator_;
  Surroundings surroundings_;
  std::vector<double> y_, yp_;
  double t_ = 0.0;
  double initial_temperature_K_;
  bool recorded_start_ = false;
  std::optional<double> short_onset_s_;
  std::optional<double> shutdown_s_;
  bool internal_path_closed_ = false;  // a phase had a nail or crush short

  AbuseTrace trace_;
};

}  // namespace solidcell::abuse
