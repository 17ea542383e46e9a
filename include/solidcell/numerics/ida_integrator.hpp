#pragma once
// SUNDIALS IDA over a DaeSystem: banded Newton with a difference-quotient Jacobian, consistent
// initialisation of the algebraic unknowns, and root-finding for events. The reference integrator.
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "solidcell/numerics/dae_system.hpp"

namespace solidcell::numerics {

// The solver gave up: when, and what it said.
class SolverFailure : public std::runtime_error {
 public:
  SolverFailure(double time, std::string reason);
  double time() const { return time_; }
  const std::string& reason() const { return reason_; }

 private:
  double time_;
  std::string reason_;
};

struct IntegratorOptions {
  double relative_tolerance = 1e-6;
  double max_step_s = 0.0;  // 0: no limit
  long max_steps = 20000;   // per start(): a step that needs more is stalling, and fails with that reason
};

class IdaIntegrator {
 public:
  // g(t, y, out) fills `count` event functions, positive while the step may go on; the integrator stops
  // where one falls through zero.
  using EventFunction = std::function<void(double t, const double* y, double* out)>;

  IdaIntegrator(const DaeSystem& system, IntegratorOptions options);
  ~IdaIntegrator();
  IdaIntegrator(const IdaIntegrator&) = delete;
  IdaIntegrator& operator=(const IdaIntegrator&) = delete;

  // (Re)starts at t0 from y (algebraic parts are made consistent; y and yp are updated in place).
  void start(double t0, std::vector<double>& y, std::vector<double>& yp);
  void set_events(int count, EventFunction events);

  enum class Outcome { step, reached_stop_time, event };
  // One internal step towards t_stop (never past it). On an event, `event_index` names the function.
  Outcome step(double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp, int* event_index = nullptr);
  // Integrates to t_out (interpolating inside the last step, never past t_stop) or to an event before it.
  Outcome advance_to(double t_out, double t_stop, double& t, std::vector<double>& y, std::vector<double>& yp,
                     int* event_index = nullptr);

  long steps_taken() const;
  long residual_evaluations() const;             // for the steps (not the Jacobian)
  long jacobian_evaluations() const;
  long jacobian_residual_evaluations() const;    // spent on difference-quotient Jacobians

 private:
  Outcome solve(double t_target, double t_stop, int mode, double& t, std::vector<double>& y, std::vector<double>& yp, int* event_index);

  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace solidcell::numerics
