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
                double relative_tolerance);

  // Integrates to t_end with these surroundings (smooth over the interval). Throws numerics::SolverFailure.
  void advance_to(double t_end, const Surroundings& surroundings);

  double time() const { return t_; }
  double temperature_K() const { return model_.temperature(y_.data()); }
  double state_of_charge() const { return model_.state_of_charge(y_.data()); }
  // Fills the trace, heats, balance and verdict of `result` (its test, standard and names set by the caller).
  void finish(AbuseResult& result, const RunawayCriterion& criterion, double max_operating_temperature_K) const;

 private:
  void record();

  const ReactionNetwork& network_;
  ThermalRunawayModel model_;
  std::unique_ptr<numerics::DaeIntegrator> integrator_;
  Surroundings surroundings_;
  std::vector<double> y_, yp_;
  double t_ = 0.0;
  double initial_temperature_K_;
  bool recorded_start_ = false;
  std::optional<double> short_onset_s_;
  AbuseTrace trace_;
};

}  // namespace solidcell::abuse
